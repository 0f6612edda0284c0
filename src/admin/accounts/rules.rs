//! Who may be suspended, and the reason given: rules free of HTTP.

use uuid::Uuid;

/// Why a suspension or reactivation is refused, in words for the admin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Yourself,
    LastAdmin,
    AlreadySuspended,
    NotSuspended,
}

impl Refusal {
    pub fn message(self) -> &'static str {
        match self {
            Refusal::Yourself => {
                "You cannot suspend your own account. Ask another agency admin if it must be done."
            }
            Refusal::LastAdmin => {
                "This is the last active agency admin: suspending it would leave nobody to run the agency. Make another admin first."
            }
            Refusal::AlreadySuspended => "This account is already suspended.",
            Refusal::NotSuspended => "This account is not suspended.",
        }
    }
}

/// The target of a suspension, as the database has it under lock.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    pub id: Uuid,
    pub is_admin: bool,
    pub suspended: bool,
}

pub fn may_suspend(actor: Uuid, target: Target, active_admins: i64) -> Result<(), Refusal> {
    if target.id == actor {
        return Err(Refusal::Yourself);
    }
    if target.suspended {
        return Err(Refusal::AlreadySuspended);
    }
    if target.is_admin && active_admins <= 1 {
        return Err(Refusal::LastAdmin);
    }
    Ok(())
}

pub fn may_reactivate(target: Target) -> Result<(), Refusal> {
    if target.suspended {
        Ok(())
    } else {
        Err(Refusal::NotSuspended)
    }
}

/// The reason given, trimmed: shown to the person kept out.
pub fn reason(input: &str) -> Result<String, String> {
    let reason = input.trim();
    match reason.chars().count() {
        0 => Err(
            "Give the reason: the account's owner reads it when they try to sign in.".to_owned(),
        ),
        n if n > 1000 => Err(format!(
            "Keep the reason to 1,000 characters; this one has {n}."
        )),
        _ => Ok(reason.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(id: u128, is_admin: bool, suspended: bool) -> Target {
        Target {
            id: Uuid::from_u128(id),
            is_admin,
            suspended,
        }
    }

    #[test]
    fn nobody_suspends_themselves_the_last_admin_or_twice() {
        let me = Uuid::from_u128(1);
        assert_eq!(
            may_suspend(me, target(1, true, false), 2),
            Err(Refusal::Yourself)
        );
        assert_eq!(
            may_suspend(me, target(2, true, false), 1),
            Err(Refusal::LastAdmin)
        );
        assert_eq!(may_suspend(me, target(2, true, false), 2), Ok(()));
        assert_eq!(may_suspend(me, target(3, false, false), 1), Ok(()));
        assert_eq!(
            may_suspend(me, target(3, false, true), 1),
            Err(Refusal::AlreadySuspended)
        );
        assert_eq!(
            may_reactivate(target(3, false, false)),
            Err(Refusal::NotSuspended)
        );
        assert_eq!(may_reactivate(target(3, false, true)), Ok(()));
    }

    #[test]
    fn a_reason_is_given_and_kept_short() {
        assert!(reason("   ").is_err());
        assert_eq!(reason("  fake followers "), Ok("fake followers".to_owned()));
        assert!(reason(&"x".repeat(1001)).is_err());
        assert!(reason(&"é".repeat(1000)).is_ok());
    }
}
