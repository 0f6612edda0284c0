//! Applying to a campaign with a pitch and a fee, and confirming a new version
//! of its brief.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    applications::{
        db::{self, ApplyError},
        domain::{ApplicationForm, fit_problem, suggested_fee},
    },
    audit::{self, Action},
    auth::{CurrentUser, Influencer, Viewer},
    campaigns::{
        brief::db as brief_db,
        db::{self as campaigns_db, Campaign},
        domain::Status as CampaignStatus,
    },
    domain::{Currency, date::today, display},
    error::AppError,
    influencers::db::{self as influencers_db, ProfileBy},
    limits::{self, Limit},
    notifications::{self, Kind, db::Note},
    state::AppState,
    web::{FieldErrors, Flash, Form, Page, PageContext, client_ip::ClientIp, forms::refused_form},
};

/// Why the campaign takes no applications now, if it doesn't.
fn closed_reason(c: &Campaign) -> Option<String> {
    if c.status != CampaignStatus::Open {
        Some("This campaign isn't taking applications.".into())
    } else if c.application_deadline < today() {
        Some("Applications for this campaign have closed.".into())
    } else {
        None
    }
}

#[derive(Template)]
#[template(path = "applications/apply.html")]
pub(super) struct ApplyPage {
    ctx: PageContext,
    campaign_id: Uuid,
    brand_id: Uuid,
    title: String,
    brand_name: String,
    budget: String,
    currency: Currency,
    closes: String,
    brief_version: i32,
    form: ApplicationForm,
    errors: FieldErrors,
    suggestion: Option<String>,
    /// Why they can't apply; the form is not offered then.
    blocked: Option<String>,
    existing: Option<Uuid>,
}

impl ApplyPage {
    fn fee_label(&self) -> String {
        format!("Your fee ({})", self.currency)
    }

    fn fee_hint(&self) -> String {
        match &self.suggestion {
            Some(s) => format!(
                "Your rate card prices this brief's deliverables at {s}. Change it if you like."
            ),
            None => "For all the brief's deliverables. Add rates to your profile and we will suggest it."
                .to_owned(),
        }
    }
}

async fn apply_page(
    state: &AppState,
    ctx: PageContext,
    user: &CurrentUser,
    campaign_id: Uuid,
    form: Option<ApplicationForm>,
    errors: FieldErrors,
) -> Result<ApplyPage, AppError> {
    let mut conn = state.db.acquire().await?;
    let campaign = campaigns_db::find(&mut *conn, Viewer::Creator(user.id), campaign_id).await?;
    let brief = brief_db::get(&mut *conn, campaign_id, None).await?;
    let profile = influencers_db::find_profile(&mut *conn, ProfileBy::User(user.id)).await?;
    let existing = db::active(&mut *conn, user.id, campaign_id).await?;
    drop(conn);
    let campaign = campaign.ok_or(AppError::NotFound)?;
    let brief = brief.ok_or(AppError::NotFound)?;
    let currency = campaign.budget.currency();
    let suggestion = match &profile {
        Some(p) => {
            let rates: Vec<_> = influencers_db::rates(&state.db, p.id)
                .await?
                .into_iter()
                .map(|r| (r.platform, r.format, r.price))
                .collect();
            suggested_fee(&rates, &brief.brief.deliverables, currency)
        }
        None => None,
    };
    let paused = campaigns_db::brand_suspended(&state.db, campaign.brand_id)
        .await?
        .then(|| {
            "The agency has paused this brand's account: its campaigns take no applications for now."
                .to_owned()
        });
    let blocked = paused.or_else(|| closed_reason(&campaign)).or_else(|| {
        fit_problem(
            user.reach.as_ref(),
            &campaign.eligible_tiers,
            &campaign.platforms,
        )
    });
    Ok(ApplyPage {
        ctx,
        campaign_id,
        brand_id: campaign.brand_id,
        title: campaign.title.clone(),
        brand_name: campaign.brand_name.clone(),
        budget: campaign.budget.to_string(),
        currency,
        closes: display::day(campaign.application_deadline),
        brief_version: brief.number,
        form: form.unwrap_or_else(|| ApplicationForm {
            proposed_fee: suggestion
                .map(|m| m.to_decimal_string())
                .unwrap_or_default(),
            ..ApplicationForm::default()
        }),
        errors,
        suggestion: suggestion.map(|m| m.to_string()),
        blocked,
        existing: existing.map(|a| a.id),
    })
}

