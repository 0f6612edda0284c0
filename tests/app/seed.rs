use crate::helpers::{fresh_db, spawn};

#[tokio::test]
async fn the_demo_loads_once_with_campaigns_in_every_state() {
    let db = fresh_db().await;
    let first = liaison::seed::demo(&db, &crate::helpers::test_data_key())
        .await
        .expect("demo");
    assert!(first.starts_with("Loaded the demo"), "{first}");
    let again = liaison::seed::demo(&db, &crate::helpers::test_data_key())
        .await
        .expect("demo again");
    assert_eq!(again, "Demo data is already loaded.");

    let statuses: Vec<String> =
        sqlx::query_scalar("select distinct status from campaigns order by status")
            .fetch_all(&db)
            .await
            .expect("statuses");
    assert_eq!(
        statuses,
        ["archived", "closed", "completed", "draft", "open"]
    );
    let without_brief: i64 = sqlx::query_scalar(
        "select count(*) from campaigns c
          where not exists (select 1 from brief_versions v where v.campaign_id = c.id)",
    )
    .fetch_one(&db)
    .await
    .expect("count");
    assert_eq!(without_brief, 0, "every demo campaign has a brief");

    let app = spawn(db).await;
    app.login("maya@northwind.example", liaison::seed::DEMO_PASSWORD)
        .await
        .assert_redirect("/dashboard");
    let list = app.get("/campaigns").await;
    assert!(list.body.contains("Autumn jackets, tested on the trail"));
    let creator = app.another_browser();
    creator
        .login("aisha.patel@creators.example", liaison::seed::DEMO_PASSWORD)
        .await;
    let board = creator.get("/campaigns").await;
    assert!(board.body.contains("Sensitive skin, honest results"));
    assert!(
        !board.body.contains("Repair, don"),
        "drafts stay off the board"
    );

    // Collaborations under way: drafts to review, and a creator's trend.
    let waiting: String = sqlx::query_scalar(
        "select u.email from deliverables d
           join applications a on a.id = d.application_id
           join campaigns c on c.id = a.campaign_id
           join brand_members m on m.brand_id = c.brand_id and m.role = 'owner'
           join users u on u.id = m.user_id
          where d.status = 'submitted' limit 1",
    )
    .fetch_one(&app.db)
    .await
    .expect("a draft waiting for review");
    let owner = app.another_browser();
    owner.login(&waiting, liaison::seed::DEMO_PASSWORD).await;
    let dashboard = owner.get("/dashboard").await.body;
    assert!(dashboard.contains("round 3 by"));
    assert!(dashboard.contains("Review overdue"));
    let reviewed: String = sqlx::query_scalar(
        "select u.email from reviews r
           join submissions s on s.id = r.submission_id
           join deliverables d on d.id = s.deliverable_id
           join applications a on a.id = d.application_id
           join influencer_profiles p on p.id = a.profile_id
           join users u on u.id = p.user_id
          limit 1",
    )
    .fetch_one(&app.db)
    .await
    .expect("a reviewed creator");
    let reviewed_creator = app.another_browser();
    reviewed_creator
        .login(&reviewed, liaison::seed::DEMO_PASSWORD)
        .await;
    let growth = reviewed_creator.get("/feedback").await.body;
    assert!(growth.contains("<svg"), "reviews span two months");
    assert!(growth.contains("The disclosure rule"));
}

#[tokio::test]
async fn the_demo_tells_a_story_a_reviewer_believes() {
    let db = fresh_db().await;
    liaison::seed::demo(&db, &crate::helpers::test_data_key())
        .await
        .expect("demo");
    // Each brand's reviews speak of its own product.
    let off_topic: i64 = sqlx::query_scalar(
        "select count(*) from reviews r
           join submissions s on s.id = r.submission_id
           join deliverables d on d.id = s.deliverable_id
           join applications a on a.id = d.application_id
           join campaigns c on c.id = a.campaign_id
          where c.brand_name <> 'Northwind Outdoor' and r.keep ilike '%jacket%'",
    )
    .fetch_one(&db)
    .await
    .expect("count");
    assert_eq!(off_topic, 0, "no jacket in a skincare review");
    // Nobody did anything before they joined.
    let before_joining: i64 = sqlx::query_scalar(
        "select count(*) from submissions s join users u on u.id = s.submitted_by
          where s.submitted_at < u.created_at",
    )
    .fetch_one(&db)
    .await
    .expect("count");
    assert_eq!(before_joining, 0);
}

