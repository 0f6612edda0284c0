//! Sessions stored in PostgreSQL, so any instance can serve any request.
//!
//! The cookie holds 256 random bits; the table holds their SHA-256. A session
//! lasts 14 days from its last use; use is recorded at most hourly so that reading
//! a page costs one query, not a query and a write.

use axum_extra::extract::cookie::CookieJar;
use sqlx::{PgExecutor, PgPool};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{BrandMembership, CurrentUser, Reach, cookies, session_cache::SessionCache, tokens};
use crate::domain::{Platform, Role, Tier};

pub const COOKIE: &str = "liaison_session";
pub const LIFETIME_DAYS: i32 = 14;

/// The cookie that carries a new session's token to the browser.
pub fn cookie(token: String, secure: bool) -> CookieJar {
    CookieJar::new().add(cookies::build(
        COOKIE,
        token,
        secure,
        Some(time::Duration::days(LIFETIME_DAYS.into())),
    ))
}

/// Starts a session and returns the cookie value.
pub async fn create(db: impl PgExecutor<'_>, user_id: Uuid) -> Result<String, sqlx::Error> {
    let token = tokens::random_token();
    let hash = tokens::sha256(&token);
    sqlx::query!(
        "insert into sessions (token_hash, user_id, expires_at)
         values ($1, $2, now() + make_interval(days => $3))",
        &hash[..],
        user_id,
        LIFETIME_DAYS
    )
    .execute(db)
    .await?;
    Ok(token)
}

/// The signed-in user for a cookie value, or `None` when the session is unknown
/// or expired: from the instance's copy when it has a fresh one, else from the
/// database (and then copied).
pub async fn load(
    db: &PgPool,
    cache: &SessionCache,
    token: &str,
) -> Result<Option<CurrentUser>, sqlx::Error> {
    let hash = tokens::sha256(token);
    if let Some(user) = cache.get(&hash) {
        return Ok(Some(user));
    }
    let ticket = cache.ticket();
    let Some(row) = sqlx::query!(
        r#"select u.id, u.email, u.display_name, u.role as "role: Role",
                  s.expires_at, s.last_seen_at < now() - interval '1 hour' as "needs_touch!",
                  b.id as "brand_id?", b.name as "brand_name?", m.role as "brand_role?",
                  ip.tier as "reach_tier?: Tier", ip.platforms as "reach_platforms?: Vec<Platform>",
                  (select count(*) from notifications n
                    where n.user_id = u.id and n.read_at is null) as "unread!"
             from sessions s
             join users u on u.id = s.user_id
             left join brand_members m on m.user_id = u.id
             -- The brand a manager works as, while it is theirs to work for.
             left join lateral (select ab.id from brands ab
                                  join portfolio_brands pb on pb.brand_id = ab.id
                                 where ab.id = s.acting_brand_id and pb.manager_id = u.id
                                   and ab.agency_managed and ab.suspended_at is null) act on m.user_id is null
             left join brands b on b.id = coalesce(m.brand_id, act.id)
             left join influencer_profiles ip on ip.user_id = u.id
            where s.token_hash = $1 and s.expires_at > now()
              and u.suspended_at is null and (m.user_id is null or b.suspended_at is null)"#,
        &hash[..]
    )
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    if row.needs_touch {
        sqlx::query!(
            "update sessions set last_seen_at = now(), expires_at = now() + make_interval(days => $2)
              where token_hash = $1",
            &hash[..],
            LIFETIME_DAYS
        )
        .execute(db)
        .await?;
    }
    let brand = match (row.brand_id, row.brand_name) {
        (Some(brand_id), Some(brand_name)) => Some(BrandMembership {
            brand_id,
            brand_name,
            is_owner: row.brand_role.as_deref() == Some("owner"),
            by_agency: row.brand_role.is_none(),
        }),
        _ => None,
    };
    let user = CurrentUser {
        id: row.id,
        email: row.email,
        display_name: row.display_name,
        role: row.role,
        brand,
        reach: row.reach_tier.map(|tier| Reach {
            tier,
            platforms: row.reach_platforms.unwrap_or_default(),
        }),
        unread: row.unread,
    };
    if let Some(ticket) = ticket {
        let lasts = (row.expires_at - OffsetDateTime::now_utc())
            .try_into()
            .unwrap_or_default();
        cache.keep(ticket, hash, user.clone(), lasts);
    }
    Ok(Some(user))
}

/// Ends one session (signing out).
pub async fn delete(
    db: impl PgExecutor<'_>,
    cache: &SessionCache,
    token: &str,
) -> Result<(), sqlx::Error> {
    let hash = tokens::sha256(token);
    sqlx::query!("delete from sessions where token_hash = $1", &hash[..])
        .execute(db)
        .await?;
    cache.forget_token(&hash);
    Ok(())
}

/// Ends every session of a user, e.g. after a password change. Inside a
/// transaction: call `SessionCache::forget_user` after it commits.
pub async fn delete_all_for_user(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!("delete from sessions where user_id = $1", user_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

pub async fn purge_expired(db: impl PgExecutor<'_>) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!("delete from sessions where expires_at <= now()")
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

/// The session token a request carries, if any.
pub fn token(jar: &CookieJar) -> Option<String> {
    jar.get(COOKIE).map(|c| c.value().to_owned())
}

/// Makes this session work as `brand` (a manager's agency-managed brand), or
/// as nobody but its user with `None`. Whether the brand may be worked for is
/// checked each time the session is read.
pub async fn act_as(
    db: impl PgExecutor<'_>,
    token: &str,
    user_id: Uuid,
    brand: Option<Uuid>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update sessions set acting_brand_id = $3 where token_hash = $1 and user_id = $2",
        &tokens::sha256(token)[..],
        user_id,
        brand
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}
