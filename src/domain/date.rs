//! Calendar days: today's date, and dates as typed in forms (YYYY-MM-DD).

use time::{Date, OffsetDateTime, macros::format_description};

/// Today in UTC, the day every deadline and "overdue" is judged against.
pub fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

/// A date as a date field sends it.
pub fn parse_date(input: &str, what: &str) -> Result<Date, String> {
    if input.trim().is_empty() {
        return Err(format!("Enter {what}."));
    }
    Date::parse(input.trim(), format_description!("[year]-[month]-[day]"))
        .map_err(|_| format!("Enter {what} as a date, YYYY-MM-DD."))
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn dates_come_as_year_month_day() {
        assert_eq!(
            parse_date(" 2026-11-25 ", "the date"),
            Ok(date!(2026 - 11 - 25))
        );
        assert_eq!(
            parse_date("", "the date"),
            Err("Enter the date.".to_owned())
        );
        assert!(parse_date("25/11/2026", "the date").is_err());
    }
}
