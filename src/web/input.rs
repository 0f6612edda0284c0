//! Reading what a browser sends: `Form` (an urlencoded body) and `Query` (the
//! address's query string), in place of axum's. Nothing a visitor sends is a
//! server fault. What cannot be read at all (a body that is not urlencoded, too
//! large, or not text) is a 400 or 413 page in plain words. What can be read but
//! not taken as sent is reported by field in [`Unread`], with the rest of the
//! form kept, so the form page comes back filled in with the message beside the
//! field: a field that may appear once sent twice (the first value is kept), and
//! text holding a NUL or another control character (removed from what is shown
//! again; PostgreSQL cannot store a NUL, and nobody types one).

use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Request},
    http::{StatusCode, header, request::Parts},
};
use serde::de::DeserializeOwned;

use super::FieldErrors;
use crate::error::AppError;

/// The urlencoded body of a form post, deserialized (repeated fields fill
/// lists), and what of it could not be taken as sent.
#[derive(Debug)]
pub struct Form<T>(pub T, pub Unread);

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
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge
            } else {
                AppError::BadRequest("The form could not be read completely.".to_owned())
            }
        })?;
        let (fields, unread) = decode(&body)?;
        Ok(Form(fields, unread))
    }
}

/// The query string of the address, deserialized (a missing one reads as
/// empty), and what of it could not be taken as sent.
#[derive(Debug)]
pub struct Query<T>(pub T, pub Unread);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let (fields, unread) = decode(parts.uri.query().unwrap_or_default().as_bytes())?;
        Ok(Query(fields, unread))
    }
}

/// The fields a request sent that could not be taken as sent, each with its
/// message. A form with any of them is never acted on: handlers either add
/// them to the form's own verdict ([`Unread::and`]), so the page comes back
/// filled in, or refuse the request ([`Unread::or_refuse`]) where there is no
/// form to fill in again.
#[derive(Debug, Default)]
#[must_use = "a request with unread fields must not be acted on"]
pub struct Unread(FieldErrors);

impl Unread {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The form's own verdict with the unread fields added: valid only if both are.
    pub fn and<V>(self, parsed: Result<V, FieldErrors>) -> Result<V, FieldErrors> {
        match parsed {
            Ok(_) if !self.is_empty() => Err(self.0),
            Ok(value) => Ok(value),
            Err(errors) => Err(self.0.merged(errors)),
        }
    }

    /// The unread fields as the errors of a form, where nothing else is checked first.
    pub fn checked(self) -> Result<(), FieldErrors> {
        self.and(Ok(()))
    }

    /// Adds the unread fields to errors already found (a filter page's).
    pub fn into_errors(self, found: FieldErrors) -> FieldErrors {
        self.0.merged(found)
    }

    /// A 400 page naming the first unread field, where no form comes back.
    pub fn or_refuse(self) -> Result<(), AppError> {
        match self.0.unread_messages().next() {
            Some(message) => Err(AppError::BadRequest(message.to_owned())),
            None => Ok(()),
        }
    }
}

fn decode<T: DeserializeOwned>(urlencoded: &[u8]) -> Result<(T, Unread), AppError> {
    let mut unread = FieldErrors::new();
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (name, value) in form_urlencoded::parse(urlencoded) {
        let name = printable(&name);
        let value = match unreadable(&value) {
            Some(problem) => {
                unread.unread(
                    name.clone(),
                    format!(
                        "“{}” held {problem}, which no field accepts; it was removed. \
                         Check the field and send again.",
                        shown(&name)
                    ),
                );
                printable(&value)
            }
            None => value.into_owned(),
        };
        pairs.push((name, value));
    }
    loop {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&pairs)
            .finish();
        let error = match serde_html_form::from_str::<T>(&body) {
            Ok(fields) => return Ok((fields, Unread(unread))),
            Err(e) => e,
        };
        let Some(field) = repeated_single_field::<T>(&pairs) else {
            return Err(AppError::BadRequest(explain(&error.to_string())));
        };
        unread.unread(
            field.clone(),
            format!(
                "The form sent “{}” more than once; the first value is kept. \
                 Check it and send again.",
                shown(&field)
            ),
        );
        let mut seen = false;
        pairs.retain(|(n, _)| {
            let keep = *n != field || !seen;
            seen |= *n == field;
            keep
        });
    }
}

