//! What each collaboration cost and brought, read from the roll-ups (clicks
//! and conversions per day, each post's latest figures) and the ledger
//! (spend), never from raw clicks.

use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

use super::metrics::{Totals, totals_from_row};
use crate::{
    domain::{Currency, Format, Platform, Tier},
    links::db::LinkRow,
};

/// One collaboration's results.
#[derive(Debug, Clone)]
pub struct CollaborationResult {
    pub application_id: Uuid,
    pub campaign_id: Uuid,
    pub campaign_title: String,
    pub brand_id: Uuid,
    pub brand_name: String,
    pub creator: String,
    /// The tier the brand accepted the creator at.
    pub tier: Option<Tier>,
    pub ended: bool,
    pub totals: Totals,
}

/// Whose collaborations a report covers.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    Brand(Uuid),
    Campaign { brand: Uuid, campaign: Uuid },
}

/// One collaboration's row as the statement reads it.
macro_rules! result_of {
    ($r:expr) => {
        CollaborationResult {
            application_id: $r.id,
            campaign_id: $r.campaign_id,
            campaign_title: $r.title,
            brand_id: $r.brand_id,
            brand_name: $r.brand_name,
            creator: $r.creator,
            tier: $r.tier,
            ended: $r.ended,
            totals: totals_from_row!($r, $r.currency, 1),
        }
    };
}

/// The scope's collaborations (accepted, or ended after acceptance), a
/// brand's or a campaign's. What was released of each is found through its
/// escrow shares' settled transfers, one per released part, rather than by
/// the kind of every transfer on its escrow account, holds and refunds
/// included (457 transfer lookups for Northwind's 40 in the bench). The
/// ids first on the index for the way in, then
/// one statement that looks each up by key (the ids through a subquery, so
/// the generic plan is kept rather than a seven-table join planned on every
/// request). The agency's report across brands reads its snapshot instead
/// (`snapshot`).
pub async fn collaborations(
    db: &PgPool,
    scope: Scope,
) -> Result<Vec<CollaborationResult>, sqlx::Error> {
    let ids: Vec<Uuid> = match scope {
        Scope::Brand(brand) => {
            sqlx::query_scalar!(
                "select a.id from applications a join campaigns c on c.id = a.campaign_id
                  where c.brand_id = $1 and a.status in ('accepted', 'cancelled')",
                brand
            )
            .fetch_all(db)
            .await?
        }
        Scope::Campaign { brand, campaign } => {
            sqlx::query_scalar!(
                "select a.id from applications a join campaigns c on c.id = a.campaign_id
                  where c.id = $1 and c.brand_id = $2 and a.status in ('accepted', 'cancelled')",
                campaign,
                brand
            )
            .fetch_all(db)
            .await?
        }
    };
    let rows = sqlx::query!(
        r#"select a.id, a.campaign_id, c.title, c.brand_id, b.name as brand_name,
                  u.display_name as creator, a.creator_tier as "tier: Tier",
                  a.status = 'cancelled' as "ended!", c.currency as "currency: Currency",
                  coalesce(r.clicks, 0) as "clicks!", coalesce(r.unique_clicks, 0) as "unique_clicks!",
                  coalesce(r.conversions, 0) as "conversions!", coalesce(r.revenue_minor, 0) as "revenue!",
                  coalesce(f.impressions, 0) as "impressions!", coalesce(f.engagements, 0) as "engagements!",
                  coalesce(f.interactions, 0) as "interactions!",
                  coalesce(f.engagement_base, 0) as "engagement_base!",
                  coalesce(acct.balance_minor, 0) + coalesce(rel.released, 0) as "spend!"
             from applications a
             join campaigns c on c.id = a.campaign_id
             join brands b on b.id = c.brand_id
             join influencer_profiles p on p.id = a.profile_id
             join users u on u.id = p.user_id
             left join collaboration_results r on r.application_id = a.id
             left join lateral (
                 select sum(x.impressions)::int8 as impressions, sum(x.engagements)::int8 as engagements,
                        sum(x.interactions)::int8 as interactions,
                        sum(x.engagement_base)::int8 as engagement_base
                   from deliverable_results x where x.application_id = a.id
             ) f on true
             left join ledger_accounts acct
                    on acct.kind = 'escrow' and acct.owner_key = a.id and acct.currency = c.currency
             left join lateral (
                 select -sum(e.amount_minor)::int8 as released
                   from escrow_shares s
                   join ledger_entries e on e.transfer_id = s.settled_transfer_id
                                        and e.account_id = acct.id
                  where s.application_id = a.id and s.settled = 'released'
             ) rel on true
            where a.id = any(array(select unnest($1::uuid[])))
            order by c.title, u.display_name"#,
        &ids
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| result_of!(r)).collect())
}

