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
async fn a_field_sent_twice_is_named_on_a_400_page() {
    let db = fresh_db().await;
    let app = brand(db).await;
    let mut form = valid_form();
    form.push(("starts_on", "2030-01-01".to_owned()));

    let res = post(&app, "/campaigns", &form).await;

    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(
        res.body
            .contains("The form sent “starts_on” more than once"),
        "{}",
        res.body
    );
    assert!(!res.body.contains("Something went wrong"));
}

#[tokio::test]
async fn a_nul_in_a_form_field_or_query_parameter_is_a_400_never_a_500() {
    let db = fresh_db().await;
    let visitor = spawn(db.clone()).await;
    for (path, fields) in [
        ("/login", vec![("email", NUL), ("password", "x")]),
        (
            "/signup",
            vec![
                ("account_type", "brand"),
                ("email", "a@b.example"),
                ("display_name", NUL),
                ("password", "long enough password"),
                ("brand_name", "Acme"),
            ],
        ),
    ] {
        let res = visitor.post_form(path, &fields).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{path}: {}", res.body);
        assert!(res.body.contains("holds a NUL character"), "{path}");
    }
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
    for (path, fields) in [
        (
            format!("{campaign}/invitations"),
            vec![("influencer_id", "x"), ("back", NUL)],
        ),
        ("/brand".to_owned(), vec![("name", NUL)]),
        ("/campaigns".to_owned(), vec![("title", NUL)]),
    ] {
        let res = brand.post_form(&path, &fields).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{path}: {}", res.body);
    }

    let creator = creator(&brand, "aisha@creators.example", "Aisha").await;
    assert_eq!(
        get_with(&creator, "/campaigns", &[("niche", NUL)]).await,
        StatusCode::BAD_REQUEST
    );
    let res = creator.post_form("/profile", &[("bio", NUL)]).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
}
