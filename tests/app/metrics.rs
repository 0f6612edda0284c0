//! `/metrics` for Prometheus, from the real binary: served on
//! `LIAISON_METRICS_ADDR` only, with requests by route and status and their
//! latency, the pools, the jobs and their queues, mail, clicks and rate limits.

use std::time::{Duration, Instant};

use reqwest::StatusCode;

use crate::{
    collaborations::collaboration,
    database::url_for,
    helpers::fresh_db,
    links::{PHONE, codes},
    processes::{Instance, free_port},
    smtp::{SmtpServer, queue_mail},
};

/// The value of the first sample of `name` carrying every label in `labels`.
pub fn sample(body: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    body.lines()
        .filter(|line| !line.starts_with('#'))
        .filter(|line| {
            line.starts_with(&format!("{name}{{")) || line.starts_with(&format!("{name} "))
        })
        .find(|line| {
            labels
                .iter()
                .all(|(k, v)| line.contains(&format!(r#"{k}="{v}""#)))
        })
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|value| value.parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_are_served_apart_from_the_site() {
    let c = collaboration(fresh_db().await).await;
    let db = c.brand.db.clone();
    let code = codes(&c.brand).await.remove(0);
    queue_mail(&db, 1).await;
    let smtp = SmtpServer::start().await;
    let metrics_addr = format!("127.0.0.1:{}", free_port());
    let instance = Instance::start(
        &url_for(&db),
        &[
            ("LIAISON_METRICS_ADDR", &metrics_addr),
            ("LIAISON_SMTP_URL", &smtp.url),
        ],
    )
    .await;
    let site = c.creator.same_browser_at(instance.addr);
    assert_eq!(site.get("/dashboard").await.status, StatusCode::OK);
    assert_eq!(
        site.get("/no/such/page").await.status,
        StatusCode::NOT_FOUND
    );
    let visitor = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let click = visitor
        .get(site.url(&format!("/r/{code}")))
        .header("user-agent", PHONE)
        .send()
        .await
        .expect("follow");
    assert!(click.status().is_redirection());
    // Never on the public address.
    assert_eq!(site.get("/metrics").await.status, StatusCode::NOT_FOUND);

    // The sampler reports every few seconds and the mail goes out.
    let scrape = format!("http://{metrics_addr}/metrics");
    let deadline = Instant::now() + Duration::from_secs(30);
    let body = loop {
        let res = reqwest::get(&scrape).await.expect("scrape");
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(
            res.headers()["content-type"],
            "text/plain; version=0.0.4; charset=utf-8"
        );
        let body = res.text().await.expect("body");
        let ready = sample(&body, "liaison_queue_length", &[("queue", "outbox")]).is_some()
            && sample(&body, "liaison_emails_sent_total", &[]) == Some(1.0)
            && sample(&body, "liaison_clicks_written_total", &[]) == Some(1.0);
        if ready {
            break body;
        }
        assert!(Instant::now() < deadline, "metrics incomplete:\n{body}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };

    let requests = |route, status| {
        sample(
            &body,
            "liaison_http_requests_total",
            &[("route", route), ("method", "GET"), ("status", status)],
        )
    };
    assert_eq!(requests("/dashboard", "200"), Some(1.0));
    // The unknown page and the public address's /metrics.
    assert_eq!(requests("unmatched", "404"), Some(2.0));
    assert_eq!(
        requests("/r/{code}", "302"),
        Some(1.0),
        "by route template, never by path"
    );
    assert!(!body.contains(&code), "no path of a request is a label");
    assert!(
        sample(
            &body,
            "liaison_http_request_duration_seconds_bucket",
            &[("route", "/dashboard"), ("le", "+Inf")],
        ) == Some(1.0)
    );
    assert_eq!(
        sample(
            &body,
            "liaison_db_pool_connections",
            &[("pool", "requests"), ("state", "max")]
        ),
        Some(16.0)
    );
    assert!(
        sample(
            &body,
            "liaison_db_pool_acquire_seconds_count",
            &[("pool", "requests")]
        )
        .is_some()
    );
    assert!(
        sample(
            &body,
            "liaison_job_runs_total",
            &[("job", "audit sealer"), ("outcome", "ok")]
        )
        .is_some_and(|n| n >= 1.0)
    );
    assert!(
        sample(
            &body,
            "liaison_queue_lag_seconds",
            &[("queue", "audit_seal")]
        )
        .is_some()
    );
    assert!(
        sample(
            &body,
            "liaison_snapshot_age_seconds",
            &[("snapshot", "agency_results")]
        )
        .is_some()
    );
    assert_eq!(sample(&body, "liaison_clicks_queued_total", &[]), Some(1.0));
    assert_eq!(
        sample(&body, "liaison_clicks_written_total", &[]),
        Some(1.0)
    );
    assert_eq!(sample(&body, "liaison_emails_sent_total", &[]), Some(1.0));
    assert!(body.contains("# HELP liaison_clicks_dropped_total"));
    assert_eq!(smtp.received().len(), 1);
}

#[test]
fn samples_are_read_by_name_and_labels() {
    let body = "# HELP x_total Things.\nx_total{a=\"1\",b=\"2\"} 3\nx_total{a=\"2\"} 4\ny 5\n";
    assert_eq!(sample(body, "x_total", &[("a", "1")]), Some(3.0));
    assert_eq!(sample(body, "x_total", &[("a", "2")]), Some(4.0));
    assert_eq!(sample(body, "y", &[]), Some(5.0));
    assert_eq!(sample(body, "x", &[]), None);
}
