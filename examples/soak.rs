//! The load of `scripts/soak`: signed-in people of every role reading their
//! pages, brands and creators writing messages, and shoppers following
//! tracked links, at a steady rate through the load balancer, while the
//! script restarts the database and replaces an instance. At the end it
//! reports every request by outcome, the latency, the failures outside the
//! database's outage, and whether anything acknowledged was lost.
//!
//! `cargo run --release --example soak -- TARGET DATABASE_URL SECONDS RATE EVENTS`
//! (scripts/soak passes them): TARGET is the balancer's URL, RATE requests a
//! second, EVENTS the file where the script notes when it acted.

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use anyhow::{Context, bail};
use sqlx::PgPool;
use uuid::Uuid;

const PASSWORD: &str = "liaison-demo-2026";
const PHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 \
                     (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
/// Messages a second in all: under the rate limits of one network address
/// (everyone comes through the balancer from loopback), 120 in ten minutes.
const MESSAGES_PER_SECOND: f64 = 0.15;
/// Of the rest, the share that are shoppers following links.
const CLICK_SHARE: f64 = 0.25;
/// The database is back this long after it starts before failures count.
const RECOVERY: Duration = Duration::from_secs(5);

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Outcome {
    Status(u16),
    /// No answer: connection refused, reset, or timed out.
    NoAnswer,
}

struct Sample {
    at_ms: u64,
    what: &'static str,
    outcome: Outcome,
    ms: f64,
}

struct Person {
    client: reqwest::Client,
    pages: &'static [&'static str],
    threads: Vec<Uuid>,
}

struct Load {
    target: String,
    /// Shoppers: no cookies, each told apart by its user agent.
    visitors: reqwest::Client,
    samples: Mutex<Vec<Sample>>,
    acknowledged: Mutex<Vec<Uuid>>,
    clicks_answered: Mutex<u64>,
}

impl Load {
    fn note(&self, at_ms: u64, what: &'static str, outcome: Outcome, started: Instant) {
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        if let Ok(mut samples) = self.samples.lock() {
            samples.push(Sample {
                at_ms,
                what,
                outcome,
                ms,
            });
        }
    }

    async fn send(
        &self,
        what: &'static str,
        request: reqwest::RequestBuilder,
    ) -> Option<reqwest::Response> {
        let at = now_ms();
        let started = Instant::now();
        match request.send().await {
            Ok(res) => {
                self.note(at, what, Outcome::Status(res.status().as_u16()), started);
                Some(res)
            }
            Err(_) => {
                self.note(at, what, Outcome::NoAnswer, started);
                None
            }
        }
    }
}

fn client() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()?)
}

