//! Turning monthly averages into small charts, one panel per criterion so that
//! criteria with the same averages never hide each other, and requested changes
//! into themes. Pure code: the page draws the panels as inline SVG.

use std::collections::BTreeMap;

use time::{Date, macros::format_description};

use crate::{campaigns::brief::Criterion, domain::display::tenths};

/// The average score of one criterion in one month, in tenths (43 = 4.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthlyScore {
    pub month: Date,
    pub criterion: Criterion,
    pub tenths: i64,
}

/// Each criterion's average in each month, in tenths rounded half up, from
/// (day, criterion, score): in month order, then the criteria by key.
pub fn monthly_averages(
    scores: impl IntoIterator<Item = (Date, Criterion, i16)>,
) -> Vec<MonthlyScore> {
    let mut sums: BTreeMap<(Date, &'static str), (Criterion, i64, i64)> = BTreeMap::new();
    for (day, criterion, score) in scores {
        let month = day.replace_day(1).unwrap_or(day);
        let entry = sums
            .entry((month, criterion.key()))
            .or_insert((criterion, 0, 0));
        entry.1 += i64::from(score);
        entry.2 += 1;
    }
    sums.into_iter()
        .map(|((month, _), (criterion, sum, n))| MonthlyScore {
            month,
            criterion,
            // 10 × sum / n, rounded half up: scores are positive.
            tenths: (20 * sum + n) / (2 * n),
        })
        .collect()
}

pub struct Series {
    pub criterion: Criterion,
    /// `x,y x,y ...` for a `<polyline>`.
    pub points: String,
    pub dots: Vec<(String, String)>,
    /// Colour class: chart-s1 … chart-s5.
    pub class: &'static str,
    pub latest: String,
    /// Where its panel's name sits, and where 5 and 1 are on its axis.
    pub label_y: String,
    pub top_y: String,
    pub bottom_y: String,
}

pub struct ScoreChart {
    pub width: u32,
    pub height: u32,
    pub series: Vec<Series>,
    /// (x, label) under the last panel.
    pub months: Vec<(String, String)>,
    pub summary: String,
}

const WIDTH: f64 = 560.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 32.0;
/// Each criterion's panel: its name above, then its plot.
const PANEL: f64 = 72.0;
const PANEL_LABEL: f64 = 20.0;
const PANEL_GAP: f64 = 8.0;
const BOTTOM: f64 = 26.0;

fn month_label(d: Date) -> String {
    d.format(format_description!("[month repr:short] [year]"))
        .unwrap_or_default()
}

/// Where a score sits in panel `panel`: 5.0 at its top, 1.0 at its bottom.
fn y_of(tenths: i64, panel: usize) -> f64 {
    let share = (tenths.clamp(10, 50) - 10) as f64 / 40.0;
    let top = panel as f64 * PANEL + PANEL_LABEL;
    let bottom = (panel + 1) as f64 * PANEL - PANEL_GAP;
    bottom - share * (bottom - top)
}

/// One panel per criterion, a line across the months that have scores; `None`
/// until there are reviews in two different months.
pub fn chart(scores: &[MonthlyScore]) -> Option<ScoreChart> {
    let mut months: Vec<Date> = scores.iter().map(|s| s.month).collect();
    months.sort_unstable();
    months.dedup();
    if months.len() < 2 {
        return None;
    }
    let step = (WIDTH - LEFT - RIGHT) / (months.len() - 1) as f64;
    let x_of = |m: Date| LEFT + months.iter().position(|x| *x == m).unwrap_or(0) as f64 * step;
    let classes = ["chart-s1", "chart-s2", "chart-s3", "chart-s4", "chart-s5"];
    let scored = Criterion::ALL
        .iter()
        .zip(classes)
        .filter(|(c, _)| scores.iter().any(|s| s.criterion == **c));
    let series: Vec<Series> = scored
        .enumerate()
        .filter_map(|(panel, (c, class))| {
            let mut own: Vec<&MonthlyScore> = scores.iter().filter(|s| s.criterion == *c).collect();
            own.sort_by_key(|s| s.month);
            let latest = own.last()?;
            let coordinates: Vec<(f64, f64)> = own
                .iter()
                .map(|s| (x_of(s.month), y_of(s.tenths, panel)))
                .collect();
            Some(Series {
                criterion: *c,
                points: coordinates
                    .iter()
                    .map(|(x, y)| format!("{x:.1},{y:.1}"))
                    .collect::<Vec<_>>()
                    .join(" "),
                dots: coordinates
                    .iter()
                    .map(|(x, y)| (format!("{x:.1}"), format!("{y:.1}")))
                    .collect(),
                class,
                latest: tenths(latest.tenths),
                label_y: format!("{:.1}", panel as f64 * PANEL + 14.0),
                top_y: format!("{:.1}", y_of(50, panel) + 4.0),
                bottom_y: format!("{:.1}", y_of(10, panel) + 4.0),
            })
        })
        .collect();
    let summary = series
        .iter()
        .map(|s| format!("{} {}", s.criterion.label(), s.latest))
        .collect::<Vec<_>>()
        .join(", ");
    let height = series.len() as f64 * PANEL + BOTTOM;
    Some(ScoreChart {
        width: WIDTH as u32,
        height: height as u32,
        months: months
            .iter()
            .map(|m| (format!("{:.1}", x_of(*m)), month_label(*m)))
            .collect(),
        summary: format!(
            "Average score per criterion by month, from {} to {}. Latest: {summary}.",
            month_label(months[0]),
            month_label(months[months.len() - 1])
        ),
        series,
    })
}

/// A kind of requested change: the brief clause it enforced, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Theme {
    Disclosure,
    Dont,
    Do,
    Deliverable,
    Uncited,
    OutOfScope,
}

