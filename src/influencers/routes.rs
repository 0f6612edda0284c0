//! /profile: the influencer edits their business profile, channels and their
//! figures, notes on flagged snapshots, and rate card.

use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::Deserialize;
use uuid::Uuid;

use super::{
    db::{self, ProfileBy, ProfileRow, SaveError},
    domain::{ChannelForm, ProfileForm, RateForm, SnapshotForm, suggest_handle},
    view::{Audience, ProfileView},
};
use crate::{
    audit::{self, Action},
    auth::Influencer,
    domain::{Currency, Format, Platform, date::today, text::bounded_text},
    error::AppError,
    state::AppState,
    tiers,
    web::{FieldErrors, Flash, Form, Page, PageContext, client_ip::ClientIp},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/profile", get(show).post(update))
        .route("/profile/channels", post(add_channel))
        .route("/profile/channels/{id}/snapshots", post(add_snapshot))
        .route(
            "/profile/channels/{id}/snapshots/{snapshot_id}/note",
            post(annotate),
        )
        .route("/profile/rates", post(save_rate))
        .route("/profile/rates/{id}/delete", post(delete_rate))
}

/// The form that failed, with what was typed and why, to show again.
#[derive(Default)]
enum Failed {
    #[default]
    Nothing,
    Profile(ProfileForm, FieldErrors),
    Channel(ChannelForm, FieldErrors),
    Snapshot(Uuid, SnapshotForm, FieldErrors),
    Note(Uuid, String, String),
    Rate(RateForm, FieldErrors),
}

impl Failed {
    fn status(&self) -> StatusCode {
        match self {
            Failed::Profile(_, errors)
            | Failed::Channel(_, errors)
            | Failed::Snapshot(_, _, errors)
            | Failed::Rate(_, errors) => errors.status(),
            Failed::Nothing | Failed::Note(..) => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }
}

#[derive(Template)]
#[template(path = "influencers/profile.html")]
struct ProfilePage {
    ctx: PageContext,
    view: ProfileView,
    profile_form: ProfileForm,
    profile_errors: FieldErrors,
    channel_form: ChannelForm,
    channel_errors: FieldErrors,
    snapshot_failed: Option<(Uuid, SnapshotForm, FieldErrors)>,
    rate_form: RateForm,
    rate_errors: FieldErrors,
    today: String,
}

impl ProfilePage {
    fn platforms(&self) -> &'static [Platform] {
        &Platform::ALL
    }

    fn formats(&self) -> &'static [Format] {
        &Format::ALL
    }

    fn currencies(&self) -> &'static [Currency] {
        &Currency::ALL
    }

    /// The snapshot form of a channel: what was typed if it failed, else blank.
    fn snapshot_form(&self, channel: &Uuid) -> (SnapshotForm, FieldErrors) {
        match &self.snapshot_failed {
            Some((id, form, errors)) if id == channel => (form.clone(), errors.clone()),
            _ => (SnapshotForm::default(), FieldErrors::new()),
        }
    }

    /// The four figures of a channel's snapshot form, as (name, label, value, error).
    fn snapshot_fields(
        &self,
        channel: &Uuid,
    ) -> Vec<(&'static str, &'static str, String, Option<String>)> {
        let (form, errors) = self.snapshot_form(channel);
        let f = form.figures;
        [
            ("followers", "Followers", f.followers),
            ("avg_views", "Average views per post", f.avg_views),
            ("avg_likes", "Average likes per post", f.avg_likes),
            ("avg_comments", "Average comments per post", f.avg_comments),
        ]
        .into_iter()
        .map(|(name, label, value)| (name, label, value, errors.get(name).map(str::to_owned)))
        .collect()
    }

    fn checked(&self, value: &Option<String>) -> bool {
        value.is_some()
    }

    fn media_kit_path(&self) -> Option<String> {
        let p = &self.view.row.profile;
        p.handle
            .as_ref()
            .filter(|_| p.media_kit_public)
            .map(|h| format!("/media-kit/{h}"))
    }
}

async fn own_profile(state: &AppState, user_id: Uuid) -> Result<ProfileRow, AppError> {
    db::find_profile(&state.db, ProfileBy::User(user_id))
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("influencer {user_id} has no profile")))
}

