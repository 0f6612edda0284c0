//! Campaign storage. Brand-facing queries are scoped by the member's brand id, so
//! another brand's campaign is simply not found.

use sqlx::{PgConnection, PgExecutor, types::Json};
use time::Date;
use uuid::Uuid;

use super::domain::{CampaignInput, Compensation, Kpi, KpiMetric, Objective, Status};
use crate::{
    auth::Viewer,
    brands::track_record::ResponseTime,
    domain::{Currency, Money, Platform, Tier},
    ratings::db::{self as ratings_db, BrandAverages},
};

/// A campaign as stored, with its KPIs.
pub struct Campaign {
    pub id: Uuid,
    pub brand_id: Uuid,
    pub brand_name: String,
    pub title: String,
    pub business_goal: String,
    pub objective: Objective,
    pub budget: Money,
    pub compensation: Compensation,
    pub commission_basis_points: Option<i32>,
    pub creators_wanted: i32,
    pub application_deadline: Date,
    pub starts_on: Date,
    pub ends_on: Date,
    pub eligible_tiers: Vec<Tier>,
    pub platforms: Vec<Platform>,
    pub niches: Vec<String>,
    pub countries: Vec<String>,
    pub target_audience: String,
    pub status: Status,
    pub kpis: Vec<Kpi>,
    pub landing_url: Option<String>,
    pub attribution_window_days: i16,
}

async fn replace_kpis(
    conn: &mut PgConnection,
    campaign_id: Uuid,
    kpis: &[Kpi],
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "delete from campaign_kpis where campaign_id = $1",
        campaign_id
    )
    .execute(&mut *conn)
    .await?;
    let positions: Vec<i16> = (0..kpis.len() as i16).collect();
    let metrics: Vec<KpiMetric> = kpis.iter().map(|k| k.metric).collect();
    let targets: Vec<i64> = kpis.iter().map(|k| k.target).collect();
    sqlx::query!(
        "insert into campaign_kpis (campaign_id, position, metric, target)
         select $1, * from unnest($2::smallint[], $3::text[], $4::bigint[])",
        campaign_id,
        &positions,
        &metrics as &[KpiMetric],
        &targets
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Creates a draft for the brand, in the caller's transaction.
pub async fn insert(
    conn: &mut PgConnection,
    brand_id: Uuid,
    created_by: Uuid,
    c: &CampaignInput,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "insert into campaigns (
             id, brand_id, created_by, title, business_goal, objective, budget_minor, currency,
             compensation, commission_basis_points, creators_wanted, application_deadline,
             starts_on, ends_on, eligible_tiers, platforms, niches, countries, target_audience,
             landing_url, attribution_window_days)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
                 $20, $21)",
        id,
        brand_id,
        created_by,
        c.title,
        c.business_goal,
        c.objective as Objective,
        c.budget.minor(),
        c.budget.currency() as Currency,
        c.compensation as Compensation,
        c.commission_basis_points.map(|bp| bp as i32),
        c.creators_wanted as i32,
        c.application_deadline,
        c.starts_on,
        c.ends_on,
        &c.eligible_tiers as &[Tier],
        &c.platforms as &[Platform],
        &c.niches,
        &c.countries,
        c.target_audience,
        c.landing_url,
        c.attribution_window_days,
    )
    .execute(&mut *conn)
    .await?;
    replace_kpis(conn, id, &c.kpis).await?;
    Ok(id)
}

