//! What the business desk reads and writes: the deal and income roll-ups
//! (`desk_deals`, `desk_income`, kept current by triggers), deals made
//! outside Liaison, hours, and goals. Every read is bounded by the creator's
//! roll-up rows, never by their history.

use sqlx::{PgConnection, PgExecutor};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::domain::{OutsideStage, Stage, WorkKind};
use crate::{
    domain::{Currency, Format, Money, Platform},
    web::keyset::Cursor,
};

/// One deal as the pipeline lists it: on Liaison, made outside, or an
/// invitation not answered yet.
#[derive(Debug, Clone)]
pub struct Deal {
    pub stage: Stage,
    /// Where it opens: the collaboration, the outside deal's form, or the
    /// campaign the creator was invited to.
    pub href: String,
    pub outside: bool,
    pub brand_name: String,
    pub title: String,
    pub amount: Option<Money>,
    pub earned: Money,
    pub minutes: i64,
    /// The date that matters next: a deadline, or when it was agreed, applied
    /// for, paid or invited.
    pub on: Option<Date>,
    /// Where the list stands at this deal: when it began and its id.
    pub place: Cursor,
}

/// `limit` deals of a creator in `stage` (or open ones), newest first,
/// after `before` when given: a page of the pipeline. Each part of the list
/// (deals on Liaison, outside deals, invitations) is cut at the cursor and
/// to the page before they are merged, so a later page costs what the first
/// does.
pub async fn deals(
    db: impl PgExecutor<'_>,
    profile_id: Uuid,
    stage: Option<Stage>,
    before: Option<Cursor>,
    limit: i64,
) -> Result<Vec<Deal>, sqlx::Error> {
    let stage = stage.map(Stage::key);
    let before = before.unwrap_or_else(Cursor::newest);
    let rows = sqlx::query!(
        r#"select * from (
               select dd.stage as "stage!", '/applications/' || dd.application_id as "href!",
                      false as "outside!", b.name as "brand_name!", c.title as "title!",
                      dd.fee_minor as "amount?", dd.currency as "currency!: Currency",
                      dd.released_net_minor as "earned!",
                      (dd.creating_minutes + dd.revising_minutes + dd.communicating_minutes
                       + dd.admin_minutes)::int8 as "minutes!",
                      coalesce(dd.next_due_on, (dd.last_release_at at time zone 'UTC')::date,
                               (dd.agreed_at at time zone 'UTC')::date,
                               (dd.applied_at at time zone 'UTC')::date) as "on?",
                      dd.applied_at as "sort!", dd.application_id as "key!"
                 -- Cut to the page before campaigns are joined: a creator
                 -- with a long history has hundreds of deals in a stage.
                 from (select * from desk_deals dd
                        where dd.profile_id = $1
                          and (dd.stage = $2
                               or ($2::text is null and dd.stage not in ('paid', 'lost')))
                          and (dd.applied_at, dd.application_id) < ($4, $5)
                        order by dd.applied_at desc, dd.application_id desc
                        limit $3) dd
                 join applications a on a.id = dd.application_id
                 join campaigns c on c.id = a.campaign_id
                 join brands b on b.id = dd.brand_id
               union all
               select o.pipeline_stage, '/business/deals/' || o.id, true, o.brand_name, o.title,
                      o.amount_minor, o.currency, case when o.stage = 'paid' then o.amount_minor else 0 end,
                      coalesce((select sum(t.minutes) from time_entries t
                                 where t.outside_deal_id = o.id), 0)::int8,
                      coalesce(o.paid_on, o.due_on, o.agreed_on, (o.created_at at time zone 'UTC')::date),
                      o.created_at, o.id
                 from outside_deals o
                where o.profile_id = $1
                  and (o.pipeline_stage = $2
                       or ($2::text is null and o.pipeline_stage not in ('paid', 'lost')))
                  and (o.created_at, o.id) < ($4, $5)
               union all
               select 'invited', '/campaigns/' || c.id, false, b.name, c.title, null, c.currency,
                      0, 0, (i.created_at at time zone 'UTC')::date, i.created_at, i.id
                 from campaign_invitations i
                 join campaigns c on c.id = i.campaign_id
                 join brands b on b.id = c.brand_id
                where i.profile_id = $1 and c.status = 'open'
                  and ($2::text is null or $2 = 'invited')
                  and (i.created_at, i.id) < ($4, $5)
                  and not exists (select 1 from applications a
                                   where a.campaign_id = i.campaign_id and a.profile_id = $1)
           ) d
           order by d."sort!" desc, d."key!" desc
           limit $3"#,
        profile_id,
        stage,
        limit,
        before.time(),
        before.id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(Deal {
                stage: Stage::parse(&r.stage).ok()?,
                href: r.href,
                outside: r.outside,
                brand_name: r.brand_name,
                title: r.title,
                amount: r.amount.map(|m| Money::from_minor(m, r.currency)),
                earned: Money::from_minor(r.earned, r.currency),
                minutes: r.minutes,
                on: r.on,
                place: Cursor::at(r.sort, r.key),
            })
        })
        .collect())
}

