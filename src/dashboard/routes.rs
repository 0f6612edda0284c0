//! `/dashboard`: for each role, what to do next.

use askama::Template;
use axum::{
    Router,
    extract::State,
    response::{IntoResponse, Redirect, Response},
    routing::get,
};

use super::db::{self, CampaignLine, CreatorSummary};
use crate::{
    admin::{self, Overview},
    applications::domain::Status as ApplicationStatus,
    auth::{CurrentUser, Viewer},
    brands::{
        db::{self as brands_db, TeamMember},
        track_record::{self, ResponseTime},
    },
    business::{self, domain::month_start, progress::Progress},
    campaigns::{
        creator_invites::db::{self as invitations, Received},
        domain::Status as CampaignStatus,
    },
    collaborations::{
        deliverables::db::{self as deliverables_db, DeliverableRow},
        reviews::db::{self as reviews_db, AwaitingReview},
    },
    domain::{
        Role,
        date::today,
        display::{self, filters},
    },
    error::AppError,
    state::AppState,
    web::{Page, PageContext},
};

/// Deliverables listed on a dashboard, soonest due first.
const DUE_LIMIT: i64 = 10;

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
    due: Vec<DeliverableRow>,
    show_creator: bool,
    reviews: Vec<AwaitingReview>,
    response: ResponseTime,
    campaigns: Vec<CampaignLine>,
    today: time::Date,
}

fn overdue(d: &DeliverableRow) -> bool {
    d.is_overdue(time::OffsetDateTime::now_utc().date())
}

fn review_overdue(r: &AwaitingReview) -> bool {
    r.is_overdue(time::OffsetDateTime::now_utc())
}

impl BrandDashboard {
    /// Open campaigns whose applications close within a week: the last
    /// chance to decide, so they come first.
    fn closing_soon(&self) -> Vec<&CampaignLine> {
        self.open(true)
    }

    fn open_later(&self) -> Vec<&CampaignLine> {
        self.open(false)
    }

    fn open(&self, closing_soon: bool) -> Vec<&CampaignLine> {
        let week = self.today + time::Duration::days(7);
        self.campaigns
            .iter()
            .filter(|c| c.status == CampaignStatus::Open)
            .filter(|c| (c.application_deadline <= week) == closing_soon)
            .collect()
    }

    fn drafts(&self) -> Vec<&CampaignLine> {
        self.campaigns
            .iter()
            .filter(|c| c.status == CampaignStatus::Draft)
            .collect()
    }

    /// Closed and completed campaigns, those with creators still to rate first.
    fn finished(&self, to_rate: bool) -> Vec<&CampaignLine> {
        self.campaigns
            .iter()
            .filter(|c| matches!(c.status, CampaignStatus::Closed | CampaignStatus::Completed))
            .filter(|c| (c.to_rate > 0) == to_rate)
            .collect()
    }

    fn review_overdue(&self, r: &AwaitingReview) -> bool {
        review_overdue(r)
    }

    fn overdue(&self, d: &DeliverableRow) -> bool {
        overdue(d)
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
    profile: CreatorSummary,
    channels: i64,
    invitations: Vec<Received>,
    due: Vec<DeliverableRow>,
    show_creator: bool,
    reviews: Vec<AwaitingReview>,
    applications: Vec<(ApplicationStatus, i64)>,
    /// This month's income and this week's hours against the creator's goals.
    progress: Progress,
}

impl InfluencerDashboard {
    fn applied(&self) -> i64 {
        self.applications.iter().map(|(_, n)| n).sum()
    }

    fn review_overdue(&self, r: &AwaitingReview) -> bool {
        review_overdue(r)
    }

    fn overdue(&self, d: &DeliverableRow) -> bool {
        overdue(d)
    }

    fn tier(&self) -> &'static str {
        self.profile.tier.map_or("", |t| t.label())
    }

    fn followers(&self) -> String {
        display::count(self.profile.followers)
    }

    /// What a brand would miss on the profile, most useful first.
    fn next_steps(&self) -> Vec<(&'static str, &'static str)> {
        let mut steps = Vec::new();
        if self.channels == 0 {
            steps.push(("/profile#add-channel", "Add your channels with their follower and engagement figures: brands search creators by tier and platform."));
        }
        if self.profile.unintroduced {
            steps.push(("/profile#edit", "Write a headline and list your niches, so brands searching for your topics find you."));
        }
        if self.profile.first_signal.is_some() {
            steps.push(("/profile#channels", "Look at the authenticity signals on your channels: explain a follower jump, or keep your figures current."));
        }
        steps
    }
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
    // A manager lands on their portfolio, unless working as a brand.
    if user.role == Role::Manager && user.brand.is_none() {
        return Ok(Redirect::to("/admin").into_response());
    }
    Ok(match user.role {
        Role::Brand | Role::Manager => {
            let Some(membership) = user.brand.clone() else {
                return Ok(Page(BrandWithoutTeamDashboard { ctx, user }).into_response());
            };
            let viewer = Viewer::Brand(membership.brand_id);
            let mut conn = state.db.acquire().await?;
            let team = brands_db::team(&mut *conn, membership.brand_id).await?;
            let due = deliverables_db::list(&mut *conn, viewer, None, DUE_LIMIT).await?;
            let reviews = reviews_db::awaiting_review(&mut *conn, viewer, DUE_LIMIT).await?;
            let response = track_record::response_time(&mut *conn, membership.brand_id).await?;
            let campaigns = db::campaigns(&mut *conn, membership.brand_id).await?;
            drop(conn);
            Page(BrandDashboard {
                ctx,
                user,
                brand_name: membership.brand_name,
                is_owner: membership.is_owner,
                team,
                due,
                show_creator: true,
                reviews,
                response,
                campaigns,
                today: today(),
            })
            .into_response()
        }
        Role::Influencer => {
            let today = time::OffsetDateTime::now_utc().date();
            let viewer = Viewer::Creator(user.id);
            let mut conn = state.db.acquire().await?;
            let profile = db::creator_summary(&mut *conn, user.id)
                .await?
                .ok_or_else(|| {
                    AppError::Internal(anyhow::anyhow!("influencer {} has no profile", user.id))
                })?;
            let months =
                business::db::months(&mut *conn, profile.profile_id, month_start(today)).await?;
            let invitations = invitations::received(&mut *conn, user.id, today).await?;
            let due = deliverables_db::list(&mut *conn, viewer, None, DUE_LIMIT).await?;
            let reviews = reviews_db::awaiting_review(&mut *conn, viewer, DUE_LIMIT).await?;
            drop(conn);
            let progress = Progress::of(profile.goals, &months, profile.week_minutes);
            Page(InfluencerDashboard {
                ctx,
                user,
                channels: profile.channels,
                applications: profile.applications.clone(),
                profile,
                invitations,
                due,
                show_creator: false,
                reviews,
                progress,
            })
            .into_response()
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
