//! Two instances of the binary on one database behind HAProxy (Debian's
//! package), balancing each request on its own: a session, its CSRF token
//! and flash messages made on one instance work on the other, notifications
//! and a sign-out reach both, and the background jobs both run act
//! once.

use std::time::{Duration, Instant};

use reqwest::StatusCode;

use crate::{
    collaborations::{collaboration, submit},
    database::url_for,
    fixtures::backdate_drafts,
    helpers::{PASSWORD, TestApp, fresh_db},
    metrics::sample,
    processes::{Balancer, Instance, free_port},
    smtp::{SmtpServer, queue_mail},
};

const MAIL: usize = 20;

/// Waits until `check` holds, for at most 30 s.
async fn eventually(what: &str, mut check: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !check().await {
        assert!(Instant::now() < deadline, "{what} did not happen");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_behind_haproxy_share_sessions_and_run_each_job_once() {
    // Work waiting before the instances start, so both start on it at once.
    let c = collaboration(fresh_db().await).await;
    let db = c.brand.db.clone();
    let posts = &c.deliverables[0];
    submit(&c.creator, posts, &[]).await.assert_redirect(posts);
    // A draft four days past its review promise (the agency's grace is
    // three): approved automatically and paid. The video is due tomorrow: a
    // reminder. A channel's figures are due a new assessment, and the
    // results snapshot is a day old.
    backdate_drafts(&db, 7, 4).await;
    for statement in [
        "update deliverables set due_on = current_date + 1 where position = 1",
        "update channels set rescore_on = current_date - 1",
        "update report_snapshots set refreshed_at = now() - interval '1 day'",
    ] {
        sqlx::query(statement).execute(&db).await.expect(statement);
    }
    queue_mail(&db, MAIL).await;
    let smtp = SmtpServer::start().await;

    let url = url_for(&db);
    let metrics = [free_port(), free_port()].map(|p| format!("127.0.0.1:{p}"));
    let env = |m: usize| {
        [
            ("LIAISON_TRUST_PROXY", "1"),
            ("LIAISON_METRICS_ADDR", metrics[m].as_str()),
            ("LIAISON_SMTP_URL", smtp.url.as_str()),
        ]
    };
    let (env_a, env_b) = (env(0), env(1));
    let (a, b) = tokio::join!(Instance::start(&url, &env_a), Instance::start(&url, &env_b));
    for instance in [&a, &b] {
        TestApp::at(instance.addr, db.clone())
            .wait_for_session_cache()
            .await;
    }
    let lb = Balancer::start(&[a.addr, b.addr]).await;

    // Through the balancer, every request on whichever instance is next.
    let creator = TestApp::at(lb.addr, db.clone());
    creator
        .login("aisha@creators.example", PASSWORD)
        .await
        .assert_redirect("/dashboard");
    let brand = TestApp::at(lb.addr, db.clone());
    brand
        .login("maya@northwind.example", PASSWORD)
        .await
        .assert_redirect("/dashboard");
    let thread = format!("{}/messages", c.application);
    for n in 0..4 {
        // The form's token from one instance, the post on the other, the
        // flash it sets shown by whichever comes next.
        let res = creator
            .post_form(
                &thread,
                &[("body", &format!("Question {n} about the shoot"))],
            )
            .await;
        res.assert_redirect(&format!("{thread}#latest"));
        let page = creator.get(&thread).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("Message sent."),
            "the flash, on the next instance"
        );
    }

    // A notification reaches both instances' copies of the session.
    // The unread count in the navigation's badge ("" when there is none).
    let unread = async |app: &TestApp| {
        let body = app.get("/dashboard").await.body;
        let marker = r#"Notifications <span class="badge badge-count">"#;
        match body.find(marker) {
            Some(at) => body[at + marker.len()..]
                .split('<')
                .next()
                .unwrap_or_default()
                .to_owned(),
            None => String::new(),
        }
    };
    let before = [unread(&creator).await, unread(&creator).await];
    assert_eq!(before[0], before[1], "both instances agree");
    brand
        .post_form(&thread, &[("body", "Yes: the Alps it is.")])
        .await
        .assert_redirect(&format!("{thread}#latest"));
    let expected = (before[0].parse::<u32>().unwrap_or(0) + 1).to_string();
    // The instance that did not serve the post learns of it from
    // PostgreSQL's notification, which under load can come a moment after
    // the redirect: two requests in a row, one on each instance.
    eventually("each instance shows the new notification", async || {
        let pair = [unread(&creator).await, unread(&creator).await];
        pair == [expected.clone(), expected.clone()]
    })
    .await;

    // Signing out on one instance signs out on both, the other as soon as
    // the notification reaches it.
    creator.logout().await;
    eventually("both instances sign the session out", async || {
        let mut out = true;
        for _ in 0..2 {
            let page = creator.get("/dashboard").await;
            out &= page.status.is_redirection() && page.location().starts_with("/login");
        }
        out
    })
    .await;

    // Both instances served signed-in pages, the messages were posted on one
    // and their flash read on the other, and neither refused a token or a
    // session or failed.
    let mut threads = Vec::new();
    for addr in &metrics {
        let body = reqwest::get(format!("http://{addr}/metrics"))
            .await
            .expect("scrape")
            .text()
            .await
            .expect("body");
        let served = |route: &str, method: &str, status: &str| {
            sample(
                &body,
                "liaison_http_requests_total",
                &[("route", route), ("method", method), ("status", status)],
            )
            .unwrap_or(0.0)
        };
        assert!(served("/dashboard", "GET", "200") >= 1.0, "{addr}");
        threads.push((
            served("/applications/{id}/messages", "POST", "303"),
            served("/applications/{id}/messages", "GET", "200"),
        ));
        for status in ["403", "500"] {
            assert!(
                !body
                    .lines()
                    .any(|l| l.starts_with("liaison_http_requests_total")
                        && l.contains(&format!(r#"status="{status}""#))),
                "{addr} answered {status}"
            );
        }
    }
    let ((posted_a, read_a), (posted_b, read_b)) = (threads[0], threads[1]);
    assert!(
        (posted_a > 0.0 && read_b > 0.0) || (posted_b > 0.0 && read_a > 0.0),
        "{threads:?}"
    );

    // Each job's work done once, though both instances ran it.
    let count = async |sql: &str| c.brand.count(sql).await;
    eventually("automatic approval", async || {
        count("select count(*) from notifications where kind = 'auto_approved'").await > 0
    })
    .await;
    eventually("the deadline reminder", async || {
        count("select count(*) from notifications where kind = 'deadline_soon'").await > 0
    })
    .await;
    eventually("rescoring", async || {
        count("select count(*) from channels where rescore_on < current_date").await == 0
    })
    .await;
    eventually("the results snapshot", async || {
        count(
            "select count(*) from report_snapshots where refreshed_at > now() - interval '1 hour'",
        )
        .await
            > 0
    })
    .await;
    eventually("the mail", async || smtp.received().len() >= MAIL).await;
    // Give the slower instance time to do anything twice.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        count("select count(*) from notifications where kind = 'auto_approved'").await,
        2,
        "the brand and the creator told once each"
    );
    assert_eq!(
        count(
            "select count(*) from ledger_transfers
              where kind = 'release'"
        )
        .await,
        1,
        "one release"
    );
    assert_eq!(
        count("select count(*) from notifications where kind = 'deadline_soon'").await,
        1
    );
    let received = smtp.received();
    let mut ids: Vec<String> = received
        .iter()
        .map(|m| m.header("Message-ID").expect("a Message-ID"))
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), received.len(), "no message sent twice");
    assert_eq!(
        count("select count(*) from outbox where sent_at is not null").await,
        received.len() as i64
    );
}
