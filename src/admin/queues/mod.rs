//! `/admin/queues/{queue}`: what is going wrong across both sides, each
//! queue counted on the console and listed on its page, every row leading to
//! the place to act.

mod db;
mod routes;

pub use db::{Counts, counts};
pub use routes::router;

/// The queues, in the order the console shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    ReviewsOverdue,
    DeliverablesOverdue,
    Silent,
    ToVerify,
    Signals,
    Disputes,
    AutoApprovals,
    ClosingEmpty,
}

impl Queue {
    pub const ALL: [Queue; 8] = [
        Queue::ReviewsOverdue,
        Queue::DeliverablesOverdue,
        Queue::Silent,
        Queue::ToVerify,
        Queue::Signals,
        Queue::Disputes,
        Queue::AutoApprovals,
        Queue::ClosingEmpty,
    ];

    /// Its address: `/admin/queues/{key}`.
    pub fn key(self) -> &'static str {
        match self {
            Queue::ReviewsOverdue => "reviews-overdue",
            Queue::DeliverablesOverdue => "deliverables-overdue",
            Queue::Silent => "silent-collaborations",
            Queue::ToVerify => "figures-to-verify",
            Queue::Signals => "authenticity-signals",
            Queue::Disputes => "disputes",
            Queue::AutoApprovals => "automatic-approvals",
            Queue::ClosingEmpty => "closing-without-creators",
        }
    }

    pub fn parse(key: &str) -> Option<Queue> {
        Queue::ALL.into_iter().find(|q| q.key() == key)
    }

    pub fn title(self) -> &'static str {
        match self {
            Queue::ReviewsOverdue => "Reviews overdue",
            Queue::DeliverablesOverdue => "Deliverables overdue",
            Queue::Silent => "Collaborations gone quiet",
            Queue::ToVerify => "Figures to verify",
            Queue::Signals => "Heavy authenticity signals",
            Queue::Disputes => "Disputes waiting",
            Queue::AutoApprovals => "Automatic approvals",
            Queue::ClosingEmpty => "Closing with no creator",
        }
    }

    /// Listed as the rows stand, not from the minute's snapshot: only the
    /// count waits for the next one.
    pub fn listed_live(self) -> bool {
        self == Queue::ToVerify
    }

    /// What each row's date means.
    pub fn when_label(self) -> &'static str {
        match self {
            Queue::ReviewsOverdue => "Review was due",
            Queue::DeliverablesOverdue => "Was due",
            Queue::Silent => "Last heard",
            Queue::ToVerify | Queue::Signals => "Figures from",
            Queue::Disputes => "Opened",
            Queue::AutoApprovals => "Approved",
            Queue::ClosingEmpty => "Applications close",
        }
    }

    /// What the queue holds and what to do about it.
    pub fn explanation(self) -> &'static str {
        match self {
            Queue::ReviewsOverdue => {
                "Drafts whose review is later than the brief promised, oldest promise first. Nudge the brand; past the agency's grace the draft is approved automatically."
            }
            Queue::DeliverablesOverdue => {
                "Work past its due date that is not approved or published yet, longest overdue first. Ask the creator, or agree a new date with both sides."
            }
            Queue::Silent => {
                "Running collaborations where nobody has written for 7 days, quietest first. A message from the agency often restarts them."
            }
            Queue::ToVerify => {
                "Channels whose newest figures nobody has checked, largest audiences first. Compare them with the creator's analytics and mark them verified."
            }
            Queue::Signals => {
                "Channels whose authenticity score is below 50: heavy signs of bought followers or engagement. Read the evidence before brands rely on them."
            }
            Queue::Disputes => {
                "Deliverables whose money is frozen until the agency settles, oldest first."
            }
            Queue::AutoApprovals => {
                "Drafts approved by the clock in the last 30 days because the brand did not review them: brands to talk to."
            }
            Queue::ClosingEmpty => {
                "Open campaigns whose applications close within 7 days with nobody accepted yet. Help the brand decide, or bring creators to them."
            }
        }
    }
}
