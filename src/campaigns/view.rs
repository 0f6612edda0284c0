//! Campaigns as pages show them: labels, money and dates for people.

use time::Date;

use super::{
    db::{Campaign, ListItem},
    domain::{CampaignForm, Compensation, Objective, Status},
};
use crate::domain::{Currency, Money, Platform, Tier, display, number::basis_points_text};

fn currency(code: &str) -> Currency {
    // The table only holds codes Currency knows (a CHECK constraint).
    Currency::parse(code).unwrap_or(Currency::Usd)
}

fn money(minor: i64, code: &str) -> String {
    Money::from_minor(minor, currency(code)).to_string()
}

fn day(d: Date) -> String {
    display::day(d)
}

fn status_label(status: &str) -> &'static str {
    Status::parse(status)
        .map(Status::label)
        .unwrap_or("Unknown")
}

pub struct CampaignView {
    pub id: String,
    pub title: String,
    pub brand_name: String,
    pub status: &'static str,
    pub is_draft: bool,
    pub business_goal: String,
    pub objective: &'static str,
    pub kpis: Vec<(&'static str, String)>,
    pub budget: String,
    pub compensation: String,
    pub creators_wanted: String,
    pub application_deadline: String,
    pub dates: String,
    pub tiers: Vec<&'static str>,
    pub platforms: Vec<&'static str>,
    pub niches: Vec<String>,
    pub countries: Vec<String>,
    pub target_audience: String,
}

impl From<&Campaign> for CampaignView {
    fn from(c: &Campaign) -> Self {
        let cur = currency(&c.currency);
        let compensation = Compensation::parse(&c.compensation)
            .map(Compensation::label)
            .unwrap_or("Unknown");
        let compensation = match c.commission_basis_points {
            Some(bp) => format!(
                "{compensation}, {}% commission",
                basis_points_text(bp.into())
            ),
            None => compensation.to_owned(),
        };
        CampaignView {
            id: c.id.to_string(),
            title: c.title.clone(),
            brand_name: c.brand_name.clone(),
            status: c.status.label(),
            is_draft: c.status == Status::Draft,
            business_goal: c.business_goal.clone(),
            objective: Objective::parse(&c.objective)
                .map(Objective::label)
                .unwrap_or("Unknown"),
            kpis: c
                .kpis
                .iter()
                .map(|k| (k.metric.label(), k.target_text(cur)))
                .collect(),
            budget: money(c.budget_minor, &c.currency),
            compensation,
            creators_wanted: display::count(c.creators_wanted.into()),
            application_deadline: day(c.application_deadline),
            dates: format!("{} to {}", day(c.starts_on), day(c.ends_on)),
            tiers: c
                .eligible_tiers
                .iter()
                .filter_map(|t| Tier::parse(t).ok().map(Tier::label))
                .collect(),
            platforms: c
                .platforms
                .iter()
                .filter_map(|p| Platform::parse(p).ok().map(Platform::label))
                .collect(),
            niches: c.niches.clone(),
            countries: c.countries.clone(),
            target_audience: c.target_audience.clone(),
        }
    }
}

/// The edit form, filled in from what is saved.
impl From<&Campaign> for CampaignForm {
    fn from(c: &Campaign) -> Self {
        let cur = currency(&c.currency);
        CampaignForm {
            title: c.title.clone(),
            business_goal: c.business_goal.clone(),
            objective: c.objective.clone(),
            kpi_metric: c.kpis.iter().map(|k| k.metric.key().to_owned()).collect(),
            kpi_target: c.kpis.iter().map(|k| k.target_input(cur)).collect(),
            budget: Money::from_minor(c.budget_minor, cur).to_decimal_string(),
            currency: c.currency.clone(),
            compensation: c.compensation.clone(),
            commission_percent: c
                .commission_basis_points
                .map(|bp| basis_points_text(bp.into()))
                .unwrap_or_default(),
            creators_wanted: c.creators_wanted.to_string(),
            eligible_tiers: c.eligible_tiers.clone(),
            platforms: c.platforms.clone(),
            niches: c.niches.join(", "),
            countries: c.countries.join(", "),
            target_audience: c.target_audience.clone(),
            application_deadline: c.application_deadline.to_string(),
            starts_on: c.starts_on.to_string(),
            ends_on: c.ends_on.to_string(),
        }
    }
}

pub struct ListRow {
    pub id: String,
    pub title: String,
    pub brand_name: String,
    pub status: &'static str,
    pub budget: String,
    pub application_deadline: String,
}

impl From<&ListItem> for ListRow {
    fn from(i: &ListItem) -> Self {
        ListRow {
            id: i.id.to_string(),
            title: i.title.clone(),
            brand_name: i.brand_name.clone(),
            status: status_label(&i.status),
            budget: money(i.budget_minor, &i.currency),
            application_deadline: day(i.application_deadline),
        }
    }
}
