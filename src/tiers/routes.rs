//! /admin/tiers: the agency sets where each creator tier starts.

use askama::Template;
use axum::{
    Router,
    extract::State,
    response::{IntoResponse, Response},
    routing::get,
};
use serde::Deserialize;

use super::db;
use crate::{
    audit::{self, Action},
    auth::Admin,
    domain::{Tier, TierScale, display},
    error::AppError,
    state::AppState,
    web::{FieldErrors, Flash, Form, Page, PageContext, client_ip::ClientIp},
};

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/tiers", get(show).post(update))
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct CutoffForm {
    nano: String,
    micro: String,
    mid: String,
    #[serde(rename = "macro")]
    macro_: String,
    mega: String,
}

impl CutoffForm {
    fn from_scale(scale: &TierScale) -> Self {
        let [nano, micro, mid, macro_, mega] = scale.starts().map(|n| n.to_string());
        CutoffForm {
            nano,
            micro,
            mid,
            macro_,
            mega,
        }
    }

    fn value(&self, tier: &Tier) -> &str {
        match tier {
            Tier::Nano => &self.nano,
            Tier::Micro => &self.micro,
            Tier::Mid => &self.mid,
            Tier::Macro => &self.macro_,
            Tier::Mega => &self.mega,
            Tier::Emerging => "",
        }
    }

    fn parse(&self) -> Result<TierScale, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut starts = [0i64; 5];
        for (i, tier) in Tier::TARGETABLE.iter().enumerate() {
            let typed: String = self
                .value(tier)
                .chars()
                .filter(|c| !matches!(c, ',' | ' ' | '_'))
                .collect();
            match typed.parse::<i64>() {
                Ok(n) if (1..=10_000_000_000).contains(&n) => starts[i] = n,
                _ => errors.add(
                    tier.key(),
                    format!(
                        "Enter where {} starts as a whole number of followers, from 1 to 10,000,000,000.",
                        tier.label()
                    ),
                ),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        TierScale::new(starts).map_err(|message| {
            let mut errors = FieldErrors::new();
            errors.add("nano", message);
            errors
        })
    }
}

#[derive(Template)]
#[template(path = "tiers/edit.html")]
struct TiersPage {
    ctx: PageContext,
    scale: TierScale,
    form: CutoffForm,
    errors: FieldErrors,
    pending: i64,
}

impl TiersPage {
    fn tiers(&self) -> &'static [Tier] {
        &Tier::TARGETABLE
    }

    fn value(&self, tier: &Tier) -> &str {
        self.form.value(tier)
    }

    fn error(&self, tier: &Tier) -> Option<&str> {
        self.errors.get(tier.key())
    }

    fn range(&self, tier: &Tier) -> String {
        self.scale.range(*tier)
    }

    fn emerging(&self) -> Tier {
        Tier::Emerging
    }

    fn pending_text(&self) -> String {
        display::count(self.pending)
    }
}

async fn page(
    state: &AppState,
    ctx: PageContext,
    form: Option<CutoffForm>,
    errors: FieldErrors,
) -> Result<TiersPage, AppError> {
    let mut conn = state.db.acquire().await?;
    let scale = db::load(&mut *conn).await?;
    let pending = db::pending_rescores(&mut *conn).await?;
    drop(conn);
    Ok(TiersPage {
        ctx,
        form: form.unwrap_or_else(|| CutoffForm::from_scale(&scale)),
        scale,
        errors,
        pending,
    })
}

async fn show(
    State(state): State<AppState>,
    ctx: PageContext,
    _admin: Admin,
) -> Result<Page<TiersPage>, AppError> {
    Ok(Page(page(&state, ctx, None, FieldErrors::new()).await?))
}

async fn update(
    State(state): State<AppState>,
    ctx: PageContext,
    admin: Admin,
    ClientIp(ip): ClientIp,
    Form(form, unread): Form<CutoffForm>,
) -> Result<Response, AppError> {
    let scale = match unread.and(form.parse()) {
        Ok(scale) => scale,
        Err(errors) => {
            let status = errors.status();
            let page = page(&state, ctx, Some(form), errors).await?;
            return Ok((status, Page(page)).into_response());
        }
    };
    let mut tx = state.db.begin().await?;
    let marked = db::save(&mut tx, &scale, admin.0.id).await?;
    let detail = Tier::TARGETABLE
        .iter()
        .map(|t| format!("{} {}", t.key(), scale.start(*t)))
        .collect::<Vec<_>>()
        .join(", ");
    audit::Event::new(Action::TierCutoffsChanged, &detail)
        .by(admin.0.id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Flash::success(format!(
        "Tier cut-offs saved. {} channels will be re-tiered and rescored within a few minutes.",
        display::count(marked as i64)
    ))
    .redirect_to("/admin/tiers"))
}
