//! Liaison: a platform where brands and influencer-entrepreneurs work together as
//! business partners, run by an agency that manages both sides.
//!
//! The house, from the ground up: `config`, `error`, `db`, `domain` (the
//! vocabulary), `audit` and `email` (the outbox) at the bottom; `auth` (who is looking), `web` (HTTP
//! plumbing) and `clicks` (the click queue) on them; `state` (what handlers
//! receive); then one folder per feature (`accounts`, `campaigns`,
//! `applications`, ...) holding its routes, its rules and its SQL; and at the top the wiring that imports the features and
//! that none of them imports: `routes` (the router), `jobs` (background tasks),
//! `server` (serving and shutdown), `seed` and `cli`.

pub mod accounts;
pub mod admin;
pub mod agreements;
pub mod applications;
pub mod audit;
pub mod auth;
pub mod billing;
pub mod brands;
pub mod business;
pub mod campaigns;
pub mod cli;
pub mod clicks;
pub mod collaborations;
pub mod config;
pub mod conversions;
pub mod dashboard;
pub mod db;
pub mod disclosure;
pub mod disputes;
pub mod documents;
pub mod domain;
pub mod earnings;
pub mod email;
pub mod error;
pub mod exports;
pub mod feedback;
pub mod finance;
pub mod health;
pub mod home;
pub mod influencers;
pub mod jobs;
pub mod ledger;
pub mod limits;
pub mod links;
pub mod messages;
pub mod metrics;
pub mod notifications;
pub mod partners;
pub mod payouts;
pub mod promo_codes;
pub mod ratings;
pub mod reports;
pub mod routes;
pub mod seed;
pub mod server;
pub mod shutdown;
pub mod state;
pub mod telemetry;
pub mod tiers;
pub mod web;