/// How many deals are in each stage, and what they are worth per currency.
#[derive(Debug, Clone)]
pub struct StageTotal {
    pub stage: Stage,
    pub deals: i64,
    pub amounts: Vec<Money>,
}

pub async fn stage_totals(
    db: impl PgExecutor<'_>,
    profile_id: Uuid,
) -> Result<Vec<StageTotal>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select stage as "stage!", currency as "currency!: Currency",
                  sum(n)::int8 as "deals!", sum(amount)::int8 as "amount!"
             from (select dd.stage, dd.currency, 1 as n, dd.fee_minor as amount
                     from desk_deals dd where dd.profile_id = $1
                   union all
                   select o.pipeline_stage, o.currency, 1, o.amount_minor
                     from outside_deals o where o.profile_id = $1
                   union all
                   select 'invited', c.currency, 1, 0
                     from campaign_invitations i join campaigns c on c.id = i.campaign_id
                    where i.profile_id = $1 and c.status = 'open'
                      and not exists (select 1 from applications a
                                       where a.campaign_id = i.campaign_id and a.profile_id = $1)
                  ) s
            group by 1, 2
            order by 1, 2"#,
        profile_id
    )
    .fetch_all(db)
    .await?;
    let mut totals: Vec<StageTotal> = Stage::ALL
        .into_iter()
        .map(|stage| StageTotal {
            stage,
            deals: 0,
            amounts: Vec::new(),
        })
        .collect();
    for r in rows {
        let Ok(stage) = Stage::parse(&r.stage) else {
            continue;
        };
        if let Some(t) = totals.iter_mut().find(|t| t.stage == stage) {
            t.deals += r.deals;
            if r.amount > 0 {
                t.amounts.push(Money::from_minor(r.amount, r.currency));
            }
        }
    }
    Ok(totals)
}

/// A deal made outside Liaison, as recorded.
#[derive(Debug, Clone)]
pub struct OutsideDeal {
    pub id: Uuid,
    pub brand_name: String,
    pub title: String,
    pub amount: Money,
    pub platform: Option<Platform>,
    pub format: Option<Format>,
    pub stage: OutsideStage,
    pub agreed_on: Option<Date>,
    pub due_on: Option<Date>,
    pub paid_on: Option<Date>,
}

