//! Escrow: accepting a creator holds the agreed fee and the agency's
//! brand-side fee from the brand's funds, shared across the collaboration's
//! deliverables; each share is later released to the creator or refunded to
//! the brand, once.

use sqlx::PgConnection;
use uuid::Uuid;

use super::terms::AgencyTerms;
use crate::{
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
    /// The collaboration's deliverables, in order: the fee is shared evenly
    /// across them, the odd cents going to the first.
    pub deliverables: Vec<Uuid>,
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
/// transaction. Short of funds, [`LedgerError::Insufficient`] says by how much
/// and nothing is held.
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
    let fees = split_evenly(hold.fee.minor(), hold.deliverables.len());
    let brand_fees = split_evenly(brand_fee.minor(), hold.deliverables.len());
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

/// The escrow of an accepted application, if its fee was held.
pub async fn summary(
    db: impl sqlx::PgExecutor<'_>,
    application_id: Uuid,
) -> Result<Option<Summary>, sqlx::Error> {
    let Some(r) = sqlx::query!(
        r#"select h.fee_minor, h.brand_fee_minor, h.creator_fee_basis_points,
                  h.currency as "currency: Currency",
                  coalesce((select a.balance_minor from ledger_accounts a
                             where a.kind = 'escrow' and a.application_id = h.application_id
                               and a.currency = h.currency), 0) as "held!",
                  coalesce((select sum(s.fee_minor) from escrow_shares s
                             where s.application_id = h.application_id
                               and s.settled = 'released'), 0)::bigint as "released_gross!"
             from escrow_holds h where h.application_id = $1"#,
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
/// of release, or already settled).
pub async fn release(
    tx: &mut PgConnection,
    deliverable_id: Uuid,
    on: ReleaseOn,
    by: Option<Uuid>,
) -> Result<Option<Released>, LedgerError> {
    let Some(share) = sqlx::query!(
        r#"select s.fee_minor, s.brand_fee_minor, s.settled, h.application_id, h.profile_id,
                  h.currency as "currency: Currency", h.creator_fee_basis_points,
                  h.release_on as "release_on: ReleaseOn"
             from escrow_shares s join escrow_holds h on h.application_id = s.application_id
            where s.deliverable_id = $1
              for update of s"#,
        deliverable_id
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(None);
    };
    if share.settled.is_some() || share.release_on != on {
        return Ok(None);
    }
    let fee = Money::from_minor(share.fee_minor, share.currency);
    let creator_fee = AgencyTerms {
        creator_fee_basis_points: i64::from(share.creator_fee_basis_points),
        ..AgencyTerms::default()
    }
    .creator_fee(fee);
    let payable = Money::from_minor(fee.minor() - creator_fee.minor(), share.currency);
    let agency = Money::from_minor(share.brand_fee_minor + creator_fee.minor(), share.currency);
    let escrow = AccountRef::escrow(share.application_id, share.currency);
    let mut transfer = NewTransfer::moving(
        TransferKind::Release,
        IdempotencyKey::derived("release", &deliverable_id.to_string()),
        payable,
        escrow,
        AccountRef::creator_payable(share.profile_id, share.currency),
    )
    .and(agency, escrow, AccountRef::agency_revenue(share.currency))
    .asking(&format!("release {deliverable_id}"))
    .memo(format!("Released {payable} to the creator"));
    transfer.created_by = by;
    let Posted::New(transfer_id) = ledger::db::post(&mut *tx, &transfer).await? else {
        return Ok(None);
    };
    sqlx::query!(
        "update escrow_shares set settled = 'released', settled_transfer_id = $2, settled_at = now()
          where deliverable_id = $1",
        deliverable_id,
        transfer_id
    )
    .execute(&mut *tx)
    .await?;
    Ok(Some(Released { payable }))
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
}
