//! Applying to campaigns, deciding on applications, and acknowledging new
//! brief versions.

use askama::Template;
use axum::{
    Router,
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use axum_extra::extract::Form;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    db::{self, ApplicationRow, ApplyError, Commitments, DecideError, ListSort},
    domain::{ApplicationForm, Move, Status, fit_problem, suggested_fee},
};
use crate::{
    audit::{self, Action},
    auth::{BrandMember, CurrentUser, Influencer, Viewer},
    campaigns::{
        brief::db as brief_db,
        db::{self as campaigns_db, Campaign},
        domain::Status as CampaignStatus,
    },
    collaborations::deliverables::{
        DeliverableStatus,
        db::{self as deliverables_db, DeliverableRow},
    },
    domain::{
        Currency,
        date::today,
        display::{self, filters},
        money::parse_fee,
        text::required_text,
    },
    error::AppError,
    influencers::db::{self as influencers_db, ProfileBy},
    notifications::{self, Kind, db::Note},
    ratings::{
        RatingPartial,
        db::{self as ratings_db, GivenRating},
    },
    state::AppState,
    web::{FieldErrors, Flash, Page, PageContext, client_ip::ClientIp},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/campaigns/{id}/apply", get(apply_form))
        .route(
            "/campaigns/{id}/applications",
            get(campaign_list).post(apply),
        )
        .route("/campaigns/{id}/brief/acknowledge", post(acknowledge))
        .route("/applications", get(mine))
        .route("/applications/{id}", get(show))
        // shortlist, accept (agreed_fee), decline (reason), withdraw
        .route("/applications/{id}/{move}", post(decide))
}

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
struct ApplyPage {
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
    let (campaign, brief, profile, existing) = tokio::try_join!(
        campaigns_db::find(&state.db, Viewer::Creator(user.id), campaign_id),
        brief_db::get(&state.db, campaign_id, None),
        influencers_db::find_profile(&state.db, ProfileBy::User(user.id)),
        db::active(&state.db, user.id, campaign_id),
    )?;
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
    let blocked = closed_reason(&campaign).or_else(|| {
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

async fn apply_form(
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

async fn apply(
    State(state): State<AppState>,
    ctx: PageContext,
    Influencer(user): Influencer,
    ClientIp(ip): ClientIp,
    Path(campaign_id): Path<Uuid>,
    Form(form): Form<ApplicationForm>,
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
    let new = match form.parse(page.currency, page.brief_version) {
        Ok(a) => a,
        Err(errors) => {
            let page = apply_page(&state, ctx, &user, campaign_id, Some(form), errors).await?;
            return Ok(again(page, StatusCode::UNPROCESSABLE_ENTITY));
        }
    };
    let profile = influencers_db::find_profile(&state.db, ProfileBy::User(user.id))
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    let id = match db::insert(&mut tx, campaign_id, profile.id, &new).await {
        Ok(id) => id,
        Err(ApplyError::AlreadyApplied) => {
            return Ok((
                Flash::info("You have applied to this campaign already."),
                Redirect::to(&format!("/campaigns/{campaign_id}")),
            )
                .into_response());
        }
        Err(ApplyError::Db(e)) => return Err(e.into()),
    };
    audit::record(
        &mut *tx,
        Some(user.id),
        Action::ApplicationSubmitted,
        &page.title,
        Some(ip),
    )
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
    Ok((
        Flash::success(format!(
            "Application sent to {}. You'll see their decision here.",
            page.brand_name
        )),
        Redirect::to(&format!("/applications/{id}")),
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "applications/mine.html")]
struct MinePage {
    ctx: PageContext,
    applications: Vec<ApplicationRow>,
}

impl MinePage {}

async fn mine(
    State(state): State<AppState>,
    ctx: PageContext,
    Influencer(user): Influencer,
) -> Result<Page<MinePage>, AppError> {
    let applications = db::for_applicant(&state.db, user.id).await?;
    Ok(Page(MinePage { ctx, applications }))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ListQuery {
    status: String,
    sort: String,
}

#[derive(Template)]
#[template(path = "applications/campaign.html")]
struct CampaignListPage {
    ctx: PageContext,
    campaign_id: Uuid,
    title: String,
    applications: Vec<ApplicationRow>,
    commitments: Commitments,
    query: ListQuery,
}

impl CampaignListPage {
    fn statuses(&self) -> &'static [Status] {
        &Status::ALL
    }
}

async fn campaign_list(
    State(state): State<AppState>,
    ctx: PageContext,
    member: BrandMember,
    Path(campaign_id): Path<Uuid>,
    Query(query): Query<ListQuery>,
) -> Result<Page<CampaignListPage>, AppError> {
    let brand = member.brand.brand_id;
    let status = Status::parse(&query.status).ok();
    let sort = match query.sort.as_str() {
        "fee" => ListSort::FeeLowest,
        "score" => ListSort::ScoreHighest,
        _ => ListSort::Newest,
    };
    let (campaign, applications, commitments) = tokio::try_join!(
        campaigns_db::find(&state.db, Viewer::Brand(brand), campaign_id),
        db::for_campaign(&state.db, brand, campaign_id, status, sort),
        db::commitments(&state.db, campaign_id),
    )?;
    let campaign = campaign.ok_or(AppError::NotFound)?;
    Ok(Page(CampaignListPage {
        ctx,
        campaign_id,
        title: campaign.title,
        applications,
        commitments: commitments.ok_or(AppError::NotFound)?,
        query,
    }))
}

#[derive(Template)]
#[template(path = "applications/show.html")]
struct ShowPage {
    ctx: PageContext,
    a: ApplicationRow,
    is_brand: bool,
    is_applicant: bool,
    commitments: Option<Commitments>,
    deliverables: Vec<DeliverableRow>,
    errors: FieldErrors,
    agreed_fee: String,
    reason: String,
    /// Every deliverable published: the two sides rate each other.
    complete: bool,
    /// The creator's rating of the brand, shown to the creator only.
    brand_rating: Option<GivenRating>,
    /// The brand's rating of the creator.
    creator_rating: Option<GivenRating>,
    rating: RatingPartial,
}

impl ShowPage {
    fn can(&self, m: Move) -> bool {
        let allowed = if m == Move::Withdraw {
            self.is_applicant
        } else {
            self.is_brand
        };
        allowed && m.from(self.a.status).is_ok()
    }

    fn due(&self, d: &DeliverableRow) -> String {
        display::day(d.due_on)
    }

    fn overdue(&self, d: &DeliverableRow) -> bool {
        d.is_overdue(today())
    }

    fn is_accepted(&self) -> bool {
        self.a.status == Status::Accepted
    }

    /// The viewer's side has yet to rate.
    fn may_rate(&self) -> bool {
        self.complete
            && ((self.is_applicant && self.brand_rating.is_none())
                || (self.is_brand && self.creator_rating.is_none()))
    }

    fn brief_outdated(&self) -> bool {
        self.a.status.is_active() && self.a.acknowledged < self.a.latest_brief
    }
}

async fn show_page(
    state: &AppState,
    ctx: PageContext,
    user: &CurrentUser,
    id: Uuid,
    errors: FieldErrors,
    typed: (String, String),
) -> Result<ShowPage, AppError> {
    let viewer = Viewer::of(user);
    let a = db::find(&state.db, viewer, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let is_brand = matches!(viewer, Viewer::Brand(_));
    let commitments = if is_brand {
        db::commitments(&state.db, a.campaign_id).await?
    } else {
        None
    };
    let (deliverables, (brand_rating, creator_rating)) = if a.status == Status::Accepted {
        tokio::try_join!(
            deliverables_db::list(&state.db, viewer, Some(id), 100),
            ratings_db::of_application(&state.db, id),
        )?
    } else {
        (Vec::new(), (None, None))
    };
    let complete = !deliverables.is_empty()
        && deliverables
            .iter()
            .all(|d| d.status == DeliverableStatus::Published);
    let is_applicant = matches!(viewer, Viewer::Creator(_));
    Ok(ShowPage {
        complete,
        // Creators rate brands anonymously: the brand never sees a single rating.
        brand_rating: if is_applicant { brand_rating } else { None },
        creator_rating,
        rating: RatingPartial::new(id, is_applicant),
        ctx,
        agreed_fee: if typed.0.is_empty() {
            a.proposed_fee.to_decimal_string()
        } else {
            typed.0
        },
        reason: typed.1,
        is_applicant,
        is_brand,
        commitments,
        deliverables,
        errors,
        a,
    })
}

async fn show(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Page<ShowPage>, AppError> {
    let page = show_page(
        &state,
        ctx,
        &user,
        id,
        FieldErrors::new(),
        Default::default(),
    )
    .await?;
    Ok(Page(page))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DecisionForm {
    agreed_fee: String,
    reason: String,
}

/// Makes a move on an application for whoever may make it.
async fn make_move(
    state: &AppState,
    ctx: PageContext,
    user: &CurrentUser,
    ip: Option<std::net::IpAddr>,
    id: Uuid,
    mv: Move,
    form: DecisionForm,
) -> Result<Response, AppError> {
    let viewer = match (mv, Viewer::of(user)) {
        (Move::Withdraw, p @ Viewer::Creator(_)) => p,
        (Move::Withdraw, _) => return Err(AppError::Forbidden),
        (_, p @ Viewer::Brand(_)) => p,
        _ => return Err(AppError::Forbidden),
    };
    let current = db::find(&state.db, viewer, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let typed = (form.agreed_fee.clone(), form.reason.clone());
    let mut errors = FieldErrors::new();
    let agreed_fee = match mv {
        Move::Accept => errors.check(
            "agreed_fee",
            parse_fee(
                &form.agreed_fee,
                current.proposed_fee.currency(),
                "the agreed fee",
            ),
        ),
        _ => None,
    };
    let reason = match mv {
        Move::Decline => errors.check(
            "reason",
            required_text(
                &form.reason,
                "the reason",
                2000,
                "Say why, so the creator can learn from it.",
            ),
        ),
        _ => None,
    };
    if !errors.is_empty() {
        let page = show_page(state, ctx, user, id, errors, typed).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Page(page)).into_response());
    }
    let mut tx = state.db.begin().await?;
    let outcome = db::decide(
        &mut tx,
        viewer,
        id,
        mv,
        agreed_fee,
        reason.as_deref(),
        user.id,
    )
    .await;
    let status = match outcome {
        Ok((status, campaign_id)) => {
            if status == Status::Accepted {
                deliverables_db::copy_from_brief(&mut tx, id, campaign_id).await?;
            }
            status
        }
        Err(DecideError::NotFound) => return Err(AppError::NotFound),
        Err(DecideError::Refused(message)) => {
            tx.rollback().await?;
            let mut errors = FieldErrors::new();
            errors.add(
                if mv == Move::Accept {
                    "agreed_fee"
                } else {
                    "reason"
                },
                message,
            );
            let page = show_page(state, ctx, user, id, errors, typed).await?;
            return Ok((StatusCode::CONFLICT, Page(page)).into_response());
        }
        Err(DecideError::Db(e)) => return Err(e.into()),
    };
    let action = match mv {
        Move::Shortlist => Action::ApplicationShortlisted,
        Move::Accept => Action::ApplicationAccepted,
        Move::Decline => Action::ApplicationDeclined,
        Move::Withdraw => Action::ApplicationWithdrawn,
    };
    let detail = format!("{} for {}", current.creator_name, current.campaign_title);
    audit::record(&mut *tx, Some(user.id), action, &detail, ip).await?;
    let link = format!("/applications/{id}");
    let notified = if mv == Move::Withdraw {
        let message = format!(
            "{} withdrew their application to “{}”.",
            current.creator_name, current.campaign_title
        );
        let note = Note {
            kind: Kind::ApplicationWithdrawn,
            subject: id,
            message: &message,
            link: &link,
        };
        notifications::db::to_brand(&mut *tx, current.brand_id, None, note).await?
    } else {
        let message = format!(
            "{} {} your application to “{}”.",
            current.brand_name,
            status.label().to_lowercase(),
            current.campaign_title
        );
        let note = Note {
            kind: Kind::ApplicationDecided,
            subject: id,
            message: &message,
            link: &link,
        };
        notifications::db::to_user(&mut *tx, current.applicant_id, note).await?
    };
    tx.commit().await?;
    state.sessions.forget_users(&notified);
    Ok((
        Flash::success(format!("Application {}.", status.label().to_lowercase())),
        Redirect::to(&format!("/applications/{id}")),
    )
        .into_response())
}

async fn decide(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path((id, name)): Path<(Uuid, String)>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, AppError> {
    let mv = Move::parse(&name).ok_or(AppError::NotFound)?;
    make_move(&state, ctx, &user, Some(ip), id, mv, form).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AcknowledgeForm {
    version: String,
}

/// The applicant confirms they have read a new version of the brief.
async fn acknowledge(
    State(state): State<AppState>,
    Influencer(user): Influencer,
    ClientIp(ip): ClientIp,
    Path(campaign_id): Path<Uuid>,
    Form(form): Form<AcknowledgeForm>,
) -> Result<Response, AppError> {
    let application = db::active(&state.db, user.id, campaign_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let back = format!("/applications/{}", application.id);
    match form.version.trim().parse::<i32>() {
        Ok(v) if v >= 1 && v <= application.latest_brief => {
            let mut tx = state.db.begin().await?;
            db::acknowledge(&mut *tx, application.id, v).await?;
            audit::record(
                &mut *tx,
                Some(user.id),
                Action::BriefAcknowledged,
                &format!("version {v} of {}", application.campaign_title),
                Some(ip),
            )
            .await?;
            tx.commit().await?;
            Ok((
                Flash::success(format!(
                    "You confirmed you have read version {v} of the brief."
                )),
                Redirect::to(&back),
            )
                .into_response())
        }
        _ => Ok((
            Flash::info("That brief version doesn't exist; nothing was confirmed."),
            Redirect::to(&back),
        )
            .into_response()),
    }
}
