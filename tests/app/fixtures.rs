//! What many tests start from: a brand with a campaign, a brief, a published
//! campaign, a creator with a channel and rates who fits it, an application.
//! Each goes through the real pages, as a user would.

use reqwest::StatusCode;
use sqlx::PgPool;
use time::{Duration, OffsetDateTime};

use crate::helpers::{Page, TestApp, spawn};

pub fn day(offset_days: i64) -> String {
    (OffsetDateTime::now_utc().date() + Duration::days(offset_days)).to_string()
}

/// A complete, valid campaign form; tests override single fields.
pub fn valid_form() -> Vec<(&'static str, String)> {
    vec![
        ("title", "Trail-tested autumn jackets".into()),
        (
            "business_goal",
            "Sell out the autumn range before the first snow.".into(),
        ),
        ("objective", "conversion".into()),
        ("kpi_metric", "conversions".into()),
        ("kpi_target", "500".into()),
        ("kpi_metric", "cost_per_acquisition".into()),
        ("kpi_target", "20.00".into()),
        ("kpi_metric", "".into()),
        ("kpi_target", "".into()),
        ("budget", "12,500".into()),
        ("currency", "USD".into()),
        ("compensation", "flat_fee".into()),
        ("commission_percent", "".into()),
        ("creators_wanted", "8".into()),
        ("eligible_tiers", "micro".into()),
        ("eligible_tiers", "mid".into()),
        ("platforms", "instagram".into()),
        ("platforms", "youtube".into()),
        ("niches", "hiking, camping".into()),
        ("countries", "us, ca".into()),
        ("target_audience", "Weekend hikers, 25 to 45.".into()),
        ("application_deadline", day(10)),
        ("starts_on", day(14)),
        ("ends_on", day(44)),
        ("landing_url", "".into()),
        ("attribution_window", "30".into()),
    ]
}

