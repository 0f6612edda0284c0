//! CSRF protection for every state-changing request.
//!
//! Each browser gets a random `liaison_csrf` cookie (HttpOnly, SameSite=Lax). The
//! token put in forms is an HMAC of that cookie under the application secret, so a
//! page on another site can neither read it nor forge it. A POST (or any unsafe
//! method) must carry the token in the `csrf_token` form field or the
//! `X-CSRF-Token` header (htmx), or it is refused with 403. A file upload
//! (`multipart/form-data`, streamed to its handler, never buffered here)
//! carries it in the form's address instead: `?csrf_token=…`.

use axum::{
    body::Body,
    extract::{Request, State},
    http::{Method, header},
    middleware::Next,
    response::Response,
};
use axum_extra::extract::cookie::CookieJar;
use subtle::ConstantTimeEq;

use crate::auth::signer::Signer;
use crate::{error::AppError, state::AppState};

pub const COOKIE: &str = "liaison_csrf";
pub const FIELD: &str = "csrf_token";
pub const HEADER: &str = "x-csrf-token";
const PURPOSE: &str = "csrf";

/// Largest body the check buffers; the same as the app-wide body limit.
pub const BODY_LIMIT: usize = 1024 * 1024;

pub fn token_for(signer: &Signer, cookie_value: &str) -> String {
    signer.sign(PURPOSE, cookie_value)
}

/// Asks a response to give the browser a new CSRF cookie, as login and logout do so
/// a token seen before a sign-in is useless after it.
#[derive(Debug, Clone, Copy)]
pub struct RotateCsrf;

impl axum::response::IntoResponseParts for RotateCsrf {
    type Error = std::convert::Infallible;

    fn into_response_parts(
        self,
        mut res: axum::response::ResponseParts,
    ) -> Result<axum::response::ResponseParts, Self::Error> {
        res.extensions_mut().insert(self);
        Ok(res)
    }
}

pub async fn verify(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Result<Response, AppError> {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    ) {
        return Ok(next.run(request).await);
    }
    let jar = CookieJar::from_headers(request.headers());
    let Some(cookie) = jar.get(COOKIE).map(|c| c.value().to_owned()) else {
        return Err(AppError::CsrfRejected);
    };
    let expected = token_for(&state.signer, &cookie);
    let matches = |given: &str| -> bool { given.as_bytes().ct_eq(expected.as_bytes()).into() };

    if let Some(given) = request.headers().get(HEADER).and_then(|v| v.to_str().ok()) {
        return if matches(given) {
            Ok(next.run(request).await)
        } else {
            Err(AppError::CsrfRejected)
        };
    }

    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if content_type.starts_with("multipart/form-data") {
        let given = request.uri().query().and_then(|q| {
            form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == FIELD)
                .map(|(_, v)| v.into_owned())
        });
        return if given.is_some_and(|g| matches(&g)) {
            Ok(next.run(request).await)
        } else {
            Err(AppError::CsrfRejected)
        };
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Err(AppError::CsrfRejected);
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, BODY_LIMIT)
        .await
        .map_err(|e| body_error(&e))?;
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(&bytes).map_err(|_| AppError::CsrfRejected)?;
    let given = pairs
        .iter()
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v.as_str());
    if !given.is_some_and(matches) {
        return Err(AppError::CsrfRejected);
    }
    Ok(next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await)
}

fn body_error(e: &axum::Error) -> AppError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if err.is::<http_body_util::LengthLimitError>() {
            return AppError::PayloadTooLarge;
        }
        source = err.source();
    }
    AppError::Internal(anyhow::anyhow!("reading the request body: {e}"))
}