/// What one collaboration's page shows of its results: what it brought,
/// what there is to share (each deliverable's link, the promo code) and where
/// the links lead.
#[derive(Debug, Clone)]
pub struct CollaborationPanel {
    pub totals: Totals,
    /// In the brief's order.
    pub links: Vec<LinkRow>,
    pub promo_code: Option<String>,
    /// The campaign's landing page, else the brand's website.
    pub landing: Option<String>,
}

/// The collaboration page's results panel in one statement: a one-row part
/// (totals from the roll-ups and the ledger, promo code, landing page) with
/// the links joined to it, so the row is there even without links. Keyed by
/// the collaboration alone, so PostgreSQL keeps one generic plan for it. The
/// caller has checked that the viewer may see the collaboration.
pub async fn panel_of(
    db: impl PgExecutor<'_>,
    application_id: Uuid,
    currency: Currency,
) -> Result<CollaborationPanel, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select s.promo, s.landing,
                  coalesce(s.clicks, 0) as "clicks!", coalesce(s.unique_clicks, 0) as "unique_clicks!",
                  coalesce(s.conversions, 0) as "conversions!", coalesce(s.revenue, 0) as "revenue!",
                  coalesce(s.impressions, 0) as "impressions!", coalesce(s.engagements, 0) as "engagements!",
                  coalesce(s.interactions, 0) as "interactions!",
                  coalesce(s.engagement_base, 0) as "engagement_base!",
                  coalesce(s.spend, 0)::int8 as "spend!",
                  l.deliverable_id as "deliverable_id?", l.code as "code?",
                  d.platform as "platform?: Platform", d.format as "format?: Format",
                  d.position as "position?", l.clicks as "link_clicks?",
                  l.unique_visitors as "unique_visitors?", l.bot_clicks as "bot_clicks?",
                  l.last_click_at as "last_click_at?"
             from (select (select code from promo_codes where application_id = $1) as promo,
                          (select coalesce(c.landing_url, nullif(b.website, ''))
                             from applications a
                             join campaigns c on c.id = a.campaign_id
                             join brands b on b.id = c.brand_id
                            where a.id = $1) as landing,
                          r.clicks, r.unique_clicks, r.conversions, r.revenue_minor as revenue,
                          f.impressions, f.engagements, f.interactions, f.engagement_base,
                          (select acct.balance_minor
                                  + coalesce((select -sum(e.amount_minor)
                                                from escrow_shares x
                                                join ledger_entries e
                                                  on e.transfer_id = x.settled_transfer_id
                                                 and e.account_id = acct.id
                                               where x.application_id = $1
                                                 and x.settled = 'released'), 0)
                             from ledger_accounts acct
                            where acct.kind = 'escrow' and acct.owner_key = $1
                              and acct.currency = $2) as spend
                     from (select sum(x.impressions)::int8 as impressions,
                                  sum(x.engagements)::int8 as engagements,
                                  sum(x.interactions)::int8 as interactions,
                                  sum(x.engagement_base)::int8 as engagement_base
                             from deliverable_results x where x.application_id = $1) f
                     left join collaboration_results r on r.application_id = $1) s
             left join tracked_links l on l.application_id = $1
             left join deliverables d on d.id = l.deliverable_id
            order by d.position"#,
        application_id,
        currency as Currency
    )
    .fetch_all(db)
    .await?;
    let Some(first) = rows.first() else {
        return Err(sqlx::Error::RowNotFound);
    };
    let totals = totals_from_row!(first, currency, 1);
    let promo_code = first.promo.clone();
    let landing = first.landing.clone();
    let links = rows
        .into_iter()
        .filter_map(|r| {
            Some(LinkRow {
                deliverable_id: r.deliverable_id?,
                code: r.code?,
                platform: r.platform?,
                format: r.format?,
                position: r.position?,
                clicks: r.link_clicks?,
                unique_visitors: r.unique_visitors?,
                bot_clicks: r.bot_clicks?,
                last_click_at: r.last_click_at,
            })
        })
        .collect();
    Ok(CollaborationPanel {
        totals,
        links,
        promo_code,
        landing,
    })
}
