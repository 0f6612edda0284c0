//! A per-instance copy of where each recently followed link leads, so that a
//! click costs no database round trip. A copy is used for at most
//! [`FRESH_FOR`]: a brand that changes its landing page sees clicks go to the
//! new one within a minute on every instance (at once on the instance that
//! saved it, which forgets its copies). Unknown codes are remembered too, for
//! less time, so guessing codes cannot load the database.

use std::{
    collections::HashMap,
    sync::RwLock,
    time::{Duration, Instant},
};

use uuid::Uuid;

pub const FRESH_FOR: Duration = Duration::from_secs(60);
const UNKNOWN_FOR: Duration = Duration::from_secs(10);
/// Far more links than are followed in a minute on one instance; past it the
/// copy starts over rather than grow.
const CAPACITY: usize = 200_000;

/// Where a link leads: the landing page with the campaign's UTM parameters,
/// to which each click adds its own id. `None` when the campaign has no
/// landing page yet and the brand no website.
#[derive(Debug, Clone)]
pub struct Destination {
    pub link_id: Uuid,
    pub url: Option<url::Url>,
}

struct Entry {
    destination: Option<Destination>,
    fresh_until: Instant,
}

#[derive(Default)]
pub struct LinkCache {
    entries: RwLock<HashMap<String, Entry>>,
}

impl LinkCache {
    /// `Some(None)`: known not to exist; `None`: not known, read the database.
    pub fn get(&self, code: &str) -> Option<Option<Destination>> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        entries
            .get(code)
            .filter(|e| e.fresh_until > Instant::now())
            .map(|e| e.destination.clone())
    }

    pub fn keep(&self, code: &str, destination: Option<Destination>) {
        // A link that leads nowhere yet may get a landing page any moment.
        let fresh_for = if destination.as_ref().is_some_and(|d| d.url.is_some()) {
            FRESH_FOR
        } else {
            UNKNOWN_FOR
        };
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(
            code.to_owned(),
            Entry {
                destination,
                fresh_until: Instant::now() + fresh_for,
            },
        );
    }

    /// Forgets every copy: a landing page changed on this instance.
    pub fn forget_all(&self) {
        self.entries
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_destination_is_found_until_forgotten() {
        let cache = LinkCache::default();
        assert!(cache.get("abcdefgh").is_none());
        let d = Destination {
            link_id: Uuid::now_v7(),
            url: url::Url::parse("https://shop.example/").ok(),
        };
        cache.keep("abcdefgh", Some(d.clone()));
        cache.keep("zzzzzzzz", None);
        let found = cache.get("abcdefgh").flatten().expect("kept");
        assert_eq!(found.link_id, d.link_id);
        assert!(matches!(cache.get("zzzzzzzz"), Some(None)));
        cache.forget_all();
        assert!(cache.get("abcdefgh").is_none());
    }
}
