//! The money ledger against a real PostgreSQL: balanced, append-only,
//! idempotent, never negative where money is held for someone, and verifiable.

use std::collections::HashMap;

use liaison::{
    domain::{Currency, Money},
    ledger::{
        AccountRef, IdempotencyKey, LedgerError, NewTransfer, Posted, TransferKind, db, verify,
    },
};
use proptest::prelude::*;
use sqlx::PgPool;
use uuid::Uuid;

use crate::helpers::fresh_db;

fn usd(minor: i64) -> Money {
    Money::from_minor(minor, Currency::Usd)
}

/// Real owners for accounts (the ledger's foreign keys want them): new
/// brands without funds, and the demo's applications and creators.
struct Owners {
    brands: Vec<Uuid>,
    applications: Vec<Uuid>,
    creators: Vec<Uuid>,
}

async fn owners(db: &PgPool) -> Owners {
    liaison::seed::demo(db, &crate::helpers::test_data_key())
        .await
        .expect("demo");
    let ids = |sql: &'static str| async move {
        sqlx::query_scalar::<_, Uuid>(sql)
            .fetch_all(db)
            .await
            .expect(sql)
    };
    let mut brands = Vec::new();
    for n in 0..3 {
        let id = Uuid::now_v7();
        sqlx::query("insert into brands (id, name) values ($1, $2)")
            .bind(id)
            .bind(format!("Ledger test brand {n} {id}"))
            .execute(db)
            .await
            .expect("brand");
        brands.push(id);
    }
    Owners {
        brands,
        applications: ids("select id from applications order by id").await,
        creators: ids("select id from influencer_profiles order by id").await,
    }
}

fn funding(brand: Uuid, amount: Money, key: &IdempotencyKey) -> NewTransfer {
    NewTransfer::moving(
        TransferKind::Funding,
        key.clone(),
        amount,
        AccountRef::cash_received(amount.currency()),
        AccountRef::brand_funds(brand, amount.currency()),
    )
    .asking(&format!("fund {brand} {}", amount.minor()))
}

async fn post(db: &PgPool, transfer: &NewTransfer) -> Result<Posted, LedgerError> {
    let mut tx = db.begin().await.expect("begin");
    let posted = db::post(&mut tx, transfer).await;
    tx.commit().await.expect("commit");
    posted
}

/// A transfer row written by hand, without entries: for the database's own
/// checks on what is added to it.
async fn bare_transfer(tx: &mut sqlx::PgConnection) -> Uuid {
    let id = Uuid::now_v7();
    sqlx::query(
        "insert into ledger_transfers (id, kind, idempotency_key, request_digest, effective_at)
         values ($1, 'correction', $2, decode(repeat('00', 32), 'hex'), now())",
    )
    .bind(id)
    .bind(format!("test:{id}"))
    .execute(tx)
    .await
    .expect("transfer");
    id
}

async fn funds(db: &PgPool, brand: Uuid) -> i64 {
    db::balance(db, AccountRef::brand_funds(brand, Currency::Usd))
        .await
        .expect("balance")
        .minor()
}

#[tokio::test]
async fn a_request_sent_twice_moves_money_once_and_a_reused_key_is_refused() {
    let db = fresh_db().await;
    let o = owners(&db).await;
    let brand = o.brands[0];
    let key = IdempotencyKey::new();

    let first = post(&db, &funding(brand, usd(50_000), &key))
        .await
        .expect("fund");
    let again = post(&db, &funding(brand, usd(50_000), &key))
        .await
        .expect("again");
    assert!(matches!(first, Posted::New(_)));
    assert_eq!(again, Posted::Replayed(first.transfer_id()));
    assert_eq!(funds(&db, brand).await, 50_000);

    let different = post(&db, &funding(brand, usd(70_000), &key)).await;
    assert!(
        matches!(different, Err(LedgerError::KeyReused)),
        "{different:?}"
    );
    assert_eq!(funds(&db, brand).await, 50_000);
    assert!(verify::verify(&db).await.expect("verify").is_sound());
}

#[tokio::test]
async fn a_double_click_arriving_twice_at_once_moves_money_once() {
    let db = fresh_db().await;
    let o = owners(&db).await;
    let brand = o.brands[0];
    let transfer = funding(brand, usd(25_000), &IdempotencyKey::new());
    let (a, b) = tokio::join!(post(&db, &transfer), post(&db, &transfer));
    let mut outcomes = [a.expect("first"), b.expect("second")];
    outcomes.sort_by_key(|p| matches!(p, Posted::Replayed(_)));
    assert!(matches!(outcomes[0], Posted::New(_)), "{outcomes:?}");
    assert_eq!(outcomes[1], Posted::Replayed(outcomes[0].transfer_id()));
    assert_eq!(funds(&db, brand).await, 25_000);
}

