//! The owner makes and revokes the brand's API tokens on the brand page. A new
//! token is shown once, on the page that answers the form, and never stored.

use axum::{
    Router,
    extract::{Path, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::post,
};
use serde::Deserialize;
use uuid::Uuid;

use super::routes::{PageState, owner_only, page};
use crate::{
    audit::{self, Action},
    auth::BrandMember,
    conversions::tokens,
    error::AppError,
    state::AppState,
    web::{FieldErrors, Flash, Form, PageContext, client_ip::ClientIp},
};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/brand/api-tokens", post(create))
        .route("/brand/api-tokens/{id}/revoke", post(revoke))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct TokenForm {
    token_name: String,
}

async fn create(
    State(state): State<AppState>,
    ctx: PageContext,
    member: BrandMember,
    ClientIp(ip): ClientIp,
    Form(form, unread): Form<TokenForm>,
) -> Result<Response, AppError> {
    owner_only(&member)?;
    let name = tokens::parse_name(&form.token_name).map_err(|m| FieldErrors::one("token_name", m));
    let name = match unread.and(name) {
        Ok(name) => name,
        Err(token_errors) => {
            let status = token_errors.status();
            let state_ = PageState {
                token_name: form.token_name,
                token_errors,
                ..PageState::default()
            };
            let page = page(&state, ctx, &member, state_).await?;
            return Ok((status, page).into_response());
        }
    };
    let mut tx = state.db.begin().await?;
    let (_, token) = tokens::create(&mut tx, member.brand.brand_id, &name, member.user.id).await?;
    audit::Event::new(Action::ApiTokenCreated, &name)
        .by(&member.user)
        .on(member.brand.brand_id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    let shown = PageState {
        new_token: Some((name, token)),
        ..PageState::default()
    };
    let mut response = (
        StatusCode::CREATED,
        page(&state, ctx, &member, shown).await?,
    )
        .into_response();
    // The token is on this page only: no copy in any cache.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

async fn revoke(
    State(state): State<AppState>,
    member: BrandMember,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    owner_only(&member)?;
    let mut tx = state.db.begin().await?;
    let name = tokens::revoke(&mut tx, member.brand.brand_id, id, member.user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    audit::Event::new(Action::ApiTokenRevoked, &name)
        .by(&member.user)
        .on(member.brand.brand_id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Flash::info(format!(
        "The token \"{name}\" is revoked: requests made with it are refused from now on."
    ))
    .redirect_to("/brand#api-tokens"))
}
