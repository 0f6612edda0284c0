//! The rules of a creator's business desk: where a deal stands, hours and
//! what they earn, goals, and a suggested price with the figures behind it.

use time::Date;

pub use crate::domain::WorkKind;
use crate::domain::{Currency, Format, Money, Platform, Tier, display, keyed_enum, money::add_to};

keyed_enum! {
    /// Where a deal stands in the creator's pipeline.
    pub enum Stage {
        Invited => ("invited", "Invited"),
        Applied => ("applied", "Applied"),
        Shortlisted => ("shortlisted", "Shortlisted"),
        Agreed => ("agreed", "Agreed"),
        Delivering => ("delivering", "Delivering"),
        Releasing => ("releasing", "Approved, releasing"),
        Paid => ("paid", "Paid"),
        Lost => ("lost", "Lost or ended"),
    }
    unknown: "Choose a stage."
}

impl Stage {
    /// The stages the pipeline shows, in order.
    pub const PIPELINE: [Stage; 7] = [
        Stage::Invited,
        Stage::Applied,
        Stage::Shortlisted,
        Stage::Agreed,
        Stage::Delivering,
        Stage::Releasing,
        Stage::Paid,
    ];

    /// Still to be won or delivered: what the forecast draws on.
    pub fn is_open(self) -> bool {
        !matches!(self, Stage::Paid | Stage::Lost)
    }
}

keyed_enum! {
    /// Where a deal made outside Liaison stands, as the creator records it.
    pub enum OutsideStage {
        Pitched => ("pitched", "Pitched"),
        Agreed => ("agreed", "Agreed"),
        Delivering => ("delivering", "Delivering"),
        Delivered => ("delivered", "Delivered, awaiting payment"),
        Paid => ("paid", "Paid"),
        Lost => ("lost", "Lost or cancelled"),
    }
    unknown: "Choose where the deal stands."
}

impl OutsideStage {
    pub fn stage(self) -> Stage {
        match self {
            OutsideStage::Pitched => Stage::Applied,
            OutsideStage::Agreed => Stage::Agreed,
            OutsideStage::Delivering => Stage::Delivering,
            OutsideStage::Delivered => Stage::Releasing,
            OutsideStage::Paid => Stage::Paid,
            OutsideStage::Lost => Stage::Lost,
        }
    }
}

/// The most one entry (and one day on one deal) can hold.
pub const MINUTES_PER_DAY: i32 = 24 * 60;

/// Time as people type it: "1.5" or "1,5" hours, "1:30", "90m", "2h".
pub fn parse_hours(input: &str) -> Result<i32, String> {
    let text = input.trim().to_lowercase();
    if text.is_empty() {
        return Err("Enter the time, e.g. 1.5 or 1:30.".into());
    }
    let bad = || {
        format!(
            "“{}” is not a time: write hours, e.g. 1.5 or 1:30.",
            input.trim()
        )
    };
    let minutes = if let Some((h, m)) = text.split_once(':') {
        let h: i64 = h.trim().parse().map_err(|_| bad())?;
        let m: i64 = m.trim().parse().map_err(|_| bad())?;
        if !(0..60).contains(&m) {
            return Err(bad());
        }
        h.checked_mul(60)
            .and_then(|h| h.checked_add(m))
            .ok_or_else(bad)?
    } else if let Some(m) = text.strip_suffix("min").or_else(|| text.strip_suffix('m')) {
        m.trim().parse::<i64>().map_err(|_| bad())?
    } else {
        let hours = text
            .strip_suffix('h')
            .unwrap_or(&text)
            .trim()
            .replace(',', ".");
        let (whole, fraction) = hours.split_once('.').unwrap_or((&hours, ""));
        if whole.is_empty() && fraction.is_empty()
            || !whole.chars().all(|c| c.is_ascii_digit())
            || !fraction.chars().all(|c| c.is_ascii_digit())
            || fraction.len() > 2
        {
            return Err(bad());
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| bad())?
        };
        let hundredths: i64 = format!("{fraction:0<2}").parse().map_err(|_| bad())?;
        whole
            .checked_mul(60)
            .and_then(|m| m.checked_add((hundredths * 60 + 50) / 100))
            .ok_or_else(bad)?
    };
    if minutes < 1 {
        return Err("Enter a time above zero.".into());
    }
    if minutes > i64::from(MINUTES_PER_DAY) {
        return Err("One entry holds at most 24 hours.".into());
    }
    Ok(minutes as i32)
}

