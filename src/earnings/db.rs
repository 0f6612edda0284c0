//! What the earnings page reads: the creator's shares still held, their
//! payable balances, and how those moved.

use sqlx::PgExecutor;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{
    collaborations::deliverables::DeliverableStatus,
    domain::{Currency, Money},
    ledger::TransferKind,
};

/// A deliverable's share of a collaboration's escrow, not yet released.
pub struct Held {
    pub deliverable_id: Uuid,
    pub campaign_title: String,
    pub brand_name: String,
    pub position: i16,
    pub due_on: Date,
    pub status: DeliverableStatus,
    /// What the creator receives when it is released (the share less any
    /// creator-side fee fixed at acceptance).
    pub net: Money,
}

pub async fn held(db: impl PgExecutor<'_>, user_id: Uuid) -> Result<Vec<Held>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select s.deliverable_id, c.title, c.brand_name, d.position, d.due_on,
                  d.status as "status: DeliverableStatus",
                  s.fee_minor, h.creator_fee_basis_points, h.currency as "currency: Currency"
             from escrow_shares s
             join escrow_holds h on h.application_id = s.application_id
             join deliverables d on d.id = s.deliverable_id
             join applications a on a.id = s.application_id
             join campaigns c on c.id = a.campaign_id
             join influencer_profiles p on p.id = h.profile_id
            where p.user_id = $1 and s.settled is null
            order by d.due_on, d.id"#,
        user_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let fee = i128::from(r.fee_minor);
            let creator_fee = (fee * i128::from(r.creator_fee_basis_points) + 5_000) / 10_000;
            Held {
                deliverable_id: r.deliverable_id,
                campaign_title: r.title,
                brand_name: r.brand_name,
                position: r.position,
                due_on: r.due_on,
                status: r.status,
                net: Money::from_minor((fee - creator_fee) as i64, r.currency),
            }
        })
        .collect())
}

/// The creator's payable balance in each currency they have earned in.
pub async fn payable(db: impl PgExecutor<'_>, user_id: Uuid) -> Result<Vec<Money>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select a.currency as "currency: Currency", a.balance_minor
             from ledger_accounts a join influencer_profiles p on p.id = a.profile_id
            where a.kind = 'creator_payable' and p.user_id = $1
            order by a.currency"#,
        user_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Money::from_minor(r.balance_minor, r.currency))
        .collect())
}

/// One movement of the creator's payable balance, newest first.
pub struct Movement {
    pub recorded_at: OffsetDateTime,
    pub kind: TransferKind,
    pub memo: String,
    pub amount: Money,
    pub balance_after: Money,
}

pub async fn history(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    limit: i64,
) -> Result<Vec<Movement>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select t.recorded_at, t.kind as "kind: TransferKind", t.memo, e.amount_minor,
                  e.balance_after_minor, e.currency as "currency: Currency"
             from ledger_accounts a
             join influencer_profiles p on p.id = a.profile_id
             join ledger_entries e on e.account_id = a.id
             join ledger_transfers t on t.id = e.transfer_id
            where a.kind = 'creator_payable' and p.user_id = $1
            order by t.recorded_at desc, e.id desc
            limit $2"#,
        user_id,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Movement {
            recorded_at: r.recorded_at,
            kind: r.kind,
            memo: r.memo,
            amount: Money::from_minor(r.amount_minor, r.currency),
            balance_after: Money::from_minor(r.balance_after_minor, r.currency),
        })
        .collect())
}
