//! What the billing pages read: a brand's funds, and the receipts the agency
//! recorded (the funds' history is the ledger's).

use sqlx::PgExecutor;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::domain::{Currency, Money};

/// A brand's available funds in each currency it holds any.
pub async fn funds(db: impl PgExecutor<'_>, brand_id: Uuid) -> Result<Vec<Money>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select currency as "currency: Currency", balance_minor
             from ledger_accounts where kind = 'brand_funds' and brand_id = $1
            order by currency"#,
        brand_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Money::from_minor(r.balance_minor, r.currency))
        .collect())
}

/// A receipt as the agency's finance page lists it.
pub struct ReceiptLine {
    pub brand_name: String,
    pub amount: Money,
    pub received_on: Date,
    pub reference: String,
    pub recorded_at: OffsetDateTime,
    pub recorded_by: Option<String>,
}

pub async fn recent_receipts(
    db: impl PgExecutor<'_>,
    limit: i64,
) -> Result<Vec<ReceiptLine>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select b.name as brand_name, r.amount_minor, r.currency as "currency: Currency",
                  r.received_on, r.reference, r.created_at, u.display_name as "recorded_by?"
             from funding_receipts r
             join brands b on b.id = r.brand_id
             left join users u on u.id = r.recorded_by
            order by r.created_at desc, r.id desc
            limit $1"#,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ReceiptLine {
            brand_name: r.brand_name,
            amount: Money::from_minor(r.amount_minor, r.currency),
            received_on: r.received_on,
            reference: r.reference,
            recorded_at: r.created_at,
            recorded_by: r.recorded_by,
        })
        .collect())
}

/// Every brand, by name, for the agency to choose whom money came for.
pub async fn brands(db: impl PgExecutor<'_>) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    let rows = sqlx::query!("select id, name from brands order by lower(name), id")
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.name)).collect())
}
