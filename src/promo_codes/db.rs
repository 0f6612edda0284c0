//! Promo codes in the database.

use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::PromoCode;

/// Another collaboration of the same brand has the code.
#[derive(Debug)]
pub struct Taken;

/// Gives the collaboration this code, replacing its old one. Orders already
/// counted for the old code stay counted.
pub async fn set(
    tx: &mut PgConnection,
    application_id: Uuid,
    code: &PromoCode,
    by: Uuid,
) -> Result<Result<(), Taken>, sqlx::Error> {
    let result = sqlx::query!(
        "insert into promo_codes (application_id, brand_id, code, set_by)
         select $1, c.brand_id, $2, $3
           from applications a join campaigns c on c.id = a.campaign_id
          where a.id = $1
         on conflict (application_id) do update
            set code = excluded.code, set_by = excluded.set_by, updated_at = now()",
        application_id,
        code.as_str(),
        by
    )
    .execute(&mut *tx)
    .await;
    match result {
        Ok(_) => Ok(Ok(())),
        Err(sqlx::Error::Database(e)) if e.constraint() == Some("promo_codes_brand_code_key") => {
            Ok(Err(Taken))
        }
        Err(e) => Err(e),
    }
}

/// Whether the collaboration had a code to remove.
pub async fn remove(tx: &mut PgConnection, application_id: Uuid) -> Result<bool, sqlx::Error> {
    let removed = sqlx::query!(
        "delete from promo_codes where application_id = $1",
        application_id
    )
    .execute(&mut *tx)
    .await?;
    Ok(removed.rows_affected() > 0)
}

/// The first of `base`, `base2`, `base3`, ... that no collaboration of the
/// brand uses.
pub async fn first_free(
    db: impl PgExecutor<'_>,
    brand_id: Uuid,
    base: &PromoCode,
) -> Result<PromoCode, sqlx::Error> {
    let candidates: Vec<PromoCode> = std::iter::once(base.clone())
        .chain((2..=50).map(|n| base.numbered(n)))
        .collect();
    let texts: Vec<String> = candidates.iter().map(|c| c.as_str().to_owned()).collect();
    let taken = sqlx::query_scalar!(
        "select code from promo_codes where brand_id = $1 and code = any($2)",
        brand_id,
        &texts
    )
    .fetch_all(db)
    .await?;
    Ok(candidates
        .into_iter()
        .find(|c| !taken.iter().any(|t| t == c.as_str()))
        .unwrap_or_else(|| base.numbered(Uuid::now_v7().as_u128() as u32 % 9000 + 1000)))
}

/// A free code to offer the brand for this collaboration, made from the
/// creator's handle (or name).
pub async fn suggestion(
    db: &sqlx::PgPool,
    application_id: Uuid,
) -> Result<Option<PromoCode>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select c.brand_id, coalesce(p.handle, u.display_name) as "creator!"
             from applications a
             join campaigns c on c.id = a.campaign_id
             join influencer_profiles p on p.id = a.profile_id
             join users u on u.id = p.user_id
            where a.id = $1"#,
        application_id
    )
    .fetch_optional(db)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let Some(base) = PromoCode::suggest_from(&row.creator) else {
        return Ok(None);
    };
    first_free(db, row.brand_id, &base).await.map(Some)
}
