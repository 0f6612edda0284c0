//! A deliverable's page (its rounds, reviews and action items), submitting a
//! round, reviewing it, publishing, and rating each other at the end.

use std::collections::HashMap;

use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use axum_extra::extract::Form;
use sqlx::PgConnection;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{
    db::{self, DeliverableDetail, DeliverableStatus, ItemRow, Round, WorkError},
    domain::{
        Answer, Clauses, Decision, OpenItem, RatingForm, ReviewForm, SubmissionForm,
        brand_criteria, creator_criteria, rounds_allowed,
    },
    ratings,
};
use crate::{
    applications::{db as applications_db, domain::Status as ApplicationStatus},
    audit::{self, Action},
    auth::{CurrentUser, Viewer},
    campaigns::{
        brief::{Brief, Criterion},
        brief_db,
    },
    domain::{
        display::{self, filters},
        link::http_url,
        score::{POINTS, is_point},
    },
    error::AppError,
    notifications::{self, Kind, db::Note},
    state::AppState,
    web::{FieldErrors, Flash, Page, PageContext, client_ip::ClientIp},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/deliverables/{id}", get(show))
        .route("/deliverables/{id}/submissions", post(submit))
        .route("/deliverables/{id}/published", post(publish))
        .route("/submissions/{id}/reviews", post(review))
        .route("/applications/{id}/ratings", post(rate))
}

/// What was typed into one of the page's forms, kept when it is refused.
#[derive(Default)]
struct Typed {
    submission: SubmissionForm,
    review: ReviewForm,
    live_url: String,
}

#[derive(Template)]
#[template(path = "deliverables/show.html")]
struct ShowPage {
    ctx: PageContext,
    d: DeliverableDetail,
    brief: Brief,
    clauses: Clauses,
    rounds: Vec<Round>,
    open_items: Vec<ItemRow>,
    is_applicant: bool,
    is_brand: bool,
    submission: SubmissionForm,
    review: ReviewForm,
    live_url: String,
    errors: FieldErrors,
    now: OffsetDateTime,
}

impl ShowPage {
    fn due(&self) -> String {
        display::day(self.d.due_on)
    }

    fn overdue(&self) -> bool {
        self.d.status.is_open() && self.d.due_on < self.now.date()
    }

    fn review_overdue(&self, r: &Round) -> bool {
        r.review_overdue(self.now)
    }

    fn rounds_allowed(&self) -> i32 {
        rounds_allowed(self.d.max_revision_rounds)
    }

    fn rounds_used(&self) -> usize {
        self.rounds.len()
    }

    fn can_submit(&self) -> bool {
        self.is_applicant
            && matches!(
                self.d.status,
                DeliverableStatus::Todo | DeliverableStatus::ChangesRequested
            )
            && (self.rounds.len() as i32) < self.rounds_allowed()
    }

    fn rounds_used_up(&self) -> bool {
        self.d.status == DeliverableStatus::ChangesRequested
            && (self.rounds.len() as i32) >= self.rounds_allowed()
    }

    /// The round waiting for the brand's review, if the viewer may review it.
    fn to_review(&self) -> Option<&Round> {
        if !self.is_brand || self.d.status != DeliverableStatus::Submitted {
            return None;
        }
        self.rounds.last().filter(|r| r.review.is_none())
    }

    fn last_round_allowed(&self) -> bool {
        self.rounds.len() as i32 >= self.rounds_allowed()
    }

    fn can_publish(&self) -> bool {
        self.is_applicant && self.d.status == DeliverableStatus::Approved
    }

    /// Why a move was refused when its form is no longer on the page (the
    /// draft was sent already, the rounds are used up, it was published).
    fn refusal(&self) -> Option<&str> {
        let hidden = |field: &str, shown: bool| (!shown).then(|| self.errors.get(field)).flatten();
        hidden("content_url", self.can_submit())
            .or_else(|| hidden("decision", self.to_review().is_some()))
            .or_else(|| hidden("live_url", self.can_publish()))
    }

    fn error(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }

    fn item_error(&self, number: &i16) -> Option<&str> {
        self.errors
            .get(&format!("item_{number}_status"))
            .or_else(|| self.errors.get(&format!("item_{number}_reply")))
    }

    fn answered(&self, number: &i16, value: &str) -> bool {
        self.submission.item_status(number) == value
    }

    fn score_error(&self, c: &Criterion) -> Option<&str> {
        self.errors.get(&format!("score_{}", c.key()))
    }

    fn comment_error(&self, c: &Criterion) -> Option<&str> {
        self.errors.get(&format!("comment_{}", c.key()))
    }

