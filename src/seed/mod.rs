//! Data loaders: the demo that `scripts/run` loads, and data at scale for benchmarks.

mod creators;
mod demo;
mod demo_applications;
mod demo_business;
mod demo_campaigns;
mod demo_collaborations;
mod demo_creators;
mod demo_money;
mod demo_results;
mod scale;
mod scale_collaborations;
mod scale_creators;
mod scale_money;
mod scale_results;

pub use demo::{DEMO_PASSWORD, demo};
pub use scale::campaigns;
pub use scale_collaborations::applications;
pub use scale_creators::influencers;
pub use scale_results::results;

/// SplitMix64: small, fast and good enough to spread test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Niches for generated campaigns and creators, so that searches for one find
/// the other.
const NICHES: &[&str] = &[
    "hiking",
    "skincare",
    "coffee",
    "fitness",
    "gaming",
    "parenting",
    "travel",
    "food",
    "fashion",
    "tech",
    "finance",
    "books",
    "music",
    "pets",
    "home",
    "beauty",
    "cycling",
    "wellness",
    "running",
    "photography",
    "sustainability",
    "cooking",
    "yoga",
    "diy",
];
