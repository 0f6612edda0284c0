//! What the earnings page reads: the creator's shares still held and their
//! payable balances (how those moved is the ledger's).

use sqlx::PgExecutor;
use time::Date;
use uuid::Uuid;

use crate::{
    collaborations::deliverables::DeliverableStatus,
    domain::{Currency, Money, ReleaseOn},
    web::keyset::Cursor,
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

/// Where a list of held parts stands: the last part shown, by due date and
/// deliverable. The next page continues just past it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldCursor {
    pub due_on: Date,
    pub deliverable_id: Uuid,
}

impl HeldCursor {
    /// Where the list stands at `held`.
    pub fn at(held: &Held) -> HeldCursor {
        HeldCursor {
            due_on: held.due_on,
            deliverable_id: held.deliverable_id,
        }
    }

    /// `<julian day>_<deliverable>`, for a link.
    pub fn encode(&self) -> String {
        Cursor {
            value: self.due_on.to_julian_day().into(),
            id: self.deliverable_id,
        }
        .encode()
    }

    /// Anything else reads as no cursor: a stale or edited link starts
    /// from the soonest.
    pub fn decode(s: &str) -> Option<HeldCursor> {
        let c = Cursor::decode(s)?;
        let due_on = Date::from_julian_day(i32::try_from(c.value).ok()?).ok()?;
        // Only the dates the database holds.
        (1..=9999).contains(&due_on.year()).then_some(HeldCursor {
            due_on,
            deliverable_id: c.id,
        })
    }
}

/// The `limit` parts held for the creator that are due soonest, after
/// `after` when given: a range of the kept held parts (`held_shares`),
/// joined to their campaigns only for those shown, so a later page costs
/// what the first does.
pub async fn held_soonest(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    after: Option<HeldCursor>,
    limit: i64,
) -> Result<Vec<Held>, sqlx::Error> {
    // No cursor reads as one before every part: one plan for both.
    let after = after.unwrap_or(HeldCursor {
        due_on: time::macros::date!(0001 - 01 - 01),
        deliverable_id: Uuid::nil(),
    });
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
                      and (k.due_on, k.deliverable_id) > ($2, $3)
                    order by k.due_on, k.deliverable_id
                    limit $4) k
             join deliverables d on d.id = k.deliverable_id
             join escrow_holds h on h.application_id = d.application_id
             join applications a on a.id = d.application_id
             join campaigns c on c.id = a.campaign_id
            order by k.due_on, k.deliverable_id"#,
        user_id,
        after.due_on,
        after.deliverable_id,
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
/// for the forecasts by due date on the desk and the income page (the desk
/// sums them too, having read them), without the campaigns the lists show; [`held_totals`] when only
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_cursor_reads_back_as_written_and_only_for_dates_the_database_holds() {
        let cursor = HeldCursor {
            due_on: time::macros::date!(2026 - 12 - 24),
            deliverable_id: Uuid::now_v7(),
        };
        assert_eq!(HeldCursor::decode(&cursor.encode()), Some(cursor));
        let far = format!("{}_{}", i32::MAX, Uuid::nil());
        for bad in [
            "",
            "next-week",
            "12_x",
            far.as_str(),
            "-1000000_00000000-0000-0000-0000-000000000000",
        ] {
            assert_eq!(HeldCursor::decode(bad), None, "{bad}");
        }
    }
}
