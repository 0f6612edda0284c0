//! Payout batches: the agency gathers every payable balance above its minimum
//! from creators whose details are complete, sends the batch to its bank, and
//! marks it sent, which moves each item's money from the creator's payable
//! balance to cash paid out.

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use super::account::{self, Method};
use crate::{
    documents,
    domain::{Currency, Money},
    ledger::{self, AccountRef, IdempotencyKey, LedgerError, NewTransfer, TransferKind},
};

/// What is due in one currency: the next batch's total and size, and the
/// creators held back (the first of them, by the most owed: the agency's
/// list of whom to ask for details).
#[derive(Debug, Clone)]
pub struct Due {
    pub currency: Currency,
    pub payable: Money,
    pub payable_count: i64,
    pub held_back_count: i64,
    pub held_back: Vec<HeldBack>,
}

#[derive(Debug, Clone)]
pub struct HeldBack {
    pub creator_name: String,
    pub payable: Money,
    pub why: &'static str,
}

/// How many held-back creators each currency lists.
const HELD_BACK_LISTED: i64 = 50;

/// What is due in each currency with a payable balance of at least `minimum`:
/// summed in the database, so the page costs the same for ten creators or a
/// hundred thousand.
pub async fn due(db: &mut sqlx::PgConnection, minimum: i64) -> Result<Vec<Due>, sqlx::Error> {
    let sums = sqlx::query!(
        r#"select a.currency as "currency: Currency",
                  count(*) filter (where d.method = 'iban'
                                      or (d.method = 'us_account' and a.currency = 'USD')) as "payable_count!",
                  coalesce(sum(a.balance_minor) filter (where d.method = 'iban'
                                      or (d.method = 'us_account' and a.currency = 'USD')), 0)::int8 as "payable!",
                  count(*) filter (where d.method is null
                                      or (d.method = 'us_account' and a.currency <> 'USD')) as "held_back!"
             from ledger_accounts a
             left join payout_details d on d.profile_id = a.owner_key
            where a.kind = 'creator_payable' and a.balance_minor >= $1 and a.balance_minor > 0
            group by a.currency
            order by a.currency"#,
        minimum
    )
    .fetch_all(&mut *db)
    .await?;
    let mut due = Vec::with_capacity(sums.len());
    for s in sums {
        let rows = sqlx::query!(
            r#"select u.display_name, a.balance_minor, d.method as "method?: Method"
                 from ledger_accounts a
                 join influencer_profiles p on p.id = a.owner_key
                 join users u on u.id = p.user_id
                 left join payout_details d on d.profile_id = a.owner_key
                where a.kind = 'creator_payable' and a.currency = $1 and a.balance_minor >= $2
                  and a.balance_minor > 0
                  and (d.method is null or (d.method = 'us_account' and a.currency <> 'USD'))
                order by a.balance_minor desc, u.display_name
                limit $3"#,
            s.currency as Currency,
            minimum,
            HELD_BACK_LISTED
        )
        .fetch_all(&mut *db)
        .await?;
        due.push(Due {
            currency: s.currency,
            payable: Money::from_minor(s.payable, s.currency),
            payable_count: s.payable_count,
            held_back_count: s.held_back,
            held_back: rows
                .into_iter()
                .map(|r| HeldBack {
                    creator_name: r.display_name,
                    payable: Money::from_minor(r.balance_minor, s.currency),
                    why: held_back(s.currency, r.method).unwrap_or_default(),
                })
                .collect(),
        });
    }
    Ok(due)
}

/// Why a creator with this payout method can't be paid in `currency`.
fn held_back(currency: Currency, method: Option<Method>) -> Option<&'static str> {
    match (currency, method) {
        (_, None) => Some("No payout details yet"),
        (Currency::Eur, Some(Method::UsAccount)) => {
            Some("A US account can't take euros by SEPA: the creator needs to add an IBAN")
        }
        (Currency::Usd, Some(_)) | (_, Some(Method::Iban)) => None,
        (_, Some(Method::UsAccount)) => Some("A US account takes US dollars only"),
    }
}

/// What preparing answered: a new batch, or the one the same request key
/// prepared before (a double click).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prepared {
    New(Uuid),
    Earlier(Uuid),
}

impl Prepared {
    pub fn id(self) -> Uuid {
        match self {
            Prepared::New(id) | Prepared::Earlier(id) => id,
        }
    }
}

