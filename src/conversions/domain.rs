//! An order as a brand reports it, parsed once, whether it came by the API
//! or in a CSV file, with every problem named by its field.

use time::{
    Date, Duration, OffsetDateTime, PrimitiveDateTime, UtcOffset,
    format_description::well_known::Rfc3339, macros::format_description,
};
use uuid::Uuid;

use crate::domain::{Currency, Money, keyed_enum};

keyed_enum! {
    pub enum OrderStatus {
        Completed => ("completed", "Completed"),
        Refunded => ("refunded", "Refunded"),
    }
    unknown: "Send status as completed or refunded."
}

keyed_enum! {
    /// How an order was tied to a collaboration.
    pub enum AttributedBy {
        Click => ("click", "Tracked link"),
        PromoCode => ("promo_code", "Promo code"),
    }
    unknown: "Unknown attribution."
}

keyed_enum! {
    pub enum Source {
        Api => ("api", "API"),
        Csv => ("csv", "CSV upload"),
    }
    unknown: "Unknown source."
}

/// An order as it arrived, every field as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RawOrder {
    pub order_id: String,
    pub amount: String,
    pub currency: String,
    pub occurred_at: String,
    pub click_id: String,
    pub promo_code: String,
    pub status: String,
}

/// An order that can be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub order_id: String,
    pub amount: Money,
    pub occurred_at: OffsetDateTime,
    pub click_id: Option<Uuid>,
    /// The discount codes typed at checkout, upper case (a shop may list
    /// several, comma separated).
    pub promo_codes: Vec<String>,
    pub status: OrderStatus,
}

impl Order {
    /// The codes as stored: the first one, as typed.
    pub fn promo_code_text(&self) -> Option<String> {
        (!self.promo_codes.is_empty()).then(|| self.promo_codes.join(", "))
    }
}

/// What is wrong with one field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    pub field: String,
    pub reason: String,
}

impl Problem {
    pub fn new(field: &str, reason: impl Into<String>) -> Self {
        Problem {
            field: field.to_owned(),
            reason: reason.into(),
        }
    }

    /// The field as a store export's column would call it.
    pub fn column(&self) -> &str {
        match self.field.as_str() {
            "order_id" => "order id",
            "amount" => "total",
            "occurred_at" => "date",
            "click_id" => "click id",
            "promo_code" => "discount code",
            other => other,
        }
    }
}

/// How far ahead of the server's clock an order may be dated: shops' clocks
/// and time zones are not ours, but an order next week is a mistake.
const FUTURE_SLACK: Duration = Duration::days(1);

impl RawOrder {
    pub fn parse(&self, now: OffsetDateTime) -> Result<Order, Vec<Problem>> {
        let mut problems = Vec::new();
        let order_id = check(&mut problems, "order_id", order_id(&self.order_id));
        let currency = check(&mut problems, "currency", currency(&self.currency));
        let amount = currency.and_then(|c| check(&mut problems, "amount", amount(&self.amount, c)));
        let occurred_at = check(
            &mut problems,
            "occurred_at",
            occurred_at(&self.occurred_at, now),
        );
        let click_id = check(&mut problems, "click_id", click_id(&self.click_id));
        let promo_codes = check(&mut problems, "promo_code", promo_codes(&self.promo_code));
        let status = check(
            &mut problems,
            "status",
            match self.status.trim() {
                "" => Ok(OrderStatus::Completed),
                s => OrderStatus::parse(s),
            },
        );
        match (order_id, amount, occurred_at, click_id, promo_codes, status) {
            (
                Some(order_id),
                Some(amount),
                Some(occurred_at),
                Some(click_id),
                Some(promo_codes),
                Some(status),
            ) if problems.is_empty() => Ok(Order {
                order_id,
                amount,
                occurred_at,
                click_id,
                promo_codes,
                status,
            }),
            _ => Err(problems),
        }
    }
}

fn check<T>(problems: &mut Vec<Problem>, field: &str, result: Result<T, String>) -> Option<T> {
    match result {
        Ok(v) => Some(v),
        Err(reason) => {
            problems.push(Problem::new(field, reason));
            None
        }
    }
}

fn order_id(text: &str) -> Result<String, String> {
    let id = text.trim();
    if id.is_empty() {
        return Err("Send the shop's order id.".into());
    }
    if id.chars().count() > 100 || id.chars().any(char::is_control) {
        return Err("An order id is at most 100 characters, on one line.".into());
    }
    Ok(id.to_owned())
}

fn currency(text: &str) -> Result<Currency, String> {
    if text.trim().is_empty() {
        return Err("Send the order's currency as its ISO code, such as USD or EUR.".into());
    }
    Currency::parse(text).map_err(|_| {
        format!(
            "{:?} is not a currency Liaison works in: use one of {}.",
            text.trim(),
            Currency::ALL.map(Currency::code).join(", ")
        )
    })
}

fn amount(text: &str, currency: Currency) -> Result<Money, String> {
    let t = text.trim();
    if t.starts_with('-') {
        return Err(
            "An order's amount cannot be negative: send a refund as status refunded.".into(),
        );
    }
    // Exports often carry the symbol; the currency column says which it is.
    let t = t.trim_start_matches(['$', '€', '£', '¥']);
    Money::parse_decimal(t, currency).map_err(|m| {
        if t.is_empty() {
            "Send the order's total, such as 45.99.".into()
        } else {
            format!("{m} (the order total, such as 45.99)")
        }
    })
}

