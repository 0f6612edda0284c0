//! The tier report's charts, drawn on the server as SVG: one per measure, a
//! bar per tier with its 95% interval as a whisker. Colours come from
//! attributes, not style (the CSP allows no inline style); every chart has
//! the table beside it for screen readers, so the drawing is hidden from them.

use std::fmt::Write;

use super::tiers::{TierReport, TierRow};

/// One chart: its heading and its SVG.
#[derive(Debug, Clone)]
pub struct Chart {
    pub title: &'static str,
    pub svg: String,
}

/// A bar's value and interval in one unit (minor units or ppm), and its label.
struct Bar {
    label: &'static str,
    value: Option<f64>,
    /// The interval: none from one collaboration; an open top when unbounded.
    interval: Option<(f64, Option<f64>)>,
    text: String,
}

const WIDTH: f64 = 360.0;
const ROW: f64 = 30.0;
const LEFT: f64 = 74.0;
const RIGHT: f64 = 96.0;

fn draw(bars: &[Bar]) -> String {
    let top = bars
        .iter()
        .filter_map(|b| {
            b.value
                .map(|v| v.max(b.interval.and_then(|(_, h)| h).unwrap_or(v)))
        })
        .fold(0.0_f64, f64::max);
    let scale = if top > 0.0 {
        (WIDTH - LEFT - RIGHT) / top
    } else {
        0.0
    };
    let height = ROW * bars.len() as f64 + 8.0;
    let mut svg = format!(
        r#"<svg class="tier-chart" viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" aria-hidden="true" focusable="false">"#
    );
    for (i, b) in bars.iter().enumerate() {
        let y = 4.0 + ROW * i as f64;
        let mid = y + ROW / 2.0;
        let _ = write!(
            svg,
            r##"<text x="0" y="{:.1}" font-size="12" fill="#1f2933">{}</text>"##,
            mid + 4.0,
            b.label
        );
        match b.value {
            Some(v) => {
                let w = (v * scale).max(1.0);
                let _ = write!(
                    svg,
                    r##"<rect x="{LEFT}" y="{:.1}" width="{w:.1}" height="{:.1}" rx="2" fill="#3a6ea5"/>"##,
                    y + 7.0,
                    ROW - 14.0
                );
                let (lo, hi, open, whisker) = match b.interval {
                    Some((low, Some(h))) => (LEFT + low * scale, LEFT + h * scale, false, true),
                    Some((low, None)) => (LEFT + low * scale, WIDTH - RIGHT + 12.0, true, true),
                    None => (0.0, 0.0, true, false),
                };
                if whisker {
                    let _ = write!(
                        svg,
                        r##"<line x1="{lo:.1}" y1="{mid:.1}" x2="{hi:.1}" y2="{mid:.1}" stroke="#1f2933" stroke-width="1.5"/><line x1="{lo:.1}" y1="{:.1}" x2="{lo:.1}" y2="{:.1}" stroke="#1f2933" stroke-width="1.5"/>"##,
                        mid - 5.0,
                        mid + 5.0
                    );
                    if !open {
                        let _ = write!(
                            svg,
                            r##"<line x1="{hi:.1}" y1="{:.1}" x2="{hi:.1}" y2="{:.1}" stroke="#1f2933" stroke-width="1.5"/>"##,
                            mid - 5.0,
                            mid + 5.0
                        );
                    }
                }
                let _ = write!(
                    svg,
                    r##"<text x="{:.1}" y="{:.1}" font-size="12" fill="#1f2933">{}</text>"##,
                    WIDTH - RIGHT + 18.0,
                    mid + 4.0,
                    b.text
                );
            }
            None => {
                let _ = write!(
                    svg,
                    r##"<text x="{LEFT}" y="{:.1}" font-size="12" fill="#52606d">not enough data</text>"##,
                    mid + 4.0
                );
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

/// The four charts of a tier report.
pub fn charts(report: &TierReport) -> Vec<Chart> {
    let label = |r: &TierRow| r.tier.label();
    let cost = |pick: fn(&TierRow) -> Option<super::tiers::CostEstimate>| -> Vec<Bar> {
        report
            .rows
            .iter()
            .map(|r| match pick(r) {
                Some(c) => Bar {
                    label: label(r),
                    value: Some(c.value.minor() as f64),
                    interval: c
                        .interval
                        .map(|(l, h)| (l.minor() as f64, h.map(|h| h.minor() as f64))),
                    text: c.value.to_string(),
                },
                None => Bar {
                    label: label(r),
                    value: None,
                    interval: None,
                    text: String::new(),
                },
            })
            .collect()
    };
    let rate = |pick: fn(&TierRow) -> Option<super::tiers::RateEstimate>| -> Vec<Bar> {
        report
            .rows
            .iter()
            .map(|r| match pick(r) {
                Some(e) => Bar {
                    label: label(r),
                    value: Some(e.ppm as f64),
                    interval: Some((e.low_ppm as f64, Some(e.high_ppm as f64))),
                    text: e.value(),
                },
                None => Bar {
                    label: label(r),
                    value: None,
                    interval: None,
                    text: String::new(),
                },
            })
            .collect()
    };
    vec![
        Chart {
            title: "Cost per conversion",
            svg: draw(&cost(|r| r.cpa)),
        },
        Chart {
            title: "Conversion rate",
            svg: draw(&rate(|r| r.conversion_rate)),
        },
        Chart {
            title: "Cost per engagement",
            svg: draw(&cost(|r| r.cpe)),
        },
        Chart {
            title: "Engagement rate",
            svg: draw(&rate(|r| r.engagement_rate)),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_value_and_missing_data_says_so() {
        let svg = draw(&[
            Bar {
                label: "Micro",
                value: Some(100.0),
                interval: Some((80.0, Some(120.0))),
                text: "$1.00".into(),
            },
            Bar {
                label: "Mega",
                value: None,
                interval: None,
                text: String::new(),
            },
        ]);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("aria-hidden=\"true\""));
        assert!(svg.contains(">Micro<") && svg.contains(">$1.00<"));
        assert!(svg.contains("not enough data"));
        assert!(!svg.contains("style="), "no inline style under the CSP");
    }
}
