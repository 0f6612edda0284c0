//! The buckets, in PostgreSQL: one statement per request counted, atomic
//! under any number of instances.

use std::time::Duration;

use sqlx::{PgExecutor, PgPool};

use super::{Bucket, Refused};

/// Counts one request against `bucket`; `Some` when it is over the limit, and
/// then nothing is counted.
pub async fn hit(db: impl PgExecutor<'_>, bucket: &Bucket) -> Result<Option<Refused>, sqlx::Error> {
    let limit = bucket.limit;
    let step = limit.interval().as_secs_f64();
    let window = limit.window.as_secs_f64();
    // The row as it was before this statement (a data-modifying CTE's
    // changes are not visible to the rest of its statement): when the request
    // is refused, that is the row as it stays.
    let row = sqlx::query!(
        r#"with counted as (
               insert into rate_limits as r (bucket, tat)
               values ($1, now() + make_interval(secs => $2))
               on conflict (bucket) do update
                  set tat = greatest(r.tat, now()) + make_interval(secs => $2)
                where greatest(r.tat, now()) + make_interval(secs => $2)
                      <= now() + make_interval(secs => $3)
               returning 1
           )
           select exists (select 1 from counted) as "allowed!",
                  (select extract(epoch from tat - now())::float8
                     from rate_limits where bucket = $1) as "ahead_s""#,
        bucket.key(),
        step,
        window
    )
    .fetch_one(db)
    .await?;
    if row.allowed {
        return Ok(None);
    }
    metrics::counter!(crate::metrics::RATE_LIMITED, "limit" => limit.name).increment(1);
    // Let through again once the time ahead is back within the window, one
    // step short of it.
    let ahead = row.ahead_s.unwrap_or(0.0);
    let slack = (limit.window - limit.interval()).as_secs_f64();
    Ok(Some(Refused {
        limit,
        retry_after: Duration::from_secs_f64((ahead - slack).max(0.0)),
    }))
}

/// Counts one request against each bucket in turn; the first refusal stops
/// it (the buckets before it have counted the request, which only errs on
/// the strict side).
pub async fn hit_all(db: &PgPool, buckets: &[Bucket]) -> Result<Option<Refused>, sqlx::Error> {
    for bucket in buckets {
        if let Some(refused) = hit(db, bucket).await? {
            return Ok(Some(refused));
        }
    }
    Ok(None)
}

/// Deletes the buckets that are empty again.
pub async fn purge_empty(db: &PgPool) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query!("delete from rate_limits where tat < now()")
        .execute(db)
        .await?
        .rows_affected())
}
