//! The one error type of the web layer and how each kind answers over HTTP.
//!
//! Handlers return `Result<_, AppError>`. The response carries an [`ErrorPage`]
//! extension and no body; `web::context` turns it into a full styled page with the
//! visitor's navigation, so every error looks like the rest of the site.

use std::time::Duration;

use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use crate::limits::Refused;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request cannot be read; the message says what was wrong, in words for
    /// the person who sent it.
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// The request is fine but the thing it acts on is not in a state that allows it.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("missing or invalid CSRF token")]
    CsrfRejected,
    #[error("too many attempts")]
    TooManyAttempts { retry_after: Duration },
    /// Over one of the rate limits in `limits`.
    #[error("rate limited: {}", .0.limit.name)]
    RateLimited(Refused),
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("database unavailable: {0}")]
    Unavailable(#[source] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<Refused> for AppError {
    fn from(refused: Refused) -> Self {
        AppError::RateLimited(refused)
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(anyhow::anyhow!("rendering a template: {e}"))
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        // The database is down, restarting or overloaded: a 503 the client may
        // retry, and the pool reconnects by itself once it is back.
        if crate::db::is_unavailable(&e) {
            AppError::Unavailable(e)
        } else {
            AppError::Internal(e.into())
        }
    }
}

/// What the error page shows. Set as a response extension by [`AppError`] and by
/// anything else that wants the styled page for a status.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub title: &'static str,
    pub message: String,
}

impl ErrorPage {
    /// The page for a status that came from somewhere other than `AppError`
    /// (the router's 405, a layer's 413).
    pub fn for_status(status: StatusCode) -> Self {
        let (title, message) = match status.as_u16() {
            400 => (
                "We couldn't read what was sent",
                "The request could not be understood. Reload the page and try again.",
            ),
            415 => (
                "We couldn't read what was sent",
                "This address takes a form, sent as the page's own form sends it.",
            ),
            422 => (
                "We couldn't read what was sent",
                "Part of what was sent could not be read. Reload the page and try again.",
            ),
            403 => ("Not allowed", "You don't have access to this page."),
            404 => (
                "Page not found",
                "There is nothing at this address. It may have moved, or the link may be mistyped.",
            ),
            405 => (
                "Not allowed",
                "This address doesn't accept that kind of request.",
            ),
            413 => (
                "Too much data",
                "What you sent is larger than the 1 MiB limit. Shorten it and try again.",
            ),
            429 => (
                "Too many attempts",
                "Please wait a few minutes before trying again.",
            ),
            503 => (
                "Temporarily unavailable",
                "Liaison's database is not answering right now. Please try again in a moment.",
            ),
            _ => (
                "Something went wrong",
                "An unexpected error happened on our side. It has been logged; please try again.",
            ),
        };
        ErrorPage {
            title,
            message: message.to_owned(),
        }
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::CsrfRejected => StatusCode::FORBIDDEN,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyAttempts { .. } | AppError::RateLimited(_) => {
                StatusCode::TOO_MANY_REQUESTS
            }
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn page(&self) -> ErrorPage {
        match self {
            AppError::CsrfRejected => ErrorPage {
                title: "Form expired",
                message: "This form was sent without a valid security token, or it was open \
                          too long. Go back, reload the page and try again."
                    .to_owned(),
            },
            AppError::Conflict(message) => ErrorPage {
                title: "That can't be done right now",
                message: message.clone(),
            },
            AppError::BadRequest(message) => ErrorPage {
                title: "We couldn't read what was sent",
                message: message.clone(),
            },
            AppError::TooManyAttempts { retry_after } => ErrorPage {
                title: "Too many attempts",
                message: format!(
                    "Too many unsuccessful sign-in attempts. For your security, please wait {} \
                     before trying again.",
                    human_wait(*retry_after)
                ),
            },
            AppError::RateLimited(refused) => ErrorPage {
                title: "Please slow down",
                message: refused.message(),
            },
            other => ErrorPage::for_status(other.status()),
        }
    }
}

fn human_wait(d: Duration) -> String {
    let minutes = d.as_secs().div_ceil(60).max(1);
    if minutes == 1 {
        "a minute".to_owned()
    } else {
        format!("{minutes} minutes")
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            AppError::Internal(e) => tracing::error!(error = ?e, "internal error"),
            AppError::Unavailable(e) => tracing::warn!(error = %e, "database unavailable"),
            _ => {}
        }
        let mut response = self.status().into_response();
        if let AppError::TooManyAttempts { retry_after } = &self {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(retry_after.as_secs().max(1)),
            );
        }
        if let AppError::RateLimited(refused) = &self {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(refused.retry_after_secs()),
            );
        }
        if let AppError::Unavailable(_) = &self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        response.extensions_mut().insert(self.page());
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_outage_is_a_503_not_a_500() {
        assert_eq!(
            AppError::from(sqlx::Error::PoolTimedOut).status(),
            StatusCode::SERVICE_UNAVAILABLE
        );
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        assert_eq!(
            AppError::from(sqlx::Error::Io(io)).status(),
            StatusCode::SERVICE_UNAVAILABLE
        );
        assert_eq!(
            AppError::from(sqlx::Error::RowNotFound).status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }

    #[test]
    fn waits_are_said_in_whole_minutes() {
        assert_eq!(human_wait(Duration::from_secs(10)), "a minute");
        assert_eq!(human_wait(Duration::from_secs(601)), "11 minutes");
    }
}
