//! /campaigns: a brand's campaigns, the campaign form and page; the board for
//! influencers; every brand's campaigns for admins.

use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use uuid::Uuid;

use super::{
    board::{self, BoardQuery, Card},
    brief::db as brief_db,
    db,
    domain::{ATTRIBUTION_WINDOWS, Compensation, KpiMetric, Objective, Status, Transition},
    form::CampaignForm,
    view::{CampaignView, ListRow},
};
use crate::{
    audit::{self, Action},
    auth::{BrandMember, CurrentUser, Viewer},
    brands::track_record::ResponseTime,
    campaigns::db::Progress,
    domain::{Currency, Money, Platform, Role, Tier, TierScale, date::today},
    error::AppError,
    ratings::db::BrandAverages,
    state::AppState,
    tiers,
    web::{FieldErrors, Flash, Form, Page, PageContext, Query},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/campaigns", get(index).post(create))
        .route("/campaigns/new", get(new))
        .route("/campaigns/{id}", get(show).post(update))
        .route("/campaigns/{id}/edit", get(edit))
        .route("/campaigns/{id}/publish", post(publish))
        .route("/campaigns/{id}/close", post(close))
        .route("/campaigns/{id}/complete", post(complete))
        .route("/campaigns/{id}/archive", post(archive))
}

pub(super) fn viewer(user: &CurrentUser) -> Result<Viewer, AppError> {
    // A brand account on no team has no campaigns to look at.
    if user.role == Role::Brand && user.brand.is_none() {
        return Err(AppError::Forbidden);
    }
    Ok(Viewer::of(user))
}

#[derive(Template)]
#[template(path = "campaigns/index.html")]
struct IndexPage {
    ctx: PageContext,
    role: Role,
    rows: Vec<ListRow>,
}

impl IndexPage {
    fn is_brand(&self) -> bool {
        self.role == Role::Brand
    }
}

#[derive(Template)]
#[template(path = "campaigns/board.html")]
struct BoardPage {
    ctx: PageContext,
    query: BoardQuery,
    errors: FieldErrors,
    page: i64,
    cards: Vec<Card>,
    more: bool,
}

impl BoardPage {
    fn platforms(&self) -> &'static [Platform] {
        &Platform::ALL
    }

    fn compensations(&self) -> &'static [Compensation] {
        &Compensation::ALL
    }

    fn currencies(&self) -> &'static [Currency] {
        &Currency::ALL
    }

    fn filtered(&self) -> bool {
        let q = &self.query;
        [
            &q.platform,
            &q.niche,
            &q.compensation,
            &q.budget_min,
            &q.budget_max,
            &q.closes_after,
            &q.closes_before,
            &q.fit,
        ]
        .iter()
        .any(|v| !v.trim().is_empty())
    }

    /// False while the viewer has no channels: nothing can be said about fit.
    fn viewer_known(&self) -> bool {
        self.cards.first().is_none_or(Card::viewer_known)
    }

    fn link(&self, page: i64) -> String {
        self.query.page_link(page)
    }
}

/// Brands see their campaigns, admins everyone's; influencers get the board.
async fn index(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    Query(query, unread): Query<BoardQuery>,
) -> Result<Response, AppError> {
    let viewer = viewer(&user)?;
    if viewer.is_creator() {
        let (filter, errors) = query.parse();
        let errors = unread.into_errors(errors);
        let (cards, more) = board::page(&state.db, &filter, user.reach.as_ref(), today()).await?;
        let status = errors.filter_status();
        let page = BoardPage {
            ctx,
            query,
            errors,
            page: filter.page,
            cards,
            more,
        };
        return Ok((status, Page(page)).into_response());
    }
    unread.or_refuse()?;
    let items = db::list(&state.db, viewer.brand()).await?;
    Ok(Page(IndexPage {
        ctx,
        role: user.role,
        rows: items.iter().map(ListRow::from).collect(),
    })
    .into_response())
}

/// Shown beside the KPI rows so a new campaign starts with room for three.
const BLANK_KPI_ROWS: usize = 3;

#[derive(Template)]
#[template(path = "campaigns/form.html")]
struct FormPage {
    ctx: PageContext,
    /// `None` for a new campaign.
    id: Option<Uuid>,
    form: CampaignForm,
    errors: FieldErrors,
    scale: TierScale,
}

impl FormPage {
    fn range(&self, tier: &Tier) -> String {
        self.scale.range(*tier)
    }

