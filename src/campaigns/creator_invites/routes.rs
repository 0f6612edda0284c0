//! `POST /campaigns/{id}/invitations`: a brand member invites a creator found in
//! discovery to apply.

use axum::{
    Router,
    extract::{Path, State},
    response::Response,
    routing::post,
};
use serde::Deserialize;
use uuid::Uuid;

use super::db;
use crate::{
    audit::{self, Action},
    auth::BrandMember,
    campaigns::domain::Status,
    domain::date::today,
    error::AppError,
    state::AppState,
    web::{Flash, Form, client_ip::ClientIp},
};

pub fn router() -> Router<AppState> {
    Router::new().route("/campaigns/{id}/invitations", post(invite))
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
    Form(form, unread): Form<InviteForm>,
) -> Result<Response, AppError> {
    unread.or_refuse()?;
    let profile_id: Uuid = form
        .influencer_id
        .trim()
        .parse()
        .map_err(|_| AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    let campaign = db::target(&mut tx, member.brand.brand_id, campaign_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let creator = db::invitable_creator(&mut *tx, profile_id)
        .await?
        .ok_or(AppError::NotFound)?;
    // Only back into discovery or the brand's partners: never an address
    // from elsewhere.
    let back = if (form.back.starts_with("/influencers") || form.back.starts_with("/partners/"))
        && !form.back.contains("//")
    {
        form.back.clone()
    } else {
        format!("/influencers/{profile_id}")
    };
    if campaign.status != Status::Open || campaign.application_deadline < today() {
        return Ok(Flash::info(format!(
            "“{}” isn't taking applications, so nobody can be invited to it.",
            campaign.title
        ))
        .redirect_to(&back));
    }
    let inserted = db::insert(&mut *tx, campaign_id, profile_id, member.user.id).await?;
    let message = if !inserted {
        format!("{creator} was already invited to “{}”.", campaign.title)
    } else {
        audit::Event::new(
            Action::InfluencerInvited,
            &format!("{creator} to {}", campaign.title),
        )
        .by(&member.user)
        .on(campaign_id)
        .at(ip)
        .record(&mut *tx)
        .await?;
        format!(
            "{creator} is invited to apply to “{}”. They'll see it on their dashboard.",
            campaign.title
        )
    };
    tx.commit().await?;
    Ok(Flash::success(message).redirect_to(&back))
}
