//! Rate limits beyond sign-in: each refuses with 429 and `Retry-After`,
//! keeps what was typed, says how long to wait, stores nothing, and is
//! shared by every instance on the database.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use sqlx::PgPool;

use crate::{
    collaborations::collaboration,
    conversions::{post, token, upload},
    fixtures::{apply, brand, fitting_creator, published},
    helpers::{PASSWORD, fresh_db, spawn_behind_proxy, spawn_configured, test_config},
};
use liaison::{
    config::{Config, Environment},
    limits::{self, Limit, Per},
};

/// Spends a bucket's burst at once, as if its `max` requests had just come.
async fn spend(db: &PgPool, bucket: &limits::Bucket) {
    sqlx::query(
        "insert into rate_limits (bucket, tat) values ($1, now() + make_interval(secs => $2))",
    )
    .bind(bucket.key())
    .bind(bucket.limit.window.as_secs_f64())
    .execute(db)
    .await
    .expect("fill the bucket");
}

fn retry_after(page: &crate::helpers::Page) -> u64 {
    page.headers["retry-after"]
        .to_str()
        .expect("text")
        .parse()
        .expect("seconds")
}

#[tokio::test]
async fn a_burst_passes_then_one_request_per_interval() {
    let db = fresh_db().await;
    // Long enough that a slow machine cannot spread the burst past a step.
    let limit = Limit {
        name: "test.account",
        per: Per::Account,
        max: 3,
        window: Duration::from_secs(60),
        what: "tries",
    };
    let bucket = limit.of(uuid::Uuid::now_v7());
    for _ in 0..3 {
        assert_eq!(limits::db::hit(&db, &bucket).await.expect("hit"), None);
    }
    let refused = limits::db::hit(&db, &bucket)
        .await
        .expect("hit")
        .expect("the fourth is refused");
    assert!(
        refused.retry_after > Duration::from_secs(15) && refused.retry_after <= limit.interval(),
        "{:?}",
        refused.retry_after
    );
    // A refusal counts nothing: once the wait it named has passed (the
    // bucket's time moved back by as much), one more goes through, and only one.
    sqlx::query("update rate_limits set tat = tat - make_interval(secs => $2) where bucket = $1")
        .bind(bucket.key())
        .bind(refused.retry_after.as_secs_f64() + 0.1)
        .execute(&db)
        .await
        .expect("let the wait pass");
    assert_eq!(limits::db::hit(&db, &bucket).await.expect("hit"), None);
    assert!(limits::db::hit(&db, &bucket).await.expect("hit").is_some());
    // Another account has its own bucket.
    let other = limit.of(uuid::Uuid::now_v7());
    assert_eq!(limits::db::hit(&db, &other).await.expect("hit"), None);
    // Empty buckets are purged; full ones kept.
    sqlx::query("update rate_limits set tat = now() - interval '1 second' where bucket = $1")
        .bind(other.key())
        .execute(&db)
        .await
        .expect("age");
    assert_eq!(limits::db::purge_empty(&db).await.expect("purge"), 1);
}

#[tokio::test]
async fn messages_past_the_limit_keep_the_text_and_every_instance_agrees() {
    let c = collaboration(fresh_db().await).await;
    let thread = format!("{}/messages", c.application);
    // All but three of the burst spent already, as by 27 messages just sent.
    let creator: uuid::Uuid =
        sqlx::query_scalar("select id from users where email = 'aisha@creators.example'")
            .fetch_one(&c.brand.db)
            .await
            .expect("user");
    let bucket = Limit::MESSAGES.of(creator);
    sqlx::query(
        "insert into rate_limits (bucket, tat) values ($1, now() + make_interval(secs => $2))",
    )
    .bind(bucket.key())
    .bind((Limit::MESSAGES.window - 3 * Limit::MESSAGES.interval()).as_secs_f64())
    .execute(&c.brand.db)
    .await
    .expect("spend most of the burst");
    for n in 0..3 {
        c.creator
            .post_form(&thread, &[("body", &format!("Note {n}"))])
            .await
            .assert_redirect(&format!("{thread}#latest"));
    }
    let page = c
        .creator
        .post_form(&thread, &[("body", "One more thought on the Alps")])
        .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    let wait = retry_after(&page);
    assert!((1..=20).contains(&wait), "{wait}");
    assert!(
        page.body
            .contains("Liaison takes at most 30 messages from one account in 10 minutes.")
    );
    assert!(
        page.body
            .contains("One more thought on the Alps</textarea>"),
        "the text is kept"
    );
    assert_eq!(c.brand.count("select count(*) from messages").await, 3);

    // The second instance counts the same bucket.
    let other = c.creator.second_instance().await;
    let page = other.post_form(&thread, &[("body", "Still here")]).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    // The brand's own account is not held back by the creator's.
    c.brand
        .post_form(&thread, &[("body", "Take your time")])
        .await
        .assert_redirect(&format!("{thread}#latest"));
}

