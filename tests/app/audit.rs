//! The audit trail: a tamper-evident chain, append-only in the database,
//! searched and downloaded from the console; every movement of money is in it.

use liaison::audit::chain;
use reqwest::StatusCode;
use sqlx::PgPool;

use crate::{
    fixtures::{self, agency},
    helpers::fresh_db,
};

async fn sealed(db: &PgPool) -> chain::Report {
    chain::seal_all(db).await.expect("seal");
    chain::verify(db).await.expect("verify")
}

#[tokio::test]
async fn the_chain_holds_every_event_in_order_and_names_the_first_that_was_changed() {
    let db = fresh_db().await;
    let brand = fixtures::brand(db.clone()).await;
    let admin = agency(&brand).await;
    admin.logout().await;

    let report = sealed(&brand.db).await;
    let events = brand.count("select count(*) from audit_events").await;
    assert!(events >= 4, "sign-up, funding, sign-in, sign-out: {events}");
    assert_eq!(report.checked, events);
    assert_eq!(report.unsealed, 0);
    assert!(report.broken.is_none(), "{report:?}");
    let head = report.head.expect("a head");
    assert_eq!(head.seq, events);

    // Sealing again changes nothing: the chain only grows.
    assert_eq!(chain::seal_all(&brand.db).await.expect("seal"), 0);
    assert_eq!(
        chain::verify(&brand.db).await.expect("verify").head,
        Some(head)
    );

    // The table refuses changes and removals, even from the application's role.
    let changed = sqlx::query("update audit_events set detail = 'nothing happened' where seq = 2")
        .execute(&brand.db)
        .await;
    assert!(changed.is_err(), "a sealed event was changed");
    let removed = sqlx::query("delete from audit_events where seq = 3")
        .execute(&brand.db)
        .await;
    assert!(removed.is_err(), "an event was removed");
    let truncated = sqlx::query("truncate audit_events")
        .execute(&brand.db)
        .await;
    assert!(truncated.is_err(), "the trail was emptied");

    // Someone who can switch the guard off and rewrites an event is found out.
    let mut tx = brand.db.begin().await.expect("begin");
    sqlx::query("alter table audit_events disable trigger audit_events_append_only")
        .execute(&mut *tx)
        .await
        .expect("disable");
    sqlx::query("update audit_events set detail = 'nothing happened' where seq = 2")
        .execute(&mut *tx)
        .await
        .expect("tamper");
    sqlx::query("alter table audit_events enable trigger audit_events_append_only")
        .execute(&mut *tx)
        .await
        .expect("enable");
    tx.commit().await.expect("commit");
    let report = chain::verify(&brand.db).await.expect("verify");
    let broken = report.broken.expect("the change is found");
    assert_eq!(broken.seq, 2);
    assert_eq!(broken.why, "its content no longer matches its hash");
    assert_eq!(report.checked, 1);
}

#[tokio::test]
async fn a_removed_event_breaks_the_chain_at_the_next_one() {
    let db = fresh_db().await;
    let brand = fixtures::brand(db.clone()).await;
    brand.logout().await;
    sealed(&brand.db).await;
    let mut tx = brand.db.begin().await.expect("begin");
    sqlx::query("alter table audit_events disable trigger audit_events_append_only")
        .execute(&mut *tx)
        .await
        .expect("disable");
    sqlx::query("delete from audit_events where seq = 2")
        .execute(&mut *tx)
        .await
        .expect("remove");
    sqlx::query("alter table audit_events enable trigger audit_events_append_only")
        .execute(&mut *tx)
        .await
        .expect("enable");
    tx.commit().await.expect("commit");
    let broken = chain::verify(&brand.db)
        .await
        .expect("verify")
        .broken
        .expect("found");
    assert_eq!(broken.seq, 3);
    assert_eq!(broken.why, "the event before it is missing");
}

#[tokio::test]
async fn two_sealers_at_once_make_one_chain() {
    let db = fresh_db().await;
    let brand = fixtures::brand(db.clone()).await;
    for _ in 0..5 {
        brand.logout().await;
        brand
            .login("maya@northwind.example", crate::helpers::PASSWORD)
            .await;
    }
    let (a, b) = tokio::join!(chain::seal_all(&brand.db), chain::seal_all(&brand.db));
    let (a, b) = (a.expect("a"), b.expect("b"));
    let events = brand.count("select count(*) from audit_events").await;
    assert_eq!((a + b) as i64, events, "each event sealed once");
    let report = chain::verify(&brand.db).await.expect("verify");
    assert!(report.broken.is_none());
    assert_eq!(report.checked, events);
}

