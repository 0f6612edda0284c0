//! What the partners pages read, all scoped to one brand.

use sqlx::PgExecutor;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{
    agreements::domain::Standing,
    business::domain::Stage,
    domain::{Currency, Money, Tier},
};

/// A creator the brand reached agreement with, summed over their deals in
/// one currency.
#[derive(Debug, Clone)]
pub struct Partner {
    pub profile_id: Uuid,
    pub name: String,
    pub handle: Option<String>,
    pub tier: Option<Tier>,
    pub currency: Currency,
    pub collaborations: i64,
    pub spend: Money,
    pub paid: Money,
    pub amendments: i64,
    pub amendments_added: Money,
    pub scope_requests: i64,
    pub conversions: i64,
    pub revenue: Money,
    /// The brand's own ratings of their work, in tenths of a point.
    pub rating_tenths: Option<i64>,
    pub last_agreed: Option<OffsetDateTime>,
}

impl Partner {
    /// Spend per order the creator's links and codes brought.
    pub fn cost_per_conversion(&self) -> Option<Money> {
        (self.conversions > 0).then(|| {
            Money::from_minor(
                (self.spend.minor() + self.conversions / 2) / self.conversions,
                self.currency,
            )
        })
    }
}

macro_rules! partner_query {
    ($where:literal, $($arg:expr),*) => {
        sqlx::query!(
            r#"select dd.profile_id, u.display_name, p.handle, p.tier as "tier: Tier",
                      dd.currency as "currency!: Currency", count(*) as "collaborations!",
                      sum(dd.fee_minor)::int8 as "spend!",
                      sum(dd.released_gross_minor)::int8 as "paid!",
                      sum(dd.scope_accepted)::int8 as "amendments!",
                      sum(dd.scope_added_minor)::int8 as "added!",
                      sum(dd.scope_requests)::int8 as "requests!",
                      coalesce(sum(r.conversions), 0)::int8 as "conversions!",
                      coalesce(sum(r.revenue_minor), 0)::int8 as "revenue!",
                      avg((g.quality + g.reliability + g.communication + g.results) * 10 / 4)::int8
                          as "rating?",
                      max(dd.agreed_at) as "last_agreed?"
                 from desk_deals dd
                 join influencer_profiles p on p.id = dd.profile_id
                 join users u on u.id = p.user_id
                 left join collaboration_results r on r.application_id = dd.application_id
                 left join creator_ratings g on g.application_id = dd.application_id
                where dd.brand_id = $1 and dd.agreed_at is not null "# + $where + r#"
                group by dd.profile_id, u.display_name, p.handle, p.tier, dd.currency
                order by max(dd.agreed_at) desc nulls last"#,
            $($arg),*
        )
    };
}

macro_rules! partner_from_row {
    ($r:expr) => {{
        let r = $r;
        let money = |minor| Money::from_minor(minor, r.currency);
        Partner {
            profile_id: r.profile_id,
            name: r.display_name,
            handle: r.handle,
            tier: r.tier,
            currency: r.currency,
            collaborations: r.collaborations,
            spend: money(r.spend),
            paid: money(r.paid),
            amendments: r.amendments,
            amendments_added: money(r.added),
            scope_requests: r.requests,
            conversions: r.conversions,
            revenue: money(r.revenue),
            rating_tenths: r.rating,
            last_agreed: r.last_agreed,
        }
    }};
}

/// Every creator the brand reached agreement with, most recent first.
pub async fn of_brand(
    db: impl PgExecutor<'_>,
    brand_id: Uuid,
) -> Result<Vec<Partner>, sqlx::Error> {
    let rows = partner_query!("", brand_id).fetch_all(db).await?;
    Ok(rows.into_iter().map(|r| partner_from_row!(r)).collect())
}

