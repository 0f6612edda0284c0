//! Payout statements to creators: one per payout, issued when the batch is
//! marked sent, numbered without gaps, never changed. Each lists what was
//! released to the creator since their last statement: gross, the agency's
//! creator-side fee, and net.

use sqlx::PgConnection;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::{
    issuer::Issuer,
    numbering::{self, Series},
};
use crate::domain::{Currency, Format, Money, Platform};

#[derive(Debug, Clone)]
pub struct Statement {
    pub id: Uuid,
    pub number: String,
    pub issued_at: OffsetDateTime,
    pub issuer_name: String,
    pub issuer_address: String,
    pub issuer_tax_id: String,
    pub creator_legal_name: String,
    pub creator_address: String,
    pub creator_country: String,
    pub creator_tax_id: String,
    pub paid_to: String,
    pub amount: Money,
    pub lines: Vec<Line>,
}

#[derive(Debug, Clone)]
pub struct Line {
    pub description: String,
    pub released_on: Date,
    pub gross: Money,
    pub fee: Money,
    pub net: Money,
}

impl Statement {
    fn sum(&self, part: impl Fn(&Line) -> Money) -> Money {
        let minor = self.lines.iter().map(|l| part(l).minor()).sum();
        Money::from_minor(minor, self.amount.currency())
    }

    pub fn gross(&self) -> Money {
        self.sum(|l| l.gross)
    }

    pub fn fees(&self) -> Money {
        self.sum(|l| l.fee)
    }

    pub fn net(&self) -> Money {
        self.sum(|l| l.net)
    }
}

/// Issues the statement of a payout item just paid, in the payment's
/// transaction, in `issuer`'s name. `paid_to` names the account, masked.
pub async fn issue(
    tx: &mut PgConnection,
    issuer: &Issuer,
    item_id: Uuid,
    paid_to: &str,
) -> Result<Uuid, sqlx::Error> {
    let item = sqlx::query!(
        r#"select i.profile_id, i.amount_minor, i.currency as "currency: Currency",
                  i.legal_name, b.created_at as prepared_at,
                  coalesce(d.address, '') as "address!", coalesce(d.country, '') as "country!",
                  coalesce(d.tax_id, '') as "tax_id!"
             from payout_items i
             join payout_batches b on b.id = i.batch_id
             left join payout_details d on d.profile_id = i.profile_id
            where i.id = $1"#,
        item_id
    )
    .fetch_one(&mut *tx)
    .await?;
    // Every release to the creator in this currency before the batch was
    // prepared (its balance then is what is paid) that no statement listed.
    let releases = sqlx::query!(
        r#"select s.deliverable_id, c.title, d.quantity, d.platform as "platform: Platform",
                  d.format as "format: Format", s.settled_at as "settled_at!",
                  s.to_creator_minor as "gross!",
                  h.creator_fee_basis_points
             from escrow_shares s
             join escrow_holds h on h.application_id = s.application_id
             join deliverables d on d.id = s.deliverable_id
             join applications a on a.id = s.application_id
             join campaigns c on c.id = a.campaign_id
            where h.profile_id = $1 and h.currency = $2
              and s.settled in ('released', 'split') and s.settled_at <= $3
              and not exists (select 1 from payout_statement_lines l
                               where l.deliverable_id = s.deliverable_id)
            order by s.settled_at, s.deliverable_id"#,
        item.profile_id,
        item.currency as Currency,
        item.prepared_at
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut lines: Vec<(Option<Uuid>, String, Date, i64, i64)> = releases
        .into_iter()
        .filter(|r| r.gross > 0)
        .map(|r| {
            let fee = ((2 * i128::from(r.gross) * i128::from(r.creator_fee_basis_points) + 10_000)
                / 20_000) as i64;
            let description = format!(
                "{}: {} × {} {}",
                r.title,
                r.quantity,
                r.platform.label(),
                r.format.label().to_lowercase()
            );
            (
                Some(r.deliverable_id),
                description,
                r.settled_at.date(),
                r.gross,
                fee,
            )
        })
        .collect();
    let net: i64 = lines.iter().map(|(_, _, _, gross, fee)| gross - fee).sum();
    if net != item.amount_minor {
        // A correction moved the balance too: the statement still adds up.
        lines.push((
            None,
            "Other changes to your balance".to_owned(),
            item.prepared_at.date(),
            item.amount_minor - net,
            0,
        ));
    }
    let number = numbering::next(&mut *tx, Series::Statement).await?;
    let id = Uuid::now_v7();
    sqlx::query!(
        "insert into payout_statements (id, number, year, sequence, payout_item_id, profile_id,
                                        issuer_name, issuer_address, issuer_tax_id,
                                        creator_legal_name, creator_address, creator_country,
                                        creator_tax_id, paid_to, currency, amount_minor)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        id,
        number.text,
        number.year,
        number.sequence,
        item_id,
        item.profile_id,
        issuer.name,
        issuer.address,
        issuer.tax_id,
        item.legal_name,
        item.address,
        item.country,
        item.tax_id,
        paid_to,
        item.currency as Currency,
        item.amount_minor,
    )
    .execute(&mut *tx)
    .await?;
    let positions: Vec<i32> = (1..=lines.len() as i32).collect();
    let deliverables: Vec<Option<Uuid>> = lines.iter().map(|l| l.0).collect();
    let descriptions: Vec<String> = lines.iter().map(|l| l.1.clone()).collect();
    let dates: Vec<Date> = lines.iter().map(|l| l.2).collect();
    let gross: Vec<i64> = lines.iter().map(|l| l.3).collect();
    let fees: Vec<i64> = lines.iter().map(|l| l.4).collect();
    let nets: Vec<i64> = lines.iter().map(|l| l.3 - l.4).collect();
    sqlx::query!(
        "insert into payout_statement_lines (statement_id, position, deliverable_id, description,
                                             released_on, gross_minor, fee_minor, net_minor)
         select $1, p, d, t, r, g, f, n
           from unnest($2::int4[], $3::uuid[], $4::text[], $5::date[], $6::int8[], $7::int8[],
                       $8::int8[]) as l(p, d, t, r, g, f, n)",
        id,
        &positions,
        &deliverables as &[Option<Uuid>],
        &descriptions,
        &dates,
        &gross,
        &fees,
        &nets,
    )
    .execute(&mut *tx)
    .await?;
    Ok(id)
}

