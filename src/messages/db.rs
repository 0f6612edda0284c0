//! Message threads as stored, one per application.

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::domain::Role;

#[derive(Debug, Clone)]
pub struct MessageRow {
    pub id: Uuid,
    pub author_id: Option<Uuid>,
    pub author_name: String,
    pub author_role: Option<Role>,
    pub body: String,
    pub created_at: OffsetDateTime,
}

/// The thread of an application, oldest first. The caller has checked that
/// the viewer is a party to it.
pub async fn thread(
    db: impl PgExecutor<'_>,
    application_id: Uuid,
) -> Result<Vec<MessageRow>, sqlx::Error> {
    sqlx::query_as!(
        MessageRow,
        r#"select m.id, m.author_id, coalesce(u.display_name, 'Former member') as "author_name!",
                  u.role as "author_role?: Role", m.body, m.created_at
             from messages m
             left join users u on u.id = m.author_id
            where m.application_id = $1
            order by m.created_at, m.id"#,
        application_id
    )
    .fetch_all(db)
    .await
}

/// What became of a message sent with a given id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    Now,
    /// The same author sent it to the same thread before.
    Already,
    /// The id belongs to another message.
    KeyTaken,
}

/// Stores a message under `id`, the key its form carried, once: sending the
/// form again finds it stored.
pub async fn insert(
    tx: &mut PgConnection,
    id: Uuid,
    application_id: Uuid,
    author_id: Uuid,
    body: &str,
) -> Result<Sent, sqlx::Error> {
    let stored = sqlx::query!(
        "insert into messages (id, application_id, author_id, body) values ($1, $2, $3, $4)
         on conflict (id) do nothing",
        id,
        application_id,
        author_id,
        body
    )
    .execute(&mut *tx)
    .await?;
    if stored.rows_affected() == 1 {
        return Ok(Sent::Now);
    }
    let same = sqlx::query_scalar!(
        r#"select exists (select 1 from messages
                           where id = $1 and application_id = $2 and author_id = $3) as "same!""#,
        id,
        application_id,
        author_id
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(if same { Sent::Already } else { Sent::KeyTaken })
}
