//! Recording orders: attribution, the order itself and the daily roll-up, in
//! the caller's transaction, idempotent on the brand and the shop's order id.

use sqlx::{PgConnection, PgExecutor};
use time::{OffsetDateTime, UtcOffset};
use uuid::Uuid;

use super::domain::{AttributedBy, Order, OrderStatus, Problem, Source};
use crate::{
    domain::{Currency, Money},
    web::keyset::Cursor,
};

/// The collaboration an order is counted for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribution {
    pub application_id: Uuid,
    pub campaign_id: Uuid,
    pub by: AttributedBy,
    /// The campaign's currency: the order must be in it.
    pub currency: Currency,
    pub creator: String,
    pub campaign_title: String,
}

/// The click, if it is the brand's, a person's (not a bot's) and the order
/// came within the campaign's window after it; else a promo code of the
/// brand's collaborations. `None`: unattributed.
pub async fn attribute(
    conn: &mut PgConnection,
    brand_id: Uuid,
    order: &Order,
) -> Result<Option<Attribution>, sqlx::Error> {
    sqlx::query!(
        r#"select x.application_id as "application_id!", x.campaign_id as "campaign_id!",
                  x.by as "by!: AttributedBy", c.currency as "currency: Currency",
                  u.display_name as creator, c.title as campaign_title
             from (
                 select l.application_id, l.campaign_id, 'click' as by, 1 as rank
                   from clicks k
                   join tracked_links l on l.id = k.link_id
                   join campaigns lc on lc.id = l.campaign_id
                  where k.id = $2 and l.brand_id = $1 and not k.is_bot
                    and $4 >= k.clicked_at
                    and $4 < k.clicked_at + make_interval(days => lc.attribution_window_days)
                 union all
                 select p.application_id, a.campaign_id, 'promo_code', 2
                   from promo_codes p
                   join applications a on a.id = p.application_id
                  where p.brand_id = $1 and p.code = any($3)
                  order by rank
                  limit 1
             ) x
             join campaigns c on c.id = x.campaign_id
             join applications a on a.id = x.application_id
             join influencer_profiles p on p.id = a.profile_id
             join users u on u.id = p.user_id"#,
        brand_id,
        order.click_id,
        &order.promo_codes,
        order.occurred_at,
    )
    .fetch_optional(&mut *conn)
    .await
    .map(|row| {
        row.map(|r| Attribution {
            application_id: r.application_id,
            campaign_id: r.campaign_id,
            by: r.by,
            currency: r.currency,
            creator: r.creator,
            campaign_title: r.campaign_title,
        })
    })
}

/// An order as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversion {
    pub id: Uuid,
    pub order_id: String,
    pub amount: Money,
    pub occurred_at: OffsetDateTime,
    pub status: OrderStatus,
    pub application_id: Option<Uuid>,
    pub attributed_by: Option<AttributedBy>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    /// New, counted for the attribution given (if any).
    Created(Conversion, Option<Attribution>),
    /// The same order again: nothing changed.
    Replayed(Conversion),
    Refunded(Conversion),
    AlreadyRefunded(Conversion),
}

/// Why an order was not recorded; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The order id is recorded with another amount or currency.
    Changed { recorded: Money },
    /// Attributed to a campaign that runs in another currency.
    WrongCurrency { campaign: Currency, title: String },
    /// A refund of an order the brand never reported.
    NothingToRefund,
}

impl Refusal {
    /// What the brand is told, by field.
    pub fn problem(&self, order_id: &str) -> Problem {
        match self {
            Refusal::Changed { recorded } => Problem::new(
                "amount",
                format!(
                    "Order {order_id} is recorded for {recorded}; an order's amount and currency \
                     never change. Send it as refunded with the recorded amount to reverse it, \
                     then the corrected order under a new id."
                ),
            ),
            Refusal::WrongCurrency { campaign, title } => Problem::new(
                "currency",
                format!(
                    "This order belongs to the campaign \"{title}\", which runs in {campaign}: \
                     send it in {campaign}."
                ),
            ),
            Refusal::NothingToRefund => Problem::new(
                "order_id",
                format!(
                    "No order {order_id} is recorded for your brand, so there is nothing to refund."
                ),
            ),
        }
    }
}

