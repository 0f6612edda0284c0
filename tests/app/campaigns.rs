use reqwest::StatusCode;

use crate::{
    fixtures::{brand, create, day, post, valid_form, with},
    helpers::{PASSWORD, fresh_db},
};

#[tokio::test]
async fn a_brand_member_saves_a_draft_with_goals_expectations_and_audience() {
    let db = fresh_db().await;
    let app = brand(db).await;

    let path = create(&app).await;

    let page = app.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("<title>Trail-tested autumn jackets · Liaison</title>")
    );
    for text in [
        "Trail-tested autumn jackets",
        "Sell out the autumn range before the first snow.",
        "Conversion: get bought",
        "Conversions: <strong>500</strong>",
        "Cost per acquisition: <strong>$20.00</strong>",
        "$12,500.00",
        "Flat fee",
        "Micro, Mid-tier",
        "Instagram, YouTube",
        "hiking, camping",
        "US, CA",
        "Draft",
        "only your team can see it",
    ] {
        assert!(page.body.contains(text), "missing {text:?}");
    }
    let goals = page.body.find("Goals").expect("goals");
    let expectations = page.body.find("Expectations").expect("expectations");
    let audience = page.body.find("Who it").expect("audience");
    assert!(
        goals < expectations && expectations < audience,
        "goals, then expectations, then parameters"
    );
    let stored: (i64, String) = sqlx::query_as("select budget_minor, currency from campaigns")
        .fetch_one(&app.db)
        .await
        .expect("row");
    assert_eq!(
        stored,
        (1_250_000, "USD".to_owned()),
        "money in minor units"
    );
    assert_eq!(app.count("select count(*) from campaign_kpis").await, 2);
    assert!(
        app.get("/campaigns")
            .await
            .body
            .contains("Trail-tested autumn jackets")
    );
}

#[tokio::test]
async fn invalid_campaigns_are_refused_next_to_each_field_and_keep_what_was_typed() {
    let db = fresh_db().await;
    let app = brand(db).await;
    let mut form = with(&valid_form(), "budget", "0");
    form = with(&form, "ends_on", &day(12));
    form = with(&form, "application_deadline", &day(-1));
    form = with(&form, "compensation", "affiliate");
    form.retain(|(k, _)| *k != "eligible_tiers" && *k != "platforms");

    let res = post(&app, "/campaigns", &form).await;

    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in [
        "budget",
        "ends_on",
        "application_deadline",
        "commission_percent",
        "eligible_tiers",
        "platforms",
    ] {
        assert!(
            res.body.contains(&format!(r#"id="{field}-error""#)),
            "no message for {field}"
        );
    }
    assert!(res.body.contains("The application deadline has passed"));
    assert!(res.body.contains("must end on or after its start date"));
    assert!(
        res.body.contains(r#"value="Trail-tested autumn jackets""#),
        "typed title kept"
    );
    assert!(
        res.body
            .contains(r#"value="cost_per_acquisition" selected"#),
        "KPI rows kept"
    );
    assert_eq!(
        app.count("select count(*) from campaigns").await,
        0,
        "nothing saved"
    );
}

#[tokio::test]
async fn kpis_need_a_metric_and_a_sensible_target() {
    let db = fresh_db().await;
    let app = brand(db).await;
    let mut form = valid_form();
    form.retain(|(k, _)| *k != "kpi_metric" && *k != "kpi_target");
    let none = post(&app, "/campaigns", &form).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.body.contains("Add at least one KPI"));

    form.push(("kpi_metric", "engagement_rate".into()));
    form.push(("kpi_target", "140".into()));
    let too_high = post(&app, "/campaigns", &form).await;
    assert!(
        too_high
            .body
            .contains("KPI 1 (Engagement rate (%)): Enter a percentage above 0 and at most 100.")
    );
}

#[tokio::test]
async fn editing_a_campaign_saves_the_changes() {
    let db = fresh_db().await;
    let app = brand(db).await;
    let path = create(&app).await;

    let edit = app.get(&format!("{path}/edit")).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(
        edit.body.contains(r#"value="12500.00""#),
        "budget as a decimal"
    );
    assert!(edit.body.contains(r#"value="micro" checked"#));

    let form = with(
        &with(
            &valid_form(),
            "title",
            "Autumn jackets, tested on the trail",
        ),
        "budget",
        "15000.50",
    );
    post(&app, &path, &form).await.assert_redirect(&path);

    let page = app.get(&path).await;
    assert!(page.body.contains("Autumn jackets, tested on the trail"));
    assert!(page.body.contains("$15,000.50"));
    assert_eq!(app.count("select count(*) from campaign_kpis").await, 2);
}

#[tokio::test]
async fn another_brands_campaign_is_not_found() {
    let db = fresh_db().await;
    let app = brand(db).await;
    let path = create(&app).await;
    let rival = app.another_browser();
    rival
        .signup_brand("ana@lumen.example", "Ana", "Lumen Skincare")
        .await;

    assert_eq!(rival.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        rival.get(&format!("{path}/edit")).await.status,
        StatusCode::NOT_FOUND
    );
    let hijack = post(&rival, &path, &with(&valid_form(), "title", "Hijacked")).await;
    assert_eq!(hijack.status, StatusCode::NOT_FOUND);
    assert!(!rival.get("/campaigns").await.body.contains("Trail-tested"));
    assert_eq!(
        app.count("select count(*) from campaigns where title = 'Hijacked'")
            .await,
        0
    );
}

#[tokio::test]
async fn influencers_never_see_drafts_and_cannot_create_campaigns() {
    let db = fresh_db().await;
    let app = brand(db).await;
    let path = create(&app).await;
    let creator = app.another_browser();
    creator
        .signup_influencer("aisha@creators.example", "Aisha")
        .await;

    assert_eq!(creator.get(&path).await.status, StatusCode::NOT_FOUND);
    let board = creator.get("/campaigns").await;
    assert_eq!(board.status, StatusCode::OK);
    assert!(board.body.contains("No campaigns are open right now."));
    assert!(!board.body.contains("Trail-tested"));
    assert_eq!(
        creator.get("/campaigns/new").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(&creator, "/campaigns", &valid_form()).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn admins_see_every_brands_campaigns_without_editing_them() {
    let db = fresh_db().await;
    let app = brand(db).await;
    let path = create(&app).await;
    let admin = app.another_browser();
    admin.create_admin("jordan@liaison.example").await;
    admin.login("jordan@liaison.example", PASSWORD).await;

    let list = admin.get("/campaigns").await;
    assert!(list.body.contains("Trail-tested autumn jackets"));
    assert!(list.body.contains("Northwind Outdoor"));
    let page = admin.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Edit campaign"));
    assert_eq!(
        admin.get(&format!("{path}/edit")).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_brand_without_campaigns_is_told_how_to_start() {
    let db = fresh_db().await;
    let app = brand(db).await;

    let page = app.get("/campaigns").await;

    assert!(page.body.contains("No campaigns yet."));
    assert!(page.body.contains(r#"href="/campaigns/new""#));
}
