//! Formatting dates and counts for people.

use time::{OffsetDateTime, macros::format_description};

/// "25 Nov 2026"
pub fn date(t: OffsetDateTime) -> String {
    t.format(format_description!(
        "[day padding:none] [month repr:short] [year]"
    ))
    .unwrap_or_default()
}

/// An average kept in tenths, for people: 43 → "4.3".
pub fn tenths(v: i64) -> String {
    format!("{}.{}", v / 10, v % 10)
}

/// "25 Nov 2026, 14:05 UTC"
pub fn date_time(t: OffsetDateTime) -> String {
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
            date_time(datetime!(2026-11-25 14:05 +01:00)),
            "25 Nov 2026, 13:05 UTC"
        );
    }
}
