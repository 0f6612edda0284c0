use reqwest::StatusCode;
use sqlx::PgPool;

use crate::helpers::{PASSWORD, Page, TestApp, fresh_db, spawn};

async fn owner(db: PgPool) -> TestApp {
    let app = spawn(db).await;
    app.signup_brand(
        "maya@northwind.example",
        "Maya Lindqvist",
        "Northwind Outdoor",
    )
    .await
    .assert_redirect("/dashboard");
    app
}

/// The path of the invitation link shown once on the brand page.
fn invitation_path(page: &Page) -> String {
    let start = page.body.find("/invitations/").expect("an invitation link");
    let end = page.body[start..].find('"').expect("end of link");
    page.body[start..start + end].to_owned()
}

/// Invites `email` to the owner's brand and accepts in another browser, signed in there.
async fn invite_and_join(app: &TestApp, email: &str, name: &str) -> TestApp {
    let invited = app.post_form("/brand/members", &[("email", email)]).await;
    let colleague = app.another_browser();
    colleague
        .post_form(
            &invitation_path(&invited),
            &[("display_name", name), ("password", PASSWORD)],
        )
        .await
        .assert_redirect("/dashboard");
    colleague
}

async fn user_id(app: &TestApp, email: &str) -> uuid::Uuid {
    sqlx::query_scalar("select id from users where email = $1")
        .bind(email)
        .fetch_one(&app.db)
        .await
        .expect("user")
}

