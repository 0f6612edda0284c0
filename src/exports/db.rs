//! The rows of each export, read as a stream in a stable order (oldest
//! first, then id) so that two downloads of the same data match line by line.

use futures_util::TryStreamExt;
use sqlx::PgPool;

use crate::domain::{Currency, Money};
use crate::web::csv_stream::{CsvSink, Error, timestamp};

fn amount(minor: i64, currency: &str) -> String {
    Money::from_minor(minor, Currency::chosen_or_default(currency)).to_decimal_string()
}

fn text<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

pub async fn accounts(db: PgPool, mut sink: CsvSink) -> Result<(), Error> {
    sink.row([
        "account_id",
        "email",
        "name",
        "kind",
        "brand",
        "brand_role",
        "tier",
        "status",
        "joined_at",
    ])
    .await?;
    let mut rows = sqlx::query!(
        r#"select u.id, u.email, u.display_name, u.role, b.name as "brand?", m.role as "brand_role?",
                  ip.tier as "tier?", u.created_at,
                  (u.suspended_at is not null or coalesce(b.suspended_at is not null, false)) as "suspended!"
             from users u
             left join brand_members m on m.user_id = u.id
             left join brands b on b.id = m.brand_id
             left join influencer_profiles ip on ip.user_id = u.id
            order by u.created_at, u.id"#
    )
    .fetch(&db);
    while let Some(r) = rows.try_next().await? {
        sink.row([
            r.id.to_string(),
            r.email,
            r.display_name,
            r.role,
            text(r.brand),
            text(r.brand_role),
            text(r.tier),
            if r.suspended { "suspended" } else { "active" }.to_owned(),
            timestamp(r.created_at),
        ])
        .await?;
    }
    sink.finish().await
}

pub async fn campaigns(db: PgPool, mut sink: CsvSink) -> Result<(), Error> {
    sink.row([
        "campaign_id",
        "brand",
        "title",
        "status",
        "objective",
        "compensation",
        "budget",
        "currency",
        "creators_wanted",
        "applications",
        "accepted",
        "application_deadline",
        "starts_on",
        "ends_on",
        "created_at",
    ])
    .await?;
    let mut rows = sqlx::query!(
        r#"select c.id, c.brand_name, c.title, c.status, c.objective, c.compensation,
                  c.budget_minor, c.currency, c.creators_wanted, c.application_deadline,
                  c.starts_on, c.ends_on, c.created_at,
                  coalesce(a.applications, 0) as "applications!",
                  coalesce(a.accepted, 0) as "accepted!"
             from campaigns c
             left join lateral (
                 select count(*) as applications,
                        count(*) filter (where x.status = 'accepted') as accepted
                   from applications x where x.campaign_id = c.id) a on true
            order by c.created_at, c.id"#
    )
    .fetch(&db);
    while let Some(r) = rows.try_next().await? {
        sink.row([
            r.id.to_string(),
            r.brand_name,
            r.title,
            r.status,
            r.objective,
            r.compensation,
            amount(r.budget_minor, &r.currency),
            r.currency,
            r.creators_wanted.to_string(),
            r.applications.to_string(),
            r.accepted.to_string(),
            r.application_deadline.to_string(),
            r.starts_on.to_string(),
            r.ends_on.to_string(),
            timestamp(r.created_at),
        ])
        .await?;
    }
    sink.finish().await
}

/// Accepted creators, and collaborations that ended after acceptance.
pub async fn collaborations(db: PgPool, mut sink: CsvSink) -> Result<(), Error> {
    sink.row([
        "collaboration_id",
        "campaign_id",
        "campaign",
        "brand",
        "creator",
        "creator_email",
        "tier",
        "status",
        "agreed_fee",
        "currency",
        "accepted_at",
        "ended_at",
    ])
    .await?;
    let mut rows = sqlx::query!(
        r#"select a.id, a.campaign_id, c.title, c.brand_name, u.display_name, u.email,
                  a.creator_tier, a.status, a.agreed_fee_minor as "agreed_fee_minor!",
                  a.currency, a.decided_at, a.cancelled_at
             from applications a
             join campaigns c on c.id = a.campaign_id
             join influencer_profiles p on p.id = a.profile_id
             join users u on u.id = p.user_id
            where a.agreed_fee_minor is not null
            order by a.decided_at, a.id"#
    )
    .fetch(&db);
    while let Some(r) = rows.try_next().await? {
        sink.row([
            r.id.to_string(),
            r.campaign_id.to_string(),
            r.title,
            r.brand_name,
            r.display_name,
            r.email,
            text(r.creator_tier),
            r.status,
            amount(r.agreed_fee_minor, &r.currency),
            r.currency,
            text(r.decided_at.map(timestamp)),
            text(r.cancelled_at.map(timestamp)),
        ])
        .await?;
    }
    sink.finish().await
}

/// Every line of every movement of money: one row per account a transfer
/// touched, so that each transfer's rows sum to zero per currency.
pub async fn payments(db: PgPool, mut sink: CsvSink) -> Result<(), Error> {
    sink.row([
        "transfer_id",
        "effective_at",
        "kind",
        "account",
        "brand",
        "creator",
        "collaboration_id",
        "amount",
        "currency",
        "balance_after",
        "memo",
        "idempotency_key",
    ])
    .await?;
    let mut rows = sqlx::query!(
        r#"select t.id, t.effective_at, t.kind, acc.kind as account, b.name as "brand?",
                  u.display_name as "creator?", acc.application_id, e.amount_minor, e.currency,
                  e.balance_after_minor, t.memo, t.idempotency_key
             from ledger_entries e
             join ledger_transfers t on t.id = e.transfer_id
             join ledger_accounts acc on acc.id = e.account_id
             left join brands b on b.id = acc.brand_id
             left join influencer_profiles p on p.id = acc.profile_id
             left join users u on u.id = p.user_id
            order by t.effective_at, t.id, e.id"#
    )
    .fetch(&db);
    while let Some(r) = rows.try_next().await? {
        sink.row([
            r.id.to_string(),
            timestamp(r.effective_at),
            r.kind,
            r.account,
            text(r.brand),
            text(r.creator),
            text(r.application_id),
            amount(r.amount_minor, &r.currency),
            r.currency.clone(),
            amount(r.balance_after_minor, &r.currency),
            r.memo,
            r.idempotency_key,
        ])
        .await?;
    }
    sink.finish().await
}
