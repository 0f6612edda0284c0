//! The audit trail: who did what, to what, for which brand, when and from
//! where; kept in a tamper-evident chain ([`chain`]) and read back by the
//! agency console and a brand's page ([`search`]).

pub mod chain;
pub mod search;

use std::net::IpAddr;

use sqlx::PgExecutor;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    SignedUp,
    LoggedIn,
    LoggedOut,
    PasswordChanged,
    AdminCreated,
    BrandProfileUpdated,
    BrandMemberAdded,
    BrandMemberRemoved,
    BrandMemberInvited,
    BrandInvitationRevoked,
    BrandInvitationAccepted,
    InfluencerInvited,
    ProfileUpdated,
    ChannelAdded,
    SnapshotAdded,
    ChannelVerified,
    TierCutoffsChanged,
    ApplicationSubmitted,
    ApplicationWithdrawn,
    ApplicationShortlisted,
    ApplicationAccepted,
    ApplicationDeclined,
    BriefAcknowledged,
    DeliverableSubmitted,
    DeliverableReviewed,
    DeliverablePublished,
    ApplicationRated,
    FundsRecorded,
    TermsChanged,
    CollaborationCancelled,
    DisputeOpened,
    DisputeResolved,
    PayoutDetailsUpdated,
    PayoutBatchPrepared,
    PayoutBatchSent,
    PayoutBatchDiscarded,
    DeliverableAutoApproved,
    PromoCodeSet,
    PromoCodeRemoved,
    ApiTokenCreated,
    ApiTokenRevoked,
    ConversionsImported,
    FiguresRecorded,
    FiguresChecked,
    AccountSuspended,
    AccountReactivated,
    BrandOwnerChanged,
}

impl Action {
    /// Every action, for checking that the database knows each one.
    pub const ALL: &[Action] = &[
        Action::SignedUp,
        Action::LoggedIn,
        Action::LoggedOut,
        Action::PasswordChanged,
        Action::AdminCreated,
        Action::BrandProfileUpdated,
        Action::BrandMemberAdded,
        Action::BrandMemberRemoved,
        Action::BrandMemberInvited,
        Action::BrandInvitationRevoked,
        Action::BrandInvitationAccepted,
        Action::InfluencerInvited,
        Action::ProfileUpdated,
        Action::ChannelAdded,
        Action::SnapshotAdded,
        Action::ChannelVerified,
        Action::TierCutoffsChanged,
        Action::ApplicationSubmitted,
        Action::ApplicationWithdrawn,
        Action::ApplicationShortlisted,
        Action::ApplicationAccepted,
        Action::ApplicationDeclined,
        Action::BriefAcknowledged,
        Action::DeliverableSubmitted,
        Action::DeliverableReviewed,
        Action::DeliverablePublished,
        Action::ApplicationRated,
        Action::FundsRecorded,
        Action::TermsChanged,
        Action::CollaborationCancelled,
        Action::DisputeOpened,
        Action::DisputeResolved,
        Action::PayoutDetailsUpdated,
        Action::PayoutBatchPrepared,
        Action::PayoutBatchSent,
        Action::PayoutBatchDiscarded,
        Action::DeliverableAutoApproved,
        Action::PromoCodeSet,
        Action::PromoCodeRemoved,
        Action::ApiTokenCreated,
        Action::ApiTokenRevoked,
        Action::ConversionsImported,
        Action::FiguresRecorded,
        Action::FiguresChecked,
    ];