/// Minutes for people: "1.5 h", "12 h", "0.3 h".
pub fn hours_text(minutes: i64) -> String {
    let tenths = (minutes * 10 + 30) / 60;
    if tenths % 10 == 0 {
        format!("{} h", tenths / 10)
    } else {
        format!("{}.{} h", tenths / 10, tenths % 10)
    }
}

/// What `amount` paid per hour of `minutes`: `None` without hours.
pub fn hourly_rate(amount_minor: i64, minutes: i64, currency: Currency) -> Option<Money> {
    (minutes > 0).then(|| {
        let per_hour =
            (i128::from(amount_minor) * 60 * 2 + i128::from(minutes)) / (2 * i128::from(minutes));
        Money::from_minor(per_hour as i64, currency)
    })
}

/// An hourly rate for people ("$42.50/h"), or a dash without hours.
pub fn hourly_rate_text(amount_minor: i64, minutes: i64, currency: Currency) -> String {
    hourly_rate(amount_minor, minutes, currency)
        .map_or_else(|| "—".to_owned(), |m| format!("{m}/h"))
}

/// Progress towards a goal, as a whole percentage (0 without a goal).
pub fn percent_of(done: i64, goal: i64) -> i64 {
    if goal <= 0 {
        0
    } else {
        (i128::from(done) * 100 / i128::from(goal)) as i64
    }
}

/// Typical prices per post, in US dollars, by tier and platform (Influencer
/// Marketing Hub and Shopify ranges, 2021–2023): the market figure a
/// suggested price is checked against.
pub fn market_range(tier: Tier, platform: Platform) -> Option<(i64, Option<i64>)> {
    let dollars = |low: i64, high: Option<i64>| Some((low * 100, high.map(|h| h * 100)));
    match (platform, tier) {
        (Platform::Instagram, Tier::Nano) => dollars(10, Some(100)),
        (Platform::Instagram, Tier::Micro) => dollars(100, Some(500)),
        (Platform::Instagram, Tier::Mid) => dollars(500, Some(5_000)),
        (Platform::Instagram, Tier::Macro) => dollars(5_000, Some(10_000)),
        (Platform::Instagram, Tier::Mega) => dollars(10_000, None),
        (Platform::Tiktok, Tier::Nano) => dollars(5, Some(25)),
        (Platform::Tiktok, Tier::Micro) => dollars(25, Some(125)),
        (Platform::Tiktok, Tier::Mid) => dollars(125, Some(1_250)),
        (Platform::Tiktok, Tier::Macro) => dollars(1_250, Some(2_500)),
        (Platform::Tiktok, Tier::Mega) => dollars(2_500, None),
        (Platform::Youtube, Tier::Nano) => dollars(20, Some(200)),
        (Platform::Youtube, Tier::Micro) => dollars(200, Some(1_000)),
        (Platform::Youtube, Tier::Mid) => dollars(1_000, Some(10_000)),
        (Platform::Youtube, Tier::Macro) => dollars(10_000, Some(20_000)),
        (Platform::Youtube, Tier::Mega) => dollars(20_000, None),
        _ => None,
    }
}

pub const MARKET_SOURCE: &str =
    "Influencer Marketing Hub and Shopify price ranges per post, 2021–2023, in US dollars";

/// What a suggested price for one rate-card line is drawn from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceInputs {
    pub platform: Platform,
    pub format: Format,
    pub currency: Currency,
    /// The price on the rate card now.
    pub rate_card: i64,
    /// The fees agreed on Liaison for deals led by this platform and format,
    /// in the rate card's currency.
    pub agreed_fees: Vec<i64>,
    /// Hours logged on those deals, and how many deals had hours.
    pub minutes: i64,
    pub deals_with_hours: i64,
    /// What the creator wants an hour to earn (from their goals).
    pub target_hourly: Option<i64>,
    pub tier: Option<Tier>,
    /// Their engagement on this platform and the typical one for their tier,
    /// in parts per million.
    pub engagement_ppm: Option<i64>,
    pub typical_ppm: Option<i64>,
}

/// A suggested price and each figure it came from, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub price: Money,
    pub evidence: Vec<String>,
}

/// The median of a list (the lower middle of an even one).
fn median(values: &[i64]) -> Option<i64> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    sorted.get(sorted.len().saturating_sub(1) / 2).copied()
}

/// The fewest agreed deals that say more than the market does.
const OWN_EVIDENCE: usize = 3;