pub async fn outside_deal(
    db: impl PgExecutor<'_>,
    profile_id: Uuid,
    id: Uuid,
) -> Result<Option<OutsideDeal>, sqlx::Error> {
    let r = sqlx::query!(
        r#"select id, brand_name, title, currency as "currency: Currency", amount_minor,
                  platform as "platform: Platform", format as "format: Format",
                  stage as "stage: OutsideStage", agreed_on, due_on, paid_on
             from outside_deals where id = $1 and profile_id = $2"#,
        id,
        profile_id
    )
    .fetch_optional(db)
    .await?;
    Ok(r.map(|r| OutsideDeal {
        id: r.id,
        brand_name: r.brand_name,
        title: r.title,
        amount: Money::from_minor(r.amount_minor, r.currency),
        platform: r.platform,
        format: r.format,
        stage: r.stage,
        agreed_on: r.agreed_on,
        due_on: r.due_on,
        paid_on: r.paid_on,
    }))
}

/// Records a new outside deal (`id` none) or replaces one of the creator's.
/// `false` when there is no such deal of theirs.
pub async fn save_outside_deal(
    db: impl PgExecutor<'_>,
    profile_id: Uuid,
    id: Option<Uuid>,
    d: &OutsideDeal,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "insert into outside_deals (id, profile_id, brand_name, title, currency, amount_minor,
                                    platform, format, stage, agreed_on, due_on, paid_on)
         values (coalesce($1, uuidv7()), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         on conflict (id) do update set
             brand_name = excluded.brand_name, title = excluded.title,
             currency = excluded.currency, amount_minor = excluded.amount_minor,
             platform = excluded.platform, format = excluded.format, stage = excluded.stage,
             agreed_on = excluded.agreed_on, due_on = excluded.due_on, paid_on = excluded.paid_on
           where outside_deals.profile_id = excluded.profile_id",
        id,
        profile_id,
        d.brand_name,
        d.title,
        d.amount.currency() as Currency,
        d.amount.minor(),
        d.platform as Option<Platform>,
        d.format as Option<Format>,
        d.stage as OutsideStage,
        d.agreed_on,
        d.due_on,
        d.paid_on
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A deal hours can be logged on.
#[derive(Debug, Clone)]
pub struct LoggableDeal {
    /// `a:<application>` or `o:<outside deal>`.
    pub key: String,
    pub label: String,
}

/// The creator's deals still open to log hours on (accepted collaborations
/// and outside deals agreed and not lost), newest first.
pub async fn loggable(
    db: impl PgExecutor<'_>,
    profile_id: Uuid,
) -> Result<Vec<LoggableDeal>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select 'a:' || dd.application_id as "key!", c.brand_name || ': ' || c.title as "label!",
                  dd.applied_at as "at!"
             from desk_deals dd
             join applications a on a.id = dd.application_id
             join campaigns c on c.id = a.campaign_id
            where dd.profile_id = $1 and dd.stage in ('agreed', 'delivering', 'releasing')
           union all
           select 'o:' || o.id, o.brand_name || ': ' || o.title || ' (outside Liaison)',
                  o.created_at
             from outside_deals o
            where o.profile_id = $1 and o.stage in ('agreed', 'delivering', 'delivered')
            order by 3 desc"#,
        profile_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| LoggableDeal {
            key: r.key,
            label: r.label,
        })
        .collect())
}

/// Hours to log.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub application_id: Option<Uuid>,
    pub outside_deal_id: Option<Uuid>,
    pub deliverable_id: Option<Uuid>,
    pub worked_on: Date,
    pub kind: WorkKind,
    pub minutes: i32,
    pub note: String,
}

/// Why hours were not logged.
#[derive(Debug)]
pub enum LogError {
    /// The day would hold more than 24 hours on the deal, or the deal or
    /// deliverable is not the creator's.
    Refused(String),
    Db(sqlx::Error),
}

