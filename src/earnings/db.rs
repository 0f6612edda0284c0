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

/// Every part held for the creator, soonest due first.
pub async fn held(db: impl PgExecutor<'_>, user_id: Uuid) -> Result<Vec<Held>, sqlx::Error> {
    held_soonest(db, user_id, i64::MAX).await
}

/// The `limit` parts held for the creator that are due soonest: a range of the
/// kept held parts (`held_shares`), joined to their campaigns only for those
/// shown.
pub async fn held_soonest(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    limit: i64,
) -> Result<Vec<Held>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select k.deliverable_id, c.title, c.brand_name, d.position, k.due_on,
                  d.status as "status: DeliverableStatus",
                  k.net_minor, k.currency as "currency: Currency",
                  h.release_on as "release_on: ReleaseOn",
                  exists (select 1 from disputes x where x.deliverable_id = k.deliverable_id
                           and x.resolved_at is null) as "disputed!"
             from (select k.deliverable_id, k.due_on, k.net_minor, k.currency
                     from held_shares k
                    where k.profile_id = (select p.id from influencer_profiles p
                                           where p.user_id = $1)
                    order by k.due_on, k.deliverable_id
                    limit $2) k
             join deliverables d on d.id = k.deliverable_id
             join escrow_holds h on h.application_id = d.application_id
             join applications a on a.id = d.application_id
             join campaigns c on c.id = a.campaign_id
            order by k.due_on, k.deliverable_id"#,
        user_id,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Held {
            deliverable_id: r.deliverable_id,
            campaign_title: r.title,
            brand_name: r.brand_name,
            position: r.position,
            due_on: r.due_on,
            status: r.status,
            release_on: r.release_on,
            disputed: r.disputed,
            net: Money::from_minor(r.net_minor, r.currency),
        })
        .collect())
}

/// Each part held for the creator as when it is due and what they receive:
/// for the desk's forecast by due date (which sums them too, having read
/// them), without the campaigns the list shows; [`held_totals`] when only
/// the count and totals are wanted. Read from the kept held parts' index
/// alone.
pub async fn held_amounts(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
) -> Result<Vec<(Date, Money)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select k.due_on, k.net_minor, k.currency as "currency: Currency"
             from held_shares k
            where k.profile_id = (select p.id from influencer_profiles p where p.user_id = $1)
            order by k.due_on, k.deliverable_id"#,
        user_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.due_on, Money::from_minor(r.net_minor, r.currency)))
        .collect())
}

/// How many parts are held for the creator, and what they come to in each
/// currency: one row per currency from the kept held parts' index.
pub async fn held_totals(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
) -> Result<(i64, Vec<Money>), sqlx::Error> {
    let rows = sqlx::query!(
        r#"select k.currency as "currency: Currency", count(*) as "parts!",
                  sum(k.net_minor)::bigint as "net!"
             from held_shares k
            where k.profile_id = (select p.id from influencer_profiles p where p.user_id = $1)
            group by k.currency
            order by k.currency"#,
        user_id
    )
    .fetch_all(db)
    .await?;
    let parts = rows.iter().map(|r| r.parts).sum();
    let totals = rows
        .into_iter()
        .map(|r| Money::from_minor(r.net, r.currency))
        .collect();
    Ok((parts, totals))
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
