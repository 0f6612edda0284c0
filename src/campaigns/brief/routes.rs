//! `/campaigns/{id}/brief`: the current brief, its history, any version, the diff
//! between two versions, and the form that saves a new version.

use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    response::{IntoResponse, Response},
    routing::get,
};
use serde::Deserialize;
use uuid::Uuid;

use super::{
    db::{self as brief_db, Version, VersionInfo},
    diff::{self, Change},
    domain::Criterion,
    form::BriefForm,
};
use crate::{
    audit::{self, Action},
    auth::{BrandMember, CurrentUser, Viewer},
    campaigns::{
        db::{self, Campaign},
        routes::viewer,
    },
    domain::{Format, Platform, ReleaseOn, display::filters},
    error::AppError,
    notifications,
    state::AppState,
    web::{FieldErrors, Flash, Form, Page, PageContext, Query},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/campaigns/{id}/brief", get(current).post(save))
        .route("/campaigns/{id}/brief/edit", get(edit))
        .route("/campaigns/{id}/brief/versions/{n}", get(version))
        .route("/campaigns/{id}/brief/diff", get(diff))
}

async fn campaign_for(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
) -> Result<(Campaign, Viewer), AppError> {
    let viewer = viewer(user)?;
    let campaign = db::find(&state.db, viewer, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((campaign, viewer))
}

/// A completed or archived campaign's brief is the record of what was asked.
fn finished_brief() -> AppError {
    AppError::Conflict("This campaign is finished, so its brief no longer changes.".to_owned())
}

#[derive(Template)]
#[template(path = "campaigns/brief/show.html")]
struct BriefPage {
    ctx: PageContext,
    campaign_id: Uuid,
    campaign_title: String,
    can_edit: bool,
    version: Option<Version>,
    latest: i32,
    history: Vec<VersionInfo>,
}

impl BriefPage {
    fn is_latest(&self) -> bool {
        self.version
            .as_ref()
            .is_none_or(|v| v.number == self.latest)
    }
}

async fn brief_page(
    state: &AppState,
    ctx: PageContext,
    user: &CurrentUser,
    id: Uuid,
    number: Option<i32>,
) -> Result<Response, AppError> {
    let (campaign, viewer) = campaign_for(state, user, id).await?;
    let mut conn = state.db.acquire().await?;
    let version = brief_db::get(&mut *conn, id, number).await?;
    let history = brief_db::history(&mut *conn, id).await?;
    drop(conn);
    if number.is_some() && version.is_none() {
        return Err(AppError::NotFound);
    }
    let status = campaign.status;
    Ok(Page(BriefPage {
        ctx,
        campaign_id: id,
        campaign_title: campaign.title,
        can_edit: viewer.is_brand() && status.brief_editable(),
        latest: history.first().map_or(0, |h| h.number),
        version,
        history,
    })
    .into_response())
}

async fn current(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    brief_page(&state, ctx, &user, id, None).await
}

async fn version(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    Path((id, n)): Path<(Uuid, i32)>,
) -> Result<Response, AppError> {
    brief_page(&state, ctx, &user, id, Some(n)).await
}

#[derive(Template)]
#[template(path = "campaigns/brief/form.html")]
struct BriefFormPage {
    ctx: PageContext,
    campaign_id: Uuid,
    campaign_title: String,
    next_version: i32,
    summary_required: bool,
    form: BriefForm,
    errors: FieldErrors,
}

/// Blank deliverable rows offered beyond those typed.
const SPARE_DELIVERABLE_ROWS: usize = 2;

impl BriefFormPage {
    fn platforms(&self) -> &'static [Platform] {
        &Platform::ALL
    }

    fn release_choices(&self) -> &'static [ReleaseOn] {
        &ReleaseOn::ALL
    }

    fn formats(&self) -> &'static [Format] {
        &Format::ALL
    }

    fn criteria(&self) -> &'static [Criterion] {
        &Criterion::ALL
    }

    fn has_criterion(&self, c: &Criterion) -> bool {
        self.form.rubric.iter().any(|k| k == c.key())
    }

    fn summary_hint(&self) -> &'static str {
        if self.summary_required {
            "Required: creators who applied are shown it and asked to acknowledge the new version."
        } else {
            "Optional until the campaign is published."
        }
    }

    fn is_paid(&self) -> bool {
        self.form.usage_rights == "paid"
    }

    /// (platform, format, quantity, due on, notes) per row, plus spare blank rows.
    fn deliverable_rows(&self) -> Vec<[String; 5]> {
        let f = &self.form;
        let typed = [
            f.deliverable_platform.len(),
            f.deliverable_format.len(),
            f.deliverable_quantity.len(),
            f.deliverable_due_on.len(),
            f.deliverable_notes.len(),
        ]
        .into_iter()
        .max()
        .unwrap_or(0);
        let cell = |v: &Vec<String>, i: usize| v.get(i).cloned().unwrap_or_default();
        (0..typed + SPARE_DELIVERABLE_ROWS)
            .map(|i| {
                [
                    cell(&f.deliverable_platform, i),
                    cell(&f.deliverable_format, i),
                    cell(&f.deliverable_quantity, i),
                    cell(&f.deliverable_due_on, i),
                    cell(&f.deliverable_notes, i),
                ]
            })
            .collect()
    }
}