/// The value of the hidden field `name` in a page's form.
fn hidden(html: &str, name: &str) -> Option<String> {
    let marker = format!(r#"name="{name}" value=""#);
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}

async fn sign_in(target: &str, email: &str) -> anyhow::Result<reqwest::Client> {
    let client = client()?;
    let form = client
        .get(format!("{target}/login"))
        .send()
        .await?
        .text()
        .await?;
    let token = hidden(&form, "csrf_token").context("a sign-in form")?;
    let res = client
        .post(format!("{target}/login"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", email),
            ("password", PASSWORD),
        ])
        .send()
        .await?;
    if res.status() != reqwest::StatusCode::SEE_OTHER {
        bail!("signing in as {email}: {}", res.status());
    }
    Ok(client)
}

/// Two sessions for each of the agency's staff, two brands and six creators
/// with applications, each with the message threads it may write in.
async fn people(target: &str, db: &PgPool) -> anyhow::Result<Vec<Person>> {
    const STAFF: &[&str] = &[
        "/dashboard",
        "/admin",
        "/admin/accounts",
        "/admin/results",
        "/notifications",
    ];
    const BRAND: &[&str] = &[
        "/dashboard",
        "/campaigns",
        "/results",
        "/partners",
        "/billing",
        "/notifications",
        "/influencers",
    ];
    const CREATOR: &[&str] = &[
        "/dashboard",
        "/applications",
        "/campaigns",
        "/business",
        "/earnings",
        "/feedback",
        "/notifications",
    ];
    let brands: Vec<(String, Vec<Uuid>)> = sqlx::query_as(
        "select u.email, array_agg(a.id order by a.id)
           from users u join brand_members m on m.user_id = u.id
           join campaigns c on c.brand_id = m.brand_id
           join applications a on a.campaign_id = c.id
          where u.email in ('maya@northwind.example', 'ana@lumen.example')
          group by u.email",
    )
    .fetch_all(db)
    .await?;
    let creators: Vec<(String, Vec<Uuid>)> = sqlx::query_as(
        "select u.email, array_agg(a.id order by a.id)
           from users u join influencer_profiles p on p.user_id = u.id
           join applications a on a.profile_id = p.id
          group by u.email order by count(*) desc, u.email limit 6",
    )
    .fetch_all(db)
    .await?;
    // The agency's admin and a manager, the brands, the creators.
    let mut accounts: Vec<(String, &'static [&'static str], Vec<Uuid>)> = vec![
        ("admin@liaison.example".to_owned(), STAFF, Vec::new()),
        (
            "riley@liaison.example".to_owned(),
            &["/notifications", "/admin/accounts"],
            Vec::new(),
        ),
    ];
    accounts.extend(brands.into_iter().map(|(e, t)| (e, BRAND, t)));
    accounts.extend(creators.into_iter().map(|(e, t)| (e, CREATOR, t)));
    let mut people = Vec::new();
    for (email, pages, threads) in accounts {
        for _ in 0..2 {
            people.push(Person {
                client: sign_in(target, &email).await?,
                pages,
                threads: threads.clone(),
            });
        }
    }
    Ok(people)
}

