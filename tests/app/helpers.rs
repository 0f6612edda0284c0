//! Spawning the app on a fresh database and talking to it like a browser would.

use std::{net::SocketAddr, sync::Arc};

use liaison::{
    accounts::{
        db,
        domain::{DisplayName, Email, Password},
        password,
    },
    auth::signer::Signer,
    config::{Config, Environment},
    routes::router,
    state::AppState,
    web::csrf,
};
use reqwest::{StatusCode, cookie::CookieStore, header};
use sqlx::PgPool;

pub use crate::database::fresh_db;

pub const PASSWORD: &str = "a long enough password";

pub struct TestApp {
    pub addr: SocketAddr,
    pub db: PgPool,
    pub client: reqwest::Client,
    cookies: Arc<reqwest::cookie::Jar>,
    /// The server's link copies and click queue, when it runs in this process.
    clicks: Option<Arc<liaison::clicks::Clicks>>,
}

const SECRET: &[u8] = b"integration-test-secret-of-sufficient-length";

/// The data key the test apps run with: what the demo encrypts with it, they
/// read.
pub fn test_data_key() -> liaison::config::DataKey {
    liaison::config::DataKey(*b"integration-test-data-key-32byte")
}

pub fn test_config(environment: Environment) -> Config {
    Config {
        database_url: String::new(),
        direct_database_url: None,
        addr: "127.0.0.1:0".parse().expect("addr"),
        environment,
        secret: SECRET.to_vec(),
        data_key: test_data_key(),
        db_max_connections: 5,
        trust_proxy: false,
        public_url: "http://liaison.test".to_owned(),
        smtp_url: None,
        mail_from: liaison::config::DEFAULT_MAIL_FROM.to_owned(),
        api_requests_per_minute: liaison::limits::Limit::API_ORDERS.max,
        metrics_addr: None,
    }
}

pub async fn spawn(db: PgPool) -> TestApp {
    spawn_with(db, Environment::Development).await
}

pub async fn spawn_with(db: PgPool, environment: Environment) -> TestApp {
    spawn_configured(db, test_config(environment)).await
}

/// The app behind a load balancer (`LIAISON_TRUST_PROXY=1`): the client address
/// is the last `X-Forwarded-For` hop, so a test can sign in from many addresses.
pub async fn spawn_behind_proxy(db: PgPool) -> TestApp {
    let config = Config {
        trust_proxy: true,
        ..test_config(Environment::Development)
    };
    spawn_configured(db, config).await
}

pub async fn spawn_configured(db: PgPool, config: Config) -> TestApp {
    // The app answers from a pool of one connection. A handler that holds a
    // connection while it waits for a second deadlocks a loaded pool in
    // production; here it waits out the acquire timeout and fails its test.
    let requests = liaison::db::pool_options(1, liaison::db::Work::Requests)
        .connect_with((*db.connect_options()).clone())
        .await
        .expect("the app's pool");
    let state = AppState::new(requests, config);
    state.spawn_session_listener_on(db.clone());
    // Runs until the test ends; `flush_clicks` waits for what it has queued.
    let _writer = state.start_click_writer();
    let clicks = state.clicks.clone();
    let addr = serve(state).await;
    let (client, cookies) = new_browser();
    TestApp {
        addr,
        db,
        client,
        cookies,
        clicks: Some(clicks),
    }
}

/// Serves the real router on a free loopback port, in the background.
pub async fn serve(state: AppState) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        axum::serve(
            listener,
            router(state).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .expect("server");
    });
    addr
}