async fn page(
    state: &AppState,
    ctx: PageContext,
    row: ProfileRow,
    failed: Failed,
) -> Result<ProfilePage, AppError> {
    let mut profile_form = ProfileForm::from_profile(&row.profile);
    if profile_form.media_kit_handle.is_empty() {
        profile_form.media_kit_handle = suggest_handle(row.profile.display_name.as_str());
    }
    let view = ProfileView::load(&mut *state.db.acquire().await?, row, Audience::Owner).await?;
    let mut page = ProfilePage {
        ctx,
        view,
        profile_form,
        profile_errors: FieldErrors::new(),
        channel_form: ChannelForm::default(),
        channel_errors: FieldErrors::new(),
        snapshot_failed: None,
        rate_form: RateForm {
            currency: Currency::default().code().to_owned(),
            revision_rounds: "1".into(),
            usage_rights_days: "0".into(),
            ..RateForm::default()
        },
        rate_errors: FieldErrors::new(),
        today: today().to_string(),
    };
    match failed {
        Failed::Nothing => {}
        Failed::Profile(form, errors) => (page.profile_form, page.profile_errors) = (form, errors),
        Failed::Channel(form, errors) => (page.channel_form, page.channel_errors) = (form, errors),
        Failed::Snapshot(id, form, errors) => page.snapshot_failed = Some((id, form, errors)),
        Failed::Note(id, typed, message) => page.view.note_failed = Some((id, typed, message)),
        Failed::Rate(form, errors) => (page.rate_form, page.rate_errors) = (form, errors),
    }
    Ok(page)
}

async fn again(
    state: &AppState,
    ctx: PageContext,
    row: ProfileRow,
    failed: Failed,
) -> Result<Response, AppError> {
    let status = failed.status();
    let page = page(state, ctx, row, failed).await?;
    Ok((status, Page(page)).into_response())
}

async fn show(
    State(state): State<AppState>,
    ctx: PageContext,
    Influencer(user): Influencer,
) -> Result<Page<ProfilePage>, AppError> {
    let row = own_profile(&state, user.id).await?;
    Ok(Page(page(&state, ctx, row, Failed::Nothing).await?))
}

