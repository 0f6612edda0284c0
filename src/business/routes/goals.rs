//! `/business/goals`: a monthly income goal and a weekly hours cap, shown as
//! progress on the desk and the dashboard.

use askama::Template;
use axum::{
    extract::State,
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use super::own_profile;
use crate::{
    auth::Influencer,
    business::db::{self, Goals},
    domain::{Currency, money::parse_fee, number::whole_number},
    error::AppError,
    state::AppState,
    web::{FieldErrors, Flash, Form, Page, PageContext},
};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(super) struct GoalsForm {
    monthly_income: String,
    currency: String,
    weekly_hours_cap: String,
}

impl GoalsForm {
    fn of(g: &Goals) -> GoalsForm {
        GoalsForm {
            monthly_income: g
                .monthly_income
                .map(|m| m.to_decimal_string())
                .unwrap_or_default(),
            currency: g
                .monthly_income
                .map_or(Currency::default(), |m| m.currency())
                .code()
                .to_owned(),
            weekly_hours_cap: g
                .weekly_hours_cap
                .map(|h| h.to_string())
                .unwrap_or_default(),
        }
    }

    /// Either may be left empty (no goal); what is given must be sound.
    fn parse(&self) -> Result<(Currency, Goals), FieldErrors> {
        let mut errors = FieldErrors::new();
        let currency = errors.check("currency", Currency::parse(&self.currency));
        let monthly_income = match currency {
            Some(c) if !self.monthly_income.trim().is_empty() => errors.check(
                "monthly_income",
                parse_fee(&self.monthly_income, c, "your monthly goal"),
            ),
            _ => None,
        };
        let weekly_hours_cap = if self.weekly_hours_cap.trim().is_empty() {
            None
        } else {
            errors.check(
                "weekly_hours_cap",
                whole_number(&self.weekly_hours_cap, "your weekly cap", 1_i16, 100),
            )
        };
        match currency {
            Some(c) if errors.is_empty() => Ok((
                c,
                Goals {
                    monthly_income,
                    weekly_hours_cap,
                },
            )),
            _ => Err(errors),
        }
    }
}

#[derive(Template)]
#[template(path = "business/goals.html")]
pub(super) struct GoalsPage {
    ctx: PageContext,
    form: GoalsForm,
    errors: FieldErrors,
}

impl GoalsPage {
    fn currencies(&self) -> [Currency; 10] {
        Currency::ALL
    }
}

pub(super) async fn show(
    State(state): State<AppState>,
    ctx: PageContext,
    Influencer(user): Influencer,
) -> Result<Page<GoalsPage>, AppError> {
    let profile = own_profile(&state, &user).await?;
    let goals = db::goals(&state.db, profile.id).await?;
    Ok(Page(GoalsPage {
        ctx,
        form: GoalsForm::of(&goals),
        errors: FieldErrors::new(),
    }))
}

pub(super) async fn save(
    State(state): State<AppState>,
    ctx: PageContext,
    Influencer(user): Influencer,
    Form(form, unread): Form<GoalsForm>,
) -> Result<Response, AppError> {
    let profile = own_profile(&state, &user).await?;
    let (currency, goals) = match unread.and(form.parse()) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let status = errors.status();
            return Ok((status, Page(GoalsPage { ctx, form, errors })).into_response());
        }
    };
    db::save_goals(&state.db, profile.id, currency, &goals).await?;
    Ok(
        Flash::success("Goals saved: your progress shows on your desk and your dashboard.")
            .redirect_to("/business"),
    )
}
