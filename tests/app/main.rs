//! Integration tests: the real router on a real port, a fresh PostgreSQL database
//! per test (`#[sqlx::test]`), and headless Chromium for the journeys.

mod accounts;
mod applications;
mod board;
mod brands;
mod briefs;
mod browser;
mod campaigns;
mod collaborations;
mod discovery;
mod health;
mod helpers;
mod influencers;
mod pages;
mod security;
mod seed;
mod sessions;