/// A client with a cookie jar the tests can read, as a browser's would be.
fn new_browser() -> (reqwest::Client, Arc<reqwest::cookie::Jar>) {
    let cookies = Arc::new(reqwest::cookie::Jar::default());
    let client = reqwest::Client::builder()
        .cookie_provider(cookies.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    (client, cookies)
}

pub struct Page {
    pub status: StatusCode,
    pub headers: header::HeaderMap,
    pub body: String,
}

impl Page {
    /// A response as a page: its status, headers and whole body.
    pub async fn read(response: reqwest::Response) -> Page {
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.text().await.expect("body");
        Page {
            status,
            headers,
            body,
        }
    }

    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect()
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.set_cookies()
            .into_iter()
            .find(|c| c.starts_with(&format!("{name}=")))
    }

    #[track_caller]
    pub fn assert_redirect(&self, to: &str) {
        assert_eq!(self.status, StatusCode::SEE_OTHER, "body: {}", self.body);
        assert_eq!(self.location(), to);
    }

    /// An acceptance: on to the agreement it drew up, for the brand to sign.
    pub fn assert_accepted(&self) {
        assert_eq!(self.status, StatusCode::SEE_OTHER, "body: {}", self.body);
        assert!(
            self.location().starts_with("/agreements/"),
            "accepted, but on to {}",
            self.location()
        );
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// The same server seen from another browser, with its own cookies.
    pub fn another_browser(&self) -> TestApp {
        let (client, cookies) = new_browser();
        TestApp {
            addr: self.addr,
            db: self.db.clone(),
            client,
            cookies,
            clicks: self.clicks.clone(),
        }
    }

    /// The same browser talking to a second instance of the server on the same
    /// database, as behind a load balancer.
    pub async fn second_instance(&self) -> TestApp {
        let state = AppState::new(self.db.clone(), test_config(Environment::Development));
        state.spawn_session_listener();
        let _writer = state.start_click_writer();
        let clicks = state.clicks.clone();
        let app = TestApp {
            addr: serve(state).await,
            db: self.db.clone(),
            client: self.client.clone(),
            cookies: self.cookies.clone(),
            clicks: Some(clicks),
        };
        app.wait_for_session_cache().await;
        app
    }

    /// The same browser, with its cookies, talking to the server at `addr`
    /// (another instance on the same database).
    pub fn same_browser_at(&self, addr: SocketAddr) -> TestApp {
        TestApp {
            addr,
            db: self.db.clone(),
            client: self.client.clone(),
            cookies: self.cookies.clone(),
            clicks: None,
        }
    }

    /// A browser of its own on a server running as a separate process.
    pub fn at(addr: SocketAddr, db: PgPool) -> TestApp {
        let (client, cookies) = new_browser();
        TestApp {
            addr,
            db,
            client,
            cookies,
            clicks: None,
        }
    }

    /// Waits until every click this server has queued is in the database.
    pub async fn flush_clicks(&self) {
        let clicks = self
            .clicks
            .as_ref()
            .expect("a server in this process, whose queue a test can flush");
        assert!(clicks.queue.flush().await, "the click writer is running");
    }

    /// Until the instance keeps session copies, so that a test of their
    /// invalidation is not passed by an instance that keeps none.
    pub async fn wait_for_session_cache(&self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !self
            .get("/readyz")
            .await
            .body
            .contains(r#""session_cache":"on""#)
        {
            assert!(
                std::time::Instant::now() < deadline,
                "the session listener did not connect"
            );
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        Page::read(self.client.get(self.url(path)).send().await.expect("GET")).await
    }

    /// The CSRF token this browser's pages carry: the HMAC of its CSRF cookie, as
    /// the server derives it, so a form can be posted without loading a page
    /// first. A browser without the cookie yet loads the home page to get one.
    pub async fn csrf_token(&self) -> String {
        if let Some(token) = self.csrf_token_from_cookie() {
            return token;
        }
        let home = self.get("/").await;
        if let Some(token) = self.csrf_token_from_cookie() {
            return token;
        }
        // Secure cookies (production) never travel over plain http: read the form.
        if let Some(token) = csrf_token_in(&home.body) {
            return token;
        }
        let login = self.get("/login").await;
        csrf_token_in(&login.body).expect("a csrf token on /login")
    }

    fn csrf_token_from_cookie(&self) -> Option<String> {
        let url = self.url("/").parse().expect("url");
        let header = self.cookies.cookies(&url)?;
        let value = header.to_str().ok()?.split("; ").find_map(|pair| {
            pair.strip_prefix(csrf::COOKIE)
                .and_then(|rest| rest.strip_prefix('='))
        })?;
        Some(csrf::token_for(&Signer::new(SECRET), value))
    }

    /// Posts a form the way the browser would: with the page's CSRF token.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.csrf_token().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form_raw(path, &all).await
    }

    /// Posts exactly these fields, no token added.
    pub async fn post_form_raw(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        Page::read(
            self.client
                .post(self.url(path))
                .form(fields)
                .send()
                .await
                .expect("POST"),
        )
        .await
    }

    pub async fn signup_brand(&self, email: &str, name: &str, brand: &str) -> Page {
        self.post_form(
            "/signup",
            &[
                ("account_type", "brand"),
                ("email", email),
                ("display_name", name),
                ("brand_name", brand),
                ("password", PASSWORD),
            ],
        )
        .await
    }

    pub async fn signup_influencer(&self, email: &str, name: &str) -> Page {
        self.post_form(
            "/signup",
            &[
                ("account_type", "influencer"),
                ("email", email),
                ("display_name", name),
                ("password", PASSWORD),
            ],
        )
        .await
    }

    pub async fn login(&self, email: &str, password: &str) -> Page {
        self.post_form("/login", &[("email", email), ("password", password)])
            .await
    }

    /// Signs in from client address `ip`, as the load balancer reports it (the
    /// app must trust it: `spawn_behind_proxy`).
    pub async fn login_from(&self, ip: &str, email: &str, password: &str) -> Page {
        let token = self.csrf_token().await;
        let fields = [
            ("csrf_token", token.as_str()),
            ("email", email),
            ("password", password),
        ];
        Page::read(
            self.client
                .post(self.url("/login"))
                .header("x-forwarded-for", ip)
                .form(&fields)
                .send()
                .await
                .expect("POST"),
        )
        .await
    }

    pub async fn logout(&self) -> Page {
        self.post_form("/logout", &[]).await
    }

    /// Creates an agency admin directly, as `liaison create-admin` does.
    pub async fn create_admin(&self, email: &str) {
        let hash = password::hash(Password::parse(PASSWORD).expect("password"))
            .await
            .expect("hash");
        let mut conn = self.db.acquire().await.expect("conn");
        db::create_admin(
            &mut conn,
            &Email::parse(email).expect("email"),
            &DisplayName::parse("Agency Admin").expect("name"),
            &hash,
        )
        .await
        .expect("admin");
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(&self.db)
            .await
            .expect("count")
    }
}

pub fn csrf_token_in(html: &str) -> Option<String> {
    let marker = r#"name="csrf_token" value=""#;
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_owned())
}

/// The link a list page leads on with (`rel="next"`), as a path.
pub fn next_page(body: &str) -> Option<String> {
    let end = body.find(r#"" rel="next""#)?;
    let start = body[..end].rfind("href=\"")? + "href=\"".len();
    Some(body[start..end].replace("&#38;", "&"))
}
