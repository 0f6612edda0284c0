//! The attributes every Liaison cookie shares.

use axum::http::{HeaderMap, HeaderValue, header};
use axum_extra::extract::cookie::{Cookie, SameSite};

/// HttpOnly and SameSite=Lax always (Lax keeps a session when a user follows a link
/// from an email); Secure in production. `max_age: None` makes a browser-session cookie.
pub fn build(
    name: &'static str,
    value: String,
    secure: bool,
    max_age: Option<time::Duration>,
) -> Cookie<'static> {
    let mut cookie = Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .build();
    if let Some(age) = max_age {
        cookie.set_max_age(age);
    }
    cookie
}

/// A cookie that tells the browser to forget `name`.
pub fn removal(name: &'static str, secure: bool) -> Cookie<'static> {
    build(name, String::new(), secure, Some(time::Duration::ZERO))
}

pub fn append(headers: &mut HeaderMap, cookie: &Cookie<'_>) {
    // Cookie values here are base64url and fixed names, always valid header text.
    if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
        headers.append(header::SET_COOKIE, value);
    }
}
