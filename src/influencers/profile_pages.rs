//! A creator's profile as others see it: brands and admins at
//! `/influencers/{id}`, anyone at the public media kit, and admins verifying the
//! newest figures of a channel.

use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    response::Response,
    routing::{get, post},
};
use serde::Deserialize;
use uuid::Uuid;

use super::{
    db::{self, ProfileBy},
    view::{Audience, ProfileView},
};
use crate::{
    audit::{self, Action},
    auth::{Admin, Scout},
    campaigns::creator_invites::db::{self as invitations, Invitable},
    domain::{date::today, text::single_line},
    error::AppError,
    state::AppState,
    tiers,
    web::{Flash, Form, Page, PageContext, client_ip::ClientIp},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/influencers/{id}", get(show))
        .route("/media-kit/{handle}", get(media_kit))
        .route("/admin/channels/{id}/verify", post(verify))
}

#[derive(Template)]
#[template(path = "influencers/show.html")]
struct ShowPage {
    ctx: PageContext,
    view: ProfileView,
    campaigns: Vec<Invitable>,
    invited_to: Vec<Invitable>,
    is_brand: bool,
}

impl ShowPage {
    fn invited(&self, campaign: &Uuid) -> bool {
        self.invited_to.iter().any(|c| c.id == *campaign)
    }
}

async fn show(
    State(state): State<AppState>,
    ctx: PageContext,
    Scout(user): Scout,
    Path(id): Path<Uuid>,
) -> Result<Page<ShowPage>, AppError> {
    let mut conn = state.db.acquire().await?;
    let row = db::find_profile(&mut *conn, ProfileBy::Id(id))
        .await?
        .ok_or(AppError::NotFound)?;
    let audience = if user.is_admin() {
        Audience::Admin
    } else {
        Audience::Brand
    };
    let view = ProfileView::load(&mut conn, row, audience).await?;
    let (campaigns, invited_to) = match &user.brand {
        Some(brand) => invitations::for_profile(&mut *conn, brand.brand_id, id, today()).await?,
        None => (Vec::new(), Vec::new()),
    };
    drop(conn);
    Ok(Page(ShowPage {
        ctx,
        view,
        campaigns,
        invited_to,
        is_brand: user.brand.is_some(),
    }))
}

#[derive(Template)]
#[template(path = "influencers/media_kit.html")]
struct MediaKitPage {
    ctx: PageContext,
    view: ProfileView,
}

async fn media_kit(
    State(state): State<AppState>,
    ctx: PageContext,
    Path(handle): Path<String>,
) -> Result<Page<MediaKitPage>, AppError> {
    let row = db::find_profile(&state.db, ProfileBy::PublicHandle(&handle))
        .await?
        .ok_or(AppError::NotFound)?;
    let view = ProfileView::load(&mut *state.db.acquire().await?, row, Audience::Public).await?;
    Ok(Page(MediaKitPage { ctx, view }))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct VerifyForm {
    note: String,
}

async fn verify(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Path(channel_id): Path<Uuid>,
    Form(form, unread): Form<VerifyForm>,
) -> Result<Response, AppError> {
    unread.or_refuse()?;
    let note = if form.note.trim().is_empty() {
        String::new()
    } else {
        match single_line(&form.note, "the verification note", 1000) {
            Ok(n) => n,
            Err(message) => {
                let profile_id = db::profile_of_channel(&state.db, channel_id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                return Ok(Flash::info(format!("Nothing was verified. {message}"))
                    .redirect_to(&format!("/influencers/{profile_id}#channel-{channel_id}")));
            }
        }
    };
    let mut tx = state.db.begin().await?;
    let scale = tiers::db::load(&mut *tx).await?;
    let (profile_id, channel) =
        db::verify_latest(&mut tx, channel_id, admin.id, &note, &scale, today())
            .await?
            .ok_or(AppError::NotFound)?;
    audit::Event::new(Action::ChannelVerified, &channel)
        .by(admin.id)
        .on(channel_id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Flash::success(format!(
        "The newest figures of {channel} are marked verified."
    ))
    .redirect_to(&format!("/influencers/{profile_id}#channel-{channel_id}")))
}
