//! Text people type: bounded free text, required text, single lines, lists one
//! per line or comma-separated, niches and country codes. Each parser trims, checks
//! and returns the value, or the message to show beside the field.

use super::display::count;

/// Trimmed free text of at most `max` characters; line breaks allowed.
pub fn bounded_text(input: &str, what: &str, max: usize) -> Result<String, String> {
    let text = input.trim();
    let n = text.chars().count();
    if n > max {
        return Err(format!(
            "Keep {what} to {} characters or fewer (this has {}).",
            count(max as i64),
            count(n as i64)
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(format!("Remove control characters from {what}."));
    }
    Ok(text.to_owned())
}

/// Like [`bounded_text`], but empty input is refused with `missing`, which tells
/// the person what to write.
pub fn required_text(input: &str, what: &str, max: usize, missing: &str) -> Result<String, String> {
    let text = bounded_text(input, what, max)?;
    if text.is_empty() {
        return Err(missing.to_owned());
    }
    Ok(text)
}

/// Trimmed, non-empty, single-line text of at most `max` characters.
pub fn single_line(input: &str, what: &str, max: usize) -> Result<String, String> {
    let text = input.trim();
    if text.is_empty() {
        return Err(format!("Enter {what}."));
    }
    if text.chars().count() > max {
        return Err(format!("Keep {what} to {max} characters or fewer."));
    }
    if text.chars().any(char::is_control) {
        return Err(format!(
            "Remove line breaks and control characters from {what}."
        ));
    }
    Ok(text.to_owned())
}

/// Like [`single_line`], but empty input is fine and gives an empty string.
pub fn optional_line(input: &str, what: &str, max: usize) -> Result<String, String> {
    if input.trim().is_empty() {
        Ok(String::new())
    } else {
        single_line(input, what, max)
    }
}

/// One item per line, bullets ("•", "-", "*") stripped, blank lines dropped; at
/// most 30 items of at most 300 characters.
pub fn lines(input: &str, what: &str) -> Result<Vec<String>, String> {
    let items: Vec<String> = input
        .lines()
        .map(|l| {
            l.trim()
                .trim_start_matches(['•', '-', '*'])
                .trim()
                .to_owned()
        })
        .filter(|l| !l.is_empty())
        .collect();
    if items.len() > 30 {
        return Err(format!("Keep {what} to 30 lines or fewer."));
    }
    if items.iter().any(|i| i.chars().count() > 300) {
        return Err(format!("Keep each of {what} to 300 characters or fewer."));
    }
    Ok(items)
}

/// A comma-separated list, trimmed, without blanks or repeats (ignoring case).
pub fn comma_list(input: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in input.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(item)) {
            out.push(item.to_owned());
        }
    }
    out
}

/// Up to 10 niches, lower-cased so that filters match whatever case was typed.
pub fn niches(input: &str) -> Result<Vec<String>, String> {
    let niches: Vec<String> = comma_list(input).iter().map(|n| n.to_lowercase()).collect();
    if niches.len() > 10 {
        Err("List at most 10 niches.".to_owned())
    } else if niches.iter().any(|n| n.chars().count() > 40) {
        Err("Keep each niche to 40 characters or fewer.".to_owned())
    } else {
        Ok(niches)
    }
}

/// An ISO 3166-1 alpha-2 code such as US or DE, upper-cased.
pub fn country_code(input: &str) -> Result<String, String> {
    let code = input.trim().to_ascii_uppercase();
    if code.len() == 2 && code.chars().all(|c| c.is_ascii_alphabetic()) {
        Ok(code)
    } else {
        Err(format!(
            "Use two-letter country codes such as US, GB, DE ({:?} is not one).",
            input.trim()
        ))
    }
}

/// `None` for an empty input, else what `parse` makes of it: for optional
/// filters and fields.
pub fn optional<T>(
    input: &str,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Result<Option<T>, String> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        parse(input).map(Some)
    }
}

/// Text for a CSV cell: text a spreadsheet would run as a formula is kept
/// as text.
pub fn spreadsheet_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_text_is_trimmed_and_limited() {
        assert_eq!(
            bounded_text("  hi\nthere ", "x", 10),
            Ok("hi\nthere".to_owned())
        );
        let err = bounded_text(&"a".repeat(10_001), "your bio", 10_000).expect_err("too long");
        assert!(
            err.contains("10,000 characters or fewer (this has 10,001)"),
            "{err}"
        );
        assert!(bounded_text("bell\u{7}", "x", 10).is_err());
    }

    #[test]
    fn required_text_says_what_to_write() {
        assert_eq!(
            required_text("  ", "a pitch", 10, "Write your pitch."),
            Err("Write your pitch.".to_owned())
        );
        assert_eq!(
            required_text(" hi ", "a pitch", 10, "-"),
            Ok("hi".to_owned())
        );
    }

    #[test]
    fn single_line_text_is_required_and_flat() {
        assert!(single_line("  ", "a name", 10).is_err());
        assert!(single_line("a\nb", "a name", 10).is_err());
        assert_eq!(single_line(" Acme ", "a name", 10), Ok("Acme".to_owned()));
    }
}
