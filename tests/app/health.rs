use std::time::Duration;

use liaison::{config::Environment, db, state::AppState};
use reqwest::StatusCode;

use crate::helpers::{fresh_db, serve, spawn, test_config};

#[tokio::test]
async fn healthz_says_the_process_is_up() {
    let db = fresh_db().await;
    let app = spawn(db).await;

    let res = app.get("/healthz").await;

    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.headers["content-type"], "application/json");
    assert_eq!(res.body, r#"{"status":"ok"}"#);
}

#[tokio::test]
async fn readyz_says_the_database_is_reachable() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    app.wait_for_session_cache().await;

    let res = app.get("/readyz").await;

    assert_eq!(res.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&res.body).expect("json");
    assert_eq!(json["status"], "ready");
    assert_eq!(json["database"], "ok");
    assert_eq!(json["session_cache"], "on");
}

/// A pool pointed at a port where no database listens behaves like an outage.
#[tokio::test]
async fn a_database_outage_gives_503_pages_while_healthz_stays_up() {
    let pool = db::pool_options(2, db::Work::Requests)
        .acquire_timeout(Duration::from_millis(500))
        .connect_lazy("postgres://liaison@127.0.0.1:1/liaison")
        .expect("lazy pool");
    let state = AppState::new(pool, test_config(Environment::Development));
    let addr = serve(state).await;
    let client = reqwest::Client::new();
    let get = |path: &'static str, cookie: &'static str| {
        client
            .get(format!("http://{addr}{path}"))
            .header("cookie", cookie)
            .send()
    };

    let healthz = get("/healthz", "").await.expect("GET");
    assert_eq!(healthz.status(), StatusCode::OK);

    let readyz = get("/readyz", "").await.expect("GET");
    assert_eq!(readyz.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(readyz.text().await.expect("body").contains("unreachable"));

    // A signed-in visitor's session cannot be looked up.
    let page = get("/dashboard", "liaison_session=abc").await.expect("GET");
    assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.headers().contains_key("retry-after"));
    let body = page.text().await.expect("body");
    assert!(body.contains("Temporarily unavailable"), "{body}");
    assert!(body.contains("<nav"), "a full styled page");
}

/// Requests' connections give up on a statement after 15 s and on an open
/// transaction after a minute; the jobs' and the command line's never do.
#[tokio::test]
async fn request_connections_time_out_and_background_ones_do_not() {
    let url = crate::database::url_for(&fresh_db().await);
    let show = async |work: db::Work| {
        let pool = db::connect(&url, 1, work).await.expect("connect");
        let settings: (String, String) = sqlx::query_as(
            "select current_setting('statement_timeout'),
                    current_setting('idle_in_transaction_session_timeout')",
        )
        .fetch_one(&pool)
        .await
        .expect("settings");
        pool.close().await;
        settings
    };
    assert_eq!(
        show(db::Work::Requests).await,
        ("15s".to_owned(), "1min".to_owned())
    );
    assert_eq!(
        show(db::Work::Background).await,
        ("0".to_owned(), "0".to_owned())
    );
}
