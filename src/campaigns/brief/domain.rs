//! The brief's rules, free of HTTP and SQL: its parts, the form parsed into
//! them, and the word diff between two versions.

use serde::Deserialize;
use time::Date;

use crate::{
    domain::{
        Format, Platform,
        date::parse_date,
        display, keyed_enum,
        number::whole_number,
        text::{bounded_text, lines, required_text},
    },
    web::FieldErrors,
};

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
            "Reviews within {} days; up to {} revision rounds; scored on {}.",
            self.review_days,
            self.max_revision_rounds,
            self.rubric
                .iter()
                .map(|c| c.label().to_lowercase())
                .collect::<Vec<_>>()
                .join(", ")
        )
    }

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

/// A piece of a word-level comparison between two versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Same(String),
    Added(String),
    Removed(String),
}

/// Word-level differences from `old` to `new`. Changes separated only by spaces
/// are merged, so "a decade" → "ten years" reads as one replacement, not two.
pub fn diff(old: &Brief, new: &Brief) -> Vec<Change> {
    let (old, new) = (old.as_text(), new.as_text());
    let diff = similar::TextDiff::from_words(old.as_str(), new.as_str());
    let mut out: Vec<Change> = Vec::new();
    let (mut removed, mut added) = (String::new(), String::new());
    // Whitespace seen since the last change: joins the next change of the same
    // side, or is kept as it is when the run of changes ends.
    let mut gap = String::new();
    let flush =
        |out: &mut Vec<Change>, removed: &mut String, added: &mut String, gap: &mut String| {
            if !removed.is_empty() {
                out.push(Change::Removed(std::mem::take(removed)));
            }
            if !added.is_empty() {
                out.push(Change::Added(std::mem::take(added)));
            }
            if !gap.is_empty() {
                push_same(out, std::mem::take(gap));
            }
        };
    for change in diff.iter_all_changes() {
        let text = change.value();
        // Inside a run of changes, whitespace only separates words: keep one run
        // of it (a line break if there is one), whichever side it came from.
        if text.trim().is_empty() && !(removed.is_empty() && added.is_empty()) {
            if gap.is_empty() || (text.contains('\n') && !gap.contains('\n')) {
                gap = text.to_owned();
            }
            continue;
        }
        match change.tag() {
            similar::ChangeTag::Delete => {
                if !removed.is_empty() {
                    removed.push_str(&gap);
                }
                removed.push_str(text);
                if added.is_empty() {
                    gap.clear();
                }
            }
            similar::ChangeTag::Insert => {
                if !added.is_empty() {
                    added.push_str(&gap);
                }
                added.push_str(text);
                gap.clear();
            }
            similar::ChangeTag::Equal => {
                flush(&mut out, &mut removed, &mut added, &mut gap);
                push_same(&mut out, text.to_owned());
            }
        }
    }
    flush(&mut out, &mut removed, &mut added, &mut gap);
    out
}

fn push_same(out: &mut Vec<Change>, text: String) {
    match out.last_mut() {
        Some(Change::Same(s)) => s.push_str(&text),
        _ => out.push(Change::Same(text)),
    }
}

/// The brief form as typed. Deliverables arrive as parallel repeated fields.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct BriefForm {
    pub key_message: String,
    pub story: String,
    pub dos: String,
    pub donts: String,
    pub hashtags: String,
    pub disclosure: String,
    pub usage_rights: String,
    pub usage_days: String,
    pub exclusivity: String,
    pub exclusivity_days: String,
    pub review_days: String,
    pub max_revision_rounds: String,
    pub rubric: Vec<String>,
    pub change_summary: String,
    pub deliverable_platform: Vec<String>,
    pub deliverable_format: Vec<String>,
    pub deliverable_quantity: Vec<String>,
    pub deliverable_due_on: Vec<String>,
    pub deliverable_notes: Vec<String>,
}