    fn objectives(&self) -> &'static [Objective] {
        &Objective::ALL
    }

    fn currencies(&self) -> &'static [Currency] {
        &Currency::ALL
    }

    fn compensations(&self) -> &'static [Compensation] {
        &Compensation::ALL
    }

    fn metrics(&self) -> &'static [KpiMetric] {
        &KpiMetric::ALL
    }

    fn tiers(&self) -> &'static [Tier] {
        &Tier::TARGETABLE
    }

    fn platforms(&self) -> &'static [Platform] {
        &Platform::ALL
    }

    fn has_tier(&self, tier: &Tier) -> bool {
        self.form.eligible_tiers.iter().any(|t| t == tier.key())
    }

    fn windows(&self) -> &'static [i16] {
        &ATTRIBUTION_WINDOWS
    }

    /// The window chosen, a month when none is.
    fn window_is(&self, days: &i16) -> bool {
        match self.form.attribution_window.trim() {
            "" => *days == 30,
            typed => typed == days.to_string(),
        }
    }

    fn has_platform(&self, platform: &Platform) -> bool {
        self.form.platforms.iter().any(|p| p == platform.key())
    }

    /// KPI rows as (metric, target): those typed, then blanks up to three.
    fn kpi_rows(&self) -> Vec<(String, String)> {
        let typed = self.form.kpi_metric.len().max(self.form.kpi_target.len());
        (0..typed.max(BLANK_KPI_ROWS))
            .map(|i| {
                (
                    self.form.kpi_metric.get(i).cloned().unwrap_or_default(),
                    self.form.kpi_target.get(i).cloned().unwrap_or_default(),
                )
            })
            .collect()
    }

    fn action(&self) -> String {
        match self.id {
            Some(id) => format!("/campaigns/{id}"),
            None => "/campaigns".to_owned(),
        }
    }
}

async fn new(
    State(state): State<AppState>,
    ctx: PageContext,
    _member: BrandMember,
) -> Result<Page<FormPage>, AppError> {
    Ok(Page(FormPage {
        ctx,
        id: None,
        form: CampaignForm {
            currency: "USD".to_owned(),
            creators_wanted: "1".to_owned(),
            ..CampaignForm::default()
        },
        errors: FieldErrors::new(),
        scale: tiers::db::load(&state.db).await?,
    }))
}

async fn form_again(
    state: &AppState,
    ctx: PageContext,
    id: Option<Uuid>,
    form: CampaignForm,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    Ok((
        errors.status(),
        Page(FormPage {
            ctx,
            id,
            form,
            errors,
            scale: tiers::db::load(&state.db).await?,
        }),
    )
        .into_response())
}

async fn create(
    State(state): State<AppState>,
    ctx: PageContext,
    member: BrandMember,
    Form(form, unread): Form<CampaignForm>,
) -> Result<Response, AppError> {
    let input = match unread.and(form.parse(today())) {
        Ok(input) => input,
        Err(errors) => return form_again(&state, ctx, None, form, errors).await,
    };
    let mut tx = state.db.begin().await?;
    let id = db::insert(&mut tx, member.brand.brand_id, member.user.id, &input).await?;
    audit::Event::new(Action::CampaignCreated, &input.title)
        .by(&member.user)
        .on(id)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(
        Flash::success("Draft saved. Only your team can see it until you publish it.")
            .redirect_to(&format!("/campaigns/{id}")),
    )
}

#[derive(Template)]
#[template(path = "campaigns/show.html")]
struct ShowPage {
    ctx: PageContext,
    campaign: CampaignView,
    can_edit: bool,
    is_influencer: bool,
    status: Status,
    brief_version: Option<i32>,
    /// What creators who worked with the brand say, from three ratings on.
    ratings: Option<BrandAverages>,
    response: ResponseTime,
    /// For the campaign's brand: how it is going.
    progress: Option<Progress>,
    budget: Money,
}

impl ShowPage {
    fn committed(&self) -> Money {
        let committed = self.progress.as_ref().map_or(0, |p| p.committed_minor);
        Money::from_minor(committed, self.budget.currency())
    }

    fn free(&self) -> Money {
        Money::from_minor(
            self.budget.minor() - self.committed().minor(),
            self.budget.currency(),
        )
    }

    fn tenths(&self, v: &i64) -> String {
        crate::domain::display::tenths(*v)
    }

    /// The lifecycle buttons this campaign offers its brand: (path, label).
    fn actions(&self) -> Vec<(&'static str, &'static str)> {
        [
            (Transition::Publish, "publish", "Publish"),
            (Transition::Close, "close", "Close applications"),
            (Transition::Complete, "complete", "Mark completed"),
            (Transition::Archive, "archive", "Archive"),
        ]
        .into_iter()
        .filter(|(t, _, _)| self.status.after(*t).is_some())
        .map(|(_, path, label)| (path, label))
        .collect()
    }
}

