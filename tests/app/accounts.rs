use reqwest::StatusCode;

use crate::helpers::{PASSWORD, fresh_db, spawn, spawn_behind_proxy};

#[tokio::test]
async fn signing_up_as_a_brand_creates_the_brand_and_signs_in_its_owner() {
    let db = fresh_db().await;
    let app = spawn(db).await;

    let res = app
        .signup_brand(
            "maya@northwind.example",
            "Maya Lindqvist",
            "Northwind Outdoor",
        )
        .await;

    res.assert_redirect("/dashboard");
    let dashboard = app.get("/dashboard").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(
        dashboard
            .body
            .contains("Welcome to Liaison, Maya Lindqvist!"),
        "flash shown"
    );
    assert!(dashboard.body.contains("Northwind Outdoor"));
    assert!(dashboard.body.contains("No campaigns yet."));
    let owners = app
        .count(
            "select count(*) from brand_members m join brands b on b.id = m.brand_id
              where b.name = 'Northwind Outdoor' and m.role = 'owner'",
        )
        .await;
    assert_eq!(owners, 1);
}

#[tokio::test]
async fn signing_up_as_an_influencer_creates_an_empty_profile() {
    let db = fresh_db().await;
    let app = spawn(db).await;

    let res = app
        .signup_influencer("aisha@creators.example", "Aisha Khan")
        .await;

    res.assert_redirect("/dashboard");
    let dashboard = app.get("/dashboard").await;
    assert!(dashboard.body.contains("Brands can't find you yet."));
    assert_eq!(
        app.count("select count(*) from influencer_profiles").await,
        1
    );
    assert_eq!(app.count("select count(*) from brands").await, 0);
}