#[tokio::test]
async fn money_held_for_someone_never_goes_below_zero_and_a_refusal_moves_nothing() {
    let db = fresh_db().await;
    let o = owners(&db).await;
    let brand = o.brands[0];
    post(&db, &funding(brand, usd(10_000), &IdempotencyKey::new()))
        .await
        .expect("fund");

    let escrow = AccountRef::escrow(o.applications[0], Currency::Usd);
    let too_much = NewTransfer::moving(
        TransferKind::Hold,
        IdempotencyKey::new(),
        usd(12_500),
        AccountRef::brand_funds(brand, Currency::Usd),
        escrow,
    )
    .asking("hold 12500");
    let mut tx = db.begin().await.expect("begin");
    match db::post(&mut tx, &too_much).await {
        Err(LedgerError::Insufficient { short_by, .. }) => assert_eq!(short_by, usd(2_500)),
        other => panic!("{other:?}"),
    }
    // The refusal came before any write: the caller's transaction is usable, and nothing of the hold.
    sqlx::query("select 1")
        .execute(&mut *tx)
        .await
        .expect("usable");
    tx.commit().await.expect("commit");
    assert_eq!(funds(&db, brand).await, 10_000);
    let holds: i64 = sqlx::query_scalar(
        "select count(*) from ledger_entries e join ledger_accounts a on a.id = e.account_id
          where a.brand_id = $1 and e.amount_minor < 0",
    )
    .bind(brand)
    .fetch_one(&db)
    .await
    .expect("count");
    assert_eq!(holds, 0, "nothing of the refused hold was recorded");

    // The database refuses it too, whatever the code does.
    let below = sqlx::query(
        "update ledger_accounts set balance_minor = -1, version = version + 1
          where kind = 'brand_funds'",
    )
    .execute(&db)
    .await;
    assert!(below.is_err());
}

#[tokio::test]
async fn the_ledger_is_append_only_and_only_balanced_transfers_commit() {
    let db = fresh_db().await;
    let o = owners(&db).await;
    let brand = o.brands[0];
    post(&db, &funding(brand, usd(10_000), &IdempotencyKey::new()))
        .await
        .expect("fund");

    for statement in [
        "update ledger_entries set amount_minor = amount_minor * 2",
        "delete from ledger_entries",
        "update ledger_transfers set memo = 'changed'",
        "delete from ledger_transfers",
        "truncate ledger_entries cascade",
        "update ledger_accounts set currency = 'EUR', version = version + 1",
        "delete from ledger_accounts",
    ] {
        let res = sqlx::query(statement).execute(&db).await;
        assert!(res.is_err(), "{statement} was allowed");
    }

    // An entry that leaves its transfer unbalanced fails at commit.
    let mut tx = db.begin().await.expect("begin");
    let (transfer, account): (Uuid, Uuid) = sqlx::query_as(
        "select e.transfer_id, e.account_id from ledger_entries e
           join ledger_accounts a on a.id = e.account_id
          where a.kind = 'brand_funds' and a.brand_id = $1",
    )
    .bind(brand)
    .fetch_one(&mut *tx)
    .await
    .expect("entry");
    let orphan = bare_transfer(&mut tx).await;
    sqlx::query(
        "insert into ledger_entries (id, transfer_id, account_id, currency, amount_minor,
                                     balance_after_minor, account_version, recorded_at)
         select $1, $2, $3, 'USD', 5, 10005, 2, recorded_at from ledger_transfers where id = $2",
    )
    .bind(Uuid::now_v7())
    .bind(orphan)
    .bind(account)
    .execute(&mut *tx)
    .await
    .expect("entry");
    let commit = tx.commit().await;
    assert!(
        commit
            .as_ref()
            .is_err_and(|e| e.to_string().contains("does not balance")),
        "{commit:?}"
    );

    // An entry slipped into a transfer posted earlier fails at commit too.
    let mut tx = db.begin().await.expect("begin");
    let other: Uuid = sqlx::query_scalar(
        "select a.id from ledger_accounts a
          where a.currency = 'USD'
            and a.id not in (select account_id from ledger_entries where transfer_id = $1)
          limit 1",
    )
    .bind(transfer)
    .fetch_one(&mut *tx)
    .await
    .expect("account");
    sqlx::query(
        "insert into ledger_entries (id, transfer_id, account_id, currency, amount_minor,
                                     balance_after_minor, account_version, recorded_at)
         select $1, $2, $3, 'USD', 5, 0, 99, recorded_at from ledger_transfers where id = $2",
    )
    .bind(Uuid::now_v7())
    .bind(transfer)
    .bind(other)
    .execute(&mut *tx)
    .await
    .expect("entry");
    let late = tx.commit().await;
    assert!(
        late.as_ref()
            .is_err_and(|e| e.to_string().contains("does not balance")),
        "{late:?}"
    );
}

