//! Notifications as stored: their kinds, sending one to a user, a brand's
//! members or a campaign's applicants, reading and marking them read.

use sqlx::{PgExecutor, postgres::PgPool};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::domain::keyed_enum;

keyed_enum! {
    pub enum Kind {
        ApplicationReceived => ("application_received", "Application received"),
        ApplicationWithdrawn => ("application_withdrawn", "Application withdrawn"),
        ApplicationDecided => ("application_decided", "Application decided"),
        BriefUpdated => ("brief_updated", "Brief updated"),
        SubmissionReceived => ("submission_received", "Draft received"),
        FeedbackReceived => ("feedback_received", "Feedback received"),
        DeliverablePublished => ("deliverable_published", "Published"),
        RatingReceived => ("rating_received", "Rating received"),
        MessageReceived => ("message_received", "Message"),
        DeadlineSoon => ("deadline_soon", "Deadline in two days"),
        ReviewOverdue => ("review_overdue", "Review overdue"),
        AutoApproved => ("auto_approved", "Approved automatically"),
        CollaborationCancelled => ("collaboration_cancelled", "Collaboration ended"),
        DisputeOpened => ("dispute_opened", "Dispute opened"),
        DisputeResolved => ("dispute_resolved", "Dispute settled"),
        PayoutSent => ("payout_sent", "Payout sent"),
        AgreementToSign => ("agreement_to_sign", "Agreement to sign"),
        AgreementSigned => ("agreement_signed", "Agreement in force"),
        AmendmentQuoted => ("amendment_quoted", "Quote for extra work"),
        AmendmentDecided => ("amendment_decided", "Quote decided"),
    }
    unknown: "Unknown notification."
}

/// One notification to write: what it is about and where it leads.
pub struct Note<'a> {
    pub kind: Kind,
    pub subject: Uuid,
    pub message: &'a str,
    pub link: &'a str,
}

/// Notifies one person. Returns who was notified, so the caller can refresh
/// this instance's copy of their session (which carries the unread count).
pub async fn to_user(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    note: Note<'_>,
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query!(
        "insert into notifications (id, user_id, kind, subject_id, message, link)
         values ($1, $2, $3, $4, $5, $6)",
        Uuid::now_v7(),
        user_id,
        note.kind as Kind,
        note.subject,
        note.message,
        note.link
    )
    .execute(db)
    .await?;
    Ok(vec![user_id])
}

/// Notifies every member of a brand but `except` (who did it).
pub async fn to_brand(
    db: impl PgExecutor<'_>,
    brand_id: Uuid,
    except: Option<Uuid>,
    note: Note<'_>,
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into notifications (id, user_id, kind, subject_id, message, link)
         select uuidv7(), m.user_id, $2, $3, $4, $5
           from brand_members m
          where m.brand_id = $1 and m.user_id is distinct from $6
         returning user_id",
        brand_id,
        note.kind as Kind,
        note.subject,
        note.message,
        note.link,
        except
    )
    .fetch_all(db)
    .await
}

/// Notifies the active applicants of a campaign (after a brief update).
pub async fn to_applicants(
    db: impl PgExecutor<'_>,
    campaign_id: Uuid,
    kind: Kind,
    message: &str,
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into notifications (id, user_id, kind, subject_id, message, link)
         select uuidv7(), p.user_id, $2, a.id, $3, '/applications/' || a.id
           from applications a
           join influencer_profiles p on p.id = a.profile_id
          where a.campaign_id = $1 and a.status in ('submitted', 'shortlisted', 'accepted')
         returning user_id",
        campaign_id,
        kind as Kind,
        message
    )
    .fetch_all(db)
    .await
}

#[derive(Debug, Clone)]
pub struct NotificationRow {
    pub id: Uuid,
    pub kind: Kind,
    pub message: String,
    pub link: String,
    pub created_at: OffsetDateTime,
    pub unread: bool,
}

/// The newest notifications of a user, `before` a (created_at, id) key.
pub async fn list(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    before: Option<(OffsetDateTime, Uuid)>,
    limit: i64,
) -> Result<Vec<NotificationRow>, sqlx::Error> {
    let (at, id) = before.unzip();
    let rows = sqlx::query!(
        r#"select id, kind as "kind: Kind", message, link, created_at, read_at is null as "unread!"
           from notifications
          where user_id = $1
            and ($2::timestamptz is null or (created_at, id) < ($2, $3))
          order by created_at desc, id desc
          limit $4"#,
        user_id,
        at,
        id,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| NotificationRow {
            id: r.id,
            kind: r.kind,
            message: r.message,
            link: r.link,
            created_at: r.created_at,
            unread: r.unread,
        })
        .collect())
}

/// Marks all of a user's notifications read.
pub async fn mark_read(db: &PgPool, user_id: Uuid) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query!(
        "update notifications set read_at = now() where user_id = $1 and read_at is null",
        user_id
    )
    .execute(db)
    .await?
    .rows_affected())
}

/// Marks one of the user's notifications read and returns where it leads.
pub async fn open(db: &PgPool, user_id: Uuid, id: Uuid) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "update notifications set read_at = coalesce(read_at, now())
          where id = $1 and user_id = $2
         returning link",
        id,
        user_id
    )
    .fetch_optional(db)
    .await
}
