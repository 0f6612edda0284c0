//! The outbox as stored: queueing a message, the sender's claims on what is
//! due, and the console's reading of it.

use sqlx::{PgExecutor, PgPool};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{Kind, Message};

pub(super) async fn insert(db: impl PgExecutor<'_>, m: &Message) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "insert into outbox (id, user_id, to_address, kind, subject, body, body_after_sending)
         values ($1, $2, $3, $4, $5, $6, $7)",
        id,
        m.user,
        m.to.trim().to_lowercase(),
        m.kind as Kind,
        m.subject,
        m.body,
        m.body_after_sending
    )
    .execute(db)
    .await?;
    Ok(id)
}

/// A message the sender claimed.
#[derive(Debug)]
pub struct Due {
    pub id: Uuid,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub attempts: i32,
}

/// Claims up to `limit` due messages for `lease`: they are due again only
/// if this sender stops before saying how sending went, so a crash delays a
/// message instead of losing it, and two senders never claim the same one.
pub async fn claim_due(
    db: &PgPool,
    limit: i64,
    lease: time::Duration,
) -> Result<Vec<Due>, sqlx::Error> {
    let lease_seconds = lease.as_seconds_f64();
    let mut due = sqlx::query_as!(
        Due,
        "update outbox o set next_attempt_at = now() + make_interval(secs => $2)
          where o.id in (select id from outbox
                          where sent_at is null and failed_at is null and next_attempt_at <= now()
                          order by next_attempt_at, id
                          limit $1
                          for update skip locked)
         returning o.id, o.to_address, o.subject, o.body, o.attempts",
        limit,
        lease_seconds
    )
    .fetch_all(db)
    .await?;
    // `returning` keeps no order: mail goes out in the order it was written.
    due.sort_by_key(|m| m.id);
    Ok(due)
}

/// Mail due and not sent, and how long the oldest has been due.
pub async fn backlog(db: &PgPool) -> Result<crate::metrics::Backlog, sqlx::Error> {
    let row = sqlx::query!(
        r#"select count(*) as "waiting!",
                  coalesce(extract(epoch from now() - min(next_attempt_at))::float8, 0) as "oldest!"
             from outbox
            where sent_at is null and failed_at is null and next_attempt_at <= now()"#
    )
    .fetch_one(db)
    .await?;
    Ok(crate::metrics::Backlog {
        waiting: row.waiting,
        oldest_seconds: row.oldest,
    })
}

/// Gives claimed mail back before its lease runs out, so another instance
/// sends it at once.
pub async fn release(db: &PgPool, ids: &[Uuid]) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update outbox set next_attempt_at = now()
          where id = any($1) and sent_at is null and failed_at is null",
        ids
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn mark_sent(db: &PgPool, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update outbox set sent_at = now(), attempts = attempts + 1, last_error = null,
                body = coalesce(body_after_sending, body), body_after_sending = null
          where id = $1",
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Records a failed attempt: tried again at `retry_at`, or given up on when
/// that is `None`.
pub async fn mark_failed_attempt(
    db: &PgPool,
    id: Uuid,
    error: &str,
    retry_at: Option<OffsetDateTime>,
) -> Result<(), sqlx::Error> {
    let error: String = error.chars().take(1000).collect();
    sqlx::query!(
        "update outbox set attempts = attempts + 1, last_error = $2,
                next_attempt_at = coalesce($3, next_attempt_at),
                failed_at = case when $3::timestamptz is null then now() end
          where id = $1",
        id,
        error,
        retry_at
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Where a message stands, as the console shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Waiting,
    Sent,
    Failed,
}

impl Status {
    pub fn parse(key: &str) -> Option<Status> {
        match key {
            "waiting" => Some(Status::Waiting),
            "sent" => Some(Status::Sent),
            "failed" => Some(Status::Failed),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Status::Waiting => "waiting",
            Status::Sent => "sent",
            Status::Failed => "failed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Waiting => "Waiting",
            Status::Sent => "Sent",
            Status::Failed => "Not delivered",
        }
    }

    pub const ALL: [Status; 3] = [Status::Waiting, Status::Sent, Status::Failed];
}

#[derive(Debug, Clone)]
pub struct Stored {
    pub id: Uuid,
    pub user_id: Option<Uuid>,
    pub to_address: String,
    pub kind: Kind,
    pub subject: String,
    pub body: String,
    pub created_at: OffsetDateTime,
    pub attempts: i32,
    pub next_attempt_at: OffsetDateTime,
    pub last_error: Option<String>,
    pub sent_at: Option<OffsetDateTime>,
    pub failed_at: Option<OffsetDateTime>,
}

impl Stored {
    pub fn status(&self) -> Status {
        match (self.sent_at, self.failed_at) {
            (Some(_), _) => Status::Sent,
            (None, Some(_)) => Status::Failed,
            (None, None) => Status::Waiting,
        }
    }
}

/// The newest messages first, `limit` at a time after `before` (the last id
/// of the previous page), to an address containing `to` and in `status`.
pub async fn page(
    db: impl sqlx::PgExecutor<'_>,
    to: Option<&str>,
    status: Option<Status>,
    user: Option<Uuid>,
    before: Option<Uuid>,
    limit: i64,
) -> Result<Vec<Stored>, sqlx::Error> {
    sqlx::query_as!(
        Stored,
        r#"select id, user_id, to_address, kind as "kind: Kind", subject, body, created_at,
                  attempts, next_attempt_at, last_error, sent_at, failed_at
             from outbox
            where ($1::text is null or to_address like '%' || $1 || '%')
              and ($2::text is null
                   or ($2 = 'sent' and sent_at is not null)
                   or ($2 = 'failed' and failed_at is not null)
                   or ($2 = 'waiting' and sent_at is null and failed_at is null))
              and ($3::uuid is null or user_id = $3)
              and ($4::uuid is null or id < $4)
            order by id desc
            limit $5"#,
        to.map(str::to_lowercase),
        status.map(Status::key),
        user,
        before,
        limit
    )
    .fetch_all(db)
    .await
}

pub async fn find(db: &PgPool, id: Uuid) -> Result<Option<Stored>, sqlx::Error> {
    sqlx::query_as!(
        Stored,
        r#"select id, user_id, to_address, kind as "kind: Kind", subject, body, created_at,
                  attempts, next_attempt_at, last_error, sent_at, failed_at
             from outbox where id = $1"#,
        id
    )
    .fetch_optional(db)
    .await
}

/// Makes a message the sender gave up on due again, with fresh attempts.
/// `false` when it is not a failed message.
pub async fn retry(db: impl PgExecutor<'_>, id: Uuid) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update outbox set failed_at = null, attempts = 0, next_attempt_at = now()
          where id = $1 and failed_at is not null",
        id
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How many messages wait, and how many the sender gave up on.
pub async fn counts(db: impl sqlx::PgExecutor<'_>) -> Result<(i64, i64), sqlx::Error> {
    let row = sqlx::query!(
        r#"select (select count(*) from outbox where sent_at is null and failed_at is null) as "waiting!",
                  (select count(*) from outbox where failed_at is not null) as "failed!""#
    )
    .fetch_one(db)
    .await?;
    Ok((row.waiting, row.failed))
}

/// Deletes mail sent more than `days` ago: it holds people's names and
/// business, and what it told them is kept where it happened.
pub async fn purge_sent(db: &PgPool, days: i32) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "delete from outbox where sent_at < now() - make_interval(days => $1)",
        days
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}
