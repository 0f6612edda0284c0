//! What an agency admin decides on a dispute, free of HTTP and SQL.

use serde::Deserialize;

use crate::{
    billing::escrow::Settlement,
    domain::{Money, keyed_enum, text::required_text},
    ledger::IdempotencyKey,
    web::FieldErrors,
};

keyed_enum! {
    pub enum Resolution {
        Release => ("release", "All to the creator"),
        Refund => ("refund", "All back to the brand"),
        Split => ("split", "Split by amounts"),
    }
    unknown: "Choose how the money is settled."
}

/// The reason a side gives when it opens a dispute.
pub fn parse_reason(typed: &str) -> Result<String, String> {
    required_text(
        typed,
        "the reason",
        2000,
        "Say what went wrong: the other side and the agency read it.",
    )
}

/// The admin's settlement as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ResolveForm {
    pub resolution: String,
    pub to_creator: String,
    pub note: String,
    pub idempotency_key: String,
}

/// A settlement the ledger can post: how, what of the fee goes to the
/// creator, and the note both sides read.
#[derive(Debug, Clone)]
pub struct Decided {
    pub resolution: Resolution,
    pub settlement: Settlement,
    /// Of the deliverable's fee: to the creator, and back to the brand.
    pub to_creator: Money,
    pub to_brand: Money,
    pub note: String,
    pub key: IdempotencyKey,
}

impl ResolveForm {
    /// Checks the form against the deliverable's `fee`: a split names what of
    /// it the creator is paid, from nothing to all of it.
    pub fn parse(&self, fee: Money) -> Result<Decided, FieldErrors> {
        let mut e = FieldErrors::new();
        let key = e.check("resolution", IdempotencyKey::parse(&self.idempotency_key));
        let resolution = e.check("resolution", Resolution::parse(&self.resolution));
        let to_creator = match resolution {
            Some(Resolution::Release) => Some(fee),
            Some(Resolution::Refund) => Some(Money::from_minor(0, fee.currency())),
            Some(Resolution::Split) => e.check("to_creator", split_part(&self.to_creator, fee)),
            None => None,
        };
        let note = e.check(
            "note",
            required_text(
                &self.note,
                "the note",
                2000,
                "Explain the decision: both sides read it.",
            ),
        );
        match (resolution, to_creator, note, key) {
            (Some(resolution), Some(to_creator), Some(note), Some(key)) => {
                let settlement = match resolution {
                    Resolution::Release => Settlement::Release,
                    Resolution::Refund => Settlement::Refund,
                    Resolution::Split => Settlement::Split { to_creator },
                };
                Ok(Decided {
                    resolution,
                    settlement,
                    to_brand: Money::from_minor(fee.minor() - to_creator.minor(), fee.currency()),
                    to_creator,
                    note,
                    key,
                })
            }
            _ => Err(e),
        }
    }
}

/// The creator's part of a split: an amount in the fee's currency, more than
/// nothing and less than the whole (those are the other two settlements).
fn split_part(typed: &str, fee: Money) -> Result<Money, String> {
    if typed.trim().is_empty() {
        return Err(format!(
            "Enter what of the {fee} fee the creator is paid; the rest returns to the brand."
        ));
    }
    let part = Money::parse_decimal(typed, fee.currency())?;
    if part.minor() <= 0 || part.minor() >= fee.minor() {
        return Err(format!(
            "Enter an amount between nothing and the whole fee, {fee}; for all or nothing, \
             choose that settlement instead."
        ));
    }
    Ok(part)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Currency;

    fn form(resolution: &str, to_creator: &str, note: &str) -> ResolveForm {
        ResolveForm {
            resolution: resolution.into(),
            to_creator: to_creator.into(),
            note: note.into(),
            idempotency_key: IdempotencyKey::new().as_str().to_owned(),
        }
    }

    #[test]
    fn a_split_names_a_part_strictly_between_nothing_and_the_fee() {
        let fee = Money::from_minor(50_000, Currency::Eur);
        let d = form("split", "200.50", "Half the posts went live.")
            .parse(fee)
            .expect("valid");
        assert_eq!(d.to_creator.minor(), 20_050);
        assert_eq!(d.to_brand.minor(), 29_950);
        for bad in ["", "0", "500", "600", "-1", "1.234", "abc"] {
            let errors = form("split", bad, "note").parse(fee).expect_err(bad);
            assert!(errors.get("to_creator").is_some(), "{bad}");
        }
    }

    #[test]
    fn release_and_refund_need_no_amount_but_every_settlement_needs_a_note() {
        let fee = Money::from_minor(10_000, Currency::Usd);
        let d = form("release", "", "Delivered as briefed.")
            .parse(fee)
            .expect("valid");
        assert_eq!((d.to_creator.minor(), d.to_brand.minor()), (10_000, 0));
        let d = form("refund", "ignored", "Never delivered.")
            .parse(fee)
            .expect("valid");
        assert_eq!((d.to_creator.minor(), d.to_brand.minor()), (0, 10_000));
        let errors = form("release", "", "  ").parse(fee).expect_err("no note");
        assert!(errors.get("note").is_some());
        let errors = form("keep", "", "note").parse(fee).expect_err("unknown");
        assert!(errors.get("resolution").is_some());
    }
}
