//! Money as integer minor units plus an ISO 4217 currency; never floats.
//! Forms take decimals ("1,250.50"); storage takes `(amount_minor, currency)`.

use std::fmt;

/// The currencies Liaison accepts, with their number of decimal places.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Currency {
    /// Forms and filters start in US dollars.
    #[default]
    Usd,
    Eur,
    Gbp,
    Cad,
    Aud,
    Chf,
    Sek,
    Nok,
    Dkk,
    Jpy,
}

impl Currency {
    pub const ALL: [Currency; 10] = [
        Currency::Usd,
        Currency::Eur,
        Currency::Gbp,
        Currency::Cad,
        Currency::Aud,
        Currency::Chf,
        Currency::Sek,
        Currency::Nok,
        Currency::Dkk,
        Currency::Jpy,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Currency::Usd => "USD",
            Currency::Eur => "EUR",
            Currency::Gbp => "GBP",
            Currency::Cad => "CAD",
            Currency::Aud => "AUD",
            Currency::Chf => "CHF",
            Currency::Sek => "SEK",
            Currency::Nok => "NOK",
            Currency::Dkk => "DKK",
            Currency::Jpy => "JPY",
        }
    }

    /// Digits after the decimal point in everyday amounts.
    pub fn exponent(self) -> u32 {
        match self {
            Currency::Jpy => 0,
            _ => 2,
        }
    }

    fn symbol(self) -> Option<&'static str> {
        match self {
            Currency::Usd => Some("$"),
            Currency::Eur => Some("€"),
            Currency::Gbp => Some("£"),
            Currency::Jpy => Some("¥"),
            _ => None,
        }
    }

    /// The currency of a filter: the one chosen, or the default (US dollars)
    /// when none or an unknown one was given.
    pub fn chosen_or_default(code: &str) -> Currency {
        Currency::parse(code).unwrap_or_default()
    }

    pub fn parse(code: &str) -> Result<Currency, String> {
        let code = code.trim().to_ascii_uppercase();
        Currency::ALL
            .into_iter()
            .find(|c| c.code() == code)
            .ok_or_else(|| {
                format!(
                    "Choose one of the currencies Liaison pays in: {}.",
                    Currency::ALL.map(Currency::code).join(", ")
                )
            })
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

super::stored_as_text!(Currency, code, |code: &str| {
    Currency::ALL.into_iter().find(|c| c.code() == code)
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

/// Larger than any budget on Liaison and far from overflowing `i64` in sums.
const MAX_MAJOR_UNITS: i64 = 1_000_000_000_000;

impl Money {
    pub fn from_minor(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    pub fn minor(self) -> i64 {
        self.minor
    }

    pub fn currency(self) -> Currency {
        self.currency
    }

    /// Parses what a person types: "1250", "1,250.5", "1 250.50". Negative amounts
    /// and more decimals than the currency has are refused with a message.
    pub fn parse_decimal(input: &str, currency: Currency) -> Result<Money, String> {
        let cleaned: String = input
            .trim()
            .chars()
            .filter(|c| !matches!(c, ',' | ' ' | '_' | '\u{a0}'))
            .collect();
        if cleaned.is_empty() {
            return Err("Enter an amount.".to_owned());
        }
        if cleaned.starts_with('-') {
            return Err("Enter an amount above zero.".to_owned());
        }
        let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
        let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty() && fraction.is_empty() || !digits_only(whole) || !digits_only(fraction)
        {
            return Err("Enter an amount in numbers, like 1,250.00.".to_owned());
        }
        let exponent = currency.exponent();
        if fraction.len() > exponent as usize {
            return Err(if exponent == 0 {
                format!("{currency} amounts have no decimals.")
            } else {
                format!("{currency} amounts have at most {exponent} decimals.")
            });
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole
                .parse()
                .ok()
                .filter(|w| *w <= MAX_MAJOR_UNITS)
                .ok_or_else(|| "That amount is too large.".to_owned())?
        };
        let scale = 10_i64.pow(exponent);
        let padded = format!("{fraction:0<width$}", width = exponent as usize);
        let fraction: i64 = if padded.is_empty() {
            0
        } else {
            padded
                .parse()
                .map_err(|_| "Enter an amount in numbers.".to_owned())?
        };
        Ok(Money {
            minor: whole * scale + fraction,
            currency,
        })
    }

    /// The amount as a form shows it: "1250.50" (no grouping, all decimals).
    pub fn to_decimal_string(self) -> String {
        let exponent = self.currency.exponent();
        let scale = 10_i64.pow(exponent);
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        if exponent == 0 {
            return format!("{sign}{abs}");
        }
        format!(
            "{sign}{}.{:0width$}",
            abs / scale as u64,
            abs % scale as u64,
            width = exponent as usize
        )
    }
}

/// For people: "$1,250.00", "€980.00", "CHF 1,250.00", "¥150,000".
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let decimal = self.to_decimal_string();
        let (sign, unsigned) = match decimal.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", decimal.as_str()),
        };
        let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        let mut grouped = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        if !fraction.is_empty() {
            grouped.push('.');
            grouped.push_str(fraction);
        }
        match self.currency.symbol() {
            Some(symbol) => write!(f, "{sign}{symbol}{grouped}"),
            None => write!(f, "{sign}{} {grouped}", self.currency.code()),
        }
    }
}

/// A fee typed in a form: a positive amount in the campaign's currency.
pub fn parse_fee(input: &str, currency: Currency, what: &str) -> Result<Money, String> {
    if input.trim().is_empty() {
        return Err(format!("Enter {what}."));
    }
    let fee = Money::parse_decimal(input, currency)?;
    if fee.minor() <= 0 {
        Err(format!("Enter {what} above zero."))
    } else if fee.minor() > 100_000_000_000 {
        Err(format!("Enter {what} of at most 1,000,000,000."))
    } else {
        Ok(fee)
    }
}

/// Adds `m` to a list of totals, one per currency.
pub fn add_to(totals: &mut Vec<Money>, m: Money) {
    match totals.iter_mut().find(|t| t.currency() == m.currency()) {
        Some(t) => *t = Money::from_minor(t.minor() + m.minor(), m.currency()),
        None => totals.push(m),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(s: &str) -> Result<Money, String> {
        Money::parse_decimal(s, Currency::Usd)
    }

    #[test]
    fn decimals_become_minor_units() {
        assert_eq!(usd("1250").map(Money::minor), Ok(125_000));
        assert_eq!(usd("1,250.5").map(Money::minor), Ok(125_050));
        assert_eq!(usd(" 1 250.50 ").map(Money::minor), Ok(125_050));
        assert_eq!(usd("0.07").map(Money::minor), Ok(7));
        assert_eq!(usd(".5").map(Money::minor), Ok(50));
        assert_eq!(
            Money::parse_decimal("150000", Currency::Jpy).map(Money::minor),
            Ok(150_000)
        );
    }

    #[test]
    fn nonsense_and_negative_amounts_are_refused() {
        for bad in ["", "-5", "abc", "1.2.3", "12e3", ".", "1.234"] {
            assert!(usd(bad).is_err(), "{bad:?}");
        }
        assert!(Money::parse_decimal("10.5", Currency::Jpy).is_err());
        assert!(
            usd("99999999999999999999").is_err(),
            "too large, not a panic"
        );
    }

    #[test]
    fn amounts_read_naturally() {
        assert_eq!(
            Money::from_minor(125_000, Currency::Usd).to_string(),
            "$1,250.00"
        );
        assert_eq!(
            Money::from_minor(98_000, Currency::Eur).to_string(),
            "€980.00"
        );
        assert_eq!(
            Money::from_minor(125_050, Currency::Chf).to_string(),
            "CHF 1,250.50"
        );
        assert_eq!(
            Money::from_minor(150_000, Currency::Jpy).to_string(),
            "¥150,000"
        );
        assert_eq!(Money::from_minor(-5, Currency::Gbp).to_string(), "-£0.05");
        assert_eq!(
            Money::from_minor(125_050, Currency::Usd).to_decimal_string(),
            "1250.50"
        );
    }

    #[test]
    fn currency_codes_are_case_insensitive_and_limited() {
        assert_eq!(Currency::parse("eur"), Ok(Currency::Eur));
        assert!(Currency::parse("XYZ").is_err());
    }
}
