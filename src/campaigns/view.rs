//! Campaigns as pages show them: labels, money and dates for people.

use super::{
    db::{Campaign, ListItem},
    domain::Status,
    form::CampaignForm,
};
use crate::domain::{
    display::{count, day},
    number::basis_points_text,
};

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
    /// Where the creators' links lead, if the campaign says.
    pub landing_url: Option<String>,
    pub attribution_window_days: i16,
}

impl From<&Campaign> for CampaignView {
    fn from(c: &Campaign) -> Self {
        let cur = c.budget.currency();
        let compensation = c.compensation.label();
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
            objective: c.objective.label(),
            kpis: c
                .kpis
                .iter()
                .map(|k| (k.metric.label(), k.target_text(cur)))
                .collect(),
            budget: c.budget.to_string(),
            compensation,
            creators_wanted: count(c.creators_wanted.into()),
            application_deadline: day(c.application_deadline),
            dates: format!("{} to {}", day(c.starts_on), day(c.ends_on)),
            tiers: c.eligible_tiers.iter().map(|t| t.label()).collect(),
            platforms: c.platforms.iter().map(|p| p.label()).collect(),
            niches: c.niches.clone(),
            countries: c.countries.clone(),
            target_audience: c.target_audience.clone(),
            landing_url: c.landing_url.clone(),
            attribution_window_days: c.attribution_window_days,
        }
    }
}

/// The edit form, filled in from what is saved.
impl From<&Campaign> for CampaignForm {
    fn from(c: &Campaign) -> Self {
        let cur = c.budget.currency();
        CampaignForm {
            title: c.title.clone(),
            business_goal: c.business_goal.clone(),
            objective: c.objective.key().to_owned(),
            kpi_metric: c.kpis.iter().map(|k| k.metric.key().to_owned()).collect(),
            kpi_target: c.kpis.iter().map(|k| k.target_input(cur)).collect(),
            budget: c.budget.to_decimal_string(),
            currency: cur.code().to_owned(),
            compensation: c.compensation.key().to_owned(),
            commission_percent: c
                .commission_basis_points
                .map(|bp| basis_points_text(bp.into()))
                .unwrap_or_default(),
            creators_wanted: c.creators_wanted.to_string(),
            eligible_tiers: c
                .eligible_tiers
                .iter()
                .map(|t| t.key().to_owned())
                .collect(),
            platforms: c.platforms.iter().map(|p| p.key().to_owned()).collect(),
            niches: c.niches.join(", "),
            countries: c.countries.join(", "),
            target_audience: c.target_audience.clone(),
            application_deadline: c.application_deadline.to_string(),
            starts_on: c.starts_on.to_string(),
            ends_on: c.ends_on.to_string(),
            landing_url: c.landing_url.clone().unwrap_or_default(),
            attribution_window: c.attribution_window_days.to_string(),
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
            status: i.status.label(),
            budget: i.budget.to_string(),
            application_deadline: day(i.application_deadline),
        }
    }
}
