//! Links people give: only absolute http and https addresses, so a stored link
//! can never run script when shown.

/// An absolute http or https address, or nothing when `optional` and left empty.
pub fn http_url(input: &str, what: &str, optional: bool) -> Result<String, String> {
    http_url_within(input, what, optional, 300)
}

/// [`http_url`] for addresses that may run longer (a landing page with its
/// own query string), up to `max` characters.
pub fn http_url_within(
    input: &str,
    what: &str,
    optional: bool,
    max: usize,
) -> Result<String, String> {
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
    if url.chars().count() > max {
        return Err(format!("Keep {what} to {max} characters or fewer."));
    }
    Ok(url.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

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