pub fn with(
    form: &[(&'static str, String)],
    key: &str,
    value: &str,
) -> Vec<(&'static str, String)> {
    form.iter()
        .map(|(k, v)| {
            (
                *k,
                if *k == key {
                    value.to_owned()
                } else {
                    v.clone()
                },
            )
        })
        .collect()
}

pub async fn post(app: &TestApp, path: &str, form: &[(&'static str, String)]) -> Page {
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_form(path, &fields).await
}

/// Northwind Outdoor, signed in as its owner, with $100,000.00 of funds so
/// that accepting creators can hold their fees.
pub async fn brand(db: PgPool) -> TestApp {
    let app = unfunded_brand(db).await;
    fund(&app, "Northwind Outdoor", 10_000_000).await;
    app
}

/// Northwind Outdoor before the agency has recorded any money for it.
pub async fn unfunded_brand(db: PgPool) -> TestApp {
    let app = spawn(db).await;
    app.signup_brand("maya@northwind.example", "Maya", "Northwind Outdoor")
        .await
        .assert_redirect("/dashboard");
    app
}

/// Records a bank transfer in US dollars for the brand, as the agency would.
pub async fn fund(app: &TestApp, brand_name: &str, minor: i64) {
    fund_in(app, brand_name, minor, liaison::domain::Currency::Usd).await;
}

/// Records a bank transfer in `currency` for the brand.
pub async fn fund_in(
    app: &TestApp,
    brand_name: &str,
    minor: i64,
    currency: liaison::domain::Currency,
) {
    let (brand_id, owner): (uuid::Uuid, uuid::Uuid) = sqlx::query_as(
        "select b.id, m.user_id from brands b
           join brand_members m on m.brand_id = b.id and m.role = 'owner'
          where b.name = $1",
    )
    .bind(brand_name)
    .fetch_one(&app.db)
    .await
    .expect("brand");
    let reference = format!("TEST-{}", uuid::Uuid::now_v7());
    let mut tx = app.db.begin().await.expect("begin");
    liaison::billing::funding::record(
        &mut tx,
        &liaison::billing::funding::Receipt {
            source: liaison::billing::funding::Source::BankTransfer,
            event_id: reference.clone(),
            brand_id,
            amount: liaison::domain::Money::from_minor(minor, currency),
            received_on: OffsetDateTime::now_utc().date(),
            reference,
        },
        owner,
    )
    .await
    .expect("fund");
    tx.commit().await.expect("commit");
}

/// Accepts an application at `fee`, as the accept form sends it (with its
/// request key).
/// Accepts the application and, when that worked, has both sides sign the
/// agreement it drew up (straight in the database: the tests of signing
/// itself use [`accept_unsigned`] and sign over HTTP).
pub async fn accept(app: &TestApp, application: &str, fee: &str) -> Page {
    let res = accept_unsigned(app, application, fee).await;
    if res.status == StatusCode::SEE_OTHER && res.location().starts_with("/agreements/") {
        sign_in_database(&app.db, application).await;
    }
    res
}

/// Accepts the application; its agreement waits for both signatures.
pub async fn accept_unsigned(app: &TestApp, application: &str, fee: &str) -> Page {
    let key = uuid::Uuid::now_v7().to_string();
    app.post_form(
        &format!("{application}/accept"),
        &[("agreed_fee", fee), ("idempotency_key", &key)],
    )
    .await
}

/// Both sides' signatures on a collaboration's agreement, for tests about
/// the work after it.
pub async fn sign_in_database(db: &PgPool, application: &str) {
    let id: uuid::Uuid = application
        .trim_start_matches("/applications/")
        .parse()
        .expect("an application's path");
    sqlx::query(
        "insert into agreement_signatures (agreement_id, party, user_id, session_ref,
                                           session_started_at, body_sha256)
         select g.id, side.party, case side.party when 'brand' then a.decided_by else p.user_id end,
                '0000000000000000', now(), g.body_sha256
           from agreements g
           join applications a on a.id = g.application_id
           join influencer_profiles p on p.id = a.profile_id
          cross join (values ('brand'), ('creator')) as side(party)
          where g.application_id = $1 and g.number = 1
         on conflict do nothing",
    )
    .bind(id)
    .execute(db)
    .await
    .expect("signatures");
}

pub async fn create(app: &TestApp) -> String {
    let res = post(app, "/campaigns", &valid_form()).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    res.location().to_owned()
}

pub fn brief_form(summary: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "key_message",
            "Northwind jackets keep you dry for a decade, and we repair them.".into(),
        ),
        (
            "story",
            "A wet weekend on the trail, and the jacket that made it fun.".into(),
        ),
        ("deliverable_platform", "instagram".into()),
        ("deliverable_format", "post".into()),
        ("deliverable_quantity", "2".into()),
        ("deliverable_due_on", day(20)),
        (
            "deliverable_notes",
            "Carousel, at least one photo in rain.".into(),
        ),
        ("deliverable_platform", "youtube".into()),
        ("deliverable_format", "long_video".into()),
        ("deliverable_quantity", "1".into()),
        ("deliverable_due_on", day(30)),
        ("deliverable_notes", "".into()),
        ("deliverable_platform", "".into()),
        ("deliverable_format", "".into()),
        ("deliverable_quantity", "".into()),
        ("deliverable_due_on", "".into()),
        ("deliverable_notes", "".into()),
        (
            "dos",
            "Show the jacket in real weather\nMention the repair programme".into(),
        ),
        ("donts", "No competitor gear in shot".into()),
        ("hashtags", "#NorthwindOutdoor @northwind".into()),
        (
            "disclosure",
            "#ad at the start, plus the paid-partnership label.".into(),
        ),
        ("usage_rights", "paid".into()),
        ("usage_days", "30".into()),
        ("exclusivity", "outdoor apparel".into()),
        ("exclusivity_days", "60".into()),
        ("review_days", "3".into()),
        ("max_revision_rounds", "2".into()),
        ("rubric", "brief_alignment".into()),
        ("rubric", "brand_voice".into()),
        ("rubric", "disclosure".into()),
        ("change_summary", summary.into()),
    ]
}

pub async fn campaign_with_brief(app: &TestApp) -> String {
    let path = create(app).await;
    post(app, &format!("{path}/brief"), &brief_form(""))
        .await
        .assert_redirect(&format!("{path}/brief"));
    path
}

/// Creates, briefs and publishes a campaign with some fields changed; returns its path.
pub async fn published(app: &TestApp, changes: &[(&str, &str)]) -> String {
    let mut form = valid_form();
    for (k, v) in changes {
        form = with(&form, k, v);
    }
    let res = post(app, "/campaigns", &form).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let path = res.location().to_owned();
    post(app, &format!("{path}/brief"), &brief_form("")).await;
    app.post_form(&format!("{path}/publish"), &[])
        .await
        .assert_redirect(&path);
    path
}

pub async fn creator(app: &TestApp, email: &str, name: &str) -> TestApp {
    let c = app.another_browser();
    c.signup_influencer(email, name).await;
    c
}

pub async fn add_channel(c: &TestApp, fields: &[(&str, &str)]) -> Page {
    c.post_form("/profile/channels", fields).await
}

/// The id of the profile's channel with this handle.
pub async fn channel_id(c: &TestApp, handle: &str) -> uuid::Uuid {
    sqlx::query_scalar("select id from channels where handle = $1")
        .bind(handle)
        .fetch_one(&c.db)
        .await
        .expect("channel")
}

pub fn profile_form<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("display_name", "Aisha Patel"),
        ("headline", "Trail running and honest gear tests"),
        ("bio", "I run mountains and review the gear."),
        ("country", "pt"),
        ("city", "Lisbon"),
        ("languages", "English, Portuguese"),
        ("niches", "Trail Running, outdoor gear"),
        ("business_name", "Patel Media"),
        ("website", "https://aisha.example"),
        ("hours_per_week", "35"),
        ("open_to_offers", "on"),
        ("media_kit_handle", "aisha-patel"),
    ];
    for (k, v) in changes {
        form.retain(|(f, _)| f != k);
        if !v.is_empty() || *k != "open_to_offers" {
            form.push((k, v));
        }
    }
    form
}

