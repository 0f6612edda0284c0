//! Posting transfers and reading balances.

use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::{AccountKind, AccountRef, LedgerError, NewTransfer, Posted, TransferKind};
use crate::domain::{Currency, Money};

/// The legs' accounts as query parameters: kind, owner columns, currency.
struct Keys {
    kinds: Vec<AccountKind>,
    owners: Vec<Uuid>,
    brands: Vec<Option<Uuid>>,
    applications: Vec<Option<Uuid>>,
    profiles: Vec<Option<Uuid>>,
    currencies: Vec<Currency>,
}

impl Keys {
    fn of(accounts: &[AccountRef]) -> Keys {
        let mut k = Keys {
            kinds: Vec::new(),
            owners: Vec::new(),
            brands: Vec::new(),
            applications: Vec::new(),
            profiles: Vec::new(),
            currencies: Vec::new(),
        };
        for a in accounts {
            let (brand, application, profile) = a.owner.columns();
            k.kinds.push(a.kind);
            k.owners.push(a.owner.key());
            k.brands.push(brand);
            k.applications.push(application);
            k.profiles.push(profile);
            k.currencies.push(a.currency);
        }
        k
    }
}

/// Opens the accounts among `keys` not opened yet.
async fn open(conn: &mut PgConnection, keys: &Keys) -> Result<(), sqlx::Error> {
    let ids: Vec<Uuid> = keys.kinds.iter().map(|_| Uuid::now_v7()).collect();
    sqlx::query!(
        "insert into ledger_accounts (id, kind, brand_id, application_id, profile_id, currency)
         select * from unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[])
         on conflict (kind, owner_key, currency) do nothing",
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

/// Posts the transfer inside the caller's transaction, all or nothing, in
/// one statement: it locks the legs' accounts in id order (so transfers on
/// the same accounts never deadlock), checks that each exists and that none
/// holding money for someone would go below zero, and only then writes the
/// transfer, the balances and the entries. A refusal writes nothing, so the
/// caller's transaction stays usable, for example to show the form again. The
/// same key with the same request answers [`Posted::Replayed`] and moves
/// nothing.
///
/// One round trip on the common path; accounts used for the first time are
/// opened and the statement sent again. The legs' arrays go through
/// subqueries so that their length is unknown to the planner either way: it
/// then keeps the statement's generic plan instead of planning the whole
/// statement again on every transfer, which cost more than running it.
///
/// The same statement records the movement in the audit trail, so no
/// movement of money goes unrecorded.
pub async fn post(conn: &mut PgConnection, transfer: &NewTransfer) -> Result<Posted, LedgerError> {
    let entries = transfer.entries()?;
    let accounts: Vec<AccountRef> = entries.iter().map(|e| e.account).collect();
    let keys = Keys::of(&accounts);
    let amounts: Vec<i64> = entries.iter().map(|e| e.amount_minor).collect();
    let entry_ids: Vec<Uuid> = entries.iter().map(|_| Uuid::now_v7()).collect();
    let id = Uuid::now_v7();
    let legs = i64::try_from(entries.len()).map_err(|_| LedgerError::Unbalanced)?;
    let mut opened = false;
    loop {
        let r = sqlx::query!(
            r#"with k as (
                   select * from unnest(array(select unnest($1::text[])),
                                        array(select unnest($2::uuid[])),
                                        array(select unnest($3::text[])),
                                        array(select unnest($4::bigint[])),
                                        array(select unnest($5::uuid[])))
                       with ordinality as k(kind, owner_key, currency, amount, entry_id, leg)),
               locked as materialized (
                   select a.id, a.kind, a.balance_minor, a.version, k.leg, k.amount, k.currency,
                          k.entry_id
                     from k join ledger_accounts a
                       on a.kind = k.kind and a.owner_key = k.owner_key and a.currency = k.currency
                    order by a.id
                      for update of a),
               verdict as (
                   select count(*) as found,
                          coalesce(min(l.leg) filter (
                              where l.kind not in ('cash_received', 'cash_paid_out')
                                and l.balance_minor + l.amount < 0), 0) as short_leg
                     from locked l),
               transfer as (
                   insert into ledger_transfers (id, kind, idempotency_key, request_digest,
                                                 effective_at, memo, created_by)
                   select $6, $7, $8, $9, $10, $11, $12 from verdict v
                    where v.found = $13 and v.short_leg = 0
                   on conflict (idempotency_key) do nothing
                   returning id, recorded_at),
               balances as (
                   update ledger_accounts a
                      set balance_minor = l.balance_minor + l.amount, version = l.version + 1
                     from locked l
                    where a.id = l.id and exists (select 1 from transfer)),
               entries as (
                   insert into ledger_entries (id, transfer_id, account_id, currency, amount_minor,
                                               balance_after_minor, account_version, recorded_at)
                   select l.entry_id, t.id, l.id, l.currency, l.amount, l.balance_minor + l.amount,
                          l.version + 1, t.recorded_at
                     from transfer t, locked l),
               audited as (
                   insert into audit_events (id, actor_user_id, action, object_id, detail)
                   select $14, $12, 'ledger.transfer_posted', t.id,
                          $7 || coalesce(': ' || nullif($11, ''), '')
                     from transfer t)
               select (select id from transfer) as "transfer_id?", v.found as "found!",
                      v.short_leg as "short_leg!",
                      (select l.kind from locked l where l.leg = v.short_leg) as "short_kind?: AccountKind",
                      (select l.balance_minor + l.amount from locked l where l.leg = v.short_leg)
                          as "short_balance?"
                 from verdict v"#,
            &keys.kinds as &[AccountKind],
            &keys.owners,
            &keys.currencies as &[Currency],
            &amounts,
            &entry_ids,
            id,
            transfer.kind as TransferKind,
            transfer.key.as_str(),
            &transfer.digest[..],
            transfer.effective_at,
            transfer.memo,
            transfer.created_by,
            legs,
            Uuid::now_v7(),
        )
        .fetch_one(&mut *conn)
        .await?;
        if let Some(id) = r.transfer_id {
            return Ok(Posted::New(id));
        }
        if r.found < legs {
            if opened {
                // Accounts are never removed: one opened a moment ago can't
                // be missing.
                return Err(LedgerError::Db(sqlx::Error::RowNotFound));
            }
            open(&mut *conn, &keys).await?;
            opened = true;
            continue;
        }
        if let (Some(kind), Some(balance)) = (r.short_kind, r.short_balance) {
            // A repeat of a request that already moved the money finds the
            // funds gone: it is answered as the repeat it is.
            let leg = usize::try_from(r.short_leg - 1).unwrap_or(0);
            let currency = entries
                .get(leg)
                .map_or(Currency::Usd, |e| e.account.currency);
            return match replayed(&mut *conn, transfer).await? {
                Some(posted) => Ok(posted),
                None => Err(LedgerError::Insufficient {
                    kind,
                    short_by: Money::from_minor(-balance, currency),
                }),
            };
        }
        // Every account there and none short, yet nothing written: another
        // request with this key got there first.
        return replayed(&mut *conn, transfer)
            .await?
            .ok_or(LedgerError::KeyReused);
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

/// An account's balance, zero when it was never opened.
pub async fn balance(db: impl PgExecutor<'_>, account: AccountRef) -> Result<Money, sqlx::Error> {
    let minor = sqlx::query_scalar!(
        "select balance_minor from ledger_accounts
          where kind = $1 and owner_key = $2 and currency = $3",
        account.kind as AccountKind,
        account.owner.key(),
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

/// A page of an owner's movements across their accounts of one kind (one per
/// currency), newest first, starting after `before` when it is given. Each
/// account's newest are cut on its history index, which carries what the
/// page shows; only the `limit` kept are joined to their transfers. A deep
/// page costs what the first does.
pub async fn movements(
    db: impl PgExecutor<'_>,
    kind: AccountKind,
    owner: super::Owner,
    before: Option<super::HistoryCursor>,
    limit: i64,
) -> Result<Vec<super::Movement>, sqlx::Error> {
    // No cursor reads as one past every movement: one plan for both.
    let before = before.unwrap_or(super::HistoryCursor {
        recorded_at: time::macros::datetime!(9999-12-31 0:00 UTC),
        version: i64::MAX,
        account: Uuid::max(),
    });
    let rows = sqlx::query!(
        r#"select t.effective_at, t.kind as "kind: TransferKind", t.memo,
                  e.recorded_at as "recorded_at!", e.account_id as "account_id!",
                  e.account_version as "account_version!", e.amount_minor as "amount_minor!",
                  e.balance_after_minor as "balance_after_minor!",
                  e.currency as "currency!: Currency"
             from (select x.*
                     from ledger_accounts a
                    cross join lateral (
                          select x.transfer_id, x.account_id, x.account_version, x.recorded_at,
                                 x.currency, x.amount_minor, x.balance_after_minor
                            from ledger_entries x
                           where x.account_id = a.id
                             -- The first bounds the index range; the second
                             -- places the cursor's own time and version exactly.
                             and (x.recorded_at, x.account_version) <= ($3, $4)
                             and (x.recorded_at, x.account_version, x.account_id) < ($3, $4, $5)
                           order by x.recorded_at desc, x.account_version desc
                           limit $6) x
                    where a.kind = $1 and a.owner_key = $2
                    order by x.recorded_at desc, x.account_version desc, x.account_id desc
                    limit $6) e
             join ledger_transfers t on t.id = e.transfer_id
            order by e.recorded_at desc, e.account_version desc, e.account_id desc"#,
        kind as AccountKind,
        owner.key(),
        before.recorded_at,
        before.version,
        before.account,
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
            place: super::HistoryCursor {
                recorded_at: r.recorded_at,
                version: r.account_version,
                account: r.account_id,
            },
        })
        .collect())
}
