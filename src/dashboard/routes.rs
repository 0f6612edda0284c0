use askama::Template;
use axum::{
    Router,
    extract::State,
    response::{IntoResponse, Response},
    routing::get,
};

use super::db;
use crate::{
    accounts::domain::Role,
    admin::{self, Overview},
    app::AppState,
    auth::CurrentUser,
    brands::db::{self as brands_db, TeamMember},
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

/// A brand account whose owner removed it from the team.
#[derive(Template)]
#[template(path = "dashboard/brand_without_team.html")]
struct BrandWithoutTeamDashboard {
    ctx: PageContext,
    user: CurrentUser,
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
            let Some(membership) = user.brand.clone() else {
                return Ok(Page(BrandWithoutTeamDashboard { ctx, user }).into_response());
            };
            let team = brands_db::team(&state.db, membership.brand_id).await?;
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
