//! `/partners` and `/partners/{profile}`: the brand's creators, and one
//! creator's history with the brand, with a form to invite them back.

use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    routing::get,
};
use uuid::Uuid;

use super::db::{self, Collaboration, Partner};
use crate::{
    auth::BrandMember,
    domain::{date::today, display, display::filters},
    error::AppError,
    state::AppState,
    web::{Page, PageContext},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/partners", get(list))
        .route("/partners/{profile}", get(show))
}

fn rating(tenths: &Option<i64>) -> String {
    tenths.map_or_else(|| "—".to_owned(), |t| format!("{}/5", display::tenths(t)))
}

#[derive(Template)]
#[template(path = "partners/index.html")]
struct PartnersPage {
    ctx: PageContext,
    brand_name: String,
    partners: Vec<Partner>,
}

impl PartnersPage {
    fn rating(&self, p: &Partner) -> String {
        rating(&p.rating_tenths)
    }
}

async fn list(
    State(state): State<AppState>,
    ctx: PageContext,
    member: BrandMember,
) -> Result<Page<PartnersPage>, AppError> {
    let partners = db::of_brand(&state.db, member.brand.brand_id).await?;
    Ok(Page(PartnersPage {
        ctx,
        brand_name: member.brand.brand_name,
        partners,
    }))
}

#[derive(Template)]
#[template(path = "partners/show.html")]
struct PartnerPage {
    ctx: PageContext,
    brand_name: String,
    totals: Vec<Partner>,
    collaborations: Vec<Collaboration>,
    campaigns: Vec<(Uuid, String)>,
    profile_id: Uuid,
}

impl PartnerPage {
    fn name(&self) -> &str {
        self.totals.first().map_or("", |p| p.name.as_str())
    }

    fn rating(&self, tenths: &Option<i64>) -> String {
        rating(tenths)
    }
}

async fn show(
    State(state): State<AppState>,
    ctx: PageContext,
    member: BrandMember,
    Path(profile_id): Path<Uuid>,
) -> Result<Page<PartnerPage>, AppError> {
    let brand = member.brand.brand_id;
    let mut conn = state.db.acquire().await?;
    let totals = db::one(&mut *conn, brand, profile_id).await?;
    let collaborations = db::collaborations(&mut *conn, brand, profile_id).await?;
    let campaigns = db::reinvitable(&mut *conn, brand, profile_id, today()).await?;
    drop(conn);
    // Only creators the brand has worked with are its partners.
    if totals.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok(Page(PartnerPage {
        ctx,
        brand_name: member.brand.brand_name,
        totals,
        collaborations,
        campaigns,
        profile_id,
    }))
}
