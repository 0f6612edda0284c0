//! The audit trail's chain: each sealed event stores the hash of the event
//! before it and its own, so that changing, removing or reordering an event
//! breaks every hash after it.
//!
//! Events are written unsealed (recording never waits for another
//! transaction) and [`seal`] numbers them afterwards, one sealer at a time,
//! in the order it finds them committed. An event's hash is SHA-256 over the
//! previous event's hash, its number and its content in a fixed,
//! length-prefixed encoding ([`digest`]). The chain proves its own
//! consistency; to prove that nobody rewrote it from some point on, compare
//! its head with one noted earlier: the sealer logs the head each time it
//! moves and `liaison audit verify` prints it.

use std::time::Duration;

use sha2::{Digest, Sha256};
use sqlx::{PgPool, types::ipnetwork::IpNetwork};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::shutdown::Stop;

/// The hash before the first event.
pub const GENESIS: [u8; 32] = [0; 32];
/// Events sealed per transaction.
const BATCH: i64 = 2_000;
/// Unrelated to any table: only sealers take it.
const LOCK: i64 = 0x6c69_6175_6469_7431;

/// What an event's hash covers.
#[derive(Debug, Clone)]
pub struct Content {
    pub id: Uuid,
    pub occurred_at: OffsetDateTime,
    pub actor_user_id: Option<Uuid>,
    pub for_brand_id: Option<Uuid>,
    pub action: String,
    pub object_id: Option<Uuid>,
    pub detail: String,
    pub ip: Option<IpNetwork>,
}

/// The hash of the event numbered `seq` with this content after `prev`.
pub fn digest(prev: &[u8; 32], seq: i64, c: &Content) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(seq.to_be_bytes());
    h.update(c.id.as_bytes());
    // Microseconds: what PostgreSQL stores, so a value read back hashes the same.
    let micros = i64::try_from(c.occurred_at.unix_timestamp_nanos() / 1_000).unwrap_or(i64::MAX);
    h.update(micros.to_be_bytes());
    for id in [c.actor_user_id, c.for_brand_id, c.object_id] {
        match id {
            Some(id) => {
                h.update([1]);
                h.update(id.as_bytes());
            }
            None => h.update([0]),
        }
    }
    let ip = c.ip.map(|n| n.to_string()).unwrap_or_default();
    for text in [c.action.as_str(), c.detail.as_str(), ip.as_str()] {
        h.update((text.len() as u64).to_be_bytes());
        h.update(text.as_bytes());
    }
    h.finalize().into()
}

/// The chain's newest sealed event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    pub seq: i64,
    pub hash: [u8; 32],
}

