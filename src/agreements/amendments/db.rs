//! Quotes for work outside the brief, as stored: the request they answer,
//! quoting (the amendment's text and the creator's signature), and the
//! brand's decision (holding the price and adding the deliverable, or
//! withdrawing the request).

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{
    agreements::domain::AmendmentStatus,
    domain::{Currency, Format, Money, Platform},
};

/// A review's request outside the brief, with what the creator may quote for
/// it.
#[derive(Debug, Clone)]
pub struct Request {
    pub item_id: Uuid,
    pub number: i16,
    pub body: String,
    pub out_of_scope: bool,
    pub answered: bool,
    /// The newest quote for it, if any.
    pub quoted: Option<AmendmentStatus>,
    pub deliverable_id: Uuid,
    pub platform: Platform,
    pub format: Format,
    pub application_id: Uuid,
    pub collaboration_open: bool,
    pub brand_id: Uuid,
    pub brand_name: String,
    pub creator_user_id: Uuid,
    pub creator_name: String,
    pub campaign_title: String,
    pub currency: Currency,
    pub deliverable_position: i16,
}

/// A requested change, if `creator` (a user) is the collaboration's creator.
pub async fn request(
    db: impl PgExecutor<'_>,
    item_id: Uuid,
    creator: Uuid,
) -> Result<Option<Request>, sqlx::Error> {
    let r = sqlx::query!(
        r#"select i.id, i.number, i.body, i.out_of_scope, i.answered_in is not null as "answered!",
                  (select m.status from amendments m where m.action_item_id = i.id
                    order by m.created_at desc limit 1) as "quoted?: AmendmentStatus",
                  d.id as deliverable_id, d.platform as "platform: Platform",
                  d.format as "format: Format", d.position, a.id as application_id,
                  a.status = 'accepted' as "open!", d.brand_id, b.name as brand_name,
                  p.user_id, u.display_name, c.title, a.currency as "currency: Currency"
             from action_items i
             join deliverables d on d.id = i.deliverable_id
             join applications a on a.id = d.application_id
             join campaigns c on c.id = a.campaign_id
             join brands b on b.id = d.brand_id
             join influencer_profiles p on p.id = d.profile_id
             join users u on u.id = p.user_id
            where i.id = $1 and p.user_id = $2"#,
        item_id,
        creator
    )
    .fetch_optional(db)
    .await?;
    Ok(r.map(|r| Request {
        item_id: r.id,
        number: r.number,
        body: r.body,
        out_of_scope: r.out_of_scope,
        answered: r.answered,
        quoted: r.quoted,
        deliverable_id: r.deliverable_id,
        platform: r.platform,
        format: r.format,
        application_id: r.application_id,
        collaboration_open: r.open,
        brand_id: r.brand_id,
        brand_name: r.brand_name,
        creator_user_id: r.user_id,
        creator_name: r.display_name,
        campaign_title: r.title,
        currency: r.currency,
        deliverable_position: r.position,
    }))
}

/// The next agreement number of a collaboration, under a lock on its hold so
/// that two quotes at once number one after the other.
pub async fn next_number(tx: &mut PgConnection, application_id: Uuid) -> Result<i16, sqlx::Error> {
    sqlx::query_scalar!(
        "select application_id from escrow_holds where application_id = $1 for update",
        application_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let last = sqlx::query_scalar!(
        r#"select coalesce(max(number), 0)::int2 as "n!" from agreements where application_id = $1"#,
        application_id
    )
    .fetch_one(&mut *tx)
    .await?;
    // A collaboration accepted before agreements existed has none: its
    // amendments still start at 2, the agreement's number.
    Ok(last.max(1) + 1)
}

/// When the collaboration's agreement was signed by both, if it was.
pub async fn agreement_signed_at(
    db: impl PgExecutor<'_>,
    application_id: Uuid,
) -> Result<Option<OffsetDateTime>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select max(s.signed_at) as "at!"
             from agreements g join agreement_signatures s on s.agreement_id = g.id
            where g.application_id = $1 and g.number = 1
           having count(*) = 2"#,
        application_id
    )
    .fetch_optional(db)
    .await
}

