//! What each market accepts as a disclosure, and what it calls ambiguous
//! (FTC Endorsement Guides, 2023; ASA/CAP Influencers' guide, 2023; the facts
//! are in the README's *Disclosure* section).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Market {
    Us,
    Uk,
}

impl Market {
    pub fn label(self) -> &'static str {
        match self {
            Market::Us => "US (FTC)",
            Market::Uk => "UK (ASA)",
        }
    }

    /// Labels the market accepts on their own, compared without case.
    fn accepted(self) -> &'static [&'static str] {
        match self {
            Market::Us => &[
                "#ad",
                "ad",
                "advertisement",
                "sponsored",
                "#sponsored",
                "paid partnership",
                "paid partnership with",
                "sponsored by",
                "paid by",
            ],
            Market::Uk => &[
                "#ad",
                "ad",
                "advert",
                "#advert",
                "advertisement",
                "advertisement feature",
            ],
        }
    }

    fn ambiguous(self) -> &'static [&'static str] {
        match self {
            Market::Us => &["#sp", "#spon", "#collab", "#partner", "#affiliate", "#aff"],
            Market::Uk => &[
                "#sp",
                "#spon",
                "#collab",
                "#partner",
                "#affiliate",
                "#aff",
                "sponsored",
                "#sponsored",
                "sponsored by",
                "brought to you by",
                "in association with",
            ],
        }
    }
}

/// A marker found in a caption: its text as written and its byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found<'a> {
    pub text: &'a str,
    pub at: usize,
}

/// Where `needle` occurs in `hay` as whole words (case ignored): not inside
/// another word or hashtag.
fn occurrences<'a>(hay: &'a str, needle: &str) -> Vec<Found<'a>> {
    let lower = hay.to_lowercase();
    // Lower-casing can change lengths outside ASCII; the markers are ASCII,
    // so matches are only taken where offsets agree.
    if lower.len() != hay.len() {
        return Vec::new();
    }
    let word = |c: char| c.is_alphanumeric() || c == '#' || c == '_';
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find(needle) {
        let at = from + i;
        let end = at + needle.len();
        let before_ok = lower[..at].chars().next_back().is_none_or(|c| !word(c));
        let after_ok = lower[end..].chars().next().is_none_or(|c| !word(c));
        if before_ok && after_ok {
            out.push(Found {
                text: &hay[at..end],
                at,
            });
        }
        from = end;
    }
    out
}

/// The markers accepted in every one of the markets (or, if the brief names
/// some, those), earliest first.
pub fn find_accepted<'a>(
    caption: &'a str,
    markets: &[Market],
    required: &[&str],
) -> Vec<Found<'a>> {
    let candidates: Vec<&str> = if required.is_empty() {
        common(markets)
    } else {
        required.to_vec()
    };
    let mut found: Vec<Found<'a>> = candidates
        .iter()
        .flat_map(|m| occurrences(caption, m))
        .collect();
    found.sort_by_key(|f| (f.at, std::cmp::Reverse(f.text.len())));
    found.dedup_by_key(|f| f.at);
    found
}

/// The labels every market accepts.
fn common(markets: &[Market]) -> Vec<&'static str> {
    let Some(first) = markets.first() else {
        return Vec::new();
    };
    first
        .accepted()
        .iter()
        .copied()
        .filter(|m| markets.iter().all(|k| k.accepted().contains(m)))
        .collect()
}

/// The ambiguous markers in the caption (any market's), and "thanks" to the
/// brand said alone.
pub fn find_ambiguous<'a>(caption: &'a str, markets: &[Market], brand: &str) -> Vec<Found<'a>> {
    let mut found: Vec<Found<'a>> = markets
        .iter()
        .flat_map(|m| m.ambiguous().iter())
        .filter(|m| !common(markets).contains(m))
        .flat_map(|m| occurrences(caption, m))
        .collect();
    let brand = brand.trim().to_lowercase();
    if !brand.is_empty() {
        for thanks in ["thanks", "thank you"] {
            for f in occurrences(caption, thanks) {
                let after = caption[f.at + f.text.len()..].to_lowercase();
                let after = after
                    .trim_start()
                    .trim_start_matches("to ")
                    .trim_start_matches('@');
                if after.starts_with(&brand) {
                    found.push(f);
                }
            }
        }
    }
    found.sort_by_key(|f| f.at);
    found.dedup_by_key(|f| f.at);
    found
}

/// The accepted markers the brief's rule names ("#ad at the start ...").
pub fn named_in(rule: &str, markets: &[Market]) -> Vec<&'static str> {
    common(markets)
        .into_iter()
        .filter(|m| m.starts_with('#') && !occurrences(rule, m).is_empty())
        .collect()
}

/// The accepted markers, as a sentence names them.
pub fn accepted_text(markets: &[Market]) -> String {
    let hashtags: Vec<&str> = common(markets)
        .into_iter()
        .filter(|m| m.starts_with('#') || *m == "ad" || *m == "advertisement")
        .map(|m| {
            if m == "ad" {
                "Ad"
            } else if m == "advertisement" {
                "Advertisement"
            } else {
                m
            }
        })
        .collect();
    hashtags.join(", ")
}
