//! Money received for a brand. Every source of funds (today a bank transfer
//! the agency records by hand; a card processor later) reports a [`Receipt`],
//! and [`record`] is the one way it reaches the ledger: a source's event is
//! recorded once (its id is unique per source), so a webhook retried or a
//! transfer typed twice moves the money once. A receipt is a report, never
//! authority: a processor's webhook would be checked against the processor
//! before it is turned into one.

use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use time::{Date, OffsetDateTime, Time};
use uuid::Uuid;

use crate::{
    domain::Money,
    ledger::{self, AccountRef, IdempotencyKey, LedgerError, NewTransfer, Posted, TransferKind},
};

crate::domain::keyed_enum! {
    /// Where money for a brand came from.
    pub enum Source {
        BankTransfer => ("bank_transfer", "Bank transfer"),
    }
    unknown: "Choose where the money came from."
}

/// Money a source reports as received for a brand.
#[derive(Debug, Clone)]
pub struct Receipt {
    pub source: Source,
    /// The source's own id for the event (for a bank transfer, its reference
    /// on the statement), unique per source.
    pub event_id: String,
    pub brand_id: Uuid,
    pub amount: Money,
    pub received_on: Date,
    pub reference: String,
}

impl Receipt {
    /// What the receipt says, to tell a repeat of it from a different receipt
    /// that reuses its event id.
    fn digest(&self) -> [u8; 32] {
        Sha256::digest(
            format!(
                "{}|{}|{}|{}|{}|{}",
                self.brand_id,
                self.amount.minor(),
                self.amount.currency().code(),
                self.received_on,
                self.reference,
                self.event_id
            )
            .as_bytes(),
        )
        .into()
    }
}

/// Records the receipt and moves its money to the brand's funds, in the
/// caller's transaction. The same receipt again answers
/// [`Posted::Replayed`]; the same event id with different content is
/// [`LedgerError::KeyReused`].
pub async fn record(
    tx: &mut PgConnection,
    receipt: &Receipt,
    recorded_by: Uuid,
) -> Result<Posted, LedgerError> {
    let currency = receipt.amount.currency();
    let mut transfer = NewTransfer::moving(
        TransferKind::Funding,
        IdempotencyKey::derived(
            &format!("funding:{}", receipt.source.key()),
            &receipt.event_id,
        ),
        receipt.amount,
        AccountRef::cash_received(currency),
        AccountRef::brand_funds(receipt.brand_id, currency),
    )
    .memo(format!("{}: {}", receipt.source.label(), receipt.reference))
    .by(recorded_by)
    .effective(OffsetDateTime::new_utc(receipt.received_on, Time::MIDNIGHT));
    transfer.digest = receipt.digest();
    let posted = ledger::db::post(&mut *tx, &transfer).await?;
    if let Posted::New(transfer_id) = posted {
        sqlx::query!(
            "insert into funding_receipts (id, source, event_id, brand_id, amount_minor, currency,
                                           received_on, reference, transfer_id, recorded_by)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            Uuid::now_v7(),
            receipt.source as Source,
            receipt.event_id,
            receipt.brand_id,
            receipt.amount.minor(),
            currency as crate::domain::Currency,
            receipt.received_on,
            receipt.reference,
            transfer_id,
            recorded_by,
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(posted)
}
