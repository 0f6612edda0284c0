//! `/admin/staff`, assigning portfolios, the manager's console and working
//! as a brand.

use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::db::{self, PortfolioBrand, PortfolioCreator, StaffMember};
use crate::{
    accounts::{
        db as accounts_db,
        domain::{DisplayName, Email},
        password, reset,
    },
    admin::{
        accounts::db as account_db,
        queues::{self, Counts, Queue},
    },
    audit::{self, Action},
    auth::{Admin, CurrentUser, Staff, session, tokens},
    db::snapshot::{self, Snapshot},
    domain::{Role, display::filters},
    error::AppError,
    state::AppState,
    web::{FieldErrors, Flash, Form, Page, PageContext, client_ip::ClientIp},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/staff", get(staff_page).post(add_staff))
        .route("/admin/accounts/{id}/manager", post(assign))
        .route("/admin/accounts/{id}/agency-managed", post(set_managed))
        .route("/admin/portfolio/brands/{id}/work-as", post(work_as))
        .route("/acting/stop", post(stop_acting))
}

// ---- the manager's console ----

#[derive(Template)]
#[template(path = "admin/portfolio.html")]
pub struct PortfolioPage {
    ctx: PageContext,
    brands: Vec<PortfolioBrand>,
    creators: Vec<PortfolioCreator>,
    queues: Counts,
    queues_taken_at: OffsetDateTime,
}

impl PortfolioPage {
    fn queue_list(&self) -> [Queue; 8] {
        Queue::ALL
    }

    fn queues_heading(&self) -> &'static str {
        "What needs you"
    }
}

/// `/admin` for a manager: their brands and creators and the queues'
/// rows within them.
pub async fn dashboard(
    state: &AppState,
    ctx: PageContext,
    manager: Uuid,
) -> Result<Page<PortfolioPage>, AppError> {
    let mut conn = state.db.acquire().await?;
    let brands = db::brands(&mut *conn, manager).await?;
    let creators = db::creators(&mut *conn, manager).await?;
    let queues = queues::counts(&mut *conn, Some(manager)).await?;
    let queues_taken_at = snapshot::taken_at(&mut *conn, Snapshot::AgencyQueue).await?;
    drop(conn);
    Ok(Page(PortfolioPage {
        ctx,
        brands,
        creators,
        queues,
        queues_taken_at,
    }))
}

// ---- staff ----

