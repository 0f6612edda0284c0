//! The same limits counted in this instance's memory, for the conversions
//! API: a shop may post an order every few milliseconds, and a database
//! write per request on one brand's row would serialize them. The stated
//! bound: behind a load balancer spreading requests evenly, a brand gets its
//! limit from each instance, so N instances let through at most N times it.

use std::{collections::HashMap, sync::Mutex, time::Instant};

use super::{Bucket, Refused};

/// Above this many buckets, the empty ones are dropped on the next hit.
const TIDY_ABOVE: usize = 10_000;

#[derive(Default)]
pub struct LocalLimits {
    /// Each bucket's theoretical arrival time (see the module `limits`).
    buckets: Mutex<HashMap<String, Instant>>,
}

impl LocalLimits {
    /// Counts one request against `bucket`; `Some` when it is over the limit,
    /// and then nothing is counted.
    pub fn hit(&self, bucket: &Bucket) -> Option<Refused> {
        self.hit_at(bucket, Instant::now())
    }

    fn hit_at(&self, bucket: &Bucket, now: Instant) -> Option<Refused> {
        let limit = bucket.limit;
        let step = limit.interval();
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() > TIDY_ABOVE {
            buckets.retain(|_, tat| *tat > now);
        }
        let tat = buckets.get(bucket.key()).copied().unwrap_or(now).max(now);
        let next = tat + step;
        if next.duration_since(now) <= limit.window {
            buckets.insert(bucket.key().to_owned(), next);
            return None;
        }
        metrics::counter!(crate::metrics::RATE_LIMITED, "limit" => limit.name).increment(1);
        Some(Refused {
            limit,
            retry_after: next.duration_since(now).saturating_sub(limit.window),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::limits::{Limit, Per};

    #[test]
    fn a_burst_then_one_per_interval_and_a_refusal_counts_nothing() {
        let limit = Limit {
            name: "test.brand",
            per: Per::Brand,
            max: 3,
            window: Duration::from_secs(60),
            what: "tries",
        };
        let bucket = limit.of(uuid::Uuid::now_v7());
        let limits = LocalLimits::default();
        let start = Instant::now();
        for _ in 0..3 {
            assert_eq!(limits.hit_at(&bucket, start), None);
        }
        let refused = limits.hit_at(&bucket, start).expect("the fourth");
        assert_eq!(refused.retry_after, Duration::from_secs(20));
        let later = start + Duration::from_secs(20);
        assert_eq!(limits.hit_at(&bucket, later), None);
        assert!(limits.hit_at(&bucket, later).is_some());
        let other = limit.of(uuid::Uuid::now_v7());
        assert_eq!(limits.hit_at(&other, later), None);
    }
}