#[tokio::test]
async fn the_demo_shows_money_at_every_step_and_its_ledger_adds_up() {
    let db = fresh_db().await;
    liaison::seed::demo(&db, &crate::helpers::test_data_key())
        .await
        .expect("demo");
    let one = |sql: &'static str| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&db)
                .await
                .expect(sql)
        }
    };
    assert!(
        one(
            "select count(*) from ledger_accounts where kind = 'brand_funds' and balance_minor > 0"
        )
        .await
            >= 3
    );
    assert_eq!(
        one("select count(*) from invoices").await,
        one("select count(*) from escrow_holds").await,
        "every funded collaboration is invoiced"
    );
    assert!(one("select count(*) from escrow_shares where settled = 'released'").await >= 2);
    assert_eq!(
        one("select count(*) from payout_batches where status = 'sent'").await,
        1
    );
    assert!(one("select count(*) from payout_statements").await >= 1);
    assert_eq!(
        one("select count(*) from disputes where resolved_at is null").await,
        1
    );
    // One creator with money due has no payout details: the agency sees them
    // held back.
    assert!(
        one(
            "select count(*) from ledger_accounts a where a.kind = 'creator_payable'
              and a.balance_minor > 0
              and not exists (select 1 from payout_details d where d.profile_id = a.profile_id)"
        )
        .await
            >= 1
            || one("select count(distinct h.profile_id) from escrow_holds h
                     join escrow_shares s on s.application_id = h.application_id
                    where s.settled = 'released'")
            .await
                < 2,
        "with two creators paid, one is held back"
    );
    let report = liaison::ledger::verify::verify(&db).await.expect("verify");
    assert!(report.is_sound(), "{report:?}");
}

