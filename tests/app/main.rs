//! Integration tests: the real router on a real port, a fresh PostgreSQL database
//! per test (cloned from a migrated template, see `database.rs`), and headless
//! Chromium for the journeys.

mod accounts;
mod agency_accounts;
mod agreements;
mod applications;
mod audit;
mod board;
mod brands;
mod briefs;
mod browser;
mod business;
mod campaigns;
mod collaborations;
mod console_matrix;
mod conversions;
mod crawl;
mod database;
mod disclosure;
mod discovery;
mod disputes;
mod documents;
mod email;
mod endings;
mod exports;
mod figures;
mod fixtures;
mod health;
mod helpers;
mod influencers;
mod input;
mod ledger;
mod links;
mod managers;
mod markup;
mod money;
mod money_properties;
mod pages;
mod payouts;
mod queues;
mod results;
mod security;
mod seed;
mod sessions;
mod smtp;
mod storage;
