//! Reviews as stored: the action items and scores of a deliverable's reviews,
//! recording a review under the deliverable's row lock, and the drafts waiting
//! for review.

use sqlx::PgConnection;
use time::OffsetDateTime;
use uuid::Uuid;

use super::domain::{Citation, ClauseKind, Decision, NewReview};
use crate::{
    agreements::domain::AmendmentStatus,
    auth::Viewer,
    campaigns::brief::Criterion,
    collaborations::{
        deliverables::{
            DeliverableStatus,
            db::{DeliverableDetail, WorkError, lock, set_status},
        },
        rounds::domain::Answer,
    },
    domain::{Currency, Format, Money, Platform},
};

#[derive(Debug, Clone)]
pub struct ItemRow {
    pub id: Uuid,
    pub review_id: Uuid,
    pub number: i16,
    pub body: String,
    pub cite: Option<Citation>,
    pub out_of_scope: bool,
    pub answered_in: Option<Uuid>,
    pub answer: Option<Answer>,
    pub reply: Option<String>,
    /// The newest quote for it, when it asked for work outside the brief.
    pub quote: Option<ItemQuote>,
}

/// A quote for a request outside the brief, as the deliverable shows it.
#[derive(Debug, Clone)]
pub struct ItemQuote {
    /// The amendment's text, to read and decide.
    pub agreement_id: Uuid,
    pub status: AmendmentStatus,
    pub price: Money,
}

impl ItemRow {
    /// Whether the next draft must answer it: not answered yet, and not
    /// settled by a quote (waiting, accepted, or declined, which withdrew it).
    pub fn needs_answer(&self) -> bool {
        self.answered_in.is_none()
            && !self
                .quote
                .as_ref()
                .is_some_and(|q| q.status.settles_request())
    }

    /// Whether the creator may quote it now.
    pub fn quotable(&self) -> bool {
        self.out_of_scope && self.needs_answer()
    }
}

#[derive(Debug, Clone)]
pub struct ScoreRow {
    pub criterion: Criterion,
    pub score: i16,
    pub comment: String,
}

#[derive(Debug, Clone)]
pub struct ReviewRow {
    pub id: Uuid,
    pub decision: Decision,
    pub keep: String,
    pub why: String,
    pub reviewer: String,
    pub created_at: OffsetDateTime,
    pub on_time: bool,
    pub scores: Vec<ScoreRow>,
    /// The changes it requested.
    pub items: Vec<ItemRow>,
}

pub(in crate::collaborations) async fn items(
    db: impl sqlx::PgExecutor<'_>,
    deliverable_id: Uuid,
) -> Result<Vec<ItemRow>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select i.id, i.review_id, i.number, i.body, i.cite_kind as "cite_kind: ClauseKind",
                  i.cite_number, i.cite_text, i.out_of_scope, i.answered_in,
                  i.answer as "answer: Answer", i.reply, q.agreement_id as "quote_agreement?",
                  q.status as "quote_status?: AmendmentStatus", q.price_minor as "quote_price?",
                  q.currency as "quote_currency?: Currency"
             from action_items i
             left join lateral (
                 select m.agreement_id, m.status, m.price_minor, m.currency from amendments m
                  where m.action_item_id = i.id order by m.created_at desc limit 1
             ) q on i.out_of_scope
            where i.deliverable_id = $1
            order by i.number"#,
        deliverable_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ItemRow {
            id: r.id,
            review_id: r.review_id,
            number: r.number,
            body: r.body,
            cite: match (r.cite_kind, r.cite_text) {
                (Some(kind), Some(text)) => Some(Citation {
                    kind,
                    number: r.cite_number,
                    text,
                }),
                _ => None,
            },
            out_of_scope: r.out_of_scope,
            answered_in: r.answered_in,
            answer: r.answer,
            reply: r.reply,
            quote: match (
                r.quote_agreement,
                r.quote_status,
                r.quote_price,
                r.quote_currency,
            ) {
                (Some(agreement_id), Some(status), Some(price), Some(currency)) => {
                    Some(ItemQuote {
                        agreement_id,
                        status,
                        price: Money::from_minor(price, currency),
                    })
                }
                _ => None,
            },
        })
        .collect())
}

