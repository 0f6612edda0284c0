//! /brand: the profile and the team.

use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use std::net::IpAddr;

use serde::Deserialize;
use uuid::Uuid;

use super::{
    db::{self, ExistingAccount, PendingInvitation, TeamMember},
    domain::{INVITATION_DAYS, ProfileForm},
};
use crate::{
    accounts::domain::Email,
    audit::{self, Action},
    auth::{BrandMember, BrandMembership},
    conversions,
    conversions::tokens::TokenRow,
    domain::{Role, display::filters},
    email::{self, Message},
    error::AppError,
    state::AppState,
    web::{FieldErrors, Flash, Form, Page, PageContext, client_ip::ClientIp},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/brand", get(show).post(update))
        .route("/brand/members", post(add_member))
        .route("/brand/members/{user_id}/remove", post(remove_member))
        .route("/brand/invitations/{id}/revoke", post(revoke_invitation))
}

#[derive(Template)]
#[template(path = "brands/profile.html")]
pub(super) struct BrandPage {
    ctx: PageContext,
    brand_name: String,
    is_owner: bool,
    form: ProfileForm,
    errors: FieldErrors,
    team: Vec<TeamMember>,
    invitations: Vec<PendingInvitation>,
    member_email: String,
    member_errors: FieldErrors,
    invitation_link: Option<String>,
    tokens: Vec<TokenRow>,
    token_name: String,
    token_errors: FieldErrors,
    /// A token just made: its name and the token, shown this once.
    new_token: Option<(String, String)>,
    /// Where the API is, for the example request.
    api_url: String,
    /// What agency staff did working as the brand.
    by_agency: Vec<audit::search::AuditEvent>,
}

impl BrandPage {
    fn invitation_days(&self) -> i32 {
        INVITATION_DAYS
    }
}

/// What the page shows besides the saved profile: a form being corrected, the
/// result of adding a member.
#[derive(Default)]
pub(super) struct PageState {
    pub form: Option<ProfileForm>,
    pub errors: FieldErrors,
    pub member_email: String,
    pub member_errors: FieldErrors,
    pub invitation_link: Option<String>,
    pub token_name: String,
    pub token_errors: FieldErrors,
    pub new_token: Option<(String, String)>,
}

pub(super) async fn page(
    state: &AppState,
    ctx: PageContext,
    member: &BrandMember,
    page_state: PageState,
) -> Result<Page<BrandPage>, AppError> {
    let brand_id = member.brand.brand_id;
    let mut conn = state.db.acquire().await?;
    let profile = db::profile(&mut *conn, brand_id).await?;
    let team = db::team(&mut *conn, brand_id).await?;
    let invitations = db::pending_invitations(&mut *conn, brand_id).await?;
    let tokens = conversions::tokens::list(&mut *conn, brand_id).await?;
    let by_agency = audit::search::done_for_brand(&mut *conn, brand_id, BY_AGENCY_SHOWN).await?;
    drop(conn);
    let brand_name = profile.name.clone();
    Ok(Page(BrandPage {
        ctx,
        brand_name,
        is_owner: member.brand.is_owner,
        form: page_state.form.unwrap_or(profile),
        errors: page_state.errors,
        team,
        invitations,
        member_email: page_state.member_email,
        member_errors: page_state.member_errors,
        invitation_link: page_state.invitation_link,
        tokens,
        token_name: page_state.token_name,
        token_errors: page_state.token_errors,
        new_token: page_state.new_token,
        api_url: format!("{}/api/v1/conversions", state.config.public_url),
        by_agency,
    }))
}

/// The agency's newest actions for the brand, on its page.
const BY_AGENCY_SHOWN: i64 = 20;

async fn show(
    State(state): State<AppState>,
    ctx: PageContext,
    member: BrandMember,
) -> Result<Page<BrandPage>, AppError> {
    page(&state, ctx, &member, PageState::default()).await
}

