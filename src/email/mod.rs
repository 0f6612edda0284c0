//! Email. A message is written to the outbox ([`outbox`]) in the transaction
//! that causes it, so a rolled-back action sends nothing and a committed one is
//! never forgotten; the sender ([`sender`]) delivers the outbox through SMTP
//! when one is configured, retrying with back-off. Without SMTP (the
//! development default) mail stays in the outbox, where agency admins read it.

pub mod outbox;
pub mod sender;

use askama::Template;
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::domain::keyed_enum;

keyed_enum! {
    /// Why a message was sent.
    pub enum Kind {
        TeamInvitation => ("team_invitation", "Team invitation"),
        PasswordReset => ("password_reset", "Password reset"),
        AccountSuspended => ("account_suspended", "Suspension notice"),
        AccountReactivated => ("account_reactivated", "Reactivation notice"),
        Notification => ("notification", "Notification"),
        Digest => ("digest", "Daily digest"),
    }
    unknown: "Unknown kind of email."
}

/// One message to queue: `Message::new(kind, to, subject, &body)?`, then
/// [`Message::queue`] in the transaction that does what it tells of.
#[derive(Debug, Clone)]
#[must_use = "a message is only sent once queued"]
pub struct Message {
    kind: Kind,
    to: String,
    user: Option<Uuid>,
    subject: String,
    body: String,
    body_after_sending: Option<String>,
}

impl Message {
    /// A plain-text message whose body is a template under `templates/email/`.
    pub fn new(
        kind: Kind,
        to: &str,
        subject: impl Into<String>,
        body: &impl Template,
    ) -> Result<Message, askama::Error> {
        Ok(Message {
            kind,
            to: to.to_owned(),
            user: None,
            subject: subject.into(),
            body: body.render()?,
            body_after_sending: None,
        })
    }

    /// The account it is for, so the console can list an account's mail.
    pub fn for_user(mut self, user: Uuid) -> Message {
        self.user = Some(user);
        self
    }

    /// The body carries a secret (a reset link): once sent, the outbox keeps
    /// `redacted` instead, so nobody reading the outbox can use it.
    pub fn secret_until_sent(mut self, redacted: &impl Template) -> Result<Message, askama::Error> {
        self.body_after_sending = Some(redacted.render()?);
        Ok(self)
    }

    pub async fn queue(self, db: impl PgExecutor<'_>) -> Result<Uuid, sqlx::Error> {
        outbox::insert(db, &self).await
    }
}
