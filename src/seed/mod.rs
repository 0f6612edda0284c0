//! Data loaders: the demo that `scripts/run` loads.

mod demo;

pub use demo::{DEMO_PASSWORD, demo};
