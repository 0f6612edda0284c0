//! Invitations: from discovery, a brand asks a creator to apply to one of its
//! open campaigns; the creator sees them on the dashboard.

use axum::{
    Router,
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
    routing::post,
};
use axum_extra::extract::Form;
use serde::Deserialize;
use sqlx::PgExecutor;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{
    audit::{self, Action},
    auth::BrandMember,
    error::AppError,
    state::AppState,
    web::{Flash, client_ip::ClientIp},
};

pub fn router() -> Router<AppState> {
    Router::new().route("/campaigns/{id}/invitations", post(invite))
}

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

/// The brand's campaigns this creator is already invited to.
pub async fn sent_to(
    db: impl PgExecutor<'_>,
    brand_id: Uuid,
    profile_id: Uuid,
) -> Result<Vec<Invitable>, sqlx::Error> {
    sqlx::query_as!(
        Invitable,
        "select c.id, c.title from campaign_invitations i join campaigns c on c.id = i.campaign_id
          where c.brand_id = $1 and i.profile_id = $2
          order by i.created_at desc",
        brand_id,
        profile_id
    )
    .fetch_all(db)
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct InviteForm {
    influencer_id: String,
    /// The discovery page the invitation was sent from, to return to it.
    back: String,
}

async fn invite(
    State(state): State<AppState>,
    member: BrandMember,
    ClientIp(ip): ClientIp,
    Path(campaign_id): Path<Uuid>,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    let profile_id: Uuid = form
        .influencer_id
        .trim()
        .parse()
        .map_err(|_| AppError::NotFound)?;
    let today = OffsetDateTime::now_utc().date();
    let mut tx = state.db.begin().await?;
    // Scoped by brand: another brand's campaign is not found.
    let campaign = sqlx::query!(
        "select title, status, application_deadline from campaigns
          where id = $1 and brand_id = $2 for share",
        campaign_id,
        member.brand.brand_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let creator = sqlx::query!(
        "select u.display_name from influencer_profiles p join users u on u.id = p.user_id
          where p.id = $1 and p.tier is not null",
        profile_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    // Only back into discovery: never an address from elsewhere.
    let back = if form.back.starts_with("/influencers") && !form.back.contains("//") {
        form.back.clone()
    } else {
        format!("/influencers/{profile_id}")
    };
    if campaign.status != "open" || campaign.application_deadline < today {
        return Ok((
            Flash::info(format!(
                "“{}” isn't taking applications, so nobody can be invited to it.",
                campaign.title
            )),
            Redirect::to(&back),
        )
            .into_response());
    }
    let inserted = sqlx::query!(
        "insert into campaign_invitations (id, campaign_id, profile_id, invited_by)
         values ($1, $2, $3, $4)
         on conflict (campaign_id, profile_id) do nothing",
        Uuid::now_v7(),
        campaign_id,
        profile_id,
        member.user.id
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let message = if inserted == 0 {
        format!(
            "{} was already invited to “{}”.",
            creator.display_name, campaign.title
        )
    } else {
        audit::record(
            &mut *tx,
            Some(member.user.id),
            Action::InfluencerInvited,
            &format!("{} to {}", creator.display_name, campaign.title),
            Some(ip),
        )
        .await?;
        format!(
            "{} is invited to apply to “{}”. They'll see it on their dashboard.",
            creator.display_name, campaign.title
        )
    };
    tx.commit().await?;
    Ok((Flash::success(message), Redirect::to(&back)).into_response())
}
