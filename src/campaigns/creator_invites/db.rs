//! Invitations as stored: one per campaign and creator, scoped by brand.

use sqlx::{PgConnection, PgExecutor};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::campaigns::domain::Status;

/// A campaign a brand can invite creators to.
#[derive(Debug, Clone)]
pub struct Invitable {
    pub id: Uuid,
    pub title: String,
}

/// The brand's campaigns that take applications, soonest deadline first.
pub async fn invitable(
    db: impl PgExecutor<'_>,
    brand_id: Uuid,
    today: Date,
) -> Result<Vec<Invitable>, sqlx::Error> {
    sqlx::query_as!(
        Invitable,
        "select id, title from campaigns
          where brand_id = $1 and status = 'open' and application_deadline >= $2
          order by application_deadline, id
          limit 20",
        brand_id,
        today
    )
    .fetch_all(db)
    .await
}

/// An invitation as the creator sees it.
#[derive(Debug, Clone)]
pub struct Received {
    pub campaign_id: Uuid,
    pub title: String,
    pub brand_name: String,
    pub application_deadline: Date,
    pub invited_at: OffsetDateTime,
}

/// Invitations to campaigns that still take applications, newest first.
pub async fn received(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    today: Date,
) -> Result<Vec<Received>, sqlx::Error> {
    sqlx::query_as!(
        Received,
        r#"select c.id as campaign_id, c.title, c.brand_name, c.application_deadline,
                  i.created_at as invited_at
             from campaign_invitations i
             join influencer_profiles p on p.id = i.profile_id
             join campaigns c on c.id = i.campaign_id
            where p.user_id = $1 and c.status = 'open' and c.application_deadline >= $2
            order by i.created_at desc
            limit 50"#,
        user_id,
        today
    )
    .fetch_all(db)
    .await
}

/// On a creator's profile, in one statement: the brand's campaigns it can
/// invite them to (as [`invitable`]) and those it has invited them to,
/// newest invitation first.
pub async fn for_profile(
    db: impl PgExecutor<'_>,
    brand_id: Uuid,
    profile_id: Uuid,
    today: Date,
) -> Result<(Vec<Invitable>, Vec<Invitable>), sqlx::Error> {
    let rows = sqlx::query!(
        r#"select x.id as "id!", x.title as "title!", x.invited as "invited!"
             from ((select c.id, c.title, false as invited,
                           row_number() over (order by c.application_deadline, c.id) as n
                      from campaigns c
                     where c.brand_id = $1 and c.status = 'open' and c.application_deadline >= $3
                     order by c.application_deadline, c.id
                     limit 20)
                   union all
                   (select c.id, c.title, true,
                           row_number() over (order by i.created_at desc)
                      from campaign_invitations i join campaigns c on c.id = i.campaign_id
                     where c.brand_id = $1 and i.profile_id = $2)) x
            order by x.invited, x.n"#,
        brand_id,
        profile_id,
        today
    )
    .fetch_all(db)
    .await?;
    let mut open = Vec::new();
    let mut invited = Vec::new();
    for r in rows {
        let campaign = Invitable {
            id: r.id,
            title: r.title,
        };
        if r.invited {
            invited.push(campaign);
        } else {
            open.push(campaign);
        }
    }
    Ok((open, invited))
}

/// A campaign of the brand's, as inviting to it needs it.
pub struct Target {
    pub title: String,
    pub status: Status,
    pub application_deadline: Date,
}

/// The brand's campaign, share-locked so it cannot close while the invitation is
/// written; another brand's campaign is not found.
pub async fn target(
    tx: &mut PgConnection,
    brand_id: Uuid,
    campaign_id: Uuid,
) -> Result<Option<Target>, sqlx::Error> {
    sqlx::query_as!(
        Target,
        r#"select title, status as "status: Status", application_deadline from campaigns
            where id = $1 and brand_id = $2 for share"#,
        campaign_id,
        brand_id
    )
    .fetch_optional(tx)
    .await
}

/// The name of a creator who can be invited: one with at least one channel.
pub async fn invitable_creator(
    db: impl PgExecutor<'_>,
    profile_id: Uuid,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "select u.display_name from influencer_profiles p join users u on u.id = p.user_id
          where p.id = $1 and p.tier is not null",
        profile_id
    )
    .fetch_optional(db)
    .await
}

/// Records the invitation; `false` when the creator was invited already.
pub async fn insert(
    db: impl PgExecutor<'_>,
    campaign_id: Uuid,
    profile_id: Uuid,
    invited_by: Uuid,
) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query!(
        "insert into campaign_invitations (id, campaign_id, profile_id, invited_by)
         values ($1, $2, $3, $4)
         on conflict (campaign_id, profile_id) do nothing",
        Uuid::now_v7(),
        campaign_id,
        profile_id,
        invited_by
    )
    .execute(db)
    .await?;
    Ok(inserted.rows_affected() == 1)
}