/// What a reviewer of the demo noticed: every application sent the same day,
/// asking the same fee, from applicants all scored 100, and every open
/// campaign closing on the same date.
#[tokio::test]
async fn the_demo_spreads_dates_fees_and_scores_as_real_work_does() {
    let db = fresh_db().await;
    liaison::seed::demo(&db, &crate::helpers::test_data_key())
        .await
        .expect("demo");
    let one = |sql: &'static str| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&db)
                .await
                .expect(sql)
        }
    };
    assert!(one("select count(distinct date(created_at)) from applications").await >= 8);
    assert!(one("select count(distinct proposed_fee_minor) from applications").await >= 8);
    assert!(
        one("select count(distinct p.score) from applications a
               join influencer_profiles p on p.id = a.profile_id")
        .await
            >= 4
    );
    assert!(
        one(
            "select count(*) from applications a join influencer_profiles p on p.id = a.profile_id
              where p.score < 90"
        )
        .await
            >= 2,
        "some applicants have signals to check"
    );
    assert!(
        one("select count(distinct application_deadline) from campaigns where status = 'open'")
            .await
            >= 3
    );
    assert_eq!(
        one("select count(*) from campaigns where status = 'open'
              and application_deadline <= current_date + 7")
        .await,
        1,
        "one open campaign closes this week"
    );
    for (what, sql) in [
        (
            "an application before its campaign was published",
            "select count(*) from applications a join campaigns c on c.id = a.campaign_id
              where a.created_at < c.published_at",
        ),
        (
            "a decision before its application",
            "select count(*) from applications where decided_at < created_at",
        ),
        (
            "a brief version before its campaign",
            "select count(*) from brief_versions v join campaigns c on c.id = v.campaign_id
              where v.created_at < c.created_at",
        ),
        (
            "a draft before its collaboration was accepted",
            "select count(*) from submissions s join deliverables d on d.id = s.deliverable_id
               join applications a on a.id = d.application_id
              where s.submitted_at < a.decided_at",
        ),
        (
            "a campaign before its brand's account",
            "select count(*) from campaigns c join brands b on b.id = c.brand_id
              where c.created_at < b.created_at",
        ),
    ] {
        assert_eq!(one(sql).await, 0, "{what}");
    }
}

#[tokio::test]
async fn the_scale_seed_moves_the_money_of_every_collaboration_and_its_ledger_adds_up() {
    let db = fresh_db().await;
    liaison::seed::demo(&db, &crate::helpers::test_data_key())
        .await
        .expect("demo");
    liaison::seed::campaigns(&db, 40).await.expect("campaigns");
    liaison::seed::influencers(&db, 200)
        .await
        .expect("influencers");
    liaison::seed::applications(&db, 600)
        .await
        .expect("applications");
    let one = |sql: &'static str| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&db)
                .await
                .expect(sql)
        }
    };
    let accepted = one(
        "select count(*) from applications a where a.status = 'accepted'
            and exists (select 1 from deliverables d where d.application_id = a.id)",
    )
    .await;
    assert!(accepted > 20, "{accepted}");
    assert_eq!(one("select count(*) from escrow_holds").await, accepted);
    assert_eq!(one("select count(*) from invoices").await, accepted);
    assert_eq!(
        one(
            "select count(*) from escrow_shares s join deliverables d on d.id = s.deliverable_id
              where d.status in ('approved', 'published') and s.settled is null"
        )
        .await,
        0,
        "finished work is paid"
    );
    assert_eq!(
        one("select count(distinct sequence) - max(sequence) from invoices").await,
        0,
        "invoice numbers have no gaps"
    );
    // The ledger adds up, and what the pages read from kept tables agrees with
    // the bulk-loaded sources.
    crate::fixtures::assert_ledger_sound(&db).await;
    for (kept, key) in [
        ("applicant_scores", "application_id"),
        ("creator_reviews", "review_id"),
        ("desk_partners", "brand_id"),
        ("campaign_application_counts", "campaign_id"),
        ("awaiting_reviews", "deliverable_id"),
    ] {
        crate::fixtures::assert_kept_agrees(&db, kept, key, "seeded").await;
    }

    // A brand's report finds a collaboration's releases through its escrow
    // shares' settled transfers; the agency's snapshot through the kinds of
    // every transfer on the escrow account: the spend agrees.
    use liaison::reports::{db::Scope, snapshot};
    snapshot::refresh(&db).await.expect("snapshot");
    let brands: Vec<uuid::Uuid> =
        sqlx::query_scalar("select distinct brand_id from agency_results where spend_minor > 0")
            .fetch_all(&db)
            .await
            .expect("brands");
    assert!(brands.len() > 5, "{} brands spent", brands.len());
    for brand in brands {
        let rows = liaison::reports::db::collaborations(&db, Scope::Brand(brand))
            .await
            .expect("report");
        for r in rows {
            let snapshot: i64 = sqlx::query_scalar(
                "select spend_minor from agency_results where application_id = $1",
            )
            .bind(r.application_id)
            .fetch_one(&db)
            .await
            .expect("snapshot row");
            assert_eq!(r.totals.spend_minor, snapshot, "{}", r.application_id);
        }
    }

    // The growth page's reviews, a page at a time from the busiest creator:
    // every review once, newest first, however the pages fall.
    let (busiest, reviewed): (uuid::Uuid, i64) = sqlx::query_as(
        "select p.user_id, count(*) from creator_reviews k
           join influencer_profiles p on p.id = k.profile_id
          group by p.user_id order by count(*) desc limit 1",
    )
    .fetch_one(&db)
    .await
    .expect("a reviewed creator");
    assert!(reviewed > 7, "{reviewed} reviews: more than a page of 7");
    let mut seen = Vec::new();
    let mut before = None;
    loop {
        let page = liaison::feedback::db::reviews(&db, busiest, before, 7)
            .await
            .expect("a page of reviews");
        let Some(last) = page.last() else { break };
        before = Some(last.place);
        seen.extend(page.iter().map(|r| (r.created_at, r.place.id)));
    }
    assert_eq!(seen.len() as i64, reviewed);
    let mut newest_first = seen.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    newest_first.dedup();
    assert_eq!(seen, newest_first, "newest first, none twice");

    // The partners page, a page at a time from the creator with the most:
    // every kept row once, most earned first.
    let (profile, partners): (uuid::Uuid, i64) = sqlx::query_as(
        "select profile_id, count(*) from desk_partners where deals > 0
          group by profile_id order by count(*) desc limit 1",
    )
    .fetch_one(&db)
    .await
    .expect("a creator with partners");
    assert!(partners > 7, "{partners} partners");
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = liaison::business::db::partners(&db, profile, after, 7)
            .await
            .expect("a page of partners");
        let Some(last) = page.last() else { break };
        after = Some(liaison::business::db::PartnerCursor::at(last));
        seen.extend(
            page.iter()
                .map(|p| (p.earned_minor, p.brand_id, p.currency.code())),
        );
    }
    assert_eq!(seen.len() as i64, partners);
    let mut ordered = seen.clone();
    ordered.sort_by(|a, b| b.cmp(a));
    ordered.dedup();
    assert_eq!(seen, ordered, "most earned first, none twice");

    // The pipeline's paid deals (on Liaison and outside it), a page at a
    // time from the creator with the most: every deal once, newest first.
    let (profile, paid): (uuid::Uuid, i64) = sqlx::query_as(
        "select profile_id, count(*)::int8 from (
             select profile_id from desk_deals where stage = 'paid'
             union all
             select profile_id from outside_deals where pipeline_stage = 'paid') d
          group by profile_id order by count(*) desc limit 1",
    )
    .fetch_one(&db)
    .await
    .expect("a creator paid for deals");
    assert!(paid > 7, "{paid} paid deals");
    let paid_stage = liaison::business::domain::Stage::parse("paid").ok();
    let mut seen = Vec::new();
    let mut before = None;
    loop {
        let page = liaison::business::db::deals(&db, profile, paid_stage, before, 7)
            .await
            .expect("a page of deals");
        let Some(last) = page.last() else { break };
        before = Some(last.place);
        seen.extend(page.iter().map(|d| (d.place.value, d.place.id)));
    }
    assert_eq!(seen.len() as i64, paid);
    let mut newest_first = seen.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    newest_first.dedup();
    assert_eq!(seen, newest_first, "newest first, none twice");

    // The time page's rates by brand: the ten with the most hours, from the
    // creator who logged hours with the most brands.
    let profile: uuid::Uuid = sqlx::query_scalar(
        "select profile_id from desk_partners where worked > 0
          group by profile_id order by count(*) desc limit 1",
    )
    .fetch_one(&db)
    .await
    .expect("a creator who logged hours");
    let (by_brand, _) = liaison::business::db::worked(&db, profile)
        .await
        .expect("hours by brand");
    let most: Vec<i64> = sqlx::query_scalar(
        "select worked_minutes from desk_partners where profile_id = $1 and worked > 0
          order by worked_minutes desc limit 10",
    )
    .bind(profile)
    .fetch_all(&db)
    .await
    .expect("the most hours");
    assert!(!most.is_empty(), "the busiest creator logged hours");
    assert_eq!(by_brand.iter().map(|w| w.minutes).collect::<Vec<_>>(), most);
}