#[tokio::test]
async fn sign_up_errors_are_shown_next_to_the_fields_and_keep_what_was_typed() {
    let db = fresh_db().await;
    let app = spawn(db).await;

    let res = app
        .post_form(
            "/signup",
            &[
                ("account_type", "brand"),
                ("email", "not-an-email"),
                ("display_name", "Maya"),
                ("brand_name", ""),
                ("password", "short"),
            ],
        )
        .await;

    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains(r#"id="email-error""#));
    assert!(
        res.body
            .contains("Enter an email address like name@example.com.")
    );
    assert!(res.body.contains(r#"id="password-error""#));
    assert!(res.body.contains("Use at least 10 characters"));
    assert!(res.body.contains(r#"id="brand_name-error""#));
    assert!(
        res.body.contains(r#"value="not-an-email""#),
        "typed email kept"
    );
    assert!(res.body.contains(r#"value="Maya""#), "typed name kept");
    assert!(
        res.body.contains(r#"value="brand" checked"#),
        "account type kept"
    );
    assert!(
        !res.body.contains("short"),
        "passwords are never echoed back"
    );
    assert_eq!(
        app.count("select count(*) from users").await,
        0,
        "nothing half-saved"
    );
}

#[tokio::test]
async fn an_email_can_hold_only_one_account_and_nothing_is_half_saved() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    app.signup_brand("maya@northwind.example", "Maya", "Northwind")
        .await;

    let second = app.another_browser();
    let res = second
        .signup_brand("MAYA@northwind.example ", "Someone Else", "Copycat Ltd")
        .await;

    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body
            .contains("An account with this email already exists.")
    );
    assert_eq!(app.count("select count(*) from users").await, 1);
    assert_eq!(
        app.count("select count(*) from brands").await,
        1,
        "no orphan brand"
    );
}

#[tokio::test]
async fn logging_in_with_the_right_password_lands_on_the_dashboard() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    app.signup_influencer("aisha@creators.example", "Aisha Khan")
        .await;
    app.logout().await;

    let res = app.login("Aisha@Creators.example", PASSWORD).await;

    res.assert_redirect("/dashboard");
    let session = res.cookie("liaison_session").expect("a session cookie");
    assert!(session.contains("HttpOnly"), "{session}");
    assert!(session.contains("SameSite=Lax"), "{session}");
    assert!(
        !session.contains("Secure"),
        "plain http in development: {session}"
    );
    let dashboard = app.get("/dashboard").await;
    assert!(dashboard.body.contains("Welcome, Aisha Khan"));
}

#[tokio::test]
async fn logging_in_returns_to_the_page_that_asked_for_it() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    app.signup_influencer("aisha@creators.example", "Aisha Khan")
        .await;
    app.logout().await;

    let asked = app.get("/account").await;
    asked.assert_redirect("/login?next=%2Faccount");
    let form = app.get(asked.location()).await;
    assert!(form.body.contains(r#"name="next" value="/account""#));
    let res = app
        .post_form(
            "/login",
            &[
                ("email", "aisha@creators.example"),
                ("password", PASSWORD),
                ("next", "/account"),
            ],
        )
        .await;
    res.assert_redirect("/account");

    app.logout().await;
    let offsite = app
        .post_form(
            "/login",
            &[
                ("email", "aisha@creators.example"),
                ("password", PASSWORD),
                ("next", "//evil.example"),
            ],
        )
        .await;
    offsite.assert_redirect("/dashboard");
}

#[tokio::test]
async fn each_login_starts_a_new_session() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    let first = app
        .signup_influencer("aisha@creators.example", "Aisha")
        .await;
    let second = app
        .another_browser()
        .login("aisha@creators.example", PASSWORD)
        .await;

    let a = first.cookie("liaison_session").expect("cookie");
    let b = second.cookie("liaison_session").expect("cookie");
    assert_ne!(a, b);
    assert_eq!(app.count("select count(*) from sessions").await, 2);
    assert_eq!(
        app.count("select count(*) from sessions where octet_length(token_hash) = 32")
            .await,
        2,
        "only hashes are stored"
    );
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    app.signup_influencer("aisha@creators.example", "Aisha")
        .await;
    app.logout().await;

    let wrong = app
        .login("aisha@creators.example", "not the password")
        .await;
    let unknown = app
        .login("nobody@creators.example", "not the password")
        .await;

    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, wrong.status);
    assert!(
        wrong
            .body
            .contains("That email and password do not match an account.")
    );
    assert_eq!(
        wrong.body.replace("aisha@creators.example", "EMAIL"),
        unknown.body.replace("nobody@creators.example", "EMAIL"),
        "the two pages differ only by the email typed"
    );
    assert!(wrong.cookie("liaison_session").is_none());
}

#[tokio::test]
async fn logging_out_ends_the_session_on_the_server() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    let signup = app
        .signup_influencer("aisha@creators.example", "Aisha")
        .await;
    let cookie = signup.cookie("liaison_session").expect("cookie");
    let token = cookie
        .split(';')
        .next()
        .and_then(|kv| kv.split_once('='))
        .map(|(_, v)| v.to_owned())
        .expect("token");

    let res = app.logout().await;

    res.assert_redirect("/");
    assert!(
        app.get("/")
            .await
            .body
            .contains("You have been logged out.")
    );
    app.get("/dashboard")
        .await
        .assert_redirect("/login?next=%2Fdashboard");
    assert_eq!(app.count("select count(*) from sessions").await, 0);
    // Replaying the old cookie gets nowhere.
    let replay = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .get(app.url("/dashboard"))
        .header("cookie", format!("liaison_session={token}"))
        .send()
        .await
        .expect("GET");
    assert_eq!(replay.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_signs_out_other_devices() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    app.signup_brand("maya@northwind.example", "Maya", "Northwind")
        .await;
    let laptop = app.another_browser();
    laptop.login("maya@northwind.example", PASSWORD).await;

    let refused = app
        .post_form(
            "/account/password",
            &[
                ("current_password", "not my password"),
                ("new_password", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("That is not your current password."));

    let too_short = app
        .post_form(
            "/account/password",
            &[("current_password", PASSWORD), ("new_password", "short")],
        )
        .await;
    assert_eq!(too_short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_short.body.contains(r#"id="new_password-error""#));

    let changed = app
        .post_form(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "a brand new passphrase"),
            ],
        )
        .await;
    changed.assert_redirect("/account");
    assert!(
        app.get("/account")
            .await
            .body
            .contains("Your password has been changed.")
    );
    laptop
        .get("/dashboard")
        .await
        .assert_redirect("/login?next=%2Fdashboard");
    app.logout().await;
    assert_eq!(
        app.login("maya@northwind.example", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    app.login("maya@northwind.example", "a brand new passphrase")
        .await
        .assert_redirect("/dashboard");
}

#[tokio::test]
async fn repeated_failures_on_one_account_are_throttled() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    app.signup_influencer("aisha@creators.example", "Aisha")
        .await;
    app.logout().await;

    for _ in 0..5 {
        let res = app
            .login("aisha@creators.example", "guess guess guess")
            .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    }
    let locked = app.login("aisha@creators.example", PASSWORD).await;

    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert!(
        locked
            .body
            .contains("Too many unsuccessful sign-in attempts")
    );
    let retry: u64 = locked.headers["retry-after"]
        .to_str()
        .expect("text")
        .parse()
        .expect("seconds");
    assert!((1..=15 * 60).contains(&retry), "{retry}");
    // Other accounts are unaffected.
    let other = app.another_browser();
    other.signup_influencer("ben@creators.example", "Ben").await;
    other.logout().await;
    other
        .login("ben@creators.example", PASSWORD)
        .await
        .assert_redirect("/dashboard");
}

#[tokio::test]
async fn throttling_treats_unknown_emails_like_real_ones() {
    let db = fresh_db().await;
    let app = spawn(db).await;

    for _ in 0..5 {
        app.login("nobody@creators.example", "guess guess guess")
            .await;
    }

    let res = app
        .login("nobody@creators.example", "guess guess guess")
        .await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn repeated_failures_from_one_address_are_throttled() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    app.signup_influencer("aisha@creators.example", "Aisha")
        .await;
    app.logout().await;

    for i in 0..20 {
        let res = app
            .login(&format!("someone{i}@creators.example"), "guess guess guess")
            .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    }

    let res = app.login("aisha@creators.example", PASSWORD).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn failures_from_other_addresses_never_stop_the_owner_signing_in() {
    let db = fresh_db().await;
    let app = spawn_behind_proxy(db).await;
    app.signup_influencer("aisha@creators.example", "Aisha")
        .await;
    app.logout().await;

    // Someone guesses from many addresses, each staying under its own limit.
    for n in 0..12 {
        let res = app
            .login_from(
                &format!("203.0.113.{n}"),
                "aisha@creators.example",
                "guess guess guess",
            )
            .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    }
    // The owner, from an address that has not failed, gets in.
    app.login_from("198.51.100.7", "aisha@creators.example", PASSWORD)
        .await
        .assert_redirect("/dashboard");
}

#[tokio::test]
async fn guessing_from_one_address_is_still_stopped_behind_a_load_balancer() {
    let db = fresh_db().await;
    let app = spawn_behind_proxy(db).await;
    app.signup_influencer("aisha@creators.example", "Aisha")
        .await;
    app.logout().await;

    for _ in 0..5 {
        let res = app
            .login_from("203.0.113.9", "aisha@creators.example", "guess guess guess")
            .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    }
    let refused = app
        .login_from("203.0.113.9", "aisha@creators.example", PASSWORD)
        .await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    // The same account from elsewhere is not refused.
    app.login_from("198.51.100.7", "aisha@creators.example", PASSWORD)
        .await
        .assert_redirect("/dashboard");
}
