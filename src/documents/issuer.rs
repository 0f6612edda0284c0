//! Who issues Liaison's invoices and statements (the agency's name, address
//! and tax id) and the tax its fee includes. Kept with the agency's terms, set
//! on `/admin/finance`.

use serde::Deserialize;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use crate::{
    domain::{
        Money,
        number::{basis_points_text, parse_percent},
        text::{bounded_text, single_line},
    },
    web::FieldErrors,
};

/// Tax is capped like the fees: a rate, not the price.
const MAX_TAX_BASIS_POINTS: i64 = 5_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issuer {
    pub name: String,
    pub address: String,
    pub tax_id: String,
    /// "VAT", "GST", "Sales tax".
    pub tax_label: String,
    /// Included in the agency's fee (2,000 = 20%); 0 prints no tax line.
    pub tax_basis_points: i64,
}

impl Issuer {
    /// The tax included in `fee` at this rate, rounded half up:
    /// fee × rate / (1 + rate).
    pub fn included_tax(&self, fee: Money) -> Money {
        included_tax(fee, self.tax_basis_points)
    }

    pub fn tax_text(&self) -> String {
        basis_points_text(self.tax_basis_points)
    }
}

pub fn included_tax(fee: Money, basis_points: i64) -> Money {
    let numerator = i128::from(fee.minor()) * i128::from(basis_points);
    let denominator = 10_000 + i128::from(basis_points);
    let minor = (2 * numerator + denominator) / (2 * denominator);
    Money::from_minor(minor as i64, fee.currency())
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct IssuerForm {
    pub issuer_name: String,
    pub issuer_address: String,
    pub issuer_tax_id: String,
    pub tax_label: String,
    pub tax_percent: String,
}

impl IssuerForm {
    pub fn from_issuer(i: &Issuer) -> IssuerForm {
        IssuerForm {
            issuer_name: i.name.clone(),
            issuer_address: i.address.clone(),
            issuer_tax_id: i.tax_id.clone(),
            tax_label: i.tax_label.clone(),
            tax_percent: basis_points_text(i.tax_basis_points),
        }
    }

    pub fn parse(&self) -> Result<Issuer, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.check(
            "issuer_name",
            single_line(&self.issuer_name, "the agency's name", 140),
        );
        let address = e.check(
            "issuer_address",
            bounded_text(&self.issuer_address, "the agency's address", 500),
        );
        let tax_id = e.check(
            "issuer_tax_id",
            bounded_text(&self.issuer_tax_id, "the agency's tax id", 40),
        );
        let tax_label = e.check(
            "tax_label",
            single_line(&self.tax_label, "the tax's name", 20),
        );
        let tax_basis_points = e.check(
            "tax_percent",
            parse_percent(&self.tax_percent).and_then(|bp| {
                if bp > MAX_TAX_BASIS_POINTS {
                    Err("Enter a tax rate of at most 50%.".to_owned())
                } else {
                    Ok(bp)
                }
            }),
        );
        match (name, address, tax_id, tax_label, tax_basis_points) {
            (Some(name), Some(address), Some(tax_id), Some(tax_label), Some(tax_basis_points)) => {
                Ok(Issuer {
                    name,
                    address,
                    tax_id,
                    tax_label,
                    tax_basis_points,
                })
            }
            _ => Err(e),
        }
    }
}

pub async fn load(db: impl PgExecutor<'_>) -> Result<Issuer, sqlx::Error> {
    let r = sqlx::query!(
        "select issuer_name, issuer_address, issuer_tax_id, tax_label, tax_basis_points
           from agency_terms"
    )
    .fetch_one(db)
    .await?;
    Ok(Issuer {
        name: r.issuer_name,
        address: r.issuer_address,
        tax_id: r.issuer_tax_id,
        tax_label: r.tax_label,
        tax_basis_points: i64::from(r.tax_basis_points),
    })
}

pub async fn save(tx: &mut PgConnection, i: &Issuer, by: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update agency_terms
            set issuer_name = $1, issuer_address = $2, issuer_tax_id = $3, tax_label = $4,
                tax_basis_points = $5, updated_at = now(), updated_by = $6",
        i.name,
        i.address,
        i.tax_id,
        i.tax_label,
        i.tax_basis_points as i32,
        by
    )
    .execute(tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Currency;

    #[test]
    fn the_tax_included_in_a_fee_is_its_share_of_fee_over_one_plus_rate() {
        let fee = Money::from_minor(12_000, Currency::Eur);
        assert_eq!(included_tax(fee, 2_000).minor(), 2_000);
        assert_eq!(included_tax(fee, 0).minor(), 0);
        // 230.00 at 19%: 36.72 (36.7226…)
        assert_eq!(
            included_tax(Money::from_minor(23_000, Currency::Eur), 1_900).minor(),
            3_672
        );
    }
}