/// Hashtags and mentions from free text: "#ad, #Northwind @northwind".
fn tags(input: &str) -> Result<(Vec<String>, Vec<String>), String> {
    let (mut hashtags, mut mentions) = (Vec::new(), Vec::new());
    for token in input
        .split([' ', ',', '\n', '\r', '\t'])
        .filter(|t| !t.is_empty())
    {
        let valid_body = |body: &str| {
            !body.is_empty()
                && body.chars().count() <= 60
                && body
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
        };
        let target = match token.chars().next() {
            Some('#') if valid_body(&token[1..]) => &mut hashtags,
            Some('@') if valid_body(&token[1..]) => &mut mentions,
            _ => {
                return Err(format!(
                    "{token:?} is neither a #hashtag nor an @mention (letters, digits and _ only)."
                ));
            }
        };
        if !target
            .iter()
            .any(|t: &String| t.eq_ignore_ascii_case(token))
        {
            target.push(token.to_owned());
        }
    }
    if hashtags.len() + mentions.len() > 30 {
        return Err("Keep to 30 hashtags and mentions or fewer.".to_owned());
    }
    Ok((hashtags, mentions))
}

impl BriefForm {
    /// The form for a brief that exists, to edit into the next version.
    pub fn from_brief(b: &Brief) -> BriefForm {
        BriefForm {
            key_message: b.key_message.clone(),
            story: b.story.clone(),
            dos: b.dos.join("\n"),
            donts: b.donts.join("\n"),
            hashtags: b.tags(),
            disclosure: b.disclosure.clone(),
            usage_rights: if b.paid_usage_days.is_some() {
                "paid"
            } else {
                "organic"
            }
            .to_owned(),
            usage_days: b.paid_usage_days.map(|d| d.to_string()).unwrap_or_default(),
            exclusivity: b.exclusivity_categories.join(", "),
            exclusivity_days: b.exclusivity_days.to_string(),
            review_days: b.review_days.to_string(),
            max_revision_rounds: b.max_revision_rounds.to_string(),
            rubric: b.rubric.iter().map(|c| c.key().to_owned()).collect(),
            change_summary: String::new(),
            deliverable_platform: b
                .deliverables
                .iter()
                .map(|d| d.platform.key().to_owned())
                .collect(),
            deliverable_format: b
                .deliverables
                .iter()
                .map(|d| d.format.key().to_owned())
                .collect(),
            deliverable_quantity: b
                .deliverables
                .iter()
                .map(|d| d.quantity.to_string())
                .collect(),
            deliverable_due_on: b
                .deliverables
                .iter()
                .map(|d| d.due_on.to_string())
                .collect(),
            deliverable_notes: b.deliverables.iter().map(|d| d.notes.clone()).collect(),
        }
    }

    /// A first brief's starting point: the usual disclosure and feedback terms.
    pub fn starter() -> BriefForm {
        BriefForm {
            disclosure: DEFAULT_DISCLOSURE.to_owned(),
            usage_rights: "organic".to_owned(),
            exclusivity_days: "0".to_owned(),
            review_days: "3".to_owned(),
            max_revision_rounds: "2".to_owned(),
            rubric: Criterion::ALL.iter().map(|c| c.key().to_owned()).collect(),
            ..BriefForm::default()
        }
    }