/// A new quote, its text already stored as `agreement_id`.
pub struct NewQuote<'a> {
    pub application_id: Uuid,
    pub item_id: Uuid,
    pub agreement_id: Uuid,
    pub what: &'a str,
    pub price: Money,
    pub extra_days: i32,
    pub by: Uuid,
}

pub async fn insert(tx: &mut PgConnection, q: &NewQuote<'_>) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "insert into amendments (id, application_id, action_item_id, agreement_id, what, currency,
                                 price_minor, extra_days, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        id,
        q.application_id,
        q.item_id,
        q.agreement_id,
        q.what,
        q.price.currency() as Currency,
        q.price.minor(),
        q.extra_days,
        q.by
    )
    .execute(&mut *tx)
    .await?;
    Ok(id)
}

/// A quote as its page and the collaboration's page show it.
#[derive(Debug, Clone)]
pub struct Quote {
    pub id: Uuid,
    pub application_id: Uuid,
    pub agreement_id: Uuid,
    pub number: i16,
    pub item_number: i16,
    pub request: String,
    pub deliverable_id: Uuid,
    pub what: String,
    pub price: Money,
    pub extra_days: i32,
    pub status: AmendmentStatus,
    pub created_at: OffsetDateTime,
    pub decided_at: Option<OffsetDateTime>,
    pub decline_reason: Option<String>,
    pub brand_fee: Option<Money>,
    pub added_deliverable: Option<Uuid>,
    pub invoice_id: Option<Uuid>,
    pub brand_id: Uuid,
    pub profile_id: Uuid,
    pub creator_user_id: Uuid,
    pub campaign_title: String,
    pub brand_name: String,
    pub creator_name: String,
    pub platform: Platform,
    pub format: Format,
    pub brief_version: i32,
    pub collaboration_open: bool,
}

impl Quote {
    /// What the amendment added to the fee and the agency's fee, held.
    pub fn held(&self) -> Option<Money> {
        self.brand_fee
            .map(|fee| Money::from_minor(self.price.minor() + fee.minor(), self.price.currency()))
    }
}

/// A query for quotes: the same columns, with its own condition.
macro_rules! quote_query {
    ($where:literal, $($arg:expr),*) => {
        sqlx::query!(
            r#"select m.id, m.application_id, m.agreement_id, g.number, i.number as item_number,
                      i.body as request, i.deliverable_id, m.what,
                      m.currency as "currency: Currency", m.price_minor, m.extra_days,
                      m.status as "status: AmendmentStatus", m.created_at, m.decided_at,
                      m.decline_reason, m.brand_fee_minor, m.deliverable_id as added_deliverable,
                      (select v.id from invoices v where v.amendment_id = m.id) as invoice_id,
                      h.brand_id, h.profile_id, p.user_id as creator_user_id,
                      c.title as campaign_title, b.name as brand_name,
                      u.display_name as creator_name, d.platform as "platform: Platform",
                      d.format as "format: Format", g.brief_version,
                      a.status = 'accepted' as "collaboration_open!"
                 from amendments m
                 join agreements g on g.id = m.agreement_id
                 join action_items i on i.id = m.action_item_id
                 join deliverables d on d.id = i.deliverable_id
                 join escrow_holds h on h.application_id = m.application_id
                 join applications a on a.id = m.application_id
                 join campaigns c on c.id = a.campaign_id
                 join brands b on b.id = h.brand_id
                 join influencer_profiles p on p.id = h.profile_id
                 join users u on u.id = p.user_id "# + $where,
            $($arg),*
        )
    };
}

macro_rules! quote_from_row {
    ($r:expr) => {{
        let r = $r;
        let money = |minor| Money::from_minor(minor, r.currency);
        Quote {
            id: r.id,
            application_id: r.application_id,
            agreement_id: r.agreement_id,
            number: r.number,
            item_number: r.item_number,
            request: r.request,
            deliverable_id: r.deliverable_id,
            what: r.what,
            price: money(r.price_minor),
            extra_days: r.extra_days,
            status: r.status,
            created_at: r.created_at,
            decided_at: r.decided_at,
            decline_reason: r.decline_reason,
            brand_fee: r.brand_fee_minor.map(money),
            added_deliverable: r.added_deliverable,
            invoice_id: r.invoice_id,
            brand_id: r.brand_id,
            profile_id: r.profile_id,
            creator_user_id: r.creator_user_id,
            campaign_title: r.campaign_title,
            brand_name: r.brand_name,
            creator_name: r.creator_name,
            platform: r.platform,
            format: r.format,
            brief_version: r.brief_version,
            collaboration_open: r.collaboration_open,
        }
    }};
}

