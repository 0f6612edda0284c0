//! Backups: `scripts/backup` and `scripts/restore` round-trip the demo into a
//! fresh database with every row and a ledger that adds up.

use std::process::Command;

use sqlx::{Connection, Executor, PgConnection, postgres::PgPoolOptions};

use crate::{database::url_of, helpers::fresh_db};

fn run(script: &str, args: &[&str], database: &str) {
    let out = Command::new(format!("{}/scripts/{script}", env!("CARGO_MANIFEST_DIR")))
        .args(args)
        .env("DATABASE_URL", database)
        .output()
        .expect("run the script");
    assert!(
        out.status.success(),
        "scripts/{script} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every table's row count, by name.
async fn counts(db: &sqlx::PgPool) -> Vec<(String, i64)> {
    let tables: Vec<String> = sqlx::query_scalar(
        "select tablename::text from pg_tables where schemaname = 'public' order by 1",
    )
    .fetch_all(db)
    .await
    .expect("tables");
    let mut counts = Vec::new();
    for t in tables {
        let n: i64 = sqlx::query_scalar(&format!(r#"select count(*) from "{t}""#))
            .fetch_one(db)
            .await
            .expect("count");
        counts.push((t, n));
    }
    counts
}

#[tokio::test]
async fn a_backup_restores_into_a_fresh_database_with_every_row_and_its_ledger() {
    let db = fresh_db().await;
    liaison::seed::demo(&db, &crate::helpers::test_data_key())
        .await
        .expect("demo");
    let source: String = sqlx::query_scalar("select current_database()")
        .fetch_one(&db)
        .await
        .expect("name");
    let target = format!("{source}_restored");
    let dir = std::env::temp_dir().join(format!("liaison-backup-{source}"));
    let file = dir.join("demo.dump");
    let file = file.to_str().expect("a path");
    run("backup", &[file], &url_of(&source));

    // Into a database that holds nothing yet; never over live data.
    let mut server = PgConnection::connect(&url_of("postgres"))
        .await
        .expect("server");
    server
        .execute(format!(r#"create database "{target}""#).as_str())
        .await
        .expect("create the target");
    run("restore", &[file], &url_of(&target));
    let refused = Command::new(format!("{}/scripts/restore", env!("CARGO_MANIFEST_DIR")))
        .arg(file)
        .env("DATABASE_URL", url_of(&target))
        .output()
        .expect("run restore again");
    assert!(!refused.status.success(), "a second restore over the first");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("restore into an empty one"));

    let restored = PgPoolOptions::new()
        .max_connections(2)
        .connect(&url_of(&target))
        .await
        .expect("connect to the restored database");
    let (before, after) = (counts(&db).await, counts(&restored).await);
    assert_eq!(before, after, "every table with every row");
    assert!(before.iter().any(|(t, n)| t == "ledger_entries" && *n > 0));
    let report = liaison::ledger::verify::verify(&restored)
        .await
        .expect("verify");
    assert!(report.is_sound(), "{report:?}");
    restored.close().await;
    let _ = std::fs::remove_dir_all(dir);
}
