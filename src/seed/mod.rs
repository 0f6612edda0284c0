//! Data loaders: the demo that `scripts/run` loads, and data at scale for benchmarks.

mod demo;
mod demo_campaigns;
mod scale;

pub use demo::{DEMO_PASSWORD, demo};
pub use scale::campaigns;
