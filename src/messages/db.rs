//! Message threads as stored, one per application.

use sqlx::PgExecutor;
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

pub async fn insert(
    db: impl PgExecutor<'_>,
    application_id: Uuid,
    author_id: Uuid,
    body: &str,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "insert into messages (id, application_id, author_id, body) values ($1, $2, $3, $4)",
        id,
        application_id,
        author_id,
        body
    )
    .execute(db)
    .await?;
    Ok(id)
}