/// Prepares a batch of every candidate who can be paid, in one statement per
/// table: their balances and details as they stand now. The same `key` again
/// answers the batch it prepared. `Err` with the reason when there is nobody
/// to pay or a batch in this currency waits to be sent.
pub async fn prepare(
    tx: &mut PgConnection,
    currency: Currency,
    minimum: i64,
    key: &IdempotencyKey,
    by: Uuid,
) -> Result<Result<Prepared, String>, sqlx::Error> {
    // The same request again (a double click) gets the batch it prepared.
    let earlier = sqlx::query_scalar!(
        "select id from payout_batches where idempotency_key = $1",
        key.as_str()
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(id) = earlier {
        return Ok(Ok(Prepared::Earlier(id)));
    }
    let waiting = sqlx::query_scalar!(
        "select id from payout_batches where currency = $1 and status = 'prepared'",
        currency as Currency
    )
    .fetch_optional(&mut *tx)
    .await?;
    if waiting.is_some() {
        return Ok(Err(format!(
            "A {} batch is waiting to be sent: send or discard it first, so no balance is paid twice.",
            currency.code()
        )));
    }
    // Locking the balances keeps a release from slipping in between the
    // total and the items.
    let rows = sqlx::query!(
        r#"select a.profile_id as "profile_id!", a.balance_minor, d.legal_name, d.account_holder,
                  d.method as "method: Method", d.account_ciphertext, d.account_last4, d.bic
             from ledger_accounts a
             join payout_details d on d.profile_id = a.profile_id
            where a.kind = 'creator_payable' and a.currency = $1 and a.balance_minor >= $2
              and a.balance_minor > 0
            order by a.profile_id
              for update of a"#,
        currency as Currency,
        minimum
    )
    .fetch_all(&mut *tx)
    .await?;
    let rows: Vec<_> = rows
        .into_iter()
        .filter(|r| held_back(currency, Some(r.method)).is_none())
        .collect();
    if rows.is_empty() {
        return Ok(Err(format!(
            "Nobody can be paid in {} yet: no creator with complete details has {} or more payable.",
            currency.code(),
            Money::from_minor(minimum, currency)
        )));
    }
    let total: i64 = rows.iter().map(|r| r.balance_minor).sum();
    let id = Uuid::now_v7();
    let inserted = sqlx::query!(
        "insert into payout_batches (id, currency, total_minor, item_count, created_by, idempotency_key)
         values ($1, $2, $3, $4, $5, $6)",
        id,
        currency as Currency,
        total,
        rows.len() as i32,
        by,
        key.as_str(),
    )
    .execute(&mut *tx)
    .await;
    if let Err(sqlx::Error::Database(e)) = &inserted
        && e.constraint() == Some("payout_batches_one_prepared_idx")
    {
        return Ok(Err(format!(
            "A {} batch was prepared a moment ago: send or discard it first.",
            currency.code()
        )));
    }
    inserted?;
    let ids: Vec<Uuid> = rows.iter().map(|_| Uuid::now_v7()).collect();
    let profiles: Vec<Uuid> = rows.iter().map(|r| r.profile_id).collect();
    let amounts: Vec<i64> = rows.iter().map(|r| r.balance_minor).collect();
    let names: Vec<String> = rows.iter().map(|r| r.legal_name.clone()).collect();
    let holders: Vec<String> = rows.iter().map(|r| r.account_holder.clone()).collect();
    let methods: Vec<Method> = rows.iter().map(|r| r.method).collect();
    let sealed: Vec<Vec<u8>> = rows.iter().map(|r| r.account_ciphertext.clone()).collect();
    let last4: Vec<String> = rows.iter().map(|r| r.account_last4.clone()).collect();
    let bics: Vec<String> = rows.iter().map(|r| r.bic.clone()).collect();
    sqlx::query!(
        "insert into payout_items (id, batch_id, profile_id, amount_minor, currency, legal_name,
                                   account_holder, method, account_ciphertext, account_last4, bic)
         select i, $2, p, a, $3, n, h, m, c, l, b
           from unnest($1::uuid[], $4::uuid[], $5::int8[], $6::text[], $7::text[], $8::text[],
                       $9::bytea[], $10::text[], $11::text[]) as t(i, p, a, n, h, m, c, l, b)",
        &ids,
        id,
        currency as Currency,
        &profiles,
        &amounts,
        &names,
        &holders,
        &methods as &[Method],
        &sealed,
        &last4,
        &bics,
    )
    .execute(&mut *tx)
    .await?;
    Ok(Ok(Prepared::New(id)))
}