pub async fn log(tx: &mut PgConnection, profile_id: Uuid, e: &NewEntry) -> Result<Uuid, LogError> {
    let id = Uuid::now_v7();
    let done = sqlx::query!(
        "insert into time_entries (id, profile_id, application_id, outside_deal_id,
                                   deliverable_id, worked_on, kind, minutes, note)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        id,
        profile_id,
        e.application_id,
        e.outside_deal_id,
        e.deliverable_id,
        e.worked_on,
        e.kind as WorkKind,
        e.minutes,
        e.note
    )
    .execute(&mut *tx)
    .await;
    match done {
        Ok(_) => Ok(id),
        Err(sqlx::Error::Database(d)) if d.code().as_deref() == Some("23514") => {
            let message = if d.message().contains("24 hours") {
                "That day would hold more than 24 hours on this deal: check the hours already \
                 logged for it."
            } else {
                "That deal is not one of yours."
            };
            Err(LogError::Refused(message.to_owned()))
        }
        Err(e) => Err(LogError::Db(e)),
    }
}

/// One logged entry, as the time page lists it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: Uuid,
    pub worked_on: Date,
    pub kind: WorkKind,
    pub minutes: i32,
    pub note: String,
    pub deal: String,
    pub href: String,
}

/// The creator's 100 newest time entries. The page size is written into the
/// statement: as a parameter, PostgreSQL's cached plan assumed a tenth of the
/// creator's entries were wanted, looked dearer than a plan for 100, and the
/// statement was planned again on every view (0.8 ms, against 0.5 to run).
pub async fn recent_entries(
    db: impl PgExecutor<'_>,
    profile_id: Uuid,
) -> Result<Vec<Entry>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select t.id, t.worked_on, t.kind as "kind: WorkKind", t.minutes, t.note,
                  coalesce(b.name || ': ' || c.title, o.brand_name || ': ' || o.title) as "deal!",
                  coalesce('/applications/' || t.application_id,
                           '/business/deals/' || t.outside_deal_id) as "href!"
             from time_entries t
             left join applications a on a.id = t.application_id
             left join campaigns c on c.id = a.campaign_id
             left join brands b on b.id = c.brand_id
             left join outside_deals o on o.id = t.outside_deal_id
            where t.profile_id = $1
            order by t.worked_on desc, t.created_at desc
            limit 100"#,
        profile_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Entry {
            id: r.id,
            worked_on: r.worked_on,
            kind: r.kind,
            minutes: r.minutes,
            note: r.note,
            deal: r.deal,
            href: r.href,
        })
        .collect())
}

/// Removes one of the creator's entries; `false` when there is none.
pub async fn delete_entry(
    db: impl PgExecutor<'_>,
    profile_id: Uuid,
    id: Uuid,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "delete from time_entries where id = $1 and profile_id = $2",
        id,
        profile_id
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Minutes logged this week, from Monday by the session's clock (a range
/// scan of the creator's own entries, by its index). The week is computed in
/// the statement, as on the creator's dashboard (`dashboard::db`): a date
/// parameter had PostgreSQL plan it again on every view.
pub async fn minutes_this_week(
    db: impl PgExecutor<'_>,
    profile_id: Uuid,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select coalesce(sum(minutes), 0)::int8 as "m!" from time_entries
            where profile_id = $1 and worked_on >= date_trunc('week', current_date)::date"#,
        profile_id
    )
    .fetch_one(db)
    .await
}

/// Hours and what they earned, grouped one way (per deal, brand, platform
/// and format, or kind of work).
#[derive(Debug, Clone)]
pub struct Worked {
    pub label: String,
    pub currency: Currency,
    pub fee_minor: i64,
    pub minutes: i64,
    pub revising_minutes: i64,
    pub scope_minutes: i64,
}

