//! The brief form as typed, parsed once into a [`Brief`]: its message, its
//! deliverables, the usage terms and the feedback process. Each part reports
//! its own fields' errors.

use serde::Deserialize;
use time::Date;

use super::domain::{Brief, Criterion, DEFAULT_DISCLOSURE, Deliverable, MAX_DELIVERABLES};
use crate::{
    domain::{
        Format, Platform, ReleaseOn,
        date::parse_date,
        number::whole_number,
        text::{bounded_text, lines, required_text},
    },
    web::FieldErrors,
};

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
    pub release_on: String,
    pub rubric: Vec<String>,
    pub change_summary: String,
    pub deliverable_platform: Vec<String>,
    pub deliverable_format: Vec<String>,
    pub deliverable_quantity: Vec<String>,
    pub deliverable_due_on: Vec<String>,
    pub deliverable_notes: Vec<String>,
}

struct Message {
    key_message: String,
    story: String,
    dos: Vec<String>,
    donts: Vec<String>,
    hashtags: Vec<String>,
    mentions: Vec<String>,
    disclosure: String,
}

struct Usage {
    paid_usage_days: Option<i32>,
    exclusivity_categories: Vec<String>,
    exclusivity_days: i32,
}

struct Feedback {
    review_days: i32,
    max_revision_rounds: i32,
    rubric: Vec<Criterion>,
    release_on: ReleaseOn,
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
            release_on: b.release_on.key().to_owned(),
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
            release_on: ReleaseOn::Approval.key().to_owned(),
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
        let message = self.message(&mut e);
        let deliverables = e.check("deliverables", self.parse_deliverables(runs));
        let usage = self.usage(&mut e);
        let feedback = self.feedback(&mut e);
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
        match (message, deliverables, usage, feedback, change_summary) {
            (Some(m), Some(deliverables), Some(u), Some(f), Some(change_summary)) => Ok((
                Brief {
                    key_message: m.key_message,
                    story: m.story,
                    deliverables,
                    dos: m.dos,
                    donts: m.donts,
                    hashtags: m.hashtags,
                    mentions: m.mentions,
                    disclosure: m.disclosure,
                    paid_usage_days: u.paid_usage_days,
                    exclusivity_categories: u.exclusivity_categories,
                    exclusivity_days: u.exclusivity_days,
                    review_days: f.review_days,
                    max_revision_rounds: f.max_revision_rounds,
                    rubric: f.rubric,
                    release_on: f.release_on,
                },
                change_summary,
            )),
            _ => Err(e),
        }
    }

    /// What creators say and show: the key message, the story, the do's and
    /// don'ts, the tags and how to disclose the partnership.
    fn message(&self, e: &mut FieldErrors) -> Option<Message> {
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
        let (hashtags, mentions) = tags?;
        Some(Message {
            key_message: key_message?,
            story: story?,
            dos: dos?,
            donts: donts?,
            hashtags,
            mentions,
            disclosure: disclosure?,
        })
    }

    /// How the brand may use the work, and the competitors creators keep away
    /// from for a while.
    fn usage(&self, e: &mut FieldErrors) -> Option<Usage> {
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
        )?;
        Some(Usage {
            paid_usage_days: paid_usage_days?,
            exclusivity_categories: if exclusivity_days == 0 {
                Vec::new()
            } else {
                exclusivity_categories
            },
            exclusivity_days,
        })
    }

    /// The feedback process the brand commits to: its review turnaround, the
    /// revision rounds and the rubric it scores on.
    fn feedback(&self, e: &mut FieldErrors) -> Option<Feedback> {
        let review_days = e.check(
            "review_days",
            whole_number(&self.review_days, "the review turnaround", 1, 30),
        );
        let max_revision_rounds = e.check(
            "max_revision_rounds",
            whole_number(&self.max_revision_rounds, "the revision rounds", 0, 10),
        );
        let rubric = e.check("rubric", self.parse_rubric());
        // A page loaded before the choice existed sends none: the default.
        let release_on = if self.release_on.trim().is_empty() {
            Some(ReleaseOn::Approval)
        } else {
            e.check("release_on", ReleaseOn::parse(&self.release_on))
        };
        Some(Feedback {
            review_days: review_days?,
            max_revision_rounds: max_revision_rounds?,
            rubric: rubric?,
            release_on: release_on?,
        })
    }

    fn parse_rubric(&self) -> Result<Vec<Criterion>, String> {
        let mut rubric = Vec::new();
        for key in &self.rubric {
            let c = Criterion::parse(key)?;
            if !rubric.contains(&c) {
                rubric.push(c);
            }
        }
        if rubric.is_empty() {
            return Err("Choose at least one criterion you'll score submissions on.".to_owned());
        }
        Ok(rubric)
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
pub(super) mod tests {
    use time::macros::date;

    use super::*;

    pub const RUNS: (Date, Date) = (date!(2026 - 12 - 01), date!(2026 - 12 - 31));

    pub fn form() -> BriefForm {
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
}
