//! Progress towards a creator's goals: this month's net income against the
//! monthly goal, this week's hours against the cap. The desk and the
//! dashboard show it.

use sqlx::PgConnection;
use uuid::Uuid;

use super::{
    db::{self, Goals, Month},
    domain::{hours_text, month_start, percent_of},
};
use crate::domain::{Money, date::today, money::add_to};

#[derive(Debug, Clone)]
pub struct Progress {
    pub goals: Goals,
    /// Net income this month (Liaison and outside), per currency.
    pub month_income: Vec<Money>,
    /// Of the monthly goal, in its currency.
    pub month_percent: i64,
    pub week_minutes: i64,
    pub week_percent: i64,
}

impl Progress {
    pub fn week_hours(&self) -> String {
        hours_text(self.week_minutes)
    }

    /// This month's income in the goal's currency (or nothing yet).
    pub fn month_in_goal_currency(&self) -> Option<Money> {
        let goal = self.goals.monthly_income?;
        Some(
            self.month_income
                .iter()
                .copied()
                .find(|m| m.currency() == goal.currency())
                .unwrap_or(Money::from_minor(0, goal.currency())),
        )
    }
}

pub async fn of(db: &mut PgConnection, profile_id: Uuid) -> Result<Progress, sqlx::Error> {
    let today = today();
    let goals = db::goals(&mut *db, profile_id).await?;
    let months = db::months(&mut *db, profile_id, month_start(today)).await?;
    let week_minutes = db::minutes_this_week(&mut *db, profile_id).await?;
    Ok(Progress::of(goals, &months, week_minutes))
}

impl Progress {
    /// From the goals, this month's income by currency and this week's
    /// minutes, read by [`of`] or with the rest of a page.
    pub fn of(goals: Goals, months: &[Month], week_minutes: i64) -> Progress {
        let mut month_income = Vec::new();
        for m in months {
            add_to(
                &mut month_income,
                Money::from_minor(m.net + m.outside, m.currency),
            );
        }
        let month_percent = goals.monthly_income.map_or(0, |goal| {
            let done = month_income
                .iter()
                .find(|m| m.currency() == goal.currency())
                .map_or(0, |m| m.minor());
            percent_of(done, goal.minor())
        });
        let week_percent = goals
            .weekly_hours_cap
            .map_or(0, |cap| percent_of(week_minutes, i64::from(cap) * 60));
        Progress {
            goals,
            month_income,
            month_percent,
            week_minutes,
            week_percent,
        }
    }
}
