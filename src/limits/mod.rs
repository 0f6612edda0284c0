//! Rate limits on what people and programs may do in a while: sign-ups and
//! password reset requests per network address, messages, applications and
//! order uploads per account and per address, orders through the API per
//! brand and per address. Kept in PostgreSQL (`db`), so every instance
//! behind a load balancer counts the same requests; the API's, which come
//! many a second, in each instance's memory (`local`), with a stated bound.
//!
//! Each limit lets `max` requests through at once and then one every
//! `window / max` (the generic cell rate algorithm): a burst is allowed, a
//! steady flood is not, and nobody waits for a whole window to reset.

pub mod db;
pub mod local;

use std::{
    net::{IpAddr, Ipv6Addr},
    time::Duration,
};

use uuid::Uuid;

/// Who a limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Per {
    Account,
    /// A network address; IPv6 by its /64, which one subscriber usually has whole.
    Address,
    /// A brand, through its API tokens.
    Brand,
}

/// One limit: at most `max` of `what` per `per` in `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Names its buckets; unique among limits.
    pub name: &'static str,
    pub per: Per,
    pub max: u32,
    pub window: Duration,
    /// What is counted, in the plural, for the message: "messages".
    pub what: &'static str,
}

const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);

impl Limit {
    /// Accounts made from one address: a household or an office signs up a
    /// few people, a script signs up hundreds.
    pub const SIGNUPS: Limit = Limit {
        name: "signup.address",
        per: Per::Address,
        max: 10,
        window: HOUR,
        what: "new accounts",
    };
    /// Reset links asked for from one address, for any accounts (each account
    /// also gets at most three links an hour, silently).
    pub const RESETS: Limit = Limit {
        name: "reset.address",
        per: Per::Address,
        max: 10,
        window: HOUR,
        what: "password reset requests",
    };
    /// A brisk conversation is a message a minute or two; thirty in ten
    /// minutes is a script.
    pub const MESSAGES: Limit = Limit {
        name: "messages.account",
        per: Per::Account,
        max: 30,
        window: Duration::from_secs(600),
        what: "messages",
    };
    pub const MESSAGES_BY_ADDRESS: Limit = Limit {
        name: "messages.address",
        per: Per::Address,
        max: 120,
        window: Duration::from_secs(600),
        what: "messages",
    };
    /// Each application carries a pitch written for its brief: twenty an hour
    /// is more than anyone writes well.
    pub const APPLICATIONS: Limit = Limit {
        name: "applications.account",
        per: Per::Account,
        max: 20,
        window: HOUR,
        what: "applications",
    };
    pub const APPLICATIONS_BY_ADDRESS: Limit = Limit {
        name: "applications.address",
        per: Per::Address,
        max: 60,
        window: HOUR,
        what: "applications",
    };
    /// Order files: a brand uploads one a day or a week; each is parsed whole.
    pub const UPLOADS: Limit = Limit {
        name: "uploads.account",
        per: Per::Account,
        max: 20,
        window: HOUR,
        what: "order files",
    };
    pub const UPLOADS_BY_ADDRESS: Limit = Limit {
        name: "uploads.address",
        per: Per::Address,
        max: 60,
        window: HOUR,
        what: "order files",
    };
    /// Orders through the API: a busy shop's peak, ten a second sustained,
    /// with a minute's worth at once for a backlog sent after an outage.
    /// `LIAISON_API_RATE` changes the number (and the address's, twice it).
    pub const API_ORDERS: Limit = Limit {
        name: "api.brand",
        per: Per::Brand,
        max: 600,
        window: MINUTE,
        what: "API requests",
    };
    /// Every request to the API from one address, before its token is even
    /// looked up: one platform may post for several brands.
    pub const API_BY_ADDRESS: Limit = Limit {
        name: "api.address",
        per: Per::Address,
        max: 1200,
        window: MINUTE,
        what: "API requests",
    };

    /// The bucket of this limit for an account or a brand.
    pub fn of(self, id: Uuid) -> Bucket {
        debug_assert!(self.per != Per::Address);
        Bucket {
            limit: self,
            key: format!("{}:{}", self.name, id.simple()),
        }
    }

