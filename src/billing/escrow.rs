//! Escrow: accepting a creator holds the agreed fee and the agency's
//! brand-side fee from the brand's funds, shared across the collaboration's
//! deliverables; each share is later released to the creator or refunded to
//! the brand, once.

use sqlx::PgConnection;
use time::OffsetDateTime;
use uuid::Uuid;

use super::terms::AgencyTerms;
use crate::{
    documents,
    domain::{Currency, Money, ReleaseOn},
    ledger::{self, AccountRef, IdempotencyKey, LedgerError, NewTransfer, Posted, TransferKind},
};

/// What accepting an application holds.
#[derive(Debug, Clone)]
pub struct Hold {
    pub application_id: Uuid,
    pub brand_id: Uuid,
    pub profile_id: Uuid,
    pub fee: Money,
    /// The collaboration's deliverables, in order.
    pub deliverables: Vec<Uuid>,
    /// The fee of each deliverable as the brand set it (adding up to the
    /// fee), or `None` to share it evenly, the odd cents to the first.
    pub split: Option<Vec<i64>>,
    pub key: IdempotencyKey,
    pub by: Uuid,
    /// The accepted brief's rule for when each share is released.
    pub release_on: ReleaseOn,
}

/// The brand-side fee on `fee` and the total held: what the brand sees
/// before it accepts.
pub fn total(fee: Money, terms: &AgencyTerms) -> (Money, Money) {
    let brand_fee = terms.brand_fee(fee);
    (
        brand_fee,
        Money::from_minor(fee.minor() + brand_fee.minor(), fee.currency()),
    )
}

/// Holds the fee and the agency's fee from the brand's funds in the caller's
/// transaction, and issues the collaboration's invoice with it. Short of
/// funds, [`LedgerError::Insufficient`] says by how much and nothing is held.
pub async fn hold(
    tx: &mut PgConnection,
    hold: &Hold,
    terms: &AgencyTerms,
) -> Result<Posted, LedgerError> {
    let currency = hold.fee.currency();
    let (brand_fee, total) = total(hold.fee, terms);
    let transfer = NewTransfer::moving(
        TransferKind::Hold,
        hold.key.clone(),
        total,
        AccountRef::brand_funds(hold.brand_id, currency),
        AccountRef::escrow(hold.application_id, currency),
    )
    .asking(&format!(
        "hold {} {}",
        hold.application_id,
        hold.fee.minor()
    ))
    .memo(format!("Fee {} and agency fee {brand_fee}", hold.fee))
    .by(hold.by);
    let posted = ledger::db::post(&mut *tx, &transfer).await?;
    let Posted::New(transfer_id) = posted else {
        return Ok(posted);
    };
    sqlx::query!(
        "insert into escrow_holds (application_id, brand_id, profile_id, currency, fee_minor,
                                   brand_fee_minor, creator_fee_basis_points, hold_transfer_id,
                                   release_on)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        hold.application_id,
        hold.brand_id,
        hold.profile_id,
        currency as Currency,
        hold.fee.minor(),
        brand_fee.minor(),
        terms.creator_fee_basis_points as i32,
        transfer_id,
        hold.release_on as ReleaseOn,
    )
    .execute(&mut *tx)
    .await?;
    let fees = match &hold.split {
        Some(split) if split.len() == hold.deliverables.len() => split.clone(),
        _ => split_evenly(hold.fee.minor(), hold.deliverables.len()),
    };
    let brand_fees = split_in_proportion(brand_fee.minor(), &fees);
    sqlx::query!(
        "insert into escrow_shares (deliverable_id, application_id, fee_minor, brand_fee_minor)
         select d, $2, f, b from unnest($1::uuid[], $3::bigint[], $4::bigint[]) as s(d, f, b)",
        &hold.deliverables,
        hold.application_id,
        &fees,
        &brand_fees,
    )
    .execute(&mut *tx)
    .await?;
    // Every funded collaboration is invoiced, in the same transaction.
    documents::invoices::issue(&mut *tx, hold.application_id, None).await?;
    Ok(posted)
}

