//! Conversions: the orders a brand reports, by API (`api`) or a CSV upload
//! (`upload`), each attributed to a collaboration by its click id (within the
//! campaign's window, last click wins) or its promo code, or listed as
//! unattributed; the brand's API tokens (`tokens`); and the pages that list
//! orders and take uploads (`routes`).

pub mod api;
pub mod db;
pub mod domain;
pub mod routes;
pub mod tokens;
pub mod upload;
pub mod uploads;
