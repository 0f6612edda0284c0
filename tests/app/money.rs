//! Money through the pages: the agency records what brands sent, brands see
//! their funds, the agency sets its fees and checks the ledger.

use reqwest::StatusCode;

use crate::{
    fixtures::{agency, creator, day, unfunded_brand as brand},
    helpers::TestApp,
};

async fn brand_id(app: &TestApp) -> String {
    sqlx::query_scalar::<_, uuid::Uuid>("select id from brands where name = 'Northwind Outdoor'")
        .fetch_one(&app.db)
        .await
        .expect("brand")
        .to_string()
}

fn receipt<'a>(brand: &'a str, amount: &'a str, reference: &'a str) -> Vec<(&'a str, String)> {
    vec![
        ("brand_id", brand.to_owned()),
        ("amount", amount.to_owned()),
        ("currency", "USD".to_owned()),
        ("reference", reference.to_owned()),
        ("received_on", day(-1)),
    ]
}

async fn record(admin: &TestApp, fields: &[(&str, String)]) -> crate::helpers::Page {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    admin.post_form("/admin/finance/receipts", &fields).await
}

#[tokio::test]
async fn money_a_brand_sent_becomes_its_funds_once_however_often_it_is_recorded() {
    let db = crate::helpers::fresh_db().await;
    let northwind = brand(db).await;
    let admin = agency(&northwind).await;
    let id = brand_id(&northwind).await;

    let empty = northwind.get("/billing").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("No funds yet."));

    record(&admin, &receipt(&id, "5,000.00", "NWO-2026-0042"))
        .await
        .assert_redirect("/admin/finance");
    let page = admin.get("/admin/finance").await.body;
    assert!(
        page.contains("Recorded $5,000.00 received for Northwind Outdoor."),
        "{page}"
    );
    assert!(page.contains("NWO-2026-0042"));

    // The same form again (a double click, a refresh): nothing more.
    record(&admin, &receipt(&id, "5,000.00", "NWO-2026-0042"))
        .await
        .assert_redirect("/admin/finance");
    let again = admin.get("/admin/finance").await.body;
    assert!(
        again.contains("already recorded; nothing was added"),
        "{again}"
    );

    let billing = northwind.get("/billing").await.body;
    assert!(billing.contains("$5,000.00"), "{billing}");
    assert!(billing.contains("Bank transfer: NWO-2026-0042"));
    let csv = northwind.get("/billing/history.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(
        csv.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/csv; charset=utf-8")
    );
    assert!(
        csv.body
            .starts_with("date,recorded_at,what,memo,amount,currency,balance_after\n")
    );
    assert!(
        csv.body
            .contains(",Funds received,Bank transfer: NWO-2026-0042,5000.00,USD,5000.00\n"),
        "{}",
        csv.body
    );
    assert_eq!(
        northwind
            .count("select count(*) from audit_events where action = 'admin.funds_recorded'")
            .await,
        1
    );

    // The same reference for a different amount is a different payment: refused.
    let clash = record(&admin, &receipt(&id, "7,000.00", "NWO-2026-0042")).await;
    assert_eq!(clash.status, StatusCode::CONFLICT);
    assert!(
        clash.body.contains(r#"id="reference-error""#),
        "{}",
        clash.body
    );
    assert!(
        clash.body.contains(r#"value="7,000.00""#),
        "what was typed is kept"
    );
    assert!(northwind.get("/billing").await.body.contains("$5,000.00"));

    admin
        .post_form("/admin/finance/check", &[])
        .await
        .assert_redirect("/admin/finance");
    let checked = admin.get("/admin/finance").await.body;
    assert!(
        checked.contains("The ledger adds up: 2 accounts and 2 entries"),
        "{checked}"
    );
}

#[tokio::test]
async fn amounts_that_are_not_money_are_refused_beside_their_field() {
    let db = crate::helpers::fresh_db().await;
    let northwind = brand(db).await;
    let admin = agency(&northwind).await;
    let id = brand_id(&northwind).await;
    for (field, value) in [
        ("amount", "-50"),
        ("amount", "0"),
        ("amount", "12.345"),
        ("amount", "10000000000"),
        ("amount", "lots"),
        ("received_on", &day(3)),
        ("brand_id", "not a brand"),
        ("reference", ""),
    ] {
        let mut fields = receipt(&id, "100", "REF-1");
        for f in fields.iter_mut().filter(|(k, _)| *k == field) {
            f.1 = value.to_owned();
        }
        let res = record(&admin, &fields).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}={value}"
        );
        let marker = format!(r#"id="{field}-error""#);
        assert!(res.body.contains(&marker), "{field}={value}: {}", res.body);
    }
    assert_eq!(
        northwind
            .count("select count(*) from ledger_transfers")
            .await,
        0
    );
}

