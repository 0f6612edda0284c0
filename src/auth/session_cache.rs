//! A per-instance copy of recently used sessions, so that most signed-in pages
//! cost one database round trip (their own data) instead of two.
//!
//! A copy is trusted for at most [`FRESH_FOR`], and only while this instance is
//! listening on the `liaison_sessions` channel: triggers (migration 0007) notify
//! it, on commit, whenever a session ends or what a copy holds changes (the
//! user's name, email, role, password, team, brand name, or an influencer's
//! tier and platforms). Whatever happens
//! between a lost listener connection and its return is unknown, so losing it
//! empties the cache and turns it off until the listener is back.
//!
//! The same instance also forgets its copies directly when it makes such a
//! change, so the browser that made it never sees the old state, even in the
//! millisecond before the notification comes back.

use std::{
    collections::HashMap,
    sync::{
        Arc, RwLock,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use sqlx::{PgPool, postgres::PgListener};
use uuid::Uuid;

use super::CurrentUser;

pub const CHANNEL: &str = "liaison_sessions";
/// How long a copy is used before the session is read again. Bounds the damage
/// of a missed notification; the hourly "last used" update still happens on
/// the next read.
pub const FRESH_FOR: Duration = Duration::from_secs(30);
/// More active sessions than this in 30 seconds on one instance is far past
/// what it serves; past it the cache starts over rather than grow.
const CAPACITY: usize = 100_000;

type TokenHash = [u8; 32];

struct Entry {
    user: CurrentUser,
    fresh_until: Instant,
}

#[derive(Default)]
pub struct SessionCache {
    entries: RwLock<HashMap<TokenHash, Entry>>,
    /// Bumped by every invalidation. A read from the database that started
    /// before an invalidation may hold the old state, so it is not kept.
    generation: AtomicU64,
    listening: AtomicBool,
}

/// Taken before reading a session from the database; see [`SessionCache::keep`].
#[derive(Debug, Clone, Copy)]
pub struct Ticket(u64);

impl SessionCache {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Whether copies are being kept (the listener is connected).
    pub fn is_on(&self) -> bool {
        self.listening.load(Ordering::Acquire)
    }

    pub fn get(&self, token_hash: &TokenHash) -> Option<CurrentUser> {
        if !self.listening.load(Ordering::Acquire) {
            return None;
        }
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        entries
            .get(token_hash)
            .filter(|e| e.fresh_until > Instant::now())
            .map(|e| e.user.clone())
    }

    /// `None` while the cache is off: whatever is read now must not be kept.
    pub fn ticket(&self) -> Option<Ticket> {
        self.listening
            .load(Ordering::Acquire)
            .then(|| Ticket(self.generation.load(Ordering::Acquire)))
    }

    /// Keeps what was read with `ticket`, unless something was invalidated
    /// since (it may be what was read) or the session ends sooner.
    pub fn keep(&self, ticket: Ticket, token_hash: TokenHash, user: CurrentUser, lasts: Duration) {
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        // Checked under the write lock: invalidations take it too, so none can
        // slip in between this check and the insert.
        if ticket.0 != self.generation.load(Ordering::Acquire)
            || !self.listening.load(Ordering::Acquire)
        {
            return;
        }
        let now = Instant::now();
        if entries.len() >= CAPACITY {
            entries.retain(|_, e| e.fresh_until > now);
            if entries.len() >= CAPACITY {
                entries.clear();
            }
        }
        let fresh_until = now + FRESH_FOR.min(lasts);
        entries.insert(token_hash, Entry { user, fresh_until });
    }

    pub fn forget_token(&self, token_hash: &TokenHash) {
        self.invalidate(|entries| {
            entries.remove(token_hash);
        });
    }

    pub fn forget_user(&self, user_id: Uuid) {
        self.invalidate(|entries| entries.retain(|_, e| e.user.id != user_id));
    }

    /// Several people at once, e.g. everyone just notified.
    pub fn forget_users(&self, user_ids: &[Uuid]) {
        if !user_ids.is_empty() {
            self.invalidate(|entries| entries.retain(|_, e| !user_ids.contains(&e.user.id)));
        }
    }

    /// Every member of a brand, e.g. after it is renamed.
    pub fn forget_brand(&self, brand_id: Uuid) {
        self.invalidate(|entries| {
            entries.retain(|_, e| e.user.brand.as_ref().is_none_or(|b| b.brand_id != brand_id))
        });
    }

    pub fn clear(&self) {
        self.invalidate(HashMap::clear);
    }

    fn invalidate(&self, change: impl FnOnce(&mut HashMap<TokenHash, Entry>)) {
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        change(&mut entries);
    }

    fn set_listening(&self, on: bool) {
        if !on {
            self.listening.store(false, Ordering::Release);
        }
        // Whatever was kept may have missed a notification.
        self.clear();
        if on {
            self.listening.store(true, Ordering::Release);
        }
    }

    fn notified(&self, payload: &str) {
        match payload.parse::<Uuid>() {
            Ok(user_id) => self.forget_user(user_id),
            Err(_) => self.clear(),
        }
    }
}

/// Listens for session changes until the pool is closed, reconnecting with a
/// growing pause (up to 30 s) while the database is away. The cache is off
/// whenever the listener is not connected.
pub async fn listen(pool: PgPool, cache: Arc<SessionCache>) {
    const FIRST_PAUSE: Duration = Duration::from_millis(250);
    let mut pause = FIRST_PAUSE;
    loop {
        let mut connected = false;
        match listen_once(&pool, &cache, &mut connected).await {
            Ok(()) => return,
            Err(e) => {
                cache.set_listening(false);
                if pool.is_closed() {
                    return;
                }
                tracing::warn!(error = %e, "session notifications lost; the session cache is off until they return");
            }
        }
        // After a connection that worked, the next outage starts from a short
        // pause again: only failures in a row wait longer and longer.
        if connected {
            pause = FIRST_PAUSE;
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_secs(30));
    }
}

/// Returns `Ok` when the pool is closed, an error when the connection fails;
/// sets `connected` once it listens.
async fn listen_once(
    pool: &PgPool,
    cache: &SessionCache,
    connected: &mut bool,
) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    *connected = true;
    cache.set_listening(true);
    loop {
        match listener.try_recv().await {
            Ok(Some(notification)) => cache.notified(notification.payload()),
            // The connection dropped. The listener would reconnect by itself
            // but says nothing when it has, so the cache could not know when
            // to trust it again: start over with a new one instead.
            Ok(None) => {
                return Err(sqlx::Error::Io(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "the connection listening for session changes dropped",
                )));
            }
            Err(sqlx::Error::PoolClosed) => {
                cache.set_listening(false);
                return Ok(());
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{auth::BrandMembership, domain::Role};

    fn user(brand: Option<Uuid>) -> CurrentUser {
        CurrentUser {
            id: Uuid::now_v7(),
            email: "a@example.com".into(),
            display_name: "A".into(),
            role: Role::Brand,
            brand: brand.map(|brand_id| BrandMembership {
                brand_id,
                brand_name: "B".into(),
                is_owner: true,
                by_agency: false,
            }),
            reach: None,
            unread: 0,
        }
    }

    fn listening() -> Arc<SessionCache> {
        let cache = SessionCache::new();
        cache.set_listening(true);
        cache
    }

    const LONG: Duration = Duration::from_secs(3600);

    #[test]
    fn nothing_is_kept_while_not_listening() {
        let cache = SessionCache::new();
        assert!(cache.ticket().is_none());
        let cache = listening();
        let ticket = cache.ticket().expect("listening");
        cache.set_listening(false);
        cache.keep(ticket, [1; 32], user(None), LONG);
        assert!(cache.get(&[1; 32]).is_none());
    }

    #[test]
    fn a_kept_session_is_served_until_forgotten() {
        let cache = listening();
        let u = user(None);
        cache.keep(cache.ticket().expect("on"), [1; 32], u.clone(), LONG);
        assert_eq!(cache.get(&[1; 32]).map(|c| c.id), Some(u.id));
        cache.forget_user(u.id);
        assert!(cache.get(&[1; 32]).is_none());
    }

    #[test]
    fn a_read_that_raced_an_invalidation_is_not_kept() {
        let cache = listening();
        let ticket = cache.ticket().expect("on");
        cache.forget_token(&[9; 32]);
        cache.keep(ticket, [1; 32], user(None), LONG);
        assert!(cache.get(&[1; 32]).is_none());
    }

    #[test]
    fn renaming_a_brand_forgets_its_members_only() {
        let cache = listening();
        let brand = Uuid::now_v7();
        let (member, other, solo) = (user(Some(brand)), user(Some(Uuid::now_v7())), user(None));
        for (i, u) in [&member, &other, &solo].into_iter().enumerate() {
            cache.keep(cache.ticket().expect("on"), [i as u8; 32], u.clone(), LONG);
        }
        cache.forget_brand(brand);
        assert!(cache.get(&[0; 32]).is_none());
        assert!(cache.get(&[1; 32]).is_some());
        assert!(cache.get(&[2; 32]).is_some());
    }

    #[test]
    fn a_notification_forgets_its_user_and_garbage_forgets_everyone() {
        let cache = listening();
        let (a, b) = (user(None), user(None));
        cache.keep(cache.ticket().expect("on"), [1; 32], a.clone(), LONG);
        cache.keep(cache.ticket().expect("on"), [2; 32], b, LONG);
        cache.notified(&a.id.to_string());
        assert!(cache.get(&[1; 32]).is_none());
        assert!(cache.get(&[2; 32]).is_some());
        cache.notified("not a uuid");
        assert!(cache.get(&[2; 32]).is_none());
    }

    #[test]
    fn a_session_ending_soon_is_not_served_past_its_end() {
        let cache = listening();
        cache.keep(
            cache.ticket().expect("on"),
            [1; 32],
            user(None),
            Duration::ZERO,
        );
        assert!(cache.get(&[1; 32]).is_none());
    }
}
