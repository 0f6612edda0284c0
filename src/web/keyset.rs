//! Keyset pages: the reader asks for one row more than a page, and the link
//! to the next page continues after the last row shown, so a page costs the
//! same however deep it is. [`older`] is the link of lists read newest first
//! by id; lists in other orders carry a [`Cursor`] (a sort value and an id)
//! or one of their own ([`cut`]).

use time::OffsetDateTime;
use uuid::Uuid;

/// Where a page ended: the last row's sort value (microseconds since the
/// epoch when newest first, the fee in minor units, or the score with -1 for
/// none) and its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub value: i64,
    pub id: Uuid,
}

impl Cursor {
    pub fn encode(&self) -> String {
        format!("{}_{}", self.value, self.id)
    }

    /// Anything else reads as no cursor: a stale or edited link starts
    /// over.
    pub fn decode(s: &str) -> Option<Cursor> {
        let (value, id) = s.split_once('_')?;
        Some(Cursor {
            value: value.parse().ok()?,
            id: id.parse().ok()?,
        })
    }

    /// The cursor of a row read newest first.
    pub fn at(created_at: OffsetDateTime, id: Uuid) -> Cursor {
        let micros = created_at.unix_timestamp_nanos() / 1_000;
        Cursor {
            value: i64::try_from(micros).unwrap_or(i64::MAX),
            id,
        }
    }

    /// A cursor newer than every row, for a list's first page read newest
    /// first: a statement that always compares with a cursor has one plan for
    /// every page.
    pub fn newest() -> Cursor {
        Cursor::at(time::macros::datetime!(9999-12-31 0:00 UTC), Uuid::max())
    }

    /// The sort value as a time, for lists read newest first.
    pub fn time(&self) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.value) * 1_000)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }
}

/// Cuts `rows` (read with one extra) to `page` and answers the key of the
/// last row shown, which the next page continues after, if more follow.
pub fn cut<T, K>(rows: &mut Vec<T>, page: i64, key: impl Fn(&T) -> K) -> Option<K> {
    let page = usize::try_from(page).unwrap_or(0);
    let more = rows.len() > page;
    rows.truncate(page);
    rows.last().filter(|_| more).map(key)
}

/// Cuts `rows` (read with one extra) to `page` and answers the query string
/// of the older page, `link` (the filter's own query string) with `before=`
/// the last id shown, if there are older rows.
pub fn older<T>(
    rows: &mut Vec<T>,
    page: i64,
    link: &str,
    id: impl Fn(&T) -> Uuid,
) -> Option<String> {
    let last = cut(rows, page, id)?;
    Some(if link.is_empty() {
        format!("before={last}")
    } else {
        format!("{link}&before={last}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_cursor_is_after_now_and_survives_a_link() {
        let newest = Cursor::newest();
        assert!(newest.time() > OffsetDateTime::now_utc());
        assert_eq!(Cursor::decode(&newest.encode()), Some(newest));
    }

    #[test]
    fn a_page_is_cut_with_the_key_of_its_last_row_only_when_more_follow() {
        let mut rows: Vec<i64> = (0..=50).collect();
        assert_eq!(cut(&mut rows, 50, |n| *n), Some(49));
        assert_eq!(rows.len(), 50);
        let mut rows: Vec<i64> = (0..50).collect();
        assert_eq!(cut(&mut rows, 50, |n| *n), None);
    }

    #[test]
    fn the_older_page_starts_after_the_last_row_shown() {
        let ids: Vec<Uuid> = (0..4).map(|_| Uuid::now_v7()).collect();
        let mut rows = ids.clone();
        assert_eq!(
            older(&mut rows, 3, "to=a", |r| *r),
            Some(format!("to=a&before={}", ids[2]))
        );
        assert_eq!(rows.len(), 3);
        let mut rows = ids[..3].to_vec();
        assert_eq!(older(&mut rows, 3, "", |r| *r), None);
        let mut rows = ids.clone();
        assert_eq!(
            older(&mut rows, 3, "", |r| *r),
            Some(format!("before={}", ids[2]))
        );
    }
}
