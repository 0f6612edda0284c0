//! /influencers (discovery) and /influencers/{id} for brands and admins; the
//! public media kit; verification of figures by admins.

use askama::Template;
use axum::{
    Router,
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use axum_extra::extract::Form;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    db::{self, ProfileBy},
    discovery::{self, Cursor, DiscoveryQuery, Filter, ResultRow, Sort},
    view::{Audience, ProfileView, score_class},
};
use crate::{
    audit::{self, Action},
    auth::{Admin, Scout},
    campaigns::invitations::{self, Invitable},
    domain::{Currency, Format, Money, Platform, Tier, date::today, display, text::single_line},
    error::AppError,
    state::AppState,
    tiers,
    web::{FieldErrors, Flash, Page, PageContext, client_ip::ClientIp},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/influencers", get(search))
        .route("/influencers/{id}", get(show))
        .route("/media-kit/{handle}", get(media_kit))
        .route("/admin/channels/{id}/verify", post(verify))
}

#[derive(Template)]
#[template(path = "influencers/search.html")]
struct SearchPage {
    ctx: PageContext,
    query: DiscoveryQuery,
    /// The query as parsed once, for what each result shows.
    filter: Filter,
    errors: FieldErrors,
    results: Vec<ResultRow>,
    next: Option<Cursor>,
    page: i64,
    /// The brand's open campaigns, to invite a result to; empty for admins.
    campaigns: Vec<Invitable>,
    is_brand: bool,
}

impl SearchPage {
    fn tiers(&self) -> &'static [Tier] {
        &Tier::ALL
    }

    fn platforms(&self) -> &'static [Platform] {
        &Platform::ALL
    }

    fn formats(&self) -> &'static [Format] {
        &Format::ALL
    }

    fn currencies(&self) -> &'static [Currency] {
        &Currency::ALL
    }

    fn sorts(&self) -> &'static [(Sort, &'static str, &'static str)] {
        &Sort::ALL
    }

    fn sort_selected(&self, key: &str) -> bool {
        Sort::ALL
            .iter()
            .any(|(s, k, _)| *k == key && *s == self.filter.sort)
    }

    fn next_link(&self) -> Option<String> {
        self.next
            .as_ref()
            .map(|c| self.query.next_link(c, self.page + 1))
    }

    fn first_link(&self) -> String {
        self.query.first_link()
    }

    /// This page's own address, to come back to after an invitation.
    fn here(&self) -> String {
        match self.page {
            1 => self.query.first_link(),
            _ => format!(
                "{}{}after={}&page={}",
                self.query.first_link(),
                if self.query.first_link().contains('?') {
                    "&"
                } else {
                    "?"
                },
                self.query.after,
                self.page
            ),
        }
    }

    fn platform_labels(&self, platforms: &[Platform]) -> String {
        platforms
            .iter()
            .map(|p| p.label())
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn followers(&self, n: &i64) -> String {
        display::count(*n)
    }

    fn engagement(&self, ppm: &Option<i32>) -> String {
        ppm.map_or_else(|| "—".to_owned(), |p| display::percent_ppm(p.into()))
    }

    fn price(&self, minor: &Option<i64>) -> Option<String> {
        minor.map(|m| Money::from_minor(m, self.filter.currency).to_string())
    }

    fn price_format(&self) -> &'static str {
        self.filter.format.map_or("", |f| f.label())
    }

    fn score_class(&self, score: &i16) -> &'static str {
        score_class(*score)
    }

    fn checked(&self, value: &str) -> bool {
        !value.is_empty()
    }
}

async fn search(
    State(state): State<AppState>,
    ctx: PageContext,
    Scout(user): Scout,
    Query(query): Query<DiscoveryQuery>,
) -> Result<Page<SearchPage>, AppError> {
    let (filter, errors) = query.parse();
    // The brand's campaigns come in parallel, on another connection: a page
    // waits for one round trip, not two.
    let ((results, next), campaigns) =
        tokio::try_join!(discovery::search(&state.db, &filter), async {
            match &user.brand {
                Some(brand) => invitations::invitable(&state.db, brand.brand_id, today()).await,
                None => Ok(Vec::new()),
            }
        })?;
    Ok(Page(SearchPage {
        ctx,
        errors,
        results,
        next,
        page: if filter.after.is_some() {
            filter.page
        } else {
            1
        },
        query,
        filter,
        campaigns,
        is_brand: user.brand.is_some(),
    }))
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
    let row = db::find_profile(&state.db, ProfileBy::Id(id))
        .await?
        .ok_or(AppError::NotFound)?;
    let audience = if user.is_admin() {
        Audience::Admin
    } else {
        Audience::Brand
    };
    let (view, (campaigns, invited_to)) =
        tokio::try_join!(ProfileView::load(&state.db, row, audience), async {
            match &user.brand {
                Some(brand) => Ok((
                    invitations::invitable(&state.db, brand.brand_id, today()).await?,
                    invitations::sent_to(&state.db, brand.brand_id, id).await?,
                )),
                None => Ok((Vec::new(), Vec::new())),
            }
        })?;
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
    let view = ProfileView::load(&state.db, row, Audience::Public).await?;
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
    Form(form): Form<VerifyForm>,
) -> Result<Response, AppError> {
    let note = if form.note.trim().is_empty() {
        String::new()
    } else {
        match single_line(&form.note, "the verification note", 1000) {
            Ok(n) => n,
            Err(message) => {
                let profile_id = db::profile_of_channel(&state.db, channel_id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                return Ok((
                    Flash::info(format!("Nothing was verified. {message}")),
                    Redirect::to(&format!("/influencers/{profile_id}#channel-{channel_id}")),
                )
                    .into_response());
            }
        }
    };
    let mut tx = state.db.begin().await?;
    let scale = tiers::db::load(&mut *tx).await?;
    let (profile_id, channel) =
        db::verify_latest(&mut tx, channel_id, admin.id, &note, &scale, today())
            .await?
            .ok_or(AppError::NotFound)?;
    audit::record(
        &mut *tx,
        Some(admin.id),
        Action::ChannelVerified,
        &channel,
        Some(ip),
    )
    .await?;
    tx.commit().await?;
    Ok((
        Flash::success(format!(
            "The newest figures of {channel} are marked verified."
        )),
        Redirect::to(&format!("/influencers/{profile_id}#channel-{channel_id}")),
    )
        .into_response())
}
