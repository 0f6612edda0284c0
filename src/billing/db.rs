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
             from ledger_accounts where kind = 'brand_funds' and owner_key = $1
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

/// A collaboration with money still held in escrow, as the brand's billing
/// page lists it.
pub struct HeldFor {
    pub application_id: Uuid,
    pub campaign_title: String,
    pub creator_name: String,
    /// Fee and agency fee held at acceptance.
    pub total: Money,
    pub held: Money,
    pub disputed: bool,
}

pub async fn holds(db: impl PgExecutor<'_>, brand_id: Uuid) -> Result<Vec<HeldFor>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select h.application_id, c.title, u.display_name, h.fee_minor + h.brand_fee_minor as "total!",
                  a.balance_minor, h.currency as "currency: Currency",
                  exists (select 1 from disputes x where x.application_id = h.application_id
                           and x.resolved_at is null) as "disputed!"
             from escrow_holds h
             join ledger_accounts a on a.kind = 'escrow' and a.owner_key = h.application_id
                                   and a.currency = h.currency
             join applications ap on ap.id = h.application_id
             join campaigns c on c.id = ap.campaign_id
             join influencer_profiles p on p.id = h.profile_id
             join users u on u.id = p.user_id
            where h.brand_id = $1 and a.balance_minor > 0
            order by h.created_at desc"#,
        brand_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| HeldFor {
            application_id: r.application_id,
            campaign_title: r.title,
            creator_name: r.display_name,
            total: Money::from_minor(r.total, r.currency),
            held: Money::from_minor(r.balance_minor, r.currency),
            disputed: r.disputed,
        })
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