/// A collaboration's money as both sides see it: the fee, the agency's fee on
/// each side, what the creator receives, and where it stands.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    pub fee: Money,
    pub brand_fee: Money,
    pub creator_fee: Money,
    /// The fee less the creator-side fee: what the creator is paid in all.
    pub net: Money,
    /// Still held in escrow (fee and agency fee of the unreleased parts).
    pub held: Money,
    /// Released to the creator so far (net of the creator-side fee).
    pub released: Money,
}

impl Summary {
    pub fn total(&self) -> Money {
        Money::from_minor(
            self.fee.minor() + self.brand_fee.minor(),
            self.fee.currency(),
        )
    }
}

/// The escrow of an accepted application, if its fee was held: the fee with
/// its accepted amendments' prices.
pub async fn summary(
    db: impl sqlx::PgExecutor<'_>,
    application_id: Uuid,
) -> Result<Option<Summary>, sqlx::Error> {
    let Some(r) = sqlx::query!(
        r#"select h.fee_minor + coalesce(m.price, 0) as "fee_minor!",
                  h.brand_fee_minor + coalesce(m.brand_fee, 0) as "brand_fee_minor!",
                  h.creator_fee_basis_points,
                  h.currency as "currency: Currency",
                  coalesce((select a.balance_minor from ledger_accounts a
                             where a.kind = 'escrow' and a.owner_key = h.application_id
                               and a.currency = h.currency), 0) as "held!",
                  coalesce((select sum(s.fee_minor) from escrow_shares s
                             where s.application_id = h.application_id
                               and s.settled = 'released'), 0)::bigint as "released_gross!"
             from escrow_holds h
             left join lateral (select sum(x.price_minor)::int8 as price,
                                       sum(x.brand_fee_minor)::int8 as brand_fee
                                  from amendments x
                                 where x.application_id = h.application_id
                                   and x.status = 'accepted') m on true
            where h.application_id = $1"#,
        application_id
    )
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    let money = |minor| Money::from_minor(minor, r.currency);
    let terms = AgencyTerms {
        creator_fee_basis_points: i64::from(r.creator_fee_basis_points),
        ..AgencyTerms::default()
    };
    let fee = money(r.fee_minor);
    let creator_fee = terms.creator_fee(fee);
    let released_gross = money(r.released_gross);
    Ok(Some(Summary {
        fee,
        brand_fee: money(r.brand_fee_minor),
        creator_fee,
        net: money(fee.minor() - creator_fee.minor()),
        held: money(r.held),
        released: money(released_gross.minor() - terms.creator_fee(released_gross).minor()),
    }))
}

/// How a deliverable's share of the escrow is settled: how much of its fee
/// the creator is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settlement {
    /// All of it: the work is done (approved, published, or a dispute found
    /// for the creator).
    Release,
    /// None of it: the collaboration ended, or a dispute found for the brand.
    Refund,
    /// This much of the fee to the creator, the rest back to the brand.
    Split { to_creator: Money },
}

impl Settlement {
    fn key(self) -> &'static str {
        match self {
            Settlement::Release => "released",
            Settlement::Refund => "refunded",
            Settlement::Split { .. } => "split",
        }
    }

    fn transfer_kind(self) -> TransferKind {
        match self {
            Settlement::Release => TransferKind::Release,
            Settlement::Refund => TransferKind::Refund,
            Settlement::Split { .. } => TransferKind::Split,
        }
    }
}

/// Where a share's money goes when it is settled; the three add up to the
/// share's fee and brand-side fee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts {
    /// Payable to the creator: their part of the fee less the creator-side fee.
    pub creator: Money,
    /// The agency's fees on the part the creator is paid: the creator-side fee
    /// and the brand-side fee in proportion.
    pub agency: Money,
    /// Back to the brand's funds: the rest of the fee and of its agency fee.
    pub brand: Money,
}