impl Head {
    pub fn hex(&self) -> String {
        hex(&self.hash)
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn to_hash(bytes: Option<Vec<u8>>) -> [u8; 32] {
    bytes
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .unwrap_or(GENESIS)
}

/// Seals up to one batch of committed, unsealed events, oldest first, and
/// returns how many. Another sealer at work makes this one return 0.
pub async fn seal(db: &PgPool) -> Result<usize, sqlx::Error> {
    let mut tx = db.begin().await?;
    let locked = sqlx::query_scalar!(r#"select pg_try_advisory_xact_lock($1) as "locked!""#, LOCK)
        .fetch_one(&mut *tx)
        .await?;
    if !locked {
        return Ok(0);
    }
    let head = sqlx::query!(
        "select seq, hash from audit_events where seq = (select max(seq) from audit_events)"
    )
    .fetch_optional(&mut *tx)
    .await?;
    let (mut seq, mut prev) = head.map_or((0, GENESIS), |h| (h.seq.unwrap_or(0), to_hash(h.hash)));
    let pending = sqlx::query_as!(
        Content,
        "select id, occurred_at, actor_user_id, for_brand_id, action, object_id, detail, ip
           from audit_events where seq is null
          order by occurred_at, id
          limit $1",
        BATCH
    )
    .fetch_all(&mut *tx)
    .await?;
    if pending.is_empty() {
        return Ok(0);
    }
    let mut ids = Vec::with_capacity(pending.len());
    let mut seqs = Vec::with_capacity(pending.len());
    let mut prevs = Vec::with_capacity(pending.len());
    let mut hashes = Vec::with_capacity(pending.len());
    for event in &pending {
        seq += 1;
        let hash = digest(&prev, seq, event);
        ids.push(event.id);
        seqs.push(seq);
        prevs.push(prev.to_vec());
        hashes.push(hash.to_vec());
        prev = hash;
    }
    sqlx::query!(
        "update audit_events e set seq = s.seq, prev_hash = s.prev_hash, hash = s.hash
           from unnest($1::uuid[], $2::bigint[], $3::bytea[], $4::bytea[])
                as s(id, seq, prev_hash, hash)
          where e.id = s.id",
        &ids,
        &seqs,
        &prevs,
        &hashes
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::info!(
        sealed = pending.len(),
        head_seq = seq,
        head_hash = %hex(&prev),
        "audit events sealed"
    );
    Ok(pending.len())
}

/// Seals whatever is waiting, batch after batch.
pub async fn seal_all(db: &PgPool) -> Result<usize, sqlx::Error> {
    let mut total = 0;
    loop {
        let n = seal(db).await?;
        total += n;
        if n < BATCH as usize {
            return Ok(total);
        }
    }
}

/// The background sealer: every second, so an event is in the chain about a
/// second after its transaction commits; once more when the server stops, so
/// the last requests' events are sealed too.
pub async fn run(db: PgPool, mut stop: Stop) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let carry_on = stop.tick(&mut tick).await;
        let done = seal_all(&db).await;
        crate::metrics::job_ran("audit sealer", done.is_ok());
        if let Err(e) = done {
            tracing::warn!(error = %e, "sealing audit events failed");
        }
        if !carry_on {
            return;
        }
    }
}

/// Events waiting to be sealed, and how long the oldest has waited.
pub async fn backlog(db: &PgPool) -> Result<crate::metrics::Backlog, sqlx::Error> {
    let row = sqlx::query!(
        r#"select count(*) as "waiting!",
                  coalesce(extract(epoch from now() - min(occurred_at))::float8, 0) as "oldest!"
             from audit_events where seq is null"#
    )
    .fetch_one(db)
    .await?;
    Ok(crate::metrics::Backlog {
        waiting: row.waiting,
        oldest_seconds: row.oldest,
    })
}

/// What [`verify`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Sealed events checked.
    pub checked: i64,
    pub head: Option<Head>,
    /// The first event that does not follow from the one before it, and why.
    pub broken: Option<Break>,
    /// Events not sealed yet (the sealer runs every second).
    pub unsealed: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    pub seq: i64,
    pub id: Uuid,
    pub why: &'static str,
}

/// Walks the whole chain in order, recomputing every hash.
pub async fn verify(db: &PgPool) -> Result<Report, sqlx::Error> {
    const PAGE: i64 = 10_000;
    let mut report = Report {
        checked: 0,
        head: None,
        broken: None,
        unsealed: 0,
    };
    let mut prev = GENESIS;
    let mut expected = 1_i64;
    'pages: loop {
        let rows = sqlx::query!(
            r#"select seq as "seq!", prev_hash as "prev_hash!", hash as "hash!", id, occurred_at,
                      actor_user_id, for_brand_id, action, object_id, detail, ip
                 from audit_events
                where seq >= $1
                order by seq
                limit $2"#,
            expected,
            PAGE
        )
        .fetch_all(db)
        .await?;
        let last_page = rows.len() < PAGE as usize;
        for r in rows {
            let content = Content {
                id: r.id,
                occurred_at: r.occurred_at,
                actor_user_id: r.actor_user_id,
                for_brand_id: r.for_brand_id,
                action: r.action,
                object_id: r.object_id,
                detail: r.detail,
                ip: r.ip,
            };
            let why = if r.seq != expected {
                Some("the event before it is missing")
            } else if r.prev_hash.as_slice() != prev.as_slice() {
                Some("it does not carry the hash of the event before it")
            } else if r.hash.as_slice() != digest(&prev, r.seq, &content).as_slice() {
                Some("its content no longer matches its hash")
            } else {
                None
            };
            if let Some(why) = why {
                report.broken = Some(Break {
                    seq: r.seq,
                    id: r.id,
                    why,
                });
                break 'pages;
            }
            prev = to_hash(Some(r.hash));
            report.checked += 1;
            report.head = Some(Head {
                seq: r.seq,
                hash: prev,
            });
            expected += 1;
        }
        if last_page {
            break;
        }
    }
    report.unsealed =
        sqlx::query_scalar!(r#"select count(*) as "n!" from audit_events where seq is null"#)
            .fetch_one(db)
            .await?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> Content {
        Content {
            id: Uuid::from_u128(7),
            occurred_at: time::macros::datetime!(2026-12-05 10:00:00.123456 UTC),
            actor_user_id: Some(Uuid::from_u128(1)),
            for_brand_id: None,
            action: "account.logged_in".into(),
            object_id: Some(Uuid::from_u128(1)),
            detail: String::new(),
            ip: None,
        }
    }

    #[test]
    fn every_part_of_an_event_changes_its_hash() {
        let base = digest(&GENESIS, 1, &event());
        assert_eq!(base, digest(&GENESIS, 1, &event()));
        assert_ne!(base, digest(&[1; 32], 1, &event()));
        assert_ne!(base, digest(&GENESIS, 2, &event()));
        let changes: Vec<fn(&mut Content)> = vec![
            |c| c.id = Uuid::from_u128(8),
            |c| c.occurred_at += time::Duration::microseconds(1),
            |c| c.actor_user_id = None,
            |c| c.for_brand_id = Some(Uuid::from_u128(1)),
            |c| c.object_id = None,
            |c| c.action = "account.logged_out".into(),
            |c| c.detail = "x".into(),
            |c| c.ip = Some("127.0.0.1".parse().unwrap_or_else(|_| unreachable!())),
        ];
        for change in changes {
            let mut c = event();
            change(&mut c);
            assert_ne!(base, digest(&GENESIS, 1, &c));
        }
    }

    #[test]
    fn text_fields_cannot_trade_characters() {
        // Without the length prefixes "ab" + "c" and "a" + "bc" would hash alike.
        let mut one = event();
        one.action = "ab".into();
        one.detail = "c".into();
        let mut two = event();
        two.action = "a".into();
        two.detail = "bc".into();
        assert_ne!(digest(&GENESIS, 1, &one), digest(&GENESIS, 1, &two));
    }
}