/// Loads a thread, then sends a message with its form's key, sending again
/// after a pause (the same key) until it is acknowledged or refused for good.
async fn write(load: Arc<Load>, person: Arc<Person>, thread: Uuid, deadline: Instant) {
    let url = format!("{}/applications/{thread}/messages", load.target);
    let mut form = None;
    while form.is_none() && Instant::now() < deadline {
        if let Some(res) = load.send("thread", person.client.get(&url)).await
            && res.status().is_success()
        {
            form = res.text().await.ok();
        } else {
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
    let Some(form) = form else { return };
    let (Some(token), Some(key)) = (hidden(&form, "csrf_token"), hidden(&form, "key")) else {
        return;
    };
    let body = format!("Soak message {key}: checking in on the draft.");
    while Instant::now() < deadline {
        let request = person.client.post(&url).form(&[
            ("csrf_token", token.as_str()),
            ("key", key.as_str()),
            ("body", body.as_str()),
        ]);
        match load
            .send("message", request)
            .await
            .map(|r| r.status().as_u16())
        {
            Some(303) => {
                if let (Ok(id), Ok(mut acked)) = (Uuid::parse_str(&key), load.acknowledged.lock()) {
                    acked.push(id);
                }
                return;
            }
            // Over a rate limit, or refused as a person's mistake would be:
            // not sent, and nothing to retry.
            Some(400..=499) => return,
            _ => tokio::time::sleep(Duration::from_secs(1)).await,
        }
    }
}

async fn click(load: Arc<Load>, code: String, visitor: u32) {
    let request = load
        .visitors
        .get(format!("{}/r/{code}", load.target))
        .header("user-agent", format!("{PHONE} visitor/{visitor}"))
        .header("referer", "https://l.instagram.com/");
    if let Some(res) = load.send("click", request).await
        && res.status().is_redirection()
        && let Ok(mut answered) = load.clicks_answered.lock()
    {
        *answered += 1;
    }
}

async fn read(load: Arc<Load>, person: Arc<Person>, n: usize) {
    let path = person.pages[n % person.pages.len()];
    if let Some(res) = load
        .send(path, person.client.get(format!("{}{path}", load.target)))
        .await
    {
        let _ = res.bytes().await;
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// The script's notes: "db-stop 1733..." lines, times in milliseconds.
fn events(path: &str) -> Vec<(String, u64)> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let (what, at) = l.split_once(' ')?;
            Some((what.to_owned(), at.trim().parse().ok()?))
        })
        .collect()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, target, database_url, seconds, rate, events_path] = args.as_slice() else {
        bail!("usage: soak TARGET DATABASE_URL SECONDS RATE EVENTS");
    };
    let seconds: u64 = seconds.parse().context("SECONDS")?;
    let rate: f64 = rate.parse().context("RATE")?;
    let db = PgPool::connect(database_url).await?;
    let load = Arc::new(Load {
        target: target.trim_end_matches('/').to_owned(),
        visitors: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()?,
        samples: Mutex::default(),
        acknowledged: Mutex::default(),
        clicks_answered: Mutex::default(),
    });
    let people: Vec<Arc<Person>> = people(&load.target, &db)
        .await?
        .into_iter()
        .map(Arc::new)
        .collect();
    let writers: Vec<Arc<Person>> = people
        .iter()
        .filter(|p| !p.threads.is_empty())
        .cloned()
        .collect();
    let codes: Vec<String> = sqlx::query_scalar("select code from tracked_links order by code")
        .fetch_all(&db)
        .await?;
    anyhow::ensure!(
        !writers.is_empty() && !codes.is_empty(),
        "the demo is not loaded"
    );
    let clicks_before: i64 = sqlx::query_scalar("select count(*) from clicks")
        .fetch_one(&db)
        .await?;
    println!(
        "soak: {} sessions ({} writing), {} links, {rate} requests/s for {seconds} s",
        people.len(),
        writers.len(),
        codes.len()
    );

    let started = Instant::now();
    let end = started + Duration::from_secs(seconds);
    // Writes keep retrying a little past the end, as people would.
    let write_deadline = end + Duration::from_secs(30);
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let mut tasks = tokio::task::JoinSet::new();
    let message_every = (rate / MESSAGES_PER_SECOND).round().max(1.0) as usize;
    let mut n: usize = 0;
    while Instant::now() < end {
        tick.tick().await;
        n += 1;
        let load = load.clone();
        if n.is_multiple_of(message_every) {
            let person = writers[(n / message_every) % writers.len()].clone();
            let thread = person.threads[n % person.threads.len()];
            tasks.spawn(write(load, person, thread, write_deadline));
        } else if (n % 100) as f64 / 100.0 < CLICK_SHARE {
            let code = codes[n % codes.len()].clone();
            tasks.spawn(click(load, code, (n % 5000) as u32));
        } else {
            let person = people[n % people.len()].clone();
            tasks.spawn(read(load, person, n / people.len()));
        }
        // Finished tasks are reaped as the run goes.
        while tasks.try_join_next().is_some() {}
    }
    while tasks.join_next().await.is_some() {}
    // The instances write clicks within a moment; give them a few seconds.
    tokio::time::sleep(Duration::from_secs(5)).await;

    report(&load, &db, clicks_before, events_path).await
}

