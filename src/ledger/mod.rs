//! The money ledger: double entry, append-only, idempotent (the rules are in
//! `migrations/0017_ledger.sql`, enforced by the database as well as here).
//!
//! A feature that moves money describes the movement as a [`NewTransfer`]: its
//! kind, the idempotency key the request carried, a digest of what the request
//! asked, and its legs (an account and a signed amount each, positive adding to
//! the account). [`db::post`] posts it inside the caller's transaction, so the
//! movement and whatever the feature records with it commit together or not at
//! all. [`verify`] recomputes every balance from the entries.

pub mod db;
pub mod export;
pub mod history;
pub mod load;
pub mod verify;

pub use history::HistoryCursor;

use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::domain::{Currency, Money};

crate::domain::keyed_enum! {
    /// What an account holds, and for whom.
    pub enum AccountKind {
        /// A brand's money not yet committed to any collaboration.
        BrandFunds => ("brand_funds", "Available funds"),
        /// One collaboration's agreed fee and agency fee, held until released.
        Escrow => ("escrow", "Held in escrow"),
        /// What the agency owes a creator, until it is paid out.
        CreatorPayable => ("creator_payable", "Payable to the creator"),
        /// The agency's fees, earned.
        AgencyRevenue => ("agency_revenue", "Agency fees"),
        /// The other side of money brands sent: it grows negative as brands fund.
        CashReceived => ("cash_received", "Cash received"),
        /// The other side of payouts: it grows as creators are paid.
        CashPaidOut => ("cash_paid_out", "Cash paid out"),
    }
    unknown: "Choose an account kind."
}

crate::domain::keyed_enum! {
    /// Why money moved.
    pub enum TransferKind {
        Funding => ("funding", "Funds received"),
        Hold => ("hold", "Held for a collaboration"),
        Release => ("release", "Released to the creator"),
        Refund => ("refund", "Returned to the brand"),
        Split => ("split", "Split after a dispute"),
        Payout => ("payout", "Paid out"),
        Correction => ("correction", "Correction"),
    }
    unknown: "Choose a transfer kind."
}

/// Whose account, in one currency. An escrow account belongs to a
/// collaboration (its accepted application).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Owner {
    Brand(Uuid),
    Collaboration(Uuid),
    Creator(Uuid),
    Agency,
    World,
}

impl Owner {
    /// The owner as the account's (brand, application, profile) columns.
    fn columns(self) -> (Option<Uuid>, Option<Uuid>, Option<Uuid>) {
        match self {
            Owner::Brand(id) => (Some(id), None, None),
            Owner::Collaboration(id) => (None, Some(id), None),
            Owner::Creator(id) => (None, None, Some(id)),
            Owner::Agency | Owner::World => (None, None, None),
        }
    }

    /// The owner as the account's one never-null `owner_key`: the owner's
    /// id, or the nil UUID for the agency and the outside world (whose
    /// accounts the kind tells apart).
    fn key(self) -> Uuid {
        match self {
            Owner::Brand(id) | Owner::Collaboration(id) | Owner::Creator(id) => id,
            Owner::Agency | Owner::World => Uuid::nil(),
        }
    }
}

/// An account as a feature names it: the ledger finds or opens it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AccountRef {
    pub kind: AccountKind,
    pub owner: Owner,
    pub currency: Currency,
}

impl AccountRef {
    pub fn brand_funds(brand_id: Uuid, currency: Currency) -> AccountRef {
        AccountRef {
            kind: AccountKind::BrandFunds,
            owner: Owner::Brand(brand_id),
            currency,
        }
    }

    pub fn escrow(application_id: Uuid, currency: Currency) -> AccountRef {
        AccountRef {
            kind: AccountKind::Escrow,
            owner: Owner::Collaboration(application_id),
            currency,
        }
    }

    pub fn creator_payable(profile_id: Uuid, currency: Currency) -> AccountRef {
        AccountRef {
            kind: AccountKind::CreatorPayable,
            owner: Owner::Creator(profile_id),
            currency,
        }
    }

    pub fn agency_revenue(currency: Currency) -> AccountRef {
        AccountRef {
            kind: AccountKind::AgencyRevenue,
            owner: Owner::Agency,
            currency,
        }
    }

    pub fn cash_received(currency: Currency) -> AccountRef {
        AccountRef {
            kind: AccountKind::CashReceived,
            owner: Owner::World,
            currency,
        }
    }

    pub fn cash_paid_out(currency: Currency) -> AccountRef {
        AccountRef {
            kind: AccountKind::CashPaidOut,
            owner: Owner::World,
            currency,
        }
    }
}

