//! Each instance keeps recently used sessions for a few seconds; a change made
//! through another instance (or straight in the database) must still take effect
//! at once there, through the `liaison_sessions` notifications.

use std::time::{Duration, Instant};

use crate::helpers::{PASSWORD, Page, TestApp, fresh_db, spawn};

/// Notifications arrive in milliseconds; the deadline only keeps a broken
/// listener from hanging the test.
async fn eventually(app: &TestApp, path: &str, done: impl Fn(&Page) -> bool) -> Page {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let page = app.get(path).await;
        if done(&page) || Instant::now() > deadline {
            return page;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn signing_out_on_one_instance_ends_the_session_on_the_others() {
    let db = fresh_db().await;
    let a = spawn(db).await;
    a.wait_for_session_cache().await;
    let signup = a.signup_influencer("aisha@creators.example", "Aisha").await;
    let token = signup
        .cookie("liaison_session")
        .and_then(|c| {
            let (_, value) = c.split(';').next()?.split_once('=')?;
            Some(value.to_owned())
        })
        .expect("session cookie");
    let b = a.second_instance().await;
    // A stolen copy of the cookie, used on instance B: its second request is
    // served from B's copy of the session.
    let thief = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let replay = || {
        thief
            .get(b.url("/dashboard"))
            .header("cookie", format!("liaison_session={token}"))
            .send()
    };
    for _ in 0..2 {
        assert!(replay().await.expect("GET").status().is_success());
    }

    a.logout().await;

    let deadline = Instant::now() + Duration::from_secs(10);
    let mut status = replay().await.expect("GET").status();
    while status.is_success() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
        status = replay().await.expect("GET").status();
    }
    assert_eq!(status.as_u16(), 303);
}

#[tokio::test]
async fn a_session_deleted_in_the_database_is_refused() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    app.signup_influencer("aisha@creators.example", "Aisha")
        .await;
    assert!(app.get("/dashboard").await.status.is_success());

    sqlx::query("delete from sessions")
        .execute(&app.db)
        .await
        .expect("delete");

    let page = eventually(&app, "/dashboard", |p| p.status.is_redirection()).await;
    page.assert_redirect("/login?next=%2Fdashboard");
}

#[tokio::test]
async fn team_and_brand_changes_reach_every_instance() {
    let db = fresh_db().await;
    let owner = spawn(db).await;
    owner
        .signup_brand("maya@northwind.example", "Maya", "Northwind")
        .await;
    let leo = owner.another_browser();
    leo.signup_brand("leo@example.com", "Leo", "Leo's own")
        .await;
    // Leo's account leaves its own brand to join Northwind's team.
    sqlx::query("delete from brands where name = $1")
        .bind("Leo's own")
        .execute(&owner.db)
        .await
        .expect("delete brand");
    owner
        .post_form("/brand/members", &[("email", "leo@example.com")])
        .await
        .assert_redirect("/brand");
    let leo_elsewhere = leo.second_instance().await;
    let page = eventually(&leo_elsewhere, "/dashboard", |p| {
        p.body.contains("Northwind")
    })
    .await;
    assert!(page.body.contains("Northwind"), "{}", page.body);

    owner
        .post_form(
            "/brand",
            &[
                ("name", "Northwind Outdoor"),
                ("website", ""),
                ("industry", ""),
            ],
        )
        .await
        .assert_redirect("/brand");
    let page = eventually(&leo_elsewhere, "/dashboard", |p| {
        p.body.contains("Northwind Outdoor")
    })
    .await;
    assert!(page.body.contains("Northwind Outdoor"), "{}", page.body);

    let leo_id: uuid::Uuid = sqlx::query_scalar("select id from users where email = $1")
        .bind("leo@example.com")
        .fetch_one(&owner.db)
        .await
        .expect("leo");
    owner
        .post_form(&format!("/brand/members/{leo_id}/remove"), &[])
        .await
        .assert_redirect("/brand");
    let page = eventually(&leo_elsewhere, "/campaigns", |p| p.status.as_u16() == 403).await;
    assert_eq!(page.status.as_u16(), 403);

    // The password still works after all this, through either instance.
    leo_elsewhere.logout().await;
    leo_elsewhere
        .login("leo@example.com", PASSWORD)
        .await
        .assert_redirect("/dashboard");
}

#[tokio::test]
async fn a_new_channel_changes_what_fits_on_every_instance() {
    let db = fresh_db().await;
    let brand = crate::fixtures::brand(db).await;
    brand.wait_for_session_cache().await;
    crate::fixtures::published(&brand, &[("title", "Micro and mid on Instagram")]).await;
    let creator = brand.another_browser();
    creator
        .signup_influencer("aisha@creators.example", "Aisha")
        .await;
    let elsewhere = creator.second_instance().await;
    assert!(
        elsewhere
            .get("/campaigns")
            .await
            .body
            .contains("To see which campaigns fit you")
    );

    creator
        .post_form(
            "/profile/channels",
            &[
                ("platform", "instagram"),
                ("handle", "trailtales"),
                ("followers", "20000"),
                ("avg_likes", "300"),
            ],
        )
        .await
        .assert_redirect("/profile#channels");

    let page = eventually(&elsewhere, "/campaigns", |p| {
        p.body.contains("Fits your tier and platforms")
    })
    .await;
    assert!(page.body.contains("Fits your tier and platforms"));
}
