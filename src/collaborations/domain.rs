//! The rules of delivering work and giving feedback on it, free of HTTP and
//! SQL: rounds and their cap, what a submission and its answers must hold,
//! how a review's requested changes cite the brief, and ratings both ways.

use std::collections::HashMap;

use serde::Deserialize;

use crate::{
    campaigns::brief::{Brief, Criterion},
    domain::{
        keyed_enum,
        link::http_url,
        score::parse_score,
        text::{bounded_text, required_text},
    },
    web::FieldErrors,
};

keyed_enum! {
    pub enum Decision {
        Approve => ("approve", "Approve"),
        RequestChanges => ("request_changes", "Request changes"),
    }
    unknown: "Choose whether to approve the draft or request changes."
}

keyed_enum! {
    /// The kind of brief clause an action item enforces.
    pub enum ClauseKind {
        Deliverable => ("deliverable", "Deliverable"),
        Do => ("do", "Do"),
        Dont => ("dont", "Don't"),
        Disclosure => ("disclosure", "Disclosure"),
    }
    unknown: "Cite a deliverable, a do, a don't or the disclosure rule."
}

keyed_enum! {
    /// How the creator answered an action item in the next round.
    pub enum Answer {
        Done => ("done", "Done"),
        Replied => ("replied", "Replied"),
    }
    unknown: "Mark the item done, or reply to it."
}

/// The first draft plus the revision rounds the brief allows.
pub fn rounds_allowed(max_revision_rounds: i32) -> i32 {
    1 + max_revision_rounds.max(0)
}

/// Why round `next` may not be submitted, if it may not.
pub fn round_problem(next: i32, max_revision_rounds: i32) -> Option<String> {
    let allowed = rounds_allowed(max_revision_rounds);
    (next > allowed).then(|| {
        format!(
            "The brief allows {} revision round{} and all {allowed} rounds are used. \
             Agree the next step with the brand in messages.",
            max_revision_rounds,
            if max_revision_rounds == 1 { "" } else { "s" },
        )
    })
}

pub const MAX_CAPTION: usize = 5000;
pub const MAX_NOTES: usize = 2000;
pub const MAX_REPLY: usize = 2000;

