//! What a promo code may be.

/// Letters and digits, 3 to 20 of them, kept upper case: shops compare codes
/// without regard to case, and so does Liaison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromoCode(String);

impl PromoCode {
    pub const MIN: usize = 3;
    pub const MAX: usize = 20;

    pub fn parse(input: &str) -> Result<PromoCode, String> {
        let code = input.trim().to_ascii_uppercase();
        if code.is_empty() {
            return Err("Enter a promo code, or remove it.".into());
        }
        if !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(
                "Use only letters A–Z and digits in a promo code: no spaces or symbols.".into(),
            );
        }
        let len = code.len();
        if !(Self::MIN..=Self::MAX).contains(&len) {
            return Err(format!(
                "A promo code has {} to {} letters and digits; this one has {len}.",
                Self::MIN,
                Self::MAX
            ));
        }
        Ok(PromoCode(code))
    }

    /// What to suggest for a creator: their handle (or name) in capitals,
    /// letters and digits only, with room left for a number that makes it
    /// unique. `None` when nothing usable is left.
    pub fn suggest_from(handle_or_name: &str) -> Option<PromoCode> {
        let base: String = handle_or_name
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_uppercase())
            .take(Self::MAX - 2)
            .collect();
        (base.len() >= Self::MIN).then_some(PromoCode(base))
    }

    /// The same code with a number after it (`MAYA2`), still within the limit.
    pub fn numbered(&self, n: u32) -> PromoCode {
        let suffix = n.to_string();
        let keep = Self::MAX.saturating_sub(suffix.len()).min(self.0.len());
        PromoCode(format!("{}{suffix}", &self.0[..keep]))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for PromoCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_letters_and_digits_in_capitals() {
        assert_eq!(
            PromoCode::parse(" maya15 ").map(|c| c.0),
            Ok("MAYA15".into())
        );
        for bad in [
            "",
            "ab",
            "MAYA-15",
            "MAYA 15",
            "ÉTÉ2027",
            "A123456789012345678901",
        ] {
            assert!(PromoCode::parse(bad).is_err(), "{bad}");
        }
        assert!(PromoCode::parse("ABC").is_ok());
        assert!(PromoCode::parse("A1234567890123456789").is_ok());
    }

    #[test]
    fn suggestions_come_from_the_handle_and_stay_valid_when_numbered() {
        let s = PromoCode::suggest_from("aisha-patel").expect("suggestion");
        assert_eq!(s.as_str(), "AISHAPATEL");
        assert_eq!(s.numbered(2).as_str(), "AISHAPATEL2");
        let long = PromoCode::suggest_from("a-very-long-handle-that-goes-on").expect("long");
        for n in [2, 10, 99, 12345] {
            assert!(PromoCode::parse(long.numbered(n).as_str()).is_ok());
        }
        assert!(PromoCode::suggest_from("—").is_none());
    }
}
