//! What an agreement says: its terms as drawn up from the brief and the
//! decision, written out as the text both parties sign, and where it stands.

use askama::Template;
use sha2::{Digest, Sha256};
use time::{Date, OffsetDateTime};

use crate::{
    billing::terms::AgencyTerms,
    campaigns::brief::domain::{Brief, rounds_allowed},
    domain::{
        Format, Money, Party, Platform, ReleaseOn, display, keyed_enum, number::basis_points_text,
    },
};

/// One deliverable as the agreement lists it.
#[derive(Debug, Clone)]
pub struct AgreedDeliverable {
    pub platform: Platform,
    pub format: Format,
    pub quantity: i32,
    pub due_on: Date,
    pub notes: String,
    /// Its part of the fee.
    pub fee: Money,
}

impl AgreedDeliverable {
    pub fn summary(&self) -> String {
        format!(
            "{} × {} {}, due {}",
            self.quantity,
            self.platform.label(),
            self.format.label().to_lowercase(),
            display::day(self.due_on)
        )
    }
}

/// Everything an agreement states, gathered when the application is accepted.
#[derive(Debug, Clone)]
pub struct Terms {
    pub campaign_title: String,
    pub brief_version: i32,
    pub brand_name: String,
    pub brand_address: String,
    pub creator_name: String,
    pub creator_business: String,
    pub creator_handle: Option<String>,
    pub agency_name: String,
    pub accepted_at: OffsetDateTime,
    pub deliverables: Vec<AgreedDeliverable>,
    pub fee: Money,
    pub brand_fee: Money,
    pub brand_fee_basis_points: i64,
    pub creator_fee_basis_points: i64,
    pub auto_approve_grace_days: i32,
    pub brief: Brief,
}

impl Terms {
    pub fn title(&self) -> String {
        format!("Partnership agreement: {}", self.campaign_title)
    }

    /// The text both parties sign.
    pub fn text(&self) -> Result<String, askama::Error> {
        let creator_fee = AgencyTerms {
            creator_fee_basis_points: self.creator_fee_basis_points,
            ..AgencyTerms::default()
        }
        .creator_fee(self.fee);
        AgreementText {
            t: self,
            total: Money::from_minor(
                self.fee.minor() + self.brand_fee.minor(),
                self.fee.currency(),
            ),
            brand_fee_percent: basis_points_text(self.brand_fee_basis_points),
            creator_fee_percent: basis_points_text(self.creator_fee_basis_points),
            creator_fee,
            creator_net: Money::from_minor(
                self.fee.minor() - creator_fee.minor(),
                self.fee.currency(),
            ),
            rounds: rounds_allowed(self.brief.max_revision_rounds),
            accepted_on: display::date(self.accepted_at),
            auto_approve_days: self.brief.review_days + self.auto_approve_grace_days,
            on_approval: self.brief.release_on == ReleaseOn::Approval,
        }
        .render()
    }
}

#[derive(Template)]
#[template(path = "agreements/agreement.txt")]
struct AgreementText<'a> {
    t: &'a Terms,
    total: Money,
    brand_fee_percent: String,
    creator_fee_percent: String,
    creator_fee: Money,
    creator_net: Money,
    rounds: i32,
    accepted_on: String,
    auto_approve_days: i32,
    on_approval: bool,
}

/// What a quote for work outside the brief adds, when the creator sends it.
#[derive(Debug, Clone)]
pub struct AmendmentTerms {
    pub number: i16,
    pub campaign_title: String,
    pub brand_name: String,
    pub creator_name: String,
    pub agreement_signed_on: Option<OffsetDateTime>,
    /// The review's request, as the brand wrote it.
    pub request: String,
    pub deliverable: String,
    /// What the creator will make for it.
    pub what: String,
    pub price: Money,
    pub brand_fee: Money,
    pub brand_fee_basis_points: i64,
    pub extra_days: i32,
    pub platform: Platform,
    pub format: Format,
    pub quoted_at: OffsetDateTime,
}

