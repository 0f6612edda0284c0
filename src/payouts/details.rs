//! A creator's business and payout details: who is paid (legal name, address,
//! tax or VAT id) and where (an account holder and an IBAN or US account).
//! The form, its checks, and their storage with the account encrypted.

use serde::Deserialize;
use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{
    account::{self, BankAccount, Method},
    vault,
};
use crate::{
    config::DataKey,
    domain::text::{bounded_text, country_code, required_text, single_line},
    web::FieldErrors,
};

/// The details as typed. The account fields come back empty: a saved
/// account is never shown again, only its last four characters.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct DetailsForm {
    pub legal_name: String,
    pub address: String,
    pub country: String,
    pub tax_id: String,
    pub account_holder: String,
    pub method: String,
    pub iban: String,
    pub bic: String,
    pub routing_number: String,
    pub account_number: String,
}

/// Checked details. `account` is `None` when the creator kept the saved one.
#[derive(Debug, Clone)]
pub struct Details {
    pub legal_name: String,
    pub address: String,
    pub country: String,
    pub tax_id: String,
    pub account_holder: String,
    pub method: Method,
    pub account: Option<BankAccount>,
    pub bic: String,
}

impl DetailsForm {
    /// The form filled in from saved details, account fields left empty.
    pub fn from_saved(saved: &Saved) -> DetailsForm {
        DetailsForm {
            legal_name: saved.legal_name.clone(),
            address: saved.address.clone(),
            country: saved.country.clone(),
            tax_id: saved.tax_id.clone(),
            account_holder: saved.account_holder.clone(),
            method: saved.method.key().to_owned(),
            bic: saved.bic.clone(),
            ..DetailsForm::default()
        }
    }

    /// Checks every field; the account may be left empty to keep `saved`'s
    /// when the method is the same.
    pub fn parse(&self, saved: Option<&Saved>) -> Result<Details, FieldErrors> {
        let mut e = FieldErrors::new();
        let legal_name = e.check(
            "legal_name",
            single_line(&self.legal_name, "the legal name", 140),
        );
        let address = e.check(
            "address",
            required_text(
                &self.address,
                "the address",
                500,
                "Enter the address on your invoices: street, town, postcode.",
            ),
        );
        let country = e.check("country", country_code(&self.country));
        let tax_id = e.check(
            "tax_id",
            bounded_text(&self.tax_id, "the tax or VAT id", 40),
        );
        let account_holder = e.check(
            "account_holder",
            single_line(&self.account_holder, "the account holder's name", 70),
        );
        let method = e.check("method", Method::parse(&self.method));
        let kept = saved.is_some_and(|s| Some(s.method) == method);
        let account = match method {
            Some(Method::Iban) if kept && self.iban.trim().is_empty() => Some(None),
            Some(Method::Iban) => e
                .check("iban", account::parse_iban(&self.iban))
                .map(|iban| Some(BankAccount::Iban(iban))),
            Some(Method::UsAccount)
                if kept
                    && self.routing_number.trim().is_empty()
                    && self.account_number.trim().is_empty() =>
            {
                Some(None)
            }
            Some(Method::UsAccount) => {
                let routing = e.check(
                    "routing_number",
                    account::parse_routing(&self.routing_number),
                );
                let number = e.check(
                    "account_number",
                    account::parse_us_account(&self.account_number),
                );
                routing
                    .zip(number)
                    .map(|(routing, account)| Some(BankAccount::Us { routing, account }))
            }
            None => None,
        };
        let bic = match method {
            Some(Method::Iban) => e.check("bic", account::parse_bic(&self.bic)),
            _ => Some(String::new()),
        };
        match (
            legal_name,
            address,
            country,
            tax_id,
            account_holder,
            method,
            account,
            bic,
        ) {
            (
                Some(legal_name),
                Some(address),
                Some(country),
                Some(tax_id),
                Some(account_holder),
                Some(method),
                Some(account),
                Some(bic),
            ) if e.is_empty() => Ok(Details {
                legal_name,
                address,
                country,
                tax_id,
                account_holder,
                method,
                account,
                bic,
            }),
            _ => Err(e),
        }
    }
}

/// Saved details as pages show them: the account masked.
#[derive(Debug, Clone)]
pub struct Saved {
    pub legal_name: String,
    pub address: String,
    pub country: String,
    pub tax_id: String,
    pub account_holder: String,
    pub method: Method,
    pub last4: String,
    pub bic: String,
    pub updated_at: OffsetDateTime,
}

