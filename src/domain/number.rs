//! Numbers people type: counts, audience figures with shorthand ("12.5k"),
//! percentages kept in hundredths, and small whole numbers in a range.

use std::{fmt::Display, str::FromStr};

use super::display::count;

/// "12.5" → 1250 hundredths of a percent; more than 0 and at most 100.
pub fn parse_percent(input: &str) -> Result<i64, String> {
    let text = input.trim().trim_end_matches('%').trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if text.is_empty()
        || !digits(whole)
        || !digits(fraction)
        || (whole.is_empty() && fraction.is_empty())
    {
        return Err("Enter a percentage like 12.5.".to_owned());
    }
    if fraction.len() > 2 {
        return Err("Use at most two decimals.".to_owned());
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole
            .parse()
            .map_err(|_| "Enter a percentage up to 100.".to_owned())?
    };
    let fraction: i64 = format!("{fraction:0<2}").parse().unwrap_or(0);
    let bp = whole.saturating_mul(100).saturating_add(fraction);
    if bp <= 0 || bp > 10_000 {
        return Err("Enter a percentage above 0 and at most 100.".to_owned());
    }
    Ok(bp)
}

/// 450 → "4.5", 1000 → "10".
pub fn basis_points_text(bp: i64) -> String {
    let text = format!("{}.{:02}", bp / 100, bp % 100);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A whole number above zero and at most `max`, separators allowed: "1,000".
pub fn parse_count(input: &str, what: &str, max: i64) -> Result<i64, String> {
    let cleaned: String = input
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '_'))
        .collect();
    let n: i64 = cleaned
        .parse()
        .map_err(|_| format!("Enter {what} as a whole number."))?;
    if n <= 0 {
        return Err(format!("Enter {what} above zero."));
    }
    if n > max {
        return Err(format!("Enter {what} of at most {}.", count(max)));
    }
    Ok(n)
}

/// A figure as typed: digits with optional separators, or shorthand such as
/// "12.5k" or "1.2m", which is how creators quote their audience.
pub fn parse_figure(input: &str, what: &str, max: i64, required: bool) -> Result<i64, String> {
    let typed: String = input
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '_'))
        .collect::<String>()
        .to_lowercase();
    if typed.is_empty() {
        return if required {
            Err(format!("Enter {what}."))
        } else {
            Ok(0)
        };
    }
    let (number, multiplier) = match typed.chars().last() {
        Some('k') => (&typed[..typed.len() - 1], 1_000.0),
        Some('m') => (&typed[..typed.len() - 1], 1_000_000.0),
        Some('b') => (&typed[..typed.len() - 1], 1_000_000_000.0),
        _ => (typed.as_str(), 1.0),
    };
    if number.starts_with('-') {
        return Err(format!("Enter {what} as zero or more."));
    }
    let value = if multiplier == 1.0 {
        number.parse::<i64>().ok()
    } else {
        number
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .map(|v| (v * multiplier).round() as i64)
    };
    match value {
        Some(v) if v < 0 => Err(format!("Enter {what} as zero or more.")),
        Some(v) if v > max => Err(format!(
            "{} is more than any platform has; enter {what} of at most {}.",
            count(v),
            count(max)
        )),
        Some(v) => Ok(v),
        None => Err(format!(
            "Enter {what} as a whole number, e.g. 12500 or 12.5k."
        )),
    }
}

/// A whole number from `min` to `max`, as typed in a small field.
pub fn whole_number<T>(input: &str, what: &str, min: T, max: T) -> Result<T, String>
where
    T: FromStr + PartialOrd + Display + Copy,
{
    match input.trim().parse::<T>() {
        Ok(n) if n >= min && n <= max => Ok(n),
        _ => Err(format!(
            "Enter {what} as a whole number from {min} to {max}."
        )),
    }
}

/// Like [`whole_number`], with `default` for a field left empty.
pub fn whole_number_or<T>(input: &str, what: &str, default: T, min: T, max: T) -> Result<T, String>
where
    T: FromStr + PartialOrd + Display + Copy,
{
    if input.trim().is_empty() {
        Ok(default)
    } else {
        whole_number(input, what, min, max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_hundredths_between_zero_and_one_hundred() {
        assert_eq!(parse_percent("12.5"), Ok(1250));
        assert_eq!(parse_percent("100"), Ok(10_000));
        assert_eq!(parse_percent("0.01%"), Ok(1));
        for bad in ["0", "100.01", "-3", "abc", "1.234", ""] {
            assert!(parse_percent(bad).is_err(), "{bad:?}");
        }
        assert_eq!(basis_points_text(450), "4.5");
        assert_eq!(basis_points_text(1000), "10");
    }

    #[test]
    fn figures_accept_separators_and_shorthand() {
        let f = |s| parse_figure(s, "the followers", 10_000_000_000, true);
        assert_eq!(f("12,500"), Ok(12_500));
        assert_eq!(f("12.5k"), Ok(12_500));
        assert_eq!(f("1.2M"), Ok(1_200_000));
        assert_eq!(f("0"), Ok(0));
        assert!(f("-5").unwrap_err().contains("zero or more"));
        assert!(f("lots").unwrap_err().contains("whole number"));
        assert!(f("").unwrap_err().contains("Enter the followers"));
        assert!(
            f("99999999999")
                .unwrap_err()
                .contains("more than any platform has")
        );
        assert!(f("1e400k").is_err());
    }

    #[test]
    fn small_numbers_stay_in_their_range() {
        assert_eq!(whole_number("3", "the rounds", 0, 10), Ok(3));
        assert_eq!(
            whole_number("11", "the rounds", 0, 10),
            Err("Enter the rounds as a whole number from 0 to 10.".to_owned())
        );
        assert!(whole_number::<i32>("two", "the rounds", 0, 10).is_err());
        assert_eq!(whole_number_or(" ", "the rounds", 2_i16, 0, 10), Ok(2));
    }
}
