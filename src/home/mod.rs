//! The public landing page at `/`.

use askama::Template;
use axum::{Router, routing::get};

use crate::{
    state::AppState,
    web::{Page, PageContext},
};

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ctx: PageContext,
}

async fn home(ctx: PageContext) -> Page<HomePage> {
    Page(HomePage { ctx })
}
