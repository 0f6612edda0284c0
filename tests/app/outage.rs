//! The database restarted under Liaison while people write: pages answer 503
//! with `Retry-After` and never hang, requests succeed again within seconds
//! of its return without restarting Liaison, no acknowledged write is lost or
//! stored twice, and the background work carries on by itself.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use reqwest::StatusCode;
use sqlx::postgres::PgPoolOptions;

use crate::{
    fixtures::{apply, fitting_creator, published},
    helpers::TestApp,
    processes::{Instance, PrivateCluster},
};

/// How many messages each side sends, and after how many the database stops.
/// Within the messages' rate limit (30 in ten minutes per account).
const MESSAGES: usize = 25;
const STOP_AFTER: usize = 8;
const OUTAGE: Duration = Duration::from_secs(3);

struct Attempt {
    started: Instant,
    took: Duration,
    status: StatusCode,
    retry_after: bool,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_database_restart_under_writes_loses_no_acknowledged_message() {
    let cluster = PrivateCluster::start().await;
    let url = cluster.url("liaison");
    let instance = Instance::start(&url, &[]).await;
    let db = PgPoolOptions::new()
        .max_connections(2)
        .connect_lazy(&url)
        .expect("a pool for the test's own reads");
    let brand = TestApp::at(instance.addr, db.clone());
    brand
        .signup_brand("maya@northwind.example", "Maya", "Northwind Outdoor")
        .await
        .assert_redirect("/dashboard");
    let campaign = published(&brand, &[]).await;
    let creator = fitting_creator(&brand, "aisha@creators.example").await;
    let application = apply(&creator, &campaign, "2300")
        .await
        .location()
        .to_owned();
    let thread = format!("{application}/messages");

    // Both sides write a numbered series at once while a third person reads
    // pages; the database stops part-way and comes back.
    let progress = Arc::new(AtomicUsize::new(0));
    let creator_writes = tokio::spawn(write_series(
        creator,
        thread.clone(),
        "Creator",
        progress.clone(),
    ));
    let brand_writes = tokio::spawn(write_series(
        brand,
        thread.clone(),
        "Brand",
        progress.clone(),
    ));
    let reader = TestApp::at(instance.addr, db.clone());
    reader
        .login("maya@northwind.example", crate::helpers::PASSWORD)
        .await
        .assert_redirect("/dashboard");
    let reading = Arc::new(AtomicUsize::new(1));
    let reads = tokio::spawn(read_pages(reader, reading.clone()));

    while progress.load(Ordering::SeqCst) < 2 * STOP_AFTER {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    cluster.stop().await;
    tokio::time::sleep(OUTAGE).await;
    cluster.start_again().await;
    let back = Instant::now();
    let (creator_attempts, _) = creator_writes.await.expect("the creator's series");
    let (brand_attempts, brand) = brand_writes.await.expect("the brand's series");
    reading.store(0, Ordering::SeqCst);
    let read_attempts = reads.await.expect("the reads");
    let attempts: Vec<Attempt> = creator_attempts
        .into_iter()
        .chain(brand_attempts)
        .chain(read_attempts)
        .collect();

    let refused: Vec<&Attempt> = attempts
        .iter()
        .filter(|a| !matches!(a.status, StatusCode::SEE_OTHER | StatusCode::OK))
        .collect();
    assert!(!refused.is_empty(), "the outage was seen");
    for a in &refused {
        assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(a.retry_after, "a 503 says when to try again");
    }
    // Never hanging: the pool's wait and the statement timeout bound every
    // answer, far below what a person or a load balancer waits.
    let slowest = attempts.iter().map(|a| a.took).max().unwrap_or_default();
    assert!(
        slowest < Duration::from_secs(10),
        "an answer took {slowest:?}"
    );
    // Back without restarting Liaison: nothing refused once the database had
    // been back five seconds.
    let late = refused
        .iter()
        .filter(|a| a.started > back + Duration::from_secs(5))
        .count();
    assert_eq!(
        late, 0,
        "requests failed more than 5 s after the database returned"
    );

    // Every message acknowledged is stored, once.
    let stored: Vec<(String, i64)> = sqlx::query_as(
        "select body, count(*) from messages group by body order by min(created_at)",
    )
    .fetch_all(&db)
    .await
    .expect("read the messages");
    assert_eq!(stored.len(), 2 * MESSAGES, "{stored:?}");
    for side in ["Creator", "Brand"] {
        for n in 1..=MESSAGES {
            let body = format!("{side}'s message {n}");
            let copies = stored.iter().find(|(b, _)| *b == body).map(|(_, c)| *c);
            assert_eq!(copies, Some(1), "{body}");
        }
    }

    // The background work resumed: the session listener is back, and the
    // audit sealer seals what was recorded after the outage.
    brand.logout().await;
    brand
        .login("maya@northwind.example", crate::helpers::PASSWORD)
        .await
        .assert_redirect("/dashboard");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let ready = brand.get("/readyz").await.body;
        let unsealed: i64 =
            sqlx::query_scalar("select count(*) from audit_events where seq is null")
                .fetch_one(&db)
                .await
                .expect("count unsealed events");
        if ready.contains(r#""session_cache":"on""#) && unsealed == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "background work did not resume: {ready}, {unsealed} events unsealed"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    db.close().await;
}

/// Sends messages 1 to [`MESSAGES`], each with its form's key, pressing Send
/// again after a pause until it is acknowledged, as a person would.
async fn write_series(
    app: TestApp,
    thread: String,
    side: &'static str,
    progress: Arc<AtomicUsize>,
) -> (Vec<Attempt>, TestApp) {
    let mut attempts = Vec::new();
    for n in 1..=MESSAGES {
        let key = loop {
            let form = app.get(&thread).await;
            if let Some(key) = hidden(&form.body, "key") {
                break key;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        let body = format!("{side}'s message {n}");
        loop {
            let started = Instant::now();
            let token = app.csrf_token().await;
            let res = app
                .post_form_raw(
                    &thread,
                    &[("csrf_token", &token), ("key", &key), ("body", &body)],
                )
                .await;
            attempts.push(Attempt::of(started, &res));
            match res.status {
                StatusCode::SEE_OTHER => break,
                StatusCode::SERVICE_UNAVAILABLE => {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                other => panic!("{side}'s message {n}: {other}"),
            }
        }
        progress.fetch_add(1, Ordering::SeqCst);
    }
    (attempts, app)
}

/// Reads the brand's pages one after another while `reading` is not zero.
async fn read_pages(app: TestApp, reading: Arc<AtomicUsize>) -> Vec<Attempt> {
    let mut attempts = Vec::new();
    while reading.load(Ordering::SeqCst) != 0 {
        for path in ["/dashboard", "/campaigns", "/notifications"] {
            let started = Instant::now();
            let res = app.get(path).await;
            attempts.push(Attempt::of(started, &res));
        }
    }
    attempts
}

impl Attempt {
    fn of(started: Instant, res: &crate::helpers::Page) -> Attempt {
        Attempt {
            started,
            took: started.elapsed(),
            status: res.status,
            retry_after: res.headers.contains_key("retry-after"),
        }
    }
}

/// The value of the hidden field `name` in a page's form.
fn hidden(html: &str, name: &str) -> Option<String> {
    let marker = format!(r#"name="{name}" value=""#);
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}