impl Theme {
    pub fn of(cite_kind: Option<&str>, out_of_scope: bool) -> Theme {
        match (cite_kind, out_of_scope) {
            (Some("disclosure"), _) => Theme::Disclosure,
            (Some("dont"), _) => Theme::Dont,
            (Some("do"), _) => Theme::Do,
            (Some("deliverable"), _) => Theme::Deliverable,
            (_, true) => Theme::OutOfScope,
            _ => Theme::Uncited,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Theme::Disclosure => "The disclosure rule",
            Theme::Dont => "A don't in the brief",
            Theme::Do => "A do in the brief",
            Theme::Deliverable => "The deliverable itself",
            Theme::Uncited => "Craft, not tied to a clause",
            Theme::OutOfScope => "Outside the brief (scope creep)",
        }
    }
}

pub struct ThemeCount {
    pub theme: Theme,
    pub count: usize,
    /// The newest few distinct requests of this kind.
    pub examples: Vec<String>,
}

/// Requested changes grouped by theme, most frequent first; `items` come
/// newest first as (cite kind, out of scope, body).
pub fn themes(items: &[(Option<String>, bool, String)]) -> Vec<ThemeCount> {
    let mut out: Vec<ThemeCount> = Vec::new();
    for (kind, out_of_scope, body) in items {
        let theme = Theme::of(kind.as_deref(), *out_of_scope);
        match out.iter_mut().find(|t| t.theme == theme) {
            Some(t) => {
                t.count += 1;
                if t.examples.len() < 3 && !t.examples.contains(body) {
                    t.examples.push(body.clone());
                }
            }
            None => out.push(ThemeCount {
                theme,
                count: 1,
                examples: vec![body.clone()],
            }),
        }
    }
    out.sort_by_key(|t| std::cmp::Reverse(t.count));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn score(month: Date, criterion: Criterion, tenths: i64) -> MonthlyScore {
        MonthlyScore {
            month,
            criterion,
            tenths,
        }
    }

    #[test]
    fn monthly_averages_round_half_up_per_month_and_criterion() {
        let scores = [
            (date!(2026 - 10 - 03), Criterion::Disclosure, 3),
            (date!(2026 - 10 - 30), Criterion::Disclosure, 4),
            (date!(2026 - 10 - 12), Criterion::BrandVoice, 5),
            (date!(2026 - 09 - 30), Criterion::Disclosure, 2),
            (date!(2026 - 09 - 01), Criterion::Disclosure, 2),
            (date!(2026 - 09 - 15), Criterion::Disclosure, 3),
        ];
        assert_eq!(
            monthly_averages(scores),
            vec![
                // 7 / 3 = 2.33…
                score(date!(2026 - 09 - 01), Criterion::Disclosure, 23),
                score(date!(2026 - 10 - 01), Criterion::BrandVoice, 50),
                // 3.5 rounds up
                score(date!(2026 - 10 - 01), Criterion::Disclosure, 35),
            ]
        );
        assert!(monthly_averages([]).is_empty());
    }

    #[test]
    fn a_chart_needs_two_months() {
        let one = [score(date!(2026 - 10 - 01), Criterion::BrandVoice, 30)];
        assert!(chart(&one).is_none());
    }

    #[test]
    fn each_criterion_is_a_line_from_its_first_month() {
        let scores = [
            score(date!(2026 - 09 - 01), Criterion::BrandVoice, 30),
            score(date!(2026 - 10 - 01), Criterion::BrandVoice, 45),
            score(date!(2026 - 10 - 01), Criterion::Disclosure, 50),
        ];
        let c = chart(&scores).expect("two months");
        assert_eq!(c.series.len(), 2);
        assert_eq!(c.series[0].dots.len(), 2);
        assert_eq!(c.series[1].dots.len(), 1);
        // Each criterion has its own panel, so equal scores never hide each
        // other; in a panel a 4.5 sits higher (smaller y) than a 3, and a 5 at
        // the top of its panel.
        let y = |s: &Series, i: usize| s.dots[i].1.parse::<f64>().expect("a number");
        assert!(y(&c.series[0], 1) < y(&c.series[0], 0));
        assert_eq!(y(&c.series[1], 0), PANEL + PANEL_LABEL);
        assert!(
            y(&c.series[1], 0) > y(&c.series[0], 0),
            "panels stack downwards"
        );
        assert!(c.summary.contains("Brand voice 4.5"));
        assert_eq!(c.months[0].1, "Sep 2026");
    }

    #[test]
    fn criteria_with_the_same_averages_never_hide_each_other() {
        let scores: Vec<MonthlyScore> = [Criterion::BriefAlignment, Criterion::BrandVoice]
            .into_iter()
            .flat_map(|c| {
                [
                    score(date!(2026 - 10 - 01), c, 40),
                    score(date!(2026 - 11 - 01), c, 45),
                ]
            })
            .collect();
        let c = chart(&scores).expect("two months");
        assert_eq!(c.series.len(), 2);
        assert_ne!(c.series[0].points, c.series[1].points);
        assert_ne!(c.series[0].label_y, c.series[1].label_y);
    }

    #[test]
    fn themes_count_and_keep_the_newest_examples() {
        let items = vec![
            (Some("disclosure".into()), false, "a".into()),
            (None, true, "b".into()),
            (Some("disclosure".into()), false, "c".into()),
            (None, false, "d".into()),
        ];
        let t = themes(&items);
        assert_eq!(t[0].theme, Theme::Disclosure);
        assert_eq!(t[0].count, 2);
        assert_eq!(t[0].examples, vec!["a".to_owned(), "c".to_owned()]);
        assert_eq!(t.len(), 3);
    }
}