/// The agency's tier report in dollars, from a snapshot taken now.
async fn agency_report(db: &sqlx::PgPool) -> liaison::reports::tiers::TierReport {
    use liaison::{domain::Currency, reports::snapshot};
    snapshot::refresh(db).await.expect("snapshot");
    let units = snapshot::units(db, Currency::Usd).await.expect("units");
    liaison::reports::tiers::by_tier(&units, Currency::Usd)
}

#[tokio::test]
async fn the_demo_shows_which_tiers_pay_off_with_results_from_every_tier() {
    let db = fresh_db().await;
    liaison::seed::demo(&db, &crate::helpers::test_data_key())
        .await
        .expect("demo");
    let report = agency_report(&db).await;
    for row in &report.rows {
        assert!(
            row.totals.collaborations > 0,
            "{:?} has collaborations",
            row.tier
        );
        assert!(
            row.cpa.is_some(),
            "{:?} has a cost per conversion",
            row.tier
        );
        assert!(row.totals.impressions > 0 && row.totals.unique_clicks > 0);
    }
    // Price per post rises with reach, and what an order costs with it.
    let cpa = |i: usize| report.rows[i].cpa.expect("cpa").value.minor();
    assert!(cpa(4) > cpa(2) && cpa(3) > cpa(1), "{report:?}");
    assert!(
        !report.finding.starts_with("Not enough"),
        "{}",
        report.finding
    );
    // Orders came by click, by code and by neither, and every count adds up.
    let by = |how: &str| {
        let db = db.clone();
        let how = how.to_owned();
        async move {
            sqlx::query_scalar::<_, i64>(
                "select count(*) from conversions where coalesce(attributed_by, 'none') = $1",
            )
            .bind(how)
            .fetch_one(&db)
            .await
            .expect("count")
        }
    };
    assert!(by("click").await > 50 && by("promo_code").await > 0 && by("none").await > 0);
    let (clicks, rolled): (i64, i64) = sqlx::query_as(
        "select (select count(*) from clicks where not is_bot),
                (select sum(clicks)::int8 from results_daily)",
    )
    .fetch_one(&db)
    .await
    .expect("clicks");
    assert_eq!(clicks, rolled, "the roll-up counts every person's click");
    crate::fixtures::assert_ledger_sound(&db).await;
}

