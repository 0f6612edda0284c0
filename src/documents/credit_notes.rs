//! Credit notes: money an invoice charged that went back to the brand (a
//! collaboration ended early, a dispute settled for the brand), one per
//! refund, numbered without gaps per year, never changed. The invoice stays
//! as it was issued.

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{
    issuer::included_tax,
    numbering::{self, Series},
};
use crate::domain::{Currency, Money, number::basis_points_text};

#[derive(Debug, Clone)]
pub struct CreditNote {
    pub id: Uuid,
    pub number: String,
    pub issued_at: OffsetDateTime,
    pub invoice_id: Uuid,
    pub invoice_number: String,
    pub issuer_name: String,
    pub issuer_address: String,
    pub issuer_tax_id: String,
    pub brand_name: String,
    pub brand_address: String,
    pub brand_tax_id: String,
    pub campaign_title: String,
    pub creator_name: String,
    pub reason: String,
    pub fee: Money,
    pub brand_fee: Money,
    pub tax_label: String,
    pub tax_basis_points: i32,
    pub tax: Money,
}

impl CreditNote {
    pub fn total(&self) -> Money {
        Money::from_minor(
            self.fee.minor() + self.brand_fee.minor(),
            self.fee.currency(),
        )
    }

    pub fn has_tax(&self) -> bool {
        self.tax_basis_points > 0
    }

    pub fn tax_text(&self) -> String {
        basis_points_text(i64::from(self.tax_basis_points))
    }
}

/// Issues the credit note of a refund just posted (`transfer_id`) on a
/// collaboration's escrow, in its transaction, against the collaboration's
/// first invoice (a refund returns its amendments' unsettled prices too). `None` when the collaboration
/// was never invoiced or nothing went back to the brand.
pub async fn issue(
    tx: &mut PgConnection,
    application_id: Uuid,
    transfer_id: Uuid,
    reason: &str,
) -> Result<Option<Uuid>, sqlx::Error> {
    let Some(invoice) = sqlx::query!(
        r#"select id, brand_id, tax_basis_points, currency as "currency: Currency"
             from invoices where application_id = $1 and amendment_id is null"#,
        application_id
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(None);
    };
    // What went back: the brand's entry in the refund, of which the fee part
    // is what the settled shares did not pay the creator.
    let back = sqlx::query!(
        r#"select coalesce((select sum(s.fee_minor - s.to_creator_minor) from escrow_shares s
                             where s.settled_transfer_id = $1), 0)::int8 as "fee!",
                  coalesce((select e.amount_minor from ledger_entries e
                              join ledger_accounts a on a.id = e.account_id
                             where e.transfer_id = $1 and a.kind = 'brand_funds'), 0) as "to_brand!""#,
        transfer_id
    )
    .fetch_one(&mut *tx)
    .await?;
    if back.to_brand <= 0 {
        return Ok(None);
    }
    let fee = back.fee.clamp(0, back.to_brand);
    let brand_fee = Money::from_minor(back.to_brand - fee, invoice.currency);
    let tax = included_tax(brand_fee, i64::from(invoice.tax_basis_points));
    let number = numbering::next(&mut *tx, Series::CreditNote).await?;
    let id = Uuid::now_v7();
    sqlx::query!(
        "insert into credit_notes (id, number, year, sequence, invoice_id, transfer_id, brand_id,
                                   reason, currency, fee_minor, brand_fee_minor, tax_minor)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        id,
        number.text,
        number.year,
        number.sequence,
        invoice.id,
        transfer_id,
        invoice.brand_id,
        reason,
        invoice.currency as Currency,
        fee,
        brand_fee.minor(),
        tax.minor(),
    )
    .execute(&mut *tx)
    .await?;
    Ok(Some(id))
}

/// A credit note, for a member of its brand (`Some(brand)`) or the agency.
pub async fn find(
    db: impl PgExecutor<'_>,
    brand: Option<Uuid>,
    id: Uuid,
) -> Result<Option<CreditNote>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select n.id, n.number, n.issued_at, n.invoice_id, i.number as invoice_number,
                  i.issuer_name, i.issuer_address, i.issuer_tax_id, i.brand_name, i.brand_address,
                  i.brand_tax_id, i.campaign_title, i.creator_name, n.reason,
                  n.currency as "currency: Currency", n.fee_minor, n.brand_fee_minor, i.tax_label,
                  i.tax_basis_points, n.tax_minor
             from credit_notes n join invoices i on i.id = n.invoice_id
            where n.id = $1 and ($2::uuid is null or n.brand_id = $2)"#,
        id,
        brand
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| {
        let money = |minor| Money::from_minor(minor, r.currency);
        CreditNote {
            id: r.id,
            number: r.number,
            issued_at: r.issued_at,
            invoice_id: r.invoice_id,
            invoice_number: r.invoice_number,
            issuer_name: r.issuer_name,
            issuer_address: r.issuer_address,
            issuer_tax_id: r.issuer_tax_id,
            brand_name: r.brand_name,
            brand_address: r.brand_address,
            brand_tax_id: r.brand_tax_id,
            campaign_title: r.campaign_title,
            creator_name: r.creator_name,
            reason: r.reason,
            fee: money(r.fee_minor),
            brand_fee: money(r.brand_fee_minor),
            tax_label: r.tax_label,
            tax_basis_points: r.tax_basis_points,
            tax: money(r.tax_minor),
        }
    }))
}

/// A credit note as the billing page lists it.
#[derive(Debug, Clone)]
pub struct CreditNoteLine {
    pub id: Uuid,
    pub number: String,
    pub issued_at: OffsetDateTime,
    pub invoice_number: String,
    pub total: Money,
}

pub async fn of_brand(
    db: impl PgExecutor<'_>,
    brand_id: Uuid,
    limit: i64,
) -> Result<Vec<CreditNoteLine>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select n.id, n.number, n.issued_at, i.number as invoice_number,
                  n.fee_minor + n.brand_fee_minor as "total!", n.currency as "currency: Currency"
             from credit_notes n join invoices i on i.id = n.invoice_id
            where n.brand_id = $1
            order by n.issued_at desc, n.sequence desc
            limit $2"#,
        brand_id,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| CreditNoteLine {
            id: r.id,
            number: r.number,
            issued_at: r.issued_at,
            invoice_number: r.invoice_number,
            total: Money::from_minor(r.total, r.currency),
        })
        .collect())
}
