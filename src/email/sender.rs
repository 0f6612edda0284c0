//! The background sender: claims due messages from the outbox, sends them
//! through SMTP and records how it went. A message that fails for a reason
//! that may pass (the server is down, busy or slow) is tried again with
//! growing pauses; one the server refuses for good, or that failed
//! [`MAX_ATTEMPTS`] times, is given up on and shown as failed on the console.

use std::time::Duration;

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Tokio1Executor,
    message::{Mailbox, header::ContentType},
};
use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

use super::outbox::{self, Due};
use crate::shutdown::Stop;

/// Attempts before a message is given up on: with [`backoff`] the last one
/// comes about 8 hours after the first.
pub const MAX_ATTEMPTS: i32 = 10;

/// How long a claim lasts: longer than any send takes (the SMTP timeout is
/// 30 seconds), short enough that a crashed sender's mail goes out soon.
const LEASE: time::Duration = time::Duration::minutes(5);

const BATCH: i64 = 20;

/// The pause after a message's `attempts`-th failure: a minute, doubling,
/// at most four hours.
pub fn backoff(attempts: i32) -> time::Duration {
    let doublings = attempts.clamp(1, 9) - 1;
    time::Duration::minutes(1i64 << doublings).min(time::Duration::hours(4))
}

/// Sends mail through one SMTP server.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// `smtp://host:port` (plain, for a relay on this machine or a test),
    /// `smtp://…?tls=required` (STARTTLS) or `smtps://user:password@host:465`.
    pub fn new(url: &str, from: &str) -> anyhow::Result<Mailer> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| anyhow::anyhow!("LIAISON_SMTP_URL: {e}"))?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        Ok(Mailer {
            transport,
            from: Mailer::check_from(from)?,
        })
    }

    pub fn check_url(url: &str) -> anyhow::Result<()> {
        AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map(drop)
            .map_err(|e| anyhow::anyhow!("{e}"))
    }

    pub fn check_from(from: &str) -> anyhow::Result<Mailbox> {
        from.parse().map_err(|e| anyhow::anyhow!("{e}"))
    }

    /// Sends one message; `Err((reason, permanent))` when it was not sent.
    async fn send(&self, m: &Due) -> Result<(), (String, bool)> {
        let to: Mailbox = m
            .to_address
            .parse()
            .map_err(|e| (format!("the address cannot take mail: {e}"), true))?;
        let domain = self.from.email.domain().to_owned();
        let message = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone())
            // The same id on every attempt, so a message sent twice (sent,
            // then the record of it lost) is recognisably one message.
            .message_id(Some(format!("<{}@{domain}>", m.id)))
            .header(ContentType::TEXT_PLAIN)
            .body(m.body.clone())
            .map_err(|e| (format!("the message cannot be built: {e}"), true))?;
        self.transport
            .send(message)
            .await
            .map(drop)
            .map_err(|e| (e.to_string(), e.is_permanent()))
    }
}

/// What one pass of the sender did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
}

/// Sends what is due, one batch; the console's counts and the tests read
/// the outcome from the outbox.
pub async fn send_due(pool: &PgPool, mailer: &Mailer) -> Result<Pass, sqlx::Error> {
    send_due_unless(pool, mailer, || false).await
}

/// [`send_due`], stopping after the message being sent when `stopping` says so.
async fn send_due_unless(
    pool: &PgPool,
    mailer: &Mailer,
    stopping: impl Fn() -> bool,
) -> Result<Pass, sqlx::Error> {
    let mut pass = Pass::default();
    let claimed = outbox::claim_due(pool, BATCH, LEASE).await?;
    for (i, m) in claimed.iter().enumerate() {
        if stopping() {
            // Stopping: the claimed mail not sent yet goes back to the outbox
            // now, for another instance, rather than when the lease runs out.
            let rest: Vec<Uuid> = claimed[i..].iter().map(|m| m.id).collect();
            outbox::release(pool, &rest).await?;
            break;
        }
        match mailer.send(m).await {
            Ok(()) => {
                outbox::mark_sent(pool, m.id).await?;
                metrics::counter!(crate::metrics::EMAILS_SENT).increment(1);
                pass.sent += 1;
            }
            Err((reason, permanent)) => {
                let attempts = m.attempts + 1;
                let retry_at = (!permanent && attempts < MAX_ATTEMPTS)
                    .then(|| OffsetDateTime::now_utc() + backoff(attempts));
                tracing::warn!(message = %m.id, attempts, permanent, error = %reason, "sending mail failed");
                metrics::counter!(crate::metrics::EMAILS_FAILED, "permanent" => if permanent { "true" } else { "false" })
                    .increment(1);
                outbox::mark_failed_attempt(pool, m.id, &reason, retry_at).await?;
                if retry_at.is_some() {
                    pass.retrying += 1;
                } else {
                    pass.failed += 1;
                }
            }
        }
    }
    Ok(pass)
}

/// Drains the outbox while there is mail, then looks again every two
/// seconds, until the server stops. Without a mailer there is nothing to do:
/// mail stays in the outbox for the console.
pub async fn run(pool: PgPool, mailer: Option<Mailer>, mut stop: Stop) {
    let Some(mailer) = mailer else {
        tracing::info!("no LIAISON_SMTP_URL: mail stays in the outbox at /admin/outbox");
        return;
    };
    loop {
        let done = send_due_unless(&pool, &mailer, || stop.requested()).await;
        crate::metrics::job_ran("mail sender", done.is_ok());
        let pause = match done {
            Ok(pass) if pass.sent + pass.retrying + pass.failed == BATCH as usize => Duration::ZERO,
            Ok(pass) => {
                if pass.sent > 0 {
                    tracing::info!(sent = pass.sent, "sent mail");
                }
                Duration::from_secs(2)
            }
            Err(e) => {
                tracing::warn!(error = %e, "reading the outbox failed");
                Duration::from_secs(10)
            }
        };
        if !stop.pause(pause).await {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_double_from_a_minute_to_at_most_four_hours() {
        let minutes: Vec<i64> = (1..=MAX_ATTEMPTS)
            .map(|a| backoff(a).whole_minutes())
            .collect();
        assert_eq!(minutes, [1, 2, 4, 8, 16, 32, 64, 128, 240, 240]);
        let total: i64 = minutes[..(MAX_ATTEMPTS as usize - 1)].iter().sum();
        assert!((7 * 60..=9 * 60).contains(&total), "{total} minutes");
    }

    #[test]
    fn urls_and_senders_are_checked_before_any_mail_is_sent() {
        assert!(Mailer::check_url("smtp://127.0.0.1:2525").is_ok());
        assert!(Mailer::check_url("smtps://user:pw@mail.example:465").is_ok());
        assert!(Mailer::check_url("mail.example").is_err());
        assert!(Mailer::check_from("Liaison <hello@liaison.example>").is_ok());
        assert!(Mailer::check_from("hello").is_err());
    }
}
