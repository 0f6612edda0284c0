//! The rules of quoting work asked for outside the brief.

use serde::Deserialize;

use crate::{
    agreements::domain::AmendmentStatus,
    domain::{Currency, Money, money::parse_fee, number::whole_number, text::required_text},
    web::FieldErrors,
};

/// The most extra days a quote may ask for.
pub const MAX_EXTRA_DAYS: i32 = 365;

/// The creator's quote as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct QuoteForm {
    pub what: String,
    pub price: String,
    pub extra_days: String,
}

/// A quote as parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteTerms {
    pub what: String,
    pub price: Money,
    pub extra_days: i32,
}

impl QuoteForm {
    pub fn parse(&self, currency: Currency) -> Result<QuoteTerms, FieldErrors> {
        let mut errors = FieldErrors::new();
        let what = errors.check(
            "what",
            required_text(
                &self.what,
                "what you will make",
                1000,
                "Say what you will make for this request: the brand signs exactly that.",
            ),
        );
        let price = errors.check("price", parse_fee(&self.price, currency, "your price"));
        let extra_days = errors.check(
            "extra_days",
            whole_number(&self.extra_days, "the extra days", 0, MAX_EXTRA_DAYS),
        );
        match (what, price, extra_days) {
            (Some(what), Some(price), Some(extra_days)) if errors.is_empty() => Ok(QuoteTerms {
                what,
                price,
                extra_days,
            }),
            _ => Err(errors),
        }
    }
}

/// What a requested change is, as far as quoting goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestState {
    pub out_of_scope: bool,
    pub answered: bool,
    pub quoted: Option<AmendmentStatus>,
    pub collaboration_open: bool,
    /// The agreement waits for a signature (work has not started).
    pub agreement_pending: bool,
}

/// Why this request cannot be quoted now; `None` when it can.
pub fn quote_problem(r: RequestState) -> Option<&'static str> {
    if !r.collaboration_open {
        Some("This collaboration has ended: nothing more can be quoted.")
    } else if r.agreement_pending {
        Some("Sign the partnership agreement first: amendments change an agreement in force.")
    } else if !r.out_of_scope {
        Some(
            "The brand did not mark this request as outside the brief: it is part of the \
             agreed work. Answer it with your next draft.",
        )
    } else if r.answered {
        Some("You already answered this request in a draft.")
    } else {
        match r.quoted {
            Some(AmendmentStatus::Quoted) => {
                Some("You quoted this request already: the brand has not decided yet.")
            }
            Some(AmendmentStatus::Accepted) => {
                Some("The brand accepted your quote for this request: it is a deliverable now.")
            }
            Some(AmendmentStatus::Declined) => {
                Some("The brand declined your quote: the request was withdrawn.")
            }
            Some(AmendmentStatus::Withdrawn) | None => None,
        }
    }
}

/// What scope creep came to on a collaboration: the requests outside the
/// brief, what became of their quotes, and what the accepted ones added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeCreep {
    pub requests: i64,
    pub waiting: usize,
    pub accepted: usize,
    pub declined: usize,
    /// What the accepted amendments added to the fee.
    pub added: Money,
}

impl ScopeCreep {
    /// From the count of requests outside the brief and the collaboration's
    /// quotes' statuses and prices.
    pub fn of(
        requests: i64,
        quotes: &[(AmendmentStatus, Money)],
        currency: Currency,
    ) -> ScopeCreep {
        let count = |s| quotes.iter().filter(|(status, _)| *status == s).count();
        ScopeCreep {
            requests,
            waiting: count(AmendmentStatus::Quoted),
            accepted: count(AmendmentStatus::Accepted),
            declined: count(AmendmentStatus::Declined),
            added: Money::from_minor(
                quotes
                    .iter()
                    .filter(|(s, _)| *s == AmendmentStatus::Accepted)
                    .map(|(_, m)| m.minor())
                    .sum(),
                currency,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open() -> RequestState {
        RequestState {
            out_of_scope: true,
            answered: false,
            quoted: None,
            collaboration_open: true,
            agreement_pending: false,
        }
    }

    #[test]
    fn only_an_open_request_outside_the_brief_can_be_quoted() {
        assert_eq!(quote_problem(open()), None);
        let withdrawn = RequestState {
            quoted: Some(AmendmentStatus::Withdrawn),
            ..open()
        };
        assert_eq!(
            quote_problem(withdrawn),
            None,
            "a withdrawn quote may be sent again"
        );
        for refused in [
            RequestState {
                out_of_scope: false,
                ..open()
            },
            RequestState {
                answered: true,
                ..open()
            },
            RequestState {
                collaboration_open: false,
                ..open()
            },
            RequestState {
                agreement_pending: true,
                ..open()
            },
            RequestState {
                quoted: Some(AmendmentStatus::Quoted),
                ..open()
            },
            RequestState {
                quoted: Some(AmendmentStatus::Accepted),
                ..open()
            },
            RequestState {
                quoted: Some(AmendmentStatus::Declined),
                ..open()
            },
        ] {
            assert!(quote_problem(refused).is_some(), "{refused:?}");
        }
    }

    #[test]
    fn a_quote_needs_what_a_price_and_whole_extra_days() {
        let form = |what: &str, price: &str, days: &str| QuoteForm {
            what: what.into(),
            price: price.into(),
            extra_days: days.into(),
        };
        let ok = form("A second story", "150.50", "3")
            .parse(Currency::Eur)
            .expect("valid");
        assert_eq!(ok.price, Money::from_minor(15_050, Currency::Eur));
        assert_eq!(ok.extra_days, 3);
        let errors = form("", "0", "-1").parse(Currency::Eur).unwrap_err();
        for field in ["what", "price", "extra_days"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
        let errors = form("x", "10", "366").parse(Currency::Eur).unwrap_err();
        assert!(errors.get("extra_days").is_some());
        let errors = form("x", "1.234", "2").parse(Currency::Eur).unwrap_err();
        assert!(errors.get("price").is_some(), "no fractions of a cent");
    }

    #[test]
    fn scope_creep_counts_only_accepted_prices_as_added() {
        let eur = |minor| Money::from_minor(minor, Currency::Eur);
        let scope = ScopeCreep::of(
            4,
            &[
                (AmendmentStatus::Accepted, eur(15_000)),
                (AmendmentStatus::Declined, eur(9_000)),
                (AmendmentStatus::Withdrawn, eur(5_000)),
                (AmendmentStatus::Accepted, eur(2_500)),
                (AmendmentStatus::Quoted, eur(1_000)),
            ],
            Currency::Eur,
        );
        assert_eq!(
            (
                scope.requests,
                scope.waiting,
                scope.accepted,
                scope.declined
            ),
            (4, 1, 2, 1)
        );
        assert_eq!(scope.added, eur(17_500));
    }
}