#[tokio::test]
async fn every_movement_of_money_is_in_the_trail() {
    let db = fresh_db().await;
    let brand = fixtures::brand(db.clone()).await;
    let transfers = brand.count("select count(*) from ledger_transfers").await;
    assert!(transfers >= 1);
    let recorded = brand
        .count(
            "select count(*) from audit_events e join ledger_transfers t on t.id = e.object_id
              where e.action = 'ledger.transfer_posted'",
        )
        .await;
    assert_eq!(recorded, transfers);
    let detail: String = sqlx::query_scalar(
        "select detail from audit_events where action = 'ledger.transfer_posted'",
    )
    .fetch_one(&brand.db)
    .await
    .expect("detail");
    assert!(detail.starts_with("funding"), "{detail}");
}

#[tokio::test]
async fn every_action_the_code_records_is_one_the_database_knows() {
    let db = fresh_db().await;
    let known: Vec<String> = sqlx::query_scalar("select action from audit_actions")
        .fetch_all(&db)
        .await
        .expect("actions");
    for action in liaison::audit::Action::ALL.iter().copied() {
        assert!(
            known.iter().any(|k| k == action.as_str()),
            "{} is not in audit_actions",
            action.as_str()
        );
    }
}

#[tokio::test]
async fn the_console_filters_the_trail_by_actor_action_object_and_day_and_pages_it() {
    let db = fresh_db().await;
    let brand = fixtures::brand(db.clone()).await;
    let admin = agency(&brand).await;
    for _ in 0..30 {
        brand.logout().await;
        brand
            .login("maya@northwind.example", crate::helpers::PASSWORD)
            .await;
    }
    let maya: uuid::Uuid =
        sqlx::query_scalar("select id from users where email = 'maya@northwind.example'")
            .fetch_one(&brand.db)
            .await
            .expect("maya");

    let page = admin
        .get("/admin/audit?actor=maya@northwind.example&action=account.logged_in")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body.matches("<td>Logged in").count(), 30);
    assert!(!page.body.contains("Older events"), "30 fit on one page");

    let page = admin.get("/admin/audit?actor=maya@northwind.example").await;
    assert!(page.body.contains("Older events"), "62 events: two pages");
    let next = page
        .body
        .split("href=\"/admin/audit?")
        .filter_map(|s| s.split('"').next())
        .find(|s| s.contains("before="))
        .expect("a link to older events")
        .replace("&#38;", "&");
    let older = admin.get(&format!("/admin/audit?{next}")).await;
    assert_eq!(older.status, StatusCode::OK);
    let rows = |body: &str| body.matches("<tr>").count() - 1;
    assert_eq!(rows(&page.body), 50);
    // Sign-up, the agency's funding (recorded as hers), 30 sign-ins, 30 sign-outs.
    assert_eq!(rows(&older.body), 62 - 50);

    // Unfiltered, the trail opens on its own statement: a full page, the
    // newest first, and a link to the rest.
    let everything = admin.get("/admin/audit").await;
    assert_eq!(rows(&everything.body), 50);
    assert!(everything.body.contains("Older events"));
    let console = admin.get("/admin").await;
    assert!(console.body.contains("Logged in"), "the newest events");

    let about = admin.get(&format!("/admin/audit?object={maya}")).await;
    assert!(about.body.contains("Signed up"));

    let future = admin.get("/admin/audit?from=2099-01-01").await;
    assert!(future.body.contains("No events match this filter"));

    let bad = admin
        .get("/admin/audit?actor=nobody@example.com&object=nope&from=2026-12-05&to=2026-12-01")
        .await;
    assert_eq!(bad.status, StatusCode::OK, "explained, the rest applied");
    assert!(bad.body.contains("No account has this email address"));
    assert!(bad.body.contains("Enter the object as an id"));
    assert!(bad.body.contains("The last day comes before the first"));
    assert!(
        bad.body.contains("value=\"nobody@example.com\""),
        "kept as typed"
    );

    // Brands and creators are not let in.
    assert_eq!(
        brand.get("/admin/audit").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        brand.get("/admin/audit.csv").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_trail_downloads_as_csv_with_the_filter_applied() {
    let db = fresh_db().await;
    let brand = fixtures::brand(db.clone()).await;
    let admin = agency(&brand).await;
    brand.logout().await;
    chain::seal_all(&brand.db).await.expect("seal");
    let csv = admin
        .get("/admin/audit.csv?actor=maya@northwind.example")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/csv")
    );
    let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
    let headers = reader.headers().expect("headers").clone();
    assert_eq!(&headers[0], "occurred_at");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 3, "signed up, funds she was given, logged out");
    assert_eq!(&rows[0][2], "account.logged_out");
    assert_eq!(&rows[1][2], "ledger.transfer_posted");
    assert_eq!(&rows[2][2], "account.signed_up");
    assert!(rows.iter().all(|r| &r[4] == "maya@northwind.example"));
    assert!(rows.iter().all(|r| !r[1].is_empty()), "sealed: numbered");

    let bad = admin.get("/admin/audit.csv?from=yesterday").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}
