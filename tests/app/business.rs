//! The creator's business desk: hours, outside deals, income from the
//! ledger, the pipeline, prices, partners and goals, and the roll-ups they
//! read agreeing with their sources.

use reqwest::StatusCode;

use crate::{
    collaborations::{latest_submission, review, scores, submit},
    fixtures::{accept, apply, brand, fitting_creator, published},
    helpers::{TestApp, fresh_db},
};

/// A collaboration at a 5% creator-side fee, its first deliverable's path.
async fn collaboration_with_fee() -> (TestApp, TestApp, String, String) {
    let db = fresh_db().await;
    let app = brand(db).await;
    sqlx::query("update agency_terms set creator_fee_basis_points = 500")
        .execute(&app.db)
        .await
        .expect("terms");
    let campaign = published(&app, &[("title", "Autumn trail series")]).await;
    let creator = fitting_creator(&app, "aisha@creators.example").await;
    let application = apply(&creator, &campaign, "2300")
        .await
        .location()
        .to_owned();
    accept(&app, &application, "2300").await.assert_accepted();
    let posts: String =
        sqlx::query_scalar("select '/deliverables/' || id from deliverables order by position")
            .fetch_one(&app.db)
            .await
            .expect("deliverable");
    (app, creator, application, posts)
}

async fn log(c: &TestApp, fields: &[(&str, &str)]) -> crate::helpers::Page {
    c.post_form("/business/time", fields).await
}

