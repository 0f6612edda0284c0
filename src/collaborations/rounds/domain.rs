//! The rules of a round, free of HTTP and SQL: the cap, and what a draft and
//! its answers to open items must hold.

use std::collections::HashMap;

use crate::{
    domain::{keyed_enum, link::http_url, text::bounded_text},
    web::FieldErrors,
};

keyed_enum! {
    /// How the creator answered an action item in the next round.
    pub enum Answer {
        Done => ("done", "Done"),
        Replied => ("replied", "Replied"),
    }
    unknown: "Mark the item done, or reply to it."
}

pub use crate::campaigns::brief::domain::rounds_allowed;

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
    /// For video and audio: where the disclosure is in the content.
    pub video_disclosure: Option<String>,
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

    /// Every open item must be answered: done, or a reply saying why not. A
    /// video or audio draft says where its disclosure is (`needs_statement`).
    pub fn parse(
        &self,
        open: &[OpenItem],
        needs_statement: bool,
    ) -> Result<NewSubmission, FieldErrors> {
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
        let statement = self.get("video_disclosure").trim();
        let video_disclosure = if !needs_statement {
            None
        } else if statement.is_empty() {
            errors.add(
                "video_disclosure",
                "Say where the disclosure is in the content itself, on screen and spoken, \
                 e.g. \"overlay 0:00–0:05, spoken at 0:03\".",
            );
            None
        } else {
            errors
                .check(
                    "video_disclosure",
                    bounded_text(statement, "where the disclosure is", 300).map(Some),
                )
                .flatten()
        };
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
                    video_disclosure,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let errors = form.parse(&open, false).unwrap_err();
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
        let ok = form.parse(&open, false).expect("valid");
        assert_eq!(ok.answers[1].answer, Answer::Replied);
        form.fields.remove("item_1_status");
        assert!(
            form.parse(&open, false)
                .unwrap_err()
                .get("item_1_status")
                .is_some()
        );
        form.fields.insert("content_url".into(), "ftp://x".into());
        assert!(
            form.parse(&[], false)
                .unwrap_err()
                .get("content_url")
                .is_some()
        );
    }

    #[test]
    fn a_video_draft_says_where_its_disclosure_is() {
        let mut form = SubmissionForm::default();
        form.fields
            .insert("content_url".into(), "https://drive.example/cut".into());
        form.fields.insert("caption".into(), "#ad New film".into());
        assert!(
            form.parse(&[], false)
                .expect("a post needs none")
                .video_disclosure
                .is_none()
        );
        let errors = form.parse(&[], true).expect_err("a video needs it");
        assert!(errors.get("video_disclosure").is_some());
        form.fields
            .insert("video_disclosure".into(), " overlay 0:00-0:05 ".into());
        let ok = form.parse(&[], true).expect("valid");
        assert_eq!(ok.video_disclosure.as_deref(), Some("overlay 0:00-0:05"));
    }
}
