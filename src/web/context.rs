//! The page context: who is asking, their CSRF token and any flash message.
//!
//! One middleware loads it once per page request (the session and its user in a
//! single query), hands it to handlers and templates, sets the cookies it owns on
//! the way out, and renders styled error pages with the visitor's navigation.

use askama::Template;
use axum::{
    extract::{FromRequestParts, Request, State},
    http::{HeaderValue, StatusCode, header, request::Parts},
    middleware::Next,
    response::{IntoResponse, Response},
};
use axum_extra::extract::cookie::CookieJar;

use super::{
    Flash, Page, assets,
    csrf::{self, RotateCsrf},
};
use crate::{
    auth::{CurrentUser, Visitor, cookies, session, tokens},
    error::{AppError, ErrorPage},
    state::AppState,
};

#[derive(Debug, Clone)]
pub struct PageContext {
    pub user: Option<CurrentUser>,
    pub csrf_token: String,
    pub flash: Option<Flash>,
    pub path: String,
}

impl PageContext {
    /// The cache-busting URL of a static file, e.g. `/static/app.3f2a9c1b.css`.
    pub fn asset(&self, name: &str) -> String {
        assets::url(name)
    }

    /// For `aria-current` in the navigation.
    pub fn is_current(&self, prefix: &str) -> bool {
        self.path == prefix || self.path.starts_with(&format!("{prefix}/"))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for PageContext {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        parts
            .extensions
            .get::<PageContext>()
            .cloned()
            .ok_or_else(|| {
                AppError::Internal(anyhow::anyhow!("page route outside the context middleware"))
            })
    }
}

pub async fn middleware(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let secure = state.config.environment.is_production();
    let jar = CookieJar::from_headers(request.headers());
    let existing_csrf = jar
        .get(csrf::COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() >= 32);
    let csrf_cookie = existing_csrf.clone().unwrap_or_else(tokens::random_token);
    let flash_in = jar
        .get(super::flash::COOKIE)
        .and_then(|c| Flash::decode(&state.signer, c.value()));
    let session_token = jar.get(session::COOKIE).map(|c| c.value().to_owned());
    // Shown on a server fault's page, so a report can be matched to its log line.
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);

    let mut ctx = PageContext {
        user: None,
        csrf_token: csrf::token_for(&state.signer, &csrf_cookie),
        flash: flash_in.clone(),
        path: request.uri().path().to_owned(),
    };
    let mut stale_session = false;
    if let Some(token) = &session_token {
        match session::load(&state.db, &state.sessions, token).await {
            Ok(Some(user)) => ctx.user = Some(user),
            Ok(None) => stale_session = true,
            Err(e) => {
                let response = AppError::from(e).into_response();
                return render_error_page(&ctx, request_id.as_deref(), response);
            }
        }
    }
    request.extensions_mut().insert(Visitor(ctx.user.clone()));
    request.extensions_mut().insert(ctx.clone());

    let response = next.run(request).await;
    let mut response = render_error_page(&ctx, request_id.as_deref(), response);

    let headers = response.headers_mut();
    if stale_session {
        cookies::append(headers, &cookies::removal(session::COOKIE, secure));
    }
    let rotate = response.extensions().get::<RotateCsrf>().is_some();
    if rotate || existing_csrf.is_none() {
        let value = if rotate {
            tokens::random_token()
        } else {
            csrf_cookie
        };
        // A browser-session cookie: a fresh one is issued whenever it is missing.
        cookies::append(
            response.headers_mut(),
            &cookies::build(csrf::COOKIE, value, secure, None),
        );
    }
    if let Some(flash) = response.extensions().get::<Flash>().cloned() {
        let cookie = cookies::build(
            super::flash::COOKIE,
            flash.encode(&state.signer),
            secure,
            Some(time::Duration::minutes(5)),
        );
        cookies::append(response.headers_mut(), &cookie);
    } else if flash_in.is_some() && response.status().is_success() {
        // Shown on this page: forget it.
        cookies::append(
            response.headers_mut(),
            &cookies::removal(super::flash::COOKIE, secure),
        );
    }
    response
}

#[derive(Template)]
#[template(path = "errors/error.html")]
struct ErrorTemplate<'a> {
    ctx: &'a PageContext,
    status: u16,
    title: &'static str,
    message: &'a str,
    /// For server faults only: the id of the log line that holds the cause.
    request_id: Option<&'a str>,
}

/// Gives error responses the styled page: those from `AppError` (with their
/// message) and bare ones from the router or a layer (405, 413).
fn render_error_page(ctx: &PageContext, request_id: Option<&str>, response: Response) -> Response {
    let status = response.status();
    let page = match response.extensions().get::<ErrorPage>() {
        Some(page) => page.clone(),
        None if (status.is_client_error() || status.is_server_error())
            && !has_body_type(&response) =>
        {
            ErrorPage::for_status(status)
        }
        None => return response,
    };
    let (mut parts, _) = response.into_parts();
    let body = Page(ErrorTemplate {
        ctx,
        status: status.as_u16(),
        title: page.title,
        message: &page.message,
        request_id: request_id
            .filter(|_| status.is_server_error() && status != StatusCode::SERVICE_UNAVAILABLE),
    })
    .into_response();
    let (body_parts, body) = body.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        body_parts
            .headers
            .get(header::CONTENT_TYPE)
            .cloned()
            .unwrap_or_else(|| HeaderValue::from_static("text/html; charset=utf-8")),
    );
    // Error pages are about this request only.
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if status == StatusCode::OK {
        parts.status = StatusCode::INTERNAL_SERVER_ERROR;
    }
    Response::from_parts(parts, body)
}

fn has_body_type(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html") || ct.starts_with("application/json"))
}
