//! What each collaboration cost and brought, read from the roll-ups (clicks
//! and conversions per day, each post's latest figures) and the ledger
//! (spend), never from raw clicks.

use sqlx::PgPool;
use uuid::Uuid;

use super::metrics::Totals;
use crate::domain::{Currency, Tier};

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
    Campaign {
        brand: Uuid,
        campaign: Uuid,
    },
    /// One collaboration; the caller has checked the viewer may see it.
    Collaboration(Uuid),
    /// Every brand's, for the agency.
    Agency,
}

/// The scope's collaborations (accepted, or ended after acceptance), the ids
/// first on the index for the way in, then one statement for all of them.
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
        Scope::Collaboration(id) => vec![id],
        Scope::Agency => {
            sqlx::query_scalar!(
                "select id from applications where status in ('accepted', 'cancelled')"
            )
            .fetch_all(db)
            .await?
        }
    };
    // Set-based over all of them at once: one row each from the totals, the
    // posts' latest figures and the ledger, joined by hash, not looked up one
    // collaboration at a time.
    let rows = sqlx::query!(
        r#"with ids as materialized (
               select distinct id from unnest($1::uuid[]) as t(id)
           ),
           posts as materialized (
               select x.application_id, sum(x.impressions)::int8 as impressions,
                      sum(x.engagements)::int8 as engagements,
                      sum(x.interactions)::int8 as interactions,
                      sum(x.engagement_base)::int8 as engagement_base
                 from deliverable_results x
                 join ids on ids.id = x.application_id
                group by x.application_id
           ),
           escrow as materialized (
               select acct.application_id, acct.currency, acct.balance_minor,
                      coalesce((select -sum(e.amount_minor)
                                  from ledger_entries e
                                  join ledger_transfers t on t.id = e.transfer_id
                                 where e.account_id = acct.id and t.kind = 'release'), 0)::int8 as released
                 from ledger_accounts acct
                 join ids on ids.id = acct.application_id
                where acct.kind = 'escrow'
           )
           select a.id, a.campaign_id, c.title, c.brand_id, b.name as brand_name,
                  u.display_name as creator, a.creator_tier as "tier: Tier",
                  a.status = 'cancelled' as "ended!", c.currency as "currency: Currency",
                  coalesce(r.clicks, 0) as "clicks!", coalesce(r.unique_clicks, 0) as "unique_clicks!",
                  coalesce(r.conversions, 0) as "conversions!", coalesce(r.revenue_minor, 0) as "revenue!",
                  coalesce(f.impressions, 0) as "impressions!", coalesce(f.engagements, 0) as "engagements!",
                  coalesce(f.interactions, 0) as "interactions!",
                  coalesce(f.engagement_base, 0) as "engagement_base!",
                  coalesce(m.balance_minor, 0) + coalesce(m.released, 0) as "spend!"
             from ids
             join applications a on a.id = ids.id
             join campaigns c on c.id = a.campaign_id
             join brands b on b.id = c.brand_id
             join influencer_profiles p on p.id = a.profile_id
             join users u on u.id = p.user_id
             left join collaboration_results r on r.application_id = a.id
             left join posts f on f.application_id = a.id
             left join escrow m on m.application_id = a.id and m.currency = c.currency
            order by c.title, u.display_name"#,
        &ids
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| CollaborationResult {
            application_id: r.id,
            campaign_id: r.campaign_id,
            campaign_title: r.title,
            brand_id: r.brand_id,
            brand_name: r.brand_name,
            creator: r.creator,
            tier: r.tier,
            ended: r.ended,
            totals: Totals {
                currency: r.currency,
                collaborations: 1,
                spend_minor: r.spend,
                impressions: r.impressions,
                engagements: r.engagements,
                interactions: r.interactions,
                engagement_base: r.engagement_base,
                clicks: r.clicks,
                unique_clicks: r.unique_clicks,
                conversions: r.conversions,
                revenue_minor: r.revenue,
            },
        })
        .collect())
}
