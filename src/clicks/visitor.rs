//! Who clicked, without keeping who they are: a keyed hash of address and
//! browser (enough to count a person once per link), the referring site's
//! host, and whether the request came from a crawler or a prefetch rather than
//! a person.

use std::net::IpAddr;

use axum::http::{HeaderMap, header};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The key of the visitor hash, derived from the application secret so every
/// instance counts the same person the same way. Without it a stored hash
/// cannot be turned back into an address by trying them all.
#[derive(Clone)]
pub struct VisitorKey([u8; 32]);

impl VisitorKey {
    pub fn from_secret(secret: &[u8]) -> Self {
        // HMAC takes a key of any length: the error is unreachable, and the
        // key's hash would serve as well.
        let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(secret) else {
            return VisitorKey(Sha256::digest(secret).into());
        };
        mac.update(b"liaison click visitor v1");
        VisitorKey(mac.finalize().into_bytes().into())
    }

    /// Sixteen bytes of HMAC-SHA256 over the address and the user agent.
    pub fn visitor(&self, ip: IpAddr, user_agent: &str) -> [u8; 16] {
        let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(&self.0) else {
            // Unreachable (a 32-byte key); one visitor for all would only undercount.
            return [0; 16];
        };
        match ip {
            IpAddr::V4(v4) => mac.update(&v4.octets()),
            IpAddr::V6(v6) => mac.update(&v6.octets()),
        }
        mac.update(&[0]);
        mac.update(user_agent.as_bytes());
        let digest = mac.finalize().into_bytes();
        let mut out = [0u8; 16];
        out.copy_from_slice(&digest[..16]);
        out
    }
}

/// The host of the `Referer`, lower case, if it names one.
pub fn referrer_host(headers: &HeaderMap) -> Option<String> {
    let referrer = headers.get(header::REFERER)?.to_str().ok()?;
    let url = url::Url::parse(referrer).ok()?;
    let host = url.host_str()?.to_ascii_lowercase();
    (!host.is_empty() && host.len() <= 253).then_some(host)
}

/// Parts of user agents that crawlers, link previewers and scripts send.
/// `bot` covers Googlebot, bingbot, Twitterbot, Slackbot, Discordbot,
/// LinkedInBot and TelegramBot; `HeadlessChrome` is automation, not a reader.
const AUTOMATED: [&str; 27] = [
    "bot",
    "crawl",
    "spider",
    "slurp",
    "facebookexternalhit",
    "facebookcatalog",
    "whatsapp",
    "skypeuripreview",
    "embedly",
    "quora link preview",
    "pinterest/",
    "vkshare",
    "preview",
    "headlesschrome",
    "phantomjs",
    "lighthouse",
    "python-requests",
    "python-urllib",
    "curl/",
    "wget/",
    "go-http-client",
    "java/",
    "okhttp",
    "axios/",
    "node-fetch",
    "libwww-perl",
    "httpclient",
];

/// Whether a request is a crawler, a link preview, a script or a prefetch
/// rather than a person following the link. Such clicks are stored but not
/// counted as clicks or visitors.
pub fn is_bot(headers: &HeaderMap) -> bool {
    let prefetch = ["purpose", "sec-purpose", "x-purpose", "x-moz"]
        .iter()
        .filter_map(|name| headers.get(*name)?.to_str().ok())
        .any(|v| {
            let v = v.to_ascii_lowercase();
            v.contains("prefetch") || v.contains("preview") || v.contains("prerender")
        });
    if prefetch {
        return true;
    }
    let agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    // A phone maker whose name ends in "bot" is the one known false match.
    let agent = agent.replace("cubot", "");
    agent.trim().is_empty() || AUTOMATED.iter().any(|part| agent.contains(part))
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn with(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in pairs {
            h.insert(*name, HeaderValue::from_str(value).expect("header"));
        }
        h
    }

    const PHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

    #[test]
    fn people_are_not_bots_but_crawlers_previews_and_prefetches_are() {
        assert!(!is_bot(&with(&[("user-agent", PHONE)])));
        assert!(!is_bot(&with(&[(
            "user-agent",
            "Mozilla/5.0 (Linux; Android 12; CUBOT KingKong) Chrome/120 Mobile"
        )])));
        for agent in [
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "facebookexternalhit/1.1",
            "Slackbot-LinkExpanding 1.0",
            "WhatsApp/2.23.20",
            "curl/8.5.0",
            "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/131.0 Safari/537.36",
            "",
        ] {
            assert!(is_bot(&with(&[("user-agent", agent)])), "{agent}");
        }
        assert!(is_bot(&HeaderMap::new()));
        assert!(is_bot(&with(&[
            ("user-agent", PHONE),
            ("sec-purpose", "prefetch;prerender")
        ])));
        assert!(is_bot(&with(&[
            ("user-agent", PHONE),
            ("x-moz", "prefetch")
        ])));
    }

    #[test]
    fn the_same_person_hashes_the_same_and_nothing_of_the_address_is_kept() {
        let key = VisitorKey::from_secret(b"a secret of sufficient length, thirty-two+");
        let ip: IpAddr = "203.0.113.9".parse().expect("ip");
        let a = key.visitor(ip, PHONE);
        assert_eq!(a, key.visitor(ip, PHONE));
        assert_ne!(a, key.visitor("203.0.113.10".parse().expect("ip"), PHONE));
        assert_ne!(a, key.visitor(ip, "another browser"));
        let other = VisitorKey::from_secret(b"another secret of sufficient length, 32+");
        assert_ne!(a, other.visitor(ip, PHONE));
        assert!(!a.windows(4).any(|w| w == [203, 0, 113, 9]));
    }

    #[test]
    fn the_referrer_is_kept_as_its_host_only() {
        let h = with(&[(
            "referer",
            "https://L.Instagram.com/?u=https%3A%2F%2Fliaison&e=secret",
        )]);
        assert_eq!(referrer_host(&h).as_deref(), Some("l.instagram.com"));
        assert_eq!(referrer_host(&with(&[("referer", "not a url")])), None);
        assert_eq!(referrer_host(&HeaderMap::new()), None);
    }
}
