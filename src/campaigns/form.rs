//! The campaign form as typed, parsed once into a [`CampaignInput`]: its goals,
//! what it offers, who it is for and its dates. Each part reports its own
//! fields' errors, so the form comes back with every message at once.

use serde::Deserialize;
use time::Date;

use super::domain::{
    ATTRIBUTION_WINDOWS, CampaignInput, Compensation, Kpi, KpiMetric, MAX_KPIS, Objective, Unit,
};
use crate::{
    domain::{
        Currency, Money, Platform, Tier,
        date::parse_date,
        link::http_url_within,
        number::{parse_count, parse_percent},
        text::{bounded_text, comma_list, country_code, niches, required_text, single_line},
    },
    web::FieldErrors,
};

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
    pub landing_url: String,
    pub attribution_window: String,
}

struct Goals {
    title: String,
    business_goal: String,
    objective: Objective,
    kpis: Vec<Kpi>,
}

struct Offer {
    budget: Money,
    compensation: Compensation,
    commission_basis_points: Option<i64>,
    creators_wanted: i64,
}

struct Audience {
    eligible_tiers: Vec<Tier>,
    platforms: Vec<Platform>,
    niches: Vec<String>,
    countries: Vec<String>,
    target_audience: String,
}

struct Tracking {
    landing_url: Option<String>,
    attribution_window_days: i16,
}

struct Dates {
    application_deadline: Date,
    starts_on: Date,
    ends_on: Date,
}

impl CampaignForm {
    /// Parses the form; `today` decides what counts as a past deadline.
    pub fn parse(&self, today: Date) -> Result<CampaignInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let currency = e.check("currency", Currency::parse(&self.currency));
        let goals = self.goals(&mut e, currency);
        let offer = self.offer(&mut e, currency);
        let audience = self.audience(&mut e);
        let dates = self.dates(&mut e, today);
        let tracking = self.tracking(&mut e);
        match (goals, offer, audience, dates, tracking) {
            (Some(g), Some(o), Some(a), Some(d), Some(t)) if e.is_empty() => Ok(CampaignInput {
                title: g.title,
                business_goal: g.business_goal,
                objective: g.objective,
                kpis: g.kpis,
                budget: o.budget,
                compensation: o.compensation,
                commission_basis_points: o.commission_basis_points,
                creators_wanted: o.creators_wanted,
                eligible_tiers: a.eligible_tiers,
                platforms: a.platforms,
                niches: a.niches,
                countries: a.countries,
                target_audience: a.target_audience,
                application_deadline: d.application_deadline,
                starts_on: d.starts_on,
                ends_on: d.ends_on,
                landing_url: t.landing_url,
                attribution_window_days: t.attribution_window_days,
            }),
            _ => Err(e),
        }
    }

    /// What the business needs: the title, the goal, the objective and the KPIs
    /// it will be judged by (money targets in the campaign's currency).
    fn goals(&self, e: &mut FieldErrors, currency: Option<Currency>) -> Option<Goals> {
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
        let kpis = e.check("kpis", self.parse_kpis(currency));
        Some(Goals {
            title: title?,
            business_goal: business_goal?,
            objective: objective?,
            kpis: kpis?,
        })
    }

    /// What the brand offers: the budget, how creators are paid and how many
    /// are wanted. Commission is required for affiliate pay, optional for hybrid.
    fn offer(&self, e: &mut FieldErrors, currency: Option<Currency>) -> Option<Offer> {
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
        Some(Offer {
            budget: budget?,
            compensation: compensation?,
            commission_basis_points: commission?,
            creators_wanted: creators_wanted?,
        })
    }

    /// Who it is for: tiers from nano up, platforms, niches and countries.
    fn audience(&self, e: &mut FieldErrors) -> Option<Audience> {
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
        Some(Audience {
            eligible_tiers: eligible_tiers?,
            platforms: platforms?,
            niches: niches?,
            countries: countries?,
            target_audience: target_audience?,
        })
    }

    /// Applications close today or later, on or before the start; the campaign
    /// ends on or after it starts.
    /// Where the creators' links lead, and how long after a click an order
    /// still counts for it (a month unless the brand says a week).
    fn tracking(&self, e: &mut FieldErrors) -> Option<Tracking> {
        let landing_url = e.check(
            "landing_url",
            http_url_within(&self.landing_url, "the landing page", true, 2000),
        );
        let window = match self.attribution_window.trim() {
            "" => Ok(30),
            typed => typed
                .parse::<i16>()
                .ok()
                .filter(|d| ATTRIBUTION_WINDOWS.contains(d))
                .ok_or_else(|| "Choose 7 or 30 days.".to_owned()),
        };
        let attribution_window_days = e.check("attribution_window", window);
        Some(Tracking {
            landing_url: Some(landing_url?).filter(|u| !u.is_empty()),
            attribution_window_days: attribution_window_days?,
        })
    }

    fn dates(&self, e: &mut FieldErrors, today: Date) -> Option<Dates> {
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
        Some(Dates {
            application_deadline: deadline?,
            starts_on: starts_on?,
            ends_on: ends_on?,
        })
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
    use time::macros::date;

    use super::*;

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
            landing_url: "https://shop.example/jackets?src=liaison".into(),
            attribution_window: String::new(),
        }
    }

    #[test]
    fn the_landing_page_is_an_address_and_the_window_a_week_or_a_month() {
        let c = form().parse(TODAY).expect("valid");
        assert_eq!(
            c.landing_url.as_deref(),
            Some("https://shop.example/jackets?src=liaison")
        );
        assert_eq!(c.attribution_window_days, 30);
        let none = CampaignForm {
            landing_url: "  ".into(),
            attribution_window: "7".into(),
            ..form()
        }
        .parse(TODAY)
        .expect("valid");
        assert_eq!((none.landing_url, none.attribution_window_days), (None, 7));
        let bad = CampaignForm {
            landing_url: "javascript:alert(1)".into(),
            attribution_window: "14".into(),
            ..form()
        }
        .parse(TODAY)
        .expect_err("refused");
        assert!(bad.get("landing_url").is_some());
        assert_eq!(bad.get("attribution_window"), Some("Choose 7 or 30 days."));
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
