//! Paid amendments: a review's request outside the brief, quoted by the
//! creator and accepted (its price held in escrow, the work added as a
//! deliverable) or declined (the request withdrawn) by the brand.

pub mod db;
pub mod domain;
pub(super) mod routes;
