//! Checking a draft's caption for its advertising disclosure, as the US FTC
//! (Endorsement Guides, 16 CFR 255) and the UK ASA (CAP Influencers' guide)
//! ask: a marker the market accepts, not an ambiguous one alone, early enough
//! to be seen before the caption's fold, and not buried in a trailing cluster
//! of hashtags. Text cannot see a video, so for video and audio formats the
//! creator states where the disclosure is. Pure rules: no HTTP, no SQL.

mod markers;

use serde::{Deserialize, Serialize};

pub use markers::Market;
use markers::{find_accepted, find_ambiguous};

use crate::domain::{Format, Platform};

/// Everything the check needs to know about the draft and its brief.
pub struct Draft<'a> {
    pub caption: &'a str,
    pub platform: Platform,
    pub format: Format,
    /// The brief's disclosure rule, as the brand wrote it.
    pub rule: &'a str,
    /// Where the campaign runs, as two-letter country codes.
    pub countries: &'a [String],
    pub brand_name: &'a str,
    /// For video and audio: where the creator says the disclosure is.
    pub statement: Option<&'a str>,
}

/// One thing the check looked at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub ok: bool,
    pub text: String,
    /// The words of the caption it is about, quoted.
    pub evidence: Option<String>,
}

/// The check's result, kept with the draft it was made on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisclosureCheck {
    pub markets: Vec<Market>,
    pub passed: bool,
    pub findings: Vec<Finding>,
    /// Where the brand's disclosure score starts: 5 when everything passes,
    /// 3 when a marker is there but placed badly, 1 when it is missing or
    /// ambiguous.
    pub suggested_score: i16,
}

impl DisclosureCheck {
    pub fn markets_text(&self) -> String {
        self.markets
            .iter()
            .map(|m| m.label())
            .collect::<Vec<_>>()
            .join(" and ")
    }
}

/// How many characters a platform shows before "more": a disclosure after it
/// is easy to miss.
pub fn fold(platform: Platform) -> usize {
    match platform {
        Platform::Instagram => 125,
        Platform::Tiktok | Platform::Youtube | Platform::Twitch | Platform::Podcast => 180,
        Platform::X => 280,
        Platform::Linkedin => 140,
        Platform::Pinterest => 100,
        Platform::Blog => 400,
    }
}

/// Formats whose disclosure must be in the content itself, seen or heard.
pub fn needs_statement(format: Format) -> bool {
    matches!(
        format,
        Format::Story | Format::ShortVideo | Format::LongVideo | Format::Live | Format::Podcast
    )
}

/// The markets whose rules apply: the UK's when the campaign runs there, the
/// US FTC's when it runs there, anywhere else, or everywhere (the baseline
/// Liaison knows). A campaign in both must satisfy both.
pub fn markets(countries: &[String]) -> Vec<Market> {
    let uk = countries.iter().any(|c| c == "GB" || c == "UK");
    let elsewhere = countries.is_empty() || countries.iter().any(|c| c != "GB" && c != "UK");
    let mut m = Vec::new();
    if elsewhere {
        m.push(Market::Us);
    }
    if uk {
        m.push(Market::Uk);
    }
    m
}

/// A short quote of the caption around a place in it.
fn quote(caption: &str, at: usize, len: usize) -> String {
    let start = caption[..at]
        .char_indices()
        .rev()
        .nth(30)
        .map_or(0, |(i, _)| i);
    let end = caption[at + len..]
        .char_indices()
        .nth(30)
        .map_or(caption.len(), |(i, _)| at + len + i);
    let mut q = String::new();
    if start > 0 {
        q.push('…');
    }
    q.push_str(caption[start..end].trim());
    if end < caption.len() {
        q.push('…');
    }
    format!("“{q}”")
}

