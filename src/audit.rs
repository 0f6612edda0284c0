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
