//! Brief storage: versions are inserted, never updated.

use sqlx::{PgConnection, PgExecutor};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::domain::{Brief, Criterion, Deliverable};
use crate::campaigns::domain::Status;
use crate::domain::{Format, Platform, ReleaseOn};

/// The brand's campaign, locked for the rest of the transaction so that two
/// saves at once get consecutive version numbers.
pub struct LockedCampaign {
    pub title: String,
    pub status: Status,
    pub starts_on: Date,
    pub ends_on: Date,
    pub next_version: i32,
}

pub async fn lock_for_new_version(
    conn: &mut PgConnection,
    brand_id: Uuid,
    campaign_id: Uuid,
) -> Result<Option<LockedCampaign>, sqlx::Error> {
    let Some(row) = sqlx::query!(
        r#"select c.title, c.status as "status: Status", c.starts_on, c.ends_on,
                  coalesce((select max(v.version) from brief_versions v where v.campaign_id = c.id), 0) + 1
                      as "next_version!"
             from campaigns c
            where c.id = $1 and c.brand_id = $2
              for update"#,
        campaign_id,
        brand_id
    )
    .fetch_optional(conn)
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(LockedCampaign {
        title: row.title,
        status: row.status,
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        next_version: row.next_version,
    }))
}

/// Saves a new version, dated now unless `saved_at` says otherwise (the demo
/// dates its history).
pub async fn insert(
    conn: &mut PgConnection,
    campaign_id: Uuid,
    version: i32,
    brief: &Brief,
    change_summary: &str,
    author: Uuid,
    saved_at: Option<OffsetDateTime>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into brief_versions (
             campaign_id, version, key_message, story, dos, donts, hashtags, mentions, disclosure,
             paid_usage_days, exclusivity_categories, exclusivity_days, review_days,
             max_revision_rounds, rubric, change_summary, created_by, created_at, release_on)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                 coalesce($18, now()), $19)",
        campaign_id,
        version,
        brief.key_message,
        brief.story,
        &brief.dos,
        &brief.donts,
        &brief.hashtags,
        &brief.mentions,
        brief.disclosure,
        brief.paid_usage_days,
        &brief.exclusivity_categories,
        brief.exclusivity_days,
        brief.review_days,
        brief.max_revision_rounds,
        &brief.rubric as &[Criterion],
        change_summary,
        author,
        saved_at,
        brief.release_on as ReleaseOn,
    )
    .execute(&mut *conn)
    .await?;
    let d = &brief.deliverables;
    let positions: Vec<i16> = (0..d.len() as i16).collect();
    let platforms: Vec<Platform> = d.iter().map(|x| x.platform).collect();
    let formats: Vec<Format> = d.iter().map(|x| x.format).collect();
    let quantities: Vec<i32> = d.iter().map(|x| x.quantity).collect();
    let due: Vec<Date> = d.iter().map(|x| x.due_on).collect();
    let notes: Vec<String> = d.iter().map(|x| x.notes.clone()).collect();
    sqlx::query!(
        "insert into brief_deliverables (campaign_id, version, position, platform, format, quantity, due_on, notes)
         select $1, $2, * from unnest($3::smallint[], $4::text[], $5::text[], $6::int[], $7::date[], $8::text[])",
        campaign_id,
        version,
        &positions,
        &platforms as &[Platform],
        &formats as &[Format],
        &quantities,
        &due,
        &notes,
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub struct Version {
    pub number: i32,
    pub brief: Brief,
    pub change_summary: String,
}

/// A version of the campaign's brief, or the latest when `number` is `None`.
/// The caller has already checked that the viewer may see the campaign.
pub async fn get(
    db: impl PgExecutor<'_>,
    campaign_id: Uuid,
    number: Option<i32>,
) -> Result<Option<Version>, sqlx::Error> {
    let Some(r) = sqlx::query!(
        r#"select v.version, v.key_message, v.story, v.dos, v.donts, v.hashtags, v.mentions,
                  v.disclosure, v.paid_usage_days, v.exclusivity_categories, v.exclusivity_days,
                  v.review_days, v.max_revision_rounds, v.rubric as "rubric: Vec<Criterion>",
                  v.release_on as "release_on: ReleaseOn",
                  v.change_summary,
                  coalesce(array_agg(d.platform order by d.position) filter (where d.position is not null), '{}')
                      as "d_platforms!: Vec<Platform>",
                  coalesce(array_agg(d.format order by d.position) filter (where d.position is not null), '{}')
                      as "d_formats!: Vec<Format>",
                  coalesce(array_agg(d.quantity order by d.position) filter (where d.position is not null), '{}') as "d_quantities!",
                  coalesce(array_agg(d.due_on order by d.position) filter (where d.position is not null), '{}') as "d_due!",
                  coalesce(array_agg(d.notes order by d.position) filter (where d.position is not null), '{}') as "d_notes!"
             from brief_versions v
             left join brief_deliverables d on d.campaign_id = v.campaign_id and d.version = v.version
            where v.campaign_id = $1
              and v.version = coalesce($2, (select max(version) from brief_versions where campaign_id = $1))
            group by v.campaign_id, v.version"#,
        campaign_id,
        number
    )
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    // One aggregate per column, all in position order.
    let deliverables = r
        .d_platforms
        .into_iter()
        .zip(r.d_formats)
        .zip(r.d_quantities)
        .zip(r.d_due)
        .zip(r.d_notes)
        .map(
            |((((platform, format), quantity), due_on), notes)| Deliverable {
                platform,
                format,
                quantity,
                due_on,
                notes,
            },
        )
        .collect();
    Ok(Some(Version {
        number: r.version,
        brief: Brief {
            key_message: r.key_message,
            story: r.story,
            deliverables,
            dos: r.dos,
            donts: r.donts,
            hashtags: r.hashtags,
            mentions: r.mentions,
            disclosure: r.disclosure,
            paid_usage_days: r.paid_usage_days,
            exclusivity_categories: r.exclusivity_categories,
            exclusivity_days: r.exclusivity_days,
            review_days: r.review_days,
            max_revision_rounds: r.max_revision_rounds,
            release_on: r.release_on,
            rubric: r.rubric,
        },
        change_summary: r.change_summary,
    }))
}

pub struct VersionInfo {
    pub number: i32,
    pub change_summary: String,
    pub author: Option<String>,
    pub created_at: OffsetDateTime,
}

/// Every version, newest first.
pub async fn history(
    db: impl PgExecutor<'_>,
    campaign_id: Uuid,
) -> Result<Vec<VersionInfo>, sqlx::Error> {
    sqlx::query_as!(
        VersionInfo,
        r#"select v.version as number, v.change_summary, u.display_name as "author?", v.created_at
             from brief_versions v left join users u on u.id = v.created_by
            where v.campaign_id = $1
            order by v.version desc"#,
        campaign_id
    )
    .fetch_all(db)
    .await
}

/// The number of the newest version, if the campaign has a brief at all.
pub async fn latest_number(
    db: impl PgExecutor<'_>,
    campaign_id: Uuid,
) -> Result<Option<i32>, sqlx::Error> {
    sqlx::query_scalar!(
        "select max(version) from brief_versions where campaign_id = $1",
        campaign_id
    )
    .fetch_one(db)
    .await
}