/// A statement, for its creator (`Some(profile)`) or the agency (`None`).
pub async fn find(
    db: &sqlx::PgPool,
    profile: Option<Uuid>,
    id: Uuid,
) -> Result<Option<Statement>, sqlx::Error> {
    let Some(r) = sqlx::query!(
        r#"select id, number, issued_at, issuer_name, issuer_address, issuer_tax_id,
                  creator_legal_name, creator_address, creator_country, creator_tax_id, paid_to,
                  currency as "currency: Currency", amount_minor
             from payout_statements
            where id = $1 and ($2::uuid is null or profile_id = $2)"#,
        id,
        profile
    )
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    let money = |minor| Money::from_minor(minor, r.currency);
    let lines = sqlx::query!(
        "select description, released_on, gross_minor, fee_minor, net_minor
           from payout_statement_lines where statement_id = $1 order by position",
        id
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|l| Line {
        description: l.description,
        released_on: l.released_on,
        gross: money(l.gross_minor),
        fee: money(l.fee_minor),
        net: money(l.net_minor),
    })
    .collect();
    Ok(Some(Statement {
        id: r.id,
        number: r.number,
        issued_at: r.issued_at,
        issuer_name: r.issuer_name,
        issuer_address: r.issuer_address,
        issuer_tax_id: r.issuer_tax_id,
        creator_legal_name: r.creator_legal_name,
        creator_address: r.creator_address,
        creator_country: r.creator_country,
        creator_tax_id: r.creator_tax_id,
        paid_to: r.paid_to,
        amount: money(r.amount_minor),
        lines,
    }))
}
