//! Requests the app cannot read get a 400 page that says what was wrong, never
//! the "something went wrong" of a server fault.

use reqwest::StatusCode;

use crate::{
    fixtures::{brand, creator, post, published, valid_form},
    helpers::{TestApp, fresh_db, spawn},
};

const NUL: &str = "a\0b";

async fn get_with(app: &TestApp, path: &str, query: &[(&str, &str)]) -> StatusCode {
    let query = serde_urlencoded::to_string(query).expect("query");
    app.client
        .get(app.url(&format!("{path}?{query}")))
        .send()
        .await
        .expect("GET")
        .status()
}

#[tokio::test]
async fn a_field_sent_twice_brings_the_form_back_filled_in_with_the_message_by_it() {
    let db = fresh_db().await;
    let app = brand(db).await;
    let mut form = valid_form();
    form.push(("starts_on", "2030-01-01".to_owned()));

    let res = post(&app, "/campaigns", &form).await;

    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let message = "The form sent “starts_on” more than once; the first value is kept.";
    assert!(
        res.body.contains(&format!(
            r#"<p class="field-error" id="starts_on-error">{message}"#
        )),
        "{}",
        res.body
    );
    assert!(
        res.body.contains(r#"value="Trail-tested autumn jackets""#),
        "typed title kept"
    );
    assert!(!res.body.contains("Something went wrong"));
    assert_eq!(app.count("select count(*) from campaigns").await, 0);
}

#[tokio::test]
async fn a_nul_in_a_form_field_comes_back_named_by_the_field_and_nothing_is_saved() {
    let db = fresh_db().await;
    let visitor = spawn(db.clone()).await;
    let res = visitor
        .post_form(
            "/login",
            &[("email", "maya@north\0wind.example"), ("password", "x")],
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(
        res.body.contains("“email” held a NUL character"),
        "{}",
        res.body
    );
    assert!(res.body.contains(r#"value="maya@northwind.example""#));

    let res = visitor
        .post_form(
            "/signup",
            &[
                ("account_type", "brand"),
                ("email", "a@b.example"),
                ("display_name", NUL),
                ("password", "long enough password"),
                ("brand_name", "Acme"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(
        res.body.contains(
            r#"<p class="field-error" id="display_name-error">“display_name” held a NUL character"#
        ),
        "{}",
        res.body
    );
    assert!(res.body.contains(r#"value="a@b.example""#));
    assert_eq!(visitor.count("select count(*) from users").await, 0);
    assert_eq!(
        get_with(&visitor, "/login", &[("next", NUL)]).await,
        StatusCode::BAD_REQUEST
    );

    let brand = brand(db).await;
    let campaign = published(&brand, &[]).await;
    for query in [("q", NUL), ("niche", NUL), ("country", NUL)] {
        assert_eq!(
            get_with(&brand, "/influencers", &[query]).await,
            StatusCode::BAD_REQUEST,
            "{query:?}"
        );
    }
    let res = brand
        .post_form(
            &format!("{campaign}/invitations"),
            &[("influencer_id", "x"), ("back", NUL)],
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(
        res.body.contains("“back” held a NUL character"),
        "{}",
        res.body
    );

    let creator = creator(&brand, "aisha@creators.example", "Aisha").await;
    let board = creator.get(&format!("/campaigns?niche={}", "a%00b")).await;
    assert_eq!(board.status, StatusCode::BAD_REQUEST);
    assert!(board.body.contains("“niche” held a NUL character"));
    let res = creator.post_form("/profile", &[("bio", NUL)]).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
}
