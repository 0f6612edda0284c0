//! `GET /r/{code}`: a 302 to the landing page, with the click queued for the
//! writer. The database is read only when this instance has no fresh copy of
//! the link, and never written here.

use axum::{
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{
    db,
    domain::{self, LinkFor},
};
use crate::{
    clicks::{Click, Destination, is_bot, referrer_host},
    state::AppState,
    web::{assets, client_ip::ClientIp},
};

pub(super) async fn follow(
    State(state): State<AppState>,
    Path(code): Path<String>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
) -> Response {
    if !domain::is_code(&code) {
        return plain(StatusCode::NOT_FOUND, NOT_FOUND);
    }
    let destination = match state.clicks.links.get(&code) {
        Some(known) => known,
        None => match db::find(&state.db, &code).await {
            Ok(found) => {
                let destination = found.map(|t| Destination {
                    link_id: t.link_id,
                    url: t.landing.as_deref().and_then(|landing| {
                        domain::destination(
                            landing,
                            &LinkFor {
                                campaign_title: &t.campaign_title,
                                creator: &t.creator,
                                platform: t.platform,
                                format: t.format,
                                position: t.position,
                            },
                        )
                    }),
                });
                state.clicks.links.keep(&code, destination.clone());
                destination
            }
            Err(e) => {
                tracing::error!(error = %e, "reading a tracked link failed");
                return plain(StatusCode::SERVICE_UNAVAILABLE, UNAVAILABLE);
            }
        },
    };
    let Some(Destination { link_id, url }) = destination else {
        return plain(StatusCode::NOT_FOUND, NOT_FOUND);
    };
    let Some(url) = url else {
        return plain(StatusCode::NOT_FOUND, NOT_READY);
    };
    let click = Uuid::now_v7();
    let to = domain::with_click(&url, click);
    let agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    state.clicks.queue.record(Click {
        id: click,
        link_id,
        at: OffsetDateTime::now_utc(),
        visitor: state.clicks.visitors.visitor(ip, agent),
        referrer_host: referrer_host(&headers),
        is_bot: is_bot(&headers),
    });
    let Ok(location) = HeaderValue::from_str(to.as_str()) else {
        return plain(StatusCode::NOT_FOUND, NOT_READY);
    };
    (
        StatusCode::FOUND,
        [
            (header::LOCATION, location),
            // Every click must reach us: a cached redirect would not be counted.
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
    )
        .into_response()
}

const NOT_FOUND: (&str, &str) = (
    "Link not found",
    "There is no link at this address. Check that it was copied in full.",
);
const NOT_READY: (&str, &str) = (
    "This link isn't ready yet",
    "The brand has not said where this link should lead. Try again later.",
);
const UNAVAILABLE: (&str, &str) = (
    "Temporarily unavailable",
    "This link can't be followed right now. Please try again in a moment.",
);

/// A page of its own, without the site's navigation: whoever follows a
/// creator's link is not a Liaison user.
fn plain(status: StatusCode, (title, message): (&str, &str)) -> Response {
    let css = assets::url("app.css");
    let body = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"{css}\"></head>\
         <body><main class=\"plain-page\"><h1>{title}</h1><p>{message}</p></main></body></html>\n"
    );
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}
