//! Small value rules shared by features: bounded free text and http(s) links.

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
