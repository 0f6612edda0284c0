//! Applications, free of HTTP and SQL: their states and moves, who may apply,
//! the fee a creator's rate card suggests, and the forms.

use serde::Deserialize;

use crate::{
    auth::Reach,
    campaigns::brief::Deliverable,
    domain::{
        Currency, Format, Money, Platform, Tier, keyed_enum, money::parse_fee, text::required_text,
    },
};

keyed_enum! {
    pub enum Status {
        Submitted => ("submitted", "Submitted"),
        Shortlisted => ("shortlisted", "Shortlisted"),
        Accepted => ("accepted", "Accepted"),
        Declined => ("declined", "Declined"),
        Withdrawn => ("withdrawn", "Withdrawn"),
        /// Ended after acceptance, by the brand or by the creator withdrawing.
        Cancelled => ("cancelled", "Cancelled"),
    }
    unknown: "Choose a status."
}

impl Status {
    /// Still in play: counts as the creator's one application to the campaign.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            Status::Submitted | Status::Shortlisted | Status::Accepted
        )
    }
}

/// What someone does to an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Shortlist,
    Accept,
    Decline,
    Withdraw,
    /// The brand ends an accepted collaboration.
    Cancel,
}

impl Move {
    /// The state the move leads to from `from`, or why it can't be made.
    pub fn from(self, from: Status) -> Result<Status, String> {
        use Status::*;
        match (self, from) {
            (Move::Shortlist, Submitted) => Ok(Shortlisted),
            (Move::Accept, Submitted | Shortlisted) => Ok(Accepted),
            (Move::Decline, Submitted | Shortlisted) => Ok(Declined),
            (Move::Withdraw, Submitted | Shortlisted) => Ok(Withdrawn),
            // After acceptance both sides may end the collaboration; its
            // unreleased money returns to the brand.
            (Move::Withdraw | Move::Cancel, Accepted) => Ok(Cancelled),
            (_, status) => Err(format!(
                "This application is {}; it can't be changed that way any more.",
                status.label().to_lowercase()
            )),
        }
    }

    /// The move named in an address: `/applications/{id}/{move}`.
    pub fn parse(name: &str) -> Option<Move> {
        match name {
            "shortlist" => Some(Move::Shortlist),
            "accept" => Some(Move::Accept),
            "decline" => Some(Move::Decline),
            "withdraw" => Some(Move::Withdraw),
            "cancel" => Some(Move::Cancel),
            _ => None,
        }
    }
}

/// Why a creator can't apply to a campaign they can see, if they can't: the
/// campaign targets tiers and platforms, and a creator applies within them.
pub fn fit_problem(
    reach: Option<&Reach>,
    tiers: &[Tier],
    platforms: &[Platform],
) -> Option<String> {
    let Some(reach) = reach else {
        return Some(
            "Add a channel with its figures to your profile first: brands choose creators by tier and platform."
                .into(),
        );
    };
    if !tiers.contains(&reach.tier) {
        return Some(format!(
            "This campaign is for other tiers than yours ({}, by your largest channel).",
            reach.tier.label()
        ));
    }
    if !platforms.iter().any(|p| reach.platforms.contains(p)) {
        return Some(
            "This campaign is for platforms you have no channel on; add the channel to your profile to apply."
                .into(),
        );
    }
    None
}

