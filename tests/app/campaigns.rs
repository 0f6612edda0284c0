use reqwest::StatusCode;
use sqlx::PgPool;
use time::{Duration, OffsetDateTime};

use crate::helpers::{PASSWORD, Page, TestApp, spawn};

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

pub async fn brand(db: PgPool) -> TestApp {
    let app = spawn(db).await;
    app.signup_brand("maya@northwind.example", "Maya", "Northwind Outdoor")
        .await
        .assert_redirect("/dashboard");
    app
}

pub async fn create(app: &TestApp) -> String {
    let res = post(app, "/campaigns", &valid_form()).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    res.location().to_owned()
}

#[sqlx::test]
async fn a_brand_member_saves_a_draft_with_goals_expectations_and_audience(db: PgPool) {
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

#[sqlx::test]
async fn invalid_campaigns_are_refused_next_to_each_field_and_keep_what_was_typed(db: PgPool) {
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

#[sqlx::test]
async fn kpis_need_a_metric_and_a_sensible_target(db: PgPool) {
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

#[sqlx::test]
async fn editing_a_campaign_saves_the_changes(db: PgPool) {
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

#[sqlx::test]
async fn another_brands_campaign_is_not_found(db: PgPool) {
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

#[sqlx::test]
async fn influencers_never_see_drafts_and_cannot_create_campaigns(db: PgPool) {
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

#[sqlx::test]
async fn admins_see_every_brands_campaigns_without_editing_them(db: PgPool) {
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

#[sqlx::test]
async fn a_brand_without_campaigns_is_told_how_to_start(db: PgPool) {
    let app = brand(db).await;

    let page = app.get("/campaigns").await;

    assert!(page.body.contains("No campaigns yet."));
    assert!(page.body.contains(r#"href="/campaigns/new""#));
}
