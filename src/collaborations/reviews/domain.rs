//! The rules of a review, free of HTTP and SQL: scores for the enabled rubric,
//! changes that cite the brief's clauses, and a decision that needs a change
//! and a round left to request changes.

use serde::Deserialize;

use crate::{
    campaigns::brief::{Brief, Criterion},
    domain::{keyed_enum, score::parse_score, text::bounded_text},
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

#[cfg(test)]
mod tests {
    use super::*;

    fn review(decision: &str, changes: &str) -> ReviewForm {
        ReviewForm {
            decision: decision.into(),
            score_brief_alignment: "4".into(),
            score_disclosure: "2".into(),
            changes: changes.into(),
            ..ReviewForm::default()
        }
    }

    fn clauses() -> Clauses {
        Clauses {
            deliverables: vec!["2 × Instagram post, due 5 Dec 2026".into()],
            dos: vec!["Show the product in use".into(), "Film outdoors".into()],
            donts: vec!["No competitor products in shot".into()],
            disclosure: "#ad first".into(),
        }
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
}
