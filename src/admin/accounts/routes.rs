//! The console's account pages and their forms.

use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    db::{self, Account, Filter, Listed, Session, Work},
    rules::{self, Target},
};
use crate::{
    accounts::reset,
    admin::portfolio::db::{self as portfolio_db, PortfolioBrand, PortfolioCreator, StaffMember},
    audit::{
        self, Action,
        search::{self, AuditEvent},
    },
    auth::{Admin, Scope, Staff},
    brands::db::{self as brands_db, TeamMember},
    domain::{Role, Tier, date::parse_date, display::filters},
    email::{self, Message, outbox},
    error::AppError,
    state::AppState,
    web::{FieldErrors, Flash, Form, Page, PageContext, Query, client_ip::ClientIp, keyset},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/accounts", get(list))
        .route("/admin/accounts/{id}", get(show))
        .route("/admin/accounts/{id}/suspend", post(suspend))
        .route("/admin/accounts/{id}/reactivate", post(reactivate))
        .route("/admin/accounts/{id}/owner", post(change_owner))
        .route("/admin/accounts/{id}/password-reset", post(send_reset))
}

const SHOWN: i64 = 10;

#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default)]
struct ListQuery {
    q: String,
    kind: String,
    status: String,
    tier: String,
    brand: String,
    joined_from: String,
    joined_to: String,
    #[serde(skip_serializing)]
    before: String,
}

impl ListQuery {
    fn link(&self) -> String {
        serde_urlencoded::to_string(self).unwrap_or_default()
    }

    fn parse(&self) -> (Filter, FieldErrors) {
        let mut errors = FieldErrors::new();
        let text = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        let role = match self.kind.trim() {
            "" => None,
            "brand" => Some(Role::Brand),
            "influencer" => Some(Role::Influencer),
            "admin" => Some(Role::Admin),
            "manager" => Some(Role::Manager),
            _ => {
                errors.add("kind", "Choose a kind of account from the list.");
                None
            }
        };
        let suspended = match self.status.trim() {
            "" => None,
            "active" => Some(false),
            "suspended" => Some(true),
            _ => {
                errors.add("status", "Choose active or suspended.");
                None
            }
        };
        let tier = match self.tier.trim() {
            "" => None,
            t => errors.check("tier", Tier::parse(t)),
        };
        let date = |v: &str, what| {
            if v.trim().is_empty() {
                Ok(None)
            } else {
                parse_date(v, what).map(Some)
            }
        };
        let joined_from = errors
            .check("joined_from", date(&self.joined_from, "the first day"))
            .flatten();
        let joined_to = errors
            .check("joined_to", date(&self.joined_to, "the last day"))
            .flatten();
        let filter = Filter {
            words: text(&self.q),
            role,
            suspended,
            tier,
            brand: text(&self.brand),
            joined_from,
            joined_to,
            manager: None,
        };
        (filter, errors)
    }
}

#[derive(Template)]
#[template(path = "admin/accounts/index.html")]
struct ListPage {
    ctx: PageContext,
    query: ListQuery,
    errors: FieldErrors,
    accounts: Vec<Listed>,
    older: Option<String>,
    first_page: bool,
    link: String,
}

impl ListPage {
    fn tiers(&self) -> [Tier; 6] {
        Tier::ALL
    }
}

async fn list(
    State(state): State<AppState>,
    ctx: PageContext,
    staff: Staff,
    Query(query, unread): Query<ListQuery>,
) -> Result<Response, AppError> {
    let (mut filter, errors) = query.parse();
    filter.manager = staff.scope.manager();
    let errors = unread.into_errors(errors);
    let before = Uuid::parse_str(query.before.trim()).ok();
    let mut accounts = db::list(&state.db, &filter, before).await?;
    let link = query.link();
    let older = keyset::older(&mut accounts, db::PAGE, &link, |a| a.id);
    let status = errors.filter_status();
    let page = ListPage {
        ctx,
        query,
        errors,
        accounts,
        older,
        first_page: before.is_none(),
        link,
    };
    Ok((status, Page(page)).into_response())
}

