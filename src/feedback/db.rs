//! What the growth page reads: the creator's reviews, their scores by month and
//! the changes brands asked for.

use time::OffsetDateTime;
use uuid::Uuid;

use super::growth::{self, MonthlyScore};
use crate::{
    campaigns::brief::Criterion,
    collaborations::reviews::domain::Decision,
    domain::{Format, Platform},
    web::keyset::Cursor,
};

/// Average score per criterion and month, over every review of the creator's
/// work: the scores kept under the creator (`creator_reviews`), one index
/// range, averaged here. Unnested and averaged in the statement, a busy
/// creator's 3,000 scores took 3 ms of the database's time; reading the 700
/// rows takes 0.6.
pub async fn monthly_scores(
    db: impl sqlx::PgExecutor<'_>,
    user_id: Uuid,
) -> Result<Vec<MonthlyScore>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select (k.reviewed_at at time zone 'UTC')::date as "day!",
                  k.criteria as "criteria: Vec<Criterion>", k.scores
             from creator_reviews k
            where k.profile_id = (select p.id from influencer_profiles p where p.user_id = $1)"#,
        user_id
    )
    .fetch_all(db)
    .await?;
    Ok(growth::monthly_averages(rows.into_iter().flat_map(|r| {
        r.criteria
            .into_iter()
            .zip(r.scores)
            .map(move |(criterion, score)| (r.day, criterion, score))
    })))
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
    /// Where the list stands at this review, for the older page's link.
    pub place: Cursor,
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

/// The creator's reviews, newest first, from just past `before` when given:
/// cut to the page on the reviews kept under the creator (with their scores)
/// before campaigns are joined, so an old page costs what the first does.
pub async fn reviews(
    db: impl sqlx::PgExecutor<'_>,
    user_id: Uuid,
    before: Option<Cursor>,
    limit: i64,
) -> Result<Vec<ReviewSummary>, sqlx::Error> {
    let before = before.unwrap_or_else(Cursor::newest);
    let rows = sqlx::query!(
        r#"select k.review_id as "review_id!", k.reviewed_at as "reviewed_at!",
                  d.id as deliverable_id, c.title as campaign_title, c.brand_name,
                  d.platform as "platform: Platform", d.format as "format: Format", s.round,
                  r.decision as "decision: Decision", r.keep, r.why, r.created_at,
                  k.criteria as "criteria: Vec<Criterion>", k.scores,
                  (select count(*) from action_items i where i.review_id = r.id) as "changes!"
             from (select k.review_id, k.reviewed_at, k.criteria, k.scores
                     from creator_reviews k
                    where k.profile_id = (select p.id from influencer_profiles p
                                           where p.user_id = $1)
                      and (k.reviewed_at, k.review_id) < ($2, $3)
                    order by k.reviewed_at desc, k.review_id desc
                    limit $4) k
             join reviews r on r.id = k.review_id
             join submissions s on s.id = r.submission_id
             join deliverables d on d.id = s.deliverable_id
             join applications a on a.id = d.application_id
             join campaigns c on c.id = a.campaign_id
            order by k.reviewed_at desc, k.review_id desc"#,
        user_id,
        before.time(),
        before.id,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ReviewSummary {
            place: Cursor::at(r.reviewed_at, r.review_id),
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