async fn edit(
    State(state): State<AppState>,
    ctx: PageContext,
    member: BrandMember,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let campaign = db::find(&state.db, Viewer::Brand(member.brand.brand_id), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let status = campaign.status;
    if !status.brief_editable() {
        return Err(finished_brief());
    }
    let latest = brief_db::get(&state.db, id, None).await?;
    Ok(Page(BriefFormPage {
        ctx,
        campaign_id: id,
        campaign_title: campaign.title,
        next_version: latest.as_ref().map_or(1, |v| v.number + 1),
        summary_required: status.is_published(),
        form: latest.map_or_else(BriefForm::starter, |v| BriefForm::from_brief(&v.brief)),
        errors: FieldErrors::new(),
    })
    .into_response())
}

async fn save(
    State(state): State<AppState>,
    ctx: PageContext,
    member: BrandMember,
    Path(id): Path<Uuid>,
    Form(form, unread): Form<BriefForm>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let locked = brief_db::lock_for_new_version(&mut tx, member.brand.brand_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let status = locked.status;
    if !status.brief_editable() {
        return Err(finished_brief());
    }
    let (brief, summary) =
        match unread.and(form.parse(status.is_published(), (locked.starts_on, locked.ends_on))) {
            Ok(parsed) => parsed,
            Err(errors) => {
                tx.rollback().await?;
                // The title came with the lock: no second look-up.
                let campaign_title = locked.title;
                return Ok((
                    errors.status(),
                    Page(BriefFormPage {
                        ctx,
                        campaign_id: id,
                        campaign_title,
                        next_version: locked.next_version,
                        summary_required: status.is_published(),
                        form,
                        errors,
                    }),
                )
                    .into_response());
            }
        };
    brief_db::insert(
        &mut tx,
        id,
        locked.next_version,
        &brief,
        &summary,
        member.user.id,
        None,
    )
    .await?;
    let detail = format!("{}: version {}", locked.title, locked.next_version);
    audit::Event::new(Action::BriefSaved, &detail)
        .by(&member.user)
        .on(id)
        .record(&mut *tx)
        .await?;
    // Version 1 is the brief applicants apply under; later ones change what they agreed to.
    let notified = if locked.next_version > 1 {
        let message = format!(
            "{} updated the brief of “{}” to version {}: read what changed and confirm it.",
            member.brand.brand_name, locked.title, locked.next_version
        );
        notifications::db::to_applicants(&mut *tx, id, notifications::Kind::BriefUpdated, &message)
            .await?
    } else {
        Vec::new()
    };
    tx.commit().await?;
    state.sessions.forget_users(&notified);
    Ok(
        Flash::success(format!("Brief saved as version {}.", locked.next_version))
            .redirect_to(&format!("/campaigns/{id}/brief")),
    )
}

#[derive(Debug, Deserialize)]
struct DiffQuery {
    from: i32,
    to: i32,
}

#[derive(Template)]
#[template(path = "campaigns/brief/diff.html")]
struct DiffPage {
    ctx: PageContext,
    campaign_id: Uuid,
    campaign_title: String,
    from: i32,
    to: i32,
    to_summary: String,
    changes: Vec<Change>,
}

impl DiffPage {
    fn unchanged(&self) -> bool {
        self.changes.iter().all(|c| matches!(c, Change::Same(_)))
    }
}

async fn diff(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Query(q, unread): Query<DiffQuery>,
) -> Result<Page<DiffPage>, AppError> {
    unread.or_refuse()?;
    let (campaign, _) = campaign_for(&state, &user, id).await?;
    let mut conn = state.db.acquire().await?;
    let from = brief_db::get(&mut *conn, id, Some(q.from)).await?;
    let to = brief_db::get(&mut *conn, id, Some(q.to)).await?;
    drop(conn);
    let (Some(from), Some(to)) = (from, to) else {
        return Err(AppError::NotFound);
    };
    Ok(Page(DiffPage {
        ctx,
        campaign_id: id,
        campaign_title: campaign.title,
        from: from.number,
        to: to.number,
        to_summary: to.change_summary.clone(),
        changes: diff::diff(&from.brief, &to.brief),
    }))
}