/// One line of a transfer: an account and what it gains (negative: loses),
/// in the account's currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leg {
    pub account: AccountRef,
    pub amount_minor: i64,
    pub currency: Currency,
}

/// A movement of money to post. Build it with [`NewTransfer::moving`].
#[derive(Debug, Clone)]
pub struct NewTransfer {
    pub kind: TransferKind,
    pub key: IdempotencyKey,
    /// What the request asked, so that a reused key with a different request
    /// is told apart from a retry.
    pub digest: [u8; 32],
    pub effective_at: time::OffsetDateTime,
    pub memo: String,
    pub created_by: Option<Uuid>,
    pub legs: Vec<Leg>,
}

impl NewTransfer {
    /// `amount` from `from` to `to`: the simplest balanced transfer; add more
    /// legs with [`NewTransfer::and`].
    pub fn moving(
        kind: TransferKind,
        key: IdempotencyKey,
        amount: Money,
        from: AccountRef,
        to: AccountRef,
    ) -> NewTransfer {
        NewTransfer {
            kind,
            key,
            digest: [0; 32],
            effective_at: time::OffsetDateTime::now_utc(),
            memo: String::new(),
            created_by: None,
            legs: Vec::new(),
        }
        .and(amount, from, to)
    }

    /// Another `amount` from `from` to `to` in the same transfer.
    pub fn and(mut self, amount: Money, from: AccountRef, to: AccountRef) -> NewTransfer {
        for (account, amount_minor) in [(from, -amount.minor()), (to, amount.minor())] {
            self.legs.push(Leg {
                account,
                amount_minor,
                currency: amount.currency(),
            });
        }
        self
    }

    /// The digest of the request's content, in words a person could read back.
    pub fn asking(mut self, request: &str) -> NewTransfer {
        self.digest = Sha256::digest(request.as_bytes()).into();
        self
    }

    pub fn memo(mut self, memo: impl Into<String>) -> NewTransfer {
        self.memo = memo.into();
        self
    }

    pub fn by(mut self, user: Uuid) -> NewTransfer {
        self.created_by = Some(user);
        self
    }

    pub fn effective(mut self, at: time::OffsetDateTime) -> NewTransfer {
        self.effective_at = at;
        self
    }

    /// The legs merged per account (one entry per account in a transfer),
    /// without the accounts that end up unchanged; refused when they do not
    /// balance in each currency or move nothing.
    pub fn entries(&self) -> Result<Vec<Leg>, LedgerError> {
        let mut merged: Vec<Leg> = Vec::new();
        for leg in &self.legs {
            if leg.amount_minor == 0 {
                continue;
            }
            if leg.currency != leg.account.currency {
                return Err(LedgerError::Unbalanced);
            }
            match merged.iter_mut().find(|m| m.account == leg.account) {
                Some(m) => {
                    m.amount_minor = m
                        .amount_minor
                        .checked_add(leg.amount_minor)
                        .ok_or(LedgerError::Unbalanced)?;
                }
                None => merged.push(*leg),
            }
        }
        merged.retain(|m| m.amount_minor != 0);
        if merged.is_empty() {
            return Err(LedgerError::Empty);
        }
        for currency in Currency::ALL {
            let sum = merged
                .iter()
                .filter(|m| m.account.currency == currency)
                .try_fold(0i64, |sum, m| sum.checked_add(m.amount_minor));
            if sum != Some(0) {
                return Err(LedgerError::Unbalanced);
            }
        }
        Ok(merged)
    }
}