impl Saved {
    pub fn masked(&self) -> String {
        account::masked(self.method, &self.last4)
    }
}

pub async fn load(db: impl PgExecutor<'_>, profile_id: Uuid) -> Result<Option<Saved>, sqlx::Error> {
    sqlx::query_as!(
        Saved,
        r#"select legal_name, address, country, tax_id, account_holder,
                  method as "method: Method", account_last4 as last4, bic, updated_at
             from payout_details where profile_id = $1"#,
        profile_id
    )
    .fetch_optional(db)
    .await
}

/// Saves the details, encrypting a new account under `key`; a kept account
/// (`details.account` is `None`) keeps its ciphertext.
pub async fn save(
    tx: &mut PgConnection,
    key: &DataKey,
    profile_id: Uuid,
    details: &Details,
    by: Uuid,
) -> Result<(), sqlx::Error> {
    let Some(account) = &details.account else {
        sqlx::query!(
            "update payout_details
                set legal_name = $2, address = $3, country = $4, tax_id = $5,
                    account_holder = $6, bic = $7, updated_at = now(), updated_by = $8
              where profile_id = $1",
            profile_id,
            details.legal_name,
            details.address,
            details.country,
            details.tax_id,
            details.account_holder,
            details.bic,
            by,
        )
        .execute(tx)
        .await?;
        return Ok(());
    };
    let sealed = vault::seal(key, profile_id, &account.to_secret());
    sqlx::query!(
        "insert into payout_details (profile_id, legal_name, address, country, tax_id,
                                     account_holder, method, account_ciphertext, account_last4,
                                     bic, updated_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         on conflict (profile_id) do update
            set legal_name = excluded.legal_name, address = excluded.address,
                country = excluded.country, tax_id = excluded.tax_id,
                account_holder = excluded.account_holder, method = excluded.method,
                account_ciphertext = excluded.account_ciphertext,
                account_last4 = excluded.account_last4,
                bic = excluded.bic, updated_at = now(), updated_by = excluded.updated_by",
        profile_id,
        details.legal_name,
        details.address,
        details.country,
        details.tax_id,
        details.account_holder,
        details.method as Method,
        sealed,
        account.last4(),
        details.bic,
        by,
    )
    .execute(tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> DetailsForm {
        DetailsForm {
            legal_name: "Aisha Patel Media Ltd".into(),
            address: "12 Canal Street\nManchester M1 3HE".into(),
            country: "gb".into(),
            tax_id: "GB123456789".into(),
            account_holder: "Aisha Patel Media Ltd".into(),
            method: "iban".into(),
            iban: "GB82 WEST 1234 5698 7654 32".into(),
            ..DetailsForm::default()
        }
    }

    #[test]
    fn complete_details_parse_and_a_bad_iban_is_named() {
        let d = form().parse(None).expect("valid");
        assert_eq!(d.country, "GB");
        assert_eq!(
            d.account,
            Some(BankAccount::Iban("GB82WEST12345698765432".into()))
        );
        let bad = DetailsForm {
            iban: "GB82 WEST 1234 5698 7654 33".into(),
            ..form()
        };
        let errors = bad.parse(None).expect_err("checksum");
        assert!(
            errors
                .get("iban")
                .is_some_and(|m| m.contains("check digits"))
        );
    }

    #[test]
    fn a_saved_account_is_kept_when_left_empty_but_a_first_one_is_required() {
        let empty_account = DetailsForm {
            iban: String::new(),
            ..form()
        };
        assert!(
            empty_account
                .parse(None)
                .expect_err("first")
                .get("iban")
                .is_some()
        );
        let saved = Saved {
            legal_name: "x".into(),
            address: "x".into(),
            country: "GB".into(),
            tax_id: String::new(),
            account_holder: "x".into(),
            method: Method::Iban,
            last4: "5432".into(),
            bic: String::new(),
            updated_at: OffsetDateTime::now_utc(),
        };
        assert_eq!(
            empty_account.parse(Some(&saved)).expect("kept").account,
            None
        );
        let switched = DetailsForm {
            method: "us_account".into(),
            ..empty_account
        };
        let errors = switched.parse(Some(&saved)).expect_err("new method");
        assert!(errors.get("routing_number").is_some() && errors.get("account_number").is_some());
    }
}