/// The creator's rate card applied to the brief's deliverables, in the
/// campaign's currency; `None` when any deliverable has no matching rate.
pub fn suggested_fee(
    rates: &[(Platform, Format, Money)],
    deliverables: &[Deliverable],
    currency: Currency,
) -> Option<Money> {
    if deliverables.is_empty() {
        return None;
    }
    let mut total: i64 = 0;
    for d in deliverables {
        let price = rates
            .iter()
            .find(|(p, f, m)| *p == d.platform && *f == d.format && m.currency() == currency)?
            .2;
        total = total.checked_add(price.minor().checked_mul(i64::from(d.quantity))?)?;
    }
    Some(Money::from_minor(total, currency))
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ApplicationForm {
    pub pitch: String,
    pub proposed_fee: String,
    pub brief_version: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApplication {
    pub pitch: String,
    pub fee: Money,
    pub brief_version: i32,
}

impl ApplicationForm {
    pub fn parse(
        &self,
        currency: Currency,
        current_version: i32,
    ) -> Result<NewApplication, crate::web::FieldErrors> {
        let mut e = crate::web::FieldErrors::new();
        let pitch = e.check(
            "pitch",
            required_text(
                &self.pitch,
                "your pitch",
                5000,
                "Write your pitch: why you, and what you would make for this campaign.",
            ),
        );
        let fee = e.check(
            "proposed_fee",
            parse_fee(&self.proposed_fee, currency, "your fee"),
        );
        let version = e.check(
            "brief_version",
            match self.brief_version.trim().parse::<i32>() {
                Ok(v) if v == current_version => Ok(v),
                Ok(_) => Err(format!(
                    "The brief has changed since you opened it: read version {current_version}, then confirm you have."
                )),
                Err(_) => Err("Confirm you have read the brief.".into()),
            },
        );
        match (pitch, fee, version) {
            (Some(pitch), Some(fee), Some(brief_version)) if e.is_empty() => Ok(NewApplication {
                pitch,
                fee,
                brief_version,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn reach(tier: Tier, platforms: &[Platform]) -> Reach {
        Reach {
            tier,
            platforms: platforms.to_vec(),
        }
    }

    #[test]
    fn moves_follow_the_lifecycle() {
        assert_eq!(
            Move::Shortlist.from(Status::Submitted),
            Ok(Status::Shortlisted)
        );
        assert_eq!(Move::Accept.from(Status::Shortlisted), Ok(Status::Accepted));
        assert_eq!(Move::Decline.from(Status::Submitted), Ok(Status::Declined));
        assert!(Move::Accept.from(Status::Declined).is_err());
        assert_eq!(Move::Withdraw.from(Status::Accepted), Ok(Status::Cancelled));
        assert_eq!(Move::Cancel.from(Status::Accepted), Ok(Status::Cancelled));
        assert!(Move::Cancel.from(Status::Submitted).is_err());
        assert!(Move::Withdraw.from(Status::Cancelled).is_err());
        assert!(Move::Shortlist.from(Status::Shortlisted).is_err());
        assert!(Status::Accepted.is_active() && !Status::Withdrawn.is_active());
        assert!(!Status::Cancelled.is_active());
    }

    #[test]
    fn fit_needs_a_channel_an_eligible_tier_and_a_shared_platform() {
        use Platform::{Instagram, Tiktok};
        let tiers = [Tier::Micro];
        let platforms = [Instagram];
        assert!(fit_problem(None, &tiers, &platforms).is_some());
        let nano = reach(Tier::Nano, &[Instagram]);
        assert!(fit_problem(Some(&nano), &tiers, &platforms).is_some_and(|m| m.contains("Nano")));
        let tiktok = reach(Tier::Micro, &[Tiktok]);
        assert!(fit_problem(Some(&tiktok), &tiers, &platforms).is_some());
        let fits = reach(Tier::Micro, &[Tiktok, Instagram]);
        assert_eq!(fit_problem(Some(&fits), &tiers, &platforms), None);
    }

    #[test]
    fn the_rate_card_suggests_a_fee_only_when_it_prices_every_deliverable() {
        let d = |platform, format, quantity| Deliverable {
            platform,
            format,
            quantity,
            due_on: date!(2026 - 12 - 20),
            notes: String::new(),
        };
        let rates = [
            (
                Platform::Instagram,
                Format::Post,
                Money::from_minor(40_000, Currency::Usd),
            ),
            (
                Platform::Instagram,
                Format::Story,
                Money::from_minor(10_000, Currency::Usd),
            ),
        ];
        let brief = [
            d(Platform::Instagram, Format::Post, 2),
            d(Platform::Instagram, Format::Story, 3),
        ];
        assert_eq!(
            suggested_fee(&rates, &brief, Currency::Usd),
            Some(Money::from_minor(110_000, Currency::Usd))
        );
        assert_eq!(suggested_fee(&rates, &brief, Currency::Eur), None);
        assert_eq!(
            suggested_fee(
                &rates,
                &[d(Platform::Tiktok, Format::ShortVideo, 1)],
                Currency::Usd
            ),
            None
        );
    }

    #[test]
    fn an_application_needs_a_pitch_a_positive_fee_and_the_current_brief() {
        let form = ApplicationForm {
            pitch: "  ".into(),
            proposed_fee: "-5".into(),
            brief_version: "1".into(),
        };
        let e = form.parse(Currency::Usd, 2).expect_err("invalid");
        assert!(e.get("pitch").is_some());
        assert!(e.get("proposed_fee").is_some());
        assert!(
            e.get("brief_version")
                .is_some_and(|m| m.contains("version 2"))
        );
        let ok = ApplicationForm {
            pitch: "I run these trails every week.".into(),
            proposed_fee: "1,200".into(),
            brief_version: "2".into(),
        };
        let a = ok.parse(Currency::Usd, 2).expect("valid");
        assert_eq!(a.fee.minor(), 120_000);
    }
}