/// The quote an amendment's text belongs to. The caller has checked that the
/// reader may read the agreement.
pub async fn of_agreement(
    db: impl PgExecutor<'_>,
    agreement_id: Uuid,
) -> Result<Option<Quote>, sqlx::Error> {
    let row = quote_query!("where m.agreement_id = $1", agreement_id)
        .fetch_optional(db)
        .await?;
    Ok(row.map(|r| quote_from_row!(r)))
}

/// A quote locked for its decision.
pub async fn lock(tx: &mut PgConnection, id: Uuid) -> Result<Option<Quote>, sqlx::Error> {
    let row = quote_query!("where m.id = $1 for update of m", id)
        .fetch_optional(&mut *tx)
        .await?;
    Ok(row.map(|r| quote_from_row!(r)))
}

/// Every quote of a collaboration, oldest first. The caller has checked that
/// the viewer may see the collaboration.
pub async fn of_application(
    db: impl PgExecutor<'_>,
    application_id: Uuid,
) -> Result<Vec<Quote>, sqlx::Error> {
    let rows = quote_query!(
        "where m.application_id = $1 order by m.created_at",
        application_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| quote_from_row!(r)).collect())
}

/// What accepting a quote held and added.
pub struct Accepted {
    pub by: Uuid,
    pub brand_fee: Money,
    pub hold_transfer_id: Uuid,
    pub due_on: time::Date,
}

/// Adds the quoted work as a deliverable of the collaboration (with its share
/// of the escrow) and marks the quote accepted. Returns the deliverable.
pub async fn accept(
    tx: &mut PgConnection,
    q: &Quote,
    done: &Accepted,
) -> Result<Uuid, sqlx::Error> {
    let deliverable_id = Uuid::now_v7();
    sqlx::query!(
        "insert into deliverables (id, application_id, position, brief_version, platform, format,
                                   quantity, due_on, notes, amendment_id)
         select $1, $2, coalesce(max(position), -1) + 1, $3, $4, $5, 1, $6, $7, $8
           from deliverables where application_id = $2",
        deliverable_id,
        q.application_id,
        q.brief_version,
        q.platform as Platform,
        q.format as Format,
        done.due_on,
        q.what,
        q.id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into escrow_shares (deliverable_id, application_id, fee_minor, brand_fee_minor)
         values ($1, $2, $3, $4)",
        deliverable_id,
        q.application_id,
        q.price.minor(),
        done.brand_fee.minor()
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update amendments
            set status = 'accepted', decided_by = $2, decided_at = now(), brand_fee_minor = $3,
                hold_transfer_id = $4, deliverable_id = $5
          where id = $1",
        q.id,
        done.by,
        done.brand_fee.minor(),
        done.hold_transfer_id,
        deliverable_id
    )
    .execute(&mut *tx)
    .await?;
    Ok(deliverable_id)
}

/// Declines a quote (the request is withdrawn from the review) or, by the
/// creator, withdraws it.
pub async fn close(
    tx: &mut PgConnection,
    id: Uuid,
    status: AmendmentStatus,
    by: Uuid,
    reason: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update amendments set status = $2, decided_by = $3, decided_at = now(),
                decline_reason = $4
          where id = $1",
        id,
        status as AmendmentStatus,
        by,
        reason
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A quote, for the access check of whoever asks.
pub async fn find(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<Quote>, sqlx::Error> {
    let row = quote_query!("where m.id = $1", id)
        .fetch_optional(db)
        .await?;
    Ok(row.map(|r| quote_from_row!(r)))
}

/// How many of a collaboration's review requests were outside the brief.
pub async fn requests_outside(
    db: impl PgExecutor<'_>,
    application_id: Uuid,
) -> Result<i64, sqlx::Error> {
    // The deal's roll-up keeps the count (a key lookup, not a join).
    let n = sqlx::query_scalar!(
        "select scope_requests from desk_deals where application_id = $1",
        application_id
    )
    .fetch_optional(db)
    .await?;
    Ok(n.map_or(0, i64::from))
}
