//! The reports as pages and CSV: a brand's across its campaigns (`/results`),
//! one campaign's (`/campaigns/{id}/results`), and the agency's across every
//! brand (`/admin/results`), each with results by tier.

use askama::Template;
use axum::{
    Extension, Router,
    extract::{Path, State},
    response::Response,
    routing::{get, post},
};
use std::sync::Arc;

use serde::Deserialize;
use uuid::Uuid;

use super::{
    agency::{self, AgencyReport},
    chart::{Chart, charts},
    db::{self, CollaborationResult, Scope},
    metrics::{Ratio, Totals},
    snapshot,
    tiers::{TierReport, Unit, by_tier},
};
use crate::{
    auth::{Admin, BrandMember, Viewer},
    campaigns::db as campaigns_db,
    domain::{Currency, display::filters, text::spreadsheet_cell},
    error::AppError,
    state::AppState,
    web::{Flash, Page, PageContext, Query, render::Download},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/results", get(brand))
        .route("/results/collaborations.csv", get(brand_collaborations_csv))
        .route("/results/tiers.csv", get(brand_tiers_csv))
        .route("/campaigns/{id}/results", get(campaign))
        .route("/campaigns/{id}/results.csv", get(campaign_csv))
        .route("/admin/results", get(agency))
        .route("/admin/results/refresh", post(refresh))
        .route("/admin/results/tiers.csv", get(agency_tiers_csv))
        .route("/admin/results/brands.csv", get(agency_brands_csv))
        .layer(Extension(Arc::new(agency::Cache::default())))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CurrencyQuery {
    currency: String,
}

/// The currencies the results are in, the one with most spend first, and the
/// one to show.
fn currencies(results: &[CollaborationResult], asked: &str) -> (Vec<Currency>, Currency) {
    let mut spend: Vec<(Currency, i64)> = Vec::new();
    for r in results {
        match spend.iter_mut().find(|(c, _)| *c == r.totals.currency) {
            Some((_, s)) => *s += r.totals.spend_minor,
            None => spend.push((r.totals.currency, r.totals.spend_minor)),
        }
    }
    spend.sort_by_key(|(_, s)| std::cmp::Reverse(*s));
    let list: Vec<Currency> = spend.into_iter().map(|(c, _)| c).collect();
    let chosen = agency::choose(&list, asked);
    (list, chosen)
}

fn units(results: &[CollaborationResult]) -> Vec<Unit> {
    results.iter().map(|r| (r.tier, r.totals)).collect()
}

/// What the brand's and the agency's pages both show of their results: the
/// currency shown, the others there are, the totals and the tier report.
struct Overview {
    currency: Currency,
    currencies: Vec<Currency>,
    totals: Totals,
    tiers: TierReport,
}

fn overview(results: &[CollaborationResult], asked: &str) -> Overview {
    let (currencies, currency) = currencies(results, asked);
    Overview {
        currency,
        currencies,
        totals: sum(results, currency),
        tiers: by_tier(&units(results), currency),
    }
}

fn sum<'a>(
    results: impl IntoIterator<Item = &'a CollaborationResult>,
    currency: Currency,
) -> Totals {
    let mut t = Totals::zero(currency);
    for r in results {
        if r.totals.currency == currency {
            t.add(&r.totals);
        }
    }
    t
}

/// Groups results by a key (a campaign, a brand), in the order first seen.
fn group_by<K: PartialEq + Clone>(
    results: &[CollaborationResult],
    currency: Currency,
    key: impl Fn(&CollaborationResult) -> (K, String),
) -> Vec<(K, String, Totals)> {
    let mut groups: Vec<(K, String, Totals)> = Vec::new();
    for r in results.iter().filter(|r| r.totals.currency == currency) {
        let (k, name) = key(r);
        match groups.iter_mut().find(|(g, _, _)| *g == k) {
            Some((_, _, t)) => t.add(&r.totals),
            None => groups.push((k, name, r.totals)),
        }
    }
    groups
}

#[derive(Template)]
#[template(path = "reports/brand.html")]
struct BrandPage {
    ctx: PageContext,
    brand_name: String,
    currency: Currency,
    currencies: Vec<Currency>,
    totals: Totals,
    ratios: Vec<Ratio>,
    campaigns: Vec<(Uuid, String, Totals)>,
    tiers: TierReport,
    charts: Vec<Chart>,
}

async fn brand(
    State(state): State<AppState>,
    ctx: PageContext,
    member: BrandMember,
    Query(query, unread): Query<CurrencyQuery>,
) -> Result<Page<BrandPage>, AppError> {
    unread.or_refuse()?;
    let results = db::collaborations(&state.db, Scope::Brand(member.brand.brand_id)).await?;
    let Overview {
        currency,
        currencies,
        totals,
        tiers,
    } = overview(&results, &query.currency);
    Ok(Page(BrandPage {
        ctx,
        brand_name: member.brand.brand_name.clone(),
        currency,
        currencies,
        ratios: totals.ratios(),
        totals,
        campaigns: group_by(&results, currency, |r| {
            (r.campaign_id, r.campaign_title.clone())
        }),
        charts: charts(&tiers),
        tiers,
    }))
}