/// Records a review of the deliverable's latest round: its scores, its
/// action items (numbered on from the deliverable's last), and the decision.
pub async fn review(
    tx: &mut PgConnection,
    d: &DeliverableDetail,
    submission_id: Uuid,
    reviewer_id: Uuid,
    new: &NewReview,
) -> Result<Uuid, WorkError> {
    let locked = lock(tx, d.id).await?;
    let submission = sqlx::query!(
        r#"select s.round, s.review_due_at >= now() as "on_time!",
                  exists (select 1 from reviews r where r.submission_id = s.id) as "reviewed!"
             from submissions s where s.id = $1"#,
        submission_id
    )
    .fetch_one(&mut *tx)
    .await?;
    if submission.reviewed {
        return Err(WorkError::Refused(
            "This draft has been reviewed already.".into(),
        ));
    }
    if locked.status == DeliverableStatus::Cancelled {
        return Err(WorkError::Refused(
            "This collaboration has ended: the deliverable was cancelled.".into(),
        ));
    }
    if submission.round != locked.last_round || locked.status != DeliverableStatus::Submitted {
        return Err(WorkError::Refused(
            "A newer draft has been sent: review that one.".into(),
        ));
    }
    let id = Uuid::now_v7();
    sqlx::query!(
        "insert into reviews (id, submission_id, reviewer_id, decision, keep, why, on_time)
         values ($1, $2, $3, $4, $5, $6, $7)",
        id,
        submission_id,
        reviewer_id,
        new.decision as Decision,
        new.keep,
        new.why,
        submission.on_time
    )
    .execute(&mut *tx)
    .await?;
    insert_scores(tx, id, new).await?;
    if !new.items.is_empty() {
        insert_items(tx, id, d.id, new).await?;
    }
    set_status(
        tx,
        d.id,
        match new.decision {
            Decision::Approve => DeliverableStatus::Approved,
            Decision::RequestChanges => DeliverableStatus::ChangesRequested,
        },
    )
    .await?;
    Ok(id)
}

