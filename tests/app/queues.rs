//! The agency's queues: counted on the console, listed on their pages, each
//! row leading to the place to act.

use reqwest::StatusCode;

use crate::{
    fixtures::{self, agency, day},
    helpers::fresh_db,
};

#[tokio::test]
async fn the_console_counts_each_queue_and_its_page_leads_to_the_place_to_act() {
    let db = fresh_db().await;
    let brand = fixtures::brand(db.clone()).await;
    let campaign = fixtures::published(&brand, &[("application_deadline", &day(5))]).await;
    let creator = fixtures::fitting_creator(&brand, "ana@lumen.example").await;
    let admin = agency(&brand).await;

    sqlx::query("insert into click_losses (day, lost) values (current_date, 1234)")
        .execute(&brand.db)
        .await
        .expect("a day that lost clicks");
    // The queues are counted every minute; staff can ask for it now.
    let recount = async || {
        admin
            .post_form("/admin/queues/refresh", &[("back", "/admin")])
            .await
            .assert_redirect("/admin");
    };
    recount().await;
    let console = admin.get("/admin").await;
    assert!(console.body.contains("counted again every minute"));
    assert_eq!(console.status, StatusCode::OK);
    assert!(
        console
            .body
            .contains("1,234</span> <span class=\"stat-label\">clicks lost, last 7 days"),
        "lost clicks are on the console"
    );
    assert!(
        console
            .body
            .contains("href=\"/admin/queues/closing-without-creators\"")
    );

    let closing = admin.get("/admin/queues/closing-without-creators").await;
    assert_eq!(closing.status, StatusCode::OK);
    assert!(
        closing
            .body
            .contains(&format!("href=\"{campaign}/applications\""))
    );
    assert!(closing.body.contains("Northwind Outdoor, 0 applications"));

    let to_verify = admin.get("/admin/queues/figures-to-verify").await;
    assert!(
        to_verify
            .body
            .contains("Aisha: instagram @ana@lumen.example")
    );
    assert!(to_verify.body.contains("20,000 followers"));
    assert!(to_verify.body.contains("Listed as they stand now."));
    // Listed live, 50 at a time: with more waiting, the count says how many.
    sqlx::query(
        "insert into channels (id, profile_id, platform, handle, url, followers, avg_views,
                               avg_likes, avg_comments, captured_on, tier, score)
         select gen_random_uuid(), profile_id, platform, handle || '_' || n, url, followers - n,
                avg_views, avg_likes, avg_comments, captured_on, tier, score
           from channels, generate_series(1, 60) n",
    )
    .execute(&brand.db)
    .await
    .expect("more channels to verify");
    recount().await;
    let many = admin.get("/admin/queues/figures-to-verify").await.body;
    assert_eq!(many.matches("<tr><td><a href=").count(), 50);
    assert!(many.contains("The first 50 of 61, most urgent first. As you deal with them"));
    assert!(many.contains("counted"), "the count is the minute's");
    sqlx::query("delete from channels where handle ~ '_[0-9]+$'")
        .execute(&brand.db)
        .await
        .expect("back to one channel");
    // The figures to verify are listed as they stand: once checked, the
    // channel leaves the queue before the next count.
    let channel: uuid::Uuid = sqlx::query_scalar("select id from channels")
        .fetch_one(&brand.db)
        .await
        .expect("the creator's channel");
    let verified = admin
        .post_form(
            &format!("/admin/channels/{channel}/verify"),
            &[("note", "Matches the analytics screenshot")],
        )
        .await;
    assert!(verified.status.is_redirection(), "{}", verified.status);
    let to_verify = admin.get("/admin/queues/figures-to-verify").await;
    assert!(to_verify.body.contains("this queue is clear"));
    assert!(
        to_verify.body.contains("badge-count\">0<"),
        "the count follows the rows"
    );

    let quiet = admin.get("/admin/queues/disputes").await;
    assert!(quiet.body.contains("this queue is clear"));

    // Accepting a creator takes the campaign off the closing queue.
    let application = fixtures::apply(&creator, &campaign, "400")
        .await
        .location()
        .to_owned();
    fixtures::accept(&brand, &application, "450").await;
    let stale = admin.get("/admin/queues/closing-without-creators").await;
    assert!(
        stale.body.contains("Northwind Outdoor, 0 applications"),
        "as counted"
    );
    recount().await;
    let closing = admin.get("/admin/queues/closing-without-creators").await;
    assert!(closing.body.contains("this queue is clear"));

    // A deliverable past its due date with nothing delivered.
    sqlx::query("update deliverables set due_on = current_date - 3")
        .execute(&brand.db)
        .await
        .expect("overdue");
    recount().await;
    let overdue = admin.get("/admin/queues/deliverables-overdue").await;
    assert!(overdue.body.contains("href=\"/deliverables/"));
    assert!(overdue.body.contains("Aisha for Northwind Outdoor, todo"));

    assert_eq!(
        admin.get("/admin/queues/everything").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        brand.get("/admin/queues/disputes").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        creator.get("/admin/queues/disputes").await.status,
        StatusCode::FORBIDDEN
    );
    // Only back to the console: never off the site.
    admin
        .post_form("/admin/queues/refresh", &[("back", "https://evil.example")])
        .await
        .assert_redirect("/admin");
    assert_eq!(
        brand
            .post_form("/admin/queues/refresh", &[("back", "/admin")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn every_queue_page_answers_on_an_empty_platform() {
    let db = fresh_db().await;
    let brand = fixtures::brand(db.clone()).await;
    let admin = agency(&brand).await;
    for key in [
        "reviews-overdue",
        "deliverables-overdue",
        "silent-collaborations",
        "figures-to-verify",
        "authenticity-signals",
        "disputes",
        "automatic-approvals",
        "closing-without-creators",
    ] {
        let page = admin.get(&format!("/admin/queues/{key}")).await;
        assert_eq!(page.status, StatusCode::OK, "{key}");
        assert!(page.body.contains("this queue is clear"), "{key}");
    }
}