/// The parts of a share of `fee` and `brand_fee` when `to_creator` of the fee
/// goes to the creator. The agency keeps its brand-side fee only on what the
/// creator is paid, rounded half up.
pub fn parts(
    fee: Money,
    brand_fee: Money,
    creator_fee_basis_points: i32,
    to_creator: Money,
) -> Parts {
    let currency = fee.currency();
    let gross = to_creator.minor().clamp(0, fee.minor());
    let creator_fee = AgencyTerms {
        creator_fee_basis_points: i64::from(creator_fee_basis_points),
        ..AgencyTerms::default()
    }
    .creator_fee(Money::from_minor(gross, currency));
    let agency_brand_fee = if fee.minor() == 0 {
        0
    } else {
        // i128: no overflow for any amount Liaison accepts.
        let scaled = i128::from(brand_fee.minor()) * i128::from(gross);
        ((2 * scaled + i128::from(fee.minor())) / (2 * i128::from(fee.minor()))) as i64
    };
    Parts {
        creator: Money::from_minor(gross - creator_fee.minor(), currency),
        agency: Money::from_minor(agency_brand_fee + creator_fee.minor(), currency),
        brand: Money::from_minor(
            fee.minor() - gross + brand_fee.minor() - agency_brand_fee,
            currency,
        ),
    }
}

/// A deliverable's share of the escrow, locked for settling.
struct Share {
    deliverable_id: Uuid,
    fee: Money,
    brand_fee: Money,
    settled: bool,
    application_id: Uuid,
    brand_id: Uuid,
    profile_id: Uuid,
    creator_fee_basis_points: i32,
    release_on: ReleaseOn,
    /// A dispute waits on it: it moves only by the agency's resolution.
    disputed: bool,
}

/// Locks the shares of a collaboration (or one deliverable's), in
/// deliverable order, so that two settlements of the same money queue up.
async fn lock_shares(
    tx: &mut PgConnection,
    application_id: Option<Uuid>,
    deliverable_id: Option<Uuid>,
) -> Result<Vec<Share>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select s.deliverable_id, s.fee_minor, s.brand_fee_minor, s.settled, h.application_id,
                  h.brand_id, h.profile_id, h.currency as "currency: Currency",
                  h.creator_fee_basis_points, h.release_on as "release_on: ReleaseOn",
                  exists (select 1 from disputes x where x.deliverable_id = s.deliverable_id
                           and x.resolved_at is null) as "disputed!"
             from escrow_shares s join escrow_holds h on h.application_id = s.application_id
            where s.application_id = coalesce($1, s.application_id)
              and s.deliverable_id = coalesce($2, s.deliverable_id)
              and ($1::uuid is not null or $2::uuid is not null)
            order by s.deliverable_id
              for update of s"#,
        application_id,
        deliverable_id
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Share {
            deliverable_id: r.deliverable_id,
            fee: Money::from_minor(r.fee_minor, r.currency),
            brand_fee: Money::from_minor(r.brand_fee_minor, r.currency),
            settled: r.settled.is_some(),
            application_id: r.application_id,
            brand_id: r.brand_id,
            profile_id: r.profile_id,
            creator_fee_basis_points: r.creator_fee_basis_points,
            release_on: r.release_on,
            disputed: r.disputed,
        })
        .collect())
}