    fn scored(&self, c: &Criterion, n: &i16) -> bool {
        is_point(self.review.score(c), *n)
    }

    fn points(&self) -> [i16; 5] {
        POINTS
    }

    fn decided(&self, d: &Decision) -> bool {
        self.review.decision == d.key()
    }

    fn decisions(&self) -> [Decision; 2] {
        Decision::ALL
    }
}

async fn show_page(
    state: &AppState,
    ctx: PageContext,
    user: &CurrentUser,
    id: Uuid,
    errors: FieldErrors,
    typed: Typed,
) -> Result<ShowPage, AppError> {
    let viewer = Viewer::of(user);
    let d = db::find(&state.db, viewer, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (brief, rounds) = tokio::try_join!(
        brief_db::get(&state.db, d.campaign_id, Some(d.brief_version)),
        db::rounds(&state.db, d.id),
    )?;
    let brief = brief.ok_or(AppError::NotFound)?.brief;
    let mut open_items: Vec<ItemRow> = rounds
        .iter()
        .filter_map(|r| r.review.as_ref())
        .flat_map(|r| r.items.iter())
        .filter(|i| i.answered_in.is_none())
        .cloned()
        .collect();
    open_items.sort_by_key(|i| i.number);
    Ok(ShowPage {
        ctx,
        clauses: Clauses::of(&brief),
        brief,
        rounds,
        open_items,
        is_applicant: matches!(viewer, Viewer::Creator(_)),
        is_brand: matches!(viewer, Viewer::Brand(_)),
        submission: typed.submission,
        review: typed.review,
        live_url: typed.live_url,
        errors,
        now: OffsetDateTime::now_utc(),
        d,
    })
}

async fn show(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Page<ShowPage>, AppError> {
    Ok(Page(
        show_page(&state, ctx, &user, id, FieldErrors::new(), Typed::default()).await?,
    ))
}

/// The page again with what was typed and why it was refused.
async fn refused(
    state: &AppState,
    ctx: PageContext,
    user: &CurrentUser,
    id: Uuid,
    status: StatusCode,
    errors: FieldErrors,
    typed: Typed,
) -> Result<Response, AppError> {
    let page = show_page(state, ctx, user, id, errors, typed).await?;
    Ok((status, Page(page)).into_response())
}

enum Side {
    Brand,
    Creator,
}

enum Lookup {
    Deliverable(Uuid),
    Submission(Uuid),
}

/// The deliverable a move is made on: 404 unless the user may see it, then
/// 403 unless they are the side that makes this move (the creator delivers
/// and publishes; feedback is the brand's to give, not the agency's).
async fn acting_on(
    state: &AppState,
    user: &CurrentUser,
    lookup: Lookup,
    side: Side,
) -> Result<DeliverableDetail, AppError> {
    let viewer = Viewer::of(user);
    let found = match lookup {
        Lookup::Deliverable(id) => db::find(&state.db, viewer, id).await?,
        Lookup::Submission(id) => db::find_by_submission(&state.db, viewer, id).await?,
    };
    let d = found.ok_or(AppError::NotFound)?;
    match (side, viewer) {
        (Side::Creator, Viewer::Creator(_)) | (Side::Brand, Viewer::Brand(_)) => Ok(d),
        _ => Err(AppError::Forbidden),
    }
}

/// Notifies one side of the collaboration about its deliverable; returns who
/// was notified.
async fn tell(
    tx: &mut PgConnection,
    d: &DeliverableDetail,
    side: Side,
    kind: Kind,
    message: &str,
) -> Result<Vec<Uuid>, sqlx::Error> {
    let link = format!("/deliverables/{}", d.id);
    let note = Note {
        kind,
        subject: d.id,
        message,
        link: &link,
    };
    match side {
        Side::Brand => notifications::db::to_brand(tx, d.brand_id, None, note).await,
        Side::Creator => notifications::db::to_user(tx, d.applicant_id, note).await,
    }
}

fn one_error(field: &'static str, message: String) -> FieldErrors {
    let mut errors = FieldErrors::new();
    errors.add(field, message);
    errors
}

async fn submit(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    // Pairs, not a map: a repeated field is no reason to refuse the whole draft.
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let d = acting_on(&state, &user, Lookup::Deliverable(id), Side::Creator).await?;
    let form = SubmissionForm {
        fields: fields.into_iter().collect::<HashMap<_, _>>(),
    };
    let open: Vec<OpenItem> = db::rounds(&state.db, d.id)
        .await?
        .iter()
        .filter_map(|r| r.review.as_ref())
        .flat_map(|r| r.items.iter())
        .filter(|i| i.answered_in.is_none())
        .map(|i| OpenItem {
            number: i.number,
            body: i.body.clone(),
        })
        .collect();
    let typed = |form: SubmissionForm| Typed {
        submission: form,
        ..Typed::default()
    };
    let new = match form.parse(&open) {
        Ok(new) => new,
        Err(errors) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return refused(&state, ctx, &user, id, status, errors, typed(form)).await;
        }
    };
    let mut tx = state.db.begin().await?;
    let round = match db::submit(&mut tx, &d, user.id, &new).await {
        Ok((_, round)) => round,
        Err(WorkError::Refused(message)) => {
            tx.rollback().await?;
            let errors = one_error("content_url", message);
            return refused(
                &state,
                ctx,
                &user,
                id,
                StatusCode::CONFLICT,
                errors,
                typed(form),
            )
            .await;
        }
        Err(WorkError::Db(e)) => return Err(e.into()),
    };
    let what = format!("round {round} of {} for “{}”", d.title(), d.campaign_title);
    audit::record(
        &mut *tx,
        Some(user.id),
        Action::DeliverableSubmitted,
        &what,
        Some(ip),
    )
    .await?;
    let message = format!("{} sent {what}: review it.", user.display_name);
    let notified = tell(&mut tx, &d, Side::Brand, Kind::SubmissionReceived, &message).await?;
    tx.commit().await?;
    state.sessions.forget_users(&notified);
    Ok((
        Flash::success(format!(
            "Round {round} sent to {}. They promised a review within {} day{}.",
            d.brand_name,
            d.review_days,
            if d.review_days == 1 { "" } else { "s" }
        )),
        Redirect::to(&format!("/deliverables/{id}")),
    )
        .into_response())
}

async fn review(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(submission_id): Path<Uuid>,
    Form(form): Form<ReviewForm>,
) -> Result<Response, AppError> {
    let d = acting_on(
        &state,
        &user,
        Lookup::Submission(submission_id),
        Side::Brand,
    )
    .await?;
    let (brief, rounds) = tokio::try_join!(
        brief_db::get(&state.db, d.campaign_id, Some(d.brief_version)),
        db::rounds(&state.db, d.id),
    )?;
    let brief = brief.ok_or(AppError::NotFound)?.brief;
    let round = rounds
        .iter()
        .find(|r| r.id == submission_id)
        .map_or(0, |r| i32::from(r.number));
    let rounds_left = round < rounds_allowed(d.max_revision_rounds);
    let typed = |form: ReviewForm| Typed {
        review: form,
        ..Typed::default()
    };
    let new = match form.parse(&brief.rubric, &Clauses::of(&brief), rounds_left) {
        Ok(new) => new,
        Err(errors) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return refused(&state, ctx, &user, d.id, status, errors, typed(form)).await;
        }
    };
    let mut tx = state.db.begin().await?;
    match db::review(&mut tx, &d, submission_id, user.id, &new).await {
        Ok(_) => {}
        Err(WorkError::Refused(message)) => {
            tx.rollback().await?;
            let errors = one_error("decision", message);
            let status = StatusCode::CONFLICT;
            return refused(&state, ctx, &user, d.id, status, errors, typed(form)).await;
        }
        Err(WorkError::Db(e)) => return Err(e.into()),
    }
    let outcome = match new.decision {
        Decision::Approve => "approved".to_owned(),
        Decision::RequestChanges => match new.items.len() {
            1 => "requested 1 change on".to_owned(),
            n => format!("requested {n} changes on"),
        },
    };
    let what = format!("round {round} of {} for “{}”", d.title(), d.campaign_title);
    audit::record(
        &mut *tx,
        Some(user.id),
        Action::DeliverableReviewed,
        &format!("{outcome} {what}"),
        Some(ip),
    )
    .await?;
    let message = format!("{} {outcome} {what}.", d.brand_name);
    let notified = tell(&mut tx, &d, Side::Creator, Kind::FeedbackReceived, &message).await?;
    tx.commit().await?;
    state.sessions.forget_users(&notified);
    Ok((
        Flash::success(format!("Review sent to {}.", d.creator_name)),
        Redirect::to(&format!("/deliverables/{}", d.id)),
    )
        .into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct PublishForm {
    live_url: String,
}

async fn publish(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form): Form<PublishForm>,
) -> Result<Response, AppError> {
    let d = acting_on(&state, &user, Lookup::Deliverable(id), Side::Creator).await?;
    let typed = |live_url: String| Typed {
        live_url,
        ..Typed::default()
    };
    let live_url = match http_url(&form.live_url, "the live post's address", false) {
        Ok(u) => u,
        Err(message) => {
            let errors = one_error("live_url", message);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return refused(&state, ctx, &user, id, status, errors, typed(form.live_url)).await;
        }
    };
    let mut tx = state.db.begin().await?;
    match db::publish(&mut tx, &d, &live_url).await {
        Ok(()) => {}
        Err(WorkError::Refused(message)) => {
            tx.rollback().await?;
            let errors = one_error("live_url", message);
            let status = StatusCode::CONFLICT;
            return refused(&state, ctx, &user, id, status, errors, typed(form.live_url)).await;
        }
        Err(WorkError::Db(e)) => return Err(e.into()),
    }
    let what = format!("{} for “{}”", d.title(), d.campaign_title);
    audit::record(
        &mut *tx,
        Some(user.id),
        Action::DeliverablePublished,
        &what,
        Some(ip),
    )
    .await?;
    let message = format!("{} published {what}.", d.creator_name);
    let notified = tell(
        &mut tx,
        &d,
        Side::Brand,
        Kind::DeliverablePublished,
        &message,
    )
    .await?;
    let complete = ratings::is_complete(&mut *tx, d.application_id).await?;
    tx.commit().await?;
    state.sessions.forget_users(&notified);
    let flash = if complete {
        "Published. Every deliverable is live: rate the collaboration on its page."
    } else {
        "Published. The brand can see the live post."
    };
    let to = if complete {
        format!("/applications/{}#ratings", d.application_id)
    } else {
        format!("/deliverables/{id}")
    };
    Ok((Flash::success(flash), Redirect::to(&to)).into_response())
}

#[derive(Template)]
#[template(path = "collaborations/rate.html")]
struct RatePage {
    ctx: PageContext,
    application_id: Uuid,
    subject: String,
    rating_action: String,
    rating_criteria: Vec<(&'static str, &'static str)>,
    rating_form: RatingForm,
    errors: FieldErrors,
}

impl RatePage {
    fn rating_points(&self) -> [i16; 5] {
        POINTS
    }

    fn rated(&self, key: &str, n: &i16) -> bool {
        is_point(self.rating_form.value(key), *n)
    }
}

async fn rate(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form): Form<RatingForm>,
) -> Result<Response, AppError> {
    let viewer = Viewer::of(&user);
    let a = applications_db::find(&state.db, viewer, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (criteria, subject) = match viewer {
        Viewer::Creator(_) => (brand_criteria(), a.brand_name.clone()),
        Viewer::Brand(_) => (creator_criteria(), a.creator_name.clone()),
        Viewer::Admin => return Err(AppError::Forbidden),
    };
    let back = format!("/applications/{id}");
    if a.status != ApplicationStatus::Accepted || !ratings::is_complete(&state.db, id).await? {
        return Ok((
            Flash::info("Ratings open once every deliverable is published."),
            Redirect::to(&back),
        )
            .into_response());
    }
    let rating = match form.parse(&criteria) {
        Ok(r) => r,
        Err(errors) => {
            let page = RatePage {
                ctx,
                application_id: id,
                subject,
                rating_action: format!("/applications/{id}/ratings"),
                rating_criteria: criteria,
                rating_form: form,
                errors,
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Page(page)).into_response());
        }
    };
    let mut tx = state.db.begin().await?;
    let (written, notify) = match viewer {
        Viewer::Creator(_) => (
            ratings::rate_brand(&mut tx, id, a.brand_id, user.id, &rating).await?,
            None,
        ),
        _ => (
            ratings::rate_creator(&mut tx, id, a.profile_id, user.id, &rating).await?,
            Some(a.applicant_id),
        ),
    };
    if !written {
        tx.rollback().await?;
        return Ok((
            Flash::info("This collaboration is rated already; a rating can't be changed."),
            Redirect::to(&format!("{back}#ratings")),
        )
            .into_response());
    }
    audit::record(
        &mut *tx,
        Some(user.id),
        Action::ApplicationRated,
        &format!("{subject} for {}", a.campaign_title),
        Some(ip),
    )
    .await?;
    let message = format!(
        "{} rated your work on “{}”.",
        a.brand_name, a.campaign_title
    );
    let note = Note {
        kind: Kind::RatingReceived,
        subject: id,
        message: &message,
        link: &format!("{back}#ratings"),
    };
    // Creators' ratings of brands stay anonymous: the brand is not told.
    let notified = match notify {
        Some(applicant) => notifications::db::to_user(&mut *tx, applicant, note).await?,
        None => Vec::new(),
    };
    tx.commit().await?;
    state.sessions.forget_users(&notified);
    Ok((
        Flash::success(format!("Thank you: your rating of {subject} is saved.")),
        Redirect::to(&format!("{back}#ratings")),
    )
        .into_response())
}
