//! The whole path: link → click → order → report, for a collaboration, its
//! campaign, its brand and the agency, as pages and CSV, each seen only by
//! whom it belongs to.

use reqwest::StatusCode;
use serde_json::json;

use crate::{
    collaborations::{collaboration, deliver_and_publish},
    conversions::{click, post, token},
    fixtures::agency,
    helpers::fresh_db,
};

#[tokio::test]
async fn a_brand_sees_what_each_creator_and_tier_brought_for_what_it_cost() {
    let c = collaboration(fresh_db().await).await;
    let empty = c.brand.get("/results").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(
        empty.body.contains("Spend"),
        "accepted: the collaboration is there, with its spend"
    );

    // A shopper follows the creator's link and buys; the shop reports it.
    let click = click(&c).await;
    let token = token(&c.brand, "Shop").await;
    let now = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .expect("now");
    let (status, _) = post(
        &c.brand,
        &token,
        &json!({"order_id": "A-1", "amount": "120.00", "currency": "USD", "occurred_at": now, "click_id": click}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    // The post goes live and its figures are recorded.
    let post_path = &c.deliverables[0];
    deliver_and_publish(&c, post_path).await;
    c.creator
        .post_form(
            &format!("{post_path}/figures"),
            &[
                (
                    "recorded_on",
                    &time::OffsetDateTime::now_utc().date().to_string(),
                ),
                ("impressions", "10000"),
                ("likes", "400"),
                ("comments", "100"),
            ],
        )
        .await
        .assert_redirect(&format!("{post_path}#figures"));

    let page = c.brand.get("/results").await;
    assert_eq!(page.status, StatusCode::OK);
    // Accepted at $2,300 plus the agency's 10%: $2,530 held or released.
    assert!(page.body.contains("$2,530.00"), "{}", page.body);
    assert!(page.body.contains("$120.00"));
    assert!(page.body.contains("$2,530.00 spend ÷ 1 conversions"));
    assert!(
        page.body
            .contains("$2,530.00 spend ÷ 10,000 impressions × 1,000")
    );
    assert!(page.body.contains("<svg class=\"tier-chart\""));
    assert!(page.body.contains("Results by tier, in USD"));
    assert!(page.body.contains("Autumn trail series"));

    let campaign_page = c.brand.get(&c.campaign).await;
    assert!(
        campaign_page
            .body
            .contains(&format!("href=\"{}/results\"", c.campaign))
    );
    let campaign = c.brand.get(&format!("{}/results", c.campaign)).await;
    assert_eq!(campaign.status, StatusCode::OK);
    assert!(campaign.body.contains("Aisha") && campaign.body.contains("$2,530.00"));
    let collaboration_page = c.brand.get(&c.application).await;
    assert!(collaboration_page.body.contains("What it brought"));
    assert!(
        collaboration_page
            .body
            .contains("$2,530.00 spend ÷ 1 conversions")
    );

    for (path, expect) in [
        (
            "/results/collaborations.csv",
            "Autumn trail series,Aisha,micro,false,USD,2530.00,10000,500,1,1,1,120.00",
        ),
        ("/results/tiers.csv?currency=USD", "micro,1,USD,2530.00"),
    ] {
        let csv = c.brand.get(path).await;
        assert_eq!(csv.status, StatusCode::OK, "{path}");
        assert!(
            csv.headers["content-type"]
                .to_str()
                .is_ok_and(|t| t.starts_with("text/csv"))
        );
        assert!(csv.body.contains(expect), "{path}: {}", csv.body);
    }
    let csv = c.brand.get(&format!("{}/results.csv", c.campaign)).await;
    assert!(csv.body.contains("Aisha"));

    // The agency sees the same across brands, from its snapshot: taken before
    // this collaboration, until an admin brings it up to date.
    let admin = agency(&c.brand).await;
    let stale = admin.get("/admin/results").await;
    assert!(stale.body.contains("Figures as of"), "{}", stale.body);
    assert!(
        stale.body.contains("No collaborations yet"),
        "{}",
        stale.body
    );
    admin
        .post_form("/admin/results/refresh", &[])
        .await
        .assert_redirect("/admin/results");
    let agency_page = admin.get("/admin/results").await;
    assert_eq!(agency_page.status, StatusCode::OK);
    assert!(agency_page.body.contains("The figures are up to date."));
    // A currency without results shows the one with them.
    let euros = admin.get("/admin/results?currency=EUR").await;
    assert!(
        euros.body.contains("By creator tier, in USD"),
        "{}",
        euros.body
    );
    assert!(
        agency_page.body.contains("Northwind Outdoor") && agency_page.body.contains("$2,530.00")
    );
    assert!(
        admin
            .get("/admin/results/brands.csv")
            .await
            .body
            .contains("Northwind Outdoor,1,USD,2530.00")
    );
    assert!(
        admin
            .get("/admin/results/tiers.csv")
            .await
            .body
            .contains("micro,1,USD")
    );
}

#[tokio::test]
async fn reports_are_seen_only_by_their_brand_and_the_agency() {
    let c = collaboration(fresh_db().await).await;
    assert_eq!(
        c.creator.get("/results").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        c.creator.get("/admin/results").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        c.brand.get("/admin/results").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        c.brand
            .post_form("/admin/results/refresh", &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let rival = c.brand.another_browser();
    rival
        .signup_brand("ops@rival.example", "Rita", "Rival Gear")
        .await;
    assert_eq!(
        rival.get(&format!("{}/results", c.campaign)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        rival
            .get(&format!("{}/results.csv", c.campaign))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let theirs = rival.get("/results").await;
    assert!(theirs.body.contains("No results yet"));
    assert!(!theirs.body.contains("Autumn trail series"));
    let csv = rival.get("/results/collaborations.csv").await;
    assert!(!csv.body.contains("Aisha"));
}

/// Every instance takes a snapshot only when it is old enough, by the
/// database's clock: a new instance does not take it again at start.
#[tokio::test]
async fn snapshots_are_taken_again_only_when_they_are_due() {
    use liaison::db::snapshot::{self, Snapshot};
    let db = fresh_db().await;
    for (which, age) in [
        (Snapshot::AgencyResults, "11 minutes"),
        (Snapshot::AgencyQueue, "61 seconds"),
        (Snapshot::TrackRecords, "11 minutes"),
    ] {
        assert!(snapshot::refresh(&db, which).await.expect("refresh"));
        let wait = snapshot::due_in(&db, which).await.expect("due");
        assert!(
            wait > which.every() - std::time::Duration::from_secs(30),
            "{which:?}: {wait:?}"
        );
        sqlx::query(&format!(
            "update report_snapshots set refreshed_at = now() - interval '{age}'"
        ))
        .execute(&db)
        .await
        .expect("age the snapshot");
        assert!(
            snapshot::due_in(&db, which).await.expect("due").is_zero(),
            "{which:?}"
        );
    }
}
