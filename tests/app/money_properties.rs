//! Random sequences of what the money features do, through the functions the
//! pages call (funding, accepting, releasing, cancelling, disputes settled by
//! a split, payout batches) with requests replayed at random. After every
//! step: every transfer balances and every balance agrees with its entries,
//! the accounts sum to zero, each collaboration's escrow holds exactly its
//! unsettled shares, and a replayed request changes nothing.

use liaison::{
    billing::{
        escrow::{self, Hold, Settlement},
        funding::{self, Receipt, Source},
        terms,
    },
    disputes::domain::{Decided, Resolution},
    domain::{Currency, Money, Party, ReleaseOn},
    ledger::{IdempotencyKey, verify},
    payouts::{
        account::{BankAccount, Method, iban_of},
        batches,
        details::{self, Details},
    },
};
use proptest::prelude::*;
use sqlx::PgPool;
use uuid::Uuid;

use crate::helpers::{fresh_db, test_data_key};

const COLLABORATIONS: usize = 3;

#[derive(Debug, Clone)]
enum Step {
    Fund {
        minor: i64,
    },
    Accept {
        c: usize,
        minor: i64,
    },
    Release {
        c: usize,
        d: usize,
    },
    Cancel {
        c: usize,
    },
    Dispute {
        c: usize,
        d: usize,
        split_per_mille: i64,
    },
    Payout,
    Replay {
        earlier: usize,
    },
}

fn step() -> impl Strategy<Value = Step> {
    let c = 0..COLLABORATIONS;
    prop_oneof![
        3 => (1i64..400_000).prop_map(|minor| Step::Fund { minor }),
        3 => (c.clone(), 1i64..150_000).prop_map(|(c, minor)| Step::Accept { c, minor }),
        2 => (c.clone(), 0..2usize).prop_map(|(c, d)| Step::Release { c, d }),
        1 => c.clone().prop_map(|c| Step::Cancel { c }),
        2 => (c, 0..2usize, 1i64..1000).prop_map(|(c, d, split_per_mille)| Step::Dispute {
            c,
            d,
            split_per_mille
        }),
        1 => Just(Step::Payout),
        2 => (0..50usize).prop_map(|earlier| Step::Replay { earlier }),
    ]
}

/// The people and collaborations a case plays with: a brand, and three
/// collaborations of two deliverables each, between it and creators with
/// payout details.
struct Case {
    brand: Uuid,
    admin: Uuid,
    collaborations: Vec<(Uuid, Uuid, Vec<Uuid>)>,
}

async fn case(db: &PgPool) -> Case {
    let admin: Uuid = sqlx::query_scalar("select id from users where role = 'admin' limit 1")
        .fetch_one(db)
        .await
        .expect("admin");
    let brand = Uuid::now_v7();
    sqlx::query("insert into brands (id, name) values ($1, $2)")
        .bind(brand)
        .bind(format!("Property brand {brand}"))
        .execute(db)
        .await
        .expect("brand");
    let campaign: Uuid = sqlx::query_scalar("select id from campaigns order by id limit 1")
        .fetch_one(db)
        .await
        .expect("campaign");
    let creators: Vec<(Uuid, Uuid)> =
        sqlx::query_as("select id, user_id from influencer_profiles order by random() limit $1")
            .bind(COLLABORATIONS as i64)
            .fetch_all(db)
            .await
            .expect("creators");
    let mut collaborations = Vec::new();
    for (n, (profile, user)) in creators.into_iter().enumerate() {
        let application = Uuid::now_v7();
        // Withdrawn rows: the escrow needs a collaboration to belong to, and
        // these never meet the one-active-application rule.
        sqlx::query(
            "insert into applications (id, campaign_id, profile_id, pitch, proposed_fee_minor,
                                       currency, status)
             values ($1, $2, $3, 'Property test', 100, 'USD', 'withdrawn')",
        )
        .bind(application)
        .bind(campaign)
        .bind(profile)
        .execute(db)
        .await
        .expect("application");
        let mut deliverables = Vec::new();
        for position in 1..=2i16 {
            let id = Uuid::now_v7();
            sqlx::query(
                "insert into deliverables (id, application_id, position, brief_version, platform,
                                           format, quantity, due_on)
                 values ($1, $2, $3, 1, 'instagram', 'post', 1, current_date + 10)",
            )
            .bind(id)
            .bind(application)
            .bind(position)
            .execute(db)
            .await
            .expect("deliverable");
            deliverables.push(id);
        }
        let mut tx = db.begin().await.expect("begin");
        let d = Details {
            legal_name: format!("Creator {n}"),
            address: "1 Test Street".to_owned(),
            country: "DE".to_owned(),
            tax_id: String::new(),
            account_holder: format!("Creator {n}"),
            method: Method::Iban,
            account: Some(BankAccount::Iban(iban_of("DE", "370400440532013000"))),
            bic: String::new(),
        };
        details::save(&mut tx, &test_data_key(), profile, &d, user)
            .await
            .expect("details");
        tx.commit().await.expect("commit");
        collaborations.push((application, profile, deliverables));
    }
    Case {
        brand,
        admin,
        collaborations,
    }
}

