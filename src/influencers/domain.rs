//! The creator's forms, parsed once into values that are always valid: the
//! business profile, a channel, a snapshot of figures, a rate.

use serde::Deserialize;
use time::Date;

use super::authenticity::Figures;
use crate::{
    accounts::domain::DisplayName,
    domain::{
        Currency, Format, Money, Platform,
        date::parse_date,
        link::http_url,
        number::{parse_figure, whole_number, whole_number_or},
        text::{
            bounded_text, comma_list, country_code, niches, optional, optional_line, single_line,
        },
    },
    web::FieldErrors,
};

/// No platform has more accounts than this; a figure above it is a typo.
pub const MAX_FOLLOWERS: i64 = 10_000_000_000;
/// Views can exceed followers many times over, within reason.
pub const MAX_VIEWS: i64 = 100_000_000_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub display_name: DisplayName,
    pub headline: String,
    pub bio: String,
    pub country: Option<String>,
    pub city: String,
    pub languages: Vec<String>,
    pub niches: Vec<String>,
    pub business_name: String,
    pub website: Option<String>,
    pub hours_per_week: Option<i16>,
    pub open_to_offers: bool,
    pub media_kit_public: bool,
    pub handle: Option<String>,
}

/// The profile form as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ProfileForm {
    pub display_name: String,
    pub headline: String,
    pub bio: String,
    pub country: String,
    pub city: String,
    pub languages: String,
    pub niches: String,
    pub business_name: String,
    pub website: String,
    pub hours_per_week: String,
    pub open_to_offers: Option<String>,
    pub media_kit_public: Option<String>,
    /// The media kit's address, `/media-kit/{media_kit_handle}`.
    pub media_kit_handle: String,
}

/// A media-kit address: lower-case letters, digits and inner hyphens.
pub fn parse_handle(input: &str) -> Result<String, String> {
    let handle = input.trim().trim_start_matches('@').to_lowercase();
    let valid = (1..=40).contains(&handle.len())
        && handle
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !handle.starts_with('-')
        && !handle.ends_with('-');
    if valid {
        Ok(handle)
    } else {
        Err("Use 1 to 40 lower-case letters, digits and hyphens, e.g. aisha-patel.".into())
    }
}

/// A handle suggested from a name: "Aisha Patel" → "aisha-patel".
pub fn suggest_handle(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut handle: String = out.trim_end_matches('-').chars().take(40).collect();
    while handle.ends_with('-') {
        handle.pop();
    }
    handle
}

impl ProfileForm {
    pub fn from_profile(p: &Profile) -> Self {
        ProfileForm {
            display_name: p.display_name.as_str().to_owned(),
            headline: p.headline.clone(),
            bio: p.bio.clone(),
            country: p.country.clone().unwrap_or_default(),
            city: p.city.clone(),
            languages: p.languages.join(", "),
            niches: p.niches.join(", "),
            business_name: p.business_name.clone(),
            website: p.website.clone().unwrap_or_default(),
            hours_per_week: p.hours_per_week.map(|h| h.to_string()).unwrap_or_default(),
            open_to_offers: p.open_to_offers.then(|| "on".to_owned()),
            media_kit_public: p.media_kit_public.then(|| "on".to_owned()),
            media_kit_handle: p.handle.clone().unwrap_or_default(),
        }
    }

    pub fn parse(&self) -> Result<Profile, FieldErrors> {
        let mut e = FieldErrors::new();
        let display_name = e.check("display_name", DisplayName::parse(&self.display_name));
        let headline = e.check(
            "headline",
            optional_line(&self.headline, "the headline", 140),
        );
        let bio = e.check("bio", bounded_text(&self.bio, "the bio", 5000));
        let country = e.check("country", optional(&self.country, country_code));
        let city = e.check("city", optional_line(&self.city, "the city", 100));
        let languages = e.check("languages", languages(&self.languages));
        let niches = e.check("niches", niches(&self.niches));
        let business_name = e.check(
            "business_name",
            optional_line(&self.business_name, "the business name", 120),
        );
        let website = e.check("website", http_url(&self.website, "the website", true));
        let hours_per_week = e.check(
            "hours_per_week",
            optional(&self.hours_per_week, |h| {
                whole_number(h, "the hours", 0, 168)
            }),
        );
        let media_kit_public = self.media_kit_public.is_some();
        let handle = e.check(
            "media_kit_handle",
            match self.media_kit_handle.trim() {
                "" if media_kit_public => {
                    Err("Choose the address of your media kit to make it public.".to_owned())
                }
                "" => Ok(None),
                typed => parse_handle(typed).map(Some),
            },
        );
        let open_to_offers = self.open_to_offers.is_some();
        let profile = (|| {
            Some(Profile {
                display_name: display_name?,
                headline: headline?,
                bio: bio?,
                country: country?,
                city: city?,
                languages: languages?,
                niches: niches?,
                business_name: business_name?,
                website: Some(website?).filter(|w| !w.is_empty()),
                hours_per_week: hours_per_week?,
                open_to_offers,
                media_kit_public,
                handle: handle?,
            })
        })();
        match profile {
            Some(profile) if e.is_empty() => Ok(profile),
            _ => Err(e),
        }
    }
}

