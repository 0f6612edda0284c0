//! Reading and changing accounts from the console: the filtered list, one
//! account with what hangs on it, suspension and a brand's owner.

use sqlx::{PgConnection, PgExecutor};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::domain::{Role, Tier};

/// The list's filter, parsed.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Part of a name or an email address.
    pub words: Option<String>,
    pub role: Option<Role>,
    pub suspended: Option<bool>,
    pub tier: Option<Tier>,
    /// Part of a brand's name.
    pub brand: Option<String>,
    pub joined_from: Option<Date>,
    pub joined_to: Option<Date>,
    /// Only this manager's portfolio.
    pub manager: Option<Uuid>,
}

#[derive(Debug, Clone)]
pub struct Listed {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub brand_name: Option<String>,
    pub tier: Option<Tier>,
    pub suspended: bool,
    pub created_at: OffsetDateTime,
}

/// `%words%` for ILIKE, with the user's own `%` and `_` taken literally.
fn contains(words: &Option<String>) -> Option<String> {
    words.as_ref().map(|w| {
        let escaped = w
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        format!("%{escaped}%")
    })
}

impl Filter {
    fn is_empty(&self) -> bool {
        let Filter {
            words,
            role,
            suspended,
            tier,
            brand,
            joined_from,
            joined_to,
            manager,
        } = self;
        words.is_none()
            && role.is_none()
            && suspended.is_none()
            && tier.is_none()
            && brand.is_none()
            && joined_from.is_none()
            && joined_to.is_none()
            && manager.is_none()
    }
}

/// A page of the list: 50 accounts.
pub const PAGE: i64 = 50;
// The opening page's statement reads `limit 51` (a literal, so that it is
// planned once): it must stay PAGE + 1.
const _: () = assert!(PAGE + 1 == 51);

/// The listed accounts chosen by `$condition` (one SQL literal), newest
/// first, `$limit` of them.
macro_rules! accounts_where {
    ($condition:literal, $limit:literal, $($arg:expr),* $(,)?) => {
        sqlx::query_as!(
            Listed,
            r#"select u.id, u.email, u.display_name, u.role as "role: Role", b.name as "brand_name?",
                      ip.tier as "tier?: Tier",
                      (u.suspended_at is not null or coalesce(b.suspended_at is not null, false)) as "suspended!",
                      u.created_at
                 from users u
                 left join brand_members m on m.user_id = u.id
                 left join brands b on b.id = m.brand_id
                 left join influencer_profiles ip on ip.user_id = u.id
                where "# + $condition + r#"
                order by u.created_at desc, u.id desc "# + $limit,
            $($arg),*
        )
    };
}

/// A page (`PAGE` + 1, so the caller knows whether there are more) of the
/// accounts matching `filter`, newest first, after the account `before`
/// (keyset).
///
/// The list as it opens has a statement of its own without the filters'
/// parameters, for the reason `audit::search::page` gives.
pub async fn list(
    db: impl PgExecutor<'_>,
    filter: &Filter,
    before: Option<Uuid>,
) -> Result<Vec<Listed>, sqlx::Error> {
    if filter.is_empty() && before.is_none() {
        return accounts_where!("true", "limit 51",).fetch_all(db).await;
    }
    let start = |d: Date| d.midnight().assume_utc();
    accounts_where!(
        "($1::text is null or u.email ilike $1 or u.display_name ilike $1)
           and ($2::text is null or u.role = $2)
           and ($3::bool is null
                or $3 = (u.suspended_at is not null or coalesce(b.suspended_at is not null, false)))
           and ($4::text is null or ip.tier = $4)
           and ($5::text is null or b.name ilike $5)
           and ($6::timestamptz is null or u.created_at >= $6)
           and ($7::timestamptz is null or u.created_at < $7)
           and ($8::uuid is null
                or (u.created_at, u.id) < (select c.created_at, c.id from users c where c.id = $8))
           and ($10::uuid is null or in_portfolio($10, u.id))",
        "limit $9",
        contains(&filter.words),
        filter.role as Option<Role>,
        filter.suspended,
        filter.tier as Option<Tier>,
        contains(&filter.brand),
        filter.joined_from.map(start),
        filter.joined_to.and_then(|d| d.next_day()).map(start),
        before,
        PAGE + 1,
        filter.manager,
    )
    .fetch_all(db)
    .await
}