/// Hours by brand (kept in `desk_partners`: the ten brands with the most
/// hours, from their index) and by platform and format, over the deals under
/// way or paid with hours.
pub async fn worked(
    db: impl PgExecutor<'_>,
    profile_id: Uuid,
) -> Result<(Vec<Worked>, Vec<Worked>), sqlx::Error> {
    let rows = sqlx::query!(
        r#"(select true as "by_brand!", b.name as "label!", null::text as "platform?: Platform",
                   null::text as "format?: Format", k.currency as "currency!: Currency",
                   k.worked_fee_minor as "fee!", k.worked_minutes as "minutes!",
                   k.worked_revising_minutes as "revising!", k.worked_scope_minutes as "scope!"
              from desk_partners k join brands b on b.id = k.brand_id
             where k.profile_id = $1 and k.worked > 0
             order by k.worked_minutes desc, k.brand_id, k.currency
             limit 10)
           union all
           select false, coalesce(dd.platform || ' ' || dd.format, ''), dd.platform, dd.format,
                  dd.currency, sum(dd.fee_minor)::int8,
                  sum(dd.creating_minutes + dd.revising_minutes + dd.communicating_minutes
                      + dd.admin_minutes)::int8,
                  sum(dd.revising_minutes)::int8, sum(dd.scope_minutes)::int8
             from desk_deals dd
            where dd.profile_id = $1 and dd.stage in ('agreed', 'delivering', 'releasing', 'paid')
              and (dd.creating_minutes + dd.revising_minutes + dd.communicating_minutes
                   + dd.admin_minutes) > 0
            group by dd.platform, dd.format, dd.currency
            order by 1 desc, 7 desc"#,
        profile_id
    )
    .fetch_all(db)
    .await?;
    let (mut by_brand, mut by_format) = (Vec::new(), Vec::new());
    for r in rows {
        let label = match (r.by_brand, r.platform, r.format) {
            (false, Some(p), Some(f)) => format!("{} {}", p.label(), f.label().to_lowercase()),
            _ => r.label,
        };
        let w = Worked {
            label,
            currency: r.currency,
            fee_minor: r.fee,
            minutes: r.minutes,
            revising_minutes: r.revising,
            scope_minutes: r.scope,
        };
        if r.by_brand {
            by_brand.push(w);
        } else {
            by_format.push(w);
        }
    }
    Ok((by_brand, by_format))
}

/// Income of one month in one currency: from Liaison (gross, the agency's
/// fees, net, from the ledger's releases) and outside deals paid that month.
#[derive(Debug, Clone)]
pub struct Month {
    pub month: Date,
    pub currency: Currency,
    pub gross: i64,
    pub fees: i64,
    pub net: i64,
    pub outside: i64,
}

/// Months from `from` on, newest first.
pub async fn months(
    db: impl PgExecutor<'_>,
    profile_id: Uuid,
    from: Date,
) -> Result<Vec<Month>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select month as "month!", currency as "currency!: Currency",
                  sum(gross)::int8 as "gross!", sum(fees)::int8 as "fees!",
                  sum(net)::int8 as "net!", sum(outside)::int8 as "outside!"
             from (select i.month, i.currency, i.gross_minor as gross, i.fees_minor as fees,
                          i.net_minor as net, 0 as outside
                     from desk_income i where i.profile_id = $1 and i.month >= $2
                   union all
                   select date_trunc('month', o.paid_on)::date, o.currency, 0, 0, 0,
                          o.amount_minor
                     from outside_deals o
                    where o.profile_id = $1 and o.stage = 'paid' and o.paid_on >= $2) m
            group by 1, 2
            order by 1 desc, 2"#,
        profile_id,
        from
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Month {
            month: r.month,
            currency: r.currency,
            gross: r.gross,
            fees: r.fees,
            net: r.net,
            outside: r.outside,
        })
        .collect())
}

