//! Bank accounts creators are paid to, checked as far as their own check
//! digits allow: an IBAN by its ISO 13616 checksum and its country's length,
//! a US account by its routing number's ABA checksum. Shown masked.

use crate::domain::keyed_enum;

keyed_enum! {
    /// How a creator is paid.
    pub enum Method {
        Iban => ("iban", "IBAN (SEPA and most of the world)"),
        UsAccount => ("us_account", "US bank account (account and routing number)"),
    }
    unknown: "Choose how you are paid: an IBAN or a US account."
}

/// An account to pay, normalised (no spaces, upper case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BankAccount {
    Iban(String),
    Us { routing: String, account: String },
}

impl BankAccount {
    pub fn method(&self) -> Method {
        match self {
            BankAccount::Iban(_) => Method::Iban,
            BankAccount::Us { .. } => Method::UsAccount,
        }
    }

    /// What is encrypted: the IBAN, or routing and account number.
    pub fn to_secret(&self) -> String {
        match self {
            BankAccount::Iban(iban) => iban.clone(),
            BankAccount::Us { routing, account } => format!("{routing}:{account}"),
        }
    }

    /// The account from its decrypted form and method.
    pub fn from_secret(method: Method, secret: &str) -> Option<BankAccount> {
        match method {
            Method::Iban => Some(BankAccount::Iban(secret.to_owned())),
            Method::UsAccount => {
                let (routing, account) = secret.split_once(':')?;
                Some(BankAccount::Us {
                    routing: routing.to_owned(),
                    account: account.to_owned(),
                })
            }
        }
    }

    /// The last four characters of the account number, the only part kept in
    /// clear.
    pub fn last4(&self) -> String {
        let number = match self {
            BankAccount::Iban(iban) => iban,
            BankAccount::Us { account, .. } => account,
        };
        number[number.len().saturating_sub(4)..].to_owned()
    }
}

/// An account shown without its number: "IBAN ending 3000".
pub fn masked(method: Method, last4: &str) -> String {
    match method {
        Method::Iban => format!("IBAN ending {last4}"),
        Method::UsAccount => format!("US account ending {last4}"),
    }
}

/// An IBAN as typed (spaces and lower case allowed), checked and normalised.
pub fn parse_iban(typed: &str) -> Result<String, String> {
    let iban: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if iban.is_empty() {
        return Err("Enter your IBAN, as on your bank statement.".to_owned());
    }
    if !iban.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err("An IBAN has only letters and digits.".to_owned());
    }
    let bytes = iban.as_bytes();
    if iban.len() < 5
        || !bytes[..2].iter().all(u8::is_ascii_uppercase)
        || !bytes[2..4].iter().all(u8::is_ascii_digit)
    {
        return Err(
            "An IBAN starts with its country's two letters and two check digits, like DE89 3704…"
                .to_owned(),
        );
    }
    let expected = iban_length(&iban[..2]);
    match expected {
        Some(len) if iban.len() != len => {
            return Err(format!(
                "An IBAN from {} has {len} characters; this one has {}.",
                &iban[..2],
                iban.len()
            ));
        }
        None if !(15..=34).contains(&iban.len()) => {
            return Err("An IBAN has between 15 and 34 characters.".to_owned());
        }
        _ => {}
    }
    if mod97(&iban) != 1 {
        return Err(
            "This IBAN's check digits don't match: a character is probably mistyped.".to_owned(),
        );
    }
    Ok(iban)
}

/// The IBAN of a domestic account number (`bban`) in `country`: its check
/// digits computed, as a bank does when it issues one.
pub fn iban_of(country: &str, bban: &str) -> String {
    let unchecked = format!("{country}00{bban}");
    let check = 98 - mod97(&unchecked);
    format!("{country}{check:02}{bban}")
}

/// The remainder of the IBAN, rearranged (first four characters last) and
/// read as a number with letters as 10–35, divided by 97: 1 for a valid one.
fn mod97(iban: &str) -> u32 {
    let rearranged = iban[4..].chars().chain(iban[..4].chars());
    let mut remainder = 0u32;
    for c in rearranged {
        let value = c.to_digit(36).unwrap_or(0);
        remainder = if value < 10 {
            (remainder * 10 + value) % 97
        } else {
            (remainder * 100 + value) % 97
        };
    }
    remainder
}

/// IBAN lengths of the SEPA countries and a few others creators often bank in
/// (ISO 13616 registry); other countries are held to the general 15–34.
fn iban_length(country: &str) -> Option<usize> {
    let len = match country {
        "NO" => 15,
        "BE" => 16,
        "DK" | "FI" | "FO" | "GL" | "NL" => 18,
        "MK" | "SI" => 19,
        "AT" | "BA" | "EE" | "KZ" | "LT" | "LU" | "XK" => 20,
        "CH" | "CR" | "HR" | "LI" | "LV" => 21,
        "BG" | "BH" | "DE" | "GB" | "GE" | "IE" | "ME" | "RS" => 22,
        "AE" | "GI" | "IL" | "TL" => 23,
        "AD" | "CZ" | "ES" | "MD" | "PK" | "RO" | "SA" | "SE" | "SK" | "TN" | "VG" => 24,
        "PT" => 25,
        "IS" | "TR" => 26,
        "FR" | "GR" | "IT" | "MC" | "MR" | "SM" => 27,
        "AL" | "AZ" | "CY" | "DO" | "GT" | "HU" | "LB" | "PL" => 28,
        "BR" | "PS" | "QA" => 29,
        "JO" | "KW" | "MU" => 30,
        "MT" => 31,
        _ => return None,
    };
    Some(len)
}

