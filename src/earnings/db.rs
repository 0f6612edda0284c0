//! What the earnings page reads: the creator's shares still held and their
//! payable balances (how those moved is the ledger's).

use sqlx::PgExecutor;
use time::Date;
use uuid::Uuid;

use crate::{
    collaborations::deliverables::DeliverableStatus,
    domain::{Currency, Money, ReleaseOn},
};

/// A deliverable's share of a collaboration's escrow, not yet released.
pub struct Held {
    pub deliverable_id: Uuid,
    pub campaign_title: String,
    pub brand_name: String,
    pub position: i16,
    pub due_on: Date,
    pub status: DeliverableStatus,
    /// When it is released, as the accepted brief says.
    pub release_on: ReleaseOn,
    /// Frozen by a dispute until the agency settles it.
    pub disputed: bool,
    /// What the creator receives when it is released (the share less any
    /// creator-side fee fixed at acceptance).
    pub net: Money,
}

pub async fn held(db: impl PgExecutor<'_>, user_id: Uuid) -> Result<Vec<Held>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select s.deliverable_id, c.title, c.brand_name, d.position, d.due_on,
                  d.status as "status: DeliverableStatus",
                  s.fee_minor, h.creator_fee_basis_points, h.currency as "currency: Currency",
                  h.release_on as "release_on: ReleaseOn",
                  exists (select 1 from disputes x where x.deliverable_id = s.deliverable_id
                           and x.resolved_at is null) as "disputed!"
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
                release_on: r.release_on,
                disputed: r.disputed,
                net: Money::from_minor((fee - creator_fee) as i64, r.currency),
            }
        })
        .collect())
}

/// The creator's payable balance in each currency they have earned in.
pub async fn payable(db: impl PgExecutor<'_>, user_id: Uuid) -> Result<Vec<Money>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select a.currency as "currency: Currency", a.balance_minor
             from ledger_accounts a join influencer_profiles p on p.id = a.owner_key
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
