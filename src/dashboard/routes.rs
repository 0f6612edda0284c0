use askama::Template;
use axum::{
    Router,
    extract::State,
    response::{IntoResponse, Response},
    routing::get,
};

use super::db::{self, TeamMember};
use crate::{
    accounts::domain::Role,
    admin::{self, Overview},
    app::AppState,
    auth::CurrentUser,
    error::AppError,
    web::{Page, PageContext, format},
};

pub fn router() -> Router<AppState> {
    Router::new().route("/dashboard", get(dashboard))
}

#[derive(Template)]
#[template(path = "dashboard/brand.html")]
struct BrandDashboard {
    ctx: PageContext,
    user: CurrentUser,
    brand_name: String,
    is_owner: bool,
    team: Vec<TeamMember>,
}

impl BrandDashboard {
    fn joined(&self, member: &TeamMember) -> String {
        format::date(member.joined_at)
    }
}

#[derive(Template)]
#[template(path = "dashboard/influencer.html")]
struct InfluencerDashboard {
    ctx: PageContext,
    user: CurrentUser,
    joined: String,
}

#[derive(Template)]
#[template(path = "dashboard/admin.html")]
struct AdminDashboard {
    ctx: PageContext,
    user: CurrentUser,
    overview: Overview,
}

async fn dashboard(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
) -> Result<Response, AppError> {
    Ok(match user.role {
        Role::Brand => {
            let membership = user.brand.clone().ok_or_else(|| {
                AppError::Internal(anyhow::anyhow!("brand user {} has no brand", user.id))
            })?;
            let team = db::team(&state.db, membership.brand_id).await?;
            Page(BrandDashboard {
                ctx,
                user,
                brand_name: membership.brand_name,
                is_owner: membership.is_owner,
                team,
            })
            .into_response()
        }
        Role::Influencer => {
            let joined = db::influencer_joined_at(&state.db, user.id)
                .await?
                .map(format::date)
                .unwrap_or_default();
            Page(InfluencerDashboard { ctx, user, joined }).into_response()
        }
        Role::Admin => {
            let overview = admin::overview(&state.db).await?;
            Page(AdminDashboard {
                ctx,
                user,
                overview,
            })
            .into_response()
        }
    })
}