/// Every balance, for comparing before and after a replay.
async fn balances(db: &PgPool) -> Vec<(Uuid, i64, i64)> {
    sqlx::query_as("select id, balance_minor, version from ledger_accounts order by id")
        .fetch_all(db)
        .await
        .expect("balances")
}

/// Runs one step in its own transaction, as a request would, under `key`.
async fn run(db: &PgPool, c: &Case, step: &Step, key: &IdempotencyKey) {
    let usd = |minor| Money::from_minor(minor, Currency::Usd);
    let mut tx = db.begin().await.expect("begin");
    match *step {
        Step::Fund { minor } => {
            let receipt = Receipt {
                source: Source::BankTransfer,
                event_id: key.as_str().to_owned(),
                brand_id: c.brand,
                amount: usd(minor),
                received_on: time::OffsetDateTime::now_utc().date(),
                reference: "Property".to_owned(),
            };
            funding::record(&mut tx, &receipt, c.admin)
                .await
                .expect("fund");
        }
        Step::Accept { c: n, minor } => {
            let (application, profile, deliverables) = &c.collaborations[n];
            let held: bool = sqlx::query_scalar(
                "select exists (select 1 from escrow_holds where application_id = $1)",
            )
            .bind(application)
            .fetch_one(&mut *tx)
            .await
            .expect("held");
            let hold = Hold {
                application_id: *application,
                brand_id: c.brand,
                profile_id: *profile,
                fee: usd(minor),
                deliverables: deliverables.clone(),
                split: None,
                key: key.clone(),
                by: c.admin,
                release_on: ReleaseOn::Approval,
            };
            let terms = terms::load(&mut *tx).await.expect("terms");
            // Accepting twice is refused before the hold, as the page's
            // status check does; short of funds, nothing is held.
            if !held && escrow::hold(&mut tx, &hold, &terms).await.is_err() {
                return;
            }
        }
        Step::Release { c: n, d } => {
            let deliverable = c.collaborations[n].2[d];
            escrow::release(&mut tx, deliverable, ReleaseOn::Approval, None)
                .await
                .expect("release");
        }
        Step::Cancel { c: n } => {
            let application = c.collaborations[n].0;
            // Refused while a dispute is open: then nothing moves.
            let _ = escrow::refund_unsettled(&mut tx, application, key.clone(), c.admin)
                .await
                .expect("refund");
        }
        Step::Dispute {
            c: n,
            d,
            split_per_mille,
        } => {
            let (_, profile, deliverables) = &c.collaborations[n];
            let deliverable = deliverables[d];
            let user: Uuid =
                sqlx::query_scalar("select user_id from influencer_profiles where id = $1")
                    .bind(profile)
                    .fetch_one(&mut *tx)
                    .await
                    .expect("user");
            let opened = liaison::disputes::db::open(
                &mut tx,
                deliverable,
                user,
                Party::Creator,
                "Property test",
            )
            .await
            .expect("open");
            let fee: Option<i64> =
                sqlx::query_scalar("select fee_minor from escrow_shares where deliverable_id = $1")
                    .bind(deliverable)
                    .fetch_optional(&mut *tx)
                    .await
                    .expect("fee");
            // Some disputes stay open: their money is frozen for the rest of
            // the case, and cancelling is refused.
            if let (Ok(dispute), Some(fee), true) = (opened, fee, split_per_mille < 900) {
                let part = usd(fee * split_per_mille / 1000);
                let how = Settlement::Split { to_creator: part };
                let settled =
                    escrow::settle_dispute(&mut tx, deliverable, how, key.clone(), c.admin)
                        .await
                        .expect("settle");
                if let Ok((transfer, _)) = settled {
                    let decided = Decided {
                        resolution: Resolution::Split,
                        settlement: how,
                        to_creator: part,
                        to_brand: usd(fee - part.minor()),
                        note: "Split by the property test.".to_owned(),
                        key: key.clone(),
                    };
                    liaison::disputes::db::settle(&mut tx, dispute, &decided, c.admin, transfer)
                        .await
                        .expect("record");
                }
            }
        }
        Step::Payout => {
            if let Ok(batch) = batches::prepare(&mut tx, Currency::Usd, 0, key, c.admin)
                .await
                .expect("prepare")
            {
                let _ = batches::send(&mut tx, batch.id(), c.admin)
                    .await
                    .expect("send");
            }
        }
        Step::Replay { .. } => unreachable!("replays run their earlier step"),
    }
    tx.commit().await.expect("commit");
}