    /// The value stored in `audit_events.action`: a row of `audit_actions`,
    /// which also holds how the console words it.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::SignedUp => "account.signed_up",
            Action::LoggedIn => "account.logged_in",
            Action::LoggedOut => "account.logged_out",
            Action::PasswordChanged => "account.password_changed",
            Action::AdminCreated => "account.admin_created",
            Action::BrandProfileUpdated => "brand.profile_updated",
            Action::BrandMemberAdded => "brand.member_added",
            Action::BrandMemberRemoved => "brand.member_removed",
            Action::BrandMemberInvited => "brand.member_invited",
            Action::BrandInvitationRevoked => "brand.invitation_revoked",
            Action::BrandInvitationAccepted => "brand.invitation_accepted",
            Action::InfluencerInvited => "brand.influencer_invited",
            Action::ProfileUpdated => "influencer.profile_updated",
            Action::ChannelAdded => "influencer.channel_added",
            Action::SnapshotAdded => "influencer.snapshot_added",
            Action::ChannelVerified => "admin.channel_verified",
            Action::TierCutoffsChanged => "admin.tier_cutoffs_changed",
            Action::ApplicationSubmitted => "application.submitted",
            Action::ApplicationWithdrawn => "application.withdrawn",
            Action::ApplicationShortlisted => "application.shortlisted",
            Action::ApplicationAccepted => "application.accepted",
            Action::ApplicationDeclined => "application.declined",
            Action::BriefAcknowledged => "application.brief_acknowledged",
            Action::DeliverableSubmitted => "deliverable.submitted",
            Action::DeliverableReviewed => "deliverable.reviewed",
            Action::DeliverablePublished => "deliverable.published",
            Action::ApplicationRated => "application.rated",
            Action::FundsRecorded => "admin.funds_recorded",
            Action::TermsChanged => "admin.terms_changed",
            Action::CollaborationCancelled => "collaboration.cancelled",
            Action::DisputeOpened => "dispute.opened",
            Action::DisputeResolved => "admin.dispute_resolved",
            Action::PayoutDetailsUpdated => "influencer.payout_details_updated",
            Action::PayoutBatchPrepared => "admin.payout_batch_prepared",
            Action::PayoutBatchSent => "admin.payout_batch_sent",
            Action::PayoutBatchDiscarded => "admin.payout_batch_discarded",
            Action::DeliverableAutoApproved => "deliverable.auto_approved",
            Action::PromoCodeSet => "collaboration.promo_code_set",
            Action::PromoCodeRemoved => "collaboration.promo_code_removed",
            Action::ApiTokenCreated => "brand.api_token_created",
            Action::ApiTokenRevoked => "brand.api_token_revoked",
            Action::ConversionsImported => "brand.conversions_imported",
            Action::FiguresRecorded => "deliverable.figures_recorded",
            Action::FiguresChecked => "deliverable.figures_checked",
            Action::AccountSuspended => "admin.account_suspended",
            Action::AccountReactivated => "admin.account_reactivated",
            Action::BrandOwnerChanged => "admin.brand_owner_changed",
        }
    }
}

/// Who did something: a user, and the brand they acted for when agency staff
/// worked on a brand's behalf.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user: Uuid,
    pub for_brand: Option<Uuid>,
}

impl From<Uuid> for Actor {
    fn from(user: Uuid) -> Actor {
        Actor {
            user,
            for_brand: None,
        }
    }
}

/// One event to record: `Event::new(action, detail).by(user).on(object).at(ip)`,
/// then [`Event::record`] in the transaction that does what it describes.
#[derive(Debug, Clone)]
#[must_use = "an event is only kept once recorded"]
pub struct Event<'a> {
    action: Action,
    detail: &'a str,
    actor: Option<Actor>,
    object: Option<Uuid>,
    ip: Option<IpAddr>,
}

impl<'a> Event<'a> {
    pub fn new(action: Action, detail: &'a str) -> Event<'a> {
        Event {
            action,
            detail,
            actor: None,
            object: None,
            ip: None,
        }
    }

    /// Without it the event is the system's own (a background job's).
    pub fn by(mut self, actor: impl Into<Actor>) -> Event<'a> {
        self.actor = Some(actor.into());
        self
    }

    /// What the event is about, for finding every event about it.
    pub fn on(mut self, object: Uuid) -> Event<'a> {
        self.object = Some(object);
        self
    }

    /// The address the request came from.
    pub fn at(mut self, ip: impl Into<Option<IpAddr>>) -> Event<'a> {
        self.ip = ip.into();
        self
    }

    /// Writes the event. It joins the chain when the sealer next runs
    /// ([`chain::seal`]), so recording never waits on another transaction.
    pub async fn record(self, db: impl PgExecutor<'_>) -> Result<(), sqlx::Error> {
        sqlx::query!(
            "insert into audit_events (id, actor_user_id, for_brand_id, action, object_id, detail, ip)
             values ($1, $2, $3, $4, $5, $6, $7)",
            Uuid::now_v7(),
            self.actor.map(|a| a.user),
            self.actor.and_then(|a| a.for_brand),
            self.action.as_str(),
            self.object,
            self.detail,
            self.ip.map(sqlx::types::ipnetwork::IpNetwork::from),
        )
        .execute(db)
        .await?;
        Ok(())
    }
}