/// Net income from `from` on by brand or by platform and format, largest
/// first: Liaison's from the roll-up, outside deals by the brand recorded.
pub async fn income_by(
    db: impl PgExecutor<'_>,
    profile_id: Uuid,
    from: Date,
) -> Result<(Vec<(String, Money)>, Vec<(String, Money)>), sqlx::Error> {
    let rows = sqlx::query!(
        r#"select grouping(brand) = 0 as "by_brand!", coalesce(brand, '') as "brand!",
                  platform as "platform?: Platform", format as "format?: Format",
                  currency as "currency!: Currency", sum(net)::int8 as "net!"
             from (select b.name as brand, i.platform, i.format, i.currency, i.net_minor as net
                     from desk_income i join brands b on b.id = i.brand_id
                    where i.profile_id = $1 and i.month >= $2
                   union all
                   select o.brand_name, o.platform, o.format, o.currency, o.amount_minor
                     from outside_deals o
                    where o.profile_id = $1 and o.stage = 'paid' and o.paid_on >= $2) x
            group by grouping sets ((brand, currency), (platform, format, currency))
            order by 1 desc, 6 desc"#,
        profile_id,
        from
    )
    .fetch_all(db)
    .await?;
    let (mut by_brand, mut by_format) = (Vec::new(), Vec::new());
    for r in rows {
        let net = Money::from_minor(r.net, r.currency);
        if r.by_brand {
            by_brand.push((r.brand, net));
        } else {
            let label = match (r.platform, r.format) {
                (Some(p), Some(f)) => format!("{} {}", p.label(), f.label().to_lowercase()),
                _ => "Not recorded".to_owned(),
            };
            by_format.push((label, net));
        }
    }
    Ok((by_brand, by_format))
}

/// What is coming in: outside deals agreed and not yet paid, by due date.
pub async fn outside_due(
    db: impl PgExecutor<'_>,
    profile_id: Uuid,
) -> Result<Vec<(Date, Money, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select coalesce(o.due_on, current_date) as "due!", o.amount_minor,
                  o.currency as "currency: Currency", o.brand_name || ': ' || o.title as "label!"
             from outside_deals o
            where o.profile_id = $1 and o.stage in ('agreed', 'delivering', 'delivered')
            order by 1"#,
        profile_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.due,
                Money::from_minor(r.amount_minor, r.currency),
                r.label,
            )
        })
        .collect())
}

/// A monthly income goal and a weekly hours cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Goals {
    pub monthly_income: Option<Money>,
    pub weekly_hours_cap: Option<i16>,
}

pub async fn goals(db: impl PgExecutor<'_>, profile_id: Uuid) -> Result<Goals, sqlx::Error> {
    let r = sqlx::query!(
        r#"select currency as "currency: Currency", monthly_income_minor, weekly_hours_cap
             from business_goals where profile_id = $1"#,
        profile_id
    )
    .fetch_optional(db)
    .await?;
    Ok(r.map_or(
        Goals {
            monthly_income: None,
            weekly_hours_cap: None,
        },
        |r| Goals {
            monthly_income: r
                .monthly_income_minor
                .map(|m| Money::from_minor(m, r.currency)),
            weekly_hours_cap: r.weekly_hours_cap,
        },
    ))
}

pub async fn save_goals(
    db: impl PgExecutor<'_>,
    profile_id: Uuid,
    currency: Currency,
    g: &Goals,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into business_goals (profile_id, currency, monthly_income_minor, weekly_hours_cap)
         values ($1, $2, $3, $4)
         on conflict (profile_id) do update set
             currency = excluded.currency, monthly_income_minor = excluded.monthly_income_minor,
             weekly_hours_cap = excluded.weekly_hours_cap, updated_at = now()",
        profile_id,
        g.monthly_income.map_or(currency, Money::currency) as Currency,
        g.monthly_income.map(Money::minor),
        g.weekly_hours_cap
    )
    .execute(db)
    .await?;
    Ok(())
}

/// One brand the creator has worked with, and how working with it went.
#[derive(Debug, Clone)]
pub struct Partner {
    pub brand_id: Uuid,
    pub brand_name: String,
    pub currency: Currency,
    pub deals: i64,
    pub earned_minor: i64,
    pub fee_minor: i64,
    pub minutes: i64,
    pub releases: i64,
    pub releases_on_time: i64,
    pub reviews: i64,
    pub review_minutes: i64,
    pub rounds: i64,
    pub deliverables: i64,
    pub scope_requests: i64,
    pub scope_added_minor: i64,
    pub rating_tenths: Option<i64>,
    pub last_agreed: Option<OffsetDateTime>,
}

