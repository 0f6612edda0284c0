//! Rendering askama templates into responses, and files to download.

use askama::Template;
use axum::{
    http::header,
    response::{Html, IntoResponse, Response},
};

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

/// A CSV file to download: `Download::csv("billing.csv", bytes)`.
pub struct Download {
    filename: &'static str,
    bytes: Vec<u8>,
}

impl Download {
    pub fn csv(filename: &'static str, bytes: Vec<u8>) -> Download {
        Download { filename, bytes }
    }
}

impl IntoResponse for Download {
    fn into_response(self) -> Response {
        (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}\"", self.filename),
                ),
            ],
            self.bytes,
        )
            .into_response()
    }
}
