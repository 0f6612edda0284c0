//! The audit trail: who did what, when, from where.

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
}

impl Action {
    /// The value stored in `audit_events.action` (checked by the table).
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
        }
    }

    /// How the admin console words a stored action.
    pub fn describe(stored: &str) -> &'static str {
        match stored {
            "account.signed_up" => "Signed up",
            "account.logged_in" => "Logged in",
            "account.logged_out" => "Logged out",
            "account.password_changed" => "Changed password",
            "account.admin_created" => "Admin account created",
            "brand.profile_updated" => "Updated the brand profile",
            "brand.member_added" => "Added a team member",
            "brand.member_removed" => "Removed a team member",
            "brand.member_invited" => "Invited a team member",
            "brand.invitation_revoked" => "Revoked an invitation",
            "brand.invitation_accepted" => "Joined a brand by invitation",
            "brand.influencer_invited" => "Invited a creator to a campaign",
            "influencer.profile_updated" => "Updated their creator profile",
            "influencer.channel_added" => "Added a channel",
            "influencer.snapshot_added" => "Updated a channel's figures",
            "admin.channel_verified" => "Verified a channel's figures",
            "admin.tier_cutoffs_changed" => "Changed the tier cut-offs",
            "admin.funds_recorded" => "Recorded money received for a brand",
            "admin.terms_changed" => "Changed the agency's fees and terms",
            "collaboration.cancelled" => "Ended a collaboration",
            "dispute.opened" => "Opened a dispute",
            "admin.dispute_resolved" => "Settled a dispute",
            "influencer.payout_details_updated" => "Updated payout details",
            "admin.payout_batch_prepared" => "Prepared a payout batch",
            "admin.payout_batch_sent" => "Marked a payout batch sent",
            "admin.payout_batch_discarded" => "Discarded a payout batch",
            "deliverable.auto_approved" => "A draft was approved automatically",
            "collaboration.promo_code_set" => "Set a collaboration's promo code",
            "collaboration.promo_code_removed" => "Removed a collaboration's promo code",
            "application.submitted" => "Applied to a campaign",
            "application.withdrawn" => "Withdrew an application",
            "application.shortlisted" => "Shortlisted an application",
            "application.accepted" => "Accepted an application",
            "application.declined" => "Declined an application",
            "application.brief_acknowledged" => "Confirmed a new brief version",
            "deliverable.submitted" => "Submitted a draft",
            "deliverable.reviewed" => "Reviewed a draft",
            "deliverable.published" => "Published a deliverable",
            "application.rated" => "Rated a collaboration",
            _ => "Other",
        }
    }
}

pub async fn record(
    db: impl PgExecutor<'_>,
    actor: Option<Uuid>,
    action: Action,
    detail: &str,
    ip: Option<IpAddr>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into audit_events (id, actor_user_id, action, detail, ip) values ($1, $2, $3, $4, $5)",
        Uuid::now_v7(),
        actor,
        action.as_str(),
        detail,
        ip.map(sqlx::types::ipnetwork::IpNetwork::from),
    )
    .execute(db)
    .await?;
    Ok(())
}