#[tokio::test]
async fn the_desk_covers_the_whole_business_and_agrees_with_the_ledger() {
    let (app, creator, application, posts) = collaboration_with_fee().await;
    let app_id = application.trim_start_matches("/applications/");
    let deal = format!("a:{app_id}");
    let deliverable = posts.trim_start_matches("/deliverables/");
    let today = time::OffsetDateTime::now_utc().date().to_string();

    // Hours from the deliverable's page go back to it.
    assert!(creator.get(&posts).await.body.contains("Log your time"));
    log(
        &creator,
        &[
            ("deal", &deal),
            ("deliverable", deliverable),
            ("worked_on", &today),
            ("kind", "creating"),
            ("hours", "6:30"),
            ("back", &posts),
        ],
    )
    .await
    .assert_redirect(&posts);
    log(
        &creator,
        &[
            ("deal", &deal),
            ("worked_on", &today),
            ("kind", "revising"),
            ("hours", "1.5"),
        ],
    )
    .await
    .assert_redirect("/business/time");

    // Bad input is shown beside its field, with what was typed; a day holds
    // at most 24 hours on a deal; only the creator's own deals take hours.
    let bad = log(
        &creator,
        &[
            ("deal", &deal),
            ("worked_on", "2099-01-01"),
            ("kind", "creating"),
            ("hours", "25"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("One entry holds at most 24 hours"));
    assert!(bad.body.contains("the day is in the future"));
    assert!(bad.body.contains("value=\"25\""));
    let too_long = log(
        &creator,
        &[
            ("deal", &deal),
            ("worked_on", &today),
            ("kind", "admin"),
            ("hours", "17"),
        ],
    )
    .await;
    assert_eq!(too_long.status, StatusCode::CONFLICT);
    assert!(too_long.body.contains("more than 24 hours on this deal"));
    let not_mine = log(
        &creator,
        &[
            ("deal", &format!("a:{}", uuid::Uuid::now_v7())),
            ("worked_on", &today),
            ("kind", "admin"),
            ("hours", "1"),
        ],
    )
    .await;
    assert_eq!(not_mine.status, StatusCode::CONFLICT);
    assert!(not_mine.body.contains("That deal is not one of yours"));
    assert_eq!(
        app.post_form("/business/time", &[("deal", &deal), ("hours", "1")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.get("/business").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        creator
            .count("select sum(minutes)::int8 from time_entries")
            .await,
        480
    );

    // An outside deal, recorded as paid: on the desk, never in the ledger.
    let transfers = app.count("select count(*) from ledger_transfers").await;
    let refused = creator
        .post_form(
            "/business/deals",
            &[
                ("brand_name", "Lumen Skincare"),
                ("title", "Spring routine reel"),
                ("amount", "abc"),
                ("currency", "USD"),
                ("stage", "paid"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Spring routine reel"));
    assert!(refused.body.contains("Enter the day it was paid"));
    creator
        .post_form(
            "/business/deals",
            &[
                ("brand_name", "Lumen Skincare"),
                ("title", "Spring routine reel"),
                ("amount", "500"),
                ("currency", "USD"),
                ("platform", "instagram"),
                ("format", "short_video"),
                ("stage", "paid"),
                ("paid_on", &today),
            ],
        )
        .await
        .assert_redirect("/business/deals?stage=paid");
    assert_eq!(
        app.count("select count(*) from ledger_transfers").await,
        transfers
    );
    let paid = creator.get("/business/deals?stage=paid").await.body;
    assert!(paid.contains("Spring routine reel") && paid.contains("Outside Liaison"));
    assert!(!paid.contains("Older deals"), "one deal fits a page");
    let past = creator
        .get("/business/deals?stage=paid&before=0_00000000-0000-0000-0000-000000000000")
        .await
        .body;
    assert!(past.contains("No more deals here"));
    assert!(past.contains("href=\"/business/deals?stage=paid\""));
    let stale = creator
        .get("/business/deals?stage=paid&before=yesterday")
        .await
        .body;
    assert!(
        stale.contains("Spring routine reel"),
        "a stale link shows the newest"
    );

    // The brand approves the first deliverable: its part of the fee is
    // released, and the desk's income is the ledger's.
    submit(&creator, &posts, &[]).await.assert_redirect(&posts);
    let submission = latest_submission(&app, &posts).await;
    review(&app, &submission, &scores("approve", ""))
        .await
        .assert_redirect(&posts);
    let ledger_net = app
        .count(
            "select coalesce(sum(e.amount_minor), 0)::int8
               from ledger_entries e
               join ledger_accounts a on a.id = e.account_id
               join ledger_transfers t on t.id = e.transfer_id
              where a.kind = 'creator_payable' and t.kind in ('release', 'split')",
        )
        .await;
    assert!(ledger_net > 0);
    let desk_net = app
        .count("select coalesce(sum(net_minor), 0)::int8 from desk_income")
        .await;
    assert_eq!(desk_net, ledger_net);
    let (gross, fees): (i64, i64) =
        sqlx::query_as("select sum(gross_minor)::int8, sum(fees_minor)::int8 from desk_income")
            .fetch_one(&app.db)
            .await
            .expect("income");
    assert_eq!(gross - fees, desk_net);
    assert_eq!(
        fees,
        (gross * 500 + 5_000) / 10_000,
        "5% of what was released"
    );

    let income = creator.get("/business/income").await.body;
    let net =
        liaison::domain::Money::from_minor(desk_net, liaison::domain::Currency::Usd).to_string();
    assert!(income.contains(&net), "{net} in the income page");
    assert!(income.contains("$500.00"), "the outside deal in its month");
    let csv = creator.get("/business/income.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.body
            .starts_with("date,source,brand,what,currency,gross,agency_fee,net")
    );
    assert!(
        csv.body
            .contains("Liaison,Northwind Outdoor,Autumn trail series")
    );
    assert!(
        csv.body
            .contains("Outside Liaison,Lumen Skincare,Spring routine reel,USD,500.00,0.00,500.00")
    );

    // The desk: pipeline, money coming in, hours, and goals.
    creator
        .post_form(
            "/business/goals",
            &[
                ("monthly_income", "2000"),
                ("currency", "USD"),
                ("weekly_hours_cap", "40"),
            ],
        )
        .await
        .assert_redirect("/business");
    let bad_goals = creator
        .post_form(
            "/business/goals",
            &[
                ("monthly_income", "-5"),
                ("currency", "USD"),
                ("weekly_hours_cap", "200"),
            ],
        )
        .await;
    assert_eq!(bad_goals.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_goals.body.contains("value=\"200\""));
    let desk = creator.get("/business").await.body;
    assert!(desk.contains("of your goal of $2,000.00"));
    assert!(desk.contains("8 h"), "hours this week");
    assert!(desk.contains("20% of your 40-hour cap"));
    assert!(desk.contains("Autumn trail series"), "the open deal");
    assert!(desk.contains("Northwind Outdoor"));
    let dashboard = creator.get("/dashboard").await.body;
    assert!(dashboard.contains("of your goal of $2,000.00"));
    assert!(
        dashboard.contains("20% of your 40-hour cap"),
        "the week's hours, summed from Monday as on the desk"
    );

    // What an hour earns, by brand and by format; partners; prices.
    let time = creator.get("/business/time").await.body;
    // $2,300 over 8 hours.
    assert!(time.contains("$287.50/h"), "{time}");
    assert!(time.contains("the ten you logged most hours for"));
    let partners = creator.get("/business/partners").await.body;
    assert!(partners.contains("Northwind Outdoor"));
    assert!(
        partners.contains("100%"),
        "released within the review promise"
    );
    assert!(
        !partners.contains("More partners"),
        "one partner fits a page"
    );
    let past = creator
        .get("/business/partners?after=0_00000000-0000-0000-0000-000000000000_USD")
        .await
        .body;
    assert!(past.contains("No more partners."));
    let stale = creator.get("/business/partners?after=yesterday").await.body;
    assert!(stale.contains("Northwind Outdoor"));
    crate::fixtures::assert_kept_agrees(&app.db, "desk_partners", "brand_id", "paid").await;
    let prices = creator.get("/business/prices").await.body;
    assert!(prices.contains("Instagram post"));
    assert!(prices.contains("Micro creators on Instagram typically charge $100.00–$500.00"));
}

#[tokio::test]
async fn the_roll_ups_agree_with_their_sources() {
    let (app, creator, application, posts) = collaboration_with_fee().await;
    let deal = format!("a:{}", application.trim_start_matches("/applications/"));
    let today = time::OffsetDateTime::now_utc().date().to_string();
    for hours in ["2", "3"] {
        log(
            &creator,
            &[
                ("deal", &deal),
                ("worked_on", &today),
                ("kind", "creating"),
                ("hours", hours),
            ],
        )
        .await
        .assert_redirect("/business/time");
    }
    submit(&creator, &posts, &[]).await.assert_redirect(&posts);
    let submission = latest_submission(&app, &posts).await;
    review(&app, &submission, &scores("approve", ""))
        .await
        .assert_redirect(&posts);
    // An entry removed counts no more.
    let entry: String = sqlx::query_scalar("select id::text from time_entries limit 1")
        .fetch_one(&app.db)
        .await
        .expect("entry");
    creator
        .post_form(&format!("/business/time/{entry}/delete"), &[])
        .await
        .assert_redirect("/business/time");

    // The parts still held, net of the 5% fee, and where they are due even if
    // a due date moves.
    crate::fixtures::assert_held_shares_agree(&app.db).await;
    crate::fixtures::assert_kept_agrees(&app.db, "creator_reviews", "review_id", "reviewed").await;
    crate::fixtures::assert_kept_agrees(&app.db, "desk_partners", "brand_id", "worked").await;
    sqlx::query("update deliverables set due_on = due_on + 3")
        .execute(&app.db)
        .await
        .expect("move due dates");
    crate::fixtures::assert_held_shares_agree(&app.db).await;
    let held: i64 = sqlx::query_scalar("select count(*) from held_shares")
        .fetch_one(&app.db)
        .await
        .expect("held");
    assert!(held > 0, "the second part is still held");

    // Recomputed from scratch, the roll-ups are what the triggers kept.
    let mut tx = app.db.begin().await.expect("tx");
    for statement in [
        "create temp table kept_deals as select * from desk_deals",
        "create temp table kept_income as select * from desk_income",
        "create temp table kept_partners as select * from desk_partners",
        "select desk_rebuild()",
    ] {
        sqlx::query(statement)
            .execute(&mut *tx)
            .await
            .expect(statement);
    }
    for (kept, fresh) in [
        ("kept_deals", "desk_deals"),
        ("kept_income", "desk_income"),
        ("kept_partners", "desk_partners"),
    ] {
        let differ: i64 = sqlx::query_scalar(&format!(
            "select count(*) from ((select * from {kept} except select * from {fresh})
                                   union all
                                   (select * from {fresh} except select * from {kept})) d"
        ))
        .fetch_one(&mut *tx)
        .await
        .expect("compare");
        assert_eq!(differ, 0, "{kept} differs from {fresh} recomputed");
    }
    let minutes: i64 = sqlx::query_scalar(
        "select (creating_minutes + revising_minutes + communicating_minutes + admin_minutes)::int8
           from desk_deals where stage <> 'lost'",
    )
    .fetch_one(&mut *tx)
    .await
    .expect("minutes");
    assert!(
        minutes == 120 || minutes == 180,
        "one of the two entries is left"
    );
    tx.rollback().await.expect("rollback");
}