#[tokio::test]
async fn applications_past_the_limit_keep_the_pitch() {
    let db = fresh_db().await;
    let app = brand(db.clone()).await;
    let campaign = published(&app, &[]).await;
    let creator = fitting_creator(&app, "aisha@creators.example").await;
    let user: uuid::Uuid =
        sqlx::query_scalar("select id from users where email = 'aisha@creators.example'")
            .fetch_one(&db)
            .await
            .expect("user");
    spend(&db, &Limit::APPLICATIONS.of(user)).await;

    let page = apply(&creator, &campaign, "2300").await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(retry_after(&page) <= 180);
    assert!(
        page.body
            .contains("at most 20 applications from one account in an hour")
    );
    assert!(
        page.body.contains("my audience buys what I test"),
        "the pitch is kept"
    );
    assert_eq!(app.count("select count(*) from applications").await, 0);
}

#[tokio::test]
async fn sign_ups_from_one_address_are_limited_and_others_are_not() {
    let app = spawn_behind_proxy(fresh_db().await).await;
    let signup = async |from: &str, n: u32| {
        let browser = app.another_browser();
        let token = browser.csrf_token().await;
        let email = format!("person{n}@creators.example");
        let res = browser
            .client
            .post(browser.url("/signup"))
            .header("x-forwarded-for", from)
            .form(&[
                ("csrf_token", token.as_str()),
                ("account_type", "influencer"),
                ("email", &email),
                ("display_name", "Person"),
                ("password", PASSWORD),
            ])
            .send()
            .await
            .expect("POST");
        crate::helpers::Page::read(res).await
    };
    for n in 0..Limit::SIGNUPS.max {
        signup("198.51.100.7", n)
            .await
            .assert_redirect("/dashboard");
    }
    let page = signup("198.51.100.7", 99).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(retry_after(&page) > 0);
    assert!(
        page.body
            .contains("at most 10 new accounts from one network address in an hour")
    );
    assert!(
        page.body.contains(r#"value="person99@creators.example""#),
        "the email is kept"
    );
    assert_eq!(
        app.count("select count(*) from users where email = 'person99@creators.example'")
            .await,
        0
    );
    signup("203.0.113.9", 100)
        .await
        .assert_redirect("/dashboard");
}

#[tokio::test]
async fn password_reset_requests_are_limited_by_address_alike_for_every_email() {
    let app = spawn_behind_proxy(fresh_db().await).await;
    app.signup_influencer("aisha@creators.example", "Aisha")
        .await
        .assert_redirect("/dashboard");
    app.logout().await;
    spend(
        &app.db,
        &Limit::RESETS.from("127.0.0.1".parse().expect("ip")),
    )
    .await;
    let mut bodies = Vec::new();
    for email in ["aisha@creators.example", "nobody@creators.example"] {
        let page = app.post_form("/password/forgot", &[("email", email)]).await;
        assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(page.body.contains("at most 10 password reset requests"));
        assert!(page.body.contains(&format!(r#"value="{email}""#)));
        bodies.push(page.body.replace(email, "EMAIL"));
    }
    assert_eq!(bodies[0], bodies[1], "nothing tells the accounts apart");
    assert_eq!(app.count("select count(*) from password_resets").await, 0);
}

#[tokio::test]
async fn order_uploads_per_account_and_the_api_per_brand_on_each_instance() {
    let c = collaboration(fresh_db().await).await;
    let user: uuid::Uuid =
        sqlx::query_scalar("select user_id from brand_members where role = 'owner'")
            .fetch_one(&c.brand.db)
            .await
            .expect("owner");

    spend(&c.brand.db, &Limit::UPLOADS.of(user)).await;
    let page = upload(
        &c.brand,
        "orders.csv",
        b"order_id,amount,currency\n1,10.00,USD\n".to_vec(),
    )
    .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.headers.contains_key("retry-after"));
    assert!(
        page.body
            .contains("at most 20 order files from one account in an hour")
    );
    assert_eq!(
        c.brand
            .count("select count(*) from conversion_uploads")
            .await,
        0
    );

    // The API's limits are counted on each instance: one allowing three
    // requests a minute, on the same database.
    let key = token(&c.brand, "Shop").await;
    let strict = spawn_configured(
        c.brand.db.clone(),
        Config {
            api_requests_per_minute: 3,
            ..test_config(Environment::Development)
        },
    )
    .await;
    let order = |id: &str| {
        json!({"order_id": id, "amount": "45.99", "currency": "USD",
               "occurred_at": "2026-12-01T10:00:00Z"})
    };
    for id in ["1", "2", "3"] {
        let (status, _) = post(&strict, &key, &order(id)).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (status, body) = post(&strict, &key, &order("4")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        body["errors"][0]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("at most 3 API requests for one brand in a minute")),
        "{body}"
    );
    assert_eq!(c.brand.count("select count(*) from conversions").await, 3);
    let res = strict
        .client
        .get(strict.url("/api/v1/conversions/1"))
        .bearer_auth(&key)
        .send()
        .await
        .expect("GET");
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().contains_key("retry-after"));
}
