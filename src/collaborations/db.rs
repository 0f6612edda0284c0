use sqlx::{PgConnection, PgExecutor};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::domain::{
    Answer, Citation, ClauseKind, Decision, NewReview, NewSubmission, round_problem,
};
use crate::auth::Viewer;
use crate::{
    campaigns::brief::Criterion,
    domain::{Format, Platform, keyed_enum},
};

keyed_enum! {
    pub enum DeliverableStatus {
        Todo => ("todo", "To do"),
        Submitted => ("submitted", "Submitted"),
        ChangesRequested => ("changes_requested", "Changes requested"),
        Approved => ("approved", "Approved"),
        Published => ("published", "Published"),
    }
    unknown: "Choose a status."
}

impl DeliverableStatus {
    /// Still work to do (or to review) before its due date matters no more.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            DeliverableStatus::Approved | DeliverableStatus::Published
        )
    }
}

/// Copies the deliverables of the campaign's newest brief onto an application
/// being accepted, in the caller's transaction.
pub async fn copy_from_brief(
    tx: &mut PgConnection,
    application_id: Uuid,
    campaign_id: Uuid,
) -> Result<usize, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select d.version, d.position, d.platform as "platform: Platform",
                  d.format as "format: Format", d.quantity, d.due_on, d.notes
           from brief_deliverables d
          where d.campaign_id = $1
            and d.version = (select max(v.version) from brief_versions v where v.campaign_id = $1)
          order by d.position"#,
        campaign_id
    )
    .fetch_all(&mut *tx)
    .await?;
    let ids: Vec<Uuid> = rows.iter().map(|_| Uuid::now_v7()).collect();
    let versions: Vec<i32> = rows.iter().map(|r| r.version).collect();
    let positions: Vec<i16> = rows.iter().map(|r| r.position).collect();
    let platforms: Vec<Platform> = rows.iter().map(|r| r.platform).collect();
    let formats: Vec<Format> = rows.iter().map(|r| r.format).collect();
    let quantities: Vec<i32> = rows.iter().map(|r| r.quantity).collect();
    let due: Vec<Date> = rows.iter().map(|r| r.due_on).collect();
    let notes: Vec<String> = rows.iter().map(|r| r.notes.clone()).collect();
    sqlx::query!(
        "insert into deliverables (id, application_id, brief_version, position, platform, format,
                                   quantity, due_on, notes)
         select id, $2, version, position, platform, format, quantity, due_on, notes
           from unnest($1::uuid[], $3::int4[], $4::int2[], $5::text[], $6::text[], $7::int4[],
                       $8::date[], $9::text[])
             as t(id, version, position, platform, format, quantity, due_on, notes)",
        &ids,
        application_id,
        &versions,
        &positions,
        &platforms as &[Platform],
        &formats as &[Format],
        &quantities,
        &due,
        &notes,
    )
    .execute(&mut *tx)
    .await?;
    Ok(rows.len())
}

#[derive(Debug, Clone)]
pub struct DeliverableRow {
    pub id: Uuid,
    pub application_id: Uuid,
    pub campaign_title: String,
    pub creator_name: String,
    pub platform: Platform,
    pub format: Format,
    pub quantity: i32,
    pub due_on: Date,
    pub notes: String,
    pub status: DeliverableStatus,
}

impl DeliverableRow {
    pub fn is_overdue(&self, today: Date) -> bool {
        self.status.is_open() && self.due_on < today
    }
}