/// What marking a batch sent did, for telling each creator.
#[derive(Debug, Clone)]
pub struct Paid {
    pub profile_id: Uuid,
    pub user_id: Uuid,
    pub amount: Money,
}

/// Marks a prepared batch sent: each item's amount moves from the creator's
/// payable balance to cash paid out, one transfer per item keyed by the item,
/// all in the caller's transaction. `Err` with the reason when the batch was
/// sent or discarded already.
pub async fn send(
    tx: &mut PgConnection,
    batch_id: Uuid,
    by: Uuid,
) -> Result<Result<Vec<Paid>, String>, LedgerError> {
    let Some(status) = lock(&mut *tx, batch_id).await? else {
        return Ok(Err("This payout batch does not exist.".into()));
    };
    if status != "prepared" {
        return Ok(Err(format!(
            "This batch was {status} already; nothing was moved."
        )));
    }
    let items = sqlx::query!(
        r#"select i.id, i.profile_id, i.amount_minor, i.currency as "currency: Currency",
                  i.account_holder, i.method as "method: Method", i.account_last4, p.user_id
             from payout_items i join influencer_profiles p on p.id = i.profile_id
            where i.batch_id = $1 order by i.id"#,
        batch_id
    )
    .fetch_all(&mut *tx)
    .await?;
    let issuer = documents::issuer::load(&mut *tx).await?;
    let mut paid = Vec::with_capacity(items.len());
    for item in items {
        let amount = Money::from_minor(item.amount_minor, item.currency);
        let transfer = NewTransfer::moving(
            TransferKind::Payout,
            IdempotencyKey::derived("payout", &item.id.to_string()),
            amount,
            AccountRef::creator_payable(item.profile_id, item.currency),
            AccountRef::cash_paid_out(item.currency),
        )
        .asking(&format!("payout {} {}", item.id, item.amount_minor))
        .memo(format!("Paid out {amount} in batch {}", short(batch_id)))
        .by(by);
        let posted = ledger::db::post(&mut *tx, &transfer).await?;
        sqlx::query!(
            "update payout_items set transfer_id = $2 where id = $1",
            item.id,
            posted.transfer_id()
        )
        .execute(&mut *tx)
        .await?;
        let paid_to = format!(
            "{}, {}",
            item.account_holder,
            account::masked(item.method, &item.account_last4)
        );
        documents::statements::issue(&mut *tx, &issuer, item.id, &paid_to).await?;
        paid.push(Paid {
            profile_id: item.profile_id,
            user_id: item.user_id,
            amount,
        });
    }
    sqlx::query!(
        "update payout_batches set status = 'sent', sent_at = now(), sent_by = $2 where id = $1",
        batch_id,
        by
    )
    .execute(&mut *tx)
    .await?;
    Ok(Ok(paid))
}

/// Discards a prepared batch: nothing was paid, its balances stay payable.
pub async fn discard(
    tx: &mut PgConnection,
    batch_id: Uuid,
    by: Uuid,
) -> Result<Result<(), String>, sqlx::Error> {
    match lock(&mut *tx, batch_id).await?.as_deref() {
        None => Ok(Err("This payout batch does not exist.".into())),
        Some("prepared") => {
            sqlx::query!(
                "update payout_batches set status = 'discarded', discarded_at = now(),
                        discarded_by = $2
                  where id = $1",
                batch_id,
                by
            )
            .execute(&mut *tx)
            .await?;
            Ok(Ok(()))
        }
        Some(status) => Ok(Err(format!("This batch was {status} already."))),
    }
}

async fn lock(tx: &mut PgConnection, batch_id: Uuid) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "select status from payout_batches where id = $1 for update",
        batch_id
    )
    .fetch_optional(tx)
    .await
}

/// A batch's short name for people: its id's last eight characters.
pub fn short(batch_id: Uuid) -> String {
    let simple = batch_id.simple().to_string();
    simple[simple.len() - 8..].to_uppercase()
}

/// A batch as the agency lists it.
#[derive(Debug, Clone)]
pub struct BatchLine {
    pub id: Uuid,
    pub status: String,
    pub total: Money,
    pub item_count: i32,
    pub created_at: OffsetDateTime,
    pub created_by: String,
    pub sent_at: Option<OffsetDateTime>,
}

