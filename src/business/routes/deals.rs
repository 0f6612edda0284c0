//! `/business/deals`: the pipeline by stage, and deals made outside Liaison
//! (recorded and kept up to date by the creator; never in the ledger).

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use uuid::Uuid;

use super::own_profile;
use crate::{
    auth::Influencer,
    business::{
        db::{self, Deal, OutsideDeal},
        domain::{OutsideStage, Stage, hourly_rate_text, hours_text},
    },
    domain::{
        Currency, Format, Platform, date::parse_date, display::filters, money::parse_fee,
        text::single_line,
    },
    error::AppError,
    state::AppState,
    web::{
        FieldErrors, Flash, Form, Page, PageContext, Query,
        keyset::{self, Cursor},
    },
};

/// Deals a page of the pipeline lists.
const PER_PAGE: i64 = 50;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct StageQuery {
    stage: String,
    /// Where the page before ended (`web::keyset::Cursor`).
    before: String,
}

#[derive(Template)]
#[template(path = "business/deals.html")]
pub(super) struct DealsPage {
    ctx: PageContext,
    stage: Option<Stage>,
    deals: Vec<Deal>,
    /// This stage's first page, and the query string of the next page.
    first: String,
    later_page: bool,
    more: Option<String>,
}

impl DealsPage {
    fn hours(&self, minutes: &i64) -> String {
        hours_text(*minutes)
    }

    /// What an hour of the deal earned: its amount over the hours logged.
    fn per_hour(&self, d: &Deal) -> String {
        d.amount.map_or_else(
            || "—".to_owned(),
            |m| hourly_rate_text(m.minor(), d.minutes, m.currency()),
        )
    }

    fn stages(&self) -> [Stage; 8] {
        Stage::ALL
    }
}

pub(super) async fn list(
    State(state): State<AppState>,
    ctx: PageContext,
    Influencer(user): Influencer,
    Query(q, _): Query<StageQuery>,
) -> Result<Page<DealsPage>, AppError> {
    let profile = own_profile(&state, &user).await?;
    let stage = Stage::parse(&q.stage).ok();
    let before = Cursor::decode(&q.before);
    let mut deals = db::deals(&state.db, profile.id, stage, before, PER_PAGE + 1).await?;
    let (first, link) = match stage {
        Some(s) => (
            format!("/business/deals?stage={}", s.key()),
            format!("stage={}&", s.key()),
        ),
        None => ("/business/deals".to_owned(), String::new()),
    };
    let more = keyset::cut(&mut deals, PER_PAGE, |d| d.place)
        .map(|c| format!("{link}before={}", c.encode()));
    Ok(Page(DealsPage {
        ctx,
        stage,
        deals,
        first,
        later_page: before.is_some(),
        more,
    }))
}

/// The outside deal form as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(super) struct DealForm {
    brand_name: String,
    title: String,
    amount: String,
    currency: String,
    platform: String,
    format: String,
    stage: String,
    agreed_on: String,
    due_on: String,
    paid_on: String,
}

impl DealForm {
    fn of(d: &OutsideDeal) -> DealForm {
        let day = |d: Option<time::Date>| d.map(|d| d.to_string()).unwrap_or_default();
        DealForm {
            brand_name: d.brand_name.clone(),
            title: d.title.clone(),
            amount: d.amount.to_decimal_string(),
            currency: d.amount.currency().code().to_owned(),
            platform: d.platform.map(|p| p.key().to_owned()).unwrap_or_default(),
            format: d.format.map(|f| f.key().to_owned()).unwrap_or_default(),
            stage: d.stage.key().to_owned(),
            agreed_on: day(d.agreed_on),
            due_on: day(d.due_on),
            paid_on: day(d.paid_on),
        }
    }

