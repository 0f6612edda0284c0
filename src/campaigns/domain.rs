//! A campaign's goals, expectations and audience, parsed from the form once.

use serde::Deserialize;
use time::Date;

use crate::{
    domain::{
        Currency, Money, Platform, Tier,
        date::parse_date,
        display, keyed_enum,
        number::{basis_points_text, parse_count, parse_percent},
        text::{bounded_text, comma_list, country_code, niches, required_text, single_line},
    },
    web::FieldErrors,
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
}

/// The campaign form as typed; repeated fields (`kpi_metric`, `eligible_tiers`,
/// ...) arrive as lists.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct CampaignForm {
    pub title: String,
    pub business_goal: String,
    pub objective: String,
    pub kpi_metric: Vec<String>,
    pub kpi_target: Vec<String>,
    pub budget: String,
    pub currency: String,
    pub compensation: String,
    pub commission_percent: String,
    pub creators_wanted: String,
    pub eligible_tiers: Vec<String>,
    pub platforms: Vec<String>,
    pub niches: String,
    pub countries: String,
    pub target_audience: String,
    pub application_deadline: String,
    pub starts_on: String,
    pub ends_on: String,
}

impl CampaignForm {
    /// Parses the form; `today` decides what counts as a past deadline.
    pub fn parse(&self, today: Date) -> Result<CampaignInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = e.check(
            "title",
            single_line(&self.title, "a title", 140).and_then(|t| {
                if t.chars().count() < 3 {
                    Err("Use a title of at least 3 characters.".to_owned())
                } else {
                    Ok(t)
                }
            }),
        );
        let business_goal = e.check(
            "business_goal",
            required_text(
                &self.business_goal,
                "the business goal",
                3000,
                "Say what the business needs from this campaign, and why.",
            ),
        );
        let objective = e.check("objective", Objective::parse(&self.objective));
        let currency = e.check("currency", Currency::parse(&self.currency));
        let budget = currency.and_then(|c| {
            e.check(
                "budget",
                Money::parse_decimal(&self.budget, c).and_then(|m| {
                    if m.minor() > 0 {
                        Ok(m)
                    } else {
                        Err("Enter a budget above zero.".to_owned())
                    }
                }),
            )
        });
        let kpis = e.check("kpis", self.parse_kpis(currency));
        let compensation = e.check("compensation", Compensation::parse(&self.compensation));
        let commission = match compensation {
            Some(Compensation::Affiliate) => e
                .check(
                    "commission_percent",
                    parse_percent(&self.commission_percent),
                )
                .map(Some),
            Some(Compensation::Hybrid) if !self.commission_percent.trim().is_empty() => e
                .check(
                    "commission_percent",
                    parse_percent(&self.commission_percent),
                )
                .map(Some),
            _ => Some(None),
        };
        let creators_wanted = e.check(
            "creators_wanted",
            parse_count(&self.creators_wanted, "the number of creators", 1000),
        );
        let eligible_tiers = e.check(
            "eligible_tiers",
            parse_set(
                &self.eligible_tiers,
                Tier::parse,
                "Choose at least one tier.",
            )
            .and_then(|tiers| {
                if tiers.contains(&Tier::Emerging) {
                    Err("Campaigns target nano creators and up.".to_owned())
                } else {
                    Ok(tiers)
                }
            }),
        );
        let platforms = e.check(
            "platforms",
            parse_set(
                &self.platforms,
                Platform::parse,
                "Choose at least one platform.",
            ),
        );
        let niches = e.check("niches", niches(&self.niches));
        let countries = e.check("countries", {
            comma_list(&self.countries)
                .iter()
                .map(|c| country_code(c))
                .collect::<Result<Vec<_>, _>>()
                .and_then(|countries| {
                    if countries.len() > 30 {
                        Err("List at most 30 countries.".to_owned())
                    } else {
                        Ok(countries)
                    }
                })
        });
        let target_audience = e.check(
            "target_audience",
            bounded_text(&self.target_audience, "the target audience", 2000),
        );
        let deadline = e.check(
            "application_deadline",
            parse_date(&self.application_deadline, "the application deadline").and_then(|d| {
                if d < today {
                    Err(
                        "The application deadline has passed: choose today or a later date."
                            .to_owned(),
                    )
                } else {
                    Ok(d)
                }
            }),
        );
        let starts_on = e.check("starts_on", parse_date(&self.starts_on, "the start date"));
        let ends_on = e.check("ends_on", parse_date(&self.ends_on, "the end date"));
        if let (Some(start), Some(end)) = (starts_on, ends_on)
            && end < start
        {
            e.add(
                "ends_on",
                "The campaign must end on or after its start date.",
            );
        }
        if let (Some(deadline), Some(start)) = (deadline, starts_on)
            && deadline > start
        {
            e.add(
                "application_deadline",
                "Applications must close on or before the start date.",
            );
        }