/// Where the trailing cluster of hashtags and mentions starts (three or more
/// at the very end), as a byte offset.
fn trailing_cluster(caption: &str) -> Option<usize> {
    let mut start = None;
    let mut tags = 0;
    let mut rest = caption.trim_end();
    while let Some((before, last)) = rest.rsplit_once(char::is_whitespace) {
        if last.starts_with('#') || last.starts_with('@') {
            tags += 1;
            start = Some(before.len() + 1);
            rest = before.trim_end();
        } else if last.is_empty() {
            rest = before;
        } else {
            break;
        }
    }
    if !rest.contains(char::is_whitespace) && (rest.starts_with('#') || rest.starts_with('@')) {
        tags += 1;
        start = Some(0);
    }
    (tags >= 3).then_some(start).flatten()
}

pub fn check(d: &Draft<'_>) -> DisclosureCheck {
    let markets = markets(d.countries);
    let mut findings = Vec::new();
    // A marker must be accepted in every market the campaign runs in; if the
    // brief names one, that one.
    let required: Vec<&str> = markers::named_in(d.rule, &markets);
    let accepted = find_accepted(d.caption, &markets, &required);
    let ambiguous = find_ambiguous(d.caption, &markets, d.brand_name);
    let fold = fold(d.platform);
    let cluster = trailing_cluster(d.caption);
    let mut score = 5;

    match accepted.first() {
        None => {
            score = 1;
            let wanted = if required.is_empty() {
                markers::accepted_text(&markets)
            } else {
                required.join(" or ")
            };
            findings.push(Finding {
                ok: false,
                text: format!(
                    "No disclosure the {} rules accept: add {wanted}.",
                    markets
                        .iter()
                        .map(|m| m.label())
                        .collect::<Vec<_>>()
                        .join(" and ")
                ),
                evidence: None,
            });
            if let Some(a) = ambiguous.first() {
                findings.push(Finding {
                    ok: false,
                    text: format!(
                        "“{}” alone is ambiguous: audiences don't read it as advertising.",
                        a.text
                    ),
                    evidence: Some(quote(d.caption, a.at, a.text.len())),
                });
            }
        }
        Some(m) => {
            findings.push(Finding {
                ok: true,
                text: format!("Disclosed with “{}”.", m.text),
                evidence: Some(quote(d.caption, m.at, m.text.len())),
            });
            let first_visible = accepted
                .iter()
                .find(|f| cluster.is_none_or(|c| f.at < c))
                .copied();
            let chars_before = d.caption[..m.at].chars().count();
            if chars_before + m.text.chars().count() > fold {
                score = score.min(3);
                findings.push(Finding {
                    ok: false,
                    text: format!(
                        "It comes after the first {fold} characters {} shows before “more”: move it to the start.",
                        d.platform.label()
                    ),
                    evidence: Some(quote(d.caption, m.at, m.text.len())),
                });
            } else {
                findings.push(Finding {
                    ok: true,
                    text: format!(
                        "It is within the first {fold} characters, before {}'s fold.",
                        d.platform.label()
                    ),
                    evidence: None,
                });
            }
            if first_visible.is_none() {
                score = score.min(3);
                findings.push(Finding {
                    ok: false,
                    text: "It is buried in the cluster of hashtags at the end: put it on its own, at the start.".into(),
                    evidence: Some(quote(d.caption, m.at, m.text.len())),
                });
            }
            for a in &ambiguous {
                findings.push(Finding {
                    ok: true,
                    text: format!(
                        "“{}” is ambiguous on its own, but the clear disclosure covers it.",
                        a.text
                    ),
                    evidence: None,
                });
            }
        }
    }
    if needs_statement(d.format) {
        match d.statement.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => findings.push(Finding {
                ok: true,
                text: format!(
                    "In the {} itself, the creator says: {s}. Check it when you watch or listen.",
                    d.format.label().to_lowercase()
                ),
                evidence: None,
            }),
            None => {
                score = 1;
                findings.push(Finding {
                    ok: false,
                    text: "A video or audio disclosure must be in the content itself (spoken and on screen); the creator has not said where it is.".into(),
                    evidence: None,
                });
            }
        }
    }
    DisclosureCheck {
        passed: findings.iter().all(|f| f.ok),
        markets,
        findings,
        suggested_score: score,
    }
}

#[cfg(test)]
mod tests;