/// A price for one format from the creator's own deals (at least three), or
/// else the market range for their tier, or else the rate card; moved up to
/// 30% by engagement against their tier; never below the hours such a deal
/// takes them at their target hourly rate. Rounded to whole units.
pub fn suggest(i: &PriceInputs) -> Suggestion {
    let money = |minor: i64| Money::from_minor(minor, i.currency);
    let mut evidence = Vec::new();
    let market = i
        .tier
        .and_then(|t| market_range(t, i.platform).map(|r| (t, r)));
    let own = median(&i.agreed_fees).filter(|_| i.agreed_fees.len() >= OWN_EVIDENCE);
    if !i.agreed_fees.is_empty() {
        evidence.push(format!(
            "Your {} agreed fee{} for {} {}: median {}{}.",
            i.agreed_fees.len(),
            if i.agreed_fees.len() == 1 { "" } else { "s" },
            i.platform.label(),
            i.format.label().to_lowercase(),
            money(median(&i.agreed_fees).unwrap_or_default()),
            if own.is_none() {
                " (fewer than three: the market figure leads)"
            } else {
                ""
            }
        ));
    }
    if let Some((tier, (low, high))) = market {
        let usd = |m| Money::from_minor(m, Currency::Usd);
        evidence.push(format!(
            "{} creators on {} typically charge {}{} a post ({MARKET_SOURCE}).",
            tier.label(),
            i.platform.label(),
            usd(low),
            high.map_or("+".to_owned(), |h| format!("–{}", usd(h)))
        ));
    }
    let market_mid = market
        .filter(|_| i.currency == Currency::Usd)
        .map(|(_, (low, high))| high.map_or(low, |h| (low + h) / 2));
    let base = match (own, market_mid) {
        (Some(own), _) => own,
        (None, Some(mid)) => mid,
        (None, None) => {
            evidence.push(format!("Your rate card asks {}.", money(i.rate_card)));
            i.rate_card
        }
    };
    // Engagement moves the price by 30% of how far it is from the tier's
    // typical rate, at most 30% either way.
    let factor_pct = match (i.engagement_ppm, i.typical_ppm) {
        (Some(own), Some(typical)) if typical > 0 => {
            let pct = (30 * (own - typical) / typical).clamp(-30, 30);
            evidence.push(format!(
                "Your engagement is {} against {} typical for your tier: {}.",
                display::percent_ppm(own),
                display::percent_ppm(typical),
                match pct {
                    0 => "no change".to_owned(),
                    p if p > 0 => format!("{p}% more"),
                    p => format!("{}% less", -p),
                }
            ));
            100 + pct
        }
        _ => 100,
    };
    let mut price = base * factor_pct / 100;
    if let (Some(target), true) = (i.target_hourly, i.deals_with_hours > 0) {
        let minutes_per_deal = i.minutes / i.deals_with_hours;
        let floor = target * minutes_per_deal / 60;
        evidence.push(format!(
            "Such a deal takes you {} on average; at the {} an hour your goals ask, that is {}.",
            hours_text(minutes_per_deal),
            money(target),
            money(floor)
        ));
        price = price.max(floor);
    }
    let unit = 10_i64.pow(i.currency.exponent());
    let price = ((price + unit / 2) / unit * unit).max(unit);
    Suggestion {
        price: money(price),
        evidence,
    }
}

/// The hourly rate a creator's goals ask for: the monthly income goal over
/// the hours a month at their weekly cap (52 weeks over 12 months).
pub fn target_hourly(monthly_income_minor: i64, weekly_hours_cap: i64) -> Option<i64> {
    (weekly_hours_cap > 0).then(|| monthly_income_minor * 12 / (weekly_hours_cap * 52))
}

/// What is expected in the next 90 days, in three 30-day windows from
/// `today`; anything already due counts in the first window, anything later
/// than 90 days in none.
pub fn forecast(today: Date, expected: impl IntoIterator<Item = (Date, Money)>) -> [Vec<Money>; 3] {
    let mut windows: [Vec<Money>; 3] = Default::default();
    for (due, amount) in expected {
        let days = (due - today).whole_days().max(0);
        if let Some(window) = windows.get_mut((days / 30) as usize) {
            add_to(window, amount);
        }
    }
    windows
}

