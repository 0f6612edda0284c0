//! The brief's rules, free of HTTP and SQL: its parts, the form parsed into
//! them, and the word diff between two versions.

use time::Date;

use crate::domain::{Format, Platform, ReleaseOn, display, keyed_enum};

keyed_enum! {
    /// What the brand scores each submission on.
    pub enum Criterion {
        BriefAlignment => ("brief_alignment", "Brief alignment"),
        BrandVoice => ("brand_voice", "Brand voice"),
        CreativeQuality => ("creative_quality", "Creative quality"),
        CallToAction => ("call_to_action", "Call to action"),
        Disclosure => ("disclosure", "Disclosure"),
    }
    unknown: "Choose a rubric criterion."
}

impl Criterion {
    /// Where the rubric lists it: scores are shown in this order.
    pub fn rank(self) -> usize {
        Criterion::ALL
            .iter()
            .position(|c| *c == self)
            .unwrap_or(usize::MAX)
    }
}

/// Said when a brand writes nothing else: the ad label plus the platform's own.
pub const DEFAULT_DISCLOSURE: &str =
    "#ad at the start of the caption, plus the platform's paid-partnership label.";

pub const MAX_DELIVERABLES: usize = 50;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deliverable {
    pub platform: Platform,
    pub format: Format,
    pub quantity: i32,
    pub due_on: Date,
    pub notes: String,
}

impl Deliverable {
    /// "2 × Instagram post, due 5 Dec 2026"
    pub fn summary(&self) -> String {
        format!(
            "{} × {} {}, due {}",
            self.quantity,
            self.platform.label(),
            self.format.label().to_lowercase(),
            display::day(self.due_on)
        )
    }
}

/// The first draft plus the revision rounds a brief allows.
pub fn rounds_allowed(max_revision_rounds: i32) -> i32 {
    1 + max_revision_rounds.max(0)
}

/// One version of a brief.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Brief {
    pub key_message: String,
    pub story: String,
    pub deliverables: Vec<Deliverable>,
    pub dos: Vec<String>,
    pub donts: Vec<String>,
    pub hashtags: Vec<String>,
    pub mentions: Vec<String>,
    pub disclosure: String,
    pub paid_usage_days: Option<i32>,
    pub exclusivity_categories: Vec<String>,
    pub exclusivity_days: i32,
    pub review_days: i32,
    pub max_revision_rounds: i32,
    pub rubric: Vec<Criterion>,
    /// When each deliverable's share of the fee is released.
    pub release_on: ReleaseOn,
}

impl Brief {
    pub fn usage_rights(&self) -> String {
        match self.paid_usage_days {
            None => {
                "Organic use only: the brand may share the posts, not run them as ads.".to_owned()
            }
            Some(days) => format!("Organic use, plus paid amplification (ads) for {days} days."),
        }
    }

    pub fn exclusivity(&self) -> String {
        if self.exclusivity_categories.is_empty() || self.exclusivity_days == 0 {
            "None.".to_owned()
        } else {
            format!(
                "No work for competitors in {} for {} days.",
                self.exclusivity_categories.join(", "),
                self.exclusivity_days
            )
        }
    }

    pub fn feedback_process(&self) -> String {
        format!(
            "Reviews within {} days; up to {} revision rounds; scored on {}; pay released {}.",
            self.review_days,
            self.max_revision_rounds,
            self.rubric
                .iter()
                .map(|c| c.label().to_lowercase())
                .collect::<Vec<_>>()
                .join(", "),
            self.release_on.label()
        )
    }

    /// Hashtags then mentions, as the form shows them.
    pub fn tags(&self) -> String {
        self.hashtags
            .iter()
            .chain(self.mentions.iter())
            .cloned()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The whole brief as plain text, section by section: what the diff compares.
    pub fn as_text(&self) -> String {
        let mut out = String::new();
        let mut section = |title: &str, body: String| {
            out.push_str(title);
            out.push('\n');
            out.push_str(if body.is_empty() { "(none)" } else { &body });
            out.push_str("\n\n");
        };
        let lines = |items: &[String]| {
            items
                .iter()
                .map(|i| format!("• {i}"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        section("Key message", self.key_message.clone());
        section("Story", self.story.clone());
        section(
            "Deliverables",
            self.deliverables
                .iter()
                .map(|d| {
                    if d.notes.is_empty() {
                        format!("• {}", d.summary())
                    } else {
                        format!("• {}: {}", d.summary(), d.notes)
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
        );
        section("Do's", lines(&self.dos));
        section("Don'ts", lines(&self.donts));
        section("Hashtags and mentions", self.tags());
        section("Disclosure", self.disclosure.clone());
        section("Usage rights", self.usage_rights());
        section("Exclusivity", self.exclusivity());
        section("Feedback process", self.feedback_process());
        out.trim_end().to_owned()
    }
}
