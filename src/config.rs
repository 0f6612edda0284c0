//! Configuration, read once from the environment at start-up.

use std::net::SocketAddr;

/// Where Liaison runs: production turns on secure cookies, HSTS and JSON logs,
/// and insists on a real secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

impl Environment {
    pub fn is_production(self) -> bool {
        self == Environment::Production
    }
}

#[derive(Clone)]
pub struct Config {
    pub database_url: String,
    /// A connection straight to PostgreSQL (`LIAISON_DIRECT_DATABASE_URL`) for
    /// what needs a session of its own, when `database_url` goes through
    /// PgBouncer in transaction mode: listening for session changes, and the
    /// migrations' advisory lock.
    pub direct_database_url: Option<String>,
    pub addr: SocketAddr,
    pub environment: Environment,
    /// Keys the HMACs of CSRF tokens and flash cookies. Shared by every instance.
    pub secret: Vec<u8>,
    /// Encrypts creators' bank details at rest (`LIAISON_DATA_KEY`, 32 bytes
    /// as 64 hex digits). Shared by every instance; losing it loses the
    /// details, which creators then enter again.
    pub data_key: DataKey,
    pub db_max_connections: u32,
    /// Behind a load balancer, take the client address from the last
    /// `X-Forwarded-For` hop instead of the TCP peer.
    pub trust_proxy: bool,
    /// The address people reach Liaison at (`LIAISON_PUBLIC_URL`, no trailing
    /// slash): the start of every tracked link a creator shares.
    pub public_url: String,
    /// The SMTP server mail goes through (`LIAISON_SMTP_URL`, e.g.
    /// `smtps://user:password@mail.example:465`); without one, mail stays
    /// in the outbox for agency admins to read. Never printed: it may hold
    /// a password.
    pub smtp_url: Option<String>,
    /// Who mail comes from (`LIAISON_MAIL_FROM`).
    pub mail_from: String,
    /// Conversions API requests a minute per brand on each instance
    /// (`LIAISON_API_RATE`); an address may send twice as many.
    pub api_requests_per_minute: u32,
    /// Where `/metrics` is served for Prometheus (`LIAISON_METRICS_ADDR`), apart
    /// from the public address; without it nothing is recorded.
    pub metrics_addr: Option<SocketAddr>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("addr", &self.addr)
            .field("environment", &self.environment)
            .field("db_max_connections", &self.db_max_connections)
            .field("trust_proxy", &self.trust_proxy)
            .field("public_url", &self.public_url)
            .field("smtp", &self.smtp_url.is_some())
            .field("mail_from", &self.mail_from)
            .field("metrics_addr", &self.metrics_addr)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error(
        "DATABASE_URL is not set: point it at PostgreSQL, e.g. postgres://user@127.0.0.1:5432/liaison (scripts/run sets it for you)"
    )]
    MissingDatabaseUrl,
    #[error("LIAISON_ADDR must be an address and port such as 127.0.0.1:3000, not {0:?}")]
    BadAddr(String),
    #[error("LIAISON_METRICS_ADDR must be host:port, e.g. 127.0.0.1:9464, not {0:?}")]
    BadMetricsAddr(String),
    #[error(
        "LIAISON_METRICS_ADDR must use another port than LIAISON_ADDR: metrics are never served to the public"
    )]
    MetricsOnPublicPort,
    #[error("LIAISON_ENV must be `development` or `production`, not {0:?}")]
    BadEnvironment(String),
    #[error(
        "LIAISON_SECRET is required in production: set it to at least 32 random characters, e.g. the output of `openssl rand -base64 48`, and use the same value on every instance"
    )]
    MissingSecret,
    #[error("LIAISON_SECRET must be at least 32 characters long")]
    ShortSecret,
    #[error(
        "LIAISON_DATA_KEY is required in production: set it to 64 hex digits (32 random bytes), e.g. the output of `openssl rand -hex 32`, keep it safe, and use the same value on every instance"
    )]
    MissingDataKey,
    #[error("LIAISON_DATA_KEY must be exactly 64 hex digits (32 bytes)")]
    BadDataKey,
    #[error(
        "LIAISON_PUBLIC_URL must be an http or https address such as https://liaison.example, not {0:?}"
    )]
    BadPublicUrl(String),
    #[error(
        "LIAISON_SMTP_URL must be an smtp:// or smtps:// address such as smtps://user:password@mail.example:465"
    )]
    BadSmtpUrl,
    #[error(
        "LIAISON_MAIL_FROM must be an address such as \"Liaison <hello@liaison.example>\", not {0:?}"
    )]
    BadMailFrom(String),
    #[error("{name} must be a whole number, not {value:?}")]
    BadNumber { name: &'static str, value: String },
}