#[derive(Template)]
#[template(path = "admin/staff.html")]
struct StaffPage {
    ctx: PageContext,
    staff: Vec<StaffMember>,
    form: StaffForm,
    errors: FieldErrors,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct StaffForm {
    display_name: String,
    email: String,
    role: String,
}

async fn staff_page(
    State(state): State<AppState>,
    ctx: PageContext,
    _admin: Admin,
) -> Result<Page<StaffPage>, AppError> {
    Ok(Page(StaffPage {
        ctx,
        staff: db::staff(&state.db).await?,
        form: StaffForm {
            role: "manager".to_owned(),
            ..StaffForm::default()
        },
        errors: FieldErrors::new(),
    }))
}

/// Adds an admin or a manager, who chooses a password from an emailed link.
async fn add_staff(
    State(state): State<AppState>,
    ctx: PageContext,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Form(form, unread): Form<StaffForm>,
) -> Result<Response, AppError> {
    let mut errors = unread.checked().err().unwrap_or_default();
    let name = errors.check("display_name", DisplayName::parse(&form.display_name));
    let email = errors.check("email", Email::parse(&form.email));
    let role = match form.role.as_str() {
        "manager" => Some(Role::Manager),
        "admin" => Some(Role::Admin),
        _ => {
            errors.add("role", "Choose manager or admin.");
            None
        }
    };
    let again =
        async |state: &AppState, ctx, form, errors: FieldErrors| -> Result<Response, AppError> {
            let status = errors.status();
            let page = StaffPage {
                ctx,
                staff: db::staff(&state.db).await?,
                form,
                errors,
            };
            Ok((status, Page(page)).into_response())
        };
    let (Some(name), Some(email), Some(role), true) = (name, email, role, errors.is_empty()) else {
        return again(&state, ctx, form, errors).await;
    };
    // Nobody knows this password: the new member chooses theirs by link.
    let unknowable = password::hash(
        crate::accounts::domain::Password::parse(&tokens::random_token())
            .map_err(|e| anyhow::anyhow!(e))?,
    )
    .await?;
    let mut tx = state.db.begin().await?;
    let id = match accounts_db::create_staff(&mut tx, &email, &name, &unknowable, role).await {
        Ok(id) => id,
        Err(accounts_db::CreateError::EmailTaken) => {
            tx.rollback().await?;
            let mut errors = FieldErrors::new();
            errors.add("email", "An account already uses this address.");
            return again(&state, ctx, form, errors).await;
        }
        Err(accounts_db::CreateError::Db(e)) => return Err(e.into()),
    };
    let to = reset::Recipient {
        id,
        email: email.as_str().to_owned(),
        display_name: name.as_str().to_owned(),
    };
    reset::issue(
        &mut tx,
        &to,
        reset::Reason::Welcome,
        Some(admin.id),
        &state.config.public_url,
    )
    .await?;
    audit::Event::new(
        Action::StaffCreated,
        &format!("{} ({})", email.as_str(), role.label()),
    )
    .by(&admin)
    .on(id)
    .at(ip)
    .record(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Flash::success(format!(
        "{} is now an {}. They were emailed a link to choose their password.",
        name.as_str(),
        role.label().to_lowercase()
    ))
    .redirect_to("/admin/staff")
    .into_response())
}

// ---- assigning ----

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AssignForm {
    manager: String,
}

/// Puts the account's brand or creator profile in a manager's portfolio, or
/// in nobody's.
async fn assign(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form, unread): Form<AssignForm>,
) -> Result<Response, AppError> {
    unread.or_refuse()?;
    let account = account_db::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let manager = match form.manager.trim() {
        "" => None,
        text => Some(
            Uuid::parse_str(text)
                .map_err(|_| AppError::BadRequest("Choose a manager from the list.".to_owned()))?,
        ),
    };
    let mut tx = state.db.begin().await?;
    let what = match (account.brand_id, account.profile_id) {
        (Some(brand), _) => db::assign_brand(&mut tx, brand, manager, admin.id).await,
        (None, Some(profile)) => db::assign_creator(&mut tx, profile, manager, admin.id).await,
        (None, None) => return Err(AppError::NotFound),
    };
    if let Err(e) = what {
        // The foreign key refuses anyone but a manager.
        if matches!(&e, sqlx::Error::Database(d) if d.is_foreign_key_violation()) {
            return Err(AppError::BadRequest(
                "Only an agency manager can hold a portfolio: choose one from the list.".to_owned(),
            ));
        }
        return Err(e.into());
    }
    let whose = account
        .brand_name
        .clone()
        .unwrap_or_else(|| account.display_name.clone());
    let detail = match manager {
        Some(m) => format!("{whose} to manager {m}"),
        None => format!("{whose} to no manager"),
    };
    audit::Event::new(Action::PortfolioAssigned, &detail)
        .by(&admin)
        .on(account.brand_id.unwrap_or(id))
        .at(ip)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    let said = match manager {
        Some(_) => format!("{whose} is in the chosen manager's portfolio."),
        None => format!("{whose} is in no manager's portfolio now."),
    };
    Ok(Flash::success(said)
        .redirect_to(&format!("/admin/accounts/{id}"))
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ManagedForm {
    managed: String,
}

/// Whether the agency works for the account's brand: its manager may then
/// write its campaigns and briefs, decide applications and review drafts.
async fn set_managed(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form, unread): Form<ManagedForm>,
) -> Result<Response, AppError> {
    unread.or_refuse()?;
    let account = account_db::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(brand) = account.brand_id else {
        return Err(AppError::NotFound);
    };
    let managed = form.managed == "on";
    let mut tx = state.db.begin().await?;
    db::set_agency_managed(&mut tx, brand, managed).await?;
    let name = account.brand_name.as_deref().unwrap_or_default();
    let detail = if managed {
        format!("{name}: the agency works for it")
    } else {
        format!("{name}: managed by its own team")
    };
    audit::Event::new(Action::AgencyManagedChanged, &detail)
        .by(&admin)
        .on(brand)
        .at(ip)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    let said = if managed {
        format!("The agency now works for {name}: its manager can act as the brand.")
    } else {
        format!("{name} is managed by its own team again.")
    };
    Ok(Flash::success(said)
        .redirect_to(&format!("/admin/accounts/{id}"))
        .into_response())
}

// ---- working as a brand ----

fn session_token(jar: &CookieJar) -> Result<String, AppError> {
    session::token(jar).ok_or(AppError::Forbidden)
}

async fn work_as(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    Path(brand): Path<Uuid>,
) -> Result<Response, AppError> {
    let Some(manager) = staff.scope.manager() else {
        // Admins act as themselves; working as a brand is a manager's.
        return Err(AppError::Forbidden);
    };
    let Some(name) = db::workable(&state.db, manager, brand).await? else {
        return Err(AppError::NotFound);
    };
    let token = session_token(&jar)?;
    let mut tx = state.db.begin().await?;
    session::act_as(&mut *tx, &token, manager, Some(brand)).await?;
    audit::Event::new(Action::ActingStarted, &name)
        .by(audit::Actor {
            user: manager,
            for_brand: Some(brand),
        })
        .on(brand)
        .at(ip)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    state.sessions.forget_user(manager);
    Ok(Flash::success(format!(
        "You are working as {name}. Everything you do is recorded as done by you for {name}."
    ))
    .redirect_to("/dashboard")
    .into_response())
}

async fn stop_acting(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
) -> Result<Response, AppError> {
    let Some(brand) = user.acting_for().cloned() else {
        return Ok(Redirect::to("/admin").into_response());
    };
    let token = session_token(&jar)?;
    let mut tx = state.db.begin().await?;
    session::act_as(&mut *tx, &token, user.id, None).await?;
    audit::Event::new(Action::ActingStopped, &brand.brand_name)
        .by(&user)
        .on(brand.brand_id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    state.sessions.forget_user(user.id);
    Ok((
        StatusCode::SEE_OTHER,
        Flash::info(format!("You stopped working as {}.", brand.brand_name)),
        Redirect::to("/admin"),
    )
        .into_response())
}