#[derive(Template)]
#[template(path = "reports/campaign.html")]
struct CampaignPage {
    ctx: PageContext,
    campaign_id: Uuid,
    title: String,
    totals: Totals,
    ratios: Vec<Ratio>,
    collaborations: Vec<CollaborationResult>,
}

async fn campaign(
    State(state): State<AppState>,
    ctx: PageContext,
    member: BrandMember,
    Path(id): Path<Uuid>,
) -> Result<Page<CampaignPage>, AppError> {
    let brand = member.brand.brand_id;
    let c = campaigns_db::find(&state.db, Viewer::Brand(brand), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let collaborations = db::collaborations(
        &state.db,
        Scope::Campaign {
            brand,
            campaign: id,
        },
    )
    .await?;
    let totals = sum(&collaborations, c.budget.currency());
    Ok(Page(CampaignPage {
        ctx,
        campaign_id: id,
        title: c.title,
        ratios: totals.ratios(),
        totals,
        collaborations,
    }))
}

#[derive(Template)]
#[template(path = "reports/agency.html")]
struct AgencyPage {
    ctx: PageContext,
    report: Arc<AgencyReport>,
    ratios: Vec<Ratio>,
    charts: Vec<Chart>,
}

impl AgencyPage {
    fn some_brands_left_out(&self) -> bool {
        self.report.brand_count > self.report.brands.len() as i64
    }
}

/// The agency's report, from the snapshot of every collaboration's results.
async fn agency(
    State(state): State<AppState>,
    Extension(cache): Extension<Arc<agency::Cache>>,
    ctx: PageContext,
    _admin: Admin,
    Query(query, unread): Query<CurrencyQuery>,
) -> Result<Page<AgencyPage>, AppError> {
    unread.or_refuse()?;
    let report = cache.report(&state.db, &query.currency).await?;
    Ok(Page(AgencyPage {
        ctx,
        ratios: report.totals.ratios(),
        charts: charts(&report.tiers),
        report,
    }))
}

/// Takes the snapshot again now, for an admin who wants the latest figures.
async fn refresh(
    State(state): State<AppState>,
    _admin: Admin,
    Query(query, unread): Query<CurrencyQuery>,
) -> Result<Response, AppError> {
    unread.or_refuse()?;
    let back = match Currency::parse(&query.currency) {
        Ok(c) => format!("/admin/results?currency={}", c.code()),
        Err(_) => "/admin/results".to_owned(),
    };
    let message = if snapshot::refresh(&state.db).await? {
        "The figures are up to date."
    } else {
        "The figures are being brought up to date already: reload this page in a moment."
    };
    Ok(Flash::success(message).redirect_to(&back))
}

const FIGURE_COLUMNS: [&str; 15] = [
    "currency",
    "spend",
    "impressions",
    "engagements",
    "clicks",
    "unique_clicks",
    "conversions",
    "revenue",
    "cpm",
    "cpe",
    "cpc",
    "cpa",
    "conversion_rate_percent",
    "engagement_rate_percent",
    "return_on_spend",
];

fn figures(t: &Totals) -> Vec<String> {
    let money =
        |m: Option<crate::domain::Money>| m.map(|m| m.to_decimal_string()).unwrap_or_default();
    let percent = |ppm: Option<i64>| {
        ppm.map(|p| format!("{:.4}", p as f64 / 10_000.0))
            .unwrap_or_default()
    };
    vec![
        t.currency.code().to_owned(),
        t.spend().to_decimal_string(),
        t.impressions.to_string(),
        t.engagements.to_string(),
        t.clicks.to_string(),
        t.unique_clicks.to_string(),
        t.conversions.to_string(),
        t.revenue().to_decimal_string(),
        money(t.cpm()),
        money(t.cpe()),
        money(t.cpc()),
        money(t.cpa()),
        percent(t.conversion_rate_ppm()),
        percent(t.engagement_rate_ppm()),
        t.return_on_spend_hundredths()
            .map(|h| format!("{}.{:02}", h / 100, h % 100))
            .unwrap_or_default(),
    ]
}

fn write_csv(
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<Vec<u8>, AppError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| AppError::Internal(e.into());
    out.write_record(header).map_err(fail)?;
    for row in rows {
        out.write_record(row.iter().map(|c| spreadsheet_cell(c)))
            .map_err(fail)?;
    }
    out.into_inner()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("writing CSV: {}", e.error())))
}