/// The deliverables the viewer may see: of one collaboration when
/// `application` is given, else the open ones due soonest across all of theirs.
pub async fn list(
    db: &sqlx::PgPool,
    viewer: Viewer,
    application: Option<Uuid>,
    limit: i64,
) -> Result<Vec<DeliverableRow>, sqlx::Error> {
    let (applicant, brand, admin) = viewer.ids();
    // The ids first, in order and limited, on the index for the way in; then
    // one statement whose cached generic plan is a primary-key lookup for every
    // caller (see applications::db::select for why the ids go through a
    // subquery, and why nothing else about the request is a parameter here).
    let ids: Vec<Uuid> =
        match (application, viewer) {
            (Some(a), _) => sqlx::query_scalar!(
                "select id from deliverables where application_id = $1 order by position limit $2",
                a,
                limit
            )
            .fetch_all(db)
            .await?,
            (None, Viewer::Creator(user)) => {
                sqlx::query_scalar!(
                    "select d.id from deliverables d
                   join applications a on a.id = d.application_id
                   join influencer_profiles p on p.id = a.profile_id
                  where p.user_id = $1 and d.status not in ('approved', 'published')
                  order by d.due_on limit $2",
                    user,
                    limit
                )
                .fetch_all(db)
                .await?
            }
            (None, Viewer::Brand(brand)) => {
                sqlx::query_scalar!(
                    "select d.id from deliverables d
                   join applications a on a.id = d.application_id
                   join campaigns c on c.id = a.campaign_id
                  where c.brand_id = $1 and d.status not in ('approved', 'published')
                  order by d.due_on limit $2",
                    brand,
                    limit
                )
                .fetch_all(db)
                .await?
            }
            (None, Viewer::Admin) => {
                sqlx::query_scalar!(
                    "select id from deliverables where status not in ('approved', 'published')
                  order by due_on limit $1",
                    limit
                )
                .fetch_all(db)
                .await?
            }
        };
    let mut rows = sqlx::query_as!(
        DeliverableRow,
        r#"select d.id, d.application_id, c.title as campaign_title, u.display_name as creator_name,
                  d.platform as "platform: Platform", d.format as "format: Format", d.quantity,
                  d.due_on, d.notes, d.status as "status: DeliverableStatus"
             from deliverables d
             join applications a on a.id = d.application_id
             join campaigns c on c.id = a.campaign_id
             join influencer_profiles p on p.id = a.profile_id
             join users u on u.id = p.user_id
            where d.id = any(array(select unnest($4::uuid[])))
              and (p.user_id = $1 or c.brand_id = $2 or $3)
              and a.status = 'accepted'"#,
        applicant,
        brand,
        admin,
        &ids
    )
    .fetch_all(db)
    .await?;
    // In the order the ids were found: by position, or soonest due.
    rows.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
    Ok(rows)
}

/// A deliverable with what its page and its rules need: the collaboration it
/// belongs to and the brief version's feedback terms.
#[derive(Debug, Clone)]
pub struct DeliverableDetail {
    pub id: Uuid,
    pub application_id: Uuid,
    pub campaign_id: Uuid,
    pub campaign_title: String,
    pub brand_id: Uuid,
    pub brand_name: String,
    pub applicant_id: Uuid,
    pub creator_name: String,
    pub brief_version: i32,
    pub position: i16,
    pub platform: Platform,
    pub format: Format,
    pub quantity: i32,
    pub due_on: Date,
    pub notes: String,
    pub status: DeliverableStatus,
    pub live_url: Option<String>,
    pub review_days: i32,
    pub max_revision_rounds: i32,
}

impl DeliverableDetail {
    /// "2 × Instagram post"
    pub fn title(&self) -> String {
        format!(
            "{} × {} {}",
            self.quantity,
            self.platform.label(),
            self.format.label().to_lowercase()
        )
    }
}

/// A deliverable the viewer may see.
pub async fn find(
    db: impl PgExecutor<'_>,
    viewer: Viewer,
    id: Uuid,
) -> Result<Option<DeliverableDetail>, sqlx::Error> {
    let (applicant, brand, admin) = viewer.ids();
    sqlx::query_as!(
        DeliverableDetail,
        r#"select d.id, d.application_id, a.campaign_id, c.title as campaign_title, c.brand_id,
                  c.brand_name, p.user_id as applicant_id, u.display_name as creator_name,
                  d.brief_version, d.position, d.platform as "platform: Platform",
                  d.format as "format: Format", d.quantity, d.due_on, d.notes,
                  d.status as "status: DeliverableStatus", d.live_url, v.review_days,
                  v.max_revision_rounds
             from deliverables d
             join applications a on a.id = d.application_id
             join campaigns c on c.id = a.campaign_id
             join influencer_profiles p on p.id = a.profile_id
             join users u on u.id = p.user_id
             join brief_versions v on v.campaign_id = a.campaign_id and v.version = d.brief_version
            where d.id = $4 and (p.user_id = $1 or c.brand_id = $2 or $3)"#,
        applicant,
        brand,
        admin,
        id
    )
    .fetch_optional(db)
    .await
}