/// Records the order (or its refund) for the brand, in the caller's
/// transaction; counted orders move the collaboration's roll-up in the same
/// transaction.
pub async fn record(
    tx: &mut PgConnection,
    brand_id: Uuid,
    order: &Order,
    source: Source,
) -> Result<Result<Recorded, Refusal>, sqlx::Error> {
    if order.status == OrderStatus::Refunded {
        return refund(tx, brand_id, order).await;
    }
    // Nothing to tie it by: no need to ask.
    let attribution = if order.click_id.is_none() && order.promo_codes.is_empty() {
        None
    } else {
        attribute(tx, brand_id, order).await?
    };
    if let Some(a) = &attribution
        && a.currency != order.amount.currency()
    {
        return Ok(Err(Refusal::WrongCurrency {
            campaign: a.currency,
            title: a.campaign_title.clone(),
        }));
    }
    let inserted = sqlx::query!(
        r#"insert into conversions (id, brand_id, order_id, amount_minor, currency, occurred_at,
                                    click_id, promo_code, application_id, campaign_id,
                                    attributed_by, source)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
           on conflict (brand_id, order_id) do nothing
           returning id"#,
        Uuid::now_v7(),
        brand_id,
        order.order_id,
        order.amount.minor(),
        order.amount.currency() as Currency,
        order.occurred_at,
        order.click_id,
        order.promo_code_text(),
        attribution.as_ref().map(|a| a.application_id),
        attribution.as_ref().map(|a| a.campaign_id),
        attribution.as_ref().map(|a| a.by) as Option<AttributedBy>,
        source as Source,
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = inserted else {
        let Some(existing) = find(&mut *tx, brand_id, &order.order_id).await? else {
            return Err(sqlx::Error::RowNotFound);
        };
        return Ok(if existing.amount == order.amount {
            Ok(Recorded::Replayed(existing))
        } else {
            Err(Refusal::Changed {
                recorded: existing.amount,
            })
        });
    };
    if let Some(a) = &attribution {
        roll_up(
            tx,
            a.application_id,
            order.occurred_at,
            order.amount.minor(),
        )
        .await?;
    }
    Ok(Ok(Recorded::Created(
        Conversion {
            id: row.id,
            order_id: order.order_id.clone(),
            amount: order.amount,
            occurred_at: order.occurred_at,
            status: OrderStatus::Completed,
            application_id: attribution.as_ref().map(|a| a.application_id),
            attributed_by: attribution.as_ref().map(|a| a.by),
        },
        attribution,
    )))
}

