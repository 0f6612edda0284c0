//! Field-level validation messages for forms that are shown again with what the
//! user typed.

use std::borrow::Cow;

use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use crate::limits::Refused;

/// A form shown again because a rate limit refused it, with what was typed
/// and the limit's message beside a field (the caller puts it there): 429,
/// with `Retry-After`.
pub fn refused_form(refused: &Refused, page: impl IntoResponse) -> Response {
    let mut response = (StatusCode::TOO_MANY_REQUESTS, page).into_response();
    response.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from(refused.retry_after_secs()),
    );
    response
}

/// Messages keyed by form field name, in the order they were found.
#[derive(Debug, Default, Clone)]
pub struct FieldErrors {
    // Owned names too: some forms have one field per row (`item_3_reply`).
    errors: Vec<(Cow<'static, str>, String)>,
    /// How many of them are about what the request sent rather than what the
    /// user meant (see `web::input`): the first ones, kept in the summary.
    unread: usize,
}

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// One message for one field: a refusal the form's own checks could not see.
    pub fn one(field: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    pub fn add(&mut self, field: impl Into<Cow<'static, str>>, message: impl Into<String>) {
        self.errors.push((field.into(), message.into()));
    }

    /// A field the request sent but that could not be taken as sent.
    pub(super) fn unread(&mut self, field: String, message: String) {
        self.errors.insert(self.unread, (field.into(), message));
        self.unread += 1;
    }

    /// These errors first, then `later`'s.
    pub(super) fn merged(mut self, mut later: FieldErrors) -> FieldErrors {
        let rest = later.errors.split_off(later.unread);
        let at = self.unread;
        self.errors.splice(at..at, later.errors);
        self.unread += later.unread;
        self.errors.extend(rest);
        self
    }

    /// The messages about what the request sent, which the error summary
    /// repeats: the field they name may be one the page does not show.
    pub fn unread_messages(&self) -> impl Iterator<Item = &str> {
        self.errors[..self.unread].iter().map(|(_, m)| m.as_str())
    }

    /// Every message, in the order found: for a request with no form to
    /// show them beside (a download).
    pub fn messages(&self) -> impl Iterator<Item = &str> {
        self.errors.iter().map(|(_, m)| m.as_str())
    }

    pub fn has_unread(&self) -> bool {
        self.unread > 0
    }

    /// 400 when the request sent what could not be read, else 422: the form
    /// was read and the user has something to correct.
    pub fn status(&self) -> StatusCode {
        if self.unread > 0 {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        }
    }

    /// For a page that shows results beside its filter form: a filter that
    /// makes no sense is explained and the rest applied (200); only what could
    /// not be read makes it a 400.
    pub fn filter_status(&self) -> StatusCode {
        if self.has_unread() {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        }
    }

    /// Records the error of a parse result under `field` and returns the value, if any.
    pub fn check<T>(
        &mut self,
        field: impl Into<Cow<'static, str>>,
        result: Result<T, String>,
    ) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(message) => {
                self.add(field, message);
                None
            }
        }
    }

    /// The message for one field; the templates show it beside the input.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn len(&self) -> usize {
        self.errors.len()
    }
}