async fn show(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Page<ShowPage>, AppError> {
    let viewer = viewer(&user)?;
    let db::Shown {
        campaign,
        brief_version,
        ratings,
        response,
        progress,
    } = db::shown(&state.db, viewer, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Page(ShowPage {
        ctx,
        ratings,
        response,
        progress,
        budget: campaign.budget,
        can_edit: viewer.is_brand(),
        is_influencer: viewer.is_creator(),
        status: campaign.status,
        brief_version,
        campaign: CampaignView::from(&campaign),
    }))
}

async fn edit(
    State(state): State<AppState>,
    ctx: PageContext,
    member: BrandMember,
    Path(id): Path<Uuid>,
) -> Result<Page<FormPage>, AppError> {
    let campaign = db::find(&state.db, Viewer::Brand(member.brand.brand_id), id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Page(FormPage {
        ctx,
        id: Some(id),
        form: CampaignForm::from(&campaign),
        errors: FieldErrors::new(),
        scale: tiers::db::load(&state.db).await?,
    }))
}

async fn update(
    State(state): State<AppState>,
    ctx: PageContext,
    member: BrandMember,
    Path(id): Path<Uuid>,
    Form(form, unread): Form<CampaignForm>,
) -> Result<Response, AppError> {
    let brand_id = member.brand.brand_id;
    // A foreign id is a 404 before anything about the form is said.
    db::find(&state.db, Viewer::Brand(brand_id), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let input = match unread.and(form.parse(today())) {
        Ok(input) => input,
        Err(errors) => return form_again(&state, ctx, Some(id), form, errors).await,
    };
    let mut tx = state.db.begin().await?;
    if !db::update(&mut tx, brand_id, id, &input).await? {
        return Err(AppError::NotFound);
    }
    audit::Event::new(Action::CampaignUpdated, &input.title)
        .by(&member.user)
        .on(id)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    // The landing page may have changed: this instance's links lead there now.
    state.clicks.links.forget_all();
    Ok(Flash::success("Campaign saved.").redirect_to(&format!("/campaigns/{id}")))
}

async fn publish(
    State(state): State<AppState>,
    member: BrandMember,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    transition(&state, &member, id, Transition::Publish).await
}

async fn close(
    State(state): State<AppState>,
    member: BrandMember,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    transition(&state, &member, id, Transition::Close).await
}

async fn complete(
    State(state): State<AppState>,
    member: BrandMember,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    transition(&state, &member, id, Transition::Complete).await
}

async fn archive(
    State(state): State<AppState>,
    member: BrandMember,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    transition(&state, &member, id, Transition::Archive).await
}

async fn transition(
    state: &AppState,
    member: &BrandMember,
    id: Uuid,
    transition: Transition,
) -> Result<Response, AppError> {
    let brand_id = member.brand.brand_id;
    let campaign = db::find(&state.db, Viewer::Brand(brand_id), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let status = campaign.status;
    let next = status.after(transition).ok_or_else(|| {
        AppError::Conflict(format!(
            "This campaign is {}, so it can't be {} now.",
            status.label().to_lowercase(),
            match transition {
                Transition::Publish => "published",
                Transition::Close => "closed",
                Transition::Complete => "completed",
                Transition::Archive => "archived",
            }
        ))
    })?;
    if transition == Transition::Publish {
        if brief_db::latest_number(&state.db, id).await?.is_none() {
            return Err(AppError::Conflict(
                "Write the brief before publishing: creators need to know what to deliver, by when, and on what terms."
                    .to_owned(),
            ));
        }
        if campaign.application_deadline <= today() {
            return Err(AppError::Conflict(
                "The application deadline must be in the future to publish: edit the campaign to set a later one."
                    .to_owned(),
            ));
        }
    }
    let mut tx = state.db.begin().await?;
    if !db::set_status(&mut *tx, brand_id, id, status, next).await? {
        return Err(AppError::Conflict(
            "Someone on your team changed this campaign a moment ago. Reload it and try again."
                .to_owned(),
        ));
    }
    let detail = format!("{}: {} to {}", campaign.title, status.label(), next.label());
    audit::Event::new(Action::CampaignStatusChanged, &detail)
        .by(&member.user)
        .on(id)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    let message = match transition {
        Transition::Publish => {
            "Published: creators can now find the campaign on the board and apply."
        }
        Transition::Close => "Closed to new applications.",
        Transition::Complete => "Marked completed.",
        Transition::Archive => "Archived: the campaign is hidden from lists.",
    };
    Ok(Flash::success(message).redirect_to(&format!("/campaigns/{id}")))
}