/// Settles `shares` (unsettled, of one collaboration) as one transfer and
/// marks them settled with it.
async fn settle(
    tx: &mut PgConnection,
    shares: &[Share],
    how: Settlement,
    key: IdempotencyKey,
    by: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<Option<(Posted, Parts)>, LedgerError> {
    let Some(first) = shares.first() else {
        return Ok(None);
    };
    let currency = first.fee.currency();
    let money = |minor| Money::from_minor(minor, currency);
    let mut total = Parts {
        creator: money(0),
        agency: money(0),
        brand: money(0),
    };
    for share in shares {
        let to_creator = match how {
            Settlement::Release => share.fee,
            Settlement::Refund => money(0),
            Settlement::Split { to_creator } => to_creator,
        };
        let p = parts(
            share.fee,
            share.brand_fee,
            share.creator_fee_basis_points,
            to_creator,
        );
        total = Parts {
            creator: money(total.creator.minor() + p.creator.minor()),
            agency: money(total.agency.minor() + p.agency.minor()),
            brand: money(total.brand.minor() + p.brand.minor()),
        };
    }
    let escrow = AccountRef::escrow(first.application_id, currency);
    let ids: Vec<String> = shares
        .iter()
        .map(|s| s.deliverable_id.to_string())
        .collect();
    let memo = match how {
        Settlement::Release => format!("Released {} to the creator", total.creator),
        Settlement::Refund => format!("Returned {} to the brand", total.brand),
        Settlement::Split { .. } => format!(
            "Split: {} to the creator, {} back to the brand",
            total.creator, total.brand
        ),
    };
    let mut transfer = NewTransfer::moving(
        how.transfer_kind(),
        key,
        total.creator,
        escrow,
        AccountRef::creator_payable(first.profile_id, currency),
    )
    .and(total.agency, escrow, AccountRef::agency_revenue(currency))
    .and(
        total.brand,
        escrow,
        AccountRef::brand_funds(first.brand_id, currency),
    )
    .asking(&format!("{} {}", how.key(), ids.join(",")))
    .memo(memo);
    if let Settlement::Split { to_creator } = how {
        transfer = transfer.asking(&format!("split {} {}", ids.join(","), to_creator.minor()));
    }
    transfer.created_by = by;
    let transfer = transfer.effective(at);
    let posted = ledger::db::post(&mut *tx, &transfer).await?;
    if let Posted::New(transfer_id) = posted {
        let ids: Vec<Uuid> = shares.iter().map(|s| s.deliverable_id).collect();
        let to_creator: Vec<i64> = shares
            .iter()
            .map(|s| match how {
                Settlement::Release => s.fee.minor(),
                Settlement::Refund => 0,
                Settlement::Split { to_creator } => to_creator.minor().clamp(0, s.fee.minor()),
            })
            .collect();
        sqlx::query!(
            "update escrow_shares s
                set settled = $3, settled_transfer_id = $4, settled_at = $5,
                    to_creator_minor = t.part
               from unnest($1::uuid[], $2::int8[]) as t(id, part)
              where s.deliverable_id = t.id",
            &ids,
            &to_creator,
            how.key(),
            transfer_id,
            at
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(Some((posted, total)))
}

/// What releasing a deliverable's share paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Released {
    /// Now payable to the creator: the share less any creator-side fee.
    pub payable: Money,
}

/// Releases the deliverable's share of the escrow to the creator (less the
/// creator-side fee, which goes to the agency with the brand-side fee), in
/// the caller's transaction, under a lock on the share: a share is released
/// once however many approvals race. `on` is what just happened to the
/// deliverable; the share is released only if the accepted brief releases
/// pay then. `None` when there is nothing to release (no hold, another moment
/// of release, already settled, or frozen by a dispute).
pub async fn release(
    tx: &mut PgConnection,
    deliverable_id: Uuid,
    on: ReleaseOn,
    by: Option<Uuid>,
) -> Result<Option<Released>, LedgerError> {
    release_as_of(tx, deliverable_id, on, by, OffsetDateTime::now_utc()).await
}

/// [`release`] as of `at`: the transfer is effective then and the share is
/// settled then (for history loaded after the fact, such as the demo's).
pub async fn release_as_of(
    tx: &mut PgConnection,
    deliverable_id: Uuid,
    on: ReleaseOn,
    by: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<Option<Released>, LedgerError> {
    let shares = lock_shares(&mut *tx, None, Some(deliverable_id)).await?;
    let shares: Vec<Share> = shares
        .into_iter()
        .filter(|s| !s.settled && !s.disputed && s.release_on == on)
        .collect();
    let key = IdempotencyKey::derived("release", &deliverable_id.to_string());
    match settle(&mut *tx, &shares, Settlement::Release, key, by, at).await? {
        Some((Posted::New(_), parts)) => Ok(Some(Released {
            payable: parts.creator,
        })),
        _ => Ok(None),
    }
}

/// Returns every part of a collaboration's escrow not yet settled to the
/// brand, as one transfer under `key`, and says which and how much. Refused
/// (`Err` with a reason) while a dispute waits on any part.
pub async fn refund_unsettled(
    tx: &mut PgConnection,
    application_id: Uuid,
    key: IdempotencyKey,
    by: Uuid,
) -> Result<Result<Option<(Uuid, Money)>, String>, LedgerError> {
    let shares = lock_shares(&mut *tx, Some(application_id), None).await?;
    if shares.iter().any(|s| s.disputed && !s.settled) {
        return Ok(Err(
            "A dispute is open on this collaboration: the agency settles its money first.".into(),
        ));
    }
    let open: Vec<Share> = shares.into_iter().filter(|s| !s.settled).collect();
    let refunded = settle(
        &mut *tx,
        &open,
        Settlement::Refund,
        key,
        Some(by),
        OffsetDateTime::now_utc(),
    )
    .await?
    .map(|(posted, parts)| (posted.transfer_id(), parts.brand));
    Ok(Ok(refunded))
}

/// Settles a disputed deliverable's share as the agency decided, under the
/// share's lock. `Err` with a reason when it was settled already.
pub async fn settle_dispute(
    tx: &mut PgConnection,
    deliverable_id: Uuid,
    how: Settlement,
    key: IdempotencyKey,
    by: Uuid,
) -> Result<Result<(Uuid, Parts), String>, LedgerError> {
    let shares = lock_shares(&mut *tx, None, Some(deliverable_id)).await?;
    let Some(share) = shares.first() else {
        return Ok(Err("This deliverable has no money held for it.".into()));
    };
    if share.settled {
        return Ok(Err(
            "This deliverable's money was already released or returned; nothing was moved.".into(),
        ));
    }
    if let Settlement::Split { to_creator } = how
        && (to_creator.minor() < 0 || to_creator.minor() > share.fee.minor())
    {
        return Ok(Err(format!(
            "The creator's part must be between nothing and the whole fee, {}.",
            share.fee
        )));
    }
    match settle(
        &mut *tx,
        &shares,
        how,
        key,
        Some(by),
        OffsetDateTime::now_utc(),
    )
    .await?
    {
        Some((posted, parts)) => Ok(Ok((posted.transfer_id(), parts))),
        None => Ok(Err("This deliverable has no money held for it.".into())),
    }
}

/// A deliverable's share of the escrow, as its page shows it.
#[derive(Debug, Clone, Copy)]
pub struct ShareView {
    pub fee: Money,
    pub brand_fee: Money,
    pub settled: Option<&'static str>,
    pub release_on: ReleaseOn,
}

impl ShareView {
    pub fn is_open(&self) -> bool {
        self.settled.is_none()
    }
}

pub async fn share(
    db: impl sqlx::PgExecutor<'_>,
    deliverable_id: Uuid,
) -> Result<Option<ShareView>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select s.fee_minor, s.brand_fee_minor, s.settled, h.currency as "currency: Currency",
                  h.release_on as "release_on: ReleaseOn"
             from escrow_shares s join escrow_holds h on h.application_id = s.application_id
            where s.deliverable_id = $1"#,
        deliverable_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| ShareView {
        fee: Money::from_minor(r.fee_minor, r.currency),
        brand_fee: Money::from_minor(r.brand_fee_minor, r.currency),
        settled: match r.settled.as_deref() {
            Some("released") => Some("Released to the creator"),
            Some("refunded") => Some("Returned to the brand"),
            Some(_) => Some("Split after a dispute"),
            None => None,
        },
        release_on: r.release_on,
    }))
}

