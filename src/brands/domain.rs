//! A brand's profile, parsed from the form once.

use crate::{
    accounts::domain::BrandName,
    domain::{
        link::http_url,
        text::{bounded_text, single_line},
    },
    web::FieldErrors,
};

/// Invitation links stay valid this long.
pub const INVITATION_DAYS: i32 = 14;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrandProfile {
    pub name: BrandName,
    pub website: String,
    pub industry: String,
    pub description: String,
    pub business_goals: String,
    pub brand_voice: String,
    /// Printed on the agency's invoices to the brand.
    pub billing_address: String,
    pub tax_id: String,
}

/// The profile form as typed, kept to show it again when something is wrong.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct ProfileForm {
    pub name: String,
    pub website: String,
    pub industry: String,
    pub description: String,
    pub business_goals: String,
    pub brand_voice: String,
    /// Printed on the agency's invoices to the brand.
    pub billing_address: String,
    pub tax_id: String,
}

impl ProfileForm {
    /// The profile, or the message for each field that is wrong.
    pub fn parse(&self) -> Result<BrandProfile, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", BrandName::parse(&self.name));
        let website = errors.check("website", http_url(&self.website, "the website", true));
        let industry = errors.check(
            "industry",
            if self.industry.trim().is_empty() {
                Ok(String::new())
            } else {
                single_line(&self.industry, "the industry", 80)
            },
        );
        let description = errors.check(
            "description",
            bounded_text(&self.description, "the description", 5000),
        );
        let business_goals = errors.check(
            "business_goals",
            bounded_text(&self.business_goals, "the business goals", 5000),
        );
        let brand_voice = errors.check(
            "brand_voice",
            bounded_text(&self.brand_voice, "the brand voice notes", 3000),
        );
        let billing_address = errors.check(
            "billing_address",
            bounded_text(&self.billing_address, "the billing address", 500),
        );
        let tax_id = errors.check(
            "tax_id",
            bounded_text(&self.tax_id, "the VAT or tax id", 40),
        );
        match (
            name,
            website,
            industry,
            description,
            business_goals,
            brand_voice,
            billing_address,
            tax_id,
        ) {
            (
                Some(name),
                Some(website),
                Some(industry),
                Some(description),
                Some(business_goals),
                Some(brand_voice),
                Some(billing_address),
                Some(tax_id),
            ) => Ok(BrandProfile {
                name,
                website,
                industry,
                description,
                business_goals,
                brand_voice,
                billing_address,
                tax_id,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ProfileForm {
        ProfileForm {
            name: " Northwind Outdoor ".into(),
            website: "https://northwind.example".into(),
            industry: "Outdoor gear".into(),
            description: "Jackets that last.".into(),
            business_goals: "Grow repeat purchases.".into(),
            brand_voice: "Plain, warm, practical.".into(),
            billing_address: "1 Harbour Road\nPortland, OR 97201".into(),
            tax_id: String::new(),
        }
    }

    #[test]
    fn a_complete_profile_parses_trimmed() {
        let p = form().parse().expect("valid");
        assert_eq!(p.name.as_str(), "Northwind Outdoor");
        assert_eq!(p.website, "https://northwind.example");
    }

    #[test]
    fn only_the_name_is_required() {
        let p = ProfileForm {
            name: "Acme".into(),
            ..ProfileForm::default()
        }
        .parse()
        .expect("valid");
        assert_eq!(p.website, "");
        assert_eq!(p.industry, "");
    }

    #[test]
    fn each_bad_field_gets_its_own_message() {
        let errors = ProfileForm {
            name: String::new(),
            website: "javascript:alert(1)".into(),
            description: "x".repeat(5001),
            ..form()
        }
        .parse()
        .expect_err("invalid");
        assert!(errors.get("name").is_some());
        assert!(errors.get("website").is_some());
        assert!(errors.get("description").is_some());
        assert!(errors.get("industry").is_none());
    }
}
