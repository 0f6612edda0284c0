//! Account values parsed once from input; each type can only hold a valid value.

use crate::domain::{Role, text::single_line};

/// What a visitor can sign up as; admins are created by the agency only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountType {
    Brand,
    Influencer,
}

impl AccountType {
    pub fn parse(input: &str) -> Result<Self, String> {
        match input.trim() {
            "brand" => Ok(AccountType::Brand),
            "influencer" => Ok(AccountType::Influencer),
            _ => {
                Err("Choose whether you are signing up as a brand or as an influencer.".to_owned())
            }
        }
    }

    pub fn role(self) -> Role {
        match self {
            AccountType::Brand => Role::Brand,
            AccountType::Influencer => Role::Influencer,
        }
    }
}

/// A trimmed, lower-cased address of plausible shape. Whether it receives mail is
/// not something a form can know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(input: &str) -> Result<Self, String> {
        let email = normalize_email(input);
        if email.is_empty() {
            return Err("Enter your email address.".to_owned());
        }
        if email.len() > Self::MAX_LEN {
            return Err(format!(
                "An email address has at most {} characters.",
                Self::MAX_LEN
            ));
        }
        let valid = match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            }
            None => false,
        };
        if valid {
            Ok(Email(email))
        } else {
            Err("Enter an email address like name@example.com.".to_owned())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How addresses are compared and stored; also used for the throttling key, which
/// must not depend on whether the input was valid.
pub fn normalize_email(input: &str) -> String {
    input.trim().to_lowercase()
}

/// 10 to 128 characters, taken exactly as typed (no trimming).
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_CHARS: usize = 128;

    pub fn parse(input: &str) -> Result<Self, String> {
        let n = input.chars().count();
        if n < Self::MIN_CHARS {
            Err(format!(
                "Use at least {} characters. A few unrelated words make a strong, memorable password.",
                Self::MIN_CHARS
            ))
        } else if n > Self::MAX_CHARS {
            Err(format!("Use at most {} characters.", Self::MAX_CHARS))
        } else {
            Ok(Password(input.to_owned()))
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(..)")
    }
}

/// The name a person goes by on Liaison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(input: &str) -> Result<Self, String> {
        single_line(input, "your name", 100).map(DisplayName)
    }

    /// A name read back from the database, where only parsed names are written.
    pub fn from_stored(name: String) -> Self {
        DisplayName(name)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrandName(String);

impl BrandName {
    pub fn parse(input: &str) -> Result<Self, String> {
        single_line(input, "your brand's name", 120).map(BrandName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        let e = Email::parse("  Ada@Example.COM ").expect("valid");
        assert_eq!(e.as_str(), "ada@example.com");
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "a@b@c.com",
            "ada@.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert!(Email::parse(&long).is_err());
    }

    #[test]
    fn passwords_must_be_10_to_128_characters() {
        assert!(Password::parse("123456789").is_err());
        assert!(Password::parse("1234567890").is_ok());
        assert!(
            Password::parse(&"é".repeat(128)).is_ok(),
            "counts characters, not bytes"
        );
        assert!(Password::parse(&"x".repeat(129)).is_err());
        assert!(Password::parse("  spaces count too ").is_ok());
    }

    #[test]
    fn names_are_trimmed_bounded_and_single_line() {
        assert_eq!(
            DisplayName::parse("  Ada  ").expect("valid").as_str(),
            "Ada"
        );
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"x".repeat(101)).is_err());
        assert!(BrandName::parse("Acme\nCorp").is_err());
        assert!(BrandName::parse(&"x".repeat(120)).is_ok());
    }

    #[test]
    fn only_brand_and_influencer_can_sign_up() {
        assert_eq!(AccountType::parse("brand"), Ok(AccountType::Brand));
        assert_eq!(
            AccountType::parse("influencer"),
            Ok(AccountType::Influencer)
        );
        assert!(AccountType::parse("admin").is_err());
    }
}