/// A creator who fits the test campaign (micro, on Instagram) and has rates
/// for both of its brief's deliverables.
pub async fn fitting_creator(app: &TestApp, email: &str) -> TestApp {
    let c = creator(app, email, "Aisha").await;
    add_channel(
        &c,
        &[
            ("platform", "instagram"),
            ("handle", email),
            ("followers", "20000"),
            ("avg_likes", "300"),
        ],
    )
    .await
    .assert_redirect("/profile#channels");
    for (platform, format, price) in [
        ("instagram", "post", "400"),
        ("youtube", "long_video", "1500"),
    ] {
        c.post_form(
            "/profile/rates",
            &[
                ("platform", platform),
                ("format", format),
                ("price", price),
                ("currency", "USD"),
            ],
        )
        .await
        .assert_redirect("/profile#rates");
    }
    c
}

pub async fn apply(c: &TestApp, campaign: &str, fee: &str) -> Page {
    c.post_form(
        &format!("{campaign}/applications"),
        &[
            (
                "pitch",
                "I run these trails every weekend; my audience buys what I test.",
            ),
            ("proposed_fee", fee),
            ("brief_version", "1"),
        ],
    )
    .await
}

/// An agency admin, signed in in a browser of their own.
pub async fn agency(app: &TestApp) -> TestApp {
    app.create_admin("jordan@liaison.example").await;
    let admin = app.another_browser();
    admin
        .login("jordan@liaison.example", crate::helpers::PASSWORD)
        .await
        .assert_redirect("/dashboard");
    admin
}

/// The sum of every ledger account of one kind, in minor units.
pub async fn balance(app: &TestApp, kind: &str) -> i64 {
    app.count(&format!(
        "select coalesce(sum(balance_minor), 0)::int8 from ledger_accounts where kind = '{kind}'"
    ))
    .await
}

