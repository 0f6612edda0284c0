//! `/business/time`: logging hours on a deal (also from a deliverable's
//! page), the recent entries, and what the hours earn by brand and by
//! platform and format, with what revisions and extra work cost in hours.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use uuid::Uuid;

use super::own_profile;
use crate::{
    auth::{CurrentUser, Influencer},
    business::{
        db::{self, Entry, LogError, LoggableDeal, NewEntry, Worked},
        domain::{WorkKind, hourly_rate_text, hours_text, parse_hours},
    },
    domain::{
        date::{parse_date, today},
        display::filters,
        text::bounded_text,
    },
    error::AppError,
    state::AppState,
    web::{FieldErrors, Flash, Form, Page, PageContext},
};

/// The entries the page lists.

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(super) struct TimeForm {
    /// `a:<collaboration>` or `o:<outside deal>`.
    deal: String,
    deliverable: String,
    worked_on: String,
    kind: String,
    hours: String,
    note: String,
    /// Where the form was sent from, to go back to: a deliverable's page or
    /// the desk's.
    back: String,
}

impl TimeForm {
    fn parse(&self) -> Result<NewEntry, FieldErrors> {
        let mut errors = FieldErrors::new();
        let deal = match self.deal.split_once(':') {
            Some(("a", id)) => id.parse().ok().map(|id| (Some(id), None)),
            Some(("o", id)) => id.parse().ok().map(|id| (None, Some(id))),
            _ => None,
        };
        if deal.is_none() {
            errors.add("deal", "Choose the deal you worked on.");
        }
        let deliverable_id = if self.deliverable.trim().is_empty() {
            None
        } else {
            let parsed = self.deliverable.trim().parse().ok();
            if parsed.is_none() {
                errors.add("deal", "Choose the deal you worked on.");
            }
            parsed
        };
        let worked_on = errors.check("worked_on", parse_date(&self.worked_on, "the day"));
        if worked_on.is_some_and(|d| d > today()) {
            errors.add(
                "worked_on",
                "Log hours you have worked: the day is in the future.",
            );
        }
        let kind = errors.check("kind", WorkKind::parse(&self.kind));
        let minutes = errors.check("hours", parse_hours(&self.hours));
        let note = errors.check("note", bounded_text(&self.note, "the note", 500));
        match (deal, worked_on, kind, minutes, note) {
            (
                Some((application_id, outside_deal_id)),
                Some(worked_on),
                Some(kind),
                Some(minutes),
                Some(note),
            ) if errors.is_empty() => Ok(NewEntry {
                application_id,
                outside_deal_id,
                deliverable_id,
                worked_on,
                kind,
                minutes,
                note,
            }),
            _ => Err(errors),
        }
    }

    /// Back to the page the form came from, if it is one of the creator's
    /// own pages it may lead to.
    fn back(&self) -> &str {
        let b = self.back.as_str();
        let safe = b.starts_with("/deliverables/") || b.starts_with("/business");
        if safe
            && !b.contains("//")
            && b.chars()
                .all(|c| c.is_ascii_alphanumeric() || "/-_?=&".contains(c))
        {
            b
        } else {
            "/business/time"
        }
    }
}

/// Hours and what they earned in one row of a table.
pub(super) struct Line {
    label: String,
    hours: String,
    rate: String,
    revising: String,
    scope: String,
}

impl Line {
    fn of(w: &Worked) -> Line {
        Line {
            label: w.label.clone(),
            hours: hours_text(w.minutes),
            rate: hourly_rate_text(w.fee_minor, w.minutes, w.currency),
            revising: hours_text(w.revising_minutes),
            scope: hours_text(w.scope_minutes),
        }
    }
}

#[derive(Template)]
#[template(path = "business/time.html")]
pub(super) struct TimePage {
    ctx: PageContext,
    deals: Vec<LoggableDeal>,
    entries: Vec<Entry>,
    by_brand: Vec<Line>,
    by_format: Vec<Line>,
    form: TimeForm,
    errors: FieldErrors,
}

impl TimePage {
    fn kinds(&self) -> [WorkKind; 4] {
        WorkKind::ALL
    }

    fn hours(&self, minutes: &i32) -> String {
        hours_text(i64::from(*minutes))
    }
}

async fn page(
    state: &AppState,
    ctx: PageContext,
    user: &CurrentUser,
    form: TimeForm,
    errors: FieldErrors,
) -> Result<TimePage, AppError> {
    let profile = own_profile(state, user).await?;
    let mut conn = state.db.acquire().await?;
    let deals = db::loggable(&mut *conn, profile.id).await?;
    let entries = db::recent_entries(&mut *conn, profile.id).await?;
    let (by_brand, by_format) = db::worked(&mut *conn, profile.id).await?;
    drop(conn);
    Ok(TimePage {
        ctx,
        deals,
        entries,
        by_brand: by_brand.iter().map(Line::of).collect(),
        by_format: by_format.iter().map(Line::of).collect(),
        form,
        errors,
    })
}

pub(super) async fn show(
    State(state): State<AppState>,
    ctx: PageContext,
    Influencer(user): Influencer,
) -> Result<Page<TimePage>, AppError> {
    let form = TimeForm {
        worked_on: today().to_string(),
        kind: WorkKind::Creating.key().to_owned(),
        ..TimeForm::default()
    };
    Ok(Page(
        page(&state, ctx, &user, form, FieldErrors::new()).await?,
    ))
}

pub(super) async fn log(
    State(state): State<AppState>,
    ctx: PageContext,
    Influencer(user): Influencer,
    Form(form, unread): Form<TimeForm>,
) -> Result<Response, AppError> {
    let profile = own_profile(&state, &user).await?;
    let entry = match unread.and(form.parse()) {
        Ok(entry) => entry,
        Err(errors) => {
            let status = errors.status();
            let page = page(&state, ctx, &user, form, errors).await?;
            return Ok((status, Page(page)).into_response());
        }
    };
    let mut tx = state.db.begin().await?;
    match db::log(&mut tx, profile.id, &entry).await {
        Ok(_) => tx.commit().await?,
        Err(LogError::Refused(message)) => {
            tx.rollback().await?;
            let field = if message.contains("24 hours") {
                "hours"
            } else {
                "deal"
            };
            let errors = FieldErrors::one(field, message);
            let page = page(&state, ctx, &user, form, errors).await?;
            return Ok((axum::http::StatusCode::CONFLICT, Page(page)).into_response());
        }
        Err(LogError::Db(e)) => return Err(e.into()),
    }
    Ok(Flash::success(format!(
        "Logged {} of {} on {}.",
        hours_text(i64::from(entry.minutes)),
        entry.kind.label().to_lowercase(),
        crate::domain::display::day(entry.worked_on)
    ))
    .redirect_to(form.back()))
}

pub(super) async fn delete(
    State(state): State<AppState>,
    Influencer(user): Influencer,
    Path(id): Path<Uuid>,
    Form(_, _): Form<TimeForm>,
) -> Result<Response, AppError> {
    let profile = own_profile(&state, &user).await?;
    if !db::delete_entry(&state.db, profile.id, id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Flash::success("Entry removed.").redirect_to("/business/time"))
}
