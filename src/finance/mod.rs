//! `/admin/finance`: the agency's side of the money. It records money brands
//! sent, sets the agency's fees and terms, and checks that the ledger adds up.

pub mod routes;
