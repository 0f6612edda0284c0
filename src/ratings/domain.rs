//! The rating rules, free of HTTP and SQL: what each side rates, on a 1–5 scale.

use serde::Deserialize;

use crate::{
    domain::{keyed_enum, score::parse_score, text::bounded_text},
    web::FieldErrors,
};

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

#[cfg(test)]
mod tests {
    use super::*;

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
