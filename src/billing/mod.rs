//! Money for brands and the agency's terms: recording money a brand sent
//! ([`funding`]), the agency's fees ([`terms`]), and the brand's `/billing`
//! page ([`routes`]). Every movement goes through the [`crate::ledger`].

pub mod db;
pub mod escrow;
pub mod funding;
pub mod routes;
pub mod terms;
