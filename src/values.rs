//! Small value rules shared by features: bounded free text, http(s) links,
//! comma-separated lists, niches and country codes.

/// Trimmed free text of at most `max` characters; line breaks allowed.
pub fn bounded_text(input: &str, what: &str, max: usize) -> Result<String, String> {
    let text = input.trim();
    let n = text.chars().count();
    if n > max {
        return Err(format!(
            "Keep {what} to {} characters or fewer (this has {}).",
            crate::web::format::count(max as i64),
            crate::web::format::count(n as i64)
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

/// An absolute http or https address, or nothing when `optional` and left empty.
pub fn http_url(input: &str, what: &str, optional: bool) -> Result<String, String> {
    const MAX: usize = 300;
    let url = input.trim();
    if url.is_empty() {
        return if optional {
            Ok(String::new())
        } else {
            Err(format!("Enter {what}."))
        };
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let host = rest
        .map(|r| r.split(['/', '?', '#']).next().unwrap_or_default())
        .unwrap_or_default();
    let valid = rest.is_some()
        && !host.is_empty()
        && !host.starts_with('.')
        && !url.chars().any(|c| c.is_whitespace() || c.is_control());
    if !valid {
        return Err(format!(
            "Enter {what} as a full address starting with https://, e.g. https://example.com."
        ));
    }
    if url.chars().count() > MAX {
        return Err(format!("Keep {what} to {MAX} characters or fewer."));
    }
    Ok(url.to_owned())
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
    fn single_line_text_is_required_and_flat() {
        assert!(single_line("  ", "a name", 10).is_err());
        assert!(single_line("a\nb", "a name", 10).is_err());
        assert_eq!(single_line(" Acme ", "a name", 10), Ok("Acme".to_owned()));
    }

    #[test]
    fn only_http_and_https_links_are_accepted() {
        assert_eq!(http_url("", "a website", true), Ok(String::new()));
        assert!(http_url("", "a website", false).is_err());
        assert!(http_url("https://acme.example/about?x=1", "a website", false).is_ok());
        assert!(http_url("http://acme.example", "a website", false).is_ok());
        for bad in [
            "javascript:alert(1)",
            "acme.example",
            "ftp://acme.example",
            "https://",
            "https://exa mple.com",
        ] {
            assert!(http_url(bad, "a website", false).is_err(), "{bad}");
        }
    }
}