    /// Parses the form. A change summary is required once creators can see the
    /// campaign; deliverables are due within the campaign's dates.
    pub fn parse(
        &self,
        summary_required: bool,
        runs: (Date, Date),
    ) -> Result<(Brief, String), FieldErrors> {
        let mut e = FieldErrors::new();
        let key_message = e.check(
            "key_message",
            required_text(
                &self.key_message,
                "the key message",
                3000,
                "Say the one thing creators' audiences should take away.",
            ),
        );
        let story = e.check("story", bounded_text(&self.story, "the story", 5000));
        let deliverables = e.check("deliverables", self.parse_deliverables(runs));
        let dos = e.check("dos", lines(&self.dos, "the do's"));
        let donts = e.check("donts", lines(&self.donts, "the don'ts"));
        let tags = e.check("hashtags", tags(&self.hashtags));
        let disclosure = e.check(
            "disclosure",
            required_text(
                &self.disclosure,
                "the disclosure",
                500,
                "Say how creators must disclose the partnership.",
            ),
        );
        let paid_usage_days = e.check(
            "usage_rights",
            match self.usage_rights.trim() {
                "organic" | "" => Ok(None),
                "paid" => whole_number(&self.usage_days, "the days of paid use", 1, 3650).map(Some),
                _ => Err("Choose organic use only, or paid amplification.".to_owned()),
            },
        );
        let exclusivity_categories: Vec<String> = self
            .exclusivity
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let exclusivity_days = e.check(
            "exclusivity",
            if exclusivity_categories.len() > 10
                || exclusivity_categories
                    .iter()
                    .any(|c| c.chars().count() > 60)
            {
                Err("List at most 10 competitor categories of up to 60 characters.".to_owned())
            } else if exclusivity_categories.is_empty() {
                Ok(0)
            } else {
                whole_number(&self.exclusivity_days, "the days of exclusivity", 1, 3650)
            },
        );
        let review_days = e.check(
            "review_days",
            whole_number(&self.review_days, "the review turnaround", 1, 30),
        );
        let max_revision_rounds = e.check(
            "max_revision_rounds",
            whole_number(&self.max_revision_rounds, "the revision rounds", 0, 10),
        );
        let rubric = e.check("rubric", {
            let mut rubric = Vec::new();
            let mut bad = None;
            for key in &self.rubric {
                match Criterion::parse(key) {
                    Ok(c) if !rubric.contains(&c) => rubric.push(c),
                    Ok(_) => {}
                    Err(m) => bad = Some(m),
                }
            }
            match bad {
                Some(m) => Err(m),
                None if rubric.is_empty() => {
                    Err("Choose at least one criterion you'll score submissions on.".to_owned())
                }
                None => Ok(rubric),
            }
        });
        let change_summary = e.check(
            "change_summary",
            bounded_text(&self.change_summary, "the change summary", 1000).and_then(|s| {
                if summary_required && s.is_empty() {
                    Err(
                        "Say what changed: creators who applied will be asked to acknowledge it."
                            .to_owned(),
                    )
                } else {
                    Ok(s)
                }
            }),
        );
        match (
            key_message,
            story,
            deliverables,
            dos,
            donts,
            tags,
            disclosure,
            paid_usage_days,
            exclusivity_days,
            review_days,
            max_revision_rounds,
            rubric,
            change_summary,
        ) {
            (
                Some(key_message),
                Some(story),
                Some(deliverables),
                Some(dos),
                Some(donts),
                Some((hashtags, mentions)),
                Some(disclosure),
                Some(paid_usage_days),
                Some(exclusivity_days),
                Some(review_days),
                Some(max_revision_rounds),
                Some(rubric),
                Some(change_summary),
            ) => Ok((
                Brief {
                    key_message,
                    story,
                    deliverables,
                    dos,
                    donts,
                    hashtags,
                    mentions,
                    disclosure,
                    paid_usage_days,
                    exclusivity_categories: if exclusivity_days == 0 {
                        Vec::new()
                    } else {
                        exclusivity_categories
                    },
                    exclusivity_days,
                    review_days,
                    max_revision_rounds,
                    rubric,
                },
                change_summary,
            )),
            _ => Err(e),
        }
    }