async fn assert_invariants(db: &PgPool) -> Result<(), TestCaseError> {
    let report = verify::verify(db).await.expect("verify");
    prop_assert!(report.is_sound(), "{:?}", report.problems);
    let unbalanced: i64 = sqlx::query_scalar(
        "select count(*) from (select currency from ledger_accounts group by currency
                                having sum(balance_minor) <> 0) t",
    )
    .fetch_one(db)
    .await
    .expect("sum");
    prop_assert_eq!(unbalanced, 0, "the accounts sum to zero per currency");
    let mismatched: i64 = sqlx::query_scalar(
        "select count(*) from escrow_holds h
           join ledger_accounts a on a.kind = 'escrow' and a.application_id = h.application_id
          where a.balance_minor <> coalesce((select sum(s.fee_minor + s.brand_fee_minor)
                                               from escrow_shares s
                                              where s.application_id = h.application_id
                                                and s.settled is null), 0)",
    )
    .fetch_one(db)
    .await
    .expect("escrow");
    prop_assert_eq!(
        mismatched,
        0,
        "an escrow holds exactly its unsettled shares"
    );
    Ok(())
}

#[test]
fn random_fund_accept_release_cancel_dispute_and_payout_keep_every_invariant() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let db = runtime.block_on(fresh_db());
    runtime
        .block_on(liaison::seed::demo(&db, &test_data_key()))
        .expect("demo");
    let config = ProptestConfig {
        cases: 24,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(steps in proptest::collection::vec(step(), 1..30))| {
        runtime.block_on(async {
            let c = case(&db).await;
            let mut done: Vec<(Step, IdempotencyKey)> = Vec::new();
            for step in &steps {
                if let Step::Replay { earlier } = step {
                    if done.is_empty() {
                        continue;
                    }
                    let (step, key) = done[earlier % done.len()].clone();
                    let before = balances(&db).await;
                    run(&db, &c, &step, &key).await;
                    prop_assert_eq!(balances(&db).await, before, "replaying {:?} moved money", step);
                } else {
                    let key = IdempotencyKey::new();
                    let before = balances(&db).await;
                    run(&db, &c, step, &key).await;
                    // Only a request that did something has a result to
                    // replay; a refused one may rightly succeed when sent again.
                    if balances(&db).await != before {
                        done.push((step.clone(), key));
                    }
                }
                assert_invariants(&db).await?;
            }
            Ok(())
        })?;
    });
    // The cases met every kind of movement, not only refusals.
    let kinds: Vec<String> = runtime
        .block_on(
            sqlx::query_scalar("select distinct kind from ledger_transfers order by kind")
                .fetch_all(&db),
        )
        .expect("kinds");
    for kind in ["funding", "hold", "release", "refund", "split", "payout"] {
        assert!(kinds.iter().any(|k| k == kind), "no {kind} in {kinds:?}");
    }
}