/// Which field, sent more than once, may appear only once: the deserializer
/// says only "unsupported value", so each repeated name is tried alone, twice
/// and then once (every form's fields have defaults, so one field alone reads).
fn repeated_single_field<T: DeserializeOwned>(pairs: &[(String, String)]) -> Option<String> {
    let failure = |pairs: &[(&str, &str)]| {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        serde_html_form::from_str::<T>(&body)
            .err()
            .map(|e| e.to_string())
    };
    let mut tried: Vec<&str> = Vec::new();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if tried.contains(&name.as_str()) || !pairs[..i].iter().any(|(n, _)| n == name) {
            continue;
        }
        tried.push(name);
        let twice = failure(&[(name, value), (name, value)]);
        if twice.is_some() && twice != failure(&[(name, value)]) {
            return Some(name.clone());
        }
    }
    None
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

/// Text as it can be kept and shown back: NULs, other control characters but
/// line breaks and tabs, and replaced bytes dropped.
fn printable(text: &str) -> String {
    text.chars()
        .filter(|&c| c != '\u{FFFD}' && (!c.is_control() || matches!(c, '\n' | '\r' | '\t')))
        .collect()
}

/// A field name as it can be named in a message: kept short.
fn shown(name: &str) -> String {
    name.chars().take(40).collect()
}

/// serde's message, in words for people: which field, and what to do.
fn explain(message: &str) -> String {
    let field = shown(&printable(message.split('`').nth(1).unwrap_or_default()));
    if message.starts_with("missing field") {
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

    #[derive(Debug, Default, Deserialize)]
    #[serde(default)]
    struct Fields {
        name: String,
        tags: Vec<String>,
    }

    fn unread<T: DeserializeOwned>(body: &[u8]) -> (T, Vec<String>) {
        let (fields, unread) = decode::<T>(body).expect("readable");
        let messages = unread.0.unread_messages().map(str::to_owned).collect();
        (fields, messages)
    }

    #[test]
    fn a_single_field_sent_twice_is_named_and_its_first_value_kept() {
        let (fields, messages) = unread::<Fields>(b"name=a&tags=x&name=b&tags=y");
        assert_eq!(fields.name, "a");
        assert_eq!(fields.tags, ["x", "y"]);
        assert_eq!(
            messages,
            [
                "The form sent “name” more than once; the first value is kept. \
              Check it and send again."
            ]
        );
    }

    #[test]
    fn nul_and_control_characters_are_named_and_removed_but_line_breaks_are_fine() {
        let (fields, messages) = unread::<HashMap<String, String>>(b"q=a%00b&r=a%07b&s=%FF");
        assert_eq!(
            (&*fields["q"], &*fields["r"], &*fields["s"]),
            ("ab", "ab", "")
        );
        assert!(messages[0].starts_with("“q” held a NUL character"));
        assert!(messages[1].starts_with("“r” held a control character"));
        assert!(messages[2].starts_with("“s” held bytes that are not text"));
        let (ok, messages) = unread::<HashMap<String, String>>(b"q=line%0D%0Anext%09tab");
        assert_eq!(ok["q"], "line\r\nnext\ttab");
        assert!(messages.is_empty());
    }

    #[test]
    fn what_cannot_be_read_at_all_is_a_bad_request_in_plain_words() {
        #[derive(Debug, Deserialize)]
        struct Version {
            #[expect(dead_code, reason = "only reading it is tested")]
            from: i32,
        }
        for body in [&b"from=x"[..], b""] {
            match decode::<Version>(body) {
                Err(AppError::BadRequest(m)) => assert!(m.contains("Reload the page"), "{m}"),
                other => panic!("{other:?}"),
            }
        }
    }
}
