//! The audit trail: who did what, to what, for which brand, when and from
//! where; kept in a tamper-evident chain ([`chain`]) and read back by the
//! agency console and a brand's page ([`search`]).

pub mod chain;
pub mod search;

use std::net::IpAddr;

use sqlx::PgExecutor;
use uuid::Uuid;

/// Declares the actions once: the enum, [`Action::ALL`] and the stored names
/// come from one list, so an action cannot be left out of the check that the
/// database knows each one.
macro_rules! actions {
    ($($variant:ident => $stored:literal,)+) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Action {
            $($variant,)+
        }

        impl Action {
            /// Every action, for checking that the database knows each one.
            pub const ALL: &[Action] = &[$(Action::$variant,)+];

            /// The value stored in `audit_events.action`: a row of
            /// `audit_actions`, which also holds how the console words it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Action::$variant => $stored,)+
                }
            }
        }
    };
}

actions! {
    SignedUp => "account.signed_up",
    LoggedIn => "account.logged_in",
    LoggedOut => "account.logged_out",
    PasswordChanged => "account.password_changed",
    AdminCreated => "account.admin_created",
    BrandProfileUpdated => "brand.profile_updated",
    BrandMemberAdded => "brand.member_added",
    BrandMemberRemoved => "brand.member_removed",
    BrandMemberInvited => "brand.member_invited",
    BrandInvitationRevoked => "brand.invitation_revoked",
    BrandInvitationAccepted => "brand.invitation_accepted",
    InfluencerInvited => "brand.influencer_invited",
    ProfileUpdated => "influencer.profile_updated",
    ChannelAdded => "influencer.channel_added",
    SnapshotAdded => "influencer.snapshot_added",
    ChannelVerified => "admin.channel_verified",
    TierCutoffsChanged => "admin.tier_cutoffs_changed",
    ApplicationSubmitted => "application.submitted",
    ApplicationWithdrawn => "application.withdrawn",
    ApplicationShortlisted => "application.shortlisted",
    ApplicationAccepted => "application.accepted",
    ApplicationDeclined => "application.declined",
    BriefAcknowledged => "application.brief_acknowledged",
    DeliverableSubmitted => "deliverable.submitted",
    DeliverableReviewed => "deliverable.reviewed",
    DeliverablePublished => "deliverable.published",
    ApplicationRated => "application.rated",
    FundsRecorded => "admin.funds_recorded",
    TermsChanged => "admin.terms_changed",
    CollaborationCancelled => "collaboration.cancelled",
    DisputeOpened => "dispute.opened",
    DisputeResolved => "admin.dispute_resolved",
    PayoutDetailsUpdated => "influencer.payout_details_updated",
    PayoutBatchPrepared => "admin.payout_batch_prepared",
    PayoutBatchSent => "admin.payout_batch_sent",
    PayoutBatchDiscarded => "admin.payout_batch_discarded",
    DeliverableAutoApproved => "deliverable.auto_approved",
    PromoCodeSet => "collaboration.promo_code_set",
    PromoCodeRemoved => "collaboration.promo_code_removed",
    ApiTokenCreated => "brand.api_token_created",
    ApiTokenRevoked => "brand.api_token_revoked",
    ConversionsImported => "brand.conversions_imported",
    FiguresRecorded => "deliverable.figures_recorded",
    FiguresChecked => "deliverable.figures_checked",
    AccountSuspended => "admin.account_suspended",
    AccountReactivated => "admin.account_reactivated",
    BrandOwnerChanged => "admin.brand_owner_changed",
    PasswordResetRequested => "account.password_reset_requested",
    PasswordReset => "account.password_reset",
    PasswordResetSent => "admin.password_reset_sent",
    NotificationEmailChanged => "account.notification_email_changed",
    StaffCreated => "admin.staff_created",
    PortfolioAssigned => "admin.portfolio_assigned",
    AgencyManagedChanged => "admin.agency_managed_changed",
    ActingStarted => "manager.acting_started",
    ActingStopped => "manager.acting_stopped",
    CampaignCreated => "campaign.created",
    CampaignUpdated => "campaign.updated",
    CampaignStatusChanged => "campaign.status_changed",
    BriefSaved => "campaign.brief_saved",
    AgreementDrawnUp => "agreement.drawn_up",
    AgreementSigned => "agreement.signed",
    AmendmentQuoted => "amendment.quoted",
    AmendmentAccepted => "amendment.accepted",
    AmendmentDeclined => "amendment.declined",
    AmendmentWithdrawn => "amendment.withdrawn",
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
