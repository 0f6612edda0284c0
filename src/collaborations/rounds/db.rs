//! Rounds as stored: every round of a deliverable with its review, and sending
//! the next one under the deliverable's row lock.

use sqlx::{PgConnection, types::Json};
use time::OffsetDateTime;
use uuid::Uuid;

use super::domain::{Answer, NewSubmission, round_problem};
use crate::{
    agreements,
    campaigns::brief::Criterion,
    collaborations::{
        deliverables::{
            DeliverableStatus,
            db::{DeliverableDetail, WorkError, lock, set_status},
        },
        reviews::{
            db::{ItemRow, ReviewRow, ScoreRow, items},
            domain::Decision,
        },
    },
    disclosure::DisclosureCheck,
};

#[derive(Debug, Clone)]
pub struct Round {
    pub id: Uuid,
    pub number: i16,
    pub content_url: String,
    pub caption: String,
    pub notes: String,
    pub submitted_at: OffsetDateTime,
    pub review_due_at: OffsetDateTime,
    /// For video and audio: where the creator says the disclosure is.
    pub video_disclosure: Option<String>,
    /// The caption's disclosure, checked when the draft was sent.
    pub disclosure_check: Option<DisclosureCheck>,
    /// The earlier requests this draft answers.
    pub answers: Vec<ItemRow>,
    pub review: Option<ReviewRow>,
}

impl Round {
    pub fn review_overdue(&self, now: OffsetDateTime) -> bool {
        self.review.is_none() && self.review_due_at < now
    }
}

/// Where the campaign runs, for the disclosure rules that apply.
pub async fn countries(
    db: impl sqlx::PgExecutor<'_>,
    campaign_id: Uuid,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!("select countries from campaigns where id = $1", campaign_id)
        .fetch_optional(db)
        .await
        .map(Option::unwrap_or_default)
}

/// Every round of a deliverable with its review and action items, oldest
/// first. The caller has checked the viewer may see the deliverable.
pub async fn rounds(
    db: &mut sqlx::PgConnection,
    deliverable_id: Uuid,
) -> Result<Vec<Round>, sqlx::Error> {
    // Each review's scores ride along as arrays, in one order per review.
    let submissions = sqlx::query!(
        r#"select s.id, s.round, s.content_url, s.caption, s.notes, s.submitted_at,
                  s.review_due_at, s.video_disclosure,
                  s.disclosure_check as "disclosure_check: Json<DisclosureCheck>", r.id as "review_id?", r.decision as "decision?: Decision",
                  r.keep as "keep?", r.why as "why?", r.created_at as "reviewed_at?",
                  r.on_time as "on_time?", ru.display_name as "reviewer?",
                  coalesce(sc.criteria, '{}') as "criteria!: Vec<Criterion>",
                  coalesce(sc.scores, '{}') as "scores!: Vec<i16>",
                  coalesce(sc.comments, '{}') as "comments!: Vec<String>"
             from submissions s
             left join reviews r on r.submission_id = s.id
             left join users ru on ru.id = r.reviewer_id
             left join lateral (
                 select array_agg(rs.criterion) as criteria, array_agg(rs.score) as scores,
                        array_agg(rs.comment) as comments
                   from review_scores rs where rs.review_id = r.id
             ) sc on true
            where s.deliverable_id = $1
            order by s.round"#,
        deliverable_id
    )
    .fetch_all(&mut *db)
    .await?;
    let items = items(&mut *db, deliverable_id).await?;
    let rounds = submissions
        .into_iter()
        .map(|s| {
            let review = match (s.review_id, s.decision, s.reviewed_at) {
                (Some(id), Some(decision), Some(created_at)) => Some(ReviewRow {
                    id,
                    decision,
                    keep: s.keep.unwrap_or_default(),
                    why: s.why.unwrap_or_default(),
                    reviewer: s.reviewer.unwrap_or_else(|| "Former member".to_owned()),
                    created_at,
                    on_time: s.on_time.unwrap_or(true),
                    scores: {
                        let mut own: Vec<ScoreRow> = s
                            .criteria
                            .iter()
                            .zip(&s.scores)
                            .zip(&s.comments)
                            .map(|((&criterion, &score), comment)| ScoreRow {
                                criterion,
                                score,
                                comment: comment.clone(),
                            })
                            .collect();
                        own.sort_by_key(|x| x.criterion.rank());
                        own
                    },
                    items: items
                        .iter()
                        .filter(|i| i.review_id == id)
                        .cloned()
                        .collect(),
                }),
                _ => None,
            };
            Round {
                id: s.id,
                number: s.round,
                content_url: s.content_url,
                caption: s.caption,
                notes: s.notes,
                submitted_at: s.submitted_at,
                review_due_at: s.review_due_at,
                video_disclosure: s.video_disclosure,
                disclosure_check: s.disclosure_check.map(|j| j.0),
                answers: items
                    .iter()
                    .filter(|i| i.answered_in == Some(s.id))
                    .cloned()
                    .collect(),
                review,
            }
        })
        .collect();
    Ok(rounds)
}

