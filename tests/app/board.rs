use reqwest::StatusCode;

use crate::{
    fixtures::{brand, brief_form, day, post, published, valid_form, with},
    helpers::{TestApp, fresh_db},
};

async fn creator(app: &TestApp) -> TestApp {
    let c = app.another_browser();
    c.signup_influencer("aisha@creators.example", "Aisha").await;
    c
}

#[tokio::test]
async fn the_board_shows_open_campaigns_only() {
    let db = fresh_db().await;
    let app = brand(db).await;
    published(&app, &[("title", "Open and current")]).await;
    let closed = published(&app, &[("title", "Closed already")]).await;
    app.post_form(&format!("{closed}/close"), &[]).await;
    post(
        &app,
        "/campaigns",
        &with(&valid_form(), "title", "Still a draft"),
    )
    .await;
    let lapsed = published(&app, &[("title", "Deadline passed")]).await;
    let id = lapsed.rsplit('/').next().expect("id");
    sqlx::query("update campaigns set application_deadline = current_date - 1 where id = $1::uuid")
        .bind(id)
        .execute(&app.db)
        .await
        .expect("lapse");

    let board = creator(&app).await.get("/campaigns").await;

    assert_eq!(board.status, StatusCode::OK);
    assert!(board.body.contains("Open and current"));
    for hidden in ["Closed already", "Still a draft", "Deadline passed"] {
        assert!(
            !board.body.contains(hidden),
            "{hidden} should not be on the board"
        );
    }
}

#[tokio::test]
async fn the_board_filters_by_platform_niche_pay_budget_and_deadline() {
    let db = fresh_db().await;
    let app = brand(db).await;
    published(
        &app,
        &[
            ("title", "TikTok gifting"),
            ("compensation", "product_gifting"),
        ],
    )
    .await;
    let mut tiktok = valid_form();
    tiktok.retain(|(k, _)| *k != "platforms");
    tiktok.push(("platforms", "tiktok".into()));
    tiktok = with(&tiktok, "title", "Only on TikTok");
    tiktok = with(&tiktok, "niches", "Skincare");
    tiktok = with(&tiktok, "budget", "900");
    tiktok = with(&tiktok, "application_deadline", &day(3));
    let res = post(&app, "/campaigns", &tiktok).await;
    let path = res.location().to_owned();
    post(&app, &format!("{path}/brief"), &brief_form("")).await;
    app.post_form(&format!("{path}/publish"), &[]).await;
    published(
        &app,
        &[
            ("title", "Euro budget"),
            ("currency", "EUR"),
            ("budget", "50000"),
        ],
    )
    .await;
    let c = creator(&app).await;

    let cases: [(&str, &[&str], &[&str]); 6] = [
        (
            "platform=tiktok",
            &["Only on TikTok"],
            &["TikTok gifting", "Euro budget"],
        ),
        ("niche=SKINCARE", &["Only on TikTok"], &["TikTok gifting"]),
        (
            "compensation=product_gifting",
            &["TikTok gifting"],
            &["Only on TikTok"],
        ),
        (
            "currency=USD&budget_max=1000",
            &["Only on TikTok"],
            &["TikTok gifting", "Euro budget"],
        ),
        (
            "currency=EUR&budget_min=10000",
            &["Euro budget"],
            &["Only on TikTok", "TikTok gifting"],
        ),
        (
            "closes_before=",
            &["Only on TikTok", "TikTok gifting", "Euro budget"],
            &[],
        ),
    ];
    for (query, shown, hidden) in cases {
        let page = c.get(&format!("/campaigns?{query}")).await;
        assert_eq!(page.status, StatusCode::OK, "{query}");
        for s in shown {
            assert!(page.body.contains(s), "{query}: {s} missing");
        }
        for h in hidden {
            assert!(!page.body.contains(h), "{query}: {h} shown");
        }
    }
    let soon = c.get(&format!("/campaigns?closes_before={}", day(5))).await;
    assert!(soon.body.contains("Only on TikTok"));
    assert!(!soon.body.contains("Euro budget"));

    let by_deadline = c.get("/campaigns").await.body;
    assert!(
        by_deadline.find("Only on TikTok") < by_deadline.find("Euro budget"),
        "soonest deadline first"
    );
    let newest = c.get("/campaigns?sort=newest").await.body;
    assert!(
        newest.find("Euro budget") < newest.find("Only on TikTok"),
        "newest first"
    );

    let none = c.get("/campaigns?platform=twitch").await;
    assert!(none.body.contains("No open campaigns match these filters."));
    let bad = c.get("/campaigns?platform=myspace&budget_min=lots").await;
    assert_eq!(bad.status, StatusCode::OK);
    assert!(bad.body.contains(r#"id="platform-error""#));
    assert!(bad.body.contains(r#"id="budget_min-error""#));
}

#[tokio::test]
async fn the_board_pages_through_many_campaigns() {
    let db = fresh_db().await;
    let app = brand(db).await;
    published(&app, &[("title", "Campaign 0")]).await;
    sqlx::query(
        "insert into campaigns (id, brand_id, title, business_goal, objective, budget_minor, currency,
             compensation, creators_wanted, application_deadline, starts_on, ends_on, eligible_tiers,
             platforms, niches, countries, status, published_at)
         select gen_random_uuid(), brand_id, 'Campaign ' || g, business_goal, objective, budget_minor,
                currency, compensation, creators_wanted, application_deadline + g, starts_on + g,
                ends_on + g, eligible_tiers, platforms, niches, countries, 'open', now()
           from campaigns, generate_series(1, 24) g",
    )
    .execute(&app.db)
    .await
    .expect("more campaigns");
    let c = creator(&app).await;

    let first = c.get("/campaigns").await;
    assert!(first.body.contains("Campaign 0"));
    assert!(first.body.contains("Campaign 19"));
    assert!(!first.body.contains("Campaign 20<"));
    assert!(first.body.contains(r#"href="/campaigns?page=2""#));
    let second = c.get("/campaigns?page=2").await;
    assert!(second.body.contains("Campaign 24"));
    assert!(second.body.contains("Page 2"));
    assert!(!second.body.contains("Next page"));
}

#[tokio::test]
async fn a_renamed_brand_shows_its_new_name_on_the_board() {
    let db = fresh_db().await;
    let app = brand(db).await;
    published(&app, &[("title", "Autumn range")]).await;
    let c = creator(&app).await;
    assert!(c.get("/campaigns").await.body.contains("Northwind Outdoor"));

    app.post_form("/brand", &[("name", "Northwind & Co.")])
        .await
        .assert_redirect("/brand");

    let board = c.get("/campaigns").await.body;
    assert!(
        board.contains("Northwind &#38; Co."),
        "renamed on the board"
    );
    assert!(!board.contains("Northwind Outdoor"));
}
