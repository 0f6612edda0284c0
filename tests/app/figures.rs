//! A published post's figures: recorded by the creator as dated sets that never
//! change, checked by the brand, judged against the platform's benchmark.

use reqwest::StatusCode;

use crate::{
    collaborations::{collaboration, deliver_and_publish},
    helpers::fresh_db,
};

fn today() -> String {
    time::OffsetDateTime::now_utc().date().to_string()
}

fn yesterday() -> String {
    (time::OffsetDateTime::now_utc().date() - time::Duration::days(1)).to_string()
}

#[tokio::test]
async fn the_creator_records_a_posts_figures_and_the_brand_checks_them() {
    let c = collaboration(fresh_db().await).await;
    let post = &c.deliverables[0];
    let early = c
        .creator
        .post_form(
            &format!("{post}/figures"),
            &[("recorded_on", &today()), ("likes", "10")],
        )
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT, "not before it is live");
    assert!(early.body.contains("publish it first"));

    deliver_and_publish(&c, post).await;
    let page = c.creator.get(post).await;
    assert!(page.body.contains("No figures yet"));
    c.creator
        .post_form(
            &format!("{post}/figures"),
            &[
                ("recorded_on", &yesterday()),
                ("impressions", "12.5k"),
                ("reach", "9,800"),
                ("likes", "640"),
                ("comments", "52"),
                ("saves", "31"),
            ],
        )
        .await
        .assert_redirect(&format!("{post}#figures"));
    let page = c.brand.get(post).await;
    assert!(page.body.contains("12,500"));
    // 692 likes and comments over the creator's 20,000 Instagram followers.
    assert!(
        page.body
            .contains("3.46% of the creator&#39;s followers liked or commented"),
        "{}",
        page.body
    );
    assert!(page.body.contains("for this platform and tier"));

    // Same day again: recorded figures never change.
    let again = c
        .creator
        .post_form(
            &format!("{post}/figures"),
            &[("recorded_on", &yesterday()), ("likes", "700")],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("already recorded"));
    assert!(
        again.body.contains("value=\"700\""),
        "what was typed is kept"
    );

    // Bad figures come back beside their fields.
    let bad = c
        .creator
        .post_form(
            &format!("{post}/figures"),
            &[
                ("recorded_on", "2099-01-01"),
                ("likes", "lots"),
                ("reach", "1"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("recorded_on-error") && bad.body.contains("likes-error"));

    // A newer set becomes the post's latest for the reports; the brand checks it.
    c.creator
        .post_form(
            &format!("{post}/figures"),
            &[
                ("recorded_on", &today()),
                ("impressions", "20000"),
                ("likes", "900"),
                ("comments", "80"),
            ],
        )
        .await
        .assert_redirect(&format!("{post}#figures"));
    assert_eq!(
        c.brand
            .count("select impressions + engagements from deliverable_results")
            .await,
        20_980
    );
    let id: uuid::Uuid =
        sqlx::query_scalar("select id from post_figures order by recorded_on desc limit 1")
            .fetch_one(&c.brand.db)
            .await
            .expect("figures");
    let by_creator = c
        .creator
        .post_form(&format!("{post}/figures/{id}/checked"), &[])
        .await;
    assert_eq!(by_creator.status, StatusCode::FORBIDDEN);
    let by_brand_record = c
        .brand
        .post_form(
            &format!("{post}/figures"),
            &[("recorded_on", &today()), ("likes", "1")],
        )
        .await;
    assert_eq!(by_brand_record.status, StatusCode::FORBIDDEN);
    c.brand
        .post_form(&format!("{post}/figures/{id}/checked"), &[])
        .await
        .assert_redirect(&format!("{post}#figures"));
    let page = c.creator.get(post).await;
    assert!(page.body.contains("Checked "), "{}", page.body);
    assert_eq!(
        c.brand
            .count("select count(*) from audit_events where action like 'deliverable.figures_%'")
            .await,
        3
    );

    // The database refuses to change recorded figures.
    let changed = sqlx::query("update post_figures set likes = likes + 1")
        .execute(&c.brand.db)
        .await;
    assert!(changed.is_err());
}