/// The deliverable a submission belongs to, if the viewer may see it.
pub async fn find_by_submission(
    db: &sqlx::PgPool,
    viewer: Viewer,
    submission_id: Uuid,
) -> Result<Option<DeliverableDetail>, sqlx::Error> {
    let deliverable = sqlx::query_scalar!(
        "select deliverable_id from submissions where id = $1",
        submission_id
    )
    .fetch_optional(db)
    .await?;
    match deliverable {
        Some(id) => find(db, viewer, id).await,
        None => Ok(None),
    }
}

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

#[derive(Debug, Clone)]
pub struct Round {
    pub id: Uuid,
    pub number: i16,
    pub content_url: String,
    pub caption: String,
    pub notes: String,
    pub submitted_at: OffsetDateTime,
    pub review_due_at: OffsetDateTime,
    /// The earlier requests this draft answers.
    pub answers: Vec<ItemRow>,
    pub review: Option<ReviewRow>,
}

impl Round {
    pub fn review_overdue(&self, now: OffsetDateTime) -> bool {
        self.review.is_none() && self.review_due_at < now
    }
}

/// Every round of a deliverable with its review and action items, oldest
/// first. The caller has checked the viewer may see the deliverable.
pub async fn rounds(db: &sqlx::PgPool, deliverable_id: Uuid) -> Result<Vec<Round>, sqlx::Error> {
    let (submissions, scores, items) = tokio::try_join!(
        sqlx::query!(
            r#"select s.id, s.round, s.content_url, s.caption, s.notes, s.submitted_at,
                      s.review_due_at, r.id as "review_id?", r.decision as "decision?: Decision",
                      r.keep as "keep?", r.why as "why?", r.created_at as "reviewed_at?",
                      r.on_time as "on_time?", ru.display_name as "reviewer?"
                 from submissions s
                 left join reviews r on r.submission_id = s.id
                 left join users ru on ru.id = r.reviewer_id
                where s.deliverable_id = $1
                order by s.round"#,
            deliverable_id
        )
        .fetch_all(db),
        sqlx::query!(
            r#"select rs.review_id, rs.criterion as "criterion: Criterion", rs.score, rs.comment
                 from review_scores rs
                 join reviews r on r.id = rs.review_id
                 join submissions s on s.id = r.submission_id
                where s.deliverable_id = $1"#,
            deliverable_id
        )
        .fetch_all(db),
        items(db, deliverable_id),
    )?;
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
                        let mut own: Vec<ScoreRow> = scores
                            .iter()
                            .filter(|x| x.review_id == id)
                            .map(|x| ScoreRow {
                                criterion: x.criterion,
                                score: x.score,
                                comment: x.comment.clone(),
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

async fn items(db: &sqlx::PgPool, deliverable_id: Uuid) -> Result<Vec<ItemRow>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select id, review_id, number, body, cite_kind as "cite_kind: ClauseKind", cite_number,
                  cite_text, out_of_scope, answered_in, answer as "answer: Answer", reply
             from action_items
            where deliverable_id = $1
            order by number"#,
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
        })
        .collect())
}