#[tokio::test]
async fn verify_finds_a_balance_that_does_not_match_its_entries() {
    let db = fresh_db().await;
    let o = owners(&db).await;
    let brand = o.brands[0];
    post(&db, &funding(brand, usd(10_000), &IdempotencyKey::new()))
        .await
        .expect("fund");
    assert!(verify::verify(&db).await.expect("verify").is_sound());

    // Only a cached balance can be written by hand (with its version); verify
    // recomputes it from the entries.
    sqlx::query(
        "update ledger_accounts set balance_minor = balance_minor + 1, version = version + 1
          where kind = 'brand_funds'",
    )
    .execute(&db)
    .await
    .expect("tamper");
    let report = verify::verify(&db).await.expect("verify");
    assert!(!report.is_sound());
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains("entries sum to 10000")),
        "{:?}",
        report.problems
    );
}

#[tokio::test]
async fn concurrent_writers_on_the_same_accounts_never_lose_or_invent_money() {
    let db = fresh_db().await;
    let o = owners(&db).await;
    let brand = o.brands[0];
    post(&db, &funding(brand, usd(1_000_000), &IdempotencyKey::new()))
        .await
        .expect("fund");
    let entries_before = verify::verify(&db).await.expect("verify").entries;
    let escrows: Vec<AccountRef> = o.applications[..4]
        .iter()
        .map(|a| AccountRef::escrow(*a, Currency::Usd))
        .collect();
    let mut writers = Vec::new();
    for w in 0..8 {
        let db = db.clone();
        let escrows = escrows.clone();
        writers.push(tokio::spawn(async move {
            for i in 0..25 {
                let escrow = escrows[(w + i) % escrows.len()];
                let hold = NewTransfer::moving(
                    TransferKind::Hold,
                    IdempotencyKey::new(),
                    usd(100),
                    AccountRef::brand_funds(brand, Currency::Usd),
                    escrow,
                )
                .asking("hold 100");
                post(&db, &hold).await.expect("hold");
            }
        }));
    }
    for writer in writers {
        writer.await.expect("writer");
    }
    assert_eq!(funds(&db, brand).await, 1_000_000 - 8 * 25 * 100);
    let report = verify::verify(&db).await.expect("verify");
    assert!(report.is_sound(), "{:?}", report.problems);
    assert_eq!(report.entries, entries_before + 8 * 25 * 2);
}

/// One step of a random sequence of money movements.
#[derive(Debug, Clone)]
enum Step {
    Fund {
        brand: usize,
        minor: i64,
    },
    Hold {
        brand: usize,
        escrow: usize,
        minor: i64,
    },
    Release {
        escrow: usize,
        creator: usize,
        minor: i64,
    },
    Refund {
        escrow: usize,
        brand: usize,
        minor: i64,
    },
    Payout {
        creator: usize,
        minor: i64,
    },
    /// The request of an earlier step sent again with its key.
    Replay {
        earlier: usize,
    },
}

fn step() -> impl Strategy<Value = Step> {
    let minor = 1i64..50_000;
    prop_oneof![
        (0..3usize, minor.clone()).prop_map(|(brand, minor)| Step::Fund { brand, minor }),
        (0..3usize, 0..4usize, minor.clone()).prop_map(|(brand, escrow, minor)| Step::Hold {
            brand,
            escrow,
            minor
        }),
        (0..4usize, 0..3usize, minor.clone()).prop_map(|(escrow, creator, minor)| Step::Release {
            escrow,
            creator,
            minor
        }),
        (0..4usize, 0..3usize, minor.clone()).prop_map(|(escrow, brand, minor)| Step::Refund {
            escrow,
            brand,
            minor
        }),
        (0..3usize, minor).prop_map(|(creator, minor)| Step::Payout { creator, minor }),
        (0..40usize).prop_map(|earlier| Step::Replay { earlier }),
    ]
}

struct World {
    brands: Vec<Uuid>,
    escrows: Vec<Uuid>,
    creators: Vec<Uuid>,
}