        match (
            title,
            business_goal,
            objective,
            kpis,
            budget,
            compensation,
            commission,
            creators_wanted,
        ) {
            (
                Some(title),
                Some(business_goal),
                Some(objective),
                Some(kpis),
                Some(budget),
                Some(compensation),
                Some(commission_basis_points),
                Some(creators_wanted),
            ) if e.is_empty() => Ok(CampaignInput {
                title,
                business_goal,
                objective,
                kpis,
                budget,
                compensation,
                commission_basis_points,
                creators_wanted,
                eligible_tiers: eligible_tiers.unwrap_or_default(),
                platforms: platforms.unwrap_or_default(),
                niches: niches.unwrap_or_default(),
                countries: countries.unwrap_or_default(),
                target_audience: target_audience.unwrap_or_default(),
                application_deadline: deadline.unwrap_or(today),
                starts_on: starts_on.unwrap_or(today),
                ends_on: ends_on.unwrap_or(today),
            }),
            _ => Err(e),
        }
    }

    fn parse_kpis(&self, currency: Option<Currency>) -> Result<Vec<Kpi>, String> {
        let mut kpis = Vec::new();
        let rows = self.kpi_metric.len().max(self.kpi_target.len());
        for i in 0..rows {
            let metric = self
                .kpi_metric
                .get(i)
                .map(String::as_str)
                .unwrap_or("")
                .trim();
            let target = self
                .kpi_target
                .get(i)
                .map(String::as_str)
                .unwrap_or("")
                .trim();
            if metric.is_empty() && target.is_empty() {
                continue;
            }
            let n = i + 1;
            let metric = KpiMetric::parse(metric).map_err(|m| format!("KPI {n}: {m}"))?;
            let target = match metric.unit() {
                Unit::Count => parse_count(target, "a target", 1_000_000_000_000),
                Unit::Percent => parse_percent(target),
                Unit::Money => match currency {
                    Some(c) => Money::parse_decimal(target, c).and_then(|m| {
                        if m.minor() > 0 {
                            Ok(m.minor())
                        } else {
                            Err("Enter a target above zero.".to_owned())
                        }
                    }),
                    None => Err("Choose the campaign's currency first.".to_owned()),
                },
            }
            .map_err(|m| format!("KPI {n} ({}): {m}", metric.label()))?;
            kpis.push(Kpi { metric, target });
        }
        if kpis.is_empty() {
            return Err(
                "Add at least one KPI: a metric and the target you'll judge the campaign by."
                    .to_owned(),
            );
        }
        if kpis.len() > MAX_KPIS {
            return Err(format!("Keep to {MAX_KPIS} KPIs or fewer."));
        }
        Ok(kpis)
    }
}

/// Parses repeated checkbox values into a set, in the order of first appearance.
fn parse_set<T: PartialEq>(
    values: &[String],
    parse: impl Fn(&str) -> Result<T, String>,
    none: &str,
) -> Result<Vec<T>, String> {
    let mut out = Vec::new();
    for v in values.iter().filter(|v| !v.trim().is_empty()) {
        let item = parse(v)?;
        if !out.contains(&item) {
            out.push(item);
        }
    }
    if out.is_empty() {
        Err(none.to_owned())
    } else {
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 25);

    fn form() -> CampaignForm {
        CampaignForm {
            title: "Autumn jackets".into(),
            business_goal: "Sell the range.".into(),
            objective: "conversion".into(),
            kpi_metric: vec!["conversions".into(), "engagement_rate".into(), "".into()],
            kpi_target: vec!["1,500".into(), "4.5".into(), "".into()],
            budget: "12,500.00".into(),
            currency: "EUR".into(),
            compensation: "hybrid".into(),
            commission_percent: "7.5".into(),
            creators_wanted: "8".into(),
            eligible_tiers: vec!["micro".into(), "mid".into(), "micro".into()],
            platforms: vec!["instagram".into()],
            niches: "hiking, Hiking, camping".into(),
            countries: "de, at".into(),
            target_audience: String::new(),
            application_deadline: "2026-11-25".into(),
            starts_on: "2026-12-01".into(),
            ends_on: "2026-12-31".into(),
        }
    }

    #[test]
    fn a_complete_form_parses_into_typed_values() {
        let c = form().parse(TODAY).expect("valid");
        assert_eq!(c.budget, Money::from_minor(1_250_000, Currency::Eur));
        assert_eq!(c.commission_basis_points, Some(750));
        assert_eq!(
            c.kpis,
            vec![
                Kpi {
                    metric: KpiMetric::Conversions,
                    target: 1500
                },
                Kpi {
                    metric: KpiMetric::EngagementRate,
                    target: 450
                },
            ]
        );
        assert_eq!(
            c.eligible_tiers,
            vec![Tier::Micro, Tier::Mid],
            "repeats dropped"
        );
        assert_eq!(c.niches, vec!["hiking".to_owned(), "camping".to_owned()]);
        assert_eq!(c.countries, vec!["DE".to_owned(), "AT".to_owned()]);
    }

    #[test]
    fn a_deadline_today_is_fine_but_yesterday_is_past() {
        assert!(form().parse(TODAY).is_ok());
        let errors = form()
            .parse(TODAY + time::Duration::days(1))
            .expect_err("past");
        assert!(errors.get("application_deadline").is_some());
    }

    #[test]
    fn commission_is_required_for_affiliate_pay_only() {
        let affiliate = CampaignForm {
            compensation: "affiliate".into(),
            commission_percent: String::new(),
            ..form()
        };
        assert!(
            affiliate
                .parse(TODAY)
                .expect_err("needs commission")
                .get("commission_percent")
                .is_some()
        );
        let flat = CampaignForm {
            compensation: "flat_fee".into(),
            commission_percent: "5".into(),
            ..form()
        };
        assert_eq!(
            flat.parse(TODAY).expect("valid").commission_basis_points,
            None
        );
    }

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

    #[test]
    fn emerging_creators_and_unknown_platforms_are_refused() {
        let f = CampaignForm {
            eligible_tiers: vec!["emerging".into()],
            platforms: vec!["myspace".into()],
            ..form()
        };
        let errors = f.parse(TODAY).expect_err("invalid");
        assert!(errors.get("eligible_tiers").is_some());
        assert!(errors.get("platforms").is_some());
    }
}