/// The first day of `day`'s month.
pub fn month_start(day: Date) -> Date {
    day.replace_day(1).unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_is_read_as_people_write_it() {
        for (typed, minutes) in [
            ("1.5", 90),
            ("1,5", 90),
            ("1:30", 90),
            ("0:45", 45),
            ("90m", 90),
            ("45 min", 45),
            ("2h", 120),
            (".25", 15),
            ("24", 1440),
        ] {
            assert_eq!(parse_hours(typed), Ok(minutes), "{typed}");
        }
        for typed in ["", "0", "-1", "25", "1:75", "abc", "1.234", "1..5"] {
            assert!(parse_hours(typed).is_err(), "{typed}");
        }
    }

    #[test]
    fn hours_and_rates_are_shown_for_people() {
        assert_eq!(hours_text(90), "1.5 h");
        assert_eq!(hours_text(600), "10 h");
        assert_eq!(
            hourly_rate(30_000, 240, Currency::Usd),
            Some(Money::from_minor(7_500, Currency::Usd))
        );
        assert_eq!(hourly_rate(10_000, 0, Currency::Usd), None);
        assert_eq!(percent_of(750, 1_000), 75);
        assert_eq!(percent_of(10, 0), 0);
        assert_eq!(target_hourly(520_000, 40), Some(3_000));
    }

    #[test]
    fn the_forecast_puts_each_amount_in_its_30_day_window() {
        let today = time::macros::date!(2026 - 12 - 05);
        let usd = |m| Money::from_minor(m, Currency::Usd);
        let eur = |m| Money::from_minor(m, Currency::Eur);
        let windows = forecast(
            today,
            [
                (time::macros::date!(2026 - 11 - 20), usd(100)),
                (time::macros::date!(2026 - 12 - 20), usd(200)),
                (time::macros::date!(2026 - 12 - 20), eur(50)),
                (time::macros::date!(2027 - 01 - 10), usd(400)),
                (time::macros::date!(2027 - 02 - 20), usd(800)),
                (time::macros::date!(2027 - 06 - 01), usd(1_600)),
            ],
        );
        assert_eq!(windows[0], vec![usd(300), eur(50)], "overdue counts as now");
        assert_eq!(windows[1], vec![usd(400)]);
        assert_eq!(windows[2], vec![usd(800)], "beyond 90 days is left out");
        assert_eq!(month_start(today), time::macros::date!(2026 - 12 - 01));
    }

    fn inputs() -> PriceInputs {
        PriceInputs {
            platform: Platform::Instagram,
            format: Format::Post,
            currency: Currency::Usd,
            rate_card: 40_000,
            agreed_fees: Vec::new(),
            minutes: 0,
            deals_with_hours: 0,
            target_hourly: None,
            tier: Some(Tier::Micro),
            engagement_ppm: None,
            typical_ppm: None,
        }
    }

    #[test]
    fn without_own_deals_the_tiers_market_leads() {
        let s = suggest(&inputs());
        // The micro tier's $100–$500 range, midpoint $300.
        assert_eq!(s.price, Money::from_minor(30_000, Currency::Usd));
        assert!(s.evidence.iter().any(|e| e.contains("$100.00–$500.00")));
    }

    #[test]
    fn three_agreed_fees_lead_and_engagement_moves_the_price() {
        let s = suggest(&PriceInputs {
            agreed_fees: vec![45_000, 50_000, 60_000],
            engagement_ppm: Some(32_000),
            typical_ppm: Some(16_000),
            ..inputs()
        });
        // Median $500, engagement twice typical: 30% more.
        assert_eq!(s.price, Money::from_minor(65_000, Currency::Usd));
        assert!(s.evidence.iter().any(|e| e.contains("30% more")));
    }

    #[test]
    fn the_hours_a_deal_takes_set_a_floor() {
        let s = suggest(&PriceInputs {
            agreed_fees: vec![20_000, 20_000, 20_000],
            minutes: 3 * 600,
            deals_with_hours: 3,
            target_hourly: Some(5_000),
            ..inputs()
        });
        // Ten hours a deal at $50 an hour: $500, above the $200 median.
        assert_eq!(s.price, Money::from_minor(50_000, Currency::Usd));
    }

    #[test]
    fn in_another_currency_the_market_is_evidence_only() {
        let s = suggest(&PriceInputs {
            currency: Currency::Eur,
            rate_card: 35_000,
            ..inputs()
        });
        assert_eq!(s.price, Money::from_minor(35_000, Currency::Eur));
        assert!(s.evidence.iter().any(|e| e.contains("US dollars")));
    }
}