/// Used only in development when no secret is configured, so that restarts keep
/// forms and flash messages working.
const DEVELOPMENT_SECRET: &str = "liaison-development-secret-do-not-use-in-production";

pub const MIN_SECRET_LEN: usize = 32;

pub const DEFAULT_MAIL_FROM: &str = "Liaison <agency@liaison.example>";

/// Used only in development when no data key is configured. Anything it
/// encrypted is unreadable under a real key, which is the point.
const DEVELOPMENT_DATA_KEY: [u8; 32] = *b"liaison-dev-data-key-not-secret!";

/// The key that encrypts data at rest. Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct DataKey(pub [u8; 32]);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(..)")
    }
}

impl DataKey {
    /// 64 hex digits, as `openssl rand -hex 32` prints them.
    pub fn from_hex(text: &str) -> Result<DataKey, ConfigError> {
        let text = text.trim();
        if text.len() != 64 || !text.is_ascii() {
            return Err(ConfigError::BadDataKey);
        }
        let mut key = [0u8; 32];
        for (i, byte) in key.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16)
                .map_err(|_| ConfigError::BadDataKey)?;
        }
        Ok(DataKey(key))
    }
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads configuration through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let environment = match get("LIAISON_ENV").as_deref().map(str::trim) {
            None | Some("development") => Environment::Development,
            Some("production") => Environment::Production,
            Some(other) => return Err(ConfigError::BadEnvironment(other.to_owned())),
        };
        let database_url = get("DATABASE_URL").ok_or(ConfigError::MissingDatabaseUrl)?;
        let direct_database_url = get("LIAISON_DIRECT_DATABASE_URL").map(|u| u.trim().to_owned());
        let addr_text = get("LIAISON_ADDR").unwrap_or_else(|| "127.0.0.1:3000".to_owned());
        let addr = addr_text
            .trim()
            .parse()
            .map_err(|_| ConfigError::BadAddr(addr_text.clone()))?;
        let secret = match get("LIAISON_SECRET") {
            Some(s) if s.len() >= MIN_SECRET_LEN => s.into_bytes(),
            Some(_) => return Err(ConfigError::ShortSecret),
            None if environment.is_production() => return Err(ConfigError::MissingSecret),
            None => DEVELOPMENT_SECRET.as_bytes().to_vec(),
        };
        let data_key = match get("LIAISON_DATA_KEY") {
            Some(hex) => DataKey::from_hex(&hex)?,
            None if environment.is_production() => return Err(ConfigError::MissingDataKey),
            None => DataKey(DEVELOPMENT_DATA_KEY),
        };
        let db_max_connections = match get("LIAISON_DB_POOL") {
            Some(v) => v.trim().parse().map_err(|_| ConfigError::BadNumber {
                name: "LIAISON_DB_POOL",
                value: v.clone(),
            })?,
            None => 16,
        };
        let trust_proxy = matches!(
            get("LIAISON_TRUST_PROXY").as_deref(),
            Some("1" | "true" | "yes")
        );
        let public_url = match get("LIAISON_PUBLIC_URL") {
            Some(url) => {
                let url = url.trim().trim_end_matches('/').to_owned();
                if crate::domain::link::http_url(&url, "", false).is_err() {
                    return Err(ConfigError::BadPublicUrl(url));
                }
                url
            }
            None => default_public_url(addr),
        };
        let smtp_url = get("LIAISON_SMTP_URL").map(|u| u.trim().to_owned());
        if let Some(url) = &smtp_url {
            crate::email::sender::Mailer::check_url(url).map_err(|_| ConfigError::BadSmtpUrl)?;
        }
        let mail_from = get("LIAISON_MAIL_FROM")
            .map(|f| f.trim().to_owned())
            .unwrap_or_else(|| DEFAULT_MAIL_FROM.to_owned());
        if crate::email::sender::Mailer::check_from(&mail_from).is_err() {
            return Err(ConfigError::BadMailFrom(mail_from));
        }
        let api_requests_per_minute = match get("LIAISON_API_RATE") {
            Some(v) => v
                .trim()
                .parse()
                .ok()
                .filter(|n: &u32| *n > 0)
                .ok_or_else(|| ConfigError::BadNumber {
                    name: "LIAISON_API_RATE",
                    value: v.clone(),
                })?,
            None => crate::limits::Limit::API_ORDERS.max,
        };
        let metrics_addr = match get("LIAISON_METRICS_ADDR") {
            Some(text) => Some(
                text.trim()
                    .parse()
                    .map_err(|_| ConfigError::BadMetricsAddr(text.clone()))?,
            ),
            None => None,
        };
        if metrics_addr.is_some_and(|m: SocketAddr| m.port() != 0 && m.port() == addr.port()) {
            return Err(ConfigError::MetricsOnPublicPort);
        }
        Ok(Config {
            database_url,
            direct_database_url,
            addr,
            environment,
            secret,
            data_key,
            db_max_connections,
            trust_proxy,
            public_url,
            smtp_url,
            mail_from,
            api_requests_per_minute,
            metrics_addr,
        })
    }

    /// Where sessions of their own are opened: the direct URL when there is one.
    pub fn session_database_url(&self) -> &str {
        self.direct_database_url
            .as_deref()
            .unwrap_or(&self.database_url)
    }

    pub fn uses_development_secret(&self) -> bool {
        self.secret == DEVELOPMENT_SECRET.as_bytes()
    }

    /// Whether `LIAISON_PUBLIC_URL` was left to its default, which only this
    /// machine can reach.
    pub fn uses_default_public_url(&self) -> bool {
        self.public_url == default_public_url(self.addr)
    }
}