async fn update(
    State(state): State<AppState>,
    ctx: PageContext,
    member: BrandMember,
    ClientIp(ip): ClientIp,
    Form(form, unread): Form<ProfileForm>,
) -> Result<Response, AppError> {
    let profile = match unread.and(form.parse()) {
        Ok(profile) => profile,
        Err(errors) => {
            let status = errors.status();
            let page_state = PageState {
                form: Some(form),
                errors,
                ..PageState::default()
            };
            let page = page(&state, ctx, &member, page_state).await?;
            return Ok((status, page).into_response());
        }
    };
    let mut tx = state.db.begin().await?;
    db::update_profile(&mut *tx, member.brand.brand_id, &profile).await?;
    audit::Event::new(Action::BrandProfileUpdated, profile.name.as_str())
        .by(&member.user)
        .on(member.brand.brand_id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    state.sessions.forget_brand(member.brand.brand_id);
    Ok(Flash::success("Brand profile saved.").redirect_to("/brand"))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MemberForm {
    email: String,
}

pub(super) fn owner_only(member: &BrandMember) -> Result<(), AppError> {
    if member.brand.is_owner {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

async fn add_member(
    State(state): State<AppState>,
    ctx: PageContext,
    member: BrandMember,
    ClientIp(ip): ClientIp,
    Form(form, unread): Form<MemberForm>,
) -> Result<Response, AppError> {
    owner_only(&member)?;
    let refuse = |member_errors: FieldErrors| PageState {
        member_email: form.email.trim().to_owned(),
        member_errors,
        ..PageState::default()
    };
    let field = |message: String| {
        let mut errors = FieldErrors::new();
        errors.add("email", message);
        errors
    };
    if let Err(errors) = unread.checked() {
        let page = page(&state, ctx, &member, refuse(errors)).await?;
        return Ok((StatusCode::BAD_REQUEST, page).into_response());
    }
    let email = match Email::parse(&form.email) {
        Ok(email) => email,
        Err(message) => {
            let page = page(&state, ctx, &member, refuse(field(message))).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let brand_id = member.brand.brand_id;
    if let Some(account) = db::account_by_email(&state.db, email.as_str()).await? {
        return match why_not_added(&account, &member.brand, &email) {
            Some(message) => {
                let page = page(&state, ctx, &member, refuse(field(message))).await?;
                Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
            }
            None => join(&state, &member, ip, &account, &email).await,
        };
    }
    // No account yet: an invitation link to sign up with, emailed and shown
    // once here (only its hash is stored).
    let mut tx = state.db.begin().await?;
    let token = db::create_invitation(&mut tx, brand_id, email.as_str(), member.user.id).await?;
    // The configured address, never the request's `Host`, which the sender
    // controls: a forged one would make the link lead elsewhere.
    let link = format!("{}/invitations/{token}", state.config.public_url);
    let letter = InvitationEmail {
        inviter: &member.user.display_name,
        brand: &member.brand.brand_name,
        days: INVITATION_DAYS,
        link: &link,
    };
    Message::new(
        email::Kind::TeamInvitation,
        email.as_str(),
        format!("Join {} on Liaison", member.brand.brand_name),
        &letter,
    )?
    .queue(&mut *tx)
    .await?;
    audit::Event::new(Action::BrandMemberInvited, email.as_str())
        .by(&member.user)
        .on(member.brand.brand_id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    let page_state = PageState {
        invitation_link: Some(link),
        member_email: email.as_str().to_owned(),
        ..PageState::default()
    };
    Ok(page(&state, ctx, &member, page_state)
        .await?
        .into_response())
}

#[derive(Template)]
#[template(path = "email/team_invitation.txt")]
struct InvitationEmail<'a> {
    inviter: &'a str,
    brand: &'a str,
    days: i32,
    link: &'a str,
}

/// Why an existing account cannot be added to the team, if it cannot.
fn why_not_added(
    account: &ExistingAccount,
    brand: &BrandMembership,
    email: &Email,
) -> Option<String> {
    if account.brand_id == Some(brand.brand_id) {
        Some(format!("{} is already on your team.", email.as_str()))
    } else if account.role != Role::Brand {
        Some(format!(
            "{} is not a brand account, so it can't act for {}. Invite another address.",
            email.as_str(),
            brand.brand_name
        ))
    } else if account.brand_id.is_some() {
        Some(format!(
            "{} already works for another brand on Liaison; an account acts for one brand.",
            email.as_str()
        ))
    } else {
        None
    }
}

/// Adds a brand account that is on no team at once.
async fn join(
    state: &AppState,
    member: &BrandMember,
    ip: IpAddr,
    account: &ExistingAccount,
    email: &Email,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    db::add_member(&mut *tx, member.brand.brand_id, account.user_id).await?;
    audit::Event::new(Action::BrandMemberAdded, email.as_str())
        .by(&member.user)
        .on(member.brand.brand_id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    state.sessions.forget_user(account.user_id);
    let message = format!(
        "{} joined {}.",
        account.display_name, member.brand.brand_name
    );
    Ok(Flash::success(message).redirect_to("/brand"))
}

async fn remove_member(
    State(state): State<AppState>,
    member: BrandMember,
    ClientIp(ip): ClientIp,
    Path(user_id): Path<Uuid>,
) -> Result<Response, AppError> {
    owner_only(&member)?;
    let mut tx = state.db.begin().await?;
    let email = db::remove_member(&mut *tx, member.brand.brand_id, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    audit::Event::new(Action::BrandMemberRemoved, &email)
        .by(&member.user)
        .on(member.brand.brand_id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    state.sessions.forget_user(user_id);
    Ok(Flash::info(format!("{email} was removed from the team.")).redirect_to("/brand"))
}

async fn revoke_invitation(
    State(state): State<AppState>,
    member: BrandMember,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    owner_only(&member)?;
    let mut tx = state.db.begin().await?;
    let email = db::revoke_invitation(&mut *tx, member.brand.brand_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    audit::Event::new(Action::BrandInvitationRevoked, &email)
        .by(&member.user)
        .on(member.brand.brand_id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Flash::info(format!(
        "The invitation for {email} was revoked; its link no longer works."
    ))
    .redirect_to("/brand"))
}
