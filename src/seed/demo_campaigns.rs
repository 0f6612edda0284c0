//! The demo's campaigns: a handful per brand, in every state of the lifecycle,
//! each with a brief (one with two versions, to show the history and the diff).

use sqlx::PgConnection;
use time::{Date, Duration};
use uuid::Uuid;

use crate::{
    campaigns::{
        brief::{self, Brief, Criterion, Deliverable, domain::DEFAULT_DISCLOSURE},
        db,
        domain::{CampaignInput, Compensation, Kpi, KpiMetric, Objective, Status, Transition},
    },
    domain::{Currency, Format, Money, Platform, Tier},
};

pub struct DemoCampaign {
    pub title: &'static str,
    pub goal: &'static str,
    pub key_message: &'static str,
    pub objective: Objective,
    pub kpi: (KpiMetric, i64),
    pub budget_major: i64,
    pub currency: Currency,
    pub compensation: Compensation,
    pub tiers: &'static [Tier],
    pub platforms: &'static [Platform],
    pub niches: &'static [&'static str],
    pub status: Status,
}

/// Days from today to (deadline, start, end) for a campaign in `status`.
fn schedule(status: Status, today: Date) -> (Date, Date, Date) {
    let d = |n: i64| today + Duration::days(n);
    match status {
        Status::Draft => (d(21), d(28), d(60)),
        Status::Open => (d(12), d(16), d(46)),
        Status::Closed => (d(-2), d(3), d(33)),
        Status::Completed | Status::Archived => (d(-60), d(-50), d(-10)),
    }
}

/// The transitions that take a new draft to `status`.
fn path_to(status: Status) -> &'static [Transition] {
    match status {
        Status::Draft => &[],
        Status::Open => &[Transition::Publish],
        Status::Closed => &[Transition::Publish, Transition::Close],
        Status::Completed => &[Transition::Publish, Transition::Close, Transition::Complete],
        Status::Archived => &[
            Transition::Publish,
            Transition::Close,
            Transition::Complete,
            Transition::Archive,
        ],
    }
}

pub async fn load(
    conn: &mut PgConnection,
    brand_id: Uuid,
    author: Uuid,
    campaigns: &[DemoCampaign],
    today: Date,
) -> anyhow::Result<usize> {
    for (i, c) in campaigns.iter().enumerate() {
        let (deadline, starts_on, ends_on) = schedule(c.status, today);
        let input = CampaignInput {
            title: c.title.to_owned(),
            business_goal: c.goal.to_owned(),
            objective: c.objective,
            kpis: vec![Kpi {
                metric: c.kpi.0,
                target: c.kpi.1,
            }],
            budget: Money::from_minor(
                c.budget_major * 10_i64.pow(c.currency.exponent()),
                c.currency,
            ),
            compensation: c.compensation,
            commission_basis_points: matches!(
                c.compensation,
                Compensation::Affiliate | Compensation::Hybrid
            )
            .then_some(1000),
            creators_wanted: 3 + (i as i64 % 5),
            eligible_tiers: c.tiers.to_vec(),
            platforms: c.platforms.to_vec(),
            niches: c.niches.iter().map(|n| (*n).to_owned()).collect(),
            countries: vec!["US".to_owned(), "GB".to_owned()],
            target_audience: "People who care how things are made and want them to last."
                .to_owned(),
            application_deadline: deadline,
            starts_on,
            ends_on,
        };
        let id = db::insert(conn, brand_id, author, &input).await?;
        let mut brief = Brief {
            key_message: c.key_message.to_owned(),
            story: String::new(),
            deliverables: vec![Deliverable {
                platform: c.platforms[0],
                format: if c.platforms[0] == Platform::Youtube {
                    Format::LongVideo
                } else {
                    Format::Post
                },
                quantity: 2,
                due_on: starts_on + Duration::days(14),
                notes: "Show the product in everyday use.".to_owned(),
            }],
            dos: vec![
                "Speak in your own voice".to_owned(),
                "Show real use, not a studio".to_owned(),
            ],
            donts: vec!["No competitor products in shot".to_owned()],
            hashtags: vec!["#ad".to_owned()],
            mentions: Vec::new(),
            disclosure: DEFAULT_DISCLOSURE.to_owned(),
            paid_usage_days: None,
            exclusivity_categories: Vec::new(),
            exclusivity_days: 0,
            review_days: 3,
            max_revision_rounds: 2,
            rubric: Criterion::ALL.to_vec(),
        };
        brief::db::insert(conn, id, 1, &brief, "", author).await?;
        if i == 0 {
            brief.story = "Start with the problem your audience already knows, then the moment it stopped being one.".to_owned();
            brief.paid_usage_days = Some(30);
            brief::db::insert(
                conn,
                id,
                2,
                &brief,
                "Added the story we'd like told, and 30 days of paid amplification.",
                author,
            )
            .await?;
        }
        let mut status = Status::Draft;
        for t in path_to(c.status) {
            let next = status
                .after(*t)
                .ok_or_else(|| anyhow::anyhow!("demo campaign path is not a valid lifecycle"))?;
            db::set_status(&mut *conn, brand_id, id, status, next).await?;
            status = next;
        }
    }
    Ok(campaigns.len())
}