#[tokio::test]
async fn a_member_keeps_the_brand_profile_up_to_date() {
    let db = fresh_db().await;
    let app = owner(db).await;

    let res = app
        .post_form(
            "/brand",
            &[
                ("name", "Northwind Outdoor Co."),
                ("website", "https://northwind.example"),
                ("industry", "Outdoor gear"),
                ("description", "Jackets that last a decade."),
                ("business_goals", "Grow repeat purchases among hikers."),
                ("brand_voice", "Plain, warm, practical."),
            ],
        )
        .await;

    res.assert_redirect("/brand");
    let page = app.get("/brand").await;
    assert!(page.body.contains("Brand profile saved."));
    assert!(page.body.contains(r#"value="https://northwind.example""#));
    assert!(page.body.contains("Grow repeat purchases among hikers."));
    assert!(
        app.get("/dashboard")
            .await
            .body
            .contains("Northwind Outdoor Co."),
        "the new name is used everywhere"
    );
}

#[tokio::test]
async fn profile_errors_are_shown_by_their_fields_and_nothing_is_saved() {
    let db = fresh_db().await;
    let app = owner(db).await;
    let long = "x".repeat(5001);

    let res = app
        .post_form(
            "/brand",
            &[
                ("name", ""),
                ("website", "javascript:alert(1)"),
                ("industry", "Outdoor gear"),
                ("description", &long),
            ],
        )
        .await;

    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains(r#"id="name-error""#));
    assert!(res.body.contains(r#"id="website-error""#));
    assert!(res.body.contains(r#"id="description-error""#));
    assert!(
        res.body.contains(r#"value="javascript:alert(1)""#),
        "typed value kept"
    );
    assert!(res.body.contains(r#"value="Outdoor gear""#));
    assert_eq!(
        app.count("select count(*) from brands where name = 'Northwind Outdoor' and industry = ''")
            .await,
        1,
        "unchanged"
    );
}

#[tokio::test]
async fn an_invitation_link_signs_a_new_colleague_up_into_the_brand() {
    let db = fresh_db().await;
    let app = owner(db).await;

    let invited = app
        .post_form("/brand/members", &[("email", "Leo@Northwind.example")])
        .await;
    assert_eq!(invited.status, StatusCode::OK);
    assert!(
        invited
            .body
            .contains("leo@northwind.example doesn&#39;t have an account yet")
            || invited
                .body
                .contains("leo@northwind.example doesn't have an account yet")
    );
    let link = invitation_path(&invited);
    assert!(app.get("/brand").await.body.contains("Open invitations"));

    let leo = app.another_browser();
    let form = leo.get(&link).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Join Northwind Outdoor on Liaison"));
    let short = leo
        .post_form(
            &link,
            &[("display_name", "Leo Ortega"), ("password", "short")],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body.contains(r#"value="Leo Ortega""#));
    leo.post_form(
        &link,
        &[("display_name", "Leo Ortega"), ("password", PASSWORD)],
    )
    .await
    .assert_redirect("/dashboard");

    let dashboard = leo.get("/dashboard").await;
    assert!(
        dashboard
            .body
            .contains("Welcome to Northwind Outdoor, Leo Ortega!")
    );
    assert_eq!(
        app.count(
            "select count(*) from brand_members m join users u on u.id = m.user_id
              where u.email = 'leo@northwind.example' and m.role = 'member'"
        )
        .await,
        1
    );
    let used_again = app.another_browser().get(&link).await;
    assert_eq!(used_again.status, StatusCode::NOT_FOUND);
    assert!(used_again.body.contains("This invitation can"));
}

#[tokio::test]
async fn a_revoked_invitation_link_stops_working() {
    let db = fresh_db().await;
    let app = owner(db).await;
    let invited = app
        .post_form("/brand/members", &[("email", "leo@northwind.example")])
        .await;
    let link = invitation_path(&invited);
    let id: uuid::Uuid = sqlx::query_scalar("select id from brand_invitations")
        .fetch_one(&app.db)
        .await
        .expect("invitation");

    app.post_form(&format!("/brand/invitations/{id}/revoke"), &[])
        .await
        .assert_redirect("/brand");

    assert_eq!(
        app.another_browser().get(&link).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_removed_member_can_be_added_back_at_once() {
    let db = fresh_db().await;
    let app = owner(db).await;
    let leo = invite_and_join(&app, "leo@northwind.example", "Leo").await;
    let leo_id = user_id(&app, "leo@northwind.example").await;

    app.post_form(&format!("/brand/members/{leo_id}/remove"), &[])
        .await
        .assert_redirect("/brand");
    assert!(leo.get("/dashboard").await.body.contains("not on a brand"));
    assert_eq!(leo.get("/brand").await.status, StatusCode::FORBIDDEN);

    app.post_form("/brand/members", &[("email", "leo@northwind.example")])
        .await
        .assert_redirect("/brand");
    assert!(
        app.get("/brand")
            .await
            .body
            .contains("Leo joined Northwind Outdoor.")
    );
    assert_eq!(leo.get("/brand").await.status, StatusCode::OK);
}

#[tokio::test]
async fn accounts_that_cannot_join_are_refused_with_a_reason() {
    let db = fresh_db().await;
    let app = owner(db).await;
    app.another_browser()
        .signup_influencer("aisha@creators.example", "Aisha")
        .await;
    app.another_browser()
        .signup_brand("ana@lumen.example", "Ana", "Lumen Skincare")
        .await;

    let influencer = app
        .post_form("/brand/members", &[("email", "aisha@creators.example")])
        .await;
    let other_brand = app
        .post_form("/brand/members", &[("email", "ana@lumen.example")])
        .await;
    let myself = app
        .post_form("/brand/members", &[("email", "maya@northwind.example")])
        .await;
    let malformed = app
        .post_form("/brand/members", &[("email", "not an email")])
        .await;

    for res in [&influencer, &other_brand, &myself, &malformed] {
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains(r#"id="email-error""#));
    }
    assert!(influencer.body.contains("is not a brand account"));
    assert!(other_brand.body.contains("already works for another brand"));
    assert!(myself.body.contains("already on your team"));
    assert!(malformed.body.contains(r#"value="not an email""#));
    assert_eq!(app.count("select count(*) from brand_members").await, 2);
    assert_eq!(app.count("select count(*) from brand_invitations").await, 0);
}

#[tokio::test]
async fn members_act_for_the_brand_but_only_the_owner_manages_the_team() {
    let db = fresh_db().await;
    let app = owner(db).await;
    let leo = invite_and_join(&app, "leo@northwind.example", "Leo").await;
    let maya_id = user_id(&app, "maya@northwind.example").await;

    let page = leo.get("/brand").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Add a member"));
    leo.post_form("/brand", &[("name", "Northwind"), ("industry", "Outdoor")])
        .await
        .assert_redirect("/brand");

    let add = leo
        .post_form("/brand/members", &[("email", "someone@northwind.example")])
        .await;
    assert_eq!(add.status, StatusCode::FORBIDDEN);
    let remove = leo
        .post_form(&format!("/brand/members/{maya_id}/remove"), &[])
        .await;
    assert_eq!(remove.status, StatusCode::FORBIDDEN);
    let remove_owner = app
        .post_form(&format!("/brand/members/{maya_id}/remove"), &[])
        .await;
    assert_eq!(
        remove_owner.status,
        StatusCode::NOT_FOUND,
        "the owner cannot be removed"
    );
}

#[tokio::test]
async fn another_brands_members_and_invitations_are_out_of_reach() {
    let db = fresh_db().await;
    let app = owner(db).await;
    invite_and_join(&app, "leo@northwind.example", "Leo").await;
    app.post_form("/brand/members", &[("email", "zoe@northwind.example")])
        .await;
    let leo_id = user_id(&app, "leo@northwind.example").await;
    let invitation_id: uuid::Uuid =
        sqlx::query_scalar("select id from brand_invitations where accepted_at is null")
            .fetch_one(&app.db)
            .await
            .expect("invitation");

    let rival = app.another_browser();
    rival
        .signup_brand("ana@lumen.example", "Ana", "Lumen Skincare")
        .await;
    let remove = rival
        .post_form(&format!("/brand/members/{leo_id}/remove"), &[])
        .await;
    let revoke = rival
        .post_form(&format!("/brand/invitations/{invitation_id}/revoke"), &[])
        .await;

    assert_eq!(remove.status, StatusCode::NOT_FOUND);
    assert_eq!(revoke.status, StatusCode::NOT_FOUND);
    assert_eq!(app.count("select count(*) from brand_members").await, 3);
    assert_eq!(
        app.count("select count(*) from brand_invitations where accepted_at is null")
            .await,
        1
    );
    let rival_page = rival.get("/brand").await;
    assert!(!rival_page.body.contains("leo@northwind.example"));
    assert!(!rival_page.body.contains("zoe@northwind.example"));
}

#[tokio::test]
async fn influencers_and_admins_have_no_brand_page() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    app.signup_influencer("aisha@creators.example", "Aisha")
        .await;
    assert_eq!(app.get("/brand").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.post_form("/brand/members", &[("email", "x@y.example")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    let admin = app.another_browser();
    admin.create_admin("jordan@liaison.example").await;
    admin.login("jordan@liaison.example", PASSWORD).await;
    assert_eq!(admin.get("/brand").await.status, StatusCode::FORBIDDEN);
}

/// The invitation link starts with the site's configured address
/// (`LIAISON_PUBLIC_URL`), whatever `Host` the request names: a forged one
/// cannot make the link lead elsewhere.
#[tokio::test]
async fn an_invitation_link_uses_the_sites_address_not_the_requests_host() {
    let app = owner(fresh_db().await).await;
    let token = app.csrf_token().await;
    let res = app
        .client
        .post(app.url("/brand/members"))
        .header(reqwest::header::HOST, "evil.example")
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", "ola@northwind.example"),
        ])
        .send()
        .await
        .expect("POST");
    let body = res.text().await.expect("body");
    assert!(body.contains("http://liaison.test/invitations/"), "{body}");
    assert!(!body.contains("evil.example"), "{body}");
}
