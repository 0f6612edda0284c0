//! Posting transfers and reading balances.

use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::{AccountKind, AccountRef, LedgerError, NewTransfer, Posted, TransferKind};
use crate::domain::{Currency, Money};

/// The legs' accounts as query parameters: kind, owner columns, currency.
struct Keys {
    kinds: Vec<AccountKind>,
    brands: Vec<Option<Uuid>>,
    applications: Vec<Option<Uuid>>,
    profiles: Vec<Option<Uuid>>,
    currencies: Vec<Currency>,
}

impl Keys {
    fn of(accounts: &[AccountRef]) -> Keys {
        let mut k = Keys {
            kinds: Vec::new(),
            brands: Vec::new(),
            applications: Vec::new(),
            profiles: Vec::new(),
            currencies: Vec::new(),
        };
        for a in accounts {
            let (brand, application, profile) = a.owner.columns();
            k.kinds.push(a.kind);
            k.brands.push(brand);
            k.applications.push(application);
            k.profiles.push(profile);
            k.currencies.push(a.currency);
        }
        k
    }
}

/// An account as locked for a transfer.
struct Locked {
    /// The leg it belongs to (its position in the transfer's entries).
    leg: i64,
    id: Uuid,
    kind: AccountKind,
    balance_minor: i64,
    version: i64,
}

