//! Rendering askama templates into responses.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};

use crate::error::AppError;

/// A rendered page: `Page(template)` answers 200 with HTML, and a rendering failure
/// becomes the 500 page. Pair it with a status for other answers, e.g.
/// `(StatusCode::UNPROCESSABLE_ENTITY, Page(form))`.
pub struct Page<T>(pub T);

impl<T: Template> IntoResponse for Page<T> {
    fn into_response(self) -> Response {
        match self.0.render() {
            Ok(html) => Html(html).into_response(),
            Err(e) => AppError::Internal(anyhow::Error::new(e).context("rendering a template"))
                .into_response(),
        }
    }
}
