//! A fresh PostgreSQL database for every test, cloned from a template that the
//! migrations built once per test run: `create database ... template` copies
//! files instead of replaying every migration for every test.
//!
//! The server is the one `DATABASE_URL` names (scripts/test starts a throwaway
//! cluster). Databases of an earlier run are dropped when the next run builds or
//! finds its template; scripts/test deletes the whole cluster anyway.

use std::{
    hash::{DefaultHasher, Hash, Hasher},
    str::FromStr,
};

use sqlx::{
    Connection, Executor, PgConnection, PgPool,
    postgres::{PgConnectOptions, PgPoolOptions},
};
use tokio::sync::OnceCell;

const PREFIX: &str = "liaison_test_";

/// The template's name, once it exists.
static TEMPLATE: OnceCell<String> = OnceCell::const_new();

fn server() -> PgConnectOptions {
    let url = std::env::var("DATABASE_URL")
        .expect("DATABASE_URL names the PostgreSQL server for tests (scripts/test sets it)");
    PgConnectOptions::from_str(&url).expect("DATABASE_URL is a PostgreSQL URL")
}

async fn maintenance() -> PgConnection {
    PgConnection::connect_with(&server().database("postgres"))
        .await
        .expect("connect to the test server's postgres database")
}

/// The start of the names of this run's databases. nextest runs each test in a
/// process of its own and names the run in `NEXTEST_RUN_ID`; `cargo test` runs
/// them all in one process, which is then the run.
fn this_run_prefix() -> &'static str {
    static RUN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    RUN.get_or_init(|| {
        let run = std::env::var("NEXTEST_RUN_ID")
            .unwrap_or_else(|_| format!("process {}", std::process::id()));
        let mut hasher = DefaultHasher::new();
        run.hash(&mut hasher);
        format!("{PREFIX}{:08x}_", hasher.finish() as u32)
    })
}

/// Named after the migrations, so a changed migration builds a new template.
fn template_name() -> String {
    let mut hasher = DefaultHasher::new();
    for m in liaison::db::MIGRATOR.iter() {
        m.version.hash(&mut hasher);
        m.checksum.hash(&mut hasher);
    }
    format!("liaison_template_{:016x}", hasher.finish())
}

async fn build_template() -> String {
    let name = template_name();
    let mut conn = maintenance().await;
    // One process at a time builds it; the others find it built.
    conn.execute("select pg_advisory_lock(hashtext('liaison test template'))")
        .await
        .expect("lock");
    let exists: bool =
        sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
            .bind(&name)
            .fetch_one(&mut conn)
            .await
            .expect("look for the template");
    if !exists {
        let building = format!("{name}_building");
        conn.execute(format!(r#"drop database if exists "{building}""#).as_str())
            .await
            .expect("drop a half-built template");
        conn.execute(format!(r#"create database "{building}""#).as_str())
            .await
            .expect("create the template");
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .connect_with(server().database(&building))
            .await
            .expect("connect to the template");
        liaison::db::migrate(&pool)
            .await
            .expect("migrate the template");
        pool.close().await;
        conn.execute(format!(r#"alter database "{building}" rename to "{name}""#).as_str())
            .await
            .expect("name the template");
    }
    // Only other runs' databases: trying to drop one of this run's, still in
    // use by a test in another process, would hold a lock on it for the five
    // seconds PostgreSQL waits for its sessions to go, and every connection
    // that test opened meanwhile would wait.
    let stale: Vec<String> = sqlx::query_scalar(
        "select datname from pg_database where datname like $1 || '%' and datname not like $2 || '%'",
    )
    .bind(PREFIX)
    .bind(this_run_prefix())
    .fetch_all(&mut conn)
    .await
    .expect("earlier test databases");
    for db in stale {
        // One still in use (another run at the same time) refuses and is left.
        let _ = conn
            .execute(format!(r#"drop database if exists "{db}""#).as_str())
            .await;
    }
    conn.execute("select pg_advisory_unlock(hashtext('liaison test template'))")
        .await
        .expect("unlock");
    name
}

/// The URL of database `name` on the test server.
pub fn url_of(name: &str) -> String {
    let server = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let (base, _) = server.rsplit_once('/').expect("a URL with a database");
    format!("{base}/{name}")
}

/// The URL of the database `db` is connected to, for a process of its own.
pub fn url_for(db: &PgPool) -> String {
    url_of(
        db.connect_options()
            .get_database()
            .expect("a pool with a database name"),
    )
}

/// A new, migrated database of its own, for one test.
pub async fn fresh_db() -> PgPool {
    let template = TEMPLATE.get_or_init(build_template).await;
    let name = format!("{}{}", this_run_prefix(), uuid::Uuid::now_v7().simple());
    let mut conn = maintenance().await;
    conn.execute(format!(r#"create database "{name}" template "{template}""#).as_str())
        .await
        .expect("clone the template");
    let _ = conn.close().await;
    PgPoolOptions::new()
        .max_connections(10)
        .connect_with(server().database(&name))
        .await
        .expect("connect to the test database")
}
