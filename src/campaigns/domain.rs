//! A campaign's vocabulary: what it is for (objective and KPIs), how creators are
//! paid, and its lifecycle from draft to completed.

use time::Date;

use crate::domain::{
    Currency, Money, Platform, Tier, display, keyed_enum, number::basis_points_text,
};

keyed_enum! {
    pub enum Objective {
        Awareness => ("awareness", "Awareness: get known"),
        Consideration => ("consideration", "Consideration: get compared and researched"),
        Conversion => ("conversion", "Conversion: get bought"),
        Loyalty => ("loyalty", "Loyalty: get bought again"),
    }
    unknown: "Choose what the campaign is for."
}

keyed_enum! {
    pub enum Compensation {
        FlatFee => ("flat_fee", "Flat fee"),
        PerDeliverable => ("per_deliverable", "Per deliverable"),
        Affiliate => ("affiliate", "Affiliate commission"),
        ProductGifting => ("product_gifting", "Product gifting"),
        Hybrid => ("hybrid", "Hybrid (fee plus commission)"),
    }
    unknown: "Choose how creators are paid."
}

keyed_enum! {
    pub enum Status {
        Draft => ("draft", "Draft"),
        Open => ("open", "Open for applications"),
        Closed => ("closed", "Closed to applications"),
        Completed => ("completed", "Completed"),
        Archived => ("archived", "Archived"),
    }
    unknown: "Unknown campaign status."
}

/// The moves a brand makes through a campaign's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    Publish,
    Close,
    Complete,
    Archive,
}

impl Status {
    /// Where `transition` leads from here, if it is allowed: draft → open → closed
    /// → completed, and archived from anywhere (which hides the campaign).
    pub fn after(self, transition: Transition) -> Option<Status> {
        match (self, transition) {
            (Status::Draft, Transition::Publish) => Some(Status::Open),
            (Status::Open, Transition::Close) => Some(Status::Closed),
            (Status::Closed, Transition::Complete) => Some(Status::Completed),
            (Status::Archived, Transition::Archive) => None,
            (_, Transition::Archive) => Some(Status::Archived),
            _ => None,
        }
    }

    /// Creators can see the campaign, so brief changes need a summary.
    pub fn is_published(self) -> bool {
        !matches!(self, Status::Draft)
    }

    /// Whether the brief may still change.
    pub fn brief_editable(self) -> bool {
        matches!(self, Status::Draft | Status::Open | Status::Closed)
    }
}

/// What a KPI's target is measured in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Count,
    /// Stored in hundredths of a percent.
    Percent,
    /// Stored in minor units of the campaign's currency.
    Money,
}

keyed_enum! {
    pub enum KpiMetric {
        Reach => ("reach", "Reach"),
        Impressions => ("impressions", "Impressions"),
        VideoViews => ("video_views", "Video views"),
        Engagements => ("engagements", "Engagements"),
        EngagementRate => ("engagement_rate", "Engagement rate (%)"),
        Clicks => ("clicks", "Clicks"),
        ClickThroughRate => ("click_through_rate", "Click-through rate (%)"),
        Conversions => ("conversions", "Conversions"),
        ConversionRate => ("conversion_rate", "Conversion rate (%)"),
        Sales => ("sales", "Sales (revenue)"),
        CostPerAcquisition => ("cost_per_acquisition", "Cost per acquisition"),
        NewFollowers => ("new_followers", "New followers"),
    }
    unknown: "Choose a metric."
}

impl KpiMetric {
    pub fn unit(self) -> Unit {
        match self {
            KpiMetric::EngagementRate | KpiMetric::ClickThroughRate | KpiMetric::ConversionRate => {
                Unit::Percent
            }
            KpiMetric::Sales | KpiMetric::CostPerAcquisition => Unit::Money,
            _ => Unit::Count,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kpi {
    pub metric: KpiMetric,
    /// In the metric's unit: see [`Unit`].
    pub target: i64,
}

impl Kpi {
    /// The target for people: "500", "4.50%", "$20.00".
    pub fn target_text(&self, currency: Currency) -> String {
        match self.metric.unit() {
            Unit::Count => display::count(self.target),
            Unit::Percent => format!("{}%", basis_points_text(self.target)),
            Unit::Money => Money::from_minor(self.target, currency).to_string(),
        }
    }

    /// The target as the form shows it: "500", "4.5", "20.00".
    pub fn target_input(&self, currency: Currency) -> String {
        match self.metric.unit() {
            Unit::Count => self.target.to_string(),
            Unit::Percent => basis_points_text(self.target),
            Unit::Money => Money::from_minor(self.target, currency).to_decimal_string(),
        }
    }
}

pub const MAX_KPIS: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignInput {
    pub title: String,
    pub business_goal: String,
    pub objective: Objective,
    pub kpis: Vec<Kpi>,
    pub budget: Money,
    pub compensation: Compensation,
    pub commission_basis_points: Option<i64>,
    pub creators_wanted: i64,
    pub eligible_tiers: Vec<Tier>,
    pub platforms: Vec<Platform>,
    pub niches: Vec<String>,
    pub countries: Vec<String>,
    pub target_audience: String,
    pub application_deadline: Date,
    pub starts_on: Date,
    pub ends_on: Date,
    /// Where the creators' tracked links lead (else the brand's website).
    pub landing_url: Option<String>,
    /// Days after a click in which an order still counts for it.
    pub attribution_window_days: i16,
}

/// The attribution windows a campaign can choose: a week, or a month.
pub const ATTRIBUTION_WINDOWS: [i16; 2] = [7, 30];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn campaigns_move_forward_one_step_at_a_time() {
        use Status::*;
        use Transition::*;
        assert_eq!(Draft.after(Publish), Some(Open));
        assert_eq!(Open.after(Close), Some(Closed));
        assert_eq!(Closed.after(Complete), Some(Completed));
        assert_eq!(Draft.after(Close), None);
        assert_eq!(Draft.after(Complete), None);
        assert_eq!(Open.after(Publish), None);
        assert_eq!(Completed.after(Close), None);
        for s in [Draft, Open, Closed, Completed] {
            assert_eq!(s.after(Archive), Some(Archived));
        }
        assert_eq!(Archived.after(Archive), None);
        assert_eq!(Archived.after(Publish), None);
    }
}
