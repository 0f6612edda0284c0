use liaison::config::Environment;
use reqwest::StatusCode;

use crate::helpers::{PASSWORD, fresh_db, spawn, spawn_with};

#[tokio::test]
async fn a_form_without_a_csrf_token_is_refused_and_changes_nothing() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    app.get("/signup").await; // has the CSRF cookie, but sends no token

    let res = app
        .post_form_raw(
            "/signup",
            &[
                ("account_type", "influencer"),
                ("email", "aisha@creators.example"),
                ("display_name", "Aisha"),
                ("password", PASSWORD),
            ],
        )
        .await;

    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(res.body.contains("Form expired"), "styled 403 page");
    assert_eq!(app.count("select count(*) from users").await, 0);
}

#[tokio::test]
async fn a_wrong_csrf_token_or_one_from_another_browser_is_refused() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    let other_token = app.another_browser().csrf_token().await;
    app.get("/login").await;

    let forged = app
        .post_form_raw(
            "/login",
            &[
                ("csrf_token", "forged"),
                ("email", "a@b.co"),
                ("password", "x"),
            ],
        )
        .await;
    let foreign = app
        .post_form_raw(
            "/login",
            &[
                ("csrf_token", &other_token),
                ("email", "a@b.co"),
                ("password", "x"),
            ],
        )
        .await;

    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn htmx_requests_may_carry_the_token_in_a_header() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    app.signup_influencer("aisha@creators.example", "Aisha")
        .await;
    let token = app.csrf_token().await;

    let without = app
        .client
        .post(app.url("/logout"))
        .send()
        .await
        .expect("POST");
    assert_eq!(without.status(), StatusCode::FORBIDDEN);
    let with = app
        .client
        .post(app.url("/logout"))
        .header("x-csrf-token", token)
        .send()
        .await
        .expect("POST");
    assert_eq!(with.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let db = fresh_db().await;
    let app = spawn(db).await;

    for path in [
        "/",
        "/login",
        "/healthz",
        "/missing",
        &liaison::web::assets::url("app.css"),
    ] {
        let res = app.get(path).await;
        let csp = res.headers["content-security-policy"]
            .to_str()
            .expect("csp");
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(res.headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(
            res.headers["referrer-policy"],
            "strict-origin-when-cross-origin"
        );
        assert!(res.headers.get("x-request-id").is_some(), "{path}");
        assert!(
            res.headers.get("strict-transport-security").is_none(),
            "no HSTS over plain http in development"
        );
    }
}

#[tokio::test]
async fn production_adds_hsts_and_secure_cookies() {
    let db = fresh_db().await;
    let app = spawn_with(db, Environment::Production).await;

    let res = app.get("/login").await;

    assert!(
        res.headers["strict-transport-security"]
            .to_str()
            .expect("hsts")
            .starts_with("max-age=")
    );
    let csrf = res.cookie("liaison_csrf").expect("csrf cookie");
    assert!(
        csrf.contains("Secure") && csrf.contains("HttpOnly"),
        "{csrf}"
    );
}

#[tokio::test]
async fn text_people_type_is_escaped_on_every_page() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    let name = r#"<script>alert("pwned")</script>"#;

    app.signup_brand("maya@northwind.example", name, "<b>Bold</b> & Co")
        .await;

    let dashboard = app.get("/dashboard").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(!dashboard.body.contains("<script>alert"));
    assert!(
        dashboard
            .body
            .contains("&#60;script&#62;alert(&#34;pwned&#34;)&#60;/script&#62;")
    );
    assert!(!dashboard.body.contains("<b>Bold</b>"));
    assert!(
        dashboard
            .body
            .contains("&#60;b&#62;Bold&#60;/b&#62; &#38; Co")
    );
}

#[tokio::test]
async fn request_bodies_over_one_mebibyte_are_refused_with_413() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    let token = app.csrf_token().await;
    let huge = "x".repeat(1024 * 1024 + 1);

    let res = app
        .client
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", "a@b.co"),
            ("password", &huge),
        ])
        .send()
        .await
        .expect("POST");

    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body = res.text().await.expect("body");
    assert!(body.contains("Too much data"), "styled 413 page");

    // Just under the limit is fine (and is merely a wrong password).
    let fine = app.login("a@b.co", &"x".repeat(1000)).await;
    assert_eq!(fine.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_brand_user_gets_403_on_admin_pages() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    app.signup_brand("maya@northwind.example", "Maya", "Northwind")
        .await;

    let res = app.get("/admin").await;

    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(
        res.body.contains("You don&#39;t have access to this page.")
            || res.body.contains("You don't have access to this page.")
    );
    assert!(
        res.body.contains(r#"href="/dashboard""#),
        "the error page keeps the navigation"
    );
}

#[tokio::test]
async fn an_influencer_gets_403_on_admin_pages() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    app.signup_influencer("aisha@creators.example", "Aisha")
        .await;

    assert_eq!(app.get("/admin").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn signed_out_visitors_are_sent_to_log_in() {
    let db = fresh_db().await;
    let app = spawn(db).await;

    app.get("/admin")
        .await
        .assert_redirect("/login?next=%2Fadmin");
    app.get("/dashboard")
        .await
        .assert_redirect("/login?next=%2Fdashboard");
    app.get("/account")
        .await
        .assert_redirect("/login?next=%2Faccount");
}

#[tokio::test]
async fn an_admin_sees_the_console_with_accounts_and_the_audit_trail() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    app.another_browser()
        .signup_brand(
            "maya@northwind.example",
            "Maya Lindqvist",
            "Northwind Outdoor",
        )
        .await;
    app.create_admin("jordan@liaison.example").await;
    app.login("jordan@liaison.example", PASSWORD)
        .await
        .assert_redirect("/dashboard");

    let console = app.get("/admin").await;

    assert_eq!(console.status, StatusCode::OK);
    assert!(console.body.contains("maya@northwind.example"));
    assert!(console.body.contains("Northwind Outdoor"));
    assert!(console.body.contains("Signed up"));
    assert!(console.body.contains("Logged in"));
    let dashboard = app.get("/dashboard").await;
    assert!(dashboard.body.contains("Open the admin console"));
}