    fn parse_deliverables(
        &self,
        (starts_on, ends_on): (Date, Date),
    ) -> Result<Vec<Deliverable>, String> {
        let get =
            |v: &Vec<String>, i: usize| v.get(i).map(|s| s.trim().to_owned()).unwrap_or_default();
        let rows = [
            self.deliverable_platform.len(),
            self.deliverable_format.len(),
            self.deliverable_quantity.len(),
            self.deliverable_due_on.len(),
            self.deliverable_notes.len(),
        ]
        .into_iter()
        .max()
        .unwrap_or(0);
        let mut out = Vec::new();
        for i in 0..rows {
            let (platform, fmt, quantity, due_on, notes) = (
                get(&self.deliverable_platform, i),
                get(&self.deliverable_format, i),
                get(&self.deliverable_quantity, i),
                get(&self.deliverable_due_on, i),
                get(&self.deliverable_notes, i),
            );
            if [&platform, &fmt, &quantity, &due_on, &notes]
                .iter()
                .all(|s| s.is_empty())
            {
                continue;
            }
            let n = i + 1;
            let row = |m: String| format!("Deliverable {n}: {m}");
            let platform = Platform::parse(&platform).map_err(row)?;
            let format = Format::parse(&fmt).map_err(row)?;
            let quantity = whole_number(&quantity, "the quantity", 1, 100).map_err(row)?;
            let due_on = parse_date(&due_on, "the due date").map_err(row)?;
            if due_on < starts_on || due_on > ends_on {
                return Err(row(format!(
                    "make it due while the campaign runs, {} to {}.",
                    starts_on, ends_on
                )));
            }
            let notes = bounded_text(&notes, "the notes", 1000).map_err(row)?;
            out.push(Deliverable {
                platform,
                format,
                quantity,
                due_on,
                notes,
            });
        }
        if out.is_empty() {
            return Err(
                "Add at least one deliverable: what to publish, where, how many, and by when."
                    .to_owned(),
            );
        }
        if out.len() > MAX_DELIVERABLES {
            return Err(format!("Keep to {MAX_DELIVERABLES} deliverables or fewer."));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const RUNS: (Date, Date) = (date!(2026 - 12 - 01), date!(2026 - 12 - 31));

    fn form() -> BriefForm {
        BriefForm {
            key_message: "Dry for a decade.".into(),
            deliverable_platform: vec!["instagram".into(), "".into()],
            deliverable_format: vec!["post".into(), "".into()],
            deliverable_quantity: vec!["2".into(), "".into()],
            deliverable_due_on: vec!["2026-12-10".into(), "".into()],
            deliverable_notes: vec!["".into(), "".into()],
            hashtags: "#ad, #Northwind @northwind #ad".into(),
            ..BriefForm::starter()
        }
    }

    #[test]
    fn a_starter_brief_needs_only_a_message_and_a_deliverable() {
        let (brief, summary) = form().parse(false, RUNS).expect("valid");
        assert_eq!(brief.deliverables.len(), 1, "blank rows are skipped");
        assert_eq!(brief.disclosure, DEFAULT_DISCLOSURE);
        assert_eq!(
            brief.hashtags,
            vec!["#ad".to_owned(), "#Northwind".to_owned()],
            "repeats dropped"
        );
        assert_eq!(brief.mentions, vec!["@northwind".to_owned()]);
        assert_eq!(brief.rubric.len(), Criterion::ALL.len());
        assert_eq!(brief.paid_usage_days, None);
        assert_eq!(summary, "");
    }

    #[test]
    fn deliverables_fall_within_the_campaign_and_name_their_row() {
        let f = BriefForm {
            deliverable_due_on: vec!["2027-01-05".into(), "".into()],
            ..form()
        };
        let errors = f.parse(false, RUNS).expect_err("outside");
        let message = errors.get("deliverables").expect("message");
        assert!(message.starts_with("Deliverable 1:"), "{message}");
    }

    #[test]
    fn a_published_campaigns_brief_needs_a_change_summary() {
        assert!(
            form()
                .parse(true, RUNS)
                .expect_err("summary")
                .get("change_summary")
                .is_some()
        );
        let f = BriefForm {
            change_summary: "Added a story.".into(),
            ..form()
        };
        assert_eq!(f.parse(true, RUNS).expect("valid").1, "Added a story.");
    }

    #[test]
    fn paid_usage_needs_its_days_and_tags_need_their_sign() {
        let paid = BriefForm {
            usage_rights: "paid".into(),
            usage_days: String::new(),
            hashtags: "northwind".into(),
            ..form()
        };
        let errors = paid.parse(false, RUNS).expect_err("invalid");
        assert!(errors.get("usage_rights").is_some());
        assert!(errors.get("hashtags").is_some());
    }

    #[test]
    fn identical_versions_have_no_changes_and_edits_are_grouped() {
        let (a, _) = form().parse(false, RUNS).expect("valid");
        assert!(diff(&a, &a).iter().all(|c| matches!(c, Change::Same(_))));
        let b = Brief {
            key_message: "Dry for ten years.".into(),
            ..a.clone()
        };
        let changes = diff(&a, &b);
        assert!(
            changes.contains(&Change::Removed("a decade.".into())),
            "{changes:?}"
        );
        assert!(
            changes.contains(&Change::Added("ten years.".into())),
            "{changes:?}"
        );
    }
}