/// One creator as the brand's partner (a row per currency they were paid in).
pub async fn one(
    db: impl PgExecutor<'_>,
    brand_id: Uuid,
    profile_id: Uuid,
) -> Result<Vec<Partner>, sqlx::Error> {
    let rows = partner_query!("and dd.profile_id = $2", brand_id, profile_id)
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(|r| partner_from_row!(r)).collect())
}

/// One collaboration with a partner, as their page lists it.
#[derive(Debug, Clone)]
pub struct Collaboration {
    pub application_id: Uuid,
    pub campaign_title: String,
    pub stage: Stage,
    pub agreed_at: Option<OffsetDateTime>,
    pub fee: Money,
    pub paid: Money,
    pub amendments: i64,
    pub amendments_added: Money,
    pub scope_requests: i64,
    /// The agreement and where it stands (none for collaborations accepted
    /// before agreements were drawn up).
    pub agreement: Option<(Uuid, Standing)>,
    pub clicks: i64,
    pub conversions: i64,
    pub revenue: Money,
    pub rating_tenths: Option<i64>,
}

pub async fn collaborations(
    db: impl PgExecutor<'_>,
    brand_id: Uuid,
    profile_id: Uuid,
) -> Result<Vec<Collaboration>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select dd.application_id, c.title, dd.stage, dd.agreed_at,
                  dd.currency as "currency: Currency", dd.fee_minor, dd.released_gross_minor,
                  dd.scope_accepted, dd.scope_added_minor, dd.scope_requests,
                  g.id as "agreement?",
                  exists (select 1 from agreement_signatures s
                           where s.agreement_id = g.id and s.party = 'brand') as "brand_signed!",
                  exists (select 1 from agreement_signatures s
                           where s.agreement_id = g.id and s.party = 'creator') as "creator_signed!",
                  coalesce(r.clicks, 0) as "clicks!", coalesce(r.conversions, 0) as "conversions!",
                  coalesce(r.revenue_minor, 0) as "revenue!",
                  ((cr.quality + cr.reliability + cr.communication + cr.results) * 10 / 4)::int8
                      as "rating?"
             from desk_deals dd
             join applications a on a.id = dd.application_id
             join campaigns c on c.id = a.campaign_id
             left join agreements g on g.application_id = dd.application_id and g.number = 1
             left join collaboration_results r on r.application_id = dd.application_id
             left join creator_ratings cr on cr.application_id = dd.application_id
            where dd.brand_id = $1 and dd.profile_id = $2 and dd.agreed_at is not null
            order by dd.agreed_at desc"#,
        brand_id,
        profile_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let money = |minor| Money::from_minor(minor, r.currency);
            Some(Collaboration {
                application_id: r.application_id,
                campaign_title: r.title,
                stage: Stage::parse(&r.stage).ok()?,
                agreed_at: r.agreed_at,
                fee: money(r.fee_minor),
                paid: money(r.released_gross_minor),
                amendments: i64::from(r.scope_accepted),
                amendments_added: money(r.scope_added_minor),
                scope_requests: i64::from(r.scope_requests),
                agreement: r
                    .agreement
                    .map(|id| (id, Standing::of(r.brand_signed, r.creator_signed))),
                clicks: r.clicks,
                conversions: r.conversions,
                revenue: money(r.revenue),
                rating_tenths: r.rating,
            })
        })
        .collect())
}

/// Open campaigns of the brand this creator has neither applied to nor
/// been invited to: where the brand can invite them back.
pub async fn reinvitable(
    db: impl PgExecutor<'_>,
    brand_id: Uuid,
    profile_id: Uuid,
    today: time::Date,
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        "select c.id, c.title from campaigns c
          where c.brand_id = $1 and c.status = 'open' and c.application_deadline >= $3
            and not exists (select 1 from applications a
                             where a.campaign_id = c.id and a.profile_id = $2)
            and not exists (select 1 from campaign_invitations i
                             where i.campaign_id = c.id and i.profile_id = $2)
          order by c.application_deadline, c.id
          limit 20",
        brand_id,
        profile_id,
        today
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.title)).collect())
}