#[tokio::test]
async fn only_the_agency_records_money_and_only_a_brand_sees_its_own_billing() {
    let db = crate::helpers::fresh_db().await;
    let northwind = brand(db).await;
    let id = brand_id(&northwind).await;
    let aisha = creator(&northwind, "aisha@creators.example", "Aisha").await;

    let by_brand = record(&northwind, &receipt(&id, "100", "SELF-FUNDED")).await;
    assert!(
        matches!(
            by_brand.status,
            StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
        ),
        "{}",
        by_brand.status
    );
    assert_eq!(
        northwind.get("/admin/finance").await.status,
        StatusCode::FORBIDDEN
    );
    assert_ne!(aisha.get("/billing").await.status, StatusCode::OK);
    assert_eq!(
        northwind
            .count("select count(*) from ledger_transfers")
            .await,
        0
    );
}

#[tokio::test]
async fn the_agency_sets_its_fees_and_sees_what_they_mean() {
    let db = crate::helpers::fresh_db().await;
    let northwind = brand(db).await;
    let admin = agency(&northwind).await;
    let page = admin.get("/admin/finance").await.body;
    assert!(
        page.contains(
            "On a $1,000.00 fee the brand pays $1,100.00 and the creator receives $1,000.00."
        ),
        "{page}"
    );
    admin
        .post_form(
            "/admin/finance/terms",
            &[
                ("brand_fee_percent", "12.5"),
                ("creator_fee_percent", "2"),
                ("auto_approve_grace_days", "5"),
                ("payout_minimum", "50"),
            ],
        )
        .await
        .assert_redirect("/admin/finance");
    let page = admin.get("/admin/finance").await.body;
    assert!(
        page.contains(
            "On a $1,000.00 fee the brand pays $1,125.00 and the creator receives $980.00."
        ),
        "{page}"
    );
    assert!(page.contains("approved 5 days after"));

    let bad = admin
        .post_form(
            "/admin/finance/terms",
            &[
                ("brand_fee_percent", "80"),
                ("creator_fee_percent", "0"),
                ("auto_approve_grace_days", "3"),
                ("payout_minimum", "20"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains(r#"id="brand_fee_percent-error""#));
    assert!(bad.body.contains(r#"value="80""#));
}

async fn funds_text(app: &TestApp) -> String {
    app.get("/billing").await.body
}

#[tokio::test]
async fn accepting_holds_the_fee_and_the_agency_fee_from_the_brands_funds_once() {
    let db = crate::helpers::fresh_db().await;
    let northwind = brand(db).await;
    crate::fixtures::fund(&northwind, "Northwind Outdoor", 500_000).await;
    let campaign = crate::fixtures::published(&northwind, &[]).await;
    let aisha = crate::fixtures::fitting_creator(&northwind, "aisha@creators.example").await;
    let application = crate::fixtures::apply(&aisha, &campaign, "2,000")
        .await
        .location()
        .to_owned();

    let before = northwind.get(&application).await.body;
    assert!(
        before.contains("<dt>Agency fee (10%)</dt><dd>$200.00</dd>"),
        "{before}"
    );
    assert!(before.contains("<dt>Held from your funds</dt><dd><strong>$2,200.00</strong></dd>"));
    assert!(before.contains("<dt>Your available funds</dt><dd>$5,000.00</dd>"));

    let key = uuid::Uuid::now_v7().to_string();
    let fields = [("agreed_fee", "2,000"), ("idempotency_key", key.as_str())];
    let accept = format!("{application}/accept");
    northwind
        .post_form(&accept, &fields)
        .await
        .assert_accepted();
    // The same form again (a double click): the first answer, nothing held twice.
    northwind
        .post_form(&accept, &fields)
        .await
        .assert_redirect(&application);
    assert!(
        northwind
            .get(&application)
            .await
            .body
            .contains("already made; nothing was held twice")
    );

    let billing = funds_text(&northwind).await;
    assert!(billing.contains("$2,800.00"), "{billing}");
    assert!(billing.contains("Held for a collaboration"));
    let shares: (i64, i64, i64) = sqlx::query_as(
        "select count(*), sum(fee_minor)::bigint, sum(brand_fee_minor)::bigint from escrow_shares",
    )
    .fetch_one(&northwind.db)
    .await
    .expect("shares");
    let deliverables = northwind.count("select count(*) from deliverables").await;
    assert_eq!(shares, (deliverables, 200_000, 20_000));
    assert!(
        liaison::ledger::verify::verify(&northwind.db)
            .await
            .expect("verify")
            .is_sound()
    );
}

#[tokio::test]
async fn a_brand_short_of_funds_is_told_how_much_to_add_and_nothing_changes() {
    let db = crate::helpers::fresh_db().await;
    let northwind = brand(db).await;
    crate::fixtures::fund(&northwind, "Northwind Outdoor", 100_000).await;
    let campaign = crate::fixtures::published(&northwind, &[]).await;
    let aisha = crate::fixtures::fitting_creator(&northwind, "aisha@creators.example").await;
    let application = crate::fixtures::apply(&aisha, &campaign, "2,000")
        .await
        .location()
        .to_owned();

    let page = northwind.get(&application).await.body;
    assert!(
        page.contains("Your funds are $1,200.00 short at this fee"),
        "{page}"
    );

    let res = crate::fixtures::accept(&northwind, &application, "2,000").await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(
        res.body
            .contains("your funds are $1,200.00 short. Add at least $1,200.00"),
        "{}",
        res.body
    );
    assert!(
        res.body.contains(r#"value="2,000""#),
        "the fee typed is kept"
    );
    assert_eq!(
        northwind
            .count("select count(*) from applications where status = 'accepted'")
            .await,
        0
    );
    assert_eq!(
        northwind.count("select count(*) from deliverables").await,
        0
    );
    assert_eq!(
        northwind.count("select count(*) from escrow_holds").await,
        0
    );
    assert!(funds_text(&northwind).await.contains("$1,000.00"));
}

#[tokio::test]
async fn approving_a_deliverable_releases_its_share_to_the_creator_once() {
    use crate::collaborations::{collaboration, latest_submission, review, scores, submit};

    let db = crate::helpers::fresh_db().await;
    let c = collaboration(db).await;
    let first = &c.deliverables[0];
    submit(&c.creator, first, &[]).await.assert_redirect(first);
    let round = latest_submission(&c.brand, first).await;
    review(&c.brand, &round, &scores("approve", "")).await;

    let shares: Vec<(String, Option<String>, i64)> = sqlx::query_as(
        "select '/deliverables/' || s.deliverable_id, s.settled, s.fee_minor
           from escrow_shares s join deliverables d on d.id = s.deliverable_id
          order by d.position",
    )
    .fetch_all(&c.brand.db)
    .await
    .expect("shares");
    assert_eq!(shares[0].0, *first);
    assert_eq!(shares[0].1.as_deref(), Some("released"));
    assert!(shares[1..].iter().all(|s| s.1.is_none()), "{shares:?}");

    let payable: i64 = sqlx::query_scalar(
        "select balance_minor from ledger_accounts where kind = 'creator_payable'",
    )
    .fetch_one(&c.brand.db)
    .await
    .expect("payable");
    assert_eq!(
        payable, shares[0].2,
        "the whole share: no creator-side fee by default"
    );
    let agency: i64 = sqlx::query_scalar(
        "select balance_minor from ledger_accounts where kind = 'agency_revenue'",
    )
    .fetch_one(&c.brand.db)
    .await
    .expect("agency");
    assert!(agency > 0);

    // Releasing again (a second approval path, a retried job) moves nothing.
    let deliverable: uuid::Uuid = first.rsplit('/').next().expect("id").parse().expect("uuid");
    let mut tx = c.brand.db.begin().await.expect("begin");
    let again = liaison::billing::escrow::release(
        &mut tx,
        deliverable,
        liaison::domain::ReleaseOn::Approval,
        None,
    )
    .await
    .expect("release");
    tx.commit().await.expect("commit");
    assert_eq!(again, None);

    let seen_by_creator = c.creator.get(&c.application).await.body;
    assert!(
        seen_by_creator.contains("<dt>You receive in all</dt><dd><strong>$2,300.00</strong></dd>"),
        "{seen_by_creator}"
    );
    assert!(seen_by_creator.contains("<dt>Agency fee from you</dt><dd>$0.00</dd>"));
    let seen_by_brand = c.brand.get(&c.application).await.body;
    assert!(
        seen_by_brand.contains("<dt>Held at acceptance</dt><dd>$2,530.00</dd>"),
        "{seen_by_brand}"
    );
    assert!(!seen_by_brand.contains("You receive in all"));

    let earnings = c.creator.get("/earnings").await.body;
    let released = liaison::domain::Money::from_minor(shares[0].2, liaison::domain::Currency::Usd);
    assert!(
        earnings.contains(&format!(r#"<span class="stat-value">{released}</span>"#)),
        "{earnings}"
    );
    assert!(earnings.contains("Released to the creator"));
    assert_eq!(
        earnings
            .matches("<td>when the brand approves each deliverable</td>")
            .count(),
        1,
        "the one share still held, and when it is released"
    );
    assert!(earnings.contains("Deliverable 2"));
    assert_eq!(c.brand.get("/earnings").await.status, StatusCode::FORBIDDEN);
    let csv = c.creator.get("/earnings/history.csv").await.body;
    assert!(
        csv.contains(&format!(
            ",Released to the creator,\"Released {released} to the creator\","
        )),
        "{csv}"
    );
    assert_eq!(
        c.brand.get("/earnings/history.csv").await.status,
        StatusCode::FORBIDDEN
    );

    let notes = c.creator.get("/notifications").await.body;
    assert!(
        notes.contains("of your fee is released and payable to you"),
        "{notes}"
    );
    assert!(
        liaison::ledger::verify::verify(&c.brand.db)
            .await
            .expect("verify")
            .is_sound()
    );
}

#[tokio::test]
async fn a_draft_left_unreviewed_past_the_promise_and_grace_is_approved_and_paid() {
    use crate::collaborations::{collaboration, submit};

    let db = crate::helpers::fresh_db().await;
    let c = collaboration(db.clone()).await;
    let first = &c.deliverables[0];
    submit(&c.creator, first, &[]).await.assert_redirect(first);

    // Within the promise and the grace, nothing happens.
    assert_eq!(
        liaison::jobs::approve_silent_drafts(&db)
            .await
            .expect("pass"),
        0
    );

    // Four days past the promise, with the default grace of three: the brand
    // has stayed silent too long.
    crate::fixtures::backdate_drafts(&db, 7, 4).await;
    assert_eq!(
        liaison::jobs::approve_silent_drafts(&db)
            .await
            .expect("pass"),
        1
    );
    assert_eq!(
        liaison::jobs::approve_silent_drafts(&db)
            .await
            .expect("again"),
        0
    );

    let status: String =
        sqlx::query_scalar("select status from deliverables where '/deliverables/' || id = $1")
            .bind(first)
            .fetch_one(&db)
            .await
            .expect("status");
    assert_eq!(status, "approved");
    let page = c.brand.get(first).await.body;
    assert!(page.contains("Approved automatically"), "{page}");
    let brand_notes = c.brand.get("/notifications").await.body;
    assert!(
        brand_notes.contains("approved automatically."),
        "{brand_notes}"
    );
    let creator_notes = c.creator.get("/notifications").await.body;
    assert!(
        creator_notes.contains("is released and payable to you"),
        "{creator_notes}"
    );
    let audited: String = sqlx::query_scalar(
        "select detail from audit_events where action = 'deliverable.auto_approved'",
    )
    .fetch_one(&db)
    .await
    .expect("audited");
    assert!(audited.contains("released to the creator"), "{audited}");
    let released: i64 =
        sqlx::query_scalar("select count(*) from escrow_shares where settled = 'released'")
            .fetch_one(&db)
            .await
            .expect("released");
    assert_eq!(released, 1);
}

#[tokio::test]
async fn a_brief_that_pays_on_publication_releases_when_the_post_goes_live() {
    use crate::collaborations::{latest_submission, review, scores, submit};
    use crate::fixtures::{brief_form, fitting_creator, post, published};

    let db = crate::helpers::fresh_db().await;
    let northwind = crate::fixtures::brand(db.clone()).await;
    let campaign = published(&northwind, &[]).await;
    let mut form = brief_form("Pay when the post is live.");
    form.push(("release_on", "publication".to_owned()));
    post(&northwind, &format!("{campaign}/brief"), &form)
        .await
        .assert_redirect(&format!("{campaign}/brief"));
    let brief = northwind.get(&format!("{campaign}/brief")).await.body;
    assert!(
        brief.contains("pay released when the creator publishes each deliverable"),
        "{brief}"
    );

    let aisha = fitting_creator(&northwind, "aisha@creators.example").await;
    // Applying under the brief's second version, which pays on publication.
    let applied = aisha
        .post_form(
            &format!("{campaign}/applications"),
            &[
                ("pitch", "I post from the trail the same day."),
                ("proposed_fee", "1,000"),
                ("brief_version", "2"),
            ],
        )
        .await;
    let application = applied.location().to_owned();
    assert!(
        application.starts_with("/applications/"),
        "{}",
        applied.body
    );
    crate::fixtures::accept(&northwind, &application, "1,000")
        .await
        .assert_accepted();
    let deliverable: String = sqlx::query_scalar(
        "select '/deliverables/' || id from deliverables order by position limit 1",
    )
    .fetch_one(&db)
    .await
    .expect("deliverable");
    let released = || async {
        sqlx::query_scalar::<_, i64>(
            "select count(*) from escrow_shares where settled = 'released'",
        )
        .fetch_one(&db)
        .await
        .expect("count")
    };

    submit(&aisha, &deliverable, &[])
        .await
        .assert_redirect(&deliverable);
    let round = latest_submission(&northwind, &deliverable).await;
    review(&northwind, &round, &scores("approve", ""))
        .await
        .assert_redirect(&deliverable);
    assert_eq!(
        released().await,
        0,
        "approval alone does not pay under this brief"
    );

    aisha
        .post_form(
            &format!("{deliverable}/published"),
            &[("live_url", "https://instagram.com/p/abc")],
        )
        .await
        .assert_redirect(&deliverable);
    assert_eq!(released().await, 1);
    let page = aisha.get(&deliverable).await.body;
    assert!(page.contains("is released and payable to you"), "{page}");
}

#[tokio::test]
async fn how_soon_a_brand_pays_is_shown_to_it_and_to_creators() {
    use crate::collaborations::{collaboration, latest_submission, review, scores, submit};
    use liaison::db::snapshot::{self, Snapshot};

    let db = crate::helpers::fresh_db().await;
    let c = collaboration(db.clone()).await;
    let before = c.brand.get("/dashboard").await.body;
    assert!(!before.contains("paid within the review promise"));
    let first = &c.deliverables[0];
    submit(&c.creator, first, &[]).await.assert_redirect(first);
    let round = latest_submission(&c.brand, first).await;
    review(&c.brand, &round, &scores("approve", "")).await;
    // The record is read from a snapshot taken every ten minutes: until the
    // next one, the pages show the record before this release.
    let dashboard = c.brand.get("/dashboard").await.body;
    assert!(!dashboard.contains("paid within the review promise"));
    snapshot::refresh(&db, Snapshot::TrackRecords)
        .await
        .expect("take the snapshot");

    let dashboard = c.brand.get("/dashboard").await.body;
    assert!(
        dashboard.contains("<strong>100%</strong> of 1 deliverable paid within the review promise"),
        "{dashboard}"
    );
    assert!(dashboard.contains("0 days after the draft at the median"));
    let campaign = c.creator.get(&c.campaign).await.body;
    assert!(
        campaign.contains("Pays within the review promise: <strong>100%</strong> of 1 deliverable"),
        "{campaign}"
    );
}

#[tokio::test]
async fn a_creator_with_many_parts_held_sees_the_soonest_twenty_and_every_part_counted() {
    let app = crate::fixtures::brand(crate::helpers::fresh_db().await).await;
    let c = crate::fixtures::fitting_creator(&app, "aisha@creators.example").await;
    // Twenty-six collaborations of two deliverables each: 52 parts held.
    for n in 0..26 {
        // More applications than an hour allows: the limit starts over.
        sqlx::query("delete from rate_limits")
            .execute(&app.db)
            .await
            .expect("limits");
        let campaign =
            crate::fixtures::published(&app, &[("title", &format!("Trail series {n}"))]).await;
        let application = crate::fixtures::apply(&c, &campaign, "1000")
            .await
            .location()
            .to_owned();
        crate::fixtures::accept(&app, &application, "1000")
            .await
            .assert_accepted();
    }
    let earnings = c.get("/earnings").await.body;
    assert!(
        earnings.contains(r#"<span class="stat-value">$26,000.00</span> <span class="stat-label">held in USD</span>"#),
        "{earnings}"
    );
    assert!(earnings.contains("52 parts of your fees are held; here are the 20 due soonest."));
    assert_eq!(earnings.matches(r#"<a href="/deliverables/"#).count(), 20);
    assert!(earnings.contains(r#"<a href="/business/income">Every part held"#));
    // The income page lists every part, 25 a page soonest first, and the
    // desk counts them all.
    let mut income = c.get("/business/income").await.body;
    assert!(income.contains("52 parts of your fees are held; here are the 25 due soonest."));
    let mut listed = Vec::new();
    loop {
        listed.extend(
            income
                .split(r#"<a href="/deliverables/"#)
                .skip(1)
                .filter_map(|rest| rest.split('"').next())
                .map(str::to_owned),
        );
        let Some(next) = income
            .split(r#"<a href="/business/income?"#)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
        else {
            break;
        };
        income = c.get(&format!("/business/income?{next}")).await.body;
        assert!(income.contains(r#"<a href="/business/income#coming-heading">Soonest due</a>"#));
    }
    assert_eq!(listed.len(), 52);
    let mut distinct = listed.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 52, "every part once");
    let past = c
        .get("/business/income?after=2932896_ffffffff-ffff-ffff-ffff-ffffffffffff")
        .await
        .body;
    assert!(past.contains("No later parts."));
    let stale = c.get("/business/income?after=next-week").await.body;
    assert!(stale.contains("here are the 25 due soonest"));
    let desk = c.get("/business").await.body;
    assert!(desk.contains("$26,000.00"), "{desk}");
}

#[tokio::test]
async fn billing_shows_the_newest_movements_and_pages_to_older_ones() {
    use liaison::{
        domain::{Currency, Money},
        ledger::{AccountRef, IdempotencyKey, NewTransfer, TransferKind, db as ledger},
    };

    let northwind = brand(crate::helpers::fresh_db().await).await;
    let id: uuid::Uuid = brand_id(&northwind).await.parse().expect("id");
    for n in 1..=27 {
        let amount = Money::from_minor(n * 100, Currency::Usd);
        let funding = NewTransfer::moving(
            TransferKind::Funding,
            IdempotencyKey::new(),
            amount,
            AccountRef::cash_received(Currency::Usd),
            AccountRef::brand_funds(id, Currency::Usd),
        )
        .asking(&format!("funding {n}"));
        let mut tx = northwind.db.begin().await.expect("begin");
        ledger::post(&mut tx, &funding).await.expect("fund");
        tx.commit().await.expect("commit");
    }
    let first = northwind.get("/billing").await.body;
    assert_eq!(first.matches("<td>Funds received").count(), 25, "{first}");
    assert!(first.contains("$27.00"), "the newest first");
    assert!(!first.contains("Newest movements"));
    let start = first
        .find("/billing?before=")
        .expect("a link to older movements");
    let end = first[start..].find('"').expect("the link ends") + start;
    let older = northwind.get(&first[start..end]).await;
    assert_eq!(older.status, StatusCode::OK);
    assert_eq!(older.body.matches("<td>Funds received").count(), 2);
    assert!(older.body.contains("$1.00") && older.body.contains("$2.00"));
    assert!(
        older
            .body
            .contains(r##"<a href="/billing#history-heading">Newest movements</a>"##)
    );
    assert!(!older.body.contains("Older movements"));
    // A link edited by hand shows the newest page; one past the end says so.
    let edited = northwind.get("/billing?before=yesterday").await.body;
    assert_eq!(edited.matches("<td>Funds received").count(), 25);
    let past = format!("/billing?before=0_0_{id}");
    let past = northwind.get(&past).await.body;
    assert!(past.contains("No older movements."), "{past}");
}
