//! Deploys: two instances starting at once on a new database apply each
//! migration once (the migrator holds an advisory lock while it works).

use sqlx::{Connection, Executor, PgConnection, postgres::PgPoolOptions};

#[tokio::test]
async fn two_instances_starting_at_once_migrate_once() {
    let server = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let (base, _) = server.rsplit_once('/').expect("a URL with a database");
    let name = format!("liaison_test_migrate_{}", uuid::Uuid::now_v7().simple());
    let mut admin = PgConnection::connect(&format!("{base}/postgres"))
        .await
        .expect("server");
    admin
        .execute(format!(r#"create database "{name}""#).as_str())
        .await
        .expect("an empty database");
    let url = format!("{base}/{name}");
    let (a, b) = tokio::join!(
        PgPoolOptions::new().max_connections(2).connect(&url),
        PgPoolOptions::new().max_connections(2).connect(&url),
    );
    let (a, b) = (a.expect("instance a"), b.expect("instance b"));
    let (ran_a, ran_b) = tokio::join!(liaison::db::MIGRATOR.run(&a), liaison::db::MIGRATOR.run(&b));
    ran_a.expect("instance a migrates");
    ran_b.expect("instance b finds it migrated");
    let (applied, versions): (i64, i64) = sqlx::query_as(
        "select count(*), count(distinct version) from _sqlx_migrations where success",
    )
    .fetch_one(&a)
    .await
    .expect("applied");
    let known = liaison::db::MIGRATOR.iter().count() as i64;
    assert_eq!((applied, versions), (known, known), "each migration once");
    a.close().await;
    b.close().await;
}
