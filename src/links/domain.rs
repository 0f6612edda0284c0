//! What a tracked link is made of: its code, and where it sends people.

use url::Url;
use uuid::Uuid;

use crate::domain::{Format, Platform};

/// The characters a code is drawn from (`new_link_code()` in the database):
/// no 0/o or 1/i/l, so a code read aloud or from a video is typed right.
const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
pub const CODE_LEN: usize = 8;

/// Whether `text` could be a code: anything else is answered without a lookup.
pub fn is_code(text: &str) -> bool {
    text.len() == CODE_LEN && text.bytes().all(|b| ALPHABET.contains(&b))
}

/// The query parameter that carries the click id to the landing page; the
/// brand's shop sends it back with the order.
pub const CLICK_PARAM: &str = "lclid";
const OURS: [&str; 5] = [
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_content",
    CLICK_PARAM,
];

/// Lower-case words joined by single hyphens, readable in an analytics report
/// (letters outside ASCII are kept; the URL encodes them).
pub fn slug(text: &str, max: usize) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut cut: String = out.chars().take(max).collect();
    while cut.ends_with('-') {
        cut.pop();
    }
    cut
}

/// Which deliverable a link is for, as the landing page's analytics shows it.
#[derive(Debug, Clone)]
pub struct LinkFor<'a> {
    pub campaign_title: &'a str,
    pub creator: &'a str,
    pub platform: Platform,
    pub format: Format,
    /// The deliverable's place in the brief, from 0.
    pub position: i16,
}

impl LinkFor<'_> {
    pub fn utm_campaign(&self) -> String {
        slug(self.campaign_title, 60)
    }

    pub fn utm_content(&self) -> String {
        format!(
            "{}-{}-{}-{}",
            slug(self.creator, 40),
            self.platform.key(),
            self.format.key().replace('_', "-"),
            self.position + 1
        )
    }
}

/// The landing page with this link's UTM parameters, replacing any the brand
/// put there itself (ours say which creator sent the visitor). `None` when the
/// landing page is not an http(s) address.
pub fn destination(landing: &str, link: &LinkFor<'_>) -> Option<Url> {
    let mut url = Url::parse(landing).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !OURS.contains(&k.as_ref()))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url.set_query(None);
    {
        let mut q = url.query_pairs_mut();
        for (k, v) in &kept {
            q.append_pair(k, v);
        }
        q.append_pair("utm_source", "liaison")
            .append_pair("utm_medium", "creator")
            .append_pair("utm_campaign", &link.utm_campaign())
            .append_pair("utm_content", &link.utm_content());
    }
    Some(url)
}

/// The destination for one click, carrying its id.
pub fn with_click(destination: &Url, click: Uuid) -> Url {
    let mut url = destination.clone();
    url.query_pairs_mut()
        .append_pair(CLICK_PARAM, &click.simple().to_string());
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link() -> LinkFor<'static> {
        LinkFor {
            campaign_title: "Spring Skincare Launch — 2027!",
            creator: "Aisha Patel",
            platform: Platform::Instagram,
            format: Format::ShortVideo,
            position: 0,
        }
    }

    #[test]
    fn codes_use_only_the_unambiguous_alphabet() {
        assert!(is_code("k7m2xq9p"));
        for bad in [
            "k7m2xq9",
            "k7m2xq9pp",
            "K7M2XQ9P",
            "k7m2xq0p",
            "k7m2xqlp",
            "../../et",
        ] {
            assert!(!is_code(bad), "{bad}");
        }
    }

    #[test]
    fn the_destination_names_campaign_creator_and_deliverable() {
        let url = destination("https://shop.example/spring?ref=home#buy", &link()).expect("url");
        assert_eq!(
            url.as_str(),
            "https://shop.example/spring?ref=home&utm_source=liaison&utm_medium=creator\
             &utm_campaign=spring-skincare-launch-2027&utm_content=aisha-patel-instagram-short-video-1#buy"
        );
        let click = Uuid::now_v7();
        let clicked = with_click(&url, click);
        assert_eq!(
            clicked
                .query_pairs()
                .find(|(k, _)| k == CLICK_PARAM)
                .map(|(_, v)| v.into_owned()),
            Some(click.simple().to_string())
        );
        assert_eq!(clicked.fragment(), Some("buy"));
    }

    #[test]
    fn utm_parameters_the_brand_set_are_replaced_not_doubled() {
        let url = destination(
            "https://shop.example/?utm_source=newsletter&utm_campaign=old&size=m",
            &link(),
        )
        .expect("url");
        let sources: Vec<_> = url
            .query_pairs()
            .filter(|(k, _)| k == "utm_source")
            .collect();
        assert_eq!(sources.len(), 1);
        assert_eq!(sources[0].1, "liaison");
        assert!(url.query_pairs().any(|(k, v)| k == "size" && v == "m"));
    }

    #[test]
    fn only_web_addresses_are_destinations() {
        assert!(destination("javascript:alert(1)", &link()).is_none());
        assert!(destination("mailto:a@b.example", &link()).is_none());
        assert!(destination("not a url", &link()).is_none());
    }

    #[test]
    fn slugs_are_lowercase_words_joined_by_hyphens() {
        assert_eq!(slug("  Léa & Co. — Summer  ", 60), "léa-co-summer");
        assert_eq!(slug("abc def", 4), "abc");
        assert_eq!(slug("!!!", 10), "");
    }
}
