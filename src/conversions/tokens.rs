//! Per-brand API tokens: shown once when created, stored as their SHA-256,
//! scoped to the brand that made them, revocable.

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::tokens::{random_token, sha256};

/// What every token starts with, so a leaked one is recognised (and secret
/// scanners can be taught it).
pub const PREFIX: &str = "lia_";

/// A token's name as typed: something that says where it is used.
pub fn parse_name(input: &str) -> Result<String, String> {
    let name = input.trim();
    if name.is_empty() {
        return Err("Name the token after where it is used, such as \"Shopify store\".".into());
    }
    if name.chars().count() > 80 || name.chars().any(char::is_control) {
        return Err("Keep the name to one line of 80 characters or fewer.".into());
    }
    Ok(name.to_owned())
}

/// Makes a token for the brand; returns its id and the token, which is never
/// shown again.
pub async fn create(
    tx: &mut PgConnection,
    brand_id: Uuid,
    name: &str,
    by: Uuid,
) -> Result<(Uuid, String), sqlx::Error> {
    let token = format!("{PREFIX}{}", random_token());
    let id = Uuid::now_v7();
    sqlx::query!(
        "insert into api_tokens (id, brand_id, name, token_hash, prefix, created_by)
         values ($1, $2, $3, $4, $5, $6)",
        id,
        brand_id,
        name,
        &sha256(&token)[..],
        &token[..PREFIX.len() + 4],
        by
    )
    .execute(&mut *tx)
    .await?;
    Ok((id, token))
}

/// The brand a live token belongs to. Marks it used, at most every ten
/// minutes, so the brand page can say which tokens are in use without a
/// write per request.
pub async fn brand_of(db: impl PgExecutor<'_>, token: &str) -> Result<Option<Uuid>, sqlx::Error> {
    if !token.starts_with(PREFIX) || token.len() > 200 {
        return Ok(None);
    }
    sqlx::query_scalar!(
        r#"with live as (
               select id, brand_id, last_used_at from api_tokens
                where token_hash = $1 and revoked_at is null
           ),
           touched as (
               update api_tokens t set last_used_at = now()
                 from live
                where t.id = live.id
                  and (live.last_used_at is null or live.last_used_at < now() - interval '10 minutes')
           )
           select brand_id from live"#,
        &sha256(token)[..]
    )
    .fetch_optional(db)
    .await
}

/// Revokes the brand's token; `false` when it has no such live token.
pub async fn revoke(
    tx: &mut PgConnection,
    brand_id: Uuid,
    id: Uuid,
    by: Uuid,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "update api_tokens set revoked_at = now(), revoked_by = $3
          where id = $1 and brand_id = $2 and revoked_at is null
          returning name",
        id,
        brand_id,
        by
    )
    .fetch_optional(&mut *tx)
    .await
}

#[derive(Debug, Clone)]
pub struct TokenRow {
    pub id: Uuid,
    pub name: String,
    pub prefix: String,
    pub created_at: OffsetDateTime,
    pub created_by: Option<String>,
    pub last_used_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
}

/// The brand's tokens, live first, newest first.
pub async fn list(db: impl PgExecutor<'_>, brand_id: Uuid) -> Result<Vec<TokenRow>, sqlx::Error> {
    sqlx::query_as!(
        TokenRow,
        r#"select t.id, t.name, t.prefix, t.created_at, u.display_name as "created_by?",
                  t.last_used_at, t.revoked_at
             from api_tokens t left join users u on u.id = t.created_by
            where t.brand_id = $1
            order by t.revoked_at is not null, t.created_at desc
            limit 50"#,
        brand_id
    )
    .fetch_all(db)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_names_say_where_they_are_used() {
        assert_eq!(parse_name(" Shopify store "), Ok("Shopify store".into()));
        assert!(parse_name("  ").is_err());
        assert!(parse_name(&"x".repeat(81)).is_err());
        assert!(parse_name("two\nlines").is_err());
    }
}