/// The creator's partners as `desk_partners` keeps them (migration 0053),
/// most earned first, then by the kept row's key (brand and currency, the
/// order of `desk_partners_page_idx`); `$after` narrows the rows and `$tail`
/// ends the statement (a limit). The creator is compared through a subquery:
/// with a creator of hundreds of partners in view, PostgreSQL found a plan
/// for them cheaper than its cached one and planned the desk's five best
/// again on every view (0.26 ms, against 0.03 to run it).
macro_rules! partner_query {
    ($after:literal, $tail:literal, $($arg:expr),+) => {
        sqlx::query_as!(
            Partner,
            r#"select k.brand_id, b.name as brand_name, k.currency as "currency: Currency",
                      k.deals, k.earned_minor, k.fee_minor, k.minutes, k.releases,
                      k.releases_on_time, k.reviews, k.review_minutes, k.rounds, k.deliverables,
                      k.scope_requests, k.scope_added_minor,
                      round(k.rating_tenths::numeric / nullif(k.ratings, 0))::int8
                          as rating_tenths,
                      k.last_agreed_at as last_agreed
                 from desk_partners k join brands b on b.id = k.brand_id
                where k.profile_id = (select $1::uuid) and k.deals > 0"#
                + $after
                + r#"
                order by k.earned_minor desc, k.brand_id desc, k.currency desc"#
                + $tail,
            $($arg),+
        )
    };
}

/// Where a page of partners ended: the last row's earnings, brand and
/// currency. The next page continues just past it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartnerCursor {
    pub earned_minor: i64,
    pub brand_id: Uuid,
    pub currency: Currency,
}

impl PartnerCursor {
    pub fn at(p: &Partner) -> PartnerCursor {
        PartnerCursor {
            earned_minor: p.earned_minor,
            brand_id: p.brand_id,
            currency: p.currency,
        }
    }

    /// `<earned>_<brand>_<currency>`, for a link.
    pub fn encode(&self) -> String {
        format!(
            "{}_{}_{}",
            self.earned_minor,
            self.brand_id,
            self.currency.code()
        )
    }

    /// Anything else reads as no cursor: a stale or edited link shows the
    /// first page.
    pub fn decode(s: &str) -> Option<PartnerCursor> {
        let mut parts = s.trim().splitn(3, '_');
        Some(PartnerCursor {
            earned_minor: parts.next()?.parse().ok()?,
            brand_id: parts.next()?.parse().ok()?,
            currency: Currency::parse(parts.next()?).ok()?,
        })
    }
}

/// The brands the creator reached agreement with, `limit` of them after
/// `after` when given, most earned first: a range of the kept rows' index,
/// so a later page costs what the first does.
pub async fn partners(
    db: impl PgExecutor<'_>,
    profile_id: Uuid,
    after: Option<PartnerCursor>,
    limit: i64,
) -> Result<Vec<Partner>, sqlx::Error> {
    // No cursor reads as one past every row: one plan for both.
    let after = after.unwrap_or(PartnerCursor {
        earned_minor: i64::MAX,
        brand_id: Uuid::max(),
        currency: Currency::Usd,
    });
    partner_query!(
        " and (k.earned_minor, k.brand_id, k.currency) < ($2, $3, $4)",
        " limit $5",
        profile_id,
        after.earned_minor,
        after.brand_id,
        after.currency as Currency,
        limit
    )
    .fetch_all(db)
    .await
}

/// The five brands the creator earned most with, as the desk shows them: read
/// in the kept rows' order, so a creator with hundreds of partners reads five.
/// The limit is written into the statement so that it is planned once.
pub async fn best_partners(
    db: impl PgExecutor<'_>,
    profile_id: Uuid,
) -> Result<Vec<Partner>, sqlx::Error> {
    partner_query!("", " limit 5", profile_id)
        .fetch_all(db)
        .await
}

