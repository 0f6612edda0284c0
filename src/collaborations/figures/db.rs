//! Post figures in the database, and the latest set per deliverable that the
//! reports read.

use sqlx::{PgConnection, PgExecutor};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::domain::Figures;
use crate::{
    domain::{Platform, Tier},
    influencers::authenticity::{Base, Benchmark},
};

/// What the engagement rate of a deliverable's post is judged with: the
/// creator's followers on its platform and the benchmark for the tier the
/// brand accepted them at.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    pub platform: Platform,
    pub tier: Option<Tier>,
    pub followers: Option<i64>,
    pub benchmark: Option<Benchmark>,
}

/// A published deliverable's post: its figures, newest first, and what its
/// engagement rate is judged with (`None` when there is no such deliverable),
/// in one statement. The caller has checked that the viewer may see the
/// deliverable.
pub async fn of_post(
    db: impl PgExecutor<'_>,
    deliverable_id: Uuid,
) -> Result<(Vec<FiguresRow>, Option<Context>), sqlx::Error> {
    let rows = sqlx::query!(
        r#"select x.platform as "platform: Platform", x.tier as "tier: Tier", x.followers,
                  b.low_ppm as "low_ppm?", b.typical_ppm as "typical_ppm?", b.high_ppm as "high_ppm?",
                  f.id as "id?", f.recorded_on as "recorded_on?", f.impressions, f.reach, f.views,
                  f.likes, f.comments, f.shares, f.saves, f.checked_at, u.display_name as "checked_by?"
             from (select d.id, d.platform, a.creator_tier as tier,
                          (select max(ch.followers) from channels ch
                            where ch.profile_id = d.profile_id and ch.platform = d.platform) as followers
                     from deliverables d
                     join applications a on a.id = d.application_id
                    where d.id = $1) x
             left join engagement_benchmarks b
                    on b.platform = x.platform and b.tier = coalesce(x.tier, 'emerging')
             left join post_figures f on f.deliverable_id = x.id
             left join users u on u.id = f.checked_by
            order by f.recorded_on desc"#,
        deliverable_id
    )
    .fetch_all(db)
    .await?;
    let context = rows.first().map(|r| Context {
        platform: r.platform,
        tier: r.tier,
        followers: r.followers,
        benchmark: match (r.low_ppm, r.typical_ppm, r.high_ppm) {
            (Some(low), Some(typical), Some(high)) => Some(Benchmark {
                low_ppm: low.into(),
                typical_ppm: typical.into(),
                high_ppm: high.into(),
            }),
            _ => None,
        },
    });
    let figures = rows
        .into_iter()
        .filter_map(|r| {
            Some(FiguresRow {
                id: r.id?,
                recorded_on: r.recorded_on?,
                figures: Figures {
                    impressions: r.impressions,
                    reach: r.reach,
                    views: r.views,
                    likes: r.likes,
                    comments: r.comments,
                    shares: r.shares,
                    saves: r.saves,
                },
                checked_at: r.checked_at,
                checked_by: r.checked_by,
            })
        })
        .collect();
    Ok((figures, context))
}

/// Figures for that day are already recorded.
#[derive(Debug)]
pub struct SameDay;

/// Records a set of figures and, when it is the newest, makes it the
/// deliverable's latest for the reports; in the caller's transaction.
pub async fn record(
    tx: &mut PgConnection,
    deliverable_id: Uuid,
    recorded_on: Date,
    f: &Figures,
    context: Option<&Context>,
    by: Uuid,
) -> Result<Result<Uuid, SameDay>, sqlx::Error> {
    let rated = context.and_then(|c| f.engagement_ppm(c.platform, c.followers));
    // What the rate divides by: the post's views, or the creator's followers.
    let base = context.map_or(0, |c| match rated.map(|(_, base)| base) {
        Some(Base::Views) => f.views.unwrap_or(0),
        Some(Base::Followers) => c.followers.unwrap_or(0),
        None => 0,
    });
    let id = Uuid::now_v7();
    let inserted = sqlx::query_scalar!(
        "insert into post_figures (id, deliverable_id, brand_id, recorded_on, impressions, reach,
                                   views, likes, comments, shares, saves, recorded_by)
         select $1, $2, d.brand_id, $3, $4, $5, $6, $7, $8, $9, $10, $11
           from deliverables d where d.id = $2
         on conflict (deliverable_id, recorded_on) do nothing
         returning id",
        id,
        deliverable_id,
        recorded_on,
        f.impressions,
        f.reach,
        f.views,
        f.likes,
        f.comments,
        f.shares,
        f.saves,
        by
    )
    .fetch_optional(&mut *tx)
    .await?;
    if inserted.is_none() {
        return Ok(Err(SameDay));
    }
    sqlx::query!(
        "insert into deliverable_results (deliverable_id, application_id, brand_id, campaign_id,
                                          recorded_on, impressions, views, engagements,
                                          engagement_ppm, interactions, engagement_base)
         select d.id, d.application_id, d.brand_id, a.campaign_id, $2, $3, $4, $5, $6, $7, $8
           from deliverables d join applications a on a.id = d.application_id
          where d.id = $1
         on conflict (deliverable_id) do update
            set recorded_on = excluded.recorded_on, impressions = excluded.impressions,
                views = excluded.views, engagements = excluded.engagements,
                engagement_ppm = excluded.engagement_ppm, interactions = excluded.interactions,
                engagement_base = excluded.engagement_base
          where deliverable_results.recorded_on < excluded.recorded_on",
        deliverable_id,
        recorded_on,
        f.seen(),
        f.views.unwrap_or(0),
        f.engagements(),
        rated.map(|(p, _)| i32::try_from(p).unwrap_or(i32::MAX)),
        if base > 0 { f.interactions() } else { 0 },
        base,
    )
    .execute(&mut *tx)
    .await?;
    Ok(Ok(id))
}

#[derive(Debug, Clone)]
pub struct FiguresRow {
    pub id: Uuid,
    pub recorded_on: Date,
    pub figures: Figures,
    pub checked_at: Option<OffsetDateTime>,
    pub checked_by: Option<String>,
}

/// Marks the brand's figures checked; `None` when there is no such set for
/// the brand's deliverable, `Some(false)` when it was checked already.
pub async fn check(
    tx: &mut PgConnection,
    brand_id: Uuid,
    deliverable_id: Uuid,
    figures_id: Uuid,
    by: Uuid,
) -> Result<Option<bool>, sqlx::Error> {
    let row = sqlx::query_scalar!(
        r#"with target as (
               select id, checked_at from post_figures
                where id = $1 and deliverable_id = $2 and brand_id = $3
           ),
           marked as (
               update post_figures f set checked_at = now(), checked_by = $4
                 from target t
                where f.id = t.id and t.checked_at is null
               returning f.id
           )
           select exists (select 1 from marked) as "marked!" from target"#,
        figures_id,
        deliverable_id,
        brand_id,
        by
    )
    .fetch_optional(&mut *tx)
    .await?;
    Ok(row)
}