/// Reverses a whole order: it stays listed, marked refunded, and leaves the
/// counts of the day it was placed.
async fn refund(
    tx: &mut PgConnection,
    brand_id: Uuid,
    order: &Order,
) -> Result<Result<Recorded, Refusal>, sqlx::Error> {
    let Some(existing) = find(&mut *tx, brand_id, &order.order_id).await? else {
        return Ok(Err(Refusal::NothingToRefund));
    };
    if existing.amount != order.amount {
        return Ok(Err(Refusal::Changed {
            recorded: existing.amount,
        }));
    }
    let refunded = sqlx::query_scalar!(
        "update conversions set status = 'refunded', refunded_at = now()
          where id = $1 and status = 'completed'
          returning id",
        existing.id
    )
    .fetch_optional(&mut *tx)
    .await?;
    if refunded.is_none() {
        return Ok(Ok(Recorded::AlreadyRefunded(existing)));
    }
    if let Some(application_id) = existing.application_id {
        // The day's row exists: the order was counted in it.
        let day = existing.occurred_at.to_offset(UtcOffset::UTC).date();
        sqlx::query!(
            "with daily as (
                 update results_daily
                    set conversions = conversions - 1, revenue_minor = revenue_minor - $3
                  where application_id = $1 and day = $2
             )
             update collaboration_results
                set conversions = conversions - 1, revenue_minor = revenue_minor - $3
              where application_id = $1",
            application_id,
            day,
            existing.amount.minor()
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(Ok(Recorded::Refunded(Conversion {
        status: OrderStatus::Refunded,
        ..existing
    })))
}

/// Counts a new order in its collaboration's day.
async fn roll_up(
    tx: &mut PgConnection,
    application_id: Uuid,
    at: OffsetDateTime,
    revenue_minor: i64,
) -> Result<(), sqlx::Error> {
    let day = at.to_offset(UtcOffset::UTC).date();
    sqlx::query!(
        "with owner as (
             select a.id, c.brand_id, c.id as campaign_id
               from applications a join campaigns c on c.id = a.campaign_id
              where a.id = $1
         ),
         totals as (
             insert into collaboration_results (application_id, brand_id, campaign_id,
                                                conversions, revenue_minor)
             select id, brand_id, campaign_id, 1, $3 from owner
             on conflict (application_id) do update
                set conversions = collaboration_results.conversions + 1,
                    revenue_minor = collaboration_results.revenue_minor + excluded.revenue_minor
         )
         insert into results_daily (application_id, day, brand_id, campaign_id, conversions,
                                    revenue_minor)
         select id, $2, brand_id, campaign_id, 1, $3 from owner
         on conflict (application_id, day) do update
            set conversions = results_daily.conversions + excluded.conversions,
                revenue_minor = results_daily.revenue_minor + excluded.revenue_minor",
        application_id,
        day,
        revenue_minor
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The brand's order with this id; another brand's is never found.
pub async fn find(
    db: impl PgExecutor<'_>,
    brand_id: Uuid,
    order_id: &str,
) -> Result<Option<Conversion>, sqlx::Error> {
    sqlx::query!(
        r#"select id, order_id, amount_minor, currency as "currency: Currency", occurred_at,
                  status as "status: OrderStatus", application_id,
                  attributed_by as "attributed_by: AttributedBy"
             from conversions where brand_id = $1 and order_id = $2"#,
        brand_id,
        order_id
    )
    .fetch_optional(db)
    .await
    .map(|row| {
        row.map(|r| Conversion {
            id: r.id,
            order_id: r.order_id,
            amount: Money::from_minor(r.amount_minor, r.currency),
            occurred_at: r.occurred_at,
            status: r.status,
            application_id: r.application_id,
            attributed_by: r.attributed_by,
        })
    })
}

/// An order as the brand's list shows it.
#[derive(Debug, Clone)]
pub struct ListedOrder {
    pub order_id: String,
    pub amount: Money,
    pub occurred_at: OffsetDateTime,
    pub status: OrderStatus,
    pub source: Source,
    pub promo_code: Option<String>,
    pub attributed_by: Option<AttributedBy>,
    pub application_id: Option<Uuid>,
    pub creator: Option<String>,
    pub campaign_title: Option<String>,
    /// Where the list stands at this order: when it was placed and its id.
    pub place: Cursor,
}

struct OrderRecord {
    id: Uuid,
    order_id: String,
    amount_minor: i64,
    currency: Currency,
    occurred_at: OffsetDateTime,
    status: OrderStatus,
    source: Source,
    promo_code: Option<String>,
    attributed_by: Option<AttributedBy>,
    application_id: Option<Uuid>,
    creator: Option<String>,
    campaign_title: Option<String>,
}

impl From<OrderRecord> for ListedOrder {
    fn from(r: OrderRecord) -> Self {
        ListedOrder {
            order_id: r.order_id,
            amount: Money::from_minor(r.amount_minor, r.currency),
            occurred_at: r.occurred_at,
            status: r.status,
            source: r.source,
            promo_code: r.promo_code,
            attributed_by: r.attributed_by,
            application_id: r.application_id,
            creator: r.creator,
            campaign_title: r.campaign_title,
            place: Cursor::at(r.occurred_at, r.id),
        }
    }
}

/// How many unattributed orders a brand has, counted up to `UNATTRIBUTED_COUNTED`:
/// a shop that sends every order may have hundreds of thousands without a
/// creator's link or code, and counting them all on every visit would make the
/// page as slow as the shop is big.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unattributed {
    pub count: i64,
    /// There are more than `count`.
    pub more: bool,
}

pub const UNATTRIBUTED_COUNTED: i64 = 1_000;

/// Orders a page lists, newest first.
pub const ORDERS_SHOWN: i64 = 50;
// The statements read `limit 51` (a literal, so that they are planned for a
// page, not for the tenth of a brand's orders a `limit $n` stands for): it
// must stay ORDERS_SHOWN + 1.
const _: () = assert!(ORDERS_SHOWN + 1 == 51);

/// A page of the brand's orders, newest first, after `before` when given
/// (only the unattributed ones when asked), with one more than
/// [`ORDERS_SHOWN`] when older ones follow; and how many unattributed orders
/// it has.
pub async fn recent(
    db: &mut PgConnection,
    brand_id: Uuid,
    unattributed_only: bool,
    before: Option<Cursor>,
) -> Result<(Vec<ListedOrder>, Unattributed), sqlx::Error> {
    let before = before.unwrap_or_else(Cursor::newest);
    // One statement for each list, so that each is planned for its own
    // index (the unattributed ones have a partial index), and the page cut
    // before anything is joined. The brand is compared through a subquery:
    // one brand's share of all orders is far from the average, so with the
    // brand's id in view PostgreSQL found a plan for the brand at hand
    // cheaper than its cached one on every view and planned again (0.43 ms,
    // more than running it); unseen, every brand looks average, the cached
    // plan wins, and it is the same plan.
    macro_rules! orders {
        ($filter:literal) => {
            sqlx::query_as!(
                OrderRecord,
                r#"select v.id, v.order_id, v.amount_minor, v.currency as "currency: Currency",
                          v.occurred_at, v.status as "status: OrderStatus",
                          v.source as "source: Source", v.promo_code,
                          v.attributed_by as "attributed_by: AttributedBy", v.application_id,
                          u.display_name as "creator?", c.title as "campaign_title?"
                     from (select v.* from conversions v
                            where v.brand_id = (select $1::uuid)
                              and (v.occurred_at, v.id) < ($2, $3) "#
                    + $filter
                    + r#" order by v.occurred_at desc, v.id desc limit 51) v
                     left join applications a on a.id = v.application_id
                     left join influencer_profiles p on p.id = a.profile_id
                     left join users u on u.id = p.user_id
                     left join campaigns c on c.id = v.campaign_id
                    order by v.occurred_at desc, v.id desc"#,
                brand_id,
                before.time(),
                before.id
            )
            .fetch_all(&mut *db)
            .await?
        };
    }
    let orders = if unattributed_only {
        orders!("and v.application_id is null")
    } else {
        orders!("")
    };
    let unattributed = sqlx::query_scalar!(
        r#"select count(*) as "n!"
             from (select 1 from conversions
                    where brand_id = $1 and application_id is null and status = 'completed'
                    limit $2) x"#,
        brand_id,
        UNATTRIBUTED_COUNTED + 1
    )
    .fetch_one(&mut *db)
    .await?;

    Ok((
        orders.into_iter().map(ListedOrder::from).collect(),
        Unattributed {
            count: unattributed.min(UNATTRIBUTED_COUNTED),
            more: unattributed > UNATTRIBUTED_COUNTED,
        },
    ))
}