    fn parse(&self) -> Result<OutsideDeal, FieldErrors> {
        let mut errors = FieldErrors::new();
        let brand_name = errors.check(
            "brand_name",
            single_line(&self.brand_name, "the brand", 200),
        );
        let title = errors.check(
            "title",
            single_line(&self.title, "what the deal is for", 200),
        );
        let currency = errors.check("currency", Currency::parse(&self.currency));
        let amount =
            currency.and_then(|c| errors.check("amount", parse_fee(&self.amount, c, "the amount")));
        let platform = errors
            .check("platform", optional(&self.platform, Platform::parse))
            .flatten();
        let format = errors
            .check("format", optional(&self.format, Format::parse))
            .flatten();
        let stage = errors.check("stage", OutsideStage::parse(&self.stage));
        let date = |typed: &str, what: &'static str| {
            if typed.trim().is_empty() {
                Ok(None)
            } else {
                parse_date(typed, what).map(Some)
            }
        };
        let agreed_on = errors
            .check("agreed_on", date(&self.agreed_on, "the day it was agreed"))
            .flatten();
        let due_on = errors
            .check("due_on", date(&self.due_on, "the due date"))
            .flatten();
        let paid_on = errors
            .check("paid_on", date(&self.paid_on, "the day it was paid"))
            .flatten();
        if let (Some(agreed), Some(due)) = (agreed_on, due_on)
            && due < agreed
        {
            errors.add("due_on", "The due date comes before the day it was agreed.");
        }
        match (stage, paid_on) {
            (Some(OutsideStage::Paid), None) => errors.add(
                "paid_on",
                "Enter the day it was paid: it counts in that month's income.",
            ),
            (Some(s), Some(_)) if s != OutsideStage::Paid => errors.add(
                "paid_on",
                "Only a paid deal has a payment date: choose “Paid”, or leave the date empty.",
            ),
            _ => {}
        }
        match (brand_name, title, amount, stage) {
            (Some(brand_name), Some(title), Some(amount), Some(stage)) if errors.is_empty() => {
                Ok(OutsideDeal {
                    id: Uuid::nil(),
                    brand_name,
                    title,
                    amount,
                    platform,
                    format,
                    stage,
                    agreed_on,
                    due_on,
                    paid_on,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A choice that may be left empty.
fn optional<T>(typed: &str, parse: fn(&str) -> Result<T, String>) -> Result<Option<T>, String> {
    if typed.trim().is_empty() {
        Ok(None)
    } else {
        parse(typed).map(Some)
    }
}

#[derive(Template)]
#[template(path = "business/deal_form.html")]
pub(super) struct DealFormPage {
    ctx: PageContext,
    /// The deal being changed; `None` for a new one.
    id: Option<Uuid>,
    form: DealForm,
    errors: FieldErrors,
}

impl DealFormPage {
    fn currencies(&self) -> [Currency; 10] {
        Currency::ALL
    }

    fn platforms(&self) -> [Platform; 9] {
        Platform::ALL
    }

    fn formats(&self) -> [Format; 7] {
        Format::ALL
    }

    fn stages(&self) -> [OutsideStage; 6] {
        OutsideStage::ALL
    }
}

pub(super) async fn new(
    State(state): State<AppState>,
    ctx: PageContext,
    Influencer(user): Influencer,
) -> Result<Page<DealFormPage>, AppError> {
    own_profile(&state, &user).await?;
    Ok(Page(DealFormPage {
        ctx,
        id: None,
        form: DealForm {
            currency: Currency::default().code().to_owned(),
            stage: OutsideStage::Agreed.key().to_owned(),
            ..DealForm::default()
        },
        errors: FieldErrors::new(),
    }))
}

pub(super) async fn edit(
    State(state): State<AppState>,
    ctx: PageContext,
    Influencer(user): Influencer,
    Path(id): Path<Uuid>,
) -> Result<Page<DealFormPage>, AppError> {
    let profile = own_profile(&state, &user).await?;
    let deal = db::outside_deal(&state.db, profile.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Page(DealFormPage {
        ctx,
        id: Some(id),
        form: DealForm::of(&deal),
        errors: FieldErrors::new(),
    }))
}

pub(super) async fn create(
    State(state): State<AppState>,
    ctx: PageContext,
    Influencer(user): Influencer,
    form: Form<DealForm>,
) -> Result<Response, AppError> {
    save(state, ctx, user, None, form).await
}

pub(super) async fn update(
    State(state): State<AppState>,
    ctx: PageContext,
    Influencer(user): Influencer,
    Path(id): Path<Uuid>,
    form: Form<DealForm>,
) -> Result<Response, AppError> {
    save(state, ctx, user, Some(id), form).await
}

async fn save(
    state: AppState,
    ctx: PageContext,
    user: crate::auth::CurrentUser,
    id: Option<Uuid>,
    Form(form, unread): Form<DealForm>,
) -> Result<Response, AppError> {
    let profile = own_profile(&state, &user).await?;
    if let Some(id) = id {
        db::outside_deal(&state.db, profile.id, id)
            .await?
            .ok_or(AppError::NotFound)?;
    }
    let deal = match unread.and(form.parse()) {
        Ok(deal) => deal,
        Err(errors) => {
            let status = errors.status();
            let page = DealFormPage {
                ctx,
                id,
                form,
                errors,
            };
            return Ok((status, Page(page)).into_response());
        }
    };
    if !db::save_outside_deal(&state.db, profile.id, id, &deal).await? {
        return Err(AppError::NotFound);
    }
    let message = match id {
        None => format!(
            "Recorded “{}” with {}: it is on your desk, never in Liaison's ledger.",
            deal.title, deal.brand_name
        ),
        Some(_) => format!("Saved “{}”.", deal.title),
    };
    Ok(Flash::success(message).redirect_to(&format!(
        "/business/deals?stage={}",
        deal.stage.stage().key()
    )))
}
