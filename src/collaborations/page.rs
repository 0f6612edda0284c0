//! The deliverable's page: its brief terms, every round with its review and
//! action items, and the form that fits the moment (send a draft, review it,
//! publish). Each of those forms shows this page again when it is refused.

use askama::Template;
use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{
    deliverables::{
        DeliverableStatus,
        db::{self as deliverables_db, DeliverableDetail},
    },
    figures::{
        db::{self as figures_db, FiguresRow},
        domain::{FiguresForm, judge},
    },
    reviews::{
        db::ItemRow,
        domain::{Clauses, Decision, ReviewForm},
    },
    rounds::{
        db::{self as rounds_db, Round},
        domain::{Answer, SubmissionForm, rounds_allowed},
    },
};
use crate::{
    agreements::{self, db::Pending},
    auth::{CurrentUser, Viewer},
    billing::escrow::{self, ShareView},
    campaigns::brief::{Brief, Criterion, db as brief_db},
    disclosure,
    domain::{
        WorkKind,
        date::{parse_date, today},
        display::filters,
        score::{POINTS, is_point},
    },
    error::AppError,
    state::AppState,
    web::{FieldErrors, Page, PageContext},
};

/// What was typed into one of the page's forms, kept when it is refused.
#[derive(Default)]
pub(super) struct Typed {
    pub submission: SubmissionForm,
    pub review: ReviewForm,
    pub live_url: String,
    pub figures: FiguresForm,
}

#[derive(Template)]
#[template(path = "collaborations/deliverable.html")]
pub(super) struct DeliverablePage {
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
    /// Its part of the escrow, if the fee was held.
    share: Option<ShareView>,
    /// The dispute on its money, if one was opened.
    dispute: Option<Uuid>,
    /// Once published: the post's figures, newest first, and the form for more.
    figures: Vec<FiguresRow>,
    figures_form: FiguresForm,
    /// The newest figures' engagement rate against the benchmark, in words.
    engagement: Option<String>,
    /// The partnership agreement, while it waits for a signature.
    pending: Option<Pending>,
}

impl DeliverablePage {
    fn overdue(&self) -> bool {
        self.d.status.is_open() && self.d.due_on < self.now.date()
    }

    fn review_overdue(&self, r: &Round) -> bool {
        r.review_overdue(self.now)
    }

    fn rounds_allowed(&self) -> i32 {
        rounds_allowed(self.d.max_revision_rounds)
    }

    fn work_kinds(&self) -> [WorkKind; 4] {
        WorkKind::ALL
    }

    fn rounds_used(&self) -> usize {
        self.rounds.len()
    }

    fn can_submit(&self) -> bool {
        self.is_applicant
            && self.pending.is_none()
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

    /// A date field can only hold a date: what was typed is shown again only
    /// when it is one (the message beside the field says what was wrong).
    fn figures_date(&self) -> &str {
        let typed = self.figures_form.recorded_on.as_str();
        if parse_date(typed, "").is_ok() {
            typed
        } else {
            ""
        }
    }

    fn needs_statement(&self) -> bool {
        disclosure::needs_statement(self.d.format)
    }

    /// What the check looks for, in a few words.
    fn disclosure_rule_hint(&self) -> String {
        format!(
            "a clear marker such as #ad within the first {} characters, not among the hashtags at the end",
            disclosure::fold(self.d.platform)
        )
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
            .or_else(|| {
                hidden(
                    "recorded_on",
                    self.is_applicant && self.d.status == DeliverableStatus::Published,
                )
            })
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

pub(super) async fn page(
    state: &AppState,
    ctx: PageContext,
    user: &CurrentUser,
    id: Uuid,
    errors: FieldErrors,
    typed: Typed,
) -> Result<DeliverablePage, AppError> {
    let viewer = Viewer::of(user);
    let mut conn = state.db.acquire().await?;
    let d = deliverables_db::find(&mut *conn, viewer, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let published = d.status == DeliverableStatus::Published;
    let brief = brief_db::get(&mut *conn, d.campaign_id, Some(d.brief_version)).await?;
    let rounds = rounds_db::rounds(&mut conn, d.id).await?;
    let share = escrow::share(&mut *conn, d.id).await?;
    let (figures, context) = if published {
        figures_db::of_post(&mut *conn, d.id).await?
    } else {
        (Vec::new(), None)
    };
    let pending = agreements::db::work_blocked(&mut *conn, d.application_id).await?;
    drop(conn);
    let engagement = figures.first().zip(context).map(|(latest, c)| {
        match latest.figures.engagement_ppm(c.platform, c.followers) {
            Some((ppm, base)) => judge(ppm, base, c.benchmark),
            None => "No engagement rate yet: it needs the post's views on a video platform, \
                     or the creator's followers on this platform elsewhere."
                .to_owned(),
        }
    });
    let figures_form = if typed.figures.recorded_on.is_empty() {
        FiguresForm {
            recorded_on: today().to_string(),
            ..typed.figures
        }
    } else {
        typed.figures
    };
    let brief = brief.ok_or(AppError::NotFound)?.brief;
    let mut open_items: Vec<ItemRow> = rounds
        .iter()
        .filter_map(|r| r.review.as_ref())
        .flat_map(|r| r.items.iter())
        .filter(|i| i.needs_answer())
        .cloned()
        .collect();
    open_items.sort_by_key(|i| i.number);
    // The brand's disclosure score starts from the check of the draft it reviews.
    let mut review = typed.review;
    if review.score_disclosure.is_empty()
        && let Some(check) = rounds
            .last()
            .filter(|r| r.review.is_none())
            .and_then(|r| r.disclosure_check.as_ref())
    {
        review.score_disclosure = check.suggested_score.to_string();
    }
    Ok(DeliverablePage {
        ctx,
        clauses: Clauses::of(&brief),
        brief,
        rounds,
        open_items,
        is_applicant: viewer.is_creator(),
        is_brand: viewer.is_brand(),
        submission: typed.submission,
        review,
        live_url: typed.live_url,
        errors,
        now: OffsetDateTime::now_utc(),
        share,
        dispute: d.dispute_id,
        figures,
        figures_form,
        engagement,
        pending,
        d,
    })
}

/// The page again with what was typed and why it was refused.
pub(super) async fn refused(
    state: &AppState,
    ctx: PageContext,
    user: &CurrentUser,
    id: Uuid,
    status: StatusCode,
    errors: FieldErrors,
    typed: Typed,
) -> Result<Response, AppError> {
    let page = page(state, ctx, user, id, errors, typed).await?;
    Ok((status, Page(page)).into_response())
}
