//! Tracked links in the database: made at acceptance, found by code for the
//! redirect, listed with their counts on the collaboration's page.

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::domain::{Format, Platform};

/// Gives every deliverable of the collaboration that has no link one, in the
/// caller's transaction. Codes are drawn by the database; the rare code that
/// is already taken is skipped by the insert and drawn again.
pub async fn create_for(tx: &mut PgConnection, application_id: Uuid) -> Result<(), sqlx::Error> {
    for _ in 0..5 {
        let missing = sqlx::query_scalar!(
            r#"with made as (
                   insert into tracked_links (id, code, deliverable_id)
                   select uuidv7(), new_link_code(), d.id
                     from deliverables d
                    where d.application_id = $1
                      and not exists (select 1 from tracked_links l where l.deliverable_id = d.id)
                   on conflict do nothing
                   returning deliverable_id
               )
               select count(*) - (select count(*) from made) as "missing!"
                 from deliverables d
                where d.application_id = $1
                  and not exists (select 1 from tracked_links l where l.deliverable_id = d.id)"#,
            application_id
        )
        .fetch_one(&mut *tx)
        .await?;
        if missing == 0 {
            return Ok(());
        }
    }
    Err(sqlx::Error::Protocol(
        "could not draw a free link code in five tries".into(),
    ))
}

/// What the redirect needs to know about a code.
#[derive(Debug, Clone)]
pub struct LinkTarget {
    pub link_id: Uuid,
    /// The campaign's landing page, or else the brand's website.
    pub landing: Option<String>,
    pub campaign_title: String,
    /// The creator's handle, or else their name.
    pub creator: String,
    pub platform: Platform,
    pub format: Format,
    pub position: i16,
}

pub async fn find(db: impl PgExecutor<'_>, code: &str) -> Result<Option<LinkTarget>, sqlx::Error> {
    sqlx::query_as!(
        LinkTarget,
        r#"select l.id as link_id,
                  coalesce(c.landing_url, nullif(b.website, '')) as landing,
                  c.title as campaign_title,
                  coalesce(p.handle, u.display_name) as "creator!",
                  d.platform as "platform: Platform", d.format as "format: Format", d.position
             from tracked_links l
             join deliverables d on d.id = l.deliverable_id
             join campaigns c on c.id = l.campaign_id
             join brands b on b.id = l.brand_id
             join influencer_profiles p on p.id = d.profile_id
             join users u on u.id = p.user_id
            where l.code = $1"#,
        code
    )
    .fetch_optional(db)
    .await
}

/// One deliverable's link and what it has brought so far.
#[derive(Debug, Clone)]
pub struct LinkRow {
    pub deliverable_id: Uuid,
    pub code: String,
    pub platform: Platform,
    pub format: Format,
    pub position: i16,
    pub clicks: i64,
    pub unique_visitors: i64,
    pub bot_clicks: i64,
    pub last_click_at: Option<OffsetDateTime>,
}