/// Updates the brand's own campaign; `false` when it has no such campaign.
pub async fn update(
    conn: &mut PgConnection,
    brand_id: Uuid,
    id: Uuid,
    c: &CampaignInput,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update campaigns set
             title = $3, business_goal = $4, objective = $5, budget_minor = $6, currency = $7,
             compensation = $8, commission_basis_points = $9, creators_wanted = $10,
             application_deadline = $11, starts_on = $12, ends_on = $13, eligible_tiers = $14,
             platforms = $15, niches = $16, countries = $17, target_audience = $18,
             landing_url = $19, attribution_window_days = $20
         where id = $1 and brand_id = $2",
        id,
        brand_id,
        c.title,
        c.business_goal,
        c.objective as Objective,
        c.budget.minor(),
        c.budget.currency() as Currency,
        c.compensation as Compensation,
        c.commission_basis_points.map(|bp| bp as i32),
        c.creators_wanted as i32,
        c.application_deadline,
        c.starts_on,
        c.ends_on,
        &c.eligible_tiers as &[Tier],
        &c.platforms as &[Platform],
        &c.niches,
        &c.countries,
        c.target_audience,
        c.landing_url,
        c.attribution_window_days,
    )
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    replace_kpis(conn, id, &c.kpis).await?;
    Ok(true)
}

/// Whether the agency suspended the brand: its campaigns then take no
/// applications.
pub async fn brand_suspended(db: impl PgExecutor<'_>, brand_id: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select suspended_at is not null as "suspended!" from brands where id = $1"#,
        brand_id
    )
    .fetch_one(db)
    .await
}

/// A statement reading campaigns joined to their brand as `c` and `b`, with
/// the columns `campaign_from_row!` builds a `Campaign` from, then `$extra`
/// columns and the `$rest` of the statement. The pages that show a campaign
/// beside other reads ask for them in the same statement.
macro_rules! campaign_query {
    ($extra:literal, $rest:literal, $($arg:expr),* $(,)?) => {
        sqlx::query!(
            r#"select c.id, c.brand_id, b.name as brand_name, c.title, c.business_goal,
                  c.objective as "objective: Objective", c.budget_minor,
                  c.currency as "currency: Currency",
                  c.compensation as "compensation: Compensation", c.commission_basis_points,
                  c.creators_wanted, c.application_deadline, c.starts_on, c.ends_on,
                  c.eligible_tiers as "eligible_tiers: Vec<Tier>",
                  c.platforms as "platforms: Vec<Platform>", c.niches, c.countries,
                  c.target_audience, c.status as "status: Status", c.landing_url,
                  c.attribution_window_days,
                  coalesce((select array_agg(k.metric order by k.position) from campaign_kpis k
                             where k.campaign_id = c.id), '{}') as "kpi_metrics!: Vec<KpiMetric>",
                  coalesce((select array_agg(k.target order by k.position) from campaign_kpis k
                             where k.campaign_id = c.id), '{}') as "kpi_targets!""#
                + $extra
                + " from campaigns c join brands b on b.id = c.brand_id "
                + $rest,
            $($arg),*
        )
    };
}

macro_rules! campaign_from_row {
    ($row:ident) => {{
        let kpis = $row
            .kpi_metrics
            .into_iter()
            .zip($row.kpi_targets)
            .map(|(metric, target)| Kpi { metric, target })
            .collect();
        Campaign {
            id: $row.id,
            brand_id: $row.brand_id,
            brand_name: $row.brand_name,
            title: $row.title,
            business_goal: $row.business_goal,
            objective: $row.objective,
            budget: Money::from_minor($row.budget_minor, $row.currency),
            compensation: $row.compensation,
            commission_basis_points: $row.commission_basis_points,
            creators_wanted: $row.creators_wanted,
            application_deadline: $row.application_deadline,
            starts_on: $row.starts_on,
            ends_on: $row.ends_on,
            eligible_tiers: $row.eligible_tiers,
            platforms: $row.platforms,
            niches: $row.niches,
            countries: $row.countries,
            target_audience: $row.target_audience,
            status: $row.status,
            kpis,
            landing_url: $row.landing_url,
            attribution_window_days: $row.attribution_window_days,
        }
    }};
}