/// Where a browser on this machine reaches the listening address.
fn default_public_url(addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        format!("http://localhost:{}", addr.port())
    } else {
        format!("http://{addr}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(|name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
    }

    #[test]
    fn defaults_to_development_on_localhost_port_3000() {
        let c = config(&[("DATABASE_URL", "postgres://x")]).expect("valid");
        assert_eq!(c.environment, Environment::Development);
        assert_eq!(c.addr.to_string(), "127.0.0.1:3000");
        assert!(c.uses_development_secret());
        assert_eq!(c.public_url, "http://127.0.0.1:3000");
        assert!(c.uses_default_public_url());
    }

    #[test]
    fn the_public_url_is_an_http_address_without_its_trailing_slash() {
        let c = config(&[
            ("DATABASE_URL", "postgres://x"),
            ("LIAISON_ADDR", "0.0.0.0:8080"),
        ])
        .expect("valid");
        assert_eq!(c.public_url, "http://localhost:8080");
        let c = config(&[
            ("DATABASE_URL", "postgres://x"),
            ("LIAISON_PUBLIC_URL", "https://go.liaison.example/"),
        ])
        .expect("valid");
        assert_eq!(c.public_url, "https://go.liaison.example");
        assert!(!c.uses_default_public_url());
        let err = config(&[
            ("DATABASE_URL", "postgres://x"),
            ("LIAISON_PUBLIC_URL", "liaison.example"),
        ])
        .expect_err("not a url");
        assert!(matches!(err, ConfigError::BadPublicUrl(_)));
    }

    #[test]
    fn production_without_a_secret_is_refused_with_a_clear_error() {
        let err = config(&[
            ("DATABASE_URL", "postgres://x"),
            ("LIAISON_ENV", "production"),
        ])
        .expect_err("must fail");
        assert_eq!(err, ConfigError::MissingSecret);
        assert!(
            err.to_string()
                .contains("LIAISON_SECRET is required in production")
        );
    }

    #[test]
    fn a_short_secret_is_refused() {
        let err = config(&[
            ("DATABASE_URL", "postgres://x"),
            ("LIAISON_SECRET", "short"),
        ])
        .expect_err("must fail");
        assert_eq!(err, ConfigError::ShortSecret);
    }

    #[test]
    fn missing_database_url_and_bad_values_are_named() {
        assert_eq!(
            config(&[]).expect_err("must fail"),
            ConfigError::MissingDatabaseUrl
        );
        assert!(matches!(
            config(&[("DATABASE_URL", "x"), ("LIAISON_ADDR", "nowhere")]),
            Err(ConfigError::BadAddr(_))
        ));
        assert!(matches!(
            config(&[("DATABASE_URL", "x"), ("LIAISON_ENV", "staging")]),
            Err(ConfigError::BadEnvironment(_))
        ));
    }

    #[test]
    fn metrics_are_off_unless_given_an_address_of_their_own() {
        let db = ("DATABASE_URL", "x");
        assert_eq!(config(&[db]).expect("defaults").metrics_addr, None);
        let on = config(&[db, ("LIAISON_METRICS_ADDR", "127.0.0.1:9464")]).expect("valid");
        assert_eq!(
            on.metrics_addr,
            Some("127.0.0.1:9464".parse().expect("addr"))
        );
        assert!(matches!(
            config(&[db, ("LIAISON_METRICS_ADDR", "9464")]),
            Err(ConfigError::BadMetricsAddr(_))
        ));
        assert_eq!(
            config(&[
                db,
                ("LIAISON_ADDR", "0.0.0.0:3000"),
                ("LIAISON_METRICS_ADDR", "127.0.0.1:3000")
            ])
            .expect_err("the public port"),
            ConfigError::MetricsOnPublicPort
        );
    }

    #[test]
    fn production_needs_a_data_key_of_32_bytes_in_hex() {
        let secret = "s".repeat(MIN_SECRET_LEN);
        let base = [
            ("DATABASE_URL", "postgres://x"),
            ("LIAISON_ENV", "production"),
            ("LIAISON_SECRET", secret.as_str()),
        ];
        assert_eq!(
            config(&base).expect_err("no key"),
            ConfigError::MissingDataKey
        );
        let hex = "0f".repeat(32);
        let with_key = [base.as_slice(), &[("LIAISON_DATA_KEY", hex.as_str())]].concat();
        assert_eq!(
            config(&with_key).expect("valid").data_key,
            DataKey([0x0f; 32])
        );
        for bad in ["0f", "zz".repeat(32).as_str(), "0f".repeat(33).as_str()] {
            let with_bad = [base.as_slice(), &[("LIAISON_DATA_KEY", bad)]].concat();
            assert_eq!(config(&with_bad).expect_err(bad), ConfigError::BadDataKey);
        }
        assert_eq!(format!("{:?}", DataKey([1; 32])), "DataKey(..)");
    }

    #[test]
    fn mail_goes_through_an_smtp_address_that_is_never_printed() {
        let c = config(&[("DATABASE_URL", "postgres://x")]).expect("valid");
        assert_eq!(c.smtp_url, None);
        assert_eq!(c.mail_from, DEFAULT_MAIL_FROM);
        let c = config(&[
            ("DATABASE_URL", "postgres://x"),
            (
                "LIAISON_SMTP_URL",
                "smtps://mailer:hunter22@mail.example:465",
            ),
            ("LIAISON_MAIL_FROM", "Northwind <team@northwind.example>"),
        ])
        .expect("valid");
        assert!(c.smtp_url.is_some());
        assert_eq!(c.mail_from, "Northwind <team@northwind.example>");
        assert!(!format!("{c:?}").contains("hunter22"));
        assert_eq!(
            config(&[("DATABASE_URL", "x"), ("LIAISON_SMTP_URL", "mail.example")]).err(),
            Some(ConfigError::BadSmtpUrl)
        );
        assert!(matches!(
            config(&[
                ("DATABASE_URL", "x"),
                ("LIAISON_MAIL_FROM", "not an address")
            ]),
            Err(ConfigError::BadMailFrom(_))
        ));
    }
}
