//! Email: the outbox, delivery through a real SMTP server on loopback with
//! retries, password resets by link, invitations, suspension notices and
//! each person's choice of notification email.

use liaison::{
    config::DEFAULT_MAIL_FROM,
    email::sender::{self, Mailer},
    notifications::email as notification_email,
};
use reqwest::StatusCode;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{
    fixtures::{self, agency},
    helpers::{PASSWORD, TestApp, fresh_db},
    smtp::{Mode, SmtpServer},
};

async fn user_id(app: &TestApp, email: &str) -> Uuid {
    sqlx::query_scalar("select id from users where email = $1")
        .bind(email)
        .fetch_one(&app.db)
        .await
        .expect("user")
}

async fn outbox_body(app: &TestApp, to: &str, kind: &str) -> Option<String> {
    sqlx::query_scalar(
        "select body from outbox where to_address = $1 and kind = $2 order by id desc limit 1",
    )
    .bind(to)
    .bind(kind)
    .fetch_optional(&app.db)
    .await
    .expect("outbox")
}

/// Waits for work done after the answer (a reset link is queued apart from
/// the page that promised it), up to five seconds.
async fn eventually_count(app: &TestApp, sql: &str, want: i64) {
    for _ in 0..100 {
        if app.count(sql).await == want {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(app.count(sql).await, want, "{sql}");
}

fn mailer(server: &SmtpServer) -> Mailer {
    Mailer::new(&server.url, DEFAULT_MAIL_FROM).expect("mailer")
}

fn link_in(text: &str, prefix: &str) -> String {
    let start = text.find(prefix).expect(prefix);
    text[start..]
        .split_whitespace()
        .next()
        .expect("link")
        .to_owned()
}

#[tokio::test]
async fn without_smtp_mail_waits_in_the_outbox_where_only_admins_read_it() {
    let db = fresh_db().await;
    let brand = fixtures::brand(db).await;
    let page = brand
        .post_form("/brand/members", &[("email", "sam@northwind.example")])
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("we emailed them an invitation"));
    let body = outbox_body(&brand, "sam@northwind.example", "team_invitation")
        .await
        .expect("an invitation in the outbox");
    assert!(
        body.contains("Maya invited you to join Northwind"),
        "{body}"
    );
    let link = link_in(&body, "http://liaison.test/invitations/");
    assert!(page.body.contains(&link), "the page shows the same link");

    let admin = agency(&brand).await;
    let outbox = admin.get("/admin/outbox").await;
    assert_eq!(outbox.status, StatusCode::OK);
    assert!(outbox.body.contains("No mail server is configured"));
    assert!(outbox.body.contains("Join Northwind Outdoor on Liaison"));
    let id: Uuid = sqlx::query_scalar("select id from outbox")
        .fetch_one(&brand.db)
        .await
        .expect("id");
    let message = admin.get(&format!("/admin/outbox/{id}")).await;
    assert!(
        message.body.contains(&link),
        "admins read the whole message"
    );
    assert!(message.body.contains("Waiting"));
    let filtered = admin.get("/admin/outbox?status=sent").await;
    assert!(filtered.body.contains("No mail matches this filter"));
    let bad = admin.get("/admin/outbox?status=lost&user=someone").await;
    assert!(bad.body.contains("Choose a status from the list."));
    assert!(bad.body.contains("Enter an account id"));

    for path in ["/admin/outbox".to_owned(), format!("/admin/outbox/{id}")] {
        assert_eq!(
            brand.get(&path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    assert_eq!(
        brand
            .post_form(&format!("/admin/outbox/{id}/retry"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_sender_delivers_through_smtp_retries_with_backoff_and_gives_up_on_refusals() {
    let db = fresh_db().await;
    let brand = fixtures::brand(db).await;
    let server = SmtpServer::start().await;
    let mailer = mailer(&server);
    brand
        .post_form("/brand/members", &[("email", "sam@northwind.example")])
        .await;

    let pass = sender::send_due(&brand.db, &mailer).await.expect("send");
    assert_eq!(pass.sent, 1);
    let got = server.to("sam@northwind.example");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].from, "agency@liaison.example");
    assert_eq!(
        got[0].header("Subject").as_deref(),
        Some("Join Northwind Outdoor on Liaison")
    );
    let id: Uuid = sqlx::query_scalar("select id from outbox")
        .fetch_one(&brand.db)
        .await
        .expect("id");
    assert!(
        got[0]
            .header("Message-ID")
            .expect("id")
            .contains(&id.to_string())
    );
    assert!(got[0].text().contains("/invitations/"));
    assert_eq!(
        brand
            .count("select count(*) from outbox where sent_at is not null and attempts = 1")
            .await,
        1
    );
    assert_eq!(
        sender::send_due(&brand.db, &mailer)
            .await
            .expect("send")
            .sent,
        0,
        "sent once"
    );

    // The server is busy: tried again after a minute, then sent.
    server.set_mode(Mode::Busy);
    brand
        .post_form("/brand/members", &[("email", "kim@northwind.example")])
        .await;
    let pass = sender::send_due(&brand.db, &mailer).await.expect("send");
    assert_eq!((pass.sent, pass.retrying), (0, 1));
    let wait: f64 = sqlx::query_scalar(
        "select extract(epoch from next_attempt_at - now())::float8 from outbox
          where to_address = 'kim@northwind.example'",
    )
    .fetch_one(&brand.db)
    .await
    .expect("next attempt");
    assert!((50.0..=61.0).contains(&wait), "{wait}");
    assert_eq!(
        sender::send_due(&brand.db, &mailer).await.expect("send"),
        sender::Pass::default(),
        "not before its time"
    );
    server.set_mode(Mode::Accept);
    sqlx::query("update outbox set next_attempt_at = now()")
        .execute(&brand.db)
        .await
        .expect("time passes");
    assert_eq!(
        sender::send_due(&brand.db, &mailer)
            .await
            .expect("send")
            .sent,
        1
    );
    assert_eq!(server.to("kim@northwind.example").len(), 1);

    // Refused for good: given up at once, shown on the console, sent again
    // on an admin's word.
    server.set_mode(Mode::Refuse);
    brand
        .post_form("/brand/members", &[("email", "gone@northwind.example")])
        .await;
    let pass = sender::send_due(&brand.db, &mailer).await.expect("send");
    assert_eq!(pass.failed, 1);
    let failed: Uuid = sqlx::query_scalar(
        "select id from outbox where failed_at is not null and last_error like '%No such mailbox%'",
    )
    .fetch_one(&brand.db)
    .await
    .expect("failed message");
    let admin = agency(&brand).await;
    let list = admin.get("/admin/outbox?status=failed").await;
    assert!(list.body.contains("gone@northwind.example"));
    assert!(list.body.contains("Not delivered"));
    let page = admin.get(&format!("/admin/outbox/{failed}")).await;
    assert!(page.body.contains("No such mailbox"));
    server.set_mode(Mode::Accept);
    admin
        .post_form(&format!("/admin/outbox/{failed}/retry"), &[])
        .await
        .assert_redirect(&format!("/admin/outbox/{failed}"));
    assert_eq!(
        sender::send_due(&brand.db, &mailer)
            .await
            .expect("send")
            .sent,
        1
    );
    assert_eq!(server.to("gone@northwind.example").len(), 1);

    // Ten busy answers and it gives up.
    server.set_mode(Mode::Busy);
    brand
        .post_form("/brand/members", &[("email", "busy@northwind.example")])
        .await;
    for _ in 0..sender::MAX_ATTEMPTS {
        sqlx::query("update outbox set next_attempt_at = now() where sent_at is null")
            .execute(&brand.db)
            .await
            .expect("time passes");
        sender::send_due(&brand.db, &mailer).await.expect("send");
    }
    assert_eq!(
        brand
            .count("select count(*) from outbox where to_address = 'busy@northwind.example' and failed_at is not null and attempts = 10")
            .await,
        1
    );
}

#[tokio::test]
async fn a_forgotten_password_is_reset_once_by_emailed_link_without_telling_who_has_an_account() {
    let db = fresh_db().await;
    let brand = fixtures::brand(db).await;
    let server = SmtpServer::start().await;
    let mailer = mailer(&server);
    let visitor = brand.another_browser();
    let form = visitor.get("/password/forgot").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        visitor
            .get("/login")
            .await
            .body
            .contains("href=\"/password/forgot\"")
    );

    let known = visitor
        .post_form("/password/forgot", &[("email", " Maya@Northwind.example ")])
        .await;
    let unknown = visitor
        .post_form("/password/forgot", &[("email", "nobody@northwind.example")])
        .await;
    assert_eq!(known.status, StatusCode::OK);
    assert_eq!(unknown.status, known.status);
    assert_eq!(
        unknown.body.replace("nobody@northwind.example", "X"),
        known.body.replace("maya@northwind.example", "X"),
        "the same answer whether or not the address has an account"
    );
    assert!(
        known
            .body
            .contains("If <strong>maya@northwind.example</strong> belongs to a Liaison account")
    );
    let blank = visitor
        .post_form("/password/forgot", &[("email", "")])
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(blank.body.contains("Enter your email address."));

    eventually_count(
        &brand,
        "select count(*) from outbox where kind = 'password_reset'",
        1,
    )
    .await;
    assert_eq!(
        sender::send_due(&brand.db, &mailer)
            .await
            .expect("send")
            .sent,
        1
    );
    let mail = server.to("maya@northwind.example");
    assert_eq!(mail.len(), 1);
    let link = link_in(&mail[0].text(), "http://liaison.test/password/reset/");
    let path = link.trim_start_matches("http://liaison.test");
    let kept = outbox_body(&brand, "maya@northwind.example", "password_reset")
        .await
        .expect("kept");
    assert!(
        !kept.contains(path),
        "the outbox forgets the link once it is sent"
    );
    assert!(kept.contains("the link was removed"));

    // Another browser where Maya is still signed in is signed out.
    let page = visitor.get(path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.headers["referrer-policy"], "no-referrer");
    assert_eq!(page.headers["cache-control"], "no-store");
    let mismatch = visitor
        .post_form(
            path,
            &[
                ("new_password", "a brand new password"),
                ("confirm_password", "another one entirely"),
            ],
        )
        .await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(mismatch.body.contains("The two passwords differ"));
    let short = visitor
        .post_form(
            path,
            &[("new_password", "short"), ("confirm_password", "short")],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        brand.get("/dashboard").await.status,
        StatusCode::OK,
        "nothing changed yet"
    );

    visitor
        .post_form(
            path,
            &[
                ("new_password", "a brand new password"),
                ("confirm_password", "a brand new password"),
            ],
        )
        .await
        .assert_redirect("/login");
    brand.wait_for_session_cache().await;
    assert_eq!(
        brand.get("/dashboard").await.status,
        StatusCode::SEE_OTHER,
        "signed out"
    );
    let fresh = brand.another_browser();
    assert_eq!(
        fresh.login("maya@northwind.example", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    fresh
        .login("maya@northwind.example", "a brand new password")
        .await
        .assert_redirect("/dashboard");

    let used = visitor.get(path).await;
    assert_eq!(used.status, StatusCode::GONE);
    assert!(used.body.contains("This link was already used"));
    let again = visitor
        .post_form(
            path,
            &[
                ("new_password", "yet another password"),
                ("confirm_password", "yet another password"),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::GONE);
    let forged = visitor.get("/password/reset/not-a-token-we-made").await;
    assert_eq!(forged.status, StatusCode::NOT_FOUND);
    assert!(forged.body.contains("This is not a link we sent"));
    assert_eq!(
        brand
            .count("select count(*) from audit_events where action = 'account.password_reset'")
            .await,
        1
    );
}

#[tokio::test]
async fn reset_links_expire_give_way_to_newer_ones_and_are_not_sent_too_often() {
    let db = fresh_db().await;
    let brand = fixtures::brand(db).await;
    let server = SmtpServer::start().await;
    let mailer = mailer(&server);
    let visitor = brand.another_browser();
    let ask = async || {
        visitor
            .post_form("/password/forgot", &[("email", "maya@northwind.example")])
            .await;
    };
    let sent = "select count(*) from outbox where kind = 'password_reset'";
    ask().await;
    eventually_count(&brand, sent, 1).await;
    ask().await;
    eventually_count(&brand, sent, 2).await;
    sender::send_due(&brand.db, &mailer).await.expect("send");
    let mail = server.to("maya@northwind.example");
    let first = link_in(&mail[0].text(), "http://liaison.test/password/reset/");
    let second = link_in(&mail[1].text(), "http://liaison.test/password/reset/");
    let (first, second) = (
        first.trim_start_matches("http://liaison.test"),
        second.trim_start_matches("http://liaison.test"),
    );
    let replaced = visitor.get(first).await;
    assert_eq!(replaced.status, StatusCode::GONE);
    assert!(replaced.body.contains("A newer link was sent"));
    assert_eq!(visitor.get(second).await.status, StatusCode::OK);

    sqlx::query("update password_resets set created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour'")
        .execute(&brand.db)
        .await
        .expect("an hour passes");
    let expired = visitor.get(second).await;
    assert_eq!(expired.status, StatusCode::GONE);
    assert!(expired.body.contains("This link has expired"));

    // Three links an hour at most: the two above are two hours old now.
    for n in 3..=5 {
        ask().await;
        eventually_count(&brand, sent, n).await;
    }
    ask().await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        brand.count(sent).await,
        5,
        "the fourth link this hour is not sent"
    );
}

#[tokio::test]
async fn admins_send_reset_links_and_suspension_notices_reach_everyone_kept_out() {
    let db = fresh_db().await;
    let brand = fixtures::brand(db).await;
    let admin = agency(&brand).await;
    let maya = user_id(&brand, "maya@northwind.example").await;
    let creator = fixtures::fitting_creator(&brand, "aisha@creators.example").await;
    let aisha = user_id(&brand, "aisha@creators.example").await;

    admin
        .post_form(&format!("/admin/accounts/{aisha}/password-reset"), &[])
        .await
        .assert_redirect(&format!("/admin/accounts/{aisha}"));
    let body = outbox_body(&brand, "aisha@creators.example", "password_reset")
        .await
        .expect("a reset link");
    assert!(body.contains("The agency that runs Liaison sent you this link"));
    assert_eq!(
        brand
            .count("select count(*) from audit_events where action = 'admin.password_reset_sent'")
            .await,
        1
    );
    let page = admin.get(&format!("/admin/accounts/{aisha}")).await;
    assert!(
        page.body.contains("Choose a new password for Liaison"),
        "the account's mail is listed"
    );
    assert_eq!(
        creator
            .post_form(&format!("/admin/accounts/{maya}/password-reset"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    admin
        .post_form(
            &format!("/admin/accounts/{aisha}/suspend"),
            &[(
                "reason",
                "Bought followers on the channel you applied with.",
            )],
        )
        .await;
    let notice = outbox_body(&brand, "aisha@creators.example", "account_suspended")
        .await
        .expect("a suspension notice");
    assert!(notice.contains("Bought followers on the channel you applied with."));
    let refused = creator
        .another_browser()
        .login("aisha@creators.example", PASSWORD)
        .await;
    assert!(refused.body.contains("We emailed you this reason too"));
    admin
        .post_form(&format!("/admin/accounts/{aisha}/reactivate"), &[])
        .await;
    assert!(
        outbox_body(&brand, "aisha@creators.example", "account_reactivated")
            .await
            .expect("reactivated")
            .contains("active again")
    );

    // A brand's owner: every member is told.
    brand
        .post_form("/brand/members", &[("email", "aisha@creators.example")])
        .await;
    let leo = brand.another_browser();
    leo.signup_brand("leo@northwind.example", "Leo", "Leo's own")
        .await;
    sqlx::query(
        "update brand_members set role = 'member', brand_id = (select brand_id from brand_members where user_id = $1)
          where user_id = (select id from users where email = 'leo@northwind.example')",
    )
    .bind(maya)
    .execute(&brand.db)
    .await
    .expect("leo joins");
    admin
        .post_form(
            &format!("/admin/accounts/{maya}/suspend"),
            &[("reason", "Unpaid invoices for three months.")],
        )
        .await;
    for to in ["maya@northwind.example", "leo@northwind.example"] {
        let notice = outbox_body(&brand, to, "account_suspended")
            .await
            .expect(to);
        assert!(notice.contains("has suspended Northwind"), "{notice}");
        assert!(notice.contains("Unpaid invoices for three months."));
    }
}

#[tokio::test]
async fn notifications_are_emailed_as_each_person_chose_digest_by_default() {
    let db = fresh_db().await;
    let brand = fixtures::brand(db).await;
    let campaign = fixtures::published(&brand, &[]).await;
    let first = fixtures::fitting_creator(&brand, "aisha@creators.example").await;
    fixtures::apply(&first, &campaign, "400").await;
    assert_eq!(
        brand
            .count("select count(*) from notification_mail where mode = 'digest'")
            .await,
        1,
        "Maya's notice of the application waits for her digest"
    );
    assert_eq!(
        notification_email::send_immediate(&brand.db, "http://liaison.test", 100)
            .await
            .expect("immediate"),
        0
    );
    let now = OffsetDateTime::now_utc();
    let before_digest = notification_email::digest_cutoff(now) - time::Duration::minutes(1);
    sqlx::query("update notification_mail set created_at = $1")
        .bind(before_digest)
        .execute(&brand.db)
        .await
        .expect("before the digest time");
    let tomorrow = now + time::Duration::days(1);
    let done = notification_email::send_digests(&brand.db, "http://liaison.test", tomorrow, 100)
        .await
        .expect("digest");
    assert_eq!((done.people, done.sent), (1, 1));
    let digest = outbox_body(&brand, "maya@northwind.example", "digest")
        .await
        .expect("a digest");
    assert!(digest.contains("Application received"), "{digest}");
    assert!(digest.contains("http://liaison.test/"));
    assert_eq!(
        brand.count("select count(*) from notification_mail").await,
        0
    );
    let again = notification_email::send_digests(&brand.db, "http://liaison.test", tomorrow, 100)
        .await
        .expect("digest");
    assert_eq!(again.people, 0, "one digest a day");

    // Maya wants each one at once.
    let account = brand.get("/account").await;
    assert!(account.body.contains("value=\"digest\" checked"));
    brand
        .post_form("/account/email", &[("notification_email", "immediate")])
        .await
        .assert_redirect("/account#email");
    let bad = brand
        .post_form("/account/email", &[("notification_email", "hourly")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body
            .contains("Choose how you want notifications by email.")
    );
    let second = fixtures::fitting_creator(&brand, "ben@creators.example").await;
    fixtures::apply(&second, &campaign, "450").await;
    assert_eq!(
        notification_email::send_immediate(&brand.db, "http://liaison.test", 100)
            .await
            .expect("immediate"),
        1
    );
    let email = outbox_body(&brand, "maya@northwind.example", "notification")
        .await
        .expect("an email at once");
    assert!(email.contains("http://liaison.test/"), "{email}");

    // Read on Liaison before the digest: nothing to send.
    brand
        .post_form("/account/email", &[("notification_email", "digest")])
        .await;
    let third = fixtures::fitting_creator(&brand, "chen@creators.example").await;
    fixtures::apply(&third, &campaign, "500").await;
    brand.post_form("/notifications/read", &[]).await;
    sqlx::query("update notification_mail set created_at = $1")
        .bind(before_digest + time::Duration::days(1))
        .execute(&brand.db)
        .await
        .expect("before tomorrow's digest");
    let done = notification_email::send_digests(
        &brand.db,
        "http://liaison.test",
        tomorrow + time::Duration::days(1),
        100,
    )
    .await
    .expect("digest");
    assert_eq!((done.people, done.sent), (1, 0));

    // Never: nothing is queued.
    brand
        .post_form("/account/email", &[("notification_email", "never")])
        .await;
    let fourth = fixtures::fitting_creator(&brand, "dee@creators.example").await;
    fixtures::apply(&fourth, &campaign, "500").await;
    assert_eq!(
        brand.count("select count(*) from notification_mail").await,
        0
    );
}
