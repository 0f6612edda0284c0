//! Collaborations: an accepted application's deliverables, copied from the
//! brief, each delivered in rounds of drafts that the brand reviews with
//! structured, directed feedback, then published.
//!
//! - [`deliverables`]: what is owed and by when, its page, publishing;
//! - [`rounds`]: drafts sent in rounds capped by the brief, answering open items;
//! - [`reviews`]: scores, and action items that cite the brief or flag scope creep;
//! - [`figures`]: what the published post did, recorded by the creator, checked
//!   by the brand;
//! - `page` and `acting`: the deliverable page every form re-renders, and who may
//!   act on a deliverable.

mod acting;
pub mod deliverables;
pub mod figures;
mod page;
pub mod reviews;
pub mod rounds;

use axum::Router;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(deliverables::router())
        .merge(rounds::router())
        .merge(reviews::router())
        .merge(figures::router())
}