#[derive(Debug, Clone)]
pub struct Account {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub created_at: OffsetDateTime,
    pub suspended_at: Option<OffsetDateTime>,
    pub suspension_reason: Option<String>,
    pub brand_id: Option<Uuid>,
    pub brand_name: Option<String>,
    pub is_owner: bool,
    pub brand_suspended_at: Option<OffsetDateTime>,
    pub brand_suspension_reason: Option<String>,
    pub profile_id: Option<Uuid>,
    pub tier: Option<Tier>,
    pub handle: Option<String>,
    /// The manager whose portfolio holds its brand or its profile.
    pub manager_id: Option<Uuid>,
    pub manager_name: Option<String>,
    pub agency_managed: bool,
}

impl Account {
    pub fn is_suspended(&self) -> bool {
        self.suspended_at.is_some()
    }

    /// Why this account cannot sign in, if it cannot: its own suspension or
    /// its brand's.
    pub fn kept_out_because(&self) -> Option<&str> {
        self.suspension_reason
            .as_deref()
            .or(self.brand_suspension_reason.as_deref())
    }
}

pub async fn find(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<Account>, sqlx::Error> {
    sqlx::query_as!(
        Account,
        r#"select u.id, u.email, u.display_name, u.role as "role: Role", u.created_at,
                  u.suspended_at, u.suspension_reason,
                  b.id as "brand_id?", b.name as "brand_name?",
                  coalesce(m.role = 'owner', false) as "is_owner!",
                  b.suspended_at as "brand_suspended_at?", b.suspension_reason as "brand_suspension_reason?",
                  ip.id as "profile_id?", ip.tier as "tier?: Tier", ip.handle as "handle?",
                  mu.id as "manager_id?", mu.display_name as "manager_name?",
                  coalesce(b.agency_managed, false) as "agency_managed!"
             from users u
             left join brand_members m on m.user_id = u.id
             left join brands b on b.id = m.brand_id
             left join influencer_profiles ip on ip.user_id = u.id
             left join portfolio_brands pb on pb.brand_id = b.id
             left join portfolio_creators pc on pc.profile_id = ip.id
             left join users mu on mu.id = coalesce(pb.manager_id, pc.manager_id)
            where u.id = $1"#,
        id
    )
    .fetch_optional(db)
    .await
}

/// A line of what the account did on the platform: a brand's campaigns or
/// a creator's applications.
#[derive(Debug, Clone)]
pub struct Work {
    pub href: String,
    pub title: String,
    pub status: String,
    pub at: OffsetDateTime,
}

pub async fn campaigns(
    db: impl PgExecutor<'_>,
    brand_id: Uuid,
    limit: i64,
) -> Result<Vec<Work>, sqlx::Error> {
    sqlx::query_as!(
        Work,
        r#"select '/campaigns/' || id as "href!", title, status, created_at as at
             from campaigns where brand_id = $1
            order by created_at desc, id desc limit $2"#,
        brand_id,
        limit
    )
    .fetch_all(db)
    .await
}

pub async fn applications(
    db: impl PgExecutor<'_>,
    profile_id: Uuid,
    limit: i64,
) -> Result<Vec<Work>, sqlx::Error> {
    sqlx::query_as!(
        Work,
        r#"select '/applications/' || a.id as "href!", c.title, a.status, a.created_at as at
             from applications a join campaigns c on c.id = a.campaign_id
            where a.profile_id = $1
            order by a.created_at desc, a.id desc limit $2"#,
        profile_id,
        limit
    )
    .fetch_all(db)
    .await
}

#[derive(Debug, Clone)]
pub struct Session {
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

pub async fn sessions(db: impl PgExecutor<'_>, user_id: Uuid) -> Result<Vec<Session>, sqlx::Error> {
    sqlx::query_as!(
        Session,
        "select created_at, last_seen_at, expires_at from sessions
          where user_id = $1 and expires_at > now()
          order by last_seen_at desc",
        user_id
    )
    .fetch_all(db)
    .await
}

/// Agency admins who are not suspended, counted under a lock on every admin
/// row, so that two admins suspending each other at once cannot both win.
pub async fn active_admins_locked(tx: &mut PgConnection) -> Result<i64, sqlx::Error> {
    let rows = sqlx::query_scalar!(
        r#"select suspended_at is null as "active!" from users where role = 'admin' order by id for update"#
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows.into_iter().filter(|active| *active).count() as i64)
}

/// Locks the account's row and reads whether it is suspended.
pub async fn lock(tx: &mut PgConnection, id: Uuid) -> Result<Option<bool>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select suspended_at is not null as "suspended!" from users where id = $1 for update"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await
}

pub async fn suspend_user(
    tx: &mut PgConnection,
    id: Uuid,
    reason: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update users set suspended_at = now(), suspension_reason = $2 where id = $1",
        id,
        reason
    )
    .execute(&mut *tx)
    .await?;
    set_profile_suspended(tx, id, true).await
}

