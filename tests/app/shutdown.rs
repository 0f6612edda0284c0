//! SIGTERM under load, to the real binary: it stops accepting, finishes the
//! requests in flight, writes every click it queued, sends the message it is
//! sending and gives the rest of its claimed mail back, then exits within the
//! stated limit.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use sqlx::Executor;

use crate::{
    collaborations::collaboration,
    database::url_for,
    helpers::fresh_db,
    links::{PHONE, codes},
    processes::Instance,
    smtp::{Mode, SmtpServer, queue_mail},
};

const MESSAGES_IN_FLIGHT: usize = 10;
const CLICKS: usize = 300;
const MAIL: usize = 40;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_under_load_finishes_requests_and_drains_the_queues() {
    let c = collaboration(fresh_db().await).await;
    let db = c.brand.db.clone();
    let code = codes(&c.brand).await.remove(0);
    queue_mail(&db, MAIL).await;
    let smtp = SmtpServer::start().await;
    smtp.set_mode(Mode::Slow(Duration::from_millis(100)));
    let mut instance = Instance::start(&url_for(&db), &[("LIAISON_SMTP_URL", &smtp.url)]).await;
    let creator = c.creator.same_browser_at(instance.addr);
    let thread = format!("{}/messages", c.application);

    // Another session holds the tables the messages and the click writer
    // write to, so both are caught part-way when the signal comes.
    let mut holder = db.acquire().await.expect("a connection");
    (&mut *holder).execute("begin").await.expect("begin");
    (&mut *holder)
        .execute("lock table messages, clicks in exclusive mode")
        .await
        .expect("lock");
    let mut sending = Vec::new();
    for n in 0..MESSAGES_IN_FLIGHT {
        let creator = creator.same_browser_at(instance.addr);
        let thread = thread.clone();
        sending.push(tokio::spawn(async move {
            creator
                .post_form(&thread, &[("body", &format!("In flight {n}"))])
                .await
                .status
        }));
    }
    let visitor = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let mut followed = 0;
    for _ in 0..CLICKS {
        let res = visitor
            .get(format!("http://{}/r/{code}", instance.addr))
            .header("user-agent", PHONE)
            .send()
            .await
            .expect("follow the link");
        assert!(res.status().is_redirection(), "{}", res.status());
        followed += 1;
    }
    wait_for_waiters(&db, MESSAGES_IN_FLIGHT + 1).await;
    // Mail is going out when the signal comes.
    while smtp.received().is_empty() {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    let signalled = Instant::now();
    instance.terminate();
    // It stops accepting at once.
    let mut refused = false;
    while !refused && signalled.elapsed() < Duration::from_secs(5) {
        refused = reqwest::get(format!("http://{}/healthz", instance.addr))
            .await
            .is_err();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(refused, "new connections are refused once stopping");
    tokio::time::sleep(Duration::from_millis(500)).await;
    (&mut *holder)
        .execute("rollback")
        .await
        .expect("release the tables");

    for request in sending {
        assert_eq!(
            request.await.expect("a request in flight"),
            StatusCode::SEE_OTHER,
            "a request in flight at SIGTERM is finished"
        );
    }
    let status = instance
        .exited_within(Duration::from_secs(40))
        .await
        .expect("stopped within the requests' and the queues' grace");
    assert!(status.success(), "{status}");
    // 20 s for requests and 8 for queues and jobs, plus starting the process.
    assert!(signalled.elapsed() < Duration::from_secs(30));

    assert_eq!(
        c.brand.count("select count(*) from messages").await,
        MESSAGES_IN_FLIGHT as i64
    );
    assert_eq!(
        c.brand.count("select count(*) from clicks").await,
        followed as i64,
        "every click answered is stored"
    );
    // Mail: what went out is marked sent, once; nothing is left claimed.
    let received = smtp.received().len() as i64;
    assert!(received < MAIL as i64, "stopped part-way: {received} sent");
    assert_eq!(
        c.brand
            .count("select count(*) from outbox where sent_at is not null")
            .await,
        received
    );
    assert_eq!(
        c.brand
            .count("select count(*) from outbox where sent_at is null and next_attempt_at > now()")
            .await,
        0,
        "mail claimed but not sent is given back"
    );
}

/// Waits until `n` statements of the test database wait for a lock.
async fn wait_for_waiters(db: &sqlx::PgPool, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let waiting: i64 = sqlx::query_scalar(
            "select count(*) from pg_stat_activity
              where datname = current_database() and wait_event_type = 'Lock'",
        )
        .fetch_one(db)
        .await
        .expect("read pg_stat_activity");
        if waiting as usize >= n {
            return;
        }
        assert!(Instant::now() < deadline, "{waiting} of {n} waiting");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
