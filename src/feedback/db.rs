//! What the growth page reads: the creator's reviews, their scores by month and
//! the changes brands asked for.

use time::OffsetDateTime;
use uuid::Uuid;

use super::growth::MonthlyScore;
use crate::{
    campaigns::brief::Criterion,
    collaborations::reviews::domain::Decision,
    domain::{Format, Platform},
};

/// Average score per criterion and month, over every review of the creator's
/// work, found on their deliverables (which carry the profile).
pub async fn monthly_scores(
    db: impl sqlx::PgExecutor<'_>,
    user_id: Uuid,
) -> Result<Vec<MonthlyScore>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select date_trunc('month', r.created_at at time zone 'UTC')::date as "month!",
                  rs.criterion as "criterion: Criterion",
                  round(avg(rs.score) * 10)::int8 as "tenths!"
             from deliverables d
             join submissions s on s.deliverable_id = d.id
             join reviews r on r.submission_id = s.id
             join review_scores rs on rs.review_id = r.id
            where d.profile_id = (select p.id from influencer_profiles p where p.user_id = $1)
            group by 1, 2
            order by 1, 2"#,
        user_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| MonthlyScore {
            month: r.month,
            criterion: r.criterion,
            tenths: r.tenths,
        })
        .collect())
}

/// Every change brands asked of the creator, newest first: (cite kind, out of
/// scope, text).
pub async fn requested_changes(
    db: impl sqlx::PgExecutor<'_>,
    user_id: Uuid,
) -> Result<Vec<(Option<String>, bool, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        "select i.cite_kind, i.out_of_scope, i.body
           from deliverables d
           join action_items i on i.deliverable_id = d.id
          where d.profile_id = (select p.id from influencer_profiles p where p.user_id = $1)
          order by i.id desc
          limit 1000",
        user_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.cite_kind, r.out_of_scope, r.body))
        .collect())
}

pub struct ReviewSummary {
    pub deliverable_id: Uuid,
    pub campaign_title: String,
    pub brand_name: String,
    pub platform: Platform,
    pub format: Format,
    pub round: i16,
    pub decision: Decision,
    pub keep: String,
    pub why: String,
    pub created_at: OffsetDateTime,
    /// (criterion, score)
    pub scores: Vec<(Criterion, i16)>,
    pub changes: i64,
}

/// The creator's reviews, newest first: found on their deliverables (which
/// carry the profile) and cut to the page before campaigns are joined and each
/// review's scores gathered.
pub async fn reviews(
    db: impl sqlx::PgExecutor<'_>,
    user_id: Uuid,
    limit: i64,
) -> Result<Vec<ReviewSummary>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select r.deliverable_id, c.title as campaign_title, c.brand_name,
                  r.platform as "platform: Platform", r.format as "format: Format", r.round,
                  r.decision as "decision: Decision", r.keep, r.why, r.created_at,
                  coalesce((select array_agg(rs.criterion order by rs.criterion)
                              from review_scores rs where rs.review_id = r.id), '{}')
                      as "criteria!: Vec<Criterion>",
                  coalesce((select array_agg(rs.score order by rs.criterion)
                              from review_scores rs where rs.review_id = r.id), '{}') as "scores!",
                  (select count(*) from action_items i where i.review_id = r.id) as "changes!"
             from (select r.id, r.decision, r.keep, r.why, r.created_at, s.round, d.id as deliverable_id,
                          d.application_id, d.platform, d.format
                     from deliverables d
                     join submissions s on s.deliverable_id = d.id
                     join reviews r on r.submission_id = s.id
                    where d.profile_id = (select p.id from influencer_profiles p
                                           where p.user_id = $1)
                    order by r.created_at desc, r.id desc
                    limit $2) r
             join applications a on a.id = r.application_id
             join campaigns c on c.id = a.campaign_id
            order by r.created_at desc, r.id desc"#,
        user_id,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ReviewSummary {
            deliverable_id: r.deliverable_id,
            campaign_title: r.campaign_title,
            brand_name: r.brand_name,
            platform: r.platform,
            format: r.format,
            round: r.round,
            decision: r.decision,
            keep: r.keep,
            why: r.why,
            created_at: r.created_at,
            scores: {
                let mut scores: Vec<(Criterion, i16)> =
                    r.criteria.into_iter().zip(r.scores).collect();
                scores.sort_by_key(|(c, _)| c.rank());
                scores
            },
            changes: r.changes,
        })
        .collect())
}