#[derive(Template)]
#[template(path = "admin/accounts/show.html")]
struct AccountPage {
    ctx: PageContext,
    /// Managers see the account; admins also assign it and change its owner.
    is_admin: bool,
    /// Who it can be assigned to.
    managers: Vec<StaffMember>,
    /// A manager's own portfolio, on their page.
    portfolio_brands: Vec<PortfolioBrand>,
    portfolio_creators: Vec<PortfolioCreator>,
    account: Account,
    members: Vec<TeamMember>,
    work: Vec<Work>,
    events: Vec<AuditEvent>,
    sessions: Vec<Session>,
    mail: Vec<outbox::Stored>,
    reason: String,
    errors: FieldErrors,
}

impl AccountPage {
    fn other_members(&self) -> Vec<&TeamMember> {
        self.members.iter().filter(|m| !m.is_owner).collect()
    }
}

async fn account_page(
    state: &AppState,
    ctx: PageContext,
    staff: &Staff,
    id: Uuid,
    reason: String,
    errors: FieldErrors,
) -> Result<AccountPage, AppError> {
    let account = db::find(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let is_admin = staff.scope == Scope::Everything;
    let (managers, portfolio_brands, portfolio_creators) = tokio::try_join!(
        async {
            if is_admin && (account.brand_id.is_some() || account.profile_id.is_some()) {
                portfolio_db::staff(&state.db).await
            } else {
                Ok(Vec::new())
            }
        },
        async {
            match account.role {
                Role::Manager => portfolio_db::brands(&state.db, id).await,
                _ => Ok(Vec::new()),
            }
        },
        async {
            match account.role {
                Role::Manager => portfolio_db::creators(&state.db, id).await,
                _ => Ok(Vec::new()),
            }
        },
    )?;
    let managers = managers
        .into_iter()
        .filter(|m| m.role == Role::Manager && !m.suspended)
        .collect();
    let members = match account.brand_id {
        Some(brand) => brands_db::team(&state.db, brand).await?,
        None => Vec::new(),
    };
    let work = match (account.brand_id, account.profile_id) {
        (Some(brand), _) => db::campaigns(&state.db, brand, SHOWN).await?,
        (None, Some(profile)) => db::applications(&state.db, profile, SHOWN).await?,
        (None, None) => Vec::new(),
    };
    let mut conn = state.db.acquire().await?;
    let events = search::about_account(&mut *conn, id, SHOWN).await?;
    let sessions = db::sessions(&mut *conn, id).await?;
    let mail = outbox::page(&mut *conn, None, None, Some(id), None, 5).await?;
    drop(conn);
    Ok(AccountPage {
        ctx,
        is_admin,
        managers,
        portfolio_brands,
        portfolio_creators,
        account,
        members,
        work,
        events,
        sessions,
        mail,
        reason,
        errors,
    })
}

async fn show(
    State(state): State<AppState>,
    ctx: PageContext,
    staff: Staff,
    Path(id): Path<Uuid>,
) -> Result<Page<AccountPage>, AppError> {
    in_scope(&state, &staff, id).await?;
    Ok(Page(
        account_page(&state, ctx, &staff, id, String::new(), FieldErrors::new()).await?,
    ))
}

/// A manager's portfolio bounds what they see: any other account is not
/// found (404), as if it did not exist.
async fn in_scope(state: &AppState, staff: &Staff, id: Uuid) -> Result<(), AppError> {
    match staff.scope.manager() {
        None => Ok(()),
        Some(manager) if portfolio_db::includes(&state.db, manager, id).await? => Ok(()),
        Some(_) => Err(AppError::NotFound),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SuspendForm {
    reason: String,
}

async fn refused(
    state: &AppState,
    ctx: PageContext,
    staff: &Staff,
    id: Uuid,
    reason: String,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let page = account_page(state, ctx, staff, id, reason, errors).await?;
    Ok((status, Page(page)).into_response())
}

/// Suspends the account (and, for a brand's owner, the brand: every member
/// is kept out and its open campaigns stop taking applications), ending
/// every session it kept out, in one transaction.
async fn suspend(
    State(state): State<AppState>,
    ctx: PageContext,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form, unread): Form<SuspendForm>,
) -> Result<Response, AppError> {
    in_scope(&state, &staff, id).await?;
    let admin = &staff.user;
    let reason =
        match unread.and(rules::reason(&form.reason).map_err(|m| FieldErrors::one("reason", m))) {
            Ok(r) => r,
            Err(errors) => {
                let status = errors.status();
                return refused(&state, ctx, &staff, id, form.reason, errors, status).await;
            }
        };
    let account = db::find(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    let active_admins = db::active_admins_locked(&mut tx).await?;
    let suspended = db::lock(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let target = Target {
        id,
        is_admin: account.role == Role::Admin,
        suspended,
    };
    if let Err(refusal) = rules::may_suspend(admin.id, target, active_admins) {
        tx.rollback().await?;
        let errors = FieldErrors::one("reason", refusal.message());
        return refused(
            &state,
            ctx,
            &staff,
            id,
            form.reason,
            errors,
            StatusCode::CONFLICT,
        )
        .await;
    }
    db::suspend_user(&mut tx, id, &reason).await?;
    let mut kept_out = vec![id];
    let mut detail = format!("{}: {reason}", account.email);
    if let (true, Some(brand_id)) = (account.is_owner, account.brand_id) {
        db::suspend_brand(&mut tx, brand_id, &reason).await?;
        kept_out = db::member_ids(&mut *tx, brand_id).await?;
        detail = format!(
            "{} and the brand {}: {reason}",
            account.email,
            account.brand_name.as_deref().unwrap_or_default()
        );
    }
    let ended = db::end_sessions(&mut tx, &kept_out).await?;
    let brand = (kept_out.len() > 1)
        .then_some(account.brand_name.as_deref())
        .flatten();
    tell(
        &mut tx,
        &kept_out,
        email::Kind::AccountSuspended,
        brand,
        Some(&reason),
        &state.config.public_url,
    )
    .await?;
    audit::Event::new(Action::AccountSuspended, &detail)
        .by(admin.id)
        .on(id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    state.sessions.forget_users(&kept_out);
    tracing::info!(account = %id, sessions = ended, "account suspended");
    let message = if kept_out.len() > 1 {
        format!(
            "{} and {} are suspended: its {} members are signed out and its open campaigns take no applications.",
            account.display_name,
            account.brand_name.as_deref().unwrap_or_default(),
            kept_out.len()
        )
    } else {
        format!(
            "{} is suspended and signed out everywhere.",
            account.display_name
        )
    };
    Ok(Flash::success(message)
        .redirect_to(&format!("/admin/accounts/{id}"))
        .into_response())
}

async fn reactivate(
    State(state): State<AppState>,
    ctx: PageContext,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    in_scope(&state, &staff, id).await?;
    let admin = &staff.user;
    let account = db::find(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    let suspended = db::lock(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let target = Target {
        id,
        is_admin: account.role == Role::Admin,
        suspended,
    };
    if let Err(refusal) = rules::may_reactivate(target) {
        tx.rollback().await?;
        let errors = FieldErrors::one("reason", refusal.message());
        return refused(
            &state,
            ctx,
            &staff,
            id,
            String::new(),
            errors,
            StatusCode::CONFLICT,
        )
        .await;
    }
    // An owner's suspension suspended the brand; reactivating the owner lifts both.
    let brand = account.brand_id.filter(|_| account.is_owner);
    db::reactivate(&mut tx, id, brand).await?;
    let (told, brand_name) = match brand {
        Some(brand) => (
            db::member_ids(&mut *tx, brand).await?,
            account.brand_name.as_deref(),
        ),
        None => (vec![id], None),
    };
    tell(
        &mut tx,
        &told,
        email::Kind::AccountReactivated,
        brand_name,
        None,
        &state.config.public_url,
    )
    .await?;
    audit::Event::new(Action::AccountReactivated, &account.email)
        .by(admin.id)
        .on(id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(
        Flash::success(format!("{} can sign in again.", account.display_name))
            .redirect_to(&format!("/admin/accounts/{id}"))
            .into_response(),
    )
}

#[derive(Template)]
#[template(path = "email/account_suspended.txt")]
struct SuspendedEmail<'a> {
    name: &'a str,
    brand: Option<&'a str>,
    reason: &'a str,
}

#[derive(Template)]
#[template(path = "email/account_reactivated.txt")]
struct ReactivatedEmail<'a> {
    name: &'a str,
    brand: Option<&'a str>,
    login: String,
}

/// Emails everyone a suspension (with its `reason`) or reactivation
/// concerns: the account, or every member when it was a brand's.
async fn tell(
    tx: &mut sqlx::PgConnection,
    users: &[Uuid],
    kind: email::Kind,
    brand: Option<&str>,
    reason: Option<&str>,
    public_url: &str,
) -> Result<(), AppError> {
    for person in db::recipients(&mut *tx, users).await? {
        let name = &person.display_name;
        let message = match reason {
            Some(reason) => {
                let subject = match brand {
                    Some(brand) => format!("{brand} is suspended on Liaison"),
                    None => "Your Liaison account is suspended".to_owned(),
                };
                Message::new(
                    kind,
                    &person.email,
                    subject,
                    &SuspendedEmail {
                        name,
                        brand,
                        reason,
                    },
                )?
            }
            None => {
                let subject = match brand {
                    Some(brand) => format!("{brand} is active on Liaison again"),
                    None => "Your Liaison account is active again".to_owned(),
                };
                let login = format!("{public_url}/login");
                Message::new(
                    kind,
                    &person.email,
                    subject,
                    &ReactivatedEmail { name, brand, login },
                )?
            }
        };
        message.for_user(person.id).queue(&mut *tx).await?;
    }
    Ok(())
}

/// Emails the account a link to choose a new password, from the console.
async fn send_reset(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    in_scope(&state, &staff, id).await?;
    let to = reset::recipient(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    reset::issue(
        &mut tx,
        &to,
        reset::Reason::SentByAgency,
        Some(staff.user.id),
        &state.config.public_url,
    )
    .await?;
    audit::Event::new(Action::PasswordResetSent, &to.email)
        .by(&staff.user)
        .on(id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Flash::success(format!(
        "A link to choose a new password is on its way to {}. It works once, for an hour;          any older link stops working.",
        to.email
    ))
    .redirect_to(&format!("/admin/accounts/{id}"))
    .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct OwnerForm {
    owner: String,
}

/// The account's page again with `message` beside the owner's form.
async fn owner_refused(
    state: &AppState,
    ctx: PageContext,
    staff: &Staff,
    id: Uuid,
    message: &str,
    status: StatusCode,
) -> Result<Response, AppError> {
    let errors = FieldErrors::one("owner", message);
    refused(state, ctx, staff, id, String::new(), errors, status).await
}

async fn change_owner(
    State(state): State<AppState>,
    ctx: PageContext,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form, unread): Form<OwnerForm>,
) -> Result<Response, AppError> {
    unread.or_refuse()?;
    let staff = Staff {
        user: admin.clone(),
        scope: Scope::Everything,
    };
    let account = db::find(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let Some(brand_id) = account.brand_id else {
        return Err(AppError::NotFound);
    };
    // The brand's suspension is lifted by reactivating its owner: handing it
    // to someone else first would leave it suspended with nobody to lift it.
    if account.brand_suspended_at.is_some() {
        let message = "The brand is suspended with its owner: reactivate the owner first.";
        return owner_refused(&state, ctx, &staff, id, message, StatusCode::CONFLICT).await;
    }
    let Ok(new_owner) = Uuid::parse_str(form.owner.trim()) else {
        let message = "Choose the member who becomes the owner.";
        return owner_refused(
            &state,
            ctx,
            &staff,
            id,
            message,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let mut tx = state.db.begin().await?;
    if !db::change_owner(&mut tx, brand_id, new_owner).await? {
        tx.rollback().await?;
        let message = "Only a member of this brand's team can become its owner.";
        return owner_refused(
            &state,
            ctx,
            &staff,
            id,
            message,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let detail = format!(
        "{} now owned by {new_owner}",
        account.brand_name.as_deref().unwrap_or_default()
    );
    audit::Event::new(Action::BrandOwnerChanged, &detail)
        .by(admin.id)
        .on(brand_id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    state.sessions.forget_users(&[account.id, new_owner]);
    Ok(Flash::success("The brand has a new owner.")
        .redirect_to(&format!("/admin/accounts/{new_owner}"))
        .into_response())
}
