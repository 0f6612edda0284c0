//! Documents: invoices to brands (one per funded collaboration), credit notes
//! (money an invoice charged that went back) and payout statements to
//! creators (one per payout), numbered without gaps per year, immutable once
//! issued, as printable pages and PDF files.

pub mod credit_notes;
pub mod invoices;
pub mod issuer;
pub mod numbering;
pub mod pdf;
mod print;
mod routes;
pub mod statements;

pub use routes::router;
