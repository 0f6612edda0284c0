//! How values read to people: dates, moments, counts, percentages and averages.
//! Pages use them through the askama filters in [`filters`] (`|date`, `|when`,
//! `|count`, `|money`, `|or_dash`); messages and views call the functions.

use time::{Date, OffsetDateTime, macros::format_description};

/// "25 Nov 2026"
pub fn date(t: OffsetDateTime) -> String {
    day(t.date())
}

/// A calendar day: "25 Nov 2026".
pub fn day(d: Date) -> String {
    d.format(format_description!(
        "[day padding:none] [month repr:short] [year]"
    ))
    .unwrap_or_default()
}

/// An average kept in tenths, for people: 43 → "4.3".
pub fn tenths(v: i64) -> String {
    format!("{}.{}", v / 10, v % 10)
}

/// A moment: "25 Nov 2026, 14:05 UTC".
pub fn when(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    t.format(format_description!(
        "[day padding:none] [month repr:short] [year], [hour]:[minute] UTC"
    ))
    .unwrap_or_default()
}

/// A rate in parts per million as a percentage for people: 16,000 → "1.60%",
/// 1,234,567 → "123%".
pub fn percent_ppm(ppm: i64) -> String {
    let pct = ppm as f64 / 10_000.0;
    if pct >= 100.0 {
        format!("{pct:.0}%")
    } else {
        format!("{pct:.2}%")
    }
}

/// "12,345"
pub fn count(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Anything that falls on a day: a calendar date or a moment.
pub trait Dated {
    fn day(&self) -> Date;
}

impl Dated for Date {
    fn day(&self) -> Date {
        *self
    }
}

impl Dated for OffsetDateTime {
    fn day(&self) -> Date {
        self.to_offset(time::UtcOffset::UTC).date()
    }
}

impl<T: Dated> Dated for &T {
    fn day(&self) -> Date {
        (**self).day()
    }
}

/// Whatever a template counts: stored integers, lengths, and references to
/// them (templates hand over fields by reference and method results by value).
pub trait Countable {
    fn count_value(&self) -> i64;
}

macro_rules! countable {
    ($($t:ty),*) => {$(
        impl Countable for $t {
            fn count_value(&self) -> i64 {
                i64::try_from(*self).unwrap_or(i64::MAX)
            }
        }
    )*};
}

countable!(i16, i32, i64, u32, usize);

impl<T: Countable + ?Sized> Countable for &T {
    fn count_value(&self) -> i64 {
        (**self).count_value()
    }
}

/// An optional value as a page shows it: the value, or a dash.
pub trait OrDash {
    fn or_dash(&self) -> String;
}

impl<T: std::fmt::Display> OrDash for Option<T> {
    fn or_dash(&self) -> String {
        self.as_ref()
            .map_or_else(|| "—".to_owned(), ToString::to_string)
    }
}

impl<T: OrDash + ?Sized> OrDash for &T {
    fn or_dash(&self) -> String {
        (**self).or_dash()
    }
}

/// The filters templates use: `{{ row.created_at|date }}`, `{{ c.due_on|date }}`,
/// `{{ m.sent_at|when }}`, `{{ followers|count }}`, `{{ fee|money }}`,
/// `{{ a.tier|or_dash }}`. A module
/// that defines templates brings them in with `use crate::domain::display::filters;`.
pub mod filters {
    use std::{borrow::Borrow, fmt::Display};

    use askama::{Result, Values};
    use time::OffsetDateTime;

    use super::Dated;
    use crate::domain::Money;

    /// The day of a date or a moment: "25 Nov 2026".
    #[askama::filter_fn]
    pub fn date(value: impl Dated, _: &dyn Values) -> Result<String> {
        Ok(super::day(value.day()))
    }

    /// A moment, to the minute: "25 Nov 2026, 14:05 UTC".
    #[askama::filter_fn]
    pub fn when(value: &OffsetDateTime, _: &dyn Values) -> Result<String> {
        Ok(super::when(*value))
    }

    /// A count with thousands separators: "12,345".
    #[askama::filter_fn]
    pub fn count<T: super::Countable>(value: T, _: &dyn Values) -> Result<String> {
        Ok(super::count(value.count_value()))
    }

    /// A count, or a dash where it is unknown: "12,345", "—".
    #[askama::filter_fn]
    pub fn count_or_dash(value: &Option<i64>, _: &dyn Values) -> Result<String> {
        Ok(value.map_or_else(|| "—".to_owned(), super::count))
    }

    /// An amount, or a dash where there is none: "$1,250.00", "—". Takes a
    /// field (by reference) or a method's result (by value) alike.
    #[askama::filter_fn]
    pub fn money<V: Borrow<Option<Money>>>(value: V, _: &dyn Values) -> Result<String> {
        Ok(dash_for_none(value.borrow()))
    }

    /// A value as people read it (a tier's or platform's label), or a dash.
    #[askama::filter_fn]
    pub fn or_dash<V: super::OrDash>(value: V, _: &dyn Values) -> Result<String> {
        Ok(value.or_dash())
    }

    fn dash_for_none<T: Display>(value: &Option<T>) -> String {
        value
            .as_ref()
            .map_or_else(|| "—".to_owned(), ToString::to_string)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn counts_get_thousands_separators() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(count(-12_345), "-12,345");
    }

    #[test]
    fn dates_read_naturally() {
        assert_eq!(date(datetime!(2026-11-05 10:00 UTC)), "5 Nov 2026");
        assert_eq!(
            when(datetime!(2026-11-25 14:05 +01:00)),
            "25 Nov 2026, 13:05 UTC"
        );
    }
}
