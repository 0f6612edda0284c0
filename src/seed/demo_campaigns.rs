//! The demo's campaigns: a handful per brand, in every state of the lifecycle,
//! each with a brief (one with two versions, to show the history and the diff).

use sqlx::PgConnection;
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::{
    campaigns::{
        brief::{self, Brief, Criterion, Deliverable, domain::DEFAULT_DISCLOSURE},
        db,
        domain::{CampaignInput, Compensation, Kpi, KpiMetric, Objective, Status, Transition},
    },
    domain::{Currency, Format, Money, Platform, Tier},
    links,
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

/// Days from today to (deadline, start, end) for a campaign in `status`; the
/// `n`th demo campaign is a week later than the one before it (modulo four),
/// so deadlines spread as real ones do and one open campaign closes this week.
fn schedule(status: Status, today: Date, n: usize) -> (Date, Date, Date) {
    let d = |days: i64| today + Duration::days(days);
    let week = 7 * (n % 4) as i64;
    let (deadline, start, end) = match status {
        Status::Draft => (21, 28, 60),
        Status::Open => (5, 9, 39),
        Status::Closed => (-2, 3, 33),
        Status::Completed | Status::Archived => (-60, -50, -10),
    };
    let later = if status == Status::Open || status == Status::Draft {
        week
    } else {
        -week
    };
    (d(deadline + later), d(start + later), d(end + later))
}

/// When the `n`th demo campaign was drafted and published: open ones about
/// seven weeks ago (their oldest collaboration's first draft is 40 days old),
/// finished ones months ago, drafts in the last days; each a few days after
/// the one before.
struct History {
    created: OffsetDateTime,
    published: Option<OffsetDateTime>,
}

impl History {
    fn of(status: Status, n: usize) -> History {
        let now = OffsetDateTime::now_utc();
        let days_ago =
            |days: usize| now - Duration::days(days as i64) - Duration::hours((n % 9) as i64);
        let published = match status {
            Status::Draft => None,
            Status::Open => Some(48 + n % 8),
            Status::Closed => Some(52 + n % 8),
            Status::Completed | Status::Archived => Some(85 + n % 8),
        };
        History {
            created: days_ago(published.unwrap_or(0) + 1 + n % 6),
            published: published.map(days_ago),
        }
    }

    fn first_brief(&self) -> OffsetDateTime {
        self.created + Duration::hours(1)
    }

    /// A day after publication, or an hour after the first for a draft.
    fn second_brief(&self) -> OffsetDateTime {
        self.published
            .map_or(self.first_brief() + Duration::hours(1), |p| {
                p + Duration::days(1)
            })
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
    loaded_before: usize,
) -> anyhow::Result<usize> {
    for (i, c) in campaigns.iter().enumerate() {
        let n = loaded_before + i;
        let (deadline, starts_on, ends_on) = schedule(c.status, today, n);
        let history = History::of(c.status, n);
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
            landing_url: Some(format!(
                "https://shop.example/{}",
                links::domain::slug(c.title, 60)
            )),
            attribution_window_days: if n % 3 == 2 { 7 } else { 30 },
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
            release_on: crate::domain::ReleaseOn::Approval,
        };
        brief::db::insert(conn, id, 1, &brief, "", author, Some(history.first_brief())).await?;
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
                Some(history.second_brief()),
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
        sqlx::query!(
            "update campaigns set created_at = $2, published_at = $3, updated_at = $4 where id = $1",
            id,
            history.created,
            history.published,
            history.published.unwrap_or(history.created),
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(campaigns.len())
}