    /// The bucket of this limit for a network address.
    pub fn from(self, ip: IpAddr) -> Bucket {
        debug_assert!(self.per == Per::Address);
        Bucket {
            limit: self,
            key: format!("{}:{}", self.name, address_key(ip)),
        }
    }

    /// The time between requests once the burst is spent.
    pub fn interval(self) -> Duration {
        self.window / self.max.max(1)
    }
}

/// IPv4 as it is (also when mapped into IPv6); IPv6 by its /64 prefix, so a
/// subscriber cannot escape a limit by walking through their own addresses.
fn address_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{}/64", Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

/// A limit applied to one account, brand or address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    pub limit: Limit,
    key: String,
}

impl Bucket {
    pub fn key(&self) -> &str {
        &self.key
    }
}

/// A request over a limit, and when the next will be let through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    pub limit: Limit,
    pub retry_after: Duration,
}

impl Refused {
    /// What the person is told: the limit, and how long to wait.
    pub fn message(&self) -> String {
        let l = self.limit;
        let who = match l.per {
            Per::Account => "from one account",
            Per::Address => "from one network address",
            Per::Brand => "for one brand",
        };
        format!(
            "Liaison takes at most {} {} {who} in {}. You can go on in {}.",
            l.max,
            l.what,
            span(l.window),
            human_wait(self.retry_after)
        )
    }

    /// Whole seconds, at least one, for `Retry-After`.
    pub fn retry_after_secs(&self) -> u64 {
        self.retry_after.as_secs_f64().ceil().max(1.0) as u64
    }
}

fn span(d: Duration) -> String {
    match d.as_secs() {
        60 => "a minute".to_owned(),
        3600 => "an hour".to_owned(),
        s if s % 3600 == 0 => format!("{} hours", s / 3600),
        s => format!("{} minutes", s.div_ceil(60)),
    }
}

/// How long to wait, as a person says it.
pub fn human_wait(d: Duration) -> String {
    let secs = d.as_secs_f64().ceil() as u64;
    match secs {
        0..=1 => "a second".to_owned(),
        2..=59 => format!("{secs} seconds"),
        _ => match secs.div_ceil(60) {
            1 => "a minute".to_owned(),
            m => format!("{m} minutes"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_limit_has_its_own_buckets() {
        let all = [
            Limit::SIGNUPS,
            Limit::RESETS,
            Limit::MESSAGES,
            Limit::MESSAGES_BY_ADDRESS,
            Limit::APPLICATIONS,
            Limit::APPLICATIONS_BY_ADDRESS,
            Limit::UPLOADS,
            Limit::UPLOADS_BY_ADDRESS,
            Limit::API_ORDERS,
            Limit::API_BY_ADDRESS,
        ];
        for (i, a) in all.iter().enumerate() {
            assert!(a.max > 0 && !a.interval().is_zero(), "{}", a.name);
            for b in &all[i + 1..] {
                assert_ne!(a.name, b.name);
            }
        }
    }

    #[test]
    fn ipv6_counts_by_its_64_and_mapped_ipv4_as_ipv4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("ip");
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().expect("ip");
        let c: IpAddr = "2001:db8:1:3::1".parse().expect("ip");
        assert_eq!(Limit::SIGNUPS.from(a), Limit::SIGNUPS.from(b));
        assert_ne!(Limit::SIGNUPS.from(a), Limit::SIGNUPS.from(c));
        assert_eq!(
            Limit::SIGNUPS.from(a).key(),
            "signup.address:2001:db8:1:2::/64"
        );
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().expect("ip");
        assert_eq!(
            Limit::SIGNUPS.from(mapped).key(),
            "signup.address:192.0.2.7"
        );
    }

    #[test]
    fn a_refusal_says_the_limit_and_the_wait() {
        let refused = Refused {
            limit: Limit::MESSAGES,
            retry_after: Duration::from_millis(19_200),
        };
        assert_eq!(
            refused.message(),
            "Liaison takes at most 30 messages from one account in 10 minutes. \
             You can go on in 20 seconds."
        );
        assert_eq!(refused.retry_after_secs(), 20);
        assert_eq!(human_wait(Duration::from_secs(61)), "2 minutes");
        assert_eq!(span(HOUR), "an hour");
    }
}
