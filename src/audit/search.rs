//! Reading the audit trail back: the console's filtered, keyset-paged list
//! and its download, and an account's own events.

use futures_util::{Stream, TryStreamExt};
use sqlx::{PgExecutor, types::ipnetwork::IpNetwork};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// What the console asks for; every part optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Criteria {
    pub actor: Option<Uuid>,
    pub action: Option<String>,
    pub object: Option<Uuid>,
    /// From the start of this day (UTC).
    pub from: Option<Date>,
    /// To the end of this day (UTC).
    pub to: Option<Date>,
}

impl Criteria {
    fn bounds(&self) -> (Option<OffsetDateTime>, Option<OffsetDateTime>) {
        let start = |d: Date| d.midnight().assume_utc();
        (
            self.from.map(start),
            self.to.and_then(|d| d.next_day()).map(start),
        )
    }
}

#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub id: Uuid,
    pub seq: Option<i64>,
    pub occurred_at: OffsetDateTime,
    pub action: String,
    pub description: String,
    pub detail: String,
    pub ip: Option<IpNetwork>,
    pub object_id: Option<Uuid>,
    pub actor_user_id: Option<Uuid>,
    pub actor_name: Option<String>,
    pub actor_email: Option<String>,
    pub for_brand_id: Option<Uuid>,
    pub for_brand_name: Option<String>,
}

impl AuditEvent {
    pub fn ip_text(&self) -> String {
        self.ip.map(|n| n.ip().to_string()).unwrap_or_default()
    }

    /// "Sam Rivera for Northwind", "Maya Chen", or the system's own.
    pub fn actor_text(&self) -> String {
        match (&self.actor_name, &self.for_brand_name) {
            (Some(name), Some(brand)) => format!("{name} for {brand}"),
            (Some(name), None) => name.clone(),
            (None, _) => "Liaison, automatically".to_owned(),
        }
    }
}

/// The columns every read of events takes, with `$condition` (one SQL
/// literal) choosing which events, newest first, and `$limit` how many.
macro_rules! events_where {
    ($condition:literal, $limit:literal, $($arg:expr),* $(,)?) => {
        sqlx::query_as!(
            AuditEvent,
            r#"select e.id, e.seq, e.occurred_at, e.action, a.description, e.detail, e.ip,
                      e.object_id, e.actor_user_id, u.display_name as "actor_name?",
                      u.email as "actor_email?", e.for_brand_id, b.name as "for_brand_name?"
                 from audit_events e
                 join audit_actions a on a.action = e.action
                 left join users u on u.id = e.actor_user_id
                 left join brands b on b.id = e.for_brand_id
                where "# + $condition + r#"
                order by e.occurred_at desc, e.id desc "# + $limit,
            $($arg),*
        )
    };
}

/// The most events a page shows: the trail's page, and more than the
/// console's.
pub const LONGEST_PAGE: i64 = 50;
// The opening page's statement reads `limit 51` (a literal, so that it is
// planned once): it must stay LONGEST_PAGE + 1.
const _: () = assert!(LONGEST_PAGE + 1 == 51);

/// One page of events matching `criteria`, older than the event `before`;
/// `limit` + 1 are read so the caller knows whether there are more.
///
/// The list as it opens (no criteria, first page, at most `LONGEST_PAGE`)
/// has a statement of its own without the filters' parameters: with them,
/// PostgreSQL planned the statement again on every view (0.4 ms, against
/// 0.2 to run it), since a plan for no filters looks cheaper than a plan for
/// any. Filtered views keep that per-view plan on purpose: each filter wants
/// its own index.
pub async fn page<'c>(
    db: impl sqlx::PgExecutor<'c> + 'c,
    criteria: &Criteria,
    before: Option<Uuid>,
    limit: i64,
) -> Result<Vec<AuditEvent>, sqlx::Error> {
    if *criteria == Criteria::default() && before.is_none() && limit <= LONGEST_PAGE {
        let mut newest = events_where!("true", "limit 51",).fetch_all(db).await?;
        newest.truncate(usize::try_from(limit + 1).unwrap_or_default());
        return Ok(newest);
    }
    matching(db, criteria, before, Some(limit + 1))
        .try_collect()
        .await
}

/// Events by an account or about it, newest first.
pub async fn about_account(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    limit: i64,
) -> Result<Vec<AuditEvent>, sqlx::Error> {
    events_where!(
        "(e.actor_user_id = $1 or e.object_id = $1)",
        "limit $2",
        user_id,
        limit
    )
    .fetch_all(db)
    .await
}

/// What agency staff did working as a brand, newest first: the brand's team
/// sees it on their brand page.
pub async fn done_for_brand(
    db: impl PgExecutor<'_>,
    brand_id: Uuid,
    limit: i64,
) -> Result<Vec<AuditEvent>, sqlx::Error> {
    events_where!("e.for_brand_id = $1", "limit $2", brand_id, limit)
        .fetch_all(db)
        .await
}

/// Every action the trail knows, for the console's filter.
pub async fn actions(db: impl PgExecutor<'_>) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows = sqlx::query!("select action, description from audit_actions order by action")
        .fetch_all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.action, r.description))
        .collect())
}

/// The events matching `criteria`, newest first, older than the event
/// `before` and at most `limit` of them when given, as the database sends
/// them: a download reads them all without holding them.
pub fn matching<'a>(
    db: impl sqlx::PgExecutor<'a> + 'a,
    criteria: &Criteria,
    before: Option<Uuid>,
    limit: Option<i64>,
) -> impl Stream<Item = Result<AuditEvent, sqlx::Error>> + 'a {
    let (from, to) = criteria.bounds();
    events_where!(
        "($1::uuid is null or e.actor_user_id = $1)
           and ($2::text is null or e.action = $2)
           and ($3::uuid is null or e.object_id = $3)
           and ($4::timestamptz is null or e.occurred_at >= $4)
           and ($5::timestamptz is null or e.occurred_at < $5)
           and ($6::uuid is null
                or (e.occurred_at, e.id) < (select c.occurred_at, c.id from audit_events c where c.id = $6))",
        "limit $7",
        criteria.actor,
        criteria.action.clone(),
        criteria.object,
        from,
        to,
        before,
        limit,
    )
    .fetch(db)
}