/// A BIC (8 or 11 characters), or nothing: inside SEPA the IBAN suffices.
pub fn parse_bic(typed: &str) -> Result<String, String> {
    let bic: String = typed
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let b = bic.as_bytes();
    let shape = (b.len() == 8 || b.len() == 11)
        && b[..6].iter().all(u8::is_ascii_uppercase)
        && b[6..].iter().all(u8::is_ascii_alphanumeric);
    if bic.is_empty() || shape {
        Ok(bic)
    } else {
        Err("A BIC has 8 or 11 letters and digits, like COBADEFFXXX; leave it empty if your bank didn't give you one.".to_owned())
    }
}

/// A US routing number: nine digits whose ABA checksum (weights 3, 7, 1)
/// is a multiple of ten.
pub fn parse_routing(typed: &str) -> Result<String, String> {
    let routing: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if routing.len() != 9 || !routing.chars().all(|c| c.is_ascii_digit()) {
        return Err("A routing number has nine digits.".to_owned());
    }
    let sum: u32 = routing
        .chars()
        .filter_map(|c| c.to_digit(10))
        .zip([3, 7, 1].iter().cycle())
        .map(|(d, w)| d * w)
        .sum();
    if !sum.is_multiple_of(10) {
        return Err(
            "This routing number's check digit doesn't match: a digit is probably mistyped."
                .to_owned(),
        );
    }
    Ok(routing)
}

/// A US account number: 4 to 17 digits.
pub fn parse_us_account(typed: &str) -> Result<String, String> {
    let account: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if (4..=17).contains(&account.len()) && account.chars().all(|c| c.is_ascii_digit()) {
        Ok(account)
    } else {
        Err("A US account number has 4 to 17 digits.".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_ibans_pass_in_any_spacing_and_case() {
        for (typed, normal) in [
            ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
            ("gb82 west 1234 5698 7654 32", "GB82WEST12345698765432"),
            (
                "FR14 2004 1010 0505 0001 3M02 606",
                "FR1420041010050500013M02606",
            ),
            ("NL91ABNA0417164300", "NL91ABNA0417164300"),
        ] {
            assert_eq!(parse_iban(typed).as_deref(), Ok(normal), "{typed}");
        }
    }

    #[test]
    fn a_mistyped_iban_is_caught_by_its_check_digits_or_length() {
        let wrong_digit = parse_iban("DE89 3704 0044 0532 0130 01").expect_err("checksum");
        assert!(wrong_digit.contains("check digits"), "{wrong_digit}");
        let swapped = parse_iban("DE89 3704 0044 0532 0103 00").expect_err("swap");
        assert!(swapped.contains("check digits"));
        let short = parse_iban("DE89 3704 0044 0532 0130").expect_err("length");
        assert!(short.contains("22 characters"), "{short}");
        assert!(parse_iban("").is_err());
        assert!(parse_iban("89DE370400440532013000").is_err());
        assert!(parse_iban("DE89 3704 0044 0532 0130 0!").is_err());
    }

    #[test]
    fn an_iban_made_from_an_account_number_checks() {
        assert_eq!(
            iban_of("DE", "370400440532013000"),
            "DE89370400440532013000"
        );
        assert_eq!(
            iban_of("GB", "WEST12345698765432"),
            "GB82WEST12345698765432"
        );
        assert!(parse_iban(&iban_of("FR", "20041010050500013M02606")).is_ok());
    }

    #[test]
    fn routing_numbers_have_an_aba_check_digit() {
        assert_eq!(parse_routing("021000021").as_deref(), Ok("021000021"));
        assert_eq!(parse_routing("011 000 015").as_deref(), Ok("011000015"));
        assert!(parse_routing("021000022").is_err());
        assert!(parse_routing("12345").is_err());
        assert!(parse_us_account("000123456789").is_ok());
        assert!(parse_us_account("12").is_err());
        assert!(parse_us_account("12ab5678").is_err());
    }

    #[test]
    fn bics_are_optional_but_well_formed() {
        assert_eq!(parse_bic("").as_deref(), Ok(""));
        assert_eq!(parse_bic("cobadeffxxx").as_deref(), Ok("COBADEFFXXX"));
        assert_eq!(parse_bic("DEUTDEFF").as_deref(), Ok("DEUTDEFF"));
        assert!(parse_bic("DEUT").is_err());
        assert!(parse_bic("12UTDEFF").is_err());
    }

    #[test]
    fn only_the_last_four_are_shown() {
        let iban = BankAccount::Iban("DE89370400440532013000".into());
        assert_eq!(iban.last4(), "3000");
        assert_eq!(masked(iban.method(), &iban.last4()), "IBAN ending 3000");
        let us = BankAccount::Us {
            routing: "021000021".into(),
            account: "000123456789".into(),
        };
        assert_eq!(
            BankAccount::from_secret(Method::UsAccount, &us.to_secret()),
            Some(us.clone())
        );
        assert_eq!(us.last4(), "6789");
    }
}