/// Locks the legs' accounts in id order (so transfers on the same accounts
/// never deadlock) and reads their balances: one statement.
async fn lock(conn: &mut PgConnection, keys: &Keys) -> Result<Vec<Locked>, sqlx::Error> {
    sqlx::query_as!(
        Locked,
        r#"select k.leg as "leg!", a.id, a.kind as "kind: AccountKind", a.balance_minor, a.version
             from unnest($1::text[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[])
                  with ordinality as k(kind, brand_id, application_id, profile_id, currency, leg)
             join ledger_accounts a
               on a.kind = k.kind and a.brand_id is not distinct from k.brand_id
              and a.application_id is not distinct from k.application_id
              and a.profile_id is not distinct from k.profile_id and a.currency = k.currency
            order by a.id
              for update of a"#,
        &keys.kinds as &[AccountKind],
        &keys.brands as &[Option<Uuid>],
        &keys.applications as &[Option<Uuid>],
        &keys.profiles as &[Option<Uuid>],
        &keys.currencies as &[Currency],
    )
    .fetch_all(conn)
    .await
}

/// Opens the accounts among `keys` not opened yet.
async fn open(conn: &mut PgConnection, keys: &Keys) -> Result<(), sqlx::Error> {
    let ids: Vec<Uuid> = keys.kinds.iter().map(|_| Uuid::now_v7()).collect();
    sqlx::query!(
        "insert into ledger_accounts (id, kind, brand_id, application_id, profile_id, currency)
         select * from unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[])
         on conflict (kind, brand_id, application_id, profile_id, currency) do nothing",
        &ids,
        &keys.kinds as &[AccountKind],
        &keys.brands as &[Option<Uuid>],
        &keys.applications as &[Option<Uuid>],
        &keys.profiles as &[Option<Uuid>],
        &keys.currencies as &[Currency],
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Posts the transfer inside the caller's transaction, all or nothing: every
/// check comes before the one statement that writes, so a refusal writes
/// nothing and the caller's transaction stays usable, for example to show
/// the form again. The same key with the same request answers
/// [`Posted::Replayed`] and moves nothing.
///
/// Two round trips on the common path: lock the accounts (opening them first
/// when new), then write the transfer, the balances and the entries at once.
pub async fn post(conn: &mut PgConnection, transfer: &NewTransfer) -> Result<Posted, LedgerError> {
    let entries = transfer.entries()?;
    let accounts: Vec<AccountRef> = entries.iter().map(|e| e.account).collect();
    let keys = Keys::of(&accounts);
    let mut locked = lock(&mut *conn, &keys).await?;
    if locked.len() < entries.len() {
        open(&mut *conn, &keys).await?;
        locked = lock(&mut *conn, &keys).await?;
    }
    locked.sort_by_key(|l| l.leg);
    let mut ids = Vec::with_capacity(entries.len());
    let mut balances = Vec::with_capacity(entries.len());
    let mut versions = Vec::with_capacity(entries.len());
    for (leg, row) in entries.iter().zip(&locked) {
        let balance = row
            .balance_minor
            .checked_add(leg.amount_minor)
            .ok_or(LedgerError::Unbalanced)?;
        if balance < 0 && holds_money_for_someone(row.kind) {
            // A repeat of a request that already moved the money finds the
            // funds gone: it is answered as the repeat it is.
            return match replayed(&mut *conn, transfer).await? {
                Some(posted) => Ok(posted),
                None => Err(LedgerError::Insufficient {
                    kind: row.kind,
                    short_by: Money::from_minor(-balance, leg.account.currency),
                }),
            };
        }
        ids.push(row.id);
        balances.push(balance);
        versions.push(row.version + 1);
    }
    let entry_ids: Vec<Uuid> = entries.iter().map(|_| Uuid::now_v7()).collect();
    let amounts: Vec<i64> = entries.iter().map(|e| e.amount_minor).collect();
    let currencies: Vec<Currency> = entries.iter().map(|e| e.account.currency).collect();
    let id = Uuid::now_v7();
    // The transfer row's unique key decides: if another request with this key
    // got there first (a concurrent one waited for it here), nothing is written.
    let written = sqlx::query_scalar!(
        r#"with transfer as (
               insert into ledger_transfers (id, kind, idempotency_key, request_digest,
                                             effective_at, memo, created_by)
               values ($1, $2, $3, $4, $5, $6, $7)
               on conflict (idempotency_key) do nothing
               returning id),
           balances as (
               update ledger_accounts a set balance_minor = v.balance, version = v.version
                 from unnest($8::uuid[], $9::bigint[], $10::bigint[]) as v(id, balance, version)
                where a.id = v.id and exists (select 1 from transfer)),
           entries as (
               insert into ledger_entries (id, transfer_id, account_id, currency, amount_minor,
                                           balance_after_minor, account_version)
               select e.id, t.id, e.account_id, e.currency, e.amount, e.balance, e.version
                 from transfer t,
                      unnest($11::uuid[], $8::uuid[], $12::text[], $13::bigint[], $9::bigint[],
                             $10::bigint[])
                      as e(id, account_id, currency, amount, balance, version))
           select id from transfer"#,
        id,
        transfer.kind as TransferKind,
        transfer.key.as_str(),
        &transfer.digest[..],
        transfer.effective_at,
        transfer.memo,
        transfer.created_by,
        &ids,
        &balances,
        &versions,
        &entry_ids,
        &currencies as &[Currency],
        &amounts,
    )
    .fetch_optional(&mut *conn)
    .await?;
    match written {
        Some(id) => Ok(Posted::New(id)),
        None => replayed(&mut *conn, transfer)
            .await?
            .ok_or(LedgerError::KeyReused),
    }
}

/// The first answer to a request whose key was used before: `Replayed` for
/// the same request, [`LedgerError::KeyReused`] for a different one, `None`
/// when the key is new.
async fn replayed(
    conn: &mut PgConnection,
    transfer: &NewTransfer,
) -> Result<Option<Posted>, LedgerError> {
    match by_key(&mut *conn, &transfer.key).await? {
        Some((id, digest)) if digest == transfer.digest => Ok(Some(Posted::Replayed(id))),
        Some(_) => Err(LedgerError::KeyReused),
        None => Ok(None),
    }
}

/// The accounts that may never go below zero: money held for someone.
fn holds_money_for_someone(kind: AccountKind) -> bool {
    !matches!(kind, AccountKind::CashReceived | AccountKind::CashPaidOut)
}

/// An account's balance, zero when it was never opened.
pub async fn balance(db: impl PgExecutor<'_>, account: AccountRef) -> Result<Money, sqlx::Error> {
    let (brand, application, profile) = account.owner.columns();
    let minor = sqlx::query_scalar!(
        "select balance_minor from ledger_accounts
          where kind = $1 and brand_id is not distinct from $2
            and application_id is not distinct from $3
            and profile_id is not distinct from $4 and currency = $5",
        account.kind as AccountKind,
        brand,
        application,
        profile,
        account.currency as Currency,
    )
    .fetch_optional(db)
    .await?;
    Ok(Money::from_minor(minor.unwrap_or(0), account.currency))
}

/// The transfer a request key was used for, and the digest of that request:
/// lets a handler answer a repeated request before redoing the steps around it.
pub async fn by_key(
    db: impl PgExecutor<'_>,
    key: &super::IdempotencyKey,
) -> Result<Option<(Uuid, Vec<u8>)>, sqlx::Error> {
    let row = sqlx::query!(
        "select id, request_digest from ledger_transfers where idempotency_key = $1",
        key.as_str()
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.id, r.request_digest)))
}

/// The newest movements of an owner's accounts of one kind, in every
/// currency, newest first.
pub async fn movements(
    db: impl PgExecutor<'_>,
    kind: AccountKind,
    owner: super::Owner,
    limit: i64,
) -> Result<Vec<super::Movement>, sqlx::Error> {
    let (brand, application, profile) = owner.columns();
    let rows = sqlx::query!(
        r#"select t.effective_at, t.recorded_at, t.kind as "kind: TransferKind", t.memo,
                  e.amount_minor, e.balance_after_minor, e.currency as "currency: Currency"
             from ledger_accounts a
             join ledger_entries e on e.account_id = a.id
             join ledger_transfers t on t.id = e.transfer_id
            where a.kind = $1 and a.brand_id is not distinct from $2
              and a.application_id is not distinct from $3 and a.profile_id is not distinct from $4
            order by t.recorded_at desc, e.id desc
            limit $5"#,
        kind as AccountKind,
        brand,
        application,
        profile,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| super::Movement {
            effective_at: r.effective_at,
            recorded_at: r.recorded_at,
            kind: r.kind,
            memo: r.memo,
            amount: Money::from_minor(r.amount_minor, r.currency),
            balance_after: Money::from_minor(r.balance_after_minor, r.currency),
        })
        .collect())
}