#[tokio::test]
async fn the_scale_results_keep_every_roll_up_equal_to_the_clicks_and_orders() {
    let db = fresh_db().await;
    liaison::seed::demo(&db, &crate::helpers::test_data_key())
        .await
        .expect("demo");
    liaison::seed::campaigns(&db, 30).await.expect("campaigns");
    liaison::seed::influencers(&db, 150)
        .await
        .expect("influencers");
    liaison::seed::applications(&db, 400)
        .await
        .expect("applications");
    let said = liaison::seed::results(&db, 20_000, 2_000)
        .await
        .expect("results");
    assert!(said.starts_with("Seeded "), "{said}");
    let (clicks, rolled, per_link, totals): (i64, i64, i64, i64) = sqlx::query_as(
        "select (select count(*) from clicks where not is_bot),
                (select sum(clicks)::int8 from results_daily),
                (select sum(clicks)::int8 from tracked_links),
                (select sum(clicks)::int8 from collaboration_results)",
    )
    .fetch_one(&db)
    .await
    .expect("clicks");
    assert!(clicks > 15_000, "{clicks}");
    assert_eq!((rolled, per_link, totals), (clicks, clicks, clicks));
    let (visitors, unique, orders, counted): (i64, i64, i64, i64) = sqlx::query_as(
        "select (select count(*) from link_visitors),
                (select sum(unique_clicks)::int8 from results_daily),
                (select count(*) from conversions where application_id is not null and status = 'completed'),
                (select sum(conversions)::int8 from collaboration_results)",
    )
    .fetch_one(&db)
    .await
    .expect("orders");
    assert_eq!(visitors, unique);
    assert_eq!(orders, counted);
    assert!(orders > 1_000, "{orders}");
    // The agency's report reads them without a fault, and by tier.
    let report = agency_report(&db).await;
    assert!(
        report
            .rows
            .iter()
            .map(|r| r.totals.unique_clicks)
            .sum::<i64>()
            > 0
    );
    crate::fixtures::assert_ledger_sound(&db).await;
}

#[tokio::test]
async fn the_demo_creator_has_a_year_of_business_on_her_desk() {
    let db = fresh_db().await;
    liaison::seed::demo(&db, &crate::helpers::test_data_key())
        .await
        .expect("demo");
    let app = spawn(db).await;
    // Twelve paid deals on Liaison, a month apart, each signed by both sides.
    let months: i64 = sqlx::query_scalar(
        "select count(distinct i.month) from desk_income i
           join influencer_profiles p on p.id = i.profile_id
           join users u on u.id = p.user_id
          where u.email = 'aisha.patel@creators.example'",
    )
    .fetch_one(&app.db)
    .await
    .expect("months");
    assert!(months >= 12, "{months} months of income");
    let unsigned = app
        .count(
            "select count(*) from agreements g
              where (select count(*) from agreement_signatures s where s.agreement_id = g.id) < 2",
        )
        .await;
    assert_eq!(unsigned, 0);
    crate::fixtures::assert_ledger_sound(&app.db).await;
    crate::fixtures::assert_kept_agrees(&app.db, "desk_partners", "brand_id", "seeded").await;
    crate::fixtures::assert_kept_agrees(
        &app.db,
        "campaign_application_counts",
        "campaign_id",
        "seeded",
    )
    .await;
    app.login("aisha.patel@creators.example", "liaison-demo-2026")
        .await;
    let desk = app.get("/business").await.body;
    for expected in [
        "Northwind Outdoor",
        "Kite &#38; Key Games",
        "Peak Socks",
        "of your goal of $500.00",
    ] {
        assert!(desk.contains(expected), "{expected} on the desk");
    }
    let income = app.get("/business/income").await.body;
    assert!(income.contains("Trailhead Cafe") || income.contains("Outside Liaison"));
    let time = app.get("/business/time").await.body;
    assert!(time.contains("/h"), "an effective hourly rate");
}