async fn set_profile_suspended(
    tx: &mut PgConnection,
    user_id: Uuid,
    suspended: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update influencer_profiles set suspended = $2 where user_id = $1",
        user_id,
        suspended
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

pub async fn suspend_brand(
    tx: &mut PgConnection,
    brand_id: Uuid,
    reason: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update brands set suspended_at = now(), suspension_reason = $2 where id = $1",
        brand_id,
        reason
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

pub async fn reactivate(
    tx: &mut PgConnection,
    id: Uuid,
    brand_id: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update users set suspended_at = null, suspension_reason = null where id = $1",
        id
    )
    .execute(&mut *tx)
    .await?;
    set_profile_suspended(tx, id, false).await?;
    if let Some(brand_id) = brand_id {
        sqlx::query!(
            "update brands set suspended_at = null, suspension_reason = null where id = $1",
            brand_id
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Whom a suspension or reactivation notice goes to.
pub struct Recipient {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
}

pub async fn recipients(
    db: impl PgExecutor<'_>,
    users: &[Uuid],
) -> Result<Vec<Recipient>, sqlx::Error> {
    sqlx::query_as!(
        Recipient,
        "select id, email, display_name from users where id = any($1) order by id",
        users
    )
    .fetch_all(db)
    .await
}

/// Every member's user id, for ending their sessions.
pub async fn member_ids(db: impl PgExecutor<'_>, brand_id: Uuid) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "select user_id from brand_members where brand_id = $1",
        brand_id
    )
    .fetch_all(db)
    .await
}

pub async fn end_sessions(tx: &mut PgConnection, users: &[Uuid]) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!("delete from sessions where user_id = any($1)", users)
        .execute(&mut *tx)
        .await?;
    Ok(done.rows_affected())
}

/// Makes `new_owner` (a member) the brand's owner and the old owner a
/// member, in the caller's transaction. `false` when `new_owner` is not a
/// member of the brand.
pub async fn change_owner(
    tx: &mut PgConnection,
    brand_id: Uuid,
    new_owner: Uuid,
) -> Result<bool, sqlx::Error> {
    let member = sqlx::query_scalar!(
        r#"select role from brand_members where brand_id = $1 and user_id = $2 for update"#,
        brand_id,
        new_owner
    )
    .fetch_optional(&mut *tx)
    .await?;
    if member.is_none() {
        return Ok(false);
    }
    // The unique index on the owner is checked per row: demote first.
    sqlx::query!(
        "update brand_members set role = 'member' where brand_id = $1 and role = 'owner'",
        brand_id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update brand_members set role = 'owner' where brand_id = $1 and user_id = $2",
        brand_id,
        new_owner
    )
    .execute(&mut *tx)
    .await?;
    Ok(true)
}
