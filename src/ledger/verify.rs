//! `liaison ledger verify`: every balance recomputed from the entries.

use sqlx::PgPool;

/// What the check found; empty when the ledger is sound.
#[derive(Debug, Default)]
pub struct Report {
    pub accounts: i64,
    pub entries: i64,
    pub problems: Vec<String>,
}

impl Report {
    pub fn is_sound(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Recomputes each account's balance and version from its entries, each
/// entry's running balance, each transfer's sum per currency, and the sum of
/// all accounts per currency (zero: every unit came from somewhere).
pub async fn verify(db: &PgPool) -> Result<Report, sqlx::Error> {
    let mut report = Report::default();
    // One snapshot for every check, so a transfer posted meanwhile is either
    // wholly seen or not at all.
    let mut tx = db.begin().await?;
    sqlx::query!("set transaction isolation level repeatable read, read only")
        .execute(&mut *tx)
        .await?;
    let counts = sqlx::query!(
        r#"select (select count(*) from ledger_accounts) as "accounts!",
                  (select count(*) from ledger_entries) as "entries!""#
    )
    .fetch_one(&mut *tx)
    .await?;
    report.accounts = counts.accounts;
    report.entries = counts.entries;

    for row in sqlx::query!(
        r#"select a.id, a.kind, a.currency, a.balance_minor, a.version,
                  coalesce(sum(e.amount_minor), 0)::bigint as "summed!", count(e.id) as "entries!"
             from ledger_accounts a
             left join ledger_entries e on e.account_id = a.id
            group by a.id
           having a.balance_minor <> coalesce(sum(e.amount_minor), 0) or a.version <> count(e.id)
            order by a.id"#
    )
    .fetch_all(&mut *tx)
    .await?
    {
        report.problems.push(format!(
            "account {} ({} {}): balance {} and version {}, but its {} entries sum to {}",
            row.id, row.kind, row.currency, row.balance_minor, row.version, row.entries, row.summed
        ));
    }
    for row in sqlx::query!(
        r#"select account_id, account_version, balance_after_minor, running as "running!"
             from (select account_id, account_version, balance_after_minor,
                          sum(amount_minor) over (partition by account_id order by account_version)
                            ::bigint as running
                     from ledger_entries) e
            where balance_after_minor <> running
            order by account_id, account_version
            limit 100"#
    )
    .fetch_all(&mut *tx)
    .await?
    {
        report.problems.push(format!(
            "account {} entry {}: recorded balance {}, running sum {}",
            row.account_id, row.account_version, row.balance_after_minor, row.running
        ));
    }
    for row in sqlx::query!(
        r#"select transfer_id, currency, sum(amount_minor)::bigint as "sum!"
             from ledger_entries group by transfer_id, currency
           having sum(amount_minor) <> 0
            limit 100"#
    )
    .fetch_all(&mut *tx)
    .await?
    {
        report.problems.push(format!(
            "transfer {} does not balance in {}: {}",
            row.transfer_id, row.currency, row.sum
        ));
    }
    for row in sqlx::query!(
        r#"select currency, sum(balance_minor)::bigint as "sum!"
             from ledger_accounts group by currency having sum(balance_minor) <> 0"#
    )
    .fetch_all(&mut *tx)
    .await?
    {
        report.problems.push(format!(
            "the accounts in {} sum to {}, not zero",
            row.currency, row.sum
        ));
    }
    tx.commit().await?;
    Ok(report)
}