/// Up to 10 languages, as a comma-separated list.
fn languages(input: &str) -> Result<Vec<String>, String> {
    let languages = comma_list(input);
    if languages.len() > 10 {
        Err("List at most 10 languages.".to_owned())
    } else if languages.iter().any(|l| l.chars().count() > 40) {
        Err("Keep each language to 40 characters or fewer.".to_owned())
    } else {
        Ok(languages)
    }
}

/// The four figures of a snapshot, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct FiguresForm {
    pub followers: String,
    pub avg_views: String,
    pub avg_likes: String,
    pub avg_comments: String,
}

impl FiguresForm {
    fn parse_into(&self, e: &mut FieldErrors) -> Option<Figures> {
        let followers = e.check(
            "followers",
            parse_figure(&self.followers, "the followers", MAX_FOLLOWERS, true),
        );
        let avg_views = e.check(
            "avg_views",
            parse_figure(&self.avg_views, "the average views", MAX_VIEWS, false),
        );
        let avg_likes = e.check(
            "avg_likes",
            parse_figure(&self.avg_likes, "the average likes", MAX_FOLLOWERS, false),
        );
        let avg_comments = e.check(
            "avg_comments",
            parse_figure(
                &self.avg_comments,
                "the average comments",
                MAX_FOLLOWERS,
                false,
            ),
        );
        Some(Figures {
            followers: followers?,
            avg_views: avg_views?,
            avg_likes: avg_likes?,
            avg_comments: avg_comments?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewChannel {
    pub platform: Platform,
    pub handle: String,
    pub url: Option<String>,
    pub figures: Figures,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ChannelForm {
    pub platform: String,
    pub handle: String,
    pub url: String,
    #[serde(flatten)]
    pub figures: FiguresForm,
}

impl ChannelForm {
    pub fn parse(&self) -> Result<NewChannel, FieldErrors> {
        let mut e = FieldErrors::new();
        let platform = e.check("platform", Platform::parse(&self.platform));
        let handle = e.check(
            "handle",
            single_line(&self.handle, "the handle", 100)
                .map(|h| h.trim_start_matches('@').to_owned())
                .and_then(|h| {
                    if h.is_empty() {
                        Err("Enter the handle.".to_owned())
                    } else {
                        Ok(h)
                    }
                }),
        );
        let url = e.check("url", http_url(&self.url, "the channel's address", true));
        let figures = self.figures.parse_into(&mut e);
        match (platform, handle, url, figures) {
            (Some(platform), Some(handle), Some(url), Some(figures)) if e.is_empty() => {
                Ok(NewChannel {
                    platform,
                    handle,
                    url: Some(url).filter(|u| !u.is_empty()),
                    figures,
                })
            }
            _ => Err(e),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSnapshot {
    pub captured_on: Date,
    pub figures: Figures,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct SnapshotForm {
    #[serde(flatten)]
    pub figures: FiguresForm,
    pub captured_on: String,
}

/// Snapshots further back than this are not history a brand can use.
const OLDEST_SNAPSHOT_YEARS: i32 = 10;

impl SnapshotForm {
    pub fn parse(&self, today: Date) -> Result<NewSnapshot, FieldErrors> {
        let mut e = FieldErrors::new();
        let figures = self.figures.parse_into(&mut e);
        let captured_on = e.check(
            "captured_on",
            if self.captured_on.trim().is_empty() {
                Ok(today)
            } else {
                parse_date(&self.captured_on, "the date of these figures").and_then(|d| {
                    if d > today {
                        Err(
                            "Figures can't be from the future; enter today or an earlier date."
                                .into(),
                        )
                    } else if d.year() < today.year() - OLDEST_SNAPSHOT_YEARS {
                        Err(format!(
                            "Enter figures from the last {OLDEST_SNAPSHOT_YEARS} years."
                        ))
                    } else {
                        Ok(d)
                    }
                })
            },
        );
        match (figures, captured_on) {
            (Some(figures), Some(captured_on)) if e.is_empty() => Ok(NewSnapshot {
                captured_on,
                figures,
            }),
            _ => Err(e),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rate {
    pub platform: Platform,
    pub format: Format,
    pub price: Money,
    pub includes: String,
    pub revision_rounds: i16,
    pub usage_rights_days: i16,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct RateForm {
    pub platform: String,
    pub format: String,
    pub price: String,
    pub currency: String,
    pub includes: String,
    pub revision_rounds: String,
    pub usage_rights_days: String,
}

impl RateForm {
    pub fn parse(&self) -> Result<Rate, FieldErrors> {
        let mut e = FieldErrors::new();
        let platform = e.check("platform", Platform::parse(&self.platform));
        let format = e.check("format", Format::parse(&self.format));
        let currency = e.check("currency", Currency::parse(&self.currency));
        let price = currency.and_then(|c| {
            e.check(
                "price",
                Money::parse_decimal(&self.price, c).and_then(|m| {
                    if m.minor() <= 0 {
                        Err("Enter a price above zero.".to_owned())
                    } else if m.minor() > 100_000_000_000 {
                        Err("Enter a price of at most 1,000,000,000.".to_owned())
                    } else {
                        Ok(m)
                    }
                }),
            )
        });
        let includes = e.check(
            "includes",
            bounded_text(&self.includes, "what the price includes", 500),
        );
        let revision_rounds = e.check(
            "revision_rounds",
            whole_number_or(&self.revision_rounds, "the revision rounds", 1, 0, 10),
        );
        let usage_rights_days = e.check(
            "usage_rights_days",
            whole_number_or(&self.usage_rights_days, "the usage-rights days", 0, 0, 3650),
        );
        match (
            platform,
            format,
            price,
            includes,
            revision_rounds,
            usage_rights_days,
        ) {
            (
                Some(platform),
                Some(format),
                Some(price),
                Some(includes),
                Some(revision_rounds),
                Some(usage_rights_days),
            ) if e.is_empty() => Ok(Rate {
                platform,
                format,
                price,
                includes,
                revision_rounds,
                usage_rights_days,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn snapshots_default_to_today_and_refuse_the_future() {
        let today = date!(2026 - 11 - 25);
        let form = SnapshotForm {
            figures: FiguresForm {
                followers: "1000".into(),
                ..FiguresForm::default()
            },
            captured_on: String::new(),
        };
        assert_eq!(form.parse(today).ok().map(|s| s.captured_on), Some(today));
        let future = SnapshotForm {
            captured_on: "2026-12-01".into(),
            ..form.clone()
        };
        let errors = future.parse(today).expect_err("future");
        assert!(
            errors
                .get("captured_on")
                .is_some_and(|m| m.contains("future"))
        );
    }

    #[test]
    fn handles_are_suggested_and_checked() {
        assert_eq!(suggest_handle("Aisha Patel"), "aisha-patel");
        assert_eq!(suggest_handle("  Zoë & Co.!! "), "zo-co");
        assert_eq!(parse_handle("@Aisha-Patel"), Ok("aisha-patel".into()));
        assert!(parse_handle("-bad").is_err());
        assert!(parse_handle("has space").is_err());
    }

    #[test]
    fn a_public_media_kit_needs_an_address() {
        let form = ProfileForm {
            display_name: "Aisha".into(),
            media_kit_public: Some("on".into()),
            ..ProfileForm::default()
        };
        let errors = form.parse().expect_err("handle");
        assert!(errors.get("media_kit_handle").is_some());
    }

    #[test]
    fn a_ten_thousand_character_bio_is_refused_with_its_length() {
        let form = ProfileForm {
            display_name: "Aisha".into(),
            bio: "a".repeat(10_000),
            ..ProfileForm::default()
        };
        let errors = form.parse().expect_err("bio");
        assert_eq!(
            errors.get("bio"),
            Some("Keep the bio to 5,000 characters or fewer (this has 10,000).")
        );
    }

    #[test]
    fn rates_need_a_positive_price_in_a_known_currency() {
        let form = RateForm {
            platform: "instagram".into(),
            format: "post".into(),
            price: "0".into(),
            currency: "USD".into(),
            ..RateForm::default()
        };
        assert!(form.parse().expect_err("zero").get("price").is_some());
        let ok = RateForm {
            price: "1,250.50".into(),
            ..form
        };
        let rate = ok.parse().expect("valid");
        assert_eq!(rate.price.minor(), 125_050);
        assert_eq!(rate.revision_rounds, 1);
    }
}
