//! The public landing page at `/`, and `/robots.txt`, which tells crawlers
//! what is public.

use askama::Template;
use axum::{Router, http::header, response::IntoResponse, routing::get};

use crate::{
    state::AppState,
    web::{Page, PageContext},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/robots.txt", get(robots))
}

/// Only the landing page, sign-up, sign-in and creators' public media kits are
/// meant for search engines; everything else answers only after sign-in, so
/// crawlers are asked not to spend their time on it.
const ROBOTS: &str = "User-agent: *
Allow: /
Disallow: /account
Disallow: /admin
Disallow: /applications
Disallow: /brand
Disallow: /campaigns
Disallow: /dashboard
Disallow: /deliverables
Disallow: /feedback
Disallow: /influencers
Disallow: /invitations
Disallow: /notifications
Disallow: /profile
Disallow: /submissions
";

async fn robots() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        ROBOTS,
    )
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ctx: PageContext,
}

async fn home(ctx: PageContext) -> Page<HomePage> {
    Page(HomePage { ctx })
}
