//! Dispute storage. Every read is scoped to a viewer: the collaboration's
//! creator, its brand's members, or an agency admin.

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use super::domain::{Decided, Resolution};
use crate::{
    auth::Viewer,
    domain::{Currency, Format, Money, Party, Platform},
};

/// A dispute as its page shows it to both sides and the agency.
#[derive(Debug, Clone)]
pub struct Dispute {
    pub id: Uuid,
    pub deliverable_id: Uuid,
    pub deliverable: String,
    pub application_id: Uuid,
    pub campaign_title: String,
    pub brand_id: Uuid,
    pub brand_name: String,
    pub applicant_id: Uuid,
    pub creator_name: String,
    pub opened_by_name: String,
    pub opened_by_side: Party,
    pub reason: String,
    pub opened_at: OffsetDateTime,
    /// The deliverable's part of the fee and of the agency's brand-side fee.
    pub fee: Money,
    pub brand_fee: Money,
    pub creator_fee_basis_points: i32,
    pub settled: Option<Settled>,
}

/// How the agency settled it.
#[derive(Debug, Clone)]
pub struct Settled {
    pub resolution: Resolution,
    pub to_creator: Money,
    pub to_brand: Money,
    pub note: String,
    pub at: OffsetDateTime,
    pub by: String,
}

impl Dispute {
    pub fn is_open(&self) -> bool {
        self.settled.is_none()
    }
}

pub async fn find(
    db: impl PgExecutor<'_>,
    viewer: Viewer,
    id: Uuid,
) -> Result<Option<Dispute>, sqlx::Error> {
    let (applicant, brand, admin) = viewer.ids();
    let row = sqlx::query!(
        r#"select x.id, x.deliverable_id, d.quantity, d.platform as "platform: Platform",
                  d.format as "format: Format", x.application_id, c.title as campaign_title,
                  c.brand_id, c.brand_name, p.user_id as applicant_id,
                  cu.display_name as creator_name, ou.display_name as opened_by_name,
                  x.opened_by_side as "opened_by_side: Party", x.reason, x.opened_at,
                  s.fee_minor, s.brand_fee_minor, h.currency as "currency: Currency",
                  h.creator_fee_basis_points,
                  x.resolution as "resolution: Resolution", x.creator_minor, x.brand_minor,
                  x.note, x.resolved_at, ru.display_name as "resolved_by?"
             from disputes x
             join deliverables d on d.id = x.deliverable_id
             join escrow_shares s on s.deliverable_id = x.deliverable_id
             join escrow_holds h on h.application_id = x.application_id
             join applications a on a.id = x.application_id
             join campaigns c on c.id = a.campaign_id
             join influencer_profiles p on p.id = a.profile_id
             join users cu on cu.id = p.user_id
             join users ou on ou.id = x.opened_by
             left join users ru on ru.id = x.resolved_by
            where x.id = $4 and (p.user_id = $1 or c.brand_id = $2 or $3)"#,
        applicant,
        brand,
        admin,
        id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| {
        let money = |minor| Money::from_minor(minor, r.currency);
        let settled = match (
            r.resolution,
            r.creator_minor,
            r.brand_minor,
            r.note,
            r.resolved_at,
        ) {
            (Some(resolution), Some(c), Some(b), Some(note), Some(at)) => Some(Settled {
                resolution,
                to_creator: money(c),
                to_brand: money(b),
                note,
                at,
                by: r.resolved_by.unwrap_or_default(),
            }),
            _ => None,
        };
        Dispute {
            id: r.id,
            deliverable_id: r.deliverable_id,
            deliverable: format!(
                "{} × {} {}",
                r.quantity,
                r.platform.label(),
                r.format.label().to_lowercase()
            ),
            application_id: r.application_id,
            campaign_title: r.campaign_title,
            brand_id: r.brand_id,
            brand_name: r.brand_name,
            applicant_id: r.applicant_id,
            creator_name: r.creator_name,
            opened_by_name: r.opened_by_name,
            opened_by_side: r.opened_by_side,
            reason: r.reason,
            opened_at: r.opened_at,
            fee: money(r.fee_minor),
            brand_fee: money(r.brand_fee_minor),
            creator_fee_basis_points: r.creator_fee_basis_points,
            settled,
        }
    }))
}