/// Every balance agrees with its entries and every transfer balances.
pub async fn assert_ledger_sound(db: &PgPool) {
    let report = liaison::ledger::verify::verify(db).await.expect("verify");
    assert!(report.is_sound(), "{report:?}");
    assert_held_shares_agree(db).await;
}

/// The parts held that the creator's money pages read (`held_shares`, kept by
/// triggers) are exactly the unsettled escrow shares, with their due dates and
/// what the creator receives of each.
pub async fn assert_held_shares_agree(db: &PgPool) {
    assert_kept_agrees(db, "held_shares", "deliverable_id", "").await;
}

/// A table the database keeps from other tables holds exactly the rows of its
/// `_source` view, which computes them from scratch.
pub async fn assert_kept_agrees(db: &PgPool, kept: &str, key: &str, when: &str) {
    let differ: Vec<String> = sqlx::query_scalar(&format!(
        "select format('%s %s', d.side, d.{key}) from (
             (select 'kept, not in the source:' as side, * from
                 (select * from {kept} except select * from {kept}_source) k)
             union all
             (select 'in the source, not kept:', * from
                 (select * from {kept}_source except select * from {kept}) s)) d"
    ))
    .fetch_all(db)
    .await
    .expect("compare a kept table with its source");
    assert!(differ.is_empty(), "{when} {kept}: {differ:?}");
}

/// Moves every draft's sending and review promise back by hand: submissions
/// are immutable, and a test can't wait days for a promise to pass.
pub async fn backdate_drafts(db: &PgPool, sent_days_ago: i32, due_days_ago: i32) {
    let update = format!(
        "update submissions set submitted_at = now() - interval '{sent_days_ago} days',
                                review_due_at = now() - interval '{due_days_ago} days'"
    );
    for statement in [
        "alter table submissions disable trigger submissions_immutable",
        update.as_str(),
        "alter table submissions enable trigger submissions_immutable",
    ] {
        sqlx::query(statement).execute(db).await.expect(statement);
    }
    // The dashboards read the promises from their kept copy.
    assert_kept_agrees(db, "awaiting_reviews", "deliverable_id", "backdated").await;
}

/// `n` creator accounts without profiles, "Creator 1" to "Creator n"
/// (`creatorN@example.com`), joined in that order a second apart after
/// everyone already there: for lists and exports at scale.
pub async fn many_accounts(db: &PgPool, n: i32) {
    sqlx::query(
        "insert into users (id, email, password_hash, display_name, role, created_at)
         select gen_random_uuid(), 'creator' || i || '@example.com',
                '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 'Creator ' || i, 'influencer',
                now() + make_interval(secs => i)
           from generate_series(1, $1) i",
    )
    .bind(n)
    .execute(db)
    .await
    .expect("accounts");
}

/// An agency manager added by `admin` on the staff page, who chose their
/// password from the welcome link in the outbox, signed in in a browser of
/// their own.
pub async fn manager(admin: &TestApp, email: &str, name: &str) -> TestApp {
    admin
        .post_form(
            "/admin/staff",
            &[
                ("display_name", name),
                ("email", email),
                ("role", "manager"),
            ],
        )
        .await
        .assert_redirect("/admin/staff");
    let body: String = sqlx::query_scalar(
        "select body from outbox where to_address = $1 and kind = 'password_reset'",
    )
    .bind(email)
    .fetch_one(&admin.db)
    .await
    .expect("a welcome email");
    let start = body.find("/password/reset/").expect("a link");
    let path = body[start..].split_whitespace().next().expect("link");
    let manager = admin.another_browser();
    manager
        .post_form(
            path,
            &[
                ("new_password", crate::helpers::PASSWORD),
                ("confirm_password", crate::helpers::PASSWORD),
            ],
        )
        .await
        .assert_redirect("/login");
    manager
        .login(email, crate::helpers::PASSWORD)
        .await
        .assert_redirect("/dashboard");
    manager
}