fn occurred_at(text: &str, now: OffsetDateTime) -> Result<OffsetDateTime, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("Send when the order was placed, such as 2026-11-30T14:05:00Z.".into());
    }
    let parsed = OffsetDateTime::parse(t, &Rfc3339)
        .ok()
        .or_else(|| {
            // Shopify's export: "2026-11-30 14:05:22 +0100".
            OffsetDateTime::parse(
                t,
                format_description!(
                    "[year]-[month]-[day] [hour]:[minute]:[second] [offset_hour sign:mandatory][offset_minute]"
                ),
            )
            .ok()
        })
        .or_else(|| {
            // WooCommerce and most spreadsheets: local time without an offset, read as UTC.
            PrimitiveDateTime::parse(
                t,
                format_description!("[year]-[month]-[day] [hour]:[minute]:[second]"),
            )
            .or_else(|_| {
                PrimitiveDateTime::parse(t, format_description!("[year]-[month]-[day] [hour]:[minute]"))
            })
            .ok()
            .map(|p| p.assume_offset(UtcOffset::UTC))
        })
        .or_else(|| {
            Date::parse(t, format_description!("[year]-[month]-[day]"))
                .ok()
                .map(|d| d.midnight().assume_offset(UtcOffset::UTC))
        });
    let Some(at) = parsed else {
        return Err(format!(
            "{t:?} is not a date and time Liaison reads: use 2026-11-30T14:05:00Z (RFC 3339), \
             2026-11-30 14:05:22 +0100 or 2026-11-30."
        ));
    };
    if at > now + FUTURE_SLACK {
        return Err(
            "The order is dated more than a day ahead: check the date and its time zone.".into(),
        );
    }
    Ok(at.to_offset(UtcOffset::UTC))
}

fn click_id(text: &str) -> Result<Option<Uuid>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    Uuid::parse_str(t).map(Some).map_err(|_| {
        "A click id is the lclid value Liaison added to the landing page's address (32 hex digits)."
            .into()
    })
}

fn promo_codes(text: &str) -> Result<Vec<String>, String> {
    let codes: Vec<String> = text
        .split(',')
        .map(|c| c.trim().to_ascii_uppercase())
        .filter(|c| !c.is_empty())
        .collect();
    if codes.iter().any(|c| c.chars().count() > 100) {
        return Err("A discount code is at most 100 characters.".into());
    }
    Ok(codes)
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    const NOW: OffsetDateTime = datetime!(2026-12-05 12:00 UTC);

    fn raw() -> RawOrder {
        RawOrder {
            order_id: " #1001 ".into(),
            amount: "45.99".into(),
            currency: "usd".into(),
            occurred_at: "2026-12-04T18:30:00+01:00".into(),
            click_id: String::new(),
            promo_code: "aisha15, WELCOME".into(),
            status: String::new(),
        }
    }

    #[test]
    fn a_complete_order_parses_into_typed_values() {
        let o = raw().parse(NOW).expect("valid");
        assert_eq!(o.order_id, "#1001");
        assert_eq!(o.amount, Money::from_minor(4599, Currency::Usd));
        assert_eq!(o.occurred_at, datetime!(2026-12-04 17:30 UTC));
        assert_eq!(o.promo_codes, vec!["AISHA15", "WELCOME"]);
        assert_eq!(o.status, OrderStatus::Completed);
        assert_eq!(o.click_id, None);
    }

    #[test]
    fn store_export_dates_are_read() {
        for (text, expected) in [
            (
                "2026-11-30 14:05:22 +0100",
                datetime!(2026-11-30 13:05:22 UTC),
            ),
            ("2026-11-30 14:05:22", datetime!(2026-11-30 14:05:22 UTC)),
            ("2026-11-30 14:05", datetime!(2026-11-30 14:05 UTC)),
            ("2026-11-30", datetime!(2026-11-30 0:00 UTC)),
        ] {
            let o = RawOrder {
                occurred_at: text.into(),
                ..raw()
            }
            .parse(NOW)
            .expect(text);
            assert_eq!(o.occurred_at, expected, "{text}");
        }
    }

    #[test]
    fn every_bad_field_is_named_with_a_reason() {
        let problems = RawOrder {
            order_id: " ".into(),
            amount: "-5".into(),
            currency: "XYZ".into(),
            occurred_at: "yesterday".into(),
            click_id: "not-a-click".into(),
            promo_code: String::new(),
            status: "pending".into(),
        }
        .parse(NOW)
        .expect_err("refused");
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            ["order_id", "currency", "occurred_at", "click_id", "status"]
        );
        let negative = RawOrder {
            amount: "-5".into(),
            ..raw()
        }
        .parse(NOW)
        .expect_err("negative");
        assert!(negative[0].reason.contains("cannot be negative"));
        let too_precise = RawOrder {
            amount: "45.999".into(),
            ..raw()
        }
        .parse(NOW)
        .expect_err("three decimals");
        assert_eq!(too_precise[0].field, "amount");
    }

    #[test]
    fn orders_more_than_a_day_ahead_are_refused() {
        let ahead = RawOrder {
            occurred_at: "2026-12-06T11:00:00Z".into(),
            ..raw()
        };
        assert!(ahead.parse(NOW).is_ok());
        let next_week = RawOrder {
            occurred_at: "2026-12-12T11:00:00Z".into(),
            ..raw()
        };
        assert_eq!(
            next_week.parse(NOW).expect_err("future")[0].field,
            "occurred_at"
        );
    }

    #[test]
    fn symbols_and_click_ids_in_either_form_are_read() {
        let click = Uuid::now_v7();
        let o = RawOrder {
            amount: "$1,250.00".into(),
            click_id: click.simple().to_string(),
            ..raw()
        }
        .parse(NOW)
        .expect("valid");
        assert_eq!(o.amount.minor(), 125_000);
        assert_eq!(o.click_id, Some(click));
    }
}
