//! Notifications by email, as each person chose: every notification at once,
//! a daily digest of those still unread, or never. The notification's insert
//! queues it (a trigger, `notification_mail`), so no path that notifies can
//! forget the email; these jobs turn the queue into outbox messages.

use askama::Template;
use sqlx::PgPool;
use time::{OffsetDateTime, Time};
use uuid::Uuid;

use super::Kind;
use crate::{
    domain::keyed_enum,
    email::{self, Message},
    shutdown::Stop,
};

keyed_enum! {
    /// How a person wants notifications by email.
    pub enum Choice {
        Immediate => ("immediate", "Each one as it happens"),
        Digest => ("digest", "A daily digest of what I have not read"),
        Never => ("never", "Never: I read them on Liaison"),
    }
    unknown: "Choose how you want notifications by email."
}

/// When the daily digest goes out, in UTC: the morning in Europe, before the
/// working day in the Americas.
pub const DIGEST_AT: Time = time::macros::time!(07:00);

/// A digest lists at most this many notifications and counts the rest.
const DIGEST_LISTS: usize = 20;

pub async fn choice(db: impl sqlx::PgExecutor<'_>, user: Uuid) -> Result<Choice, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select notification_email as "choice: Choice" from users where id = $1"#,
        user
    )
    .fetch_one(db)
    .await
}

/// Sets a person's choice. Notifications already queued under the old one
/// follow the new one: choosing "never" drops them.
pub async fn choose(
    tx: &mut sqlx::PgConnection,
    user: Uuid,
    choice: Choice,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update users set notification_email = $2 where id = $1",
        user,
        choice as Choice
    )
    .execute(&mut *tx)
    .await?;
    match choice {
        Choice::Never => {
            sqlx::query!("delete from notification_mail where user_id = $1", user)
                .execute(&mut *tx)
                .await?;
        }
        Choice::Immediate | Choice::Digest => {
            sqlx::query!(
                "update notification_mail set mode = $2 where user_id = $1",
                user,
                choice as Choice
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(())
}

#[derive(Template)]
#[template(path = "email/notification.txt")]
struct NotificationEmail<'a> {
    name: &'a str,
    message: &'a str,
    url: String,
    settings: String,
}

/// Emails queued notifications of people who want each at once, up to
/// `limit`; returns how many it queued for sending. Several instances may
/// run this together: each claims different notifications.
pub async fn send_immediate(
    db: &PgPool,
    public_url: &str,
    limit: i64,
) -> Result<usize, anyhow::Error> {
    let mut tx = db.begin().await?;
    let due = sqlx::query!(
        r#"delete from notification_mail q
            using notifications n, users u
            where q.notification_id in (select notification_id from notification_mail
                                         where mode = 'immediate'
                                         order by created_at
                                         limit $1
                                         for update skip locked)
              and n.id = q.notification_id and u.id = q.user_id
           returning u.id as user_id, u.email, u.display_name, u.suspended_at is not null as "suspended!",
                     n.kind as "kind: Kind", n.message, n.link"#,
        limit
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut queued = 0;
    for n in due.iter().filter(|n| !n.suspended) {
        let body = NotificationEmail {
            name: &n.display_name,
            message: &n.message,
            url: format!("{public_url}{}", n.link),
            settings: format!("{public_url}/account#email"),
        };
        Message::new(
            email::Kind::Notification,
            &n.email,
            format!("{} on Liaison", n.kind.label()),
            &body,
        )?
        .for_user(n.user_id)
        .queue(&mut *tx)
        .await?;
        queued += 1;
    }
    tx.commit().await?;
    Ok(queued)
}

/// The latest digest time at or before `now`.
pub fn digest_cutoff(now: OffsetDateTime) -> OffsetDateTime {
    let today = now.replace_time(DIGEST_AT);
    if today <= now {
        today
    } else {
        today - time::Duration::days(1)
    }
}

#[derive(Template)]
#[template(path = "email/digest.txt")]
struct DigestEmail<'a> {
    name: &'a str,
    items: Vec<DigestItem>,
    more: usize,
    inbox: String,
    settings: String,
}

struct DigestItem {
    label: &'static str,
    message: String,
    url: String,
}

/// Sends the daily digest to up to `limit` people whose digest is due at
/// `now`: those with notifications queued before today's digest time and no
/// digest since. A digest lists what is still unread; when everything was
/// read on Liaison meanwhile, nothing is sent.
pub async fn send_digests(
    db: &PgPool,
    public_url: &str,
    now: OffsetDateTime,
    limit: i64,
) -> Result<Digests, anyhow::Error> {
    let cutoff = digest_cutoff(now);
    let mut done = Digests::default();
    let mut tx = db.begin().await?;
    // Each person's row is locked while their digest is made, so two
    // instances never send one person two digests.
    let due = sqlx::query!(
        r#"select u.id, u.email, u.display_name, u.suspended_at is not null as "suspended!"
             from users u
            where u.id in (select distinct user_id from notification_mail
                            where mode = 'digest' and created_at < $1)
              and (u.digest_sent_at is null or u.digest_sent_at < $1)
            limit $2
              for update skip locked"#,
        cutoff,
        limit
    )
    .fetch_all(&mut *tx)
    .await?;
    for person in due {
        done.people += 1;
        let pending = sqlx::query!(
            r#"delete from notification_mail q
                using notifications n
                where q.user_id = $1 and q.mode = 'digest' and q.created_at < $2
                  and n.id = q.notification_id
               returning n.kind as "kind: Kind", n.message, n.link, n.read_at is null as "unread!",
                         n.created_at"#,
            person.id,
            cutoff
        )
        .fetch_all(&mut *tx)
        .await?;
        sqlx::query!(
            "update users set digest_sent_at = $2 where id = $1",
            person.id,
            now
        )
        .execute(&mut *tx)
        .await?;
        let mut unread: Vec<_> = pending.into_iter().filter(|n| n.unread).collect();
        if unread.is_empty() || person.suspended {
            continue;
        }
        unread.sort_by_key(|n| std::cmp::Reverse(n.created_at));
        let count = unread.len();
        let items: Vec<DigestItem> = unread
            .into_iter()
            .take(DIGEST_LISTS)
            .map(|n| DigestItem {
                label: n.kind.label(),
                message: n.message,
                url: format!("{public_url}{}", n.link),
            })
            .collect();
        let body = DigestEmail {
            name: &person.display_name,
            more: count - items.len(),
            items,
            inbox: format!("{public_url}/notifications"),
            settings: format!("{public_url}/account#email"),
        };
        let subject = match count {
            1 => "1 thing waiting for you on Liaison".to_owned(),
            n => format!("{n} things waiting for you on Liaison"),
        };
        Message::new(email::Kind::Digest, &person.email, subject, &body)?
            .for_user(person.id)
            .queue(&mut *tx)
            .await?;
        done.sent += 1;
    }
    tx.commit().await?;
    Ok(done)
}

/// What one pass of [`send_digests`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Digests {
    /// People whose digest was due.
    pub people: usize,
    /// Digests queued: fewer when someone had read everything already.
    pub sent: usize,
}