async fn update(
    State(state): State<AppState>,
    ctx: PageContext,
    Influencer(user): Influencer,
    ClientIp(ip): ClientIp,
    Form(form, unread): Form<ProfileForm>,
) -> Result<Response, AppError> {
    let row = own_profile(&state, user.id).await?;
    let profile = match unread.and(form.parse()) {
        Ok(p) => p,
        Err(errors) => return again(&state, ctx, row, Failed::Profile(form, errors)).await,
    };
    let mut tx = state.db.begin().await?;
    match db::save_profile(&mut tx, row.id, user.id, &profile).await {
        Ok(()) => {}
        Err(SaveError::Taken(field)) => {
            tx.rollback().await?;
            let mut errors = FieldErrors::new();
            errors.add(
                field,
                "Another creator has this address already; choose another.",
            );
            return again(&state, ctx, row, Failed::Profile(form, errors)).await;
        }
        Err(SaveError::Db(e)) => return Err(e.into()),
    }
    audit::Event::new(Action::ProfileUpdated, "")
        .by(&user)
        .on(user.id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    // The name in the navigation comes from the session copy.
    state.sessions.forget_user(user.id);
    Ok(Flash::success("Profile saved.").redirect_to("/profile"))
}

async fn add_channel(
    State(state): State<AppState>,
    ctx: PageContext,
    Influencer(user): Influencer,
    ClientIp(ip): ClientIp,
    Form(form, unread): Form<ChannelForm>,
) -> Result<Response, AppError> {
    let row = own_profile(&state, user.id).await?;
    let channel = match unread.and(form.parse()) {
        Ok(c) => c,
        Err(errors) => return again(&state, ctx, row, Failed::Channel(form, errors)).await,
    };
    let mut tx = state.db.begin().await?;
    let scale = tiers::db::load(&mut *tx).await?;
    let channel_id = match db::add_channel(&mut tx, row.id, &channel, &scale, today()).await {
        Ok(id) => id,
        Err(SaveError::Taken(_)) => {
            tx.rollback().await?;
            let mut errors = FieldErrors::new();
            errors.add(
                "handle",
                format!(
                    "You have added @{} on {} already; update its figures below instead.",
                    channel.handle,
                    channel.platform.label()
                ),
            );
            return again(&state, ctx, row, Failed::Channel(form, errors)).await;
        }
        Err(SaveError::Db(e)) => return Err(e.into()),
    };
    let detail = format!("{} @{}", channel.platform.label(), channel.handle);
    audit::Event::new(Action::ChannelAdded, &detail)
        .by(&user)
        .on(channel_id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    // Their tier and platforms, which the board matches campaigns against.
    state.sessions.forget_user(user.id);
    Ok(
        Flash::success(format!("{detail} added with its first figures."))
            .redirect_to("/profile#channels"),
    )
}

async fn add_snapshot(
    State(state): State<AppState>,
    ctx: PageContext,
    Influencer(user): Influencer,
    ClientIp(ip): ClientIp,
    Path(channel_id): Path<Uuid>,
    Form(form, unread): Form<SnapshotForm>,
) -> Result<Response, AppError> {
    let row = own_profile(&state, user.id).await?;
    let mut tx = state.db.begin().await?;
    let Some((platform, handle)) = db::lock_own_channel(&mut tx, row.id, channel_id).await? else {
        return Err(AppError::NotFound);
    };
    let snapshot = match unread.and(form.parse(today())) {
        Ok(s) => s,
        Err(errors) => {
            tx.rollback().await?;
            return again(&state, ctx, row, Failed::Snapshot(channel_id, form, errors)).await;
        }
    };
    let scale = tiers::db::load(&mut *tx).await?;
    db::add_snapshot(&mut tx, channel_id, &snapshot, &scale, today()).await?;
    let detail = format!("{} @{handle}", platform.label());
    audit::Event::new(Action::SnapshotAdded, &detail)
        .by(&user)
        .on(channel_id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    state.sessions.forget_user(user.id);
    Ok(Flash::success(format!(
        "New figures for {detail} saved; its score was updated."
    ))
    .redirect_to(&format!("/profile#channel-{channel_id}")))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NoteForm {
    note: String,
}

async fn annotate(
    State(state): State<AppState>,
    ctx: PageContext,
    Influencer(user): Influencer,
    Path((channel_id, snapshot_id)): Path<(Uuid, Uuid)>,
    Form(form, unread): Form<NoteForm>,
) -> Result<Response, AppError> {
    let row = own_profile(&state, user.id).await?;
    if let Err(unread) = unread.checked() {
        let message = unread
            .unread_messages()
            .next()
            .unwrap_or_default()
            .to_owned();
        let failed = Failed::Note(snapshot_id, form.note, message);
        let page = page(&state, ctx, row, failed).await?;
        return Ok((StatusCode::BAD_REQUEST, Page(page)).into_response());
    }
    let note = match bounded_text(&form.note, "the note", 500) {
        Ok(n) => Some(n).filter(|n| !n.is_empty()),
        Err(message) => {
            return again(
                &state,
                ctx,
                row,
                Failed::Note(snapshot_id, form.note, message),
            )
            .await;
        }
    };
    let mut tx = state.db.begin().await?;
    if db::lock_own_channel(&mut tx, row.id, channel_id)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    let scale = tiers::db::load(&mut *tx).await?;
    let found = db::annotate(
        &mut tx,
        row.id,
        channel_id,
        snapshot_id,
        note.as_deref(),
        &scale,
        today(),
    )
    .await?;
    if !found {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    let message = if note.is_some() {
        "Your note is shown beside the signal."
    } else {
        "Note removed."
    };
    Ok(Flash::success(message).redirect_to(&format!("/profile#channel-{channel_id}")))
}

async fn save_rate(
    State(state): State<AppState>,
    ctx: PageContext,
    Influencer(user): Influencer,
    Form(form, unread): Form<RateForm>,
) -> Result<Response, AppError> {
    let row = own_profile(&state, user.id).await?;
    let rate = match unread.and(form.parse()) {
        Ok(r) => r,
        Err(errors) => return again(&state, ctx, row, Failed::Rate(form, errors)).await,
    };
    db::save_rate(&state.db, row.id, &rate).await?;
    Ok(Flash::success(format!(
        "Rate for a {} {} saved: {}.",
        rate.platform.label(),
        rate.format.label().to_lowercase(),
        rate.price
    ))
    .redirect_to("/profile#rates"))
}

async fn delete_rate(
    State(state): State<AppState>,
    Influencer(user): Influencer,
    Path(rate_id): Path<Uuid>,
) -> Result<Response, AppError> {
    let row = own_profile(&state, user.id).await?;
    if !db::delete_rate(&state.db, row.id, rate_id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Flash::info("Rate removed.").redirect_to("/profile#rates"))
}