impl World {
    fn transfer(&self, step: &Step, key: IdempotencyKey) -> Option<NewTransfer> {
        let (kind, minor, from, to) = match *step {
            Step::Fund { brand, minor } => (
                TransferKind::Funding,
                minor,
                AccountRef::cash_received(Currency::Usd),
                AccountRef::brand_funds(self.brands[brand], Currency::Usd),
            ),
            Step::Hold {
                brand,
                escrow,
                minor,
            } => (
                TransferKind::Hold,
                minor,
                AccountRef::brand_funds(self.brands[brand], Currency::Usd),
                AccountRef::escrow(self.escrows[escrow], Currency::Usd),
            ),
            Step::Release {
                escrow,
                creator,
                minor,
            } => (
                TransferKind::Release,
                minor,
                AccountRef::escrow(self.escrows[escrow], Currency::Usd),
                AccountRef::creator_payable(self.creators[creator], Currency::Usd),
            ),
            Step::Refund {
                escrow,
                brand,
                minor,
            } => (
                TransferKind::Refund,
                minor,
                AccountRef::escrow(self.escrows[escrow], Currency::Usd),
                AccountRef::brand_funds(self.brands[brand], Currency::Usd),
            ),
            Step::Payout { creator, minor } => (
                TransferKind::Payout,
                minor,
                AccountRef::creator_payable(self.creators[creator], Currency::Usd),
                AccountRef::cash_paid_out(Currency::Usd),
            ),
            Step::Replay { .. } => return None,
        };
        Some(NewTransfer::moving(kind, key, usd(minor), from, to).asking(&format!("{step:?}")))
    }
}

/// Random sequences of funding, holds, releases, refunds, payouts and replayed
/// requests, checked against a model after every step: every transfer
/// balances, nothing held for someone goes negative (a refusal moves nothing),
/// a replayed key changes nothing, the accounts sum to zero, and verify agrees.
#[test]
fn random_money_movements_keep_every_invariant() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let db = runtime.block_on(fresh_db());
    let o = runtime.block_on(owners(&db));
    let config = ProptestConfig {
        cases: 24,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(steps in proptest::collection::vec(step(), 1..40))| {
        runtime.block_on(async {
            let world = World {
                brands: o.brands[..3].to_vec(),
                escrows: o.applications[..4].to_vec(),
                creators: o.creators[..3].to_vec(),
            };
            let mut model: HashMap<AccountRef, i64> = HashMap::new();
            let mut sent: Vec<NewTransfer> = Vec::new();
            for step in &steps {
                let transfer = match step {
                    Step::Replay { earlier } if !sent.is_empty() => {
                        sent[earlier % sent.len()].clone()
                    }
                    Step::Replay { .. } => continue,
                    other => world.transfer(other, IdempotencyKey::new()).expect("transfer"),
                };
                let replay = matches!(step, Step::Replay { .. });
                let from = transfer.legs[0].account;
                let to = transfer.legs[1].account;
                // Earlier cases left balances on the same accounts: start from them.
                for account in [from, to] {
                    if let std::collections::hash_map::Entry::Vacant(entry) = model.entry(account) {
                        entry.insert(db::balance(&db, account).await.expect("balance").minor());
                    }
                }
                let posted = post(&db, &transfer).await;
                let amount = transfer.legs[1].amount_minor;
                match posted {
                    Ok(Posted::New(_)) => {
                        prop_assert!(!replay, "a replayed key moved money again");
                        *model.entry(from).or_default() -= amount;
                        *model.entry(to).or_default() += amount;
                        sent.push(transfer.clone());
                    }
                    Ok(Posted::Replayed(_)) => prop_assert!(replay),
                    Err(LedgerError::Insufficient { short_by, .. }) => {
                        let have = model.get(&from).copied().unwrap_or(0);
                        prop_assert!(!replay);
                        prop_assert_eq!(short_by.minor(), amount - have);
                    }
                    Err(e) => prop_assert!(false, "{e}"),
                }
                for (account, expected) in &model {
                    let balance = db::balance(&db, *account).await.expect("balance").minor();
                    prop_assert_eq!(balance, *expected, "{:?}", account);
                }
            }
            let report = verify::verify(&db).await.expect("verify");
            prop_assert!(report.is_sound(), "{:?}", report.problems);
            Ok(())
        })?;
    });
}

#[tokio::test]
async fn the_write_load_posts_what_it_says_and_leaves_the_ledger_sound() {
    let db = fresh_db().await;
    owners(&db).await;
    let report = liaison::ledger::load::run(&db, 4, 200).await.expect("load");
    assert_eq!(report.transfers, 200);
    assert!(report.sound);
    assert!(report.p99 >= report.p50);
}