/// Emails notifications every few seconds and digests when due, until the
/// server stops.
pub async fn run(pool: PgPool, public_url: String, mut stop: Stop) {
    const BATCH: i64 = 200;
    let mut digest_check = tokio::time::interval(std::time::Duration::from_secs(300));
    while !stop.requested() {
        tokio::select! {
            () = stop.wait() => return,
            _ = digest_check.tick() => {
                loop {
                    let done = send_digests(&pool, &public_url, OffsetDateTime::now_utc(), BATCH).await;
                    crate::metrics::job_ran("notification digests", done.is_ok());
                    match done {
                        Ok(d) if d.people == 0 => break,
                        Ok(d) => tracing::info!(digests = d.sent, "queued notification digests"),
                        Err(e) => {
                            tracing::warn!(error = %e, "sending digests failed");
                            break;
                        }
                    }
                }
            }
            () = tokio::time::sleep(std::time::Duration::from_secs(3)) => {
                let done = send_immediate(&pool, &public_url, BATCH).await;
                crate::metrics::job_ran("notification email", done.is_ok());
                match done {
                    Ok(0) => {}
                    Ok(n) => tracing::debug!(emails = n, "queued notification emails"),
                    Err(e) => tracing::warn!(error = %e, "emailing notifications failed"),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn the_digest_covers_what_came_before_seven_in_the_morning() {
        assert_eq!(
            digest_cutoff(datetime!(2026-12-05 09:30 UTC)),
            datetime!(2026-12-05 07:00 UTC)
        );
        assert_eq!(
            digest_cutoff(datetime!(2026-12-05 06:59 UTC)),
            datetime!(2026-12-04 07:00 UTC)
        );
        assert_eq!(
            digest_cutoff(datetime!(2026-12-05 07:00 UTC)),
            datetime!(2026-12-05 07:00 UTC)
        );
    }
}
