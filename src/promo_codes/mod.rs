//! Promo codes: the code a creator's audience types at checkout, one per
//! collaboration, unique within the brand. The brand sets it on the
//! collaboration's page (a suggestion is made from the creator's handle); the
//! creator sees it beside their links; orders that carry it are the
//! creator's.

pub mod db;
pub mod domain;

pub use domain::PromoCode;