fn collaborations_csv(results: &[CollaborationResult]) -> Result<Vec<u8>, AppError> {
    let mut header = vec!["campaign", "creator", "tier", "ended"];
    header.extend(FIGURE_COLUMNS);
    write_csv(
        &header,
        results.iter().map(|r| {
            let mut row = vec![
                r.campaign_title.clone(),
                r.creator.clone(),
                r.tier.map(|t| t.key().to_owned()).unwrap_or_default(),
                r.ended.to_string(),
            ];
            row.extend(figures(&r.totals));
            row
        }),
    )
}

fn tiers_csv(report: &TierReport) -> Result<Vec<u8>, AppError> {
    let mut header = vec!["tier", "collaborations"];
    header.extend(FIGURE_COLUMNS);
    header.extend([
        "cpa_low_95",
        "cpa_high_95",
        "conversion_rate_low_95",
        "conversion_rate_high_95",
        "cpe_low_95",
        "cpe_high_95",
        "engagement_rate_low_95",
        "engagement_rate_high_95",
    ]);
    let pct = |ppm: i64| format!("{:.4}", ppm as f64 / 10_000.0);
    write_csv(
        &header,
        report.rows.iter().map(|r| {
            let mut row = vec![r.tier.key().to_owned(), r.totals.collaborations.to_string()];
            row.extend(figures(&r.totals));
            let cost = |c: Option<super::tiers::CostEstimate>| match c.and_then(|c| c.interval) {
                Some((low, high)) => [
                    low.to_decimal_string(),
                    high.map(|h| h.to_decimal_string()).unwrap_or_default(),
                ],
                None => [String::new(), String::new()],
            };
            let rate = |e: Option<super::tiers::RateEstimate>| match e {
                Some(e) => [pct(e.low_ppm), pct(e.high_ppm)],
                None => [String::new(), String::new()],
            };
            row.extend(cost(r.cpa));
            row.extend(rate(r.conversion_rate));
            row.extend(cost(r.cpe));
            row.extend(rate(r.engagement_rate));
            row
        }),
    )
}

async fn brand_collaborations_csv(
    State(state): State<AppState>,
    member: BrandMember,
) -> Result<Download, AppError> {
    let results = db::collaborations(&state.db, Scope::Brand(member.brand.brand_id)).await?;
    Ok(Download::csv(
        "results-by-collaboration.csv",
        collaborations_csv(&results)?,
    ))
}

async fn brand_tiers_csv(
    State(state): State<AppState>,
    member: BrandMember,
    Query(query, unread): Query<CurrencyQuery>,
) -> Result<Download, AppError> {
    unread.or_refuse()?;
    let results = db::collaborations(&state.db, Scope::Brand(member.brand.brand_id)).await?;
    let (_, currency) = currencies(&results, &query.currency);
    Ok(Download::csv(
        format!("results-by-tier-{}.csv", currency.code().to_lowercase()),
        tiers_csv(&by_tier(&units(&results), currency))?,
    ))
}

async fn campaign_csv(
    State(state): State<AppState>,
    member: BrandMember,
    Path(id): Path<Uuid>,
) -> Result<Download, AppError> {
    let brand = member.brand.brand_id;
    campaigns_db::find(&state.db, Viewer::Brand(brand), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let results = db::collaborations(
        &state.db,
        Scope::Campaign {
            brand,
            campaign: id,
        },
    )
    .await?;
    Ok(Download::csv(
        "campaign-results.csv",
        collaborations_csv(&results)?,
    ))
}

async fn agency_tiers_csv(
    State(state): State<AppState>,
    Extension(cache): Extension<Arc<agency::Cache>>,
    _admin: Admin,
    Query(query, unread): Query<CurrencyQuery>,
) -> Result<Download, AppError> {
    unread.or_refuse()?;
    let report = cache.report(&state.db, &query.currency).await?;
    Ok(Download::csv(
        format!(
            "agency-results-by-tier-{}.csv",
            report.currency.code().to_lowercase()
        ),
        tiers_csv(&report.tiers)?,
    ))
}

async fn agency_brands_csv(
    State(state): State<AppState>,
    _admin: Admin,
    Query(query, unread): Query<CurrencyQuery>,
) -> Result<Download, AppError> {
    unread.or_refuse()?;
    let currency = agency::choose(&snapshot::currencies(&state.db).await?, &query.currency);
    let mut header = vec!["brand", "collaborations"];
    header.extend(FIGURE_COLUMNS);
    let rows = snapshot::brands(&state.db, currency, None)
        .await?
        .into_iter()
        .map(|b| {
            let mut row = vec![b.name, b.totals.collaborations.to_string()];
            row.extend(figures(&b.totals));
            row
        });
    Ok(Download::csv(
        format!(
            "agency-results-by-brand-{}.csv",
            currency.code().to_lowercase()
        ),
        write_csv(&header, rows)?,
    ))
}
