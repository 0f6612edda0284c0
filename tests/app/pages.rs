use reqwest::StatusCode;

use crate::helpers::{PASSWORD, fresh_db, spawn};

#[tokio::test]
async fn the_navigation_follows_the_role() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    let home = app.get("/").await;
    assert!(home.body.contains(r#"href="/login""#));
    assert!(home.body.contains(r#"href="/signup""#));
    assert!(!home.body.contains(r#"action="/logout""#));

    app.signup_brand("maya@northwind.example", "Maya", "Northwind")
        .await;
    let brand = app.get("/dashboard").await;
    assert!(brand.body.contains(r#"action="/logout""#));
    assert!(brand.body.contains(r#"href="/account""#));
    assert!(!brand.body.contains(r#"href="/admin""#));
    assert!(
        brand
            .body
            .contains(r#"href="/dashboard" aria-current="page""#)
    );

    let admin = app.another_browser();
    admin.create_admin("jordan@liaison.example").await;
    admin.login("jordan@liaison.example", PASSWORD).await;
    assert!(
        admin
            .get("/dashboard")
            .await
            .body
            .contains(r#"href="/admin""#)
    );
}

#[tokio::test]
async fn each_dashboard_says_what_to_do_next() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    app.signup_brand("maya@northwind.example", "Maya", "Northwind")
        .await;
    let brand = app.get("/dashboard").await;
    assert!(brand.body.contains("A campaign starts with a brief"));
    assert!(
        brand.body.contains("You&#39;re the only member so far")
            || brand.body.contains("You're the only member so far")
    );

    let creator = app.another_browser();
    creator
        .signup_influencer("aisha@creators.example", "Aisha")
        .await;
    let body = creator.get("/dashboard").await.body;
    assert!(body.contains("Add your first channel"));
}

#[tokio::test]
async fn the_account_page_shows_who_you_are() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    app.signup_brand("maya@northwind.example", "Maya", "Northwind")
        .await;

    let page = app.get("/account").await;

    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("maya@northwind.example"));
    assert!(page.body.contains("Northwind (owner)"));
    assert!(page.body.contains("Member since"));
}

#[tokio::test]
async fn unknown_addresses_get_a_styled_404() {
    let db = fresh_db().await;
    let app = spawn(db).await;

    let res = app.get("/no/such/page").await;

    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(res.body.contains("Page not found"));
    assert!(res.body.contains("<nav"));
}

#[tokio::test]
async fn a_flash_message_is_shown_once() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    app.signup_influencer("aisha@creators.example", "Aisha")
        .await;

    assert!(
        app.get("/dashboard")
            .await
            .body
            .contains("Welcome to Liaison, Aisha!")
    );
    assert!(
        !app.get("/dashboard")
            .await
            .body
            .contains("Welcome to Liaison")
    );
}

#[tokio::test]
async fn static_files_are_cached_for_a_year_and_revalidate_by_etag() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    let url = liaison::web::assets::url("app.css");
    assert!(
        app.get("/").await.body.contains(&url),
        "pages link the versioned name"
    );

    let res = app.get(&url).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.headers["content-type"], "text/css; charset=utf-8");
    assert_eq!(
        res.headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let etag = res.headers["etag"].to_str().expect("etag").to_owned();

    let plain = app.get("/static/app.css").await;
    assert_eq!(plain.headers["cache-control"], "public, no-cache");
    let revalidated = app
        .client
        .get(app.url("/static/app.css"))
        .header("if-none-match", etag)
        .send()
        .await
        .expect("GET");
    assert_eq!(revalidated.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(
        app.get("/static/nope.css").await.status,
        StatusCode::NOT_FOUND
    );
}

/// What Lighthouse's SEO audits look for, checked on every public page: a
/// 200, a title, a description, a language, no `noindex`, links with words
/// that say where they go, and a robots.txt that lets the page be crawled.
#[tokio::test]
async fn public_pages_describe_themselves_to_search_engines() {
    let db = fresh_db().await;
    liaison::seed::demo(&db, &crate::helpers::test_data_key())
        .await
        .expect("demo");
    let app = spawn(db).await;
    let robots = app.get("/robots.txt").await;
    assert_eq!(robots.status, StatusCode::OK);
    assert!(robots.body.starts_with("User-agent: *\nAllow: /\n"));
    let vague = [
        "click here",
        "click this",
        "go",
        "here",
        "this",
        "start",
        "right here",
        "more",
        "learn more",
        "read more",
    ];
    for path in ["/", "/login", "/signup", "/media-kit/aisha-patel"] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let html = scraper::Html::parse_document(&page.body);
        let one = |css: &str| {
            let selector = scraper::Selector::parse(css).expect("selector");
            html.select(&selector).next().map(|e| e.value().clone())
        };
        let description = one(r#"meta[name="description"]"#)
            .and_then(|m| m.attr("content").map(str::to_owned))
            .unwrap_or_default();
        assert!(description.len() > 50, "{path} has no real description");
        assert!(one("title").is_some(), "{path} has no title");
        assert!(one("html[lang]").is_some(), "{path} has no language");
        assert!(
            one(r#"meta[name="robots"]"#).is_none(),
            "{path} asks not to be indexed"
        );
        let links = scraper::Selector::parse("a[href]").expect("selector");
        for a in html.select(&links) {
            let text = a.text().collect::<String>().trim().to_lowercase();
            assert!(
                !vague.contains(&text.as_str()),
                "{path}: a link says only {text:?}"
            );
        }
        let private = robots
            .body
            .lines()
            .filter_map(|l| l.strip_prefix("Disallow: "))
            .any(|prefix| path.starts_with(prefix));
        assert!(!private, "robots.txt keeps crawlers off {path}");
    }
}

#[tokio::test]
async fn markup_the_html_checker_refused_is_gone() {
    let db = fresh_db().await;
    let app = crate::fixtures::brand(db).await;
    let campaign = crate::fixtures::create(&app).await;
    // An accessible name belongs on an element with a role, not a plain div.
    let page = app.get(&campaign).await;
    assert!(!page.body.contains(r#"<div class="actions" aria-label"#));
    assert!(
        page.body
            .contains(r#"role="group" aria-label="Campaign status""#)
    );
    // An option needs text or a label; the brief editor's empty choices had neither.
    let editor = app.get(&format!("{campaign}/brief/edit")).await;
    assert!(!editor.body.contains(r#"<option value=""></option>"#));
}

#[tokio::test]
async fn dashboards_show_the_campaigns_and_applications_they_have() {
    let db = fresh_db().await;
    let brand = crate::fixtures::brand(db).await;
    let before = brand.get("/dashboard").await;
    assert!(before.body.contains("No campaigns yet."));

    let campaign = crate::fixtures::published(&brand, &[("title", "Rain-proof autumn")]).await;
    let creator = crate::fixtures::fitting_creator(&brand, "aisha@creators.example").await;
    let applied = crate::fixtures::apply(&creator, &campaign, "400").await;
    assert!(
        applied.location().starts_with("/applications/"),
        "{}",
        applied.body
    );

    let dashboard = brand.get("/dashboard").await;
    assert!(
        !dashboard.body.contains("No campaigns yet."),
        "{}",
        dashboard.body
    );
    assert!(dashboard.body.contains("Rain-proof autumn"));
    assert!(
        dashboard
            .body
            .contains("1 application waits for your decision")
    );

    let mine = creator.get("/dashboard").await;
    assert!(mine.body.contains("Your applications"));
    assert!(!mine.body.contains("No applications yet."));
    assert!(
        mine.body.contains("<dt>Submitted</dt><dd>1</dd>"),
        "{}",
        mine.body
    );
}

#[tokio::test]
async fn a_campaign_shows_its_brand_how_it_is_going() {
    let db = fresh_db().await;
    let brand = crate::fixtures::brand(db).await;
    let campaign = crate::fixtures::published(&brand, &[]).await;
    let creator = crate::fixtures::fitting_creator(&brand, "aisha@creators.example").await;
    let application = crate::fixtures::apply(&creator, &campaign, "400")
        .await
        .location()
        .to_owned();

    let page = brand.get(&campaign).await;
    assert!(page.body.contains("Progress"));
    assert!(
        page.body
            .contains("<dt>Waiting for a decision</dt><dd>1</dd>"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("Budget committed <strong>$0.00</strong> of $12,500.00")
    );
    assert!(page.body.contains("Decide on the applications waiting"));
    assert!(page.body.contains("No creator accepted yet"));
    // Creators see the campaign, not how the brand is doing with it.
    assert!(
        !creator
            .get(&campaign)
            .await
            .body
            .contains("Budget committed")
    );

    // Accepted: the fee is committed and the collaboration is listed with
    // its deliverables.
    crate::fixtures::accept(&brand, &application, "400").await;
    let page = brand.get(&campaign).await;
    assert!(
        page.body.contains("<dt>Accepted</dt><dd>1</dd>"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("Budget committed <strong>$400.00</strong> of $12,500.00"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains(&format!("<a href=\"{application}\">Aisha")),
        "{}",
        page.body
    );
    assert!(!page.body.contains("No creator accepted yet"));
}

#[tokio::test]
async fn the_agency_dashboard_leads_to_the_work_waiting() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    let creator = crate::fixtures::creator(&app, "aisha@creators.example", "Aisha").await;
    crate::fixtures::add_channel(
        &creator,
        &[
            ("platform", "instagram"),
            ("handle", "aisha"),
            ("followers", "20000"),
            ("avg_likes", "300"),
        ],
    )
    .await;
    app.create_admin("ops@agency.example").await;
    app.login("ops@agency.example", PASSWORD).await;
    // The console's figures are counted every minute: count them now.
    app.post_form("/admin/queues/refresh", &[("back", "/admin")])
        .await
        .assert_redirect("/admin");

    let body = app.get("/dashboard").await.body;
    assert!(body.contains("Work waiting for the agency"));
    assert!(
        body.contains(r#"<a href="/admin#verify-heading">1 channel with figures to verify</a>"#),
        "{body}"
    );
    assert!(body.contains("No draft waits past the review its brief promised."));
}

#[tokio::test]
async fn a_brand_dashboard_groups_campaigns_by_what_they_need_next() {
    let db = fresh_db().await;
    liaison::seed::demo(&db, &crate::helpers::test_data_key())
        .await
        .expect("demo");
    let app = spawn(db).await;
    app.login("ana@lumen.example", liaison::seed::DEMO_PASSWORD)
        .await
        .assert_redirect("/dashboard");
    let open = app.get("/dashboard").await.body;
    assert!(open.contains("Rate 1 finished collaboration"), "{open}");

    // Once the campaign is completed, it moves to the finished ones still to rate.
    sqlx::query(
        "update campaigns set status = 'completed' where title = 'Sensitive skin, honest results'",
    )
    .execute(&app.db)
    .await
    .expect("complete");
    let finished = app.get("/dashboard").await.body;
    let group = finished
        .find("Finished, with creators to rate")
        .expect("the group");
    let line = finished
        .find("Sensitive skin, honest results")
        .expect("campaign");
    assert!(line > group, "{finished}");
    assert!(
        finished.contains(r#"/applications?status=accepted">Rate 1 finished collaboration</a>"#)
    );
}