/// The key a money-moving request carries (a hidden field on each form, a
/// header on the API): the same key again gets the first result.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// A fresh key, for a form about to be shown.
    pub fn new() -> IdempotencyKey {
        IdempotencyKey(Uuid::now_v7().to_string())
    }

    /// A key as a request sent it: 8 to 200 visible ASCII characters.
    pub fn parse(sent: &str) -> Result<IdempotencyKey, String> {
        let sent = sent.trim();
        let visible = sent.chars().all(|c| c.is_ascii_graphic());
        if (8..=200).contains(&sent.len()) && visible {
            Ok(IdempotencyKey(sent.to_owned()))
        } else {
            Err("The form's request key is missing. Reload the page and send it again.".to_owned())
        }
    }

    /// A key derived from something that is itself unique (a source's event
    /// id), so the same event recorded twice moves money once.
    pub fn derived(scope: &str, id: &str) -> IdempotencyKey {
        IdempotencyKey(format!("{scope}:{id}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for IdempotencyKey {
    fn default() -> Self {
        IdempotencyKey::new()
    }
}

/// One entry of an account's history: when, why, how much, and the balance
/// after it.
#[derive(Debug, Clone)]
pub struct Movement {
    pub effective_at: time::OffsetDateTime,
    pub recorded_at: time::OffsetDateTime,
    pub kind: TransferKind,
    pub memo: String,
    /// Positive: the account gained it.
    pub amount: Money,
    pub balance_after: Money,
    /// Where it stands in the owner's history, for the page after it.
    pub place: HistoryCursor,
}

impl Movement {
    pub fn is_credit(&self) -> bool {
        self.amount.minor() > 0
    }

    /// The amount without its sign, for a column that says in or out.
    pub fn magnitude(&self) -> Money {
        Money::from_minor(self.amount.minor().abs(), self.amount.currency())
    }
}

/// What posting a transfer did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Posted {
    /// The money moved, as this transfer.
    New(Uuid),
    /// The key was used before for the same request: nothing moved again;
    /// this is the first transfer.
    Replayed(Uuid),
}

impl Posted {
    pub fn transfer_id(self) -> Uuid {
        match self {
            Posted::New(id) | Posted::Replayed(id) => id,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("the transfer's legs do not balance in each currency")]
    Unbalanced,
    #[error("the transfer moves nothing")]
    Empty,
    /// An account that may not go negative would.
    #[error("{kind} would fall {short_by} short")]
    Insufficient { kind: AccountKind, short_by: Money },
    /// The key was used before, for a different request.
    #[error("this request key was already used for a different request")]
    KeyReused,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Where a handler has no form to show it on: a refusal is a 409 that says
/// what happened (nothing moved), anything else a server fault.
impl From<LedgerError> for crate::error::AppError {
    fn from(e: LedgerError) -> Self {
        use crate::error::AppError;
        match e {
            LedgerError::Db(e) => AppError::from(e),
            LedgerError::Insufficient { short_by, .. } => AppError::Conflict(format!(
                "There is not enough money for this: {short_by} short. Nothing was moved."
            )),
            LedgerError::KeyReused => AppError::Conflict(
                "This form was already sent with different content. Reload the page and try again; \
                 nothing was moved."
                    .to_owned(),
            ),
            LedgerError::Unbalanced | LedgerError::Empty => {
                AppError::Internal(anyhow::anyhow!("an invalid transfer was built: {e}"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(minor: i64) -> Money {
        Money::from_minor(minor, Currency::Usd)
    }

    #[test]
    fn a_transfer_merges_its_legs_per_account_and_must_balance() {
        let brand = AccountRef::brand_funds(Uuid::now_v7(), Currency::Usd);
        let escrow = AccountRef::escrow(Uuid::now_v7(), Currency::Usd);
        let t = NewTransfer::moving(
            TransferKind::Hold,
            IdempotencyKey::new(),
            usd(1000),
            brand,
            escrow,
        )
        .and(usd(100), brand, escrow);
        let entries = t.entries().expect("balanced");
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].amount_minor, -1100);
        assert_eq!(entries[1].amount_minor, 1100);

        let mut unbalanced = t.clone();
        unbalanced.legs[0].amount_minor -= 1;
        assert!(matches!(unbalanced.entries(), Err(LedgerError::Unbalanced)));
        let mut foreign = t.clone();
        foreign.legs[0].currency = Currency::Eur;
        foreign.legs[1].currency = Currency::Eur;
        assert!(matches!(foreign.entries(), Err(LedgerError::Unbalanced)));

        let nothing = NewTransfer::moving(
            TransferKind::Hold,
            IdempotencyKey::new(),
            usd(5),
            brand,
            brand,
        );
        assert!(matches!(nothing.entries(), Err(LedgerError::Empty)));
    }

    #[test]
    fn an_amount_moves_only_between_accounts_of_its_currency() {
        let usd_cash = AccountRef::cash_received(Currency::Usd);
        let eur_funds = AccountRef::brand_funds(Uuid::now_v7(), Currency::Eur);
        let t = NewTransfer::moving(
            TransferKind::Funding,
            IdempotencyKey::new(),
            usd(100),
            usd_cash,
            eur_funds,
        );
        assert!(matches!(t.entries(), Err(LedgerError::Unbalanced)));
    }

    #[test]
    fn request_keys_are_visible_text_of_reasonable_length() {
        assert!(IdempotencyKey::parse(&IdempotencyKey::new().0).is_ok());
        assert!(IdempotencyKey::parse("short").is_err());
        assert!(IdempotencyKey::parse("has a space inside").is_err());
        assert!(IdempotencyKey::parse(&"k".repeat(201)).is_err());
    }
}