impl BatchLine {
    pub fn name(&self) -> String {
        short(self.id)
    }

    pub fn is_prepared(&self) -> bool {
        self.status == "prepared"
    }
}

pub async fn recent(db: impl PgExecutor<'_>, limit: i64) -> Result<Vec<BatchLine>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select b.id, b.status, b.total_minor, b.currency as "currency: Currency", b.item_count,
                  b.created_at, u.display_name as created_by, b.sent_at
             from payout_batches b join users u on u.id = b.created_by
            order by b.created_at desc, b.id desc
            limit $1"#,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| BatchLine {
            id: r.id,
            status: r.status,
            total: Money::from_minor(r.total_minor, r.currency),
            item_count: r.item_count,
            created_at: r.created_at,
            created_by: r.created_by,
            sent_at: r.sent_at,
        })
        .collect())
}

pub async fn find(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<BatchLine>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select b.id, b.status, b.total_minor, b.currency as "currency: Currency", b.item_count,
                  b.created_at, u.display_name as created_by, b.sent_at
             from payout_batches b join users u on u.id = b.created_by
            where b.id = $1"#,
        id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| BatchLine {
        id: r.id,
        status: r.status,
        total: Money::from_minor(r.total_minor, r.currency),
        item_count: r.item_count,
        created_at: r.created_at,
        created_by: r.created_by,
        sent_at: r.sent_at,
    }))
}

/// One payment in a batch, with its account still sealed.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: Uuid,
    pub profile_id: Uuid,
    pub creator_name: String,
    pub legal_name: String,
    pub account_holder: String,
    pub method: Method,
    pub sealed: Vec<u8>,
    pub last4: String,
    pub bic: String,
    pub amount: Money,
    /// Its statement, once the batch was sent: id and number.
    pub statement: Option<(Uuid, String)>,
}

impl Item {
    pub fn masked(&self) -> String {
        account::masked(self.method, &self.last4)
    }
}

pub async fn items(db: impl PgExecutor<'_>, batch_id: Uuid) -> Result<Vec<Item>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select i.id, i.profile_id, u.display_name, i.legal_name, i.account_holder,
                  i.method as "method: Method", i.account_ciphertext, i.account_last4, i.bic,
                  i.amount_minor, i.currency as "currency: Currency",
                  s.id as "statement_id?", s.number as "statement_number?"
             from payout_items i
             join influencer_profiles p on p.id = i.profile_id
             join users u on u.id = p.user_id
             left join payout_statements s on s.payout_item_id = i.id
            where i.batch_id = $1
            order by i.amount_minor desc, i.id"#,
        batch_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Item {
            id: r.id,
            profile_id: r.profile_id,
            creator_name: r.display_name,
            legal_name: r.legal_name,
            account_holder: r.account_holder,
            method: r.method,
            sealed: r.account_ciphertext,
            last4: r.account_last4,
            bic: r.bic,
            amount: Money::from_minor(r.amount_minor, r.currency),
            statement: r.statement_id.zip(r.statement_number),
        })
        .collect())
}

/// A payout as the creator sees it.
#[derive(Debug, Clone)]
pub struct Payout {
    pub item_id: Uuid,
    pub amount: Money,
    pub account: String,
    pub prepared_at: OffsetDateTime,
    pub sent_at: Option<OffsetDateTime>,
    /// Its statement, once it was sent: id and number.
    pub statement: Option<(Uuid, String)>,
}

/// A creator's payouts, newest first: sent, and any on their way.
pub async fn of_creator(
    db: impl PgExecutor<'_>,
    profile_id: Uuid,
) -> Result<Vec<Payout>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select i.id, i.amount_minor, i.currency as "currency: Currency",
                  i.method as "method: Method", i.account_last4, b.created_at, b.sent_at,
                  s.id as "statement_id?", s.number as "statement_number?"
             from payout_items i join payout_batches b on b.id = i.batch_id
             left join payout_statements s on s.payout_item_id = i.id
            where i.profile_id = $1 and b.status <> 'discarded'
            order by b.created_at desc, i.id desc"#,
        profile_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Payout {
            item_id: r.id,
            amount: Money::from_minor(r.amount_minor, r.currency),
            account: account::masked(r.method, &r.account_last4),
            prepared_at: r.created_at,
            sent_at: r.sent_at,
            statement: r.statement_id.zip(r.statement_number),
        })
        .collect())
}
