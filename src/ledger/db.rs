//! Posting transfers and reading balances.

use sqlx::{Acquire, PgConnection, PgExecutor};
use uuid::Uuid;

use super::{AccountKind, AccountRef, LedgerError, NewTransfer, Posted, TransferKind};
use crate::domain::{Currency, Money};

/// The account's id, opening it on first use.
pub async fn account(conn: &mut PgConnection, account: AccountRef) -> Result<Uuid, sqlx::Error> {
    if let Some((id, _)) = find(&mut *conn, account).await? {
        return Ok(id);
    }
    let (brand, application, profile) = account.owner.columns();
    let opened = sqlx::query_scalar!(
        "insert into ledger_accounts (id, kind, brand_id, application_id, profile_id, currency)
         values ($1, $2, $3, $4, $5, $6)
         on conflict (kind, brand_id, application_id, profile_id, currency) do nothing
         returning id",
        Uuid::now_v7(),
        account.kind as AccountKind,
        brand,
        application,
        profile,
        account.currency as Currency,
    )
    .fetch_optional(&mut *conn)
    .await?;
    match opened {
        Some(id) => Ok(id),
        // Opened by a transaction that committed while this insert waited for
        // it: a new statement sees it (the insert's own snapshot would not).
        None => find(&mut *conn, account)
            .await?
            .map(|(id, _)| id)
            .ok_or(sqlx::Error::RowNotFound),
    }
}

/// The account's id and balance, if it is open.
async fn find(
    db: impl PgExecutor<'_>,
    account: AccountRef,
) -> Result<Option<(Uuid, i64)>, sqlx::Error> {
    let (brand, application, profile) = account.owner.columns();
    let row = sqlx::query!(
        "select id, balance_minor from ledger_accounts
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
    Ok(row.map(|r| (r.id, r.balance_minor)))
}

/// Posts the transfer inside the caller's transaction, all or nothing: on an
/// error nothing of it is left (it runs under a savepoint), and the caller's
/// transaction stays usable, for example to show the form again. The same
/// key with the same request answers [`Posted::Replayed`] and moves nothing.
pub async fn post(conn: &mut PgConnection, transfer: &NewTransfer) -> Result<Posted, LedgerError> {
    let entries = transfer.entries()?;
    let mut sp = conn.begin().await?;
    let id = Uuid::now_v7();
    let inserted = sqlx::query_scalar!(
        "insert into ledger_transfers (id, kind, idempotency_key, request_digest, effective_at,
                                       memo, created_by)
         values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (idempotency_key) do nothing
         returning id",
        id,
        transfer.kind as TransferKind,
        transfer.key.as_str(),
        &transfer.digest[..],
        transfer.effective_at,
        transfer.memo,
        transfer.created_by,
    )
    .fetch_optional(&mut *sp)
    .await?;
    if inserted.is_none() {
        // Another request with this key committed first (a concurrent one
        // waited for it on the unique index).
        let first = sqlx::query!(
            "select id, request_digest from ledger_transfers where idempotency_key = $1",
            transfer.key.as_str()
        )
        .fetch_one(&mut *sp)
        .await?;
        sp.rollback().await?;
        return if first.request_digest == transfer.digest {
            Ok(Posted::Replayed(first.id))
        } else {
            Err(LedgerError::KeyReused)
        };
    }

    let mut ids = Vec::with_capacity(entries.len());
    for leg in &entries {
        ids.push(account(&mut sp, leg.account).await?);
    }
    // Locked in id order, so transfers touching the same accounts never deadlock.
    let locked = sqlx::query!(
        r#"select id, kind as "kind: AccountKind", balance_minor, version
             from ledger_accounts where id = any($1) order by id for update"#,
        &ids
    )
    .fetch_all(&mut *sp)
    .await?;

    let mut entry_ids = Vec::with_capacity(entries.len());
    let mut amounts = Vec::with_capacity(entries.len());
    let mut currencies = Vec::with_capacity(entries.len());
    let mut balances = Vec::with_capacity(entries.len());
    let mut versions = Vec::with_capacity(entries.len());
    for (leg, account_id) in entries.iter().zip(&ids) {
        let Some(row) = locked.iter().find(|r| r.id == *account_id) else {
            return Err(LedgerError::Db(sqlx::Error::RowNotFound));
        };
        let balance = row
            .balance_minor
            .checked_add(leg.amount_minor)
            .ok_or(LedgerError::Unbalanced)?;
        if balance < 0 && holds_money_for_someone(row.kind) {
            return Err(LedgerError::Insufficient {
                kind: row.kind,
                short_by: Money::from_minor(-balance, leg.account.currency),
            });
        }
        entry_ids.push(Uuid::now_v7());
        amounts.push(leg.amount_minor);
        currencies.push(leg.account.currency.code().to_owned());
        balances.push(balance);
        versions.push(row.version + 1);
    }
    sqlx::query!(
        "update ledger_accounts a set balance_minor = v.balance, version = v.version
           from unnest($1::uuid[], $2::bigint[], $3::bigint[]) as v(id, balance, version)
          where a.id = v.id",
        &ids,
        &balances,
        &versions
    )
    .execute(&mut *sp)
    .await?;
    sqlx::query!(
        "insert into ledger_entries (id, transfer_id, account_id, currency, amount_minor,
                                     balance_after_minor, account_version)
         select e.id, $2, e.account_id, e.currency, e.amount, e.balance, e.version
           from unnest($1::uuid[], $3::uuid[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[])
                as e(id, account_id, currency, amount, balance, version)",
        &entry_ids,
        id,
        &ids,
        &currencies,
        &amounts,
        &balances,
        &versions
    )
    .execute(&mut *sp)
    .await?;
    sp.commit().await?;
    Ok(Posted::New(id))
}

/// The accounts that may never go below zero: money held for someone.
fn holds_money_for_someone(kind: AccountKind) -> bool {
    !matches!(kind, AccountKind::CashReceived | AccountKind::CashPaidOut)
}

/// An account's balance, zero when it was never opened.
pub async fn balance(db: impl PgExecutor<'_>, account: AccountRef) -> Result<Money, sqlx::Error> {
    let minor = find(db, account).await?.map_or(0, |(_, balance)| balance);
    Ok(Money::from_minor(minor, account.currency))
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
