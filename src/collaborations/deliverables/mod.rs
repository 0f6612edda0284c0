//! Deliverables: what an accepted creator owes (copied from the brief in force
//! when they were accepted), its status from to-do to published, its page, and
//! publishing it with the live link.

pub mod db;
mod routes;

pub use routes::router;

use crate::domain::keyed_enum;

keyed_enum! {
    pub enum DeliverableStatus {
        Todo => ("todo", "To do"),
        Submitted => ("submitted", "Submitted"),
        ChangesRequested => ("changes_requested", "Changes requested"),
        Approved => ("approved", "Approved"),
        Published => ("published", "Published"),
        /// The collaboration ended before this was done or paid.
        Cancelled => ("cancelled", "Cancelled"),
    }
    unknown: "Choose a status."
}

impl DeliverableStatus {
    /// Still work to do (or to review) before its due date matters no more.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            DeliverableStatus::Approved
                | DeliverableStatus::Published
                | DeliverableStatus::Cancelled
        )
    }
}