/// Opens a dispute on a deliverable's money, under its share's lock so no
/// release slips in between. `Err` with the reason when there is no money
/// left to dispute or a dispute exists.
pub async fn open(
    tx: &mut PgConnection,
    deliverable_id: Uuid,
    by: Uuid,
    side: Party,
    reason: &str,
) -> Result<Result<Uuid, String>, sqlx::Error> {
    let share = sqlx::query!(
        r#"select s.application_id, s.settled,
                  exists (select 1 from disputes x where x.deliverable_id = s.deliverable_id)
                      as "disputed!"
             from escrow_shares s where s.deliverable_id = $1 for update"#,
        deliverable_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(share) = share else {
        return Ok(Err(
            "No money was held for this deliverable, so there is nothing to dispute.".into(),
        ));
    };
    if share.disputed {
        return Ok(Err("A dispute on this deliverable is open already.".into()));
    }
    if share.settled.is_some() {
        return Ok(Err(
            "This deliverable's money was released or returned already: nothing is left to \
             dispute. Write to the other side in the collaboration's messages."
                .into(),
        ));
    }
    let id = Uuid::now_v7();
    sqlx::query!(
        "insert into disputes (id, deliverable_id, application_id, opened_by, opened_by_side, reason)
         values ($1, $2, $3, $4, $5, $6)",
        id,
        deliverable_id,
        share.application_id,
        by,
        side as Party,
        reason
    )
    .execute(&mut *tx)
    .await?;
    Ok(Ok(id))
}

/// Locks a dispute for settling: its deliverable, and whether it is settled.
pub async fn lock(tx: &mut PgConnection, id: Uuid) -> Result<Option<(Uuid, bool)>, sqlx::Error> {
    let row = sqlx::query!(
        "select deliverable_id, resolved_at is not null as settled from disputes
          where id = $1 for update",
        id
    )
    .fetch_optional(&mut *tx)
    .await?;
    Ok(row.map(|r| (r.deliverable_id, r.settled.unwrap_or(false))))
}

/// Records the settlement the ledger posted as `transfer_id`.
pub async fn settle(
    tx: &mut PgConnection,
    id: Uuid,
    decided: &Decided,
    by: Uuid,
    transfer_id: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update disputes
            set resolution = $2, creator_minor = $3, brand_minor = $4, note = $5,
                resolved_by = $6, resolved_at = now(), transfer_id = $7
          where id = $1",
        id,
        decided.resolution as Resolution,
        decided.to_creator.minor(),
        decided.to_brand.minor(),
        decided.note,
        by,
        transfer_id
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// A dispute as the agency's finance page lists it.
#[derive(Debug, Clone)]
pub struct DisputeLine {
    pub id: Uuid,
    pub campaign_title: String,
    pub brand_name: String,
    pub creator_name: String,
    pub opened_by_side: Party,
    pub opened_at: OffsetDateTime,
    pub held: Money,
    pub resolution: Option<Resolution>,
}

/// Open disputes first, oldest first (they have waited longest), then the
/// latest settled.
pub async fn for_agency(
    db: impl PgExecutor<'_>,
    limit: i64,
) -> Result<Vec<DisputeLine>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select x.id, c.title as campaign_title, c.brand_name, u.display_name as creator_name,
                  x.opened_by_side as "opened_by_side: Party", x.opened_at,
                  s.fee_minor + s.brand_fee_minor as "held!", h.currency as "currency: Currency",
                  x.resolution as "resolution: Resolution"
             from disputes x
             join escrow_shares s on s.deliverable_id = x.deliverable_id
             join escrow_holds h on h.application_id = x.application_id
             join applications a on a.id = x.application_id
             join campaigns c on c.id = a.campaign_id
             join influencer_profiles p on p.id = a.profile_id
             join users u on u.id = p.user_id
            order by x.resolved_at is not null,
                     case when x.resolved_at is null then x.opened_at end asc,
                     x.resolved_at desc
            limit $1"#,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| DisputeLine {
            id: r.id,
            campaign_title: r.campaign_title,
            brand_name: r.brand_name,
            creator_name: r.creator_name,
            opened_by_side: r.opened_by_side,
            opened_at: r.opened_at,
            held: Money::from_minor(r.held, r.currency),
            resolution: r.resolution,
        })
        .collect())
}
