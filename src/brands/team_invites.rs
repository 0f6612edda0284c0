//! /invitations/{token}: signing up into a brand from an owner's invitation link.

use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use serde::Deserialize;

use super::db::{self, Invitation};
use crate::{
    accounts::{
        db::{self as accounts_db, CreateError},
        domain::{DisplayName, Email, Password},
        password,
    },
    audit::{self, Action},
    auth::session,
    error::AppError,
    state::AppState,
    web::{FieldErrors, Flash, Form, Page, PageContext, client_ip::ClientIp, csrf::RotateCsrf},
};

pub fn router() -> Router<AppState> {
    Router::new().route("/invitations/{token}", get(show).post(accept))
}

#[derive(Template)]
#[template(path = "brands/team_invite.html")]
struct InvitationPage {
    ctx: PageContext,
    token: String,
    invitation: Option<Invitation>,
    display_name: String,
    errors: FieldErrors,
}

async fn show(
    State(state): State<AppState>,
    ctx: PageContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let invitation = db::invitation_by_token(&state.db, &token).await?;
    let status = if invitation.is_some() {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    Ok((
        status,
        Page(InvitationPage {
            ctx,
            token,
            invitation,
            display_name: String::new(),
            errors: FieldErrors::new(),
        }),
    )
        .into_response())
}

/// The sign-up form again, with what was typed and why it was refused.
fn form_again(
    status: StatusCode,
    ctx: PageContext,
    token: String,
    invitation: Invitation,
    display_name: String,
    errors: FieldErrors,
) -> Response {
    (
        status,
        Page(InvitationPage {
            ctx,
            token,
            invitation: Some(invitation),
            display_name,
            errors,
        }),
    )
        .into_response()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AcceptForm {
    display_name: String,
    password: String,
}

async fn accept(
    State(state): State<AppState>,
    ctx: PageContext,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
    Form(form, unread): Form<AcceptForm>,
) -> Result<Response, AppError> {
    let Some(invitation) = db::invitation_by_token(&state.db, &token).await? else {
        return show(State(state), ctx, Path(token)).await;
    };
    if ctx.user.is_some() {
        // The page explains: log out first.
        return Ok(Redirect::to(&format!("/invitations/{token}")).into_response());
    }
    let parsed = {
        let mut errors = FieldErrors::new();
        let display_name = errors.check("display_name", DisplayName::parse(&form.display_name));
        let password = errors.check("password", Password::parse(&form.password));
        match (display_name, password) {
            (Some(display_name), Some(password)) => Ok((display_name, password)),
            _ => Err(errors),
        }
    };
    let (display_name, password) = match unread.and(parsed) {
        Ok(parsed) => parsed,
        Err(errors) => {
            return Ok(form_again(
                errors.status(),
                ctx,
                token,
                invitation,
                form.display_name,
                errors,
            ));
        }
    };
    let email =
        Email::parse(&invitation.email).map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;

    let hash = password::hash(password).await?;
    let mut tx = state.db.begin().await?;
    if !db::mark_accepted(&mut *tx, invitation.id).await? {
        return Err(AppError::NotFound);
    }
    let user_id = match accounts_db::create_brand_user(&mut tx, &email, &display_name, &hash).await
    {
        Ok(id) => id,
        Err(CreateError::EmailTaken) => {
            tx.rollback().await?;
            let mut errors = FieldErrors::new();
            errors.add(
                "display_name",
                format!(
                    "An account with {} already exists. Log in with it and ask the owner of {} to add you.",
                    invitation.email, invitation.brand_name
                ),
            );
            return Ok(form_again(
                StatusCode::CONFLICT,
                ctx,
                token,
                invitation,
                form.display_name,
                errors,
            ));
        }
        Err(CreateError::Db(e)) => return Err(e.into()),
    };
    db::add_member(&mut *tx, invitation.brand_id, user_id).await?;
    audit::Event::new(Action::BrandInvitationAccepted, &invitation.brand_name)
        .by(user_id)
        .on(invitation.brand_id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    let session_token = session::create(&mut *tx, user_id).await?;
    tx.commit().await?;
    Ok((
        session::cookie(session_token, state.config.environment.is_production()),
        RotateCsrf,
        Flash::success(format!(
            "Welcome to {}, {}!",
            invitation.brand_name,
            display_name.as_str()
        )),
        Redirect::to("/dashboard"),
    )
        .into_response())
}
