//! The agency's terms: its fee on each side of a collaboration, how long past
//! a brief's review promise a draft waits before it is approved for a silent
//! brand, and the smallest balance paid out. One row, set on `/admin/finance`.

use serde::Deserialize;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use crate::{
    domain::{
        Money,
        number::{basis_points_text, parse_percent, whole_number},
    },
    web::FieldErrors,
};

/// Fees are capped well below the whole: a fee is a share, not the fee itself.
const MAX_FEE_BASIS_POINTS: i64 = 5_000;

/// The defaults are the migration's: 10% from brands, nothing from creators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgencyTerms {
    /// Added to what a brand pays on each collaboration (1,000 = 10%).
    pub brand_fee_basis_points: i64,
    /// Taken from what a creator is paid (0 = creators get the whole fee).
    pub creator_fee_basis_points: i64,
    pub auto_approve_grace_days: i32,
    /// In minor units of whichever currency is paid out.
    pub payout_minimum_minor: i64,
}

impl Default for AgencyTerms {
    fn default() -> Self {
        AgencyTerms {
            brand_fee_basis_points: 1_000,
            creator_fee_basis_points: 0,
            auto_approve_grace_days: 3,
            payout_minimum_minor: 2_000,
        }
    }
}

impl AgencyTerms {
    /// The agency's fee on a brand's side of `fee`, rounded to the nearest
    /// minor unit (half up).
    pub fn brand_fee(&self, fee: Money) -> Money {
        share(fee, self.brand_fee_basis_points)
    }

    /// The agency's fee on a creator's side of `gross`.
    pub fn creator_fee(&self, gross: Money) -> Money {
        share(gross, self.creator_fee_basis_points)
    }

    pub fn brand_fee_text(&self) -> String {
        basis_points_text(self.brand_fee_basis_points)
    }

    pub fn creator_fee_text(&self) -> String {
        basis_points_text(self.creator_fee_basis_points)
    }
}

/// `basis_points` of `amount`, in integer arithmetic (i128: no overflow for
/// any amount Liaison accepts), rounded half up.
fn share(amount: Money, basis_points: i64) -> Money {
    let minor = (i128::from(amount.minor()) * i128::from(basis_points) + 5_000) / 10_000;
    Money::from_minor(minor as i64, amount.currency())
}

pub async fn load(db: impl PgExecutor<'_>) -> Result<AgencyTerms, sqlx::Error> {
    let row = sqlx::query!(
        "select brand_fee_basis_points, creator_fee_basis_points, auto_approve_grace_days,
                payout_minimum_minor
           from agency_terms"
    )
    .fetch_one(db)
    .await?;
    Ok(AgencyTerms {
        brand_fee_basis_points: i64::from(row.brand_fee_basis_points),
        creator_fee_basis_points: i64::from(row.creator_fee_basis_points),
        auto_approve_grace_days: row.auto_approve_grace_days,
        payout_minimum_minor: row.payout_minimum_minor,
    })
}

pub async fn save(tx: &mut PgConnection, terms: &AgencyTerms, by: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update agency_terms
            set brand_fee_basis_points = $1, creator_fee_basis_points = $2,
                auto_approve_grace_days = $3, payout_minimum_minor = $4,
                updated_at = now(), updated_by = $5",
        terms.brand_fee_basis_points as i32,
        terms.creator_fee_basis_points as i32,
        terms.auto_approve_grace_days,
        terms.payout_minimum_minor,
        by
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// The terms form as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct TermsForm {
    pub brand_fee_percent: String,
    pub creator_fee_percent: String,
    pub auto_approve_grace_days: String,
    pub payout_minimum: String,
}

impl TermsForm {
    pub fn from_terms(terms: &AgencyTerms) -> TermsForm {
        TermsForm {
            brand_fee_percent: terms.brand_fee_text(),
            creator_fee_percent: terms.creator_fee_text(),
            auto_approve_grace_days: terms.auto_approve_grace_days.to_string(),
            payout_minimum: Money::from_minor(terms.payout_minimum_minor, Default::default())
                .to_decimal_string(),
        }
    }

    pub fn parse(&self) -> Result<AgencyTerms, FieldErrors> {
        let mut e = FieldErrors::new();
        let brand = e.check("brand_fee_percent", fee_percent(&self.brand_fee_percent));
        let creator = e.check(
            "creator_fee_percent",
            fee_percent(&self.creator_fee_percent),
        );
        let grace = e.check(
            "auto_approve_grace_days",
            whole_number(&self.auto_approve_grace_days, "the grace in days", 0, 30),
        );
        let minimum = e.check(
            "payout_minimum",
            Money::parse_decimal(&self.payout_minimum, Default::default()).and_then(|m| {
                if m.minor() <= 100_000_000 {
                    Ok(m.minor())
                } else {
                    Err("Enter a minimum of at most 1,000,000.".to_owned())
                }
            }),
        );
        match (brand, creator, grace, minimum) {
            (Some(brand), Some(creator), Some(grace), Some(minimum)) => Ok(AgencyTerms {
                brand_fee_basis_points: brand,
                creator_fee_basis_points: creator,
                auto_approve_grace_days: grace,
                payout_minimum_minor: minimum,
            }),
            _ => Err(e),
        }
    }
}

/// A fee percentage: 0 (no fee) up to 50, two decimals at most.
fn fee_percent(input: &str) -> Result<i64, String> {
    let trimmed = input.trim().trim_end_matches('%').trim();
    if trimmed.chars().all(|c| c == '0' || c == '.') && trimmed.contains('0') {
        return Ok(0);
    }
    let bp = parse_percent(input)?;
    if bp > MAX_FEE_BASIS_POINTS {
        return Err("Enter a fee of at most 50%.".to_owned());
    }
    Ok(bp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Currency;

    #[test]
    fn fees_are_shares_in_whole_minor_units_rounded_half_up() {
        let terms = AgencyTerms {
            brand_fee_basis_points: 1_000,
            creator_fee_basis_points: 250,
            auto_approve_grace_days: 3,
            payout_minimum_minor: 2_000,
        };
        let fee = Money::from_minor(12_345, Currency::Usd);
        assert_eq!(terms.brand_fee(fee).minor(), 1_235);
        assert_eq!(terms.creator_fee(fee).minor(), 309);
        let huge = Money::from_minor(100_000_000_000, Currency::Usd);
        assert_eq!(terms.brand_fee(huge).minor(), 10_000_000_000);
    }

    #[test]
    fn the_terms_form_takes_zero_and_refuses_what_is_not_a_fee() {
        let form = |brand: &str, creator: &str, grace: &str| TermsForm {
            brand_fee_percent: brand.to_owned(),
            creator_fee_percent: creator.to_owned(),
            auto_approve_grace_days: grace.to_owned(),
            payout_minimum: "20".to_owned(),
        };
        let terms = form("10", "0", "3").parse().expect("valid");
        assert_eq!(terms.brand_fee_basis_points, 1_000);
        assert_eq!(terms.creator_fee_basis_points, 0);
        assert_eq!(terms.payout_minimum_minor, 2_000);
        let errors = form("60", "-1", "31").parse().expect_err("invalid");
        assert!(errors.get("brand_fee_percent").is_some());
        assert!(errors.get("creator_fee_percent").is_some());
        assert!(errors.get("auto_approve_grace_days").is_some());
    }
}