async fn report(
    load: &Load,
    db: &PgPool,
    clicks_before: i64,
    events_path: &str,
) -> anyhow::Result<()> {
    let samples = std::mem::take(
        &mut *load
            .samples
            .lock()
            .map_err(|_| anyhow::anyhow!("poisoned"))?,
    );
    let events = events(events_path);
    let at = |name: &str| events.iter().find(|(w, _)| w == name).map(|(_, t)| *t);
    let outage = at("db-stop")
        .zip(at("db-start"))
        .map(|(a, b)| (a, b + RECOVERY.as_millis() as u64));
    let in_outage = |t: u64| outage.is_some_and(|(a, b)| t >= a && t <= b);

    let first = samples.first().map_or(0, |s| s.at_ms);
    let mut by_outcome: BTreeMap<(&str, Outcome), u64> = BTreeMap::new();
    let mut latencies: Vec<f64> = Vec::new();
    let mut steady: Vec<f64> = Vec::new();
    let mut failures_outside = 0;
    let mut failures_inside = 0;
    for s in samples.iter() {
        *by_outcome.entry((s.what, s.outcome)).or_default() += 1;
        latencies.push(s.ms);
        if !in_outage(s.at_ms) {
            steady.push(s.ms);
        }
        let failed = matches!(s.outcome, Outcome::Status(500..) | Outcome::NoAnswer);
        if failed && in_outage(s.at_ms) {
            failures_inside += 1;
        } else if failed {
            failures_outside += 1;
            println!(
                "failure outside the outage: {} {:?} at +{:.1} s after {:.0} ms",
                s.what,
                s.outcome,
                (s.at_ms - first) as f64 / 1000.0,
                s.ms
            );
        }
    }
    latencies.sort_by(f64::total_cmp);
    steady.sort_by(f64::total_cmp);
    println!("\nrequests: {}", samples.len());
    for ((what, outcome), count) in &by_outcome {
        let outcome = match outcome {
            Outcome::Status(s) => s.to_string(),
            Outcome::NoAnswer => "no answer".to_owned(),
        };
        println!("  {what:<18} {outcome:<10} {count}");
    }
    println!(
        "latency ms: p50 {:.1}, p95 {:.1}, p99 {:.1}, max {:.1}",
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.95),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(0.0)
    );
    println!(
        "latency ms outside the outage: p50 {:.1}, p95 {:.1}, p99 {:.1}, max {:.1}",
        percentile(&steady, 0.50),
        percentile(&steady, 0.95),
        percentile(&steady, 0.99),
        steady.last().copied().unwrap_or(0.0)
    );
    for (what, t) in &events {
        println!(
            "event: {what} at +{:.1} s",
            (*t as f64 - first as f64) / 1000.0
        );
    }
    println!(
        "5xx or no answer during the outage (stop to start + {} s): {failures_inside}",
        RECOVERY.as_secs()
    );
    println!("5xx or no answer outside it: {failures_outside}");

    let acked = load
        .acknowledged
        .lock()
        .map_err(|_| anyhow::anyhow!("poisoned"))?
        .clone();
    let stored: i64 = sqlx::query_scalar("select count(*) from messages where id = any($1)")
        .bind(&acked)
        .fetch_one(db)
        .await?;
    let soak_messages: i64 =
        sqlx::query_scalar("select count(*) from messages where body like 'Soak message %'")
            .fetch_one(db)
            .await?;
    println!(
        "messages: {} acknowledged, {stored} of them stored, {soak_messages} soak messages in all",
        acked.len()
    );
    let clicks_now: i64 = sqlx::query_scalar("select count(*) from clicks")
        .fetch_one(db)
        .await?;
    let answered = *load
        .clicks_answered
        .lock()
        .map_err(|_| anyhow::anyhow!("poisoned"))?;
    let dropped: i64 =
        sqlx::query_scalar("select coalesce(sum(lost), 0)::bigint from click_losses")
            .fetch_one(db)
            .await?;
    println!(
        "clicks: {answered} answered with a redirect, {} stored, {dropped} counted as dropped",
        clicks_now - clicks_before
    );
    let lost_messages = acked.len() as i64 - stored;
    let lost_clicks = answered as i64 - (clicks_now - clicks_before);
    println!("lost: {lost_messages} messages, {lost_clicks} clicks");
    if lost_messages != 0 || lost_clicks != 0 || failures_outside != 0 {
        bail!("the soak lost writes or failed outside the outage");
    }
    Ok(())
}
