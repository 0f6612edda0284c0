//! An owner's history a page at a time: where a page ended, the link that
//! names it, and the cut of a page read with one movement more.

use serde::Deserialize;
use uuid::Uuid;

use super::Movement;
use crate::web::keyset;

/// Where a page of an owner's history ended: the last movement shown, by
/// when it was recorded, its account's version and the account (an owner
/// has one account per currency). The next page continues just past it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryCursor {
    pub recorded_at: time::OffsetDateTime,
    pub version: i64,
    pub account: Uuid,
}

impl HistoryCursor {
    /// `<microseconds since the epoch>_<version>_<account>`, for a link.
    pub fn encode(&self) -> String {
        let micros = self.recorded_at.unix_timestamp_nanos() / 1_000;
        format!("{micros}_{}_{}", self.version, self.account)
    }

    /// Anything else reads as no cursor: a stale or edited link shows the
    /// newest page.
    pub fn decode(s: &str) -> Option<HistoryCursor> {
        let mut parts = s.trim().splitn(3, '_');
        let micros: i128 = parts.next()?.parse().ok()?;
        let version = parts.next()?.parse().ok()?;
        let account = parts.next()?.parse().ok()?;
        let recorded_at =
            time::OffsetDateTime::from_unix_timestamp_nanos(micros.checked_mul(1_000)?).ok()?;
        Some(HistoryCursor {
            recorded_at,
            version,
            account,
        })
    }
}

/// Which page of the history a link asks for: the one after the movement
/// `before` names, or the newest.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct HistoryQuery {
    before: String,
}

impl HistoryQuery {
    pub fn cursor(&self) -> Option<HistoryCursor> {
        HistoryCursor::decode(&self.before)
    }
}

/// Cuts `history` (read with one more than `page`) to the page and answers
/// the query string of the older page, if there is one.
pub fn older(history: &mut Vec<Movement>, page: i64) -> Option<String> {
    keyset::cut(history, page, |m| m.place)
        .map(|c| format!("before={}#history-heading", c.encode()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_history_cursor_reads_back_as_written_and_anything_else_as_none() {
        let cursor = HistoryCursor {
            recorded_at: time::macros::datetime!(2026-11-05 09:30:00.123456 UTC),
            version: 42,
            account: Uuid::now_v7(),
        };
        assert_eq!(HistoryCursor::decode(&cursor.encode()), Some(cursor));
        for bad in [
            "",
            "yesterday",
            "1_2",
            "1_x_00000000-0000-0000-0000-000000000000",
            "99999999999999999999999_1_00000000-0000-0000-0000-000000000000",
        ] {
            assert_eq!(HistoryCursor::decode(bad), None, "{bad}");
        }
    }
}