async fn insert_scores(
    tx: &mut PgConnection,
    review_id: Uuid,
    new: &NewReview,
) -> Result<(), sqlx::Error> {
    let criteria: Vec<Criterion> = new.scores.iter().map(|s| s.criterion).collect();
    let points: Vec<i16> = new.scores.iter().map(|s| s.score).collect();
    let comments: Vec<String> = new.scores.iter().map(|s| s.comment.clone()).collect();
    sqlx::query!(
        "insert into review_scores (review_id, criterion, score, comment)
         select $1, * from unnest($2::text[], $3::int2[], $4::text[])",
        review_id,
        &criteria as &[Criterion],
        &points,
        &comments
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The review's action items, numbered on from the deliverable's last.
async fn insert_items(
    tx: &mut PgConnection,
    review_id: Uuid,
    deliverable_id: Uuid,
    new: &NewReview,
) -> Result<(), sqlx::Error> {
    let ids: Vec<Uuid> = new.items.iter().map(|_| Uuid::now_v7()).collect();
    let bodies: Vec<String> = new.items.iter().map(|i| i.body.clone()).collect();
    let kinds: Vec<Option<ClauseKind>> = new
        .items
        .iter()
        .map(|i| i.cite.as_ref().map(|c| c.kind))
        .collect();
    let numbers: Vec<Option<i16>> = new
        .items
        .iter()
        .map(|i| i.cite.as_ref().and_then(|c| c.number))
        .collect();
    let texts: Vec<Option<String>> = new
        .items
        .iter()
        .map(|i| i.cite.as_ref().map(|c| c.text.clone()))
        .collect();
    let scope: Vec<bool> = new.items.iter().map(|i| i.out_of_scope).collect();
    sqlx::query!(
        "insert into action_items (id, review_id, deliverable_id, number, body, cite_kind,
                                   cite_number, cite_text, out_of_scope)
         select t.id, $2, $3,
                (select coalesce(max(number), 0) from action_items where deliverable_id = $3)
                  + t.ord::int2,
                t.body, t.kind, t.num, t.text, t.scope
           from unnest($1::uuid[], $4::text[], $5::text[], $6::int2[], $7::text[], $8::bool[])
                with ordinality as t(id, body, kind, num, text, scope, ord)",
        &ids,
        review_id,
        deliverable_id,
        &bodies,
        &kinds as &[Option<ClauseKind>],
        &numbers as &[Option<i16>],
        &texts as &[Option<String>],
        &scope
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A draft waiting for the brand's review.
#[derive(Debug, Clone)]
pub struct AwaitingReview {
    pub deliverable_id: Uuid,
    pub campaign_title: String,
    pub creator_name: String,
    pub brand_name: String,
    pub platform: Platform,
    pub format: Format,
    pub round: i16,
    pub review_due_at: OffsetDateTime,
}

impl AwaitingReview {
    pub fn is_overdue(&self, now: OffsetDateTime) -> bool {
        self.review_due_at < now
    }
}

/// The drafts waiting for review that `$way_in` finds (`awaiting_reviews` as
/// `w`; the first key is the limit), the longest overdue first: the page is
/// the first entries of the kept table's index for that way in (migration
/// 0057), cut before anything else is joined.
macro_rules! awaiting_where {
    ($way_in:literal, $($key:expr),+) => {
        sqlx::query!(
            r#"select w.deliverable_id as id, c.title, u.display_name, c.brand_name,
                      d.platform as "platform: Platform", d.format as "format: Format",
                      w.round, w.review_due_at
                 from (select w.deliverable_id, w.round, w.review_due_at
                         from awaiting_reviews w
                        where "# + $way_in + r#"
                        order by w.review_due_at, w.deliverable_id
                        limit $1) w
                 join deliverables d on d.id = w.deliverable_id
                 join applications a on a.id = d.application_id
                 join campaigns c on c.id = a.campaign_id
                 join influencer_profiles p on p.id = a.profile_id
                 join users u on u.id = p.user_id
                order by w.review_due_at, w.deliverable_id"#,
            $($key),+
        )
    };
}

/// Drafts the viewer's brand owes a review (or, for the creator, is waiting
/// on), the longest overdue first: one statement per way in, each on the
/// index for it.
pub async fn awaiting_review(
    db: impl sqlx::PgExecutor<'_>,
    viewer: Viewer,
    limit: i64,
) -> Result<Vec<AwaitingReview>, sqlx::Error> {
    macro_rules! rows {
        ($query:expr) => {
            $query
                .fetch_all(db)
                .await?
                .into_iter()
                .map(|r| AwaitingReview {
                    deliverable_id: r.id,
                    campaign_title: r.title,
                    creator_name: r.display_name,
                    brand_name: r.brand_name,
                    platform: r.platform,
                    format: r.format,
                    round: r.round,
                    review_due_at: r.review_due_at,
                })
                .collect()
        };
    }
    Ok(match viewer {
        Viewer::Creator(user) => rows!(awaiting_where!(
            "w.profile_id = (select id from influencer_profiles where user_id = $2)",
            limit,
            user
        )),
        Viewer::Brand(brand) => rows!(awaiting_where!("w.brand_id = $2", limit, brand)),
        Viewer::Admin => rows!(awaiting_where!("true", limit)),
    })
}

/// A draft whose brand stayed silent past the brief's review promise and the
/// agency's grace.
pub struct Unreviewed {
    pub deliverable_id: Uuid,
    pub submission_id: Uuid,
    pub brand_id: Uuid,
    pub creator_id: Uuid,
    pub campaign_title: String,
}

/// Drafts waiting for review longer than their promise plus `grace_days`,
/// oldest first.
pub async fn unreviewed_past_grace(
    db: impl sqlx::PgExecutor<'_>,
    grace_days: i32,
    limit: i64,
) -> Result<Vec<Unreviewed>, sqlx::Error> {
    sqlx::query_as!(
        Unreviewed,
        r#"select d.id as deliverable_id, s.id as submission_id, d.brand_id,
                  p.user_id as creator_id, c.title as campaign_title
             from deliverables d
             join submissions s on s.deliverable_id = d.id
                               and s.round = (select max(x.round) from submissions x
                                               where x.deliverable_id = d.id)
             join applications a on a.id = d.application_id
             join campaigns c on c.id = a.campaign_id
             join influencer_profiles p on p.id = d.profile_id
            where d.status = 'submitted'
              and not exists (select 1 from reviews r where r.submission_id = s.id)
              and s.review_due_at + make_interval(days => $1) < now()
              -- A disputed deliverable waits for the agency, not for the clock.
              and not exists (select 1 from disputes x
                               where x.deliverable_id = d.id and x.resolved_at is null)
            order by s.review_due_at
            limit $2"#,
        grace_days,
        limit
    )
    .fetch_all(db)
    .await
}

/// Approves the draft for its silent brand, under the deliverable's lock:
/// `false` when the brand reviewed it or a newer draft came meanwhile.
pub async fn approve_automatically(
    tx: &mut PgConnection,
    u: &Unreviewed,
) -> Result<bool, WorkError> {
    let locked = lock(tx, u.deliverable_id).await?;
    let latest = sqlx::query!(
        r#"select s.round,
                  exists (select 1 from reviews r where r.submission_id = s.id) as "reviewed!"
             from submissions s where s.id = $1"#,
        u.submission_id
    )
    .fetch_one(&mut *tx)
    .await?;
    if latest.reviewed
        || latest.round != locked.last_round
        || locked.status != DeliverableStatus::Submitted
    {
        return Ok(false);
    }
    sqlx::query!(
        "insert into reviews (id, submission_id, reviewer_id, decision, keep, why, on_time)
         values ($1, $2, null, 'approve', '', $3, false)",
        Uuid::now_v7(),
        u.submission_id,
        "Approved automatically: the brand did not review it within the brief's promise and \
         the agency's grace."
    )
    .execute(&mut *tx)
    .await?;
    set_status(tx, u.deliverable_id, DeliverableStatus::Approved).await?;
    Ok(true)
}
