//! Paying creators: their business and payout details (the bank account
//! encrypted at rest, shown masked), and the agency's payout batches: every
//! payable balance above the minimum from creators with complete details,
//! exported as a SEPA credit-transfer file or CSV, then marked sent, which
//! moves the money to paid out and tells each creator.

pub mod account;
pub mod batches;
pub mod details;
pub mod payer;
mod routes;
pub mod sepa;
pub mod vault;

pub use routes::router;
