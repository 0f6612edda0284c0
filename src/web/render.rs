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

/// A file to download: `Download::csv("billing.csv", bytes)`. Money and
/// bank details inside: never kept by a browser's or a proxy's cache.
pub struct Download {
    filename: String,
    content_type: &'static str,
    bytes: Vec<u8>,
}

impl Download {
    pub fn csv(filename: impl Into<String>, bytes: Vec<u8>) -> Download {
        Download {
            filename: filename.into(),
            content_type: "text/csv; charset=utf-8",
            bytes,
        }
    }

    pub fn xml(filename: impl Into<String>, bytes: Vec<u8>) -> Download {
        Download {
            filename: filename.into(),
            content_type: "application/xml; charset=utf-8",
            bytes,
        }
    }

    pub fn pdf(filename: impl Into<String>, bytes: Vec<u8>) -> Download {
        Download {
            filename: filename.into(),
            content_type: "application/pdf",
            bytes,
        }
    }
}

impl IntoResponse for Download {
    fn into_response(self) -> Response {
        (
            [
                (header::CONTENT_TYPE, self.content_type.to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}\"", self.filename),
                ),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            self.bytes,
        )
            .into_response()
    }
}
