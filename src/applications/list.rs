//! The lists of applications, free of HTTP and SQL: a campaign's for its
//! brand and a creator's own, each read as keyset pages of [`PAGE`] rows with
//! the count per status beside them. A page ends with a cursor (the last row's
//! sort value and id) and the next page continues after it, so the 100th page
//! costs what the first does however many applications a campaign draws.

use serde::Deserialize;

use super::domain::Status;
pub use crate::web::keyset::Cursor;

/// Rows per page.
pub const PAGE: i64 = 50;

/// Orders of a campaign's list; a creator's own list is always newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Newest,
    FeeLowest,
    /// Authenticity score, highest first; creators not yet scored come last.
    ScoreHighest,
}

impl Sort {
    fn parse(s: &str) -> Sort {
        match s {
            "fee" => Sort::FeeLowest,
            "score" => Sort::ScoreHighest,
            _ => Sort::Newest,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Sort::Newest => "newest",
            Sort::FeeLowest => "fee",
            Sort::ScoreHighest => "score",
        }
    }
}

/// The query string of a list. Anything it can't read is ignored: a stale or
/// edited link still shows the list from its start.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub status: String,
    pub sort: String,
    pub after: String,
    pub page: String,
}

/// What a list shows: which status, in which order, from where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filter {
    pub status: Option<Status>,
    pub sort: Sort,
    pub after: Option<Cursor>,
    /// Only for saying "page 3"; the cursor decides what is shown.
    pub page: i64,
}

impl ListQuery {
    pub fn filter(&self) -> Filter {
        let after = Cursor::decode(&self.after);
        Filter {
            status: Status::parse(&self.status).ok(),
            sort: Sort::parse(&self.sort),
            after,
            page: if after.is_some() {
                self.page
                    .trim()
                    .parse::<i64>()
                    .unwrap_or(2)
                    .clamp(2, 1_000_000)
            } else {
                1
            },
        }
    }
}

impl Filter {
    /// The same list from its first page, with another status.
    pub fn with_status(&self, status: Option<&Status>) -> String {
        Filter {
            status: status.copied(),
            after: None,
            ..*self
        }
        .query()
    }

    /// The same list from its first page.
    pub fn first(&self) -> String {
        Filter {
            after: None,
            ..*self
        }
        .query()
    }

    /// The page after this one, which ended at `last`.
    pub fn next(&self, last: &Cursor) -> String {
        Filter {
            after: Some(*last),
            page: self.page + 1,
            ..*self
        }
        .query()
    }

    /// The query string with its `?`, or nothing; parameters left at their
    /// default are left out.
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(s) = self.status {
            parts.push(format!("status={}", s.key()));
        }
        if self.sort != Sort::Newest {
            parts.push(format!("sort={}", self.sort.key()));
        }
        if let Some(c) = self.after {
            parts.push(format!("after={}", c.encode()));
            parts.push(format!("page={}", self.page));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }

    /// The first row's position on this page, counted from 1; exact when
    /// the pages before were all full, which keyset pages are.
    pub fn first_row(&self) -> i64 {
        (self.page - 1) * PAGE + 1
    }

    /// The last row's position, with `shown` rows on this page.
    pub fn last_row(&self, shown: usize) -> i64 {
        self.first_row() + i64::try_from(shown).unwrap_or(PAGE) - 1
    }

    /// Whether the list shows `status` (`None`: every status).
    pub fn shows(&self, status: Option<&Status>) -> bool {
        self.status.as_ref() == status
    }

    /// The status shown, in words: "All" for every status.
    pub fn status_label(&self) -> &'static str {
        self.status.map_or("All", Status::label)
    }
}

/// How many applications have each status.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts(pub Vec<(Status, i64)>);

impl Counts {
    /// The counts of each status in the order of [`Status::ALL`], as the
    /// database keeps them.
    pub fn of_statuses(counts: [i32; 6]) -> Counts {
        Counts(
            Status::ALL
                .iter()
                .zip(counts)
                .map(|(s, n)| (*s, i64::from(n)))
                .collect(),
        )
    }

    pub fn total(&self) -> i64 {
        self.0.iter().map(|(_, n)| n).sum()
    }

    pub fn of(&self, status: &Option<Status>) -> i64 {
        match *status {
            None => self.total(),
            Some(s) => self.0.iter().find(|(t, _)| *t == s).map_or(0, |(_, n)| *n),
        }
    }

    /// Statuses that have applications, in the order statuses are listed.
    pub fn present(&self) -> impl Iterator<Item = (Status, i64)> + '_ {
        Status::ALL
            .iter()
            .map(|s| (*s, self.of(&Some(*s))))
            .filter(|(_, n)| *n > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;
    use uuid::Uuid;

    #[test]
    fn cursors_round_trip_and_anything_else_starts_over() {
        let c = Cursor::at(datetime!(2026-12-06 04:30:01.123456 UTC), Uuid::now_v7());
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(c.time(), datetime!(2026-12-06 04:30:01.123456 UTC));
        let q = |after: &str| ListQuery {
            after: after.into(),
            page: "7".into(),
            ..ListQuery::default()
        };
        assert_eq!(q(&c.encode()).filter().after, Some(c));
        assert_eq!(q(&c.encode()).filter().page, 7);
        for garbage in ["", "12", "x_y", "1_not-a-uuid", "_"] {
            let f = q(garbage).filter();
            assert_eq!((f.after, f.page), (None, 1), "{garbage}");
        }
    }

    #[test]
    fn links_keep_the_filter_and_drop_defaults() {
        let f = ListQuery {
            status: "submitted".into(),
            sort: "fee".into(),
            ..ListQuery::default()
        }
        .filter();
        assert_eq!(f.query(), "?status=submitted&sort=fee");
        let last = Cursor {
            value: 50_000,
            id: Uuid::nil(),
        };
        let next = f.next(&last);
        assert_eq!(
            next,
            format!(
                "?status=submitted&sort=fee&after=50000_{}&page=2",
                Uuid::nil()
            )
        );
        assert_eq!(f.with_status(None), "?sort=fee");
        assert_eq!(ListQuery::default().filter().query(), "");
        assert_eq!(
            ListQuery {
                sort: "sideways".into(),
                status: "lost".into(),
                ..ListQuery::default()
            }
            .filter(),
            ListQuery::default().filter()
        );
    }

    #[test]
    fn counts_total_and_list_only_statuses_present() {
        let c = Counts::of_statuses([40, 0, 0, 3, 0, 0]);
        assert_eq!(c.total(), 43);
        assert_eq!(c.of(&Some(Status::Accepted)), 0);
        let present: Vec<_> = c.present().collect();
        assert_eq!(
            present,
            vec![(Status::Submitted, 40), (Status::Declined, 3)]
        );
    }
}
