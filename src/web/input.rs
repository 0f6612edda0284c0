//! Reading what a browser sends: `Form` (an urlencoded body) and `Query` (the
//! address's query string), in place of axum's. Whatever cannot be read becomes a
//! 400 page that says what was wrong in plain words, never a server fault: a
//! field that may appear once sent twice, a value of the wrong kind, a body that
//! is not urlencoded, and text holding a NUL or another control character, which
//! no field accepts (PostgreSQL cannot store a NUL, and nobody types one).

use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Request},
    http::{header, request::Parts},
};
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// The urlencoded body of a form post, deserialized; repeated fields fill lists.
#[derive(Debug, Clone, Copy, Default)]
pub struct Form<T>(pub T);

impl<T, S> FromRequest<S> for Form<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let urlencoded = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
        if !urlencoded {
            return Err(AppError::BadRequest(
                "This address takes a form, sent as the page's own form sends it.".to_owned(),
            ));
        }
        let body = Bytes::from_request(request, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge
            } else {
                AppError::BadRequest("The form could not be read completely.".to_owned())
            }
        })?;
        decode(&body).map(Form)
    }
}

/// The query string of the address, deserialized; a missing one reads as empty.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        decode(parts.uri.query().unwrap_or_default().as_bytes()).map(Query)
    }
}

fn decode<T: DeserializeOwned>(urlencoded: &[u8]) -> Result<T, AppError> {
    for (name, value) in form_urlencoded::parse(urlencoded) {
        if let Some(problem) = unreadable(&value) {
            return Err(AppError::BadRequest(format!(
                "The field “{}” holds {problem}, which no field accepts. Remove it and send again.",
                printable(&name)
            )));
        }
    }
    serde_html_form::from_bytes(urlencoded).map_err(|e| {
        let message = e.to_string();
        let message = match repeated_single_field::<T>(urlencoded) {
            Some(field) if message == "unsupported value" => {
                format!("duplicate field `{field}`")
            }
            _ => message,
        };
        AppError::BadRequest(explain(&message))
    })
}

/// Which field, sent more than once, may appear only once: the deserializer
/// says only "unsupported value", so each repeated name is tried alone, once.
fn repeated_single_field<T: DeserializeOwned>(urlencoded: &[u8]) -> Option<String> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(urlencoded)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let mut repeated: Vec<&str> = Vec::new();
    for (i, (name, _)) in pairs.iter().enumerate() {
        if pairs[..i].iter().any(|(n, _)| n == name) && !repeated.contains(&name.as_str()) {
            repeated.push(name);
        }
    }
    repeated.into_iter().find_map(|name| {
        let mut seen = false;
        let once = pairs.iter().filter(|(n, _)| {
            let keep = n != name || !seen;
            seen |= n == name;
            keep
        });
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(once)
            .finish();
        let fails_alike = matches!(
            serde_html_form::from_str::<T>(&body),
            Err(e) if e.to_string() == "unsupported value"
        );
        (!fails_alike).then(|| name.to_owned())
    })
}

/// What in a value cannot be stored or shown: a NUL, another control character
/// (line breaks and tabs are fine), or bytes that were not UTF-8.
fn unreadable(value: &str) -> Option<&'static str> {
    if value.contains('\0') {
        Some("a NUL character")
    } else if value.contains('\u{FFFD}') {
        Some("bytes that are not text")
    } else if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        Some("a control character")
    } else {
        None
    }
}

/// A field name as it can be shown back: control characters dropped, kept short.
fn printable(name: &str) -> String {
    name.chars().filter(|c| !c.is_control()).take(40).collect()
}

/// serde's message, in words for people: which field, and what to do.
fn explain(message: &str) -> String {
    let field = message.split('`').nth(1).map(printable).unwrap_or_default();
    if message.starts_with("duplicate field") {
        format!("The form sent “{field}” more than once. Reload the page and send it again.")
    } else if message.starts_with("missing field") {
        format!("The form did not send “{field}”. Reload the page and send it again.")
    } else {
        "Part of the form could not be read. Reload the page and send it again.".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    struct One {
        #[expect(dead_code, reason = "only reading it is tested")]
        name: String,
    }

    fn message(e: AppError) -> String {
        match e {
            AppError::BadRequest(m) => m,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_field_sent_twice_is_named() {
        let e = decode::<One>(b"name=a&name=b").expect_err("twice");
        assert_eq!(
            message(e),
            "The form sent “name” more than once. Reload the page and send it again."
        );
    }

    #[test]
    fn nul_and_control_characters_are_refused_but_line_breaks_are_fine() {
        let e = decode::<HashMap<String, String>>(b"q=a%00b").expect_err("nul");
        assert!(message(e).contains("“q” holds a NUL character"));
        let e = decode::<HashMap<String, String>>(b"q=a%07b").expect_err("bell");
        assert!(message(e).contains("a control character"));
        let e = decode::<HashMap<String, String>>(b"q=%FF").expect_err("not utf-8");
        assert!(message(e).contains("bytes that are not text"));
        let ok = decode::<HashMap<String, String>>(b"q=line%0D%0Anext%09tab").expect("text");
        assert_eq!(ok["q"], "line\r\nnext\ttab");
    }
}
