//! Vocabulary shared by several features, free of HTTP and SQL: money, the
//! social platforms, and creator tiers.

pub mod money;
pub mod platform;
pub mod tier;

pub use money::{Currency, Money};
pub use platform::Platform;
pub use tier::Tier;