/// For each platform and format the creator has agreed deals led by: the
/// fees (in each currency), the hours logged on them, and how many had hours.
pub async fn agreed_by_format(
    db: impl PgExecutor<'_>,
    profile_id: Uuid,
) -> Result<Vec<(Platform, Format, Currency, Vec<i64>, i64, i64)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select dd.platform as "platform!: Platform", dd.format as "format!: Format",
                  dd.currency as "currency!: Currency",
                  array_agg(dd.fee_minor order by dd.fee_minor) as "fees!",
                  sum(dd.creating_minutes + dd.revising_minutes + dd.communicating_minutes
                      + dd.admin_minutes)::int8 as "minutes!",
                  count(*) filter (where dd.creating_minutes + dd.revising_minutes
                                         + dd.communicating_minutes + dd.admin_minutes > 0)
                      as "with_hours!"
             from desk_deals dd
            where dd.profile_id = $1 and dd.agreed_at is not null and dd.platform is not null
            group by 1, 2, 3"#,
        profile_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.platform,
                r.format,
                r.currency,
                r.fees,
                r.minutes,
                r.with_hours,
            )
        })
        .collect())
}

/// The creator's engagement on each platform (their largest channel there)
/// and the typical engagement for that channel's tier.
pub async fn engagement(
    db: impl PgExecutor<'_>,
    profile_id: Uuid,
) -> Result<Vec<(Platform, crate::domain::Tier, Option<i64>, Option<i64>)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select distinct on (c.platform) c.platform as "platform: Platform",
                  c.tier as "tier: crate::domain::Tier", c.engagement_ppm::int8 as "engagement?",
                  e.typical_ppm::int8 as "typical?"
             from channels c
             left join engagement_benchmarks e on e.platform = c.platform and e.tier = c.tier
            where c.profile_id = $1
            order by c.platform, c.followers desc"#,
        profile_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.platform, r.tier, r.engagement, r.typical))
        .collect())
}

/// One line of income for an accountant: a released part of a Liaison fee,
/// or an outside deal paid.
#[derive(Debug, Clone)]
pub struct IncomeLine {
    pub on: Date,
    pub source: &'static str,
    pub brand: String,
    pub what: String,
    pub currency: Currency,
    pub gross: i64,
    pub fees: i64,
    pub net: i64,
}

/// Every line of income, oldest first: each settled share that paid the
/// creator (from the ledger's settlements) and each outside deal paid.
pub async fn income_lines(
    db: impl PgExecutor<'_>,
    profile_id: Uuid,
) -> Result<Vec<IncomeLine>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select (s.settled_at at time zone 'UTC')::date as "on!", true as "liaison!",
                  b.name as "brand!", c.title || ': ' || x.platform || ' ' || x.format as "what!",
                  h.currency as "currency!: Currency", s.to_creator_minor as "gross!",
                  ((s.to_creator_minor * h.creator_fee_basis_points + 5000) / 10000)::int8 as "fees!"
             from escrow_holds h
             join escrow_shares s on s.application_id = h.application_id
             join deliverables x on x.id = s.deliverable_id
             join applications a on a.id = h.application_id
             join campaigns c on c.id = a.campaign_id
             join brands b on b.id = h.brand_id
            where h.profile_id = $1 and s.settled is not null and s.to_creator_minor > 0
           union all
           select o.paid_on, false, o.brand_name, o.title, o.currency, o.amount_minor, 0
             from outside_deals o
            where o.profile_id = $1 and o.stage = 'paid'
            order by 1, 3"#,
        profile_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| IncomeLine {
            on: r.on,
            source: if r.liaison {
                "Liaison"
            } else {
                "Outside Liaison"
            },
            brand: r.brand,
            what: r.what,
            currency: r.currency,
            gross: r.gross,
            fees: r.fees,
            net: r.gross - r.fees,
        })
        .collect())
}