impl AmendmentTerms {
    pub fn title(&self) -> String {
        format!(
            "Amendment {} to the partnership agreement: {}",
            self.number - 1,
            self.campaign_title
        )
    }

    pub fn text(&self) -> Result<String, askama::Error> {
        AmendmentText {
            t: self,
            total: Money::from_minor(
                self.price.minor() + self.brand_fee.minor(),
                self.price.currency(),
            ),
            brand_fee_percent: basis_points_text(self.brand_fee_basis_points),
            signed_on: self.agreement_signed_on.map(display::date),
            quoted_on: display::date(self.quoted_at),
            new_deliverable: format!(
                "1 × {} {}",
                self.platform.label(),
                self.format.label().to_lowercase()
            ),
        }
        .render()
    }
}

#[derive(Template)]
#[template(path = "agreements/amendment.txt")]
struct AmendmentText<'a> {
    t: &'a AmendmentTerms,
    total: Money,
    brand_fee_percent: String,
    signed_on: Option<String>,
    quoted_on: String,
    new_deliverable: String,
}

/// The SHA-256 of a text, as stored with the agreement and each signature.
pub fn hash(text: &str) -> [u8; 32] {
    hash_bytes(text.as_bytes())
}

pub fn hash_bytes(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// A hash as people compare it: lowercase hex.
pub fn hex(hash: &[u8]) -> String {
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

/// Where an agreement stands, from its signatures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Signed by both: in force.
    InForce,
    /// Waiting for this side's signature (the other has signed, or neither).
    Waiting { brand: bool, creator: bool },
}

impl Standing {
    pub fn of(brand_signed: bool, creator_signed: bool) -> Standing {
        if brand_signed && creator_signed {
            Standing::InForce
        } else {
            Standing::Waiting {
                brand: !brand_signed,
                creator: !creator_signed,
            }
        }
    }

    pub fn waits_for(self, party: Party) -> bool {
        match (self, party) {
            (Standing::InForce, _) => false,
            (Standing::Waiting { brand, .. }, Party::Brand) => brand,
            (Standing::Waiting { creator, .. }, Party::Creator) => creator,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Standing::InForce => "In force",
            Standing::Waiting {
                brand: true,
                creator: true,
            } => "Waiting for both signatures",
            Standing::Waiting { brand: true, .. } => "Waiting for the brand's signature",
            Standing::Waiting { .. } => "Waiting for the creator's signature",
        }
    }
}

keyed_enum! {
    /// Where a quote for work outside the brief stands.
    pub enum AmendmentStatus {
        Quoted => ("quoted", "Waiting for the brand"),
        Accepted => ("accepted", "Accepted: a paid amendment"),
        Declined => ("declined", "Declined: the request was withdrawn"),
        Withdrawn => ("withdrawn", "Withdrawn by the creator"),
    }
    unknown: "Unknown amendment status."
}

impl AmendmentStatus {
    /// Whether the quote settles the review's request, so the next round need
    /// not answer it: waiting, accepted (it is a deliverable now) or declined
    /// (the request was withdrawn).
    pub fn settles_request(self) -> bool {
        self != AmendmentStatus::Withdrawn
    }
}

/// A part of an agreement's text: a heading (a line in capitals) and what
/// follows it until the next blank line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block<'a> {
    pub heading: Option<&'a str>,
    pub text: &'a str,
}

/// An agreement's text in parts, for its page and its PDF.
pub fn blocks(text: &str) -> Vec<Block<'_>> {
    text.split("\n\n")
        .map(|block| block.trim_matches('\n'))
        .filter(|block| !block.trim().is_empty())
        .map(|block| {
            let (first, rest) = block.split_once('\n').unwrap_or((block, ""));
            let capitals =
                first.chars().any(char::is_alphabetic) && first.chars().all(|c| !c.is_lowercase());
            if capitals {
                Block {
                    heading: Some(first),
                    text: rest,
                }
            } else {
                Block {
                    heading: None,
                    text: block,
                }
            }
        })
        .collect()
}