/// `total` in parts proportional to `weights`, adding up exactly: each part
/// rounded down, the minor units left over going to the largest remainders
/// (the earlier on a tie). Equal weights give [`split_evenly`]'s parts.
pub fn split_in_proportion(total: i64, weights: &[i64]) -> Vec<i64> {
    let sum: i128 = weights.iter().map(|w| i128::from(*w)).sum();
    if sum <= 0 {
        return split_evenly(total, weights.len());
    }
    let exact: Vec<(i64, i128)> = weights
        .iter()
        .map(|w| {
            let scaled = i128::from(total) * i128::from(*w);
            ((scaled / sum) as i64, scaled % sum)
        })
        .collect();
    let mut parts: Vec<i64> = exact.iter().map(|(p, _)| *p).collect();
    let left = total - parts.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|a, b| exact[*b].1.cmp(&exact[*a].1).then(a.cmp(b)));
    for i in order.into_iter().take(usize::try_from(left).unwrap_or(0)) {
        parts[i] += 1;
    }
    parts
}

/// `total` in `n` parts that differ by at most one minor unit, the larger first.
pub fn split_evenly(total: i64, n: usize) -> Vec<i64> {
    let Ok(count) = i64::try_from(n) else {
        return Vec::new();
    };
    if count == 0 {
        return Vec::new();
    }
    let (part, rest) = (total / count, total % count);
    (0..count).map(|i| part + i64::from(i < rest)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_even_split_adds_up_and_gives_the_odd_cents_to_the_first() {
        assert_eq!(split_evenly(10_000, 3), [3_334, 3_333, 3_333]);
        assert_eq!(split_evenly(5, 2), [3, 2]);
        assert_eq!(split_evenly(7, 1), [7]);
        assert!(split_evenly(7, 0).is_empty());
        for (total, n) in [(1, 5), (99_999, 7), (123_456_789, 11)] {
            assert_eq!(split_evenly(total, n).iter().sum::<i64>(), total);
        }
    }

    #[test]
    fn a_proportional_split_adds_up_and_follows_the_weights() {
        assert_eq!(split_in_proportion(1_000, &[7_000, 3_000]), [700, 300]);
        assert_eq!(split_in_proportion(100, &[1, 1, 1]), split_evenly(100, 3));
        assert_eq!(split_in_proportion(10, &[0, 5]), [0, 10]);
        assert_eq!(split_in_proportion(5, &[0, 0]), [3, 2]);
        for (total, weights) in [
            (999, vec![1, 2, 3]),
            (1, vec![5, 5]),
            (12_345, vec![9_999, 1, 77]),
        ] {
            assert_eq!(
                split_in_proportion(total, &weights).iter().sum::<i64>(),
                total
            );
        }
    }

    fn usd(minor: i64) -> Money {
        Money::from_minor(minor, Currency::Usd)
    }

    #[test]
    fn settling_a_share_always_adds_up_and_charges_the_agency_fee_only_on_what_is_paid() {
        // Released: the agency keeps its whole fee and the creator-side 5%.
        let p = parts(usd(10_000), usd(1_000), 500, usd(10_000));
        assert_eq!(
            (p.creator, p.agency, p.brand),
            (usd(9_500), usd(1_500), usd(0))
        );
        // Refunded: everything back to the brand, no fee kept.
        let p = parts(usd(10_000), usd(1_000), 500, usd(0));
        assert_eq!(
            (p.creator, p.agency, p.brand),
            (usd(0), usd(0), usd(11_000))
        );
        // Split 30/70: the agency keeps 30% of its brand-side fee.
        let p = parts(usd(10_000), usd(1_000), 0, usd(3_000));
        assert_eq!(
            (p.creator, p.agency, p.brand),
            (usd(3_000), usd(300), usd(7_700))
        );
        for (fee, brand_fee, bp, to) in [
            (1, 0, 0, 1),
            (333, 33, 1_250, 111),
            (99_999, 9_999, 5_000, 1),
        ] {
            let p = parts(usd(fee), usd(brand_fee), bp, usd(to));
            assert_eq!(
                p.creator.minor() + p.agency.minor() + p.brand.minor(),
                fee + brand_fee
            );
            assert!(p.creator.minor() >= 0 && p.agency.minor() >= 0 && p.brand.minor() >= 0);
        }
    }
}
