//! Gap-free document numbers: each series counts from 1 every calendar year.
//! The counter row is taken under its lock in the document's own transaction,
//! so two documents never share a number, and one that is rolled back gives
//! its number back.

use sqlx::PgConnection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Series {
    Invoice,
    Statement,
    CreditNote,
}

impl Series {
    fn key(self) -> &'static str {
        match self {
            Series::Invoice => "invoice",
            Series::Statement => "statement",
            Series::CreditNote => "credit_note",
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            Series::Invoice => "INV",
            Series::Statement => "PS",
            Series::CreditNote => "CN",
        }
    }
}

/// A number taken: its year, its place in the year, and how it is printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    pub year: i32,
    pub sequence: i32,
    pub text: String,
}

/// The text of a document number: `INV-2026-000042`.
pub fn format(series: Series, year: i32, sequence: i32) -> String {
    format!("{}-{year}-{sequence:06}", series.prefix())
}

/// Takes the next number of `series` for the current year (UTC).
pub async fn next(tx: &mut PgConnection, series: Series) -> Result<Number, sqlx::Error> {
    let row = sqlx::query!(
        r#"insert into document_counters (series, year, last_number)
           values ($1, extract(year from now() at time zone 'utc')::int, 1)
           on conflict (series, year) do update set last_number = document_counters.last_number + 1
           returning year, last_number"#,
        series.key()
    )
    .fetch_one(tx)
    .await?;
    Ok(Number {
        year: row.year,
        sequence: row.last_number,
        text: format(series, row.year, row.last_number),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_in_order_within_a_year() {
        assert_eq!(format(Series::Invoice, 2026, 42), "INV-2026-000042");
        assert_eq!(format(Series::Statement, 2027, 1), "PS-2027-000001");
        assert!(format(Series::Invoice, 2026, 9) < format(Series::Invoice, 2026, 10));
    }
}
