//! An account's movements as CSV, for a spreadsheet or an accountant.

use time::format_description::well_known::Rfc3339;

use super::{AccountKind, Movement, Owner, db};
use crate::{domain::text::spreadsheet_cell, error::AppError};

/// The export's bound: years of a busy account's movements.
const EXPORT_LIMIT: i64 = 100_000;

/// Every movement of an owner's accounts of one kind, newest first, as CSV.
pub async fn history(
    pool: &sqlx::PgPool,
    kind: AccountKind,
    owner: Owner,
) -> Result<Vec<u8>, AppError> {
    let all = db::movements(pool, kind, owner, None, EXPORT_LIMIT).await?;
    csv(&all).map_err(|e| AppError::Internal(e.into()))
}

/// One row per movement: value date, recorded time, what, memo, amount (signed,
/// in the currency's units), currency and the balance after it.
pub fn csv(movements: &[Movement]) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "date",
        "recorded_at",
        "what",
        "memo",
        "amount",
        "currency",
        "balance_after",
    ])?;
    for m in movements {
        out.write_record([
            m.effective_at.date().to_string(),
            m.recorded_at.format(&Rfc3339).unwrap_or_default(),
            m.kind.label().to_owned(),
            spreadsheet_cell(&m.memo),
            m.amount.to_decimal_string(),
            m.amount.currency().code().to_owned(),
            m.balance_after.to_decimal_string(),
        ])?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::{
        domain::{Currency, Money},
        ledger::TransferKind,
    };

    #[test]
    fn movements_read_as_csv_with_formulas_defused() {
        let m = Movement {
            effective_at: datetime!(2026-11-05 00:00 UTC),
            recorded_at: datetime!(2026-11-05 09:30 UTC),
            kind: TransferKind::Funding,
            memo: "=HYPERLINK(\"x\"), ref 42".to_owned(),
            amount: Money::from_minor(-123_450, Currency::Eur),
            balance_after: Money::from_minor(500_000, Currency::Eur),
            place: crate::ledger::HistoryCursor {
                recorded_at: datetime!(2026-11-05 09:30 UTC),
                version: 3,
                account: uuid::Uuid::nil(),
            },
        };
        let text = String::from_utf8(csv(&[m]).expect("csv")).expect("utf-8");
        assert_eq!(
            text,
            "date,recorded_at,what,memo,amount,currency,balance_after\n\
             2026-11-05,2026-11-05T09:30:00Z,Funds received,\"'=HYPERLINK(\"\"x\"\"), ref 42\",-1234.50,EUR,5000.00\n"
        );
    }
}