pub(super) async fn apply_form(
    State(state): State<AppState>,
    ctx: PageContext,
    Influencer(user): Influencer,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let page = apply_page(&state, ctx, &user, id, None, FieldErrors::new()).await?;
    if let Some(existing) = page.existing {
        return Ok(Redirect::to(&format!("/applications/{existing}")).into_response());
    }
    Ok(Page(page).into_response())
}

pub(super) async fn apply(
    State(state): State<AppState>,
    ctx: PageContext,
    Influencer(user): Influencer,
    ClientIp(ip): ClientIp,
    Path(campaign_id): Path<Uuid>,
    Form(form, unread): Form<ApplicationForm>,
) -> Result<Response, AppError> {
    let again = |page: ApplyPage, status| (status, Page(page)).into_response();
    let page = apply_page(
        &state,
        ctx.clone(),
        &user,
        campaign_id,
        Some(form.clone()),
        FieldErrors::new(),
    )
    .await?;
    if let Some(existing) = page.existing {
        return Ok(Redirect::to(&format!("/applications/{existing}")).into_response());
    }
    if page.blocked.is_some() {
        return Ok(again(page, StatusCode::UNPROCESSABLE_ENTITY));
    }
    let new = match unread.and(form.parse(page.currency, page.brief_version)) {
        Ok(a) => a,
        Err(errors) => {
            let status = errors.status();
            let page = apply_page(&state, ctx, &user, campaign_id, Some(form), errors).await?;
            return Ok(again(page, status));
        }
    };
    let limits = [
        Limit::APPLICATIONS.of(user.id),
        Limit::APPLICATIONS_BY_ADDRESS.from(ip),
    ];
    if let Some(refused) = limits::db::hit_all(&state.db, &limits).await? {
        let errors = FieldErrors::one("pitch", refused.message());
        let page = apply_page(&state, ctx, &user, campaign_id, Some(form), errors).await?;
        return Ok(refused_form(&refused, Page(page)));
    }
    let profile = influencers_db::find_profile(&state.db, ProfileBy::User(user.id))
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    let id = match db::insert(&mut tx, campaign_id, profile.id, &new).await {
        Ok(id) => id,
        Err(ApplyError::AlreadyApplied) => {
            return Ok(Flash::info("You have applied to this campaign already.")
                .redirect_to(&format!("/campaigns/{campaign_id}")));
        }
        Err(ApplyError::Db(e)) => return Err(e.into()),
    };
    audit::Event::new(Action::ApplicationSubmitted, &page.title)
        .by(&user)
        .on(id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    let message = format!(
        "{} applied to “{}” asking {}.",
        user.display_name, page.title, new.fee
    );
    let notified = notifications::db::to_brand(
        &mut *tx,
        page.brand_id,
        None,
        Note {
            kind: Kind::ApplicationReceived,
            subject: id,
            message: &message,
            link: &format!("/applications/{id}"),
        },
    )
    .await?;
    tx.commit().await?;
    state.sessions.forget_users(&notified);
    Ok(Flash::success(format!(
        "Application sent to {}. You'll see their decision here.",
        page.brand_name
    ))
    .redirect_to(&format!("/applications/{id}")))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct AcknowledgeForm {
    version: String,
}

/// The applicant confirms they have read a new version of the brief.
pub(super) async fn acknowledge(
    State(state): State<AppState>,
    Influencer(user): Influencer,
    ClientIp(ip): ClientIp,
    Path(campaign_id): Path<Uuid>,
    Form(form, unread): Form<AcknowledgeForm>,
) -> Result<Response, AppError> {
    unread.or_refuse()?;
    let application = db::active(&state.db, user.id, campaign_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let back = format!("/applications/{}", application.id);
    match form.version.trim().parse::<i32>() {
        Ok(v) if v >= 1 && v <= application.latest_brief => {
            let mut tx = state.db.begin().await?;
            db::acknowledge(&mut *tx, application.id, v).await?;
            audit::Event::new(
                Action::BriefAcknowledged,
                &format!("version {v} of {}", application.campaign_title),
            )
            .by(&user)
            .on(application.id)
            .at(ip)
            .record(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(Flash::success(format!(
                "You confirmed you have read version {v} of the brief."
            ))
            .redirect_to(&back))
        }
        _ => Ok(
            Flash::info("That brief version doesn't exist; nothing was confirmed.")
                .redirect_to(&back),
        ),
    }
}
