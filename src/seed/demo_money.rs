//! The demo's money beyond funding and escrow: the agency's issuing details
//! and account, creators' payout details, one payout batch sent (with its
//! statements), and one dispute waiting for the agency. Each goes through the
//! same functions the pages use.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    config::DataKey,
    documents::issuer::{self, Issuer},
    domain::{Currency, Party},
    ledger::IdempotencyKey,
    payouts::{
        account::{BankAccount, Method, iban_of},
        batches,
        details::{self, Details},
        payer::{self, Payer},
    },
};

/// The agency's name on invoices and statements, and the account payouts
/// leave from; set before any collaboration is funded, so every invoice
/// carries them.
pub async fn agency(tx: &mut PgConnection, admin_id: Uuid) -> anyhow::Result<()> {
    let issuer = Issuer {
        name: "Liaison Agency Ltd".to_owned(),
        address: "5 Market Street\nLondon EC1A 1AA\nUnited Kingdom".to_owned(),
        tax_id: "GB999999973".to_owned(),
        tax_label: "VAT".to_owned(),
        tax_basis_points: 2_000,
    };
    issuer::save(&mut *tx, &issuer, admin_id).await?;
    let payer = Payer {
        name: "Liaison Agency Ltd".to_owned(),
        iban: iban_of("GB", "WEST12345698765432"),
        bic: String::new(),
    };
    payer::save(&mut *tx, &payer, admin_id).await?;
    Ok(())
}

/// Payout details for every creator with money payable but one (who shows
/// the agency a creator held back), a payout batch sent in the currency with
/// the most payable, and a dispute on a draft waiting for review.
pub async fn payouts_and_dispute(
    tx: &mut PgConnection,
    key: &DataKey,
    admin_id: Uuid,
) -> anyhow::Result<()> {
    let earners = sqlx::query!(
        r#"select distinct a.profile_id as "profile_id!", p.user_id, u.display_name, a.currency
             from ledger_accounts a
             join influencer_profiles p on p.id = a.profile_id
             join users u on u.id = p.user_id
            where a.kind = 'creator_payable' and a.balance_minor > 0
            order by u.display_name"#
    )
    .fetch_all(&mut *tx)
    .await?;
    let busiest = sqlx::query_scalar!(
        r#"select currency as "currency!" from ledger_accounts
            where kind = 'creator_payable' and balance_minor > 0
            group by currency order by sum(balance_minor) desc, currency limit 1"#
    )
    .fetch_optional(&mut *tx)
    .await?;
    // The one held back has nothing due in the batch's currency where some
    // creator is so, and the batch still pays someone else.
    let in_batch = |profile: Uuid| {
        earners
            .iter()
            .any(|e| e.profile_id == profile && busiest.as_deref() == Some(e.currency.as_str()))
    };
    let mut profiles: Vec<Uuid> = earners.iter().map(|e| e.profile_id).collect();
    profiles.dedup();
    let paid = profiles.iter().filter(|p| in_batch(**p)).count();
    let held_back = profiles
        .iter()
        .find(|p| !in_batch(**p))
        .or_else(|| {
            profiles
                .iter()
                .rev()
                .find(|p| in_batch(**p))
                .filter(|_| paid > 1)
        })
        .copied();
    let mut saved: Vec<Uuid> = Vec::new();
    for (n, e) in earners.iter().enumerate() {
        if Some(e.profile_id) == held_back || saved.contains(&e.profile_id) {
            continue;
        }
        saved.push(e.profile_id);
        // Dollar earners bank in the US, the others in Europe.
        let (country, account) = if e.currency == Currency::Usd.code() && n % 2 == 0 {
            (
                "US",
                BankAccount::Us {
                    routing: "021000021".to_owned(),
                    account: format!("{:012}", 4_000_000_000u64 + n as u64 * 7_919),
                },
            )
        } else {
            let bban = format!("{:018}", 370_400_440_000_000_000u64 + n as u64 * 104_729);
            ("DE", BankAccount::Iban(iban_of("DE", &bban)))
        };
        let d = Details {
            legal_name: e.display_name.clone(),
            address: format!("{} Demo Street\nDemo City", 10 + n),
            country: country.to_owned(),
            tax_id: String::new(),
            account_holder: e.display_name.clone(),
            method: match account {
                BankAccount::Iban(_) => Method::Iban,
                BankAccount::Us { .. } => Method::UsAccount,
            },
            account: Some(account),
            bic: String::new(),
        };
        details::save(&mut *tx, key, e.profile_id, &d, e.user_id).await?;
    }
    if let Some(code) = busiest {
        let currency = Currency::parse(&code).map_err(anyhow::Error::msg)?;
        let prepared = batches::prepare(
            &mut *tx,
            currency,
            0,
            &IdempotencyKey::derived("demo-payout", currency.code()),
            admin_id,
        )
        .await?;
        if let Ok(batch) = prepared {
            batches::send(&mut *tx, batch.id(), admin_id)
                .await?
                .map_err(|e| anyhow::anyhow!("demo payout: {e}"))?;
        }
    }
    dispute(&mut *tx).await
}

/// A creator disputes a draft the brand has sat on.
async fn dispute(tx: &mut PgConnection) -> anyhow::Result<()> {
    let waiting = sqlx::query!(
        "select d.id, p.user_id
           from deliverables d
           join escrow_shares s on s.deliverable_id = d.id and s.settled is null
           join influencer_profiles p on p.id = d.profile_id
          where d.status = 'submitted'
          order by d.due_on, d.id
          limit 1"
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(w) = waiting {
        crate::disputes::db::open(
            &mut *tx,
            w.id,
            w.user_id,
            Party::Creator,
            "The brand asked for a second video in its feedback, which the brief doesn't include, \
             and holds the approval until I make it. I'd like the agency to release this part.",
        )
        .await?
        .map_err(|e| anyhow::anyhow!("demo dispute: {e}"))?;
    }
    Ok(())
}
