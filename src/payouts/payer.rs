//! The agency's own account, which payouts are made from: the debtor of its
//! SEPA files. Kept with the agency's terms.

use serde::Deserialize;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::account;
use crate::{domain::text::single_line, web::FieldErrors};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payer {
    pub name: String,
    pub iban: String,
    pub bic: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct PayerForm {
    pub payer_name: String,
    pub payer_iban: String,
    pub payer_bic: String,
}

impl PayerForm {
    pub fn from_payer(payer: &Option<Payer>) -> PayerForm {
        payer
            .as_ref()
            .map(|p| PayerForm {
                payer_name: p.name.clone(),
                payer_iban: p.iban.clone(),
                payer_bic: p.bic.clone(),
            })
            .unwrap_or_default()
    }

    pub fn parse(&self) -> Result<Payer, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.check(
            "payer_name",
            single_line(&self.payer_name, "the account holder's name", 70),
        );
        let iban = e.check("payer_iban", account::parse_iban(&self.payer_iban));
        let bic = e.check("payer_bic", account::parse_bic(&self.payer_bic));
        match (name, iban, bic) {
            (Some(name), Some(iban), Some(bic)) => Ok(Payer { name, iban, bic }),
            _ => Err(e),
        }
    }
}

/// The agency's account, once it has been given.
pub async fn load(db: impl PgExecutor<'_>) -> Result<Option<Payer>, sqlx::Error> {
    let row = sqlx::query!("select payer_name, payer_iban, payer_bic from agency_terms")
        .fetch_one(db)
        .await?;
    Ok((!row.payer_iban.is_empty()).then_some(Payer {
        name: row.payer_name,
        iban: row.payer_iban,
        bic: row.payer_bic,
    }))
}

pub async fn save(tx: &mut PgConnection, payer: &Payer, by: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update agency_terms
            set payer_name = $1, payer_iban = $2, payer_bic = $3, updated_at = now(),
                updated_by = $4",
        payer.name,
        payer.iban,
        payer.bic,
        by
    )
    .execute(tx)
    .await?;
    Ok(())
}