pub async fn find(
    db: impl PgExecutor<'_>,
    viewer: Viewer,
    id: Uuid,
) -> Result<Option<Campaign>, sqlx::Error> {
    let row = campaign_query!(
        "",
        "where c.id = $1 and ($2::uuid is null or c.brand_id = $2)
           and (not $3 or c.status in ('open', 'closed', 'completed'))",
        id,
        viewer.brand(),
        viewer.is_creator(),
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|row| campaign_from_row!(row)))
}

/// A campaign with what its page shows around it: the brief's latest version,
/// the brand's ratings and record, and for its own brand how it is going.
pub struct Shown {
    pub campaign: Campaign,
    pub brief_version: Option<i32>,
    pub ratings: Option<BrandAverages>,
    pub response: ResponseTime,
    pub progress: Option<Progress>,
}

/// The campaign page's reads in one statement; `None` when the viewer may not
/// see the campaign (`find`'s rules).
pub async fn shown(
    db: impl PgExecutor<'_>,
    viewer: Viewer,
    id: Uuid,
) -> Result<Option<Shown>, sqlx::Error> {
    let Some(row) = campaign_query!(
        r#", (select max(v.version) from brief_versions v where v.campaign_id = c.id)
                 as brief_version,
             r.ratings as "ratings!", r.brief_clarity, r.feedback_quality, r.communication,
             r.payment_timeliness, r.fairness,
             t.reviews as "reviews!", t.on_time as "on_time!", t.median_hours,
             t.releases as "releases!", t.releases_on_time as "releases_on_time!",
             t.median_days_to_pay, t.overdue_now as "overdue_now!",
             n.submitted as "submitted?", n.shortlisted as "shortlisted?",
             n.accepted as "accepted?", n.declined as "declined?", n.withdrawn as "withdrawn?",
             g.committed as "committed?", g.lines as "lines?: Json<Vec<CollaborationLine>>""#,
        r#"cross join lateral brand_rating_averages(c.brand_id) r
           cross join lateral brand_response_time(c.brand_id) t
           -- How it is going, for its own brand only (the statement's
           -- viewer filter makes any brand here the campaign's own): the
           -- conditions on $2 skip these reads for everyone else.
           left join campaign_application_counts n on n.campaign_id = c.id and $2::uuid is not null
           left join lateral (
                 select coalesce(sum(x.fee), 0)::int8 as committed,
                        coalesce(json_agg(json_build_object(
                            'application_id', x.id, 'creator_name', x.creator_name,
                            'deliverables', x.deliverables, 'published', x.published,
                            'in_review', x.in_review) order by x.creator_name, x.id), '[]') as lines
                   from (select a.id, u.display_name as creator_name, a.agreed_fee_minor as fee,
                                count(d.id) as deliverables,
                                count(d.id) filter (where d.status = 'published') as published,
                                count(d.id) filter (where d.status = 'submitted') as in_review
                           from applications a
                           join influencer_profiles p on p.id = a.profile_id
                           join users u on u.id = p.user_id
                           left join deliverables d on d.application_id = a.id
                          where a.campaign_id = c.id and a.status = 'accepted'
                            and $2::uuid is not null
                          group by a.id, u.display_name) x
                ) g on true
          where c.id = $1 and ($2::uuid is null or c.brand_id = $2)
            and (not $3 or c.status in ('open', 'closed', 'completed'))"#,
        id,
        viewer.brand(),
        viewer.is_creator(),
    )
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    let ratings = ratings_db::averages_of(
        row.ratings,
        [
            row.brief_clarity,
            row.feedback_quality,
            row.communication,
            row.payment_timeliness,
            row.fairness,
        ],
    );
    let response = ResponseTime {
        reviews: row.reviews,
        on_time: row.on_time,
        median_hours: row.median_hours,
        overdue_now: row.overdue_now,
        releases: row.releases,
        releases_on_time: row.releases_on_time,
        median_days_to_pay: row.median_days_to_pay,
    };
    let progress = match (viewer, row.lines) {
        (Viewer::Brand(_), Some(Json(collaborations))) => Some(Progress {
            submitted: row.submitted.map_or(0, i64::from),
            shortlisted: row.shortlisted.map_or(0, i64::from),
            accepted: row.accepted.map_or(0, i64::from),
            declined: row.declined.map_or(0, i64::from),
            withdrawn: row.withdrawn.map_or(0, i64::from),
            committed_minor: row.committed.unwrap_or(0),
            collaborations,
        }),
        _ => None,
    };
    let brief_version = row.brief_version;
    Ok(Some(Shown {
        campaign: campaign_from_row!(row),
        brief_version,
        ratings,
        response,
        progress,
    }))
}

pub struct ListItem {
    pub id: Uuid,
    pub title: String,
    pub brand_name: String,
    pub status: Status,
    pub budget: Money,
    pub application_deadline: Date,
}

/// A row of either list statement.
struct ListRow {
    id: Uuid,
    title: String,
    brand_name: String,
    status: Status,
    budget_minor: i64,
    currency: Currency,
    application_deadline: Date,
}

impl From<ListRow> for ListItem {
    fn from(r: ListRow) -> Self {
        ListItem {
            id: r.id,
            title: r.title,
            brand_name: r.brand_name,
            status: r.status,
            budget: Money::from_minor(r.budget_minor, r.currency),
            application_deadline: r.application_deadline,
        }
    }
}

/// A brand's campaigns, or every brand's for `None` (admins), newest first,
/// hiding archived ones. Two statements rather than one with `$1 is null or`, so
/// each keeps a plan that uses its index when prepared.
pub async fn list(
    db: impl PgExecutor<'_>,
    brand: Option<Uuid>,
) -> Result<Vec<ListItem>, sqlx::Error> {
    let rows = match brand {
        Some(brand_id) => {
            sqlx::query_as!(
                ListRow,
                r#"select c.id, c.title, b.name as brand_name, c.status as "status: Status",
                          c.budget_minor, c.currency as "currency: Currency", c.application_deadline
                     from campaigns c join brands b on b.id = c.brand_id
                    where c.brand_id = $1 and c.status <> 'archived'
                    order by c.created_at desc
                    limit 200"#,
                brand_id
            )
            .fetch_all(db)
            .await?
        }
        None => {
            sqlx::query_as!(
                ListRow,
                r#"select c.id, c.title, b.name as brand_name, c.status as "status: Status",
                          c.budget_minor, c.currency as "currency: Currency", c.application_deadline
                     from campaigns c join brands b on b.id = c.brand_id
                    where c.status <> 'archived'
                    order by c.created_at desc
                    limit 200"#
            )
            .fetch_all(db)
            .await?
        }
    };
    Ok(rows.into_iter().map(ListItem::from).collect())
}

/// Moves the brand's campaign from `from` to `to`; `false` when it was not in
/// `from` any more (someone else moved it first) or is not the brand's.
pub async fn set_status(
    db: impl PgExecutor<'_>,
    brand_id: Uuid,
    id: Uuid,
    from: Status,
    to: Status,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update campaigns
            set status = $4,
                published_at = case when $4 = 'open' then now() else published_at end
          where id = $1 and brand_id = $2 and status = $3",
        id,
        brand_id,
        from as Status,
        to as Status
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How a campaign is going, for its brand: its applications by status, the
/// budget committed to accepted creators, and each collaboration's deliverables.
pub struct Progress {
    pub submitted: i64,
    pub shortlisted: i64,
    pub accepted: i64,
    pub declined: i64,
    pub withdrawn: i64,
    /// Agreed fees of the accepted applications, in the campaign's currency.
    pub committed_minor: i64,
    pub collaborations: Vec<CollaborationLine>,
}

#[derive(Debug, serde::Deserialize)]
pub struct CollaborationLine {
    pub application_id: Uuid,
    pub creator_name: String,
    pub deliverables: i64,
    pub published: i64,
    pub in_review: i64,
}