#[derive(Debug, thiserror::Error)]
pub enum WorkError {
    /// The move doesn't fit the deliverable's state now; the message says why.
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

struct Locked {
    status: DeliverableStatus,
    last_round: i16,
}

/// Locks the deliverable row so rounds, reviews and answers are decided one
/// at a time.
async fn lock(tx: &mut PgConnection, id: Uuid) -> Result<Locked, WorkError> {
    let r = sqlx::query!(
        r#"select d.status as "status: DeliverableStatus",
                  coalesce((select max(s.round) from submissions s where s.deliverable_id = d.id), 0)::int2
                      as "last_round!"
             from deliverables d where d.id = $1 for update"#,
        id
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(Locked {
        status: r.status,
        last_round: r.last_round,
    })
}

/// Records the next round of a deliverable and the answers to its open
/// items. Returns the submission's id and round.
pub async fn submit(
    tx: &mut PgConnection,
    d: &DeliverableDetail,
    user_id: Uuid,
    new: &NewSubmission,
) -> Result<(Uuid, i16), WorkError> {
    let locked = lock(tx, d.id).await?;
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
    }
    let round = locked.last_round + 1;
    if let Some(problem) = round_problem(round.into(), d.max_revision_rounds) {
        return Err(WorkError::Refused(problem));
    }
    let mut open: Vec<i16> = sqlx::query_scalar!(
        "select number from action_items where deliverable_id = $1 and answered_in is null",
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
                                  submitted_by, review_due_at)
         values ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(days => $8))",
        id,
        d.id,
        round,
        new.content_url,
        new.caption,
        new.notes,
        user_id,
        d.review_days
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

async fn set_status(
    tx: &mut PgConnection,
    id: Uuid,
    status: DeliverableStatus,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update deliverables set status = $2 where id = $1",
        id,
        status as DeliverableStatus
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
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
    let criteria: Vec<Criterion> = new.scores.iter().map(|s| s.criterion).collect();
    let points: Vec<i16> = new.scores.iter().map(|s| s.score).collect();
    let comments: Vec<String> = new.scores.iter().map(|s| s.comment.clone()).collect();
    sqlx::query!(
        "insert into review_scores (review_id, criterion, score, comment)
         select $1, * from unnest($2::text[], $3::int2[], $4::text[])",
        id,
        &criteria as &[Criterion],
        &points,
        &comments
    )
    .execute(&mut *tx)
    .await?;
    if !new.items.is_empty() {
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
            id,
            d.id,
            &bodies,
            &kinds as &[Option<ClauseKind>],
            &numbers as &[Option<i16>],
            &texts as &[Option<String>],
            &scope
        )
        .execute(&mut *tx)
        .await?;
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

/// Marks an approved deliverable published at its live address.
pub async fn publish(
    tx: &mut PgConnection,
    d: &DeliverableDetail,
    live_url: &str,
) -> Result<(), WorkError> {
    let locked = lock(tx, d.id).await?;
    if locked.status != DeliverableStatus::Approved {
        return Err(WorkError::Refused(match locked.status {
            DeliverableStatus::Published => "This deliverable is published already.".into(),
            _ => "Publish once the brand has approved the draft.".into(),
        }));
    }
    sqlx::query!(
        "update deliverables set status = 'published', live_url = $2 where id = $1",
        d.id,
        live_url
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

/// Drafts the viewer's brand owes a review (or, for the creator, is waiting
/// on), the longest overdue first.
pub async fn awaiting_review(
    db: &sqlx::PgPool,
    viewer: Viewer,
    limit: i64,
) -> Result<Vec<AwaitingReview>, sqlx::Error> {
    let (applicant, brand, admin) = viewer.ids();
    // As in `list`: ids on the index for the way in, then the rows.
    let ids: Vec<Uuid> = match viewer {
        Viewer::Creator(user) => {
            sqlx::query_scalar!(
                "select d.id from deliverables d
                   join applications a on a.id = d.application_id
                   join influencer_profiles p on p.id = a.profile_id
                  where p.user_id = $1 and d.status = 'submitted'",
                user
            )
            .fetch_all(db)
            .await?
        }
        Viewer::Brand(brand) => {
            sqlx::query_scalar!(
                "select d.id from deliverables d
                   join applications a on a.id = d.application_id
                   join campaigns c on c.id = a.campaign_id
                  where c.brand_id = $1 and d.status = 'submitted'",
                brand
            )
            .fetch_all(db)
            .await?
        }
        Viewer::Admin => {
            sqlx::query_scalar!("select id from deliverables where status = 'submitted'")
                .fetch_all(db)
                .await?
        }
    };
    let rows = sqlx::query!(
        r#"select d.id, c.title, u.display_name, c.brand_name, d.platform as "platform: Platform",
                  d.format as "format: Format", s.round, s.review_due_at
             from deliverables d
             join submissions s on s.deliverable_id = d.id
                               and s.round = (select max(x.round) from submissions x
                                               where x.deliverable_id = d.id)
             join applications a on a.id = d.application_id
             join campaigns c on c.id = a.campaign_id
             join influencer_profiles p on p.id = a.profile_id
             join users u on u.id = p.user_id
            where d.id = any(array(select unnest($4::uuid[]))) and d.status = 'submitted'
              and (p.user_id = $1 or c.brand_id = $2 or $3)
            order by s.review_due_at
            limit $5"#,
        applicant,
        brand,
        admin,
        &ids,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
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
        .collect())
}
