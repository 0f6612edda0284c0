//! Liaison: a platform where brands and influencer-entrepreneurs work together as
//! business partners, run by an agency that manages both sides.
//!
//! Each feature is a module named after it (`accounts`, `dashboard`, `admin`, ...)
//! holding its routes, its domain rules and its SQL; `web` holds the shared HTTP
//! plumbing and `app` wires everything into one router.

pub mod accounts;
pub mod admin;
pub mod app;
pub mod applications;
pub mod audit;
pub mod auth;
pub mod brands;
pub mod campaigns;
pub mod cli;
pub mod collaborations;
pub mod config;
pub mod dashboard;
pub mod db;
pub mod domain;
pub mod error;
pub mod feedback;
pub mod health;
pub mod home;
pub mod influencers;
pub mod messages;
pub mod notifications;
pub mod seed;
pub mod telemetry;
pub mod tiers;
pub mod values;
pub mod web;
