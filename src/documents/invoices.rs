//! Invoices to brands: one per funded collaboration, issued with the hold,
//! numbered without gaps, never changed. The fee is passed through to the
//! creator; the agency's fee includes its tax when a rate is set.

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{
    issuer,
    numbering::{self, Series},
};
use crate::domain::{Currency, Money, number::basis_points_text};

/// An issued invoice, as printed.
#[derive(Debug, Clone)]
pub struct Invoice {
    pub id: Uuid,
    pub number: String,
    pub issued_at: OffsetDateTime,
    pub issuer_name: String,
    pub issuer_address: String,
    pub issuer_tax_id: String,
    pub brand_name: String,
    pub brand_address: String,
    pub brand_tax_id: String,
    pub application_id: Uuid,
    pub campaign_title: String,
    pub creator_name: String,
    pub fee: Money,
    /// The agency's fee, its tax included.
    pub brand_fee: Money,
    pub tax_label: String,
    pub tax_basis_points: i32,
    pub tax: Money,
}

impl Invoice {
    pub fn total(&self) -> Money {
        Money::from_minor(
            self.fee.minor() + self.brand_fee.minor(),
            self.fee.currency(),
        )
    }

    /// The agency's fee without its tax.
    pub fn brand_fee_net(&self) -> Money {
        Money::from_minor(
            self.brand_fee.minor() - self.tax.minor(),
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

/// Issues the invoice of a collaboration whose fee was just held, or of an
/// amendment whose price was, in the hold's transaction: its number is taken
/// only if the hold commits.
pub async fn issue(
    tx: &mut PgConnection,
    application_id: Uuid,
    amendment: Option<Uuid>,
) -> Result<Uuid, sqlx::Error> {
    let issuer = issuer::load(&mut *tx).await?;
    let hold = sqlx::query!(
        r#"select h.brand_id, coalesce(m.price_minor, h.fee_minor) as "fee_minor!",
                  coalesce(m.brand_fee_minor, h.brand_fee_minor) as "brand_fee_minor!",
                  h.currency as "currency: Currency",
                  b.name as brand_name, b.billing_address, b.tax_id,
                  c.title || coalesce(' (amendment ' || (g.number - 1) || ')', '') as "title!",
                  u.display_name as creator_name
             from escrow_holds h
             join brands b on b.id = h.brand_id
             join applications a on a.id = h.application_id
             join campaigns c on c.id = a.campaign_id
             join influencer_profiles p on p.id = h.profile_id
             join users u on u.id = p.user_id
             left join amendments m on m.id = $2 and m.application_id = h.application_id
             left join agreements g on g.id = m.agreement_id
            where h.application_id = $1 and ($2::uuid is null or m.id is not null)"#,
        application_id,
        amendment
    )
    .fetch_one(&mut *tx)
    .await?;
    let brand_fee = Money::from_minor(hold.brand_fee_minor, hold.currency);
    let tax = issuer.included_tax(brand_fee);
    let number = numbering::next(&mut *tx, Series::Invoice).await?;
    let id = Uuid::now_v7();
    sqlx::query!(
        "insert into invoices (id, number, year, sequence, application_id, brand_id, issuer_name,
                               issuer_address, issuer_tax_id, brand_name, brand_address,
                               brand_tax_id, campaign_title, creator_name, currency, fee_minor,
                               brand_fee_minor, tax_label, tax_basis_points, tax_minor,
                               amendment_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
                 $19, $20, $21)",
        id,
        number.text,
        number.year,
        number.sequence,
        application_id,
        hold.brand_id,
        issuer.name,
        issuer.address,
        issuer.tax_id,
        hold.brand_name,
        hold.billing_address,
        hold.tax_id,
        hold.title,
        hold.creator_name,
        hold.currency as Currency,
        hold.fee_minor,
        hold.brand_fee_minor,
        issuer.tax_label,
        issuer.tax_basis_points as i32,
        tax.minor(),
        amendment,
    )
    .execute(&mut *tx)
    .await?;
    Ok(id)
}

/// An invoice, for a member of its brand (`Some(brand)`) or the agency (`None`).
pub async fn find(
    db: impl PgExecutor<'_>,
    brand: Option<Uuid>,
    id: Uuid,
) -> Result<Option<Invoice>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select id, number, issued_at, issuer_name, issuer_address, issuer_tax_id, brand_name,
                  brand_address, brand_tax_id, application_id, campaign_title, creator_name,
                  currency as "currency: Currency", fee_minor, brand_fee_minor, tax_label,
                  tax_basis_points, tax_minor
             from invoices
            where id = $1 and ($2::uuid is null or brand_id = $2)"#,
        id,
        brand
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| {
        let money = |minor| Money::from_minor(minor, r.currency);
        Invoice {
            id: r.id,
            number: r.number,
            issued_at: r.issued_at,
            issuer_name: r.issuer_name,
            issuer_address: r.issuer_address,
            issuer_tax_id: r.issuer_tax_id,
            brand_name: r.brand_name,
            brand_address: r.brand_address,
            brand_tax_id: r.brand_tax_id,
            application_id: r.application_id,
            campaign_title: r.campaign_title,
            creator_name: r.creator_name,
            fee: money(r.fee_minor),
            brand_fee: money(r.brand_fee_minor),
            tax_label: r.tax_label,
            tax_basis_points: r.tax_basis_points,
            tax: money(r.tax_minor),
        }
    }))
}

/// An invoice as the billing page lists it.
#[derive(Debug, Clone)]
pub struct InvoiceLine {
    pub id: Uuid,
    pub number: String,
    pub issued_at: OffsetDateTime,
    pub campaign_title: String,
    pub creator_name: String,
    pub total: Money,
}

pub async fn of_brand(
    db: impl PgExecutor<'_>,
    brand_id: Uuid,
    limit: i64,
) -> Result<Vec<InvoiceLine>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select id, number, issued_at, campaign_title, creator_name,
                  fee_minor + brand_fee_minor as "total!", currency as "currency: Currency"
             from invoices where brand_id = $1
            order by issued_at desc, sequence desc
            limit $2"#,
        brand_id,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| InvoiceLine {
            id: r.id,
            number: r.number,
            issued_at: r.issued_at,
            campaign_title: r.campaign_title,
            creator_name: r.creator_name,
            total: Money::from_minor(r.total, r.currency),
        })
        .collect())
}

/// The invoice of a collaboration's fee, if it was held (an amendment's
/// price has its own).
pub async fn of_application(
    db: impl PgExecutor<'_>,
    application_id: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "select id from invoices where application_id = $1 and amendment_id is null",
        application_id
    )
    .fetch_optional(db)
    .await
}