/// An action item still waiting for its answer, as the submission form needs it.
#[derive(Debug, Clone)]
pub struct OpenItem {
    pub number: i16,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemAnswer {
    pub number: i16,
    pub answer: Answer,
    pub reply: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubmission {
    pub content_url: String,
    pub caption: String,
    pub notes: String,
    pub answers: Vec<ItemAnswer>,
}

/// What the creator typed: the draft and, per open item, `item_{n}_status`
/// and `item_{n}_reply`. Kept as typed so a refused form comes back whole.
#[derive(Debug, Clone, Default)]
pub struct SubmissionForm {
    pub fields: HashMap<String, String>,
}

impl SubmissionForm {
    pub fn get(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }

    pub fn item_status(&self, number: &i16) -> &str {
        self.get(&format!("item_{number}_status"))
    }

    pub fn item_reply(&self, number: &i16) -> &str {
        self.get(&format!("item_{number}_reply"))
    }

    /// Every open item must be answered: done, or a reply saying why not.
    pub fn parse(&self, open: &[OpenItem]) -> Result<NewSubmission, FieldErrors> {
        let mut errors = FieldErrors::new();
        let content_url = errors.check(
            "content_url",
            http_url(self.get("content_url"), "the link to your draft", false),
        );
        let caption = errors.check(
            "caption",
            bounded_text(self.get("caption"), "the caption or script", MAX_CAPTION),
        );
        let notes = errors.check(
            "notes",
            bounded_text(self.get("notes"), "your notes", MAX_NOTES),
        );
        let mut answers = Vec::with_capacity(open.len());
        for item in open {
            let n = item.number;
            let reply = errors.check(
                format!("item_{n}_reply"),
                bounded_text(self.item_reply(&n), "the reply", MAX_REPLY),
            );
            let answer = match self.item_status(&n) {
                "done" => Some(Answer::Done),
                "reply" | "replied" => match &reply {
                    Some(r) if r.is_empty() => {
                        errors.add(
                            format!("item_{n}_reply"),
                            format!("Say why item {n} isn't done, or mark it done."),
                        );
                        None
                    }
                    _ => Some(Answer::Replied),
                },
                _ => {
                    errors.add(
                        format!("item_{n}_status"),
                        format!("Answer item {n}: mark it done, or reply."),
                    );
                    None
                }
            };
            if let (Some(answer), Some(reply)) = (answer, reply) {
                answers.push(ItemAnswer {
                    number: n,
                    answer,
                    reply,
                });
            }
        }
        match (content_url, caption, notes) {
            (Some(content_url), Some(caption), Some(notes)) if errors.is_empty() => {
                Ok(NewSubmission {
                    content_url,
                    caption,
                    notes,
                    answers,
                })
            }
            _ => Err(errors),
        }
    }
}

/// The clauses of the brief version a deliverable was agreed under, numbered
/// as the review form shows them, for citing.
#[derive(Debug, Clone, Default)]
pub struct Clauses {
    pub deliverables: Vec<String>,
    pub dos: Vec<String>,
    pub donts: Vec<String>,
    pub disclosure: String,
}

impl Clauses {
    pub fn of(brief: &Brief) -> Self {
        Self {
            deliverables: brief.deliverables.iter().map(|d| d.summary()).collect(),
            dos: brief.dos.clone(),
            donts: brief.donts.clone(),
            disclosure: brief.disclosure.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub kind: ClauseKind,
    pub number: Option<i16>,
    pub text: String,
}

impl Citation {
    /// "Don't 2: No competitor products in shot"
    pub fn label(&self) -> String {
        match self.number {
            Some(n) => format!("{} {n}: {}", self.kind.label(), self.text),
            None => format!("{}: {}", self.kind.label(), self.text),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewItem {
    pub body: String,
    pub cite: Option<Citation>,
    pub out_of_scope: bool,
}

/// One requested change: a line of the `changes` field, optionally opening
/// with a tag in brackets that cites the brief (`[do 2]`, `[don't 1]`,
/// `[deliverable 1]`, `[disclosure]`) or marks it as outside the brief
/// (`[out of scope]`).
pub fn parse_change(line: &str, clauses: &Clauses) -> Result<NewItem, String> {
    let line = line.trim();
    let Some(rest) = line.strip_prefix('[') else {
        return Ok(NewItem {
            body: line.to_owned(),
            cite: None,
            out_of_scope: false,
        });
    };
    let Some((tag, body)) = rest.split_once(']') else {
        return Err(format!(
            "“{line}” opens a tag with [ but never closes it with ]."
        ));
    };
    let body = body.trim().to_owned();
    if body.is_empty() {
        return Err(format!("Say what to change after [{tag}]."));
    }
    let tag_lower = tag.trim().to_lowercase().replace('’', "'");
    if matches!(
        tag_lower.as_str(),
        "out of scope" | "outside the brief" | "extra"
    ) {
        return Ok(NewItem {
            body,
            cite: None,
            out_of_scope: true,
        });
    }
    if tag_lower == "disclosure" {
        return Ok(NewItem {
            body,
            cite: Some(Citation {
                kind: ClauseKind::Disclosure,
                number: None,
                text: clauses.disclosure.clone(),
            }),
            out_of_scope: false,
        });
    }
    let unknown = || {
        format!(
            "“[{tag}]” isn't a brief clause: cite [do N], [don't N], [deliverable N] or \
             [disclosure], or mark the change [out of scope]."
        )
    };
    let (word, number) = tag_lower.rsplit_once(' ').ok_or_else(unknown)?;
    let (kind, list) = match word.trim() {
        "do" => (ClauseKind::Do, &clauses.dos),
        "don't" | "dont" => (ClauseKind::Dont, &clauses.donts),
        "deliverable" => (ClauseKind::Deliverable, &clauses.deliverables),
        _ => return Err(unknown()),
    };
    let n: usize = number.trim().parse().map_err(|_| unknown())?;
    let text = n
        .checked_sub(1)
        .and_then(|i| list.get(i))
        .ok_or_else(|| match list.len() {
            0 => format!(
                "The brief has no {} to cite; mark the change [out of scope] if it goes beyond it.",
                plural(kind)
            ),
            len => format!(
                "The brief has {len} {}: cite a number from 1 to {len}.",
                plural(kind)
            ),
        })?;
    Ok(NewItem {
        body,
        cite: Some(Citation {
            kind,
            number: i16::try_from(n).ok(),
            text: text.clone(),
        }),
        out_of_scope: false,
    })
}

fn plural(kind: ClauseKind) -> &'static str {
    match kind {
        ClauseKind::Deliverable => "deliverables",
        ClauseKind::Do => "do's",
        ClauseKind::Dont => "don'ts",
        ClauseKind::Disclosure => "disclosure rules",
    }
}

pub const MAX_CHANGES: usize = 30;
pub const MAX_CHANGE: usize = 1000;
pub const MAX_KEEP: usize = 3000;
pub const MAX_WHY: usize = 3000;
pub const MAX_SCORE_COMMENT: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Score {
    pub criterion: Criterion,
    pub score: i16,
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReview {
    pub decision: Decision,
    pub scores: Vec<Score>,
    pub keep: String,
    pub why: String,
    pub items: Vec<NewItem>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ReviewForm {
    pub decision: String,
    pub score_brief_alignment: String,
    pub score_brand_voice: String,
    pub score_creative_quality: String,
    pub score_call_to_action: String,
    pub score_disclosure: String,
    pub comment_brief_alignment: String,
    pub comment_brand_voice: String,
    pub comment_creative_quality: String,
    pub comment_call_to_action: String,
    pub comment_disclosure: String,
    pub keep: String,
    pub changes: String,
    pub why: String,
}

impl ReviewForm {
    pub fn score(&self, c: &Criterion) -> &str {
        match c {
            Criterion::BriefAlignment => &self.score_brief_alignment,
            Criterion::BrandVoice => &self.score_brand_voice,
            Criterion::CreativeQuality => &self.score_creative_quality,
            Criterion::CallToAction => &self.score_call_to_action,
            Criterion::Disclosure => &self.score_disclosure,
        }
    }

    pub fn comment(&self, c: &Criterion) -> &str {
        match c {
            Criterion::BriefAlignment => &self.comment_brief_alignment,
            Criterion::BrandVoice => &self.comment_brand_voice,
            Criterion::CreativeQuality => &self.comment_creative_quality,
            Criterion::CallToAction => &self.comment_call_to_action,
            Criterion::Disclosure => &self.comment_disclosure,
        }
    }

    /// Scores every criterion the brief enabled (and only those); requesting
    /// changes needs at least one, and none when no revision round is left.
    pub fn parse(
        &self,
        rubric: &[Criterion],
        clauses: &Clauses,
        rounds_left: bool,
    ) -> Result<NewReview, FieldErrors> {
        let mut errors = FieldErrors::new();
        let decision = errors.check("decision", Decision::parse(self.decision.trim()));
        let mut scores = Vec::with_capacity(rubric.len());
        for c in rubric {
            let score = errors.check(
                format!("score_{}", c.key()),
                parse_score(self.score(c), c.label()),
            );
            let comment = errors.check(
                format!("comment_{}", c.key()),
                bounded_text(self.comment(c), "the comment", MAX_SCORE_COMMENT),
            );
            if let (Some(score), Some(comment)) = (score, comment) {
                scores.push(Score {
                    criterion: *c,
                    score,
                    comment,
                });
            }
        }
        let keep = errors.check("keep", bounded_text(&self.keep, "what to keep", MAX_KEEP));
        let why = errors.check("why", bounded_text(&self.why, "the why", MAX_WHY));
        let items = errors.check("changes", parse_changes(&self.changes, clauses));
        if let (Some(Decision::RequestChanges), Some(items)) = (decision, &items) {
            if items.is_empty() {
                errors.add(
                    "changes",
                    "List at least one change, one per line, so the creator knows what to do.",
                );
            } else if !rounds_left {
                errors.add(
                    "decision",
                    "The brief's revision rounds are used up: approve this draft, or agree \
                     the next step in messages.",
                );
            }
        }
        match (decision, keep, why, items) {
            (Some(decision), Some(keep), Some(why), Some(items)) if errors.is_empty() => {
                Ok(NewReview {
                    decision,
                    scores,
                    keep,
                    why,
                    // An approval closes the deliverable: nothing is left to answer.
                    items: if decision == Decision::Approve {
                        Vec::new()
                    } else {
                        items
                    },
                })
            }
            _ => Err(errors),
        }
    }
}

fn parse_changes(input: &str, clauses: &Clauses) -> Result<Vec<NewItem>, String> {
    let lines: Vec<&str> = input
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.len() > MAX_CHANGES {
        return Err(format!(
            "Keep it to {MAX_CHANGES} changes or fewer (this has {}); group small ones.",
            lines.len()
        ));
    }
    lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let item = parse_change(line, clauses).map_err(|e| format!("Line {}: {e}", i + 1))?;
            if item.body.chars().count() > MAX_CHANGE {
                return Err(format!(
                    "Line {}: keep each change to {MAX_CHANGE} characters or fewer.",
                    i + 1
                ));
            }
            bounded_text(&item.body, "each change", MAX_CHANGE)
                .map_err(|e| format!("Line {}: {e}", i + 1))?;
            Ok(item)
        })
        .collect()
}

keyed_enum! {
    /// What a creator rates a brand on.
    pub enum BrandCriterion {
        BriefClarity => ("brief_clarity", "Brief clarity"),
        FeedbackQuality => ("feedback_quality", "Feedback quality"),
        Communication => ("communication", "Communication"),
        PaymentTimeliness => ("payment_timeliness", "Payment timeliness"),
        Fairness => ("fairness", "Fairness"),
    }
    unknown: "Choose a criterion."
}

keyed_enum! {
    /// What a brand rates a creator on.
    pub enum CreatorCriterion {
        Quality => ("quality", "Quality"),
        Reliability => ("reliability", "Reliability"),
        Communication => ("communication", "Communication"),
        Results => ("results", "Results"),
    }
    unknown: "Choose a criterion."
}

pub const MAX_RATING_COMMENT: usize = 2000;

/// Both sides post to the same route; each fills the criteria of its side.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RatingForm {
    pub brief_clarity: String,
    pub feedback_quality: String,
    pub communication: String,
    pub payment_timeliness: String,
    pub fairness: String,
    pub quality: String,
    pub reliability: String,
    pub results: String,
    pub comment: String,
}

/// Scores in the order of the side's criteria, and the comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRating {
    pub scores: Vec<i16>,
    pub comment: String,
}

impl RatingForm {
    pub fn value(&self, key: &str) -> &str {
        match key {
            "brief_clarity" => &self.brief_clarity,
            "feedback_quality" => &self.feedback_quality,
            "communication" => &self.communication,
            "payment_timeliness" => &self.payment_timeliness,
            "fairness" => &self.fairness,
            "quality" => &self.quality,
            "reliability" => &self.reliability,
            "results" => &self.results,
            _ => "",
        }
    }

    /// `criteria` are the (key, label) pairs of the rater's side.
    pub fn parse(
        &self,
        criteria: &[(&'static str, &'static str)],
    ) -> Result<NewRating, FieldErrors> {
        let mut errors = FieldErrors::new();
        let scores: Vec<i16> = criteria
            .iter()
            .filter_map(|(key, label)| errors.check(*key, parse_score(self.value(key), label)))
            .collect();
        let comment = errors.check(
            "comment",
            bounded_text(&self.comment, "the comment", MAX_RATING_COMMENT),
        );
        match comment {
            Some(comment) if errors.is_empty() => Ok(NewRating { scores, comment }),
            _ => Err(errors),
        }
    }
}

pub fn brand_criteria() -> Vec<(&'static str, &'static str)> {
    BrandCriterion::ALL
        .iter()
        .map(|c| (c.key(), c.label()))
        .collect()
}

pub fn creator_criteria() -> Vec<(&'static str, &'static str)> {
    CreatorCriterion::ALL
        .iter()
        .map(|c| (c.key(), c.label()))
        .collect()
}

/// Creators see a brand's averages only from this many ratings, so no single
/// rating can be traced back to who gave it.
pub const RATINGS_SHOWN_FROM: i64 = 3;

pub const MAX_MESSAGE: usize = 5000;

/// A message: trimmed, not empty, bounded.
pub fn parse_message(input: &str) -> Result<String, String> {
    required_text(input, "the message", MAX_MESSAGE, "Write a message first.")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clauses() -> Clauses {
        Clauses {
            deliverables: vec!["2 × Instagram post, due 5 Dec 2026".into()],
            dos: vec!["Show the product in use".into(), "Film outdoors".into()],
            donts: vec!["No competitor products in shot".into()],
            disclosure: "#ad first".into(),
        }
    }

    #[test]
    fn rounds_are_the_first_draft_plus_the_revisions() {
        assert_eq!(rounds_allowed(2), 3);
        assert_eq!(rounds_allowed(0), 1);
        assert!(round_problem(3, 2).is_none());
        assert!(
            round_problem(4, 2)
                .expect("over the cap")
                .contains("2 revision rounds")
        );
        assert!(round_problem(2, 0).is_some());
    }

    #[test]
    fn a_change_may_cite_a_clause_or_be_out_of_scope() {
        let c = clauses();
        let plain = parse_change("Brighter light", &c).expect("valid");
        assert_eq!((plain.cite, plain.out_of_scope), (None, false));
        let dont = parse_change("[Don’t 1] Remove the other bottle", &c).expect("valid");
        assert_eq!(dont.body, "Remove the other bottle");
        let cite = dont.cite.expect("a citation");
        assert_eq!((cite.kind, cite.number), (ClauseKind::Dont, Some(1)));
        assert_eq!(cite.label(), "Don't 1: No competitor products in shot");
        let disclosure = parse_change("[disclosure] Put #ad first", &c).expect("valid");
        assert_eq!(disclosure.cite.expect("a citation").text, "#ad first");
        let extra = parse_change("[out of scope] Add a TikTok too", &c).expect("valid");
        assert!(extra.out_of_scope && extra.cite.is_none());
        assert_eq!(
            parse_change("[deliverable 1] Two posts, not one", &c)
                .expect("valid")
                .cite
                .expect("valid")
                .kind,
            ClauseKind::Deliverable
        );
    }

    #[test]
    fn a_citation_must_exist_in_the_brief() {
        let c = clauses();
        assert!(parse_change("[do 3] x", &c).unwrap_err().contains("1 to 2"));
        assert!(parse_change("[do 0] x", &c).is_err());
        assert!(
            parse_change("[maybe] x", &c)
                .unwrap_err()
                .contains("isn't a brief clause")
        );
        assert!(
            parse_change("[do 1 x", &c)
                .unwrap_err()
                .contains("never closes")
        );
        assert!(parse_change("[do 1]", &c).unwrap_err().contains("Say what"));
        let none = Clauses::default();
        assert!(
            parse_change("[dont 1] x", &none)
                .unwrap_err()
                .contains("no don'ts")
        );
    }

    fn review(decision: &str, changes: &str) -> ReviewForm {
        ReviewForm {
            decision: decision.into(),
            score_brief_alignment: "4".into(),
            score_disclosure: "2".into(),
            changes: changes.into(),
            ..ReviewForm::default()
        }
    }

    #[test]
    fn a_review_scores_the_enabled_rubric_only() {
        let rubric = [Criterion::BriefAlignment, Criterion::Disclosure];
        let ok = review("approve", "")
            .parse(&rubric, &clauses(), true)
            .expect("valid");
        assert_eq!(ok.scores.len(), 2);
        let mut missing = review("approve", "");
        missing.score_disclosure = "6".into();
        let errors = missing.parse(&rubric, &clauses(), true).unwrap_err();
        assert!(
            errors
                .get("score_disclosure")
                .expect("valid")
                .contains("1 to 5")
        );
        // Criteria the brief did not enable are not asked for.
        assert!(errors.get("score_brand_voice").is_none());
        let errors = review("", "").parse(&rubric, &clauses(), true).unwrap_err();
        assert!(errors.get("decision").is_some());
    }

    #[test]
    fn requesting_changes_needs_a_change_and_a_round_left() {
        let rubric = [Criterion::BriefAlignment, Criterion::Disclosure];
        let errors = review("request_changes", " \n ")
            .parse(&rubric, &clauses(), true)
            .unwrap_err();
        assert!(
            errors
                .get("changes")
                .expect("valid")
                .contains("at least one")
        );
        let ok = review(
            "request_changes",
            "Brighter light\n\n[disclosure] #ad first",
        )
        .parse(&rubric, &clauses(), true)
        .expect("valid");
        assert_eq!(ok.items.len(), 2);
        let errors = review("request_changes", "Brighter light")
            .parse(&rubric, &clauses(), false)
            .unwrap_err();
        assert!(errors.get("decision").expect("valid").contains("used up"));
        let errors = review("request_changes", "ok\n[do 9] nope")
            .parse(&rubric, &clauses(), true)
            .unwrap_err();
        assert!(errors.get("changes").expect("valid").starts_with("Line 2:"));
    }

    #[test]
    fn every_open_item_needs_an_answer() {
        let open = [
            OpenItem {
                number: 1,
                body: "a".into(),
            },
            OpenItem {
                number: 2,
                body: "b".into(),
            },
        ];
        let mut form = SubmissionForm::default();
        form.fields
            .insert("content_url".into(), "https://drive.example/v2".into());
        form.fields.insert("item_1_status".into(), "done".into());
        form.fields.insert("item_2_status".into(), "reply".into());
        let errors = form.parse(&open).unwrap_err();
        assert!(
            errors
                .get("item_2_reply")
                .expect("valid")
                .contains("item 2")
        );
        form.fields.insert(
            "item_2_reply".into(),
            "The light is the brand's look".into(),
        );
        let ok = form.parse(&open).expect("valid");
        assert_eq!(ok.answers[1].answer, Answer::Replied);
        form.fields.remove("item_1_status");
        assert!(
            form.parse(&open)
                .unwrap_err()
                .get("item_1_status")
                .is_some()
        );
        form.fields.insert("content_url".into(), "ftp://x".into());
        assert!(form.parse(&[]).unwrap_err().get("content_url").is_some());
    }

    #[test]
    fn ratings_need_every_criterion_of_the_side() {
        let form = RatingForm {
            quality: "5".into(),
            reliability: "4".into(),
            communication: "0".into(),
            ..RatingForm::default()
        };
        let errors = form.parse(&creator_criteria()).unwrap_err();
        assert!(errors.get("communication").is_some());
        assert!(errors.get("results").is_some());
        assert!(errors.get("quality").is_none());
    }
}