#[tokio::test]
async fn an_owners_history_reads_in_pages_across_currencies_without_gaps_or_repeats() {
    use liaison::{
        ledger::{AccountKind, HistoryCursor, Owner},
        web::keyset,
    };

    let db = fresh_db().await;
    let o = owners(&db).await;
    let brand = o.brands[0];
    // Seven rounds of funding in dollars and euros. Each round is one
    // transaction, so its three movements share one recorded time, two of
    // them on the same account: the cursor has to tell them apart.
    for n in 1..=7 {
        let mut tx = db.begin().await.expect("begin");
        for (currency, minor) in [
            (Currency::Usd, n * 100),
            (Currency::Eur, n * 100 + 1),
            (Currency::Usd, n * 100 + 2),
        ] {
            let amount = Money::from_minor(minor, currency);
            db::post(&mut tx, &funding(brand, amount, &IdempotencyKey::new()))
                .await
                .expect("fund");
        }
        tx.commit().await.expect("commit");
    }
    let owner = Owner::Brand(brand);
    let all = db::movements(&db, AccountKind::BrandFunds, owner, None, 1_000)
        .await
        .expect("all");
    assert_eq!(all.len(), 21);
    assert!(
        all.windows(2).all(|w| w[0].recorded_at >= w[1].recorded_at),
        "newest first"
    );
    assert_eq!(all[0].amount, Money::from_minor(702, Currency::Usd));

    let mut paged = Vec::new();
    let mut before: Option<HistoryCursor> = None;
    let mut pages = 0;
    loop {
        let mut page = db::movements(&db, AccountKind::BrandFunds, owner, before, 5)
            .await
            .expect("page");
        pages += 1;
        let next = keyset::cut(&mut page, 4, |m| m.place);
        paged.extend(page);
        match next {
            Some(cursor) => {
                assert_eq!(HistoryCursor::decode(&cursor.encode()), Some(cursor));
                before = Some(cursor);
            }
            None => break,
        }
    }
    assert_eq!(pages, 6);
    let places = |list: &[liaison::ledger::Movement]| -> Vec<HistoryCursor> {
        list.iter().map(|m| m.place).collect()
    };
    assert_eq!(places(&paged), places(&all));

    // The release before the copy posted entries without it, in the
    // statement that wrote their transfer: they take the transfer's time.
    let old_release = Uuid::now_v7();
    sqlx::query(
        "with t as (
             insert into ledger_transfers (id, kind, idempotency_key, request_digest, effective_at)
             values ($1, 'correction', 'test:' || $1, decode(repeat('00', 32), 'hex'), now())
             returning id)
         insert into ledger_entries (id, transfer_id, account_id, currency, amount_minor,
                                     balance_after_minor, account_version)
         select gen_random_uuid(), t.id, a.id, a.currency,
                case when a.kind = 'cash_received' then -5 else 5 end, 0, 1000
           from t, ledger_accounts a
          where a.currency = 'USD'
            and (a.kind = 'cash_received' or (a.kind = 'brand_funds' and a.brand_id = $2))",
    )
    .bind(old_release)
    .bind(brand)
    .execute(&db)
    .await
    .expect("an entry posted without the copy");
    let filled: i64 = sqlx::query_scalar(
        "select count(*) from ledger_entries where transfer_id = $1 and recorded_at is not null",
    )
    .bind(old_release)
    .fetch_one(&db)
    .await
    .expect("count");
    assert_eq!(filled, 2);

    // Each entry's copy of its transfer's time is the transfer's, by a key
    // the database checks.
    let disagree: i64 = sqlx::query_scalar(
        "select count(*) from ledger_entries e join ledger_transfers t on t.id = e.transfer_id
          where e.recorded_at <> t.recorded_at",
    )
    .fetch_one(&db)
    .await
    .expect("count");
    assert_eq!(disagree, 0);
    let mut tx = db.begin().await.expect("begin");
    let transfer = bare_transfer(&mut tx).await;
    let wrong = sqlx::query(
        "insert into ledger_entries (id, transfer_id, account_id, currency, amount_minor,
                                     balance_after_minor, account_version, recorded_at)
         select $1, $2, e.account_id, e.currency, 1, 0, 1000, now() - interval '1 day'
           from ledger_entries e limit 1",
    )
    .bind(Uuid::now_v7())
    .bind(transfer)
    .execute(&mut *tx)
    .await;
    assert!(
        wrong.as_ref().is_err_and(|e| e
            .to_string()
            .contains("ledger_entries_transfer_recorded_fkey")),
        "{wrong:?}"
    );
}