/// Records the next round of a deliverable and the answers to its open
/// items. Returns the submission's id and round.
pub async fn submit(
    tx: &mut PgConnection,
    d: &DeliverableDetail,
    user_id: Uuid,
    new: &NewSubmission,
    disclosure: &DisclosureCheck,
) -> Result<(Uuid, i16), WorkError> {
    let locked = lock(tx, d.id).await?;
    if let Some(pending) = agreements::db::work_blocked(&mut *tx, d.application_id).await? {
        return Err(WorkError::Refused(format!(
            "Work starts when both sides have signed the partnership agreement: it is {}.",
            pending.standing.label().to_lowercase()
        )));
    }
    match locked.status {
        DeliverableStatus::Todo | DeliverableStatus::ChangesRequested => {}
        DeliverableStatus::Submitted => {
            return Err(WorkError::Refused(
                "Your last draft is waiting for the brand's review.".into(),
            ));
        }
        DeliverableStatus::Approved | DeliverableStatus::Published => {
            return Err(WorkError::Refused(
                "This deliverable is approved: publish it and add the live link.".into(),
            ));
        }
        DeliverableStatus::Cancelled => {
            return Err(WorkError::Refused(
                "This collaboration has ended: the deliverable was cancelled.".into(),
            ));
        }
    }
    let round = locked.last_round + 1;
    if let Some(problem) = round_problem(round.into(), d.max_revision_rounds) {
        return Err(WorkError::Refused(problem));
    }
    let mut open: Vec<i16> = sqlx::query_scalar!(
        "select number from action_items i
          where i.deliverable_id = $1 and i.answered_in is null
            and not exists (select 1 from amendments m where m.action_item_id = i.id
                             and m.status in ('quoted', 'accepted', 'declined'))",
        d.id
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut answered: Vec<i16> = new.answers.iter().map(|a| a.number).collect();
    open.sort_unstable();
    answered.sort_unstable();
    if open != answered {
        return Err(WorkError::Refused(
            "The brand's requests changed while you were writing: check them and send again."
                .into(),
        ));
    }
    let id = Uuid::now_v7();
    sqlx::query!(
        "insert into submissions (id, deliverable_id, round, content_url, caption, notes,
                                  submitted_by, review_due_at, video_disclosure, disclosure_check)
         values ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(days => $8), $9, $10)",
        id,
        d.id,
        round,
        new.content_url,
        new.caption,
        new.notes,
        user_id,
        d.review_days,
        new.video_disclosure,
        Json(disclosure) as _,
    )
    .execute(&mut *tx)
    .await?;
    let numbers: Vec<i16> = new.answers.iter().map(|a| a.number).collect();
    let answers: Vec<Answer> = new.answers.iter().map(|a| a.answer).collect();
    let replies: Vec<Option<String>> = new
        .answers
        .iter()
        .map(|a| (!a.reply.is_empty()).then(|| a.reply.clone()))
        .collect();
    sqlx::query!(
        "update action_items i set answered_in = $2, answer = t.answer, reply = t.reply
           from unnest($3::int2[], $4::text[], $5::text[]) as t(number, answer, reply)
          where i.deliverable_id = $1 and i.number = t.number and i.answered_in is null",
        d.id,
        id,
        &numbers,
        &answers as &[Answer],
        &replies as &[Option<String>]
    )
    .execute(&mut *tx)
    .await?;
    set_status(tx, d.id, DeliverableStatus::Submitted).await?;
    Ok((id, round))
}
