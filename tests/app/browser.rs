//! Journeys in real headless Chromium, driven through chromedriver.
//!
//! These never skip: without Chromium and chromedriver they fail and say what to
//! install (scripts/test and .ci/run install or demand them up front).
//!
//! Every page a journey acts on is audited with axe-core (vendored from npm in
//! `tests/vendor/axe-core`, injected here, never served to users), and any
//! accessibility violation fails the journey.

use std::{
    net::TcpListener,
    os::unix::process::CommandExt,
    process::{Child, Command, Stdio},
    time::Duration,
};

use thirtyfour::{ChromiumLikeCapabilities, DesiredCapabilities, WebDriver, prelude::*};

use crate::helpers::{PASSWORD, fresh_db, spawn};

struct Browser {
    driver: Option<WebDriver>,
    chromedriver: Child,
    _profile: TempDir,
}

struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn find_binary(names: &[&str]) -> Option<String> {
    let path = std::env::var("PATH").unwrap_or_default();
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
            .map(|p| p.to_string_lossy().into_owned())
    })
}

impl Browser {
    async fn start() -> Browser {
        let chromedriver_bin = find_binary(&["chromedriver"]).expect(
            "chromedriver not found: install Debian's chromium and chromium-driver packages \
             (browser tests are never skipped)",
        );
        let chromium_bin = find_binary(&["chromium", "chromium-browser", "google-chrome"])
            .expect("chromium not found: apt-get install chromium chromium-driver");
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let chromedriver = Command::new(chromedriver_bin)
            .arg(format!("--port={port}"))
            // Its own process group, so that Drop can end Chromium along with it.
            .process_group(0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let profile =
            std::env::temp_dir().join(format!("liaison-chromium-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&profile).expect("profile dir");

        let mut caps = DesiredCapabilities::chrome();
        caps.set_binary(&chromium_bin).expect("binary");
        for arg in [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=1280,900",
            // Headless Chromium names itself in its user agent, and tracked
            // links rightly count that as automation, not a person.
            "--user-agent=Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
            &format!("--user-data-dir={}", profile.display()),
        ] {
            caps.add_arg(arg).expect("arg");
        }
        let url = format!("http://127.0.0.1:{port}");
        let mut last_error = None;
        for _ in 0..50 {
            match WebDriver::new(&url, caps.clone()).await {
                Ok(driver) => {
                    return Browser {
                        driver: Some(driver),
                        chromedriver,
                        _profile: TempDir(profile),
                    };
                }
                Err(e) => {
                    last_error = Some(e);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
        panic!("could not start a Chromium session: {last_error:?}");
    }

    fn driver(&self) -> &WebDriver {
        self.driver.as_ref().expect("driver")
    }

    async fn quit(mut self) {
        if let Some(driver) = self.driver.take() {
            driver.quit().await.expect("quit");
        }
    }
}

/// Reached without `quit` only when a journey failed. thirtyfour's own fallback
/// would block the test's single-threaded runtime on a request that can then never
/// be answered, so the session is abandoned and the processes killed instead.
impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(driver) = self.driver.take() {
            let _ = driver.leak();
        }
        let group = format!("-{}", self.chromedriver.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.chromedriver.kill();
        let _ = self.chromedriver.wait();
    }
}

/// Waits for the navigation a click started to land on `path`.
async fn wait_for_path(driver: &WebDriver, path: &str) {
    let mut current = String::new();
    for _ in 0..200 {
        current = driver.current_url().await.expect("url").path().to_owned();
        if current == path {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("expected to arrive at {path}, still at {current}");
}

/// axe-core 4.14.1, from the npm package `axe-core` (MPL-2.0).
const AXE: &str = include_str!("../vendor/axe-core/axe.min.js");

/// Runs axe-core on the page the browser shows, once per page load (a new page
/// has a new `window`, so the mark set here is gone), and fails on any violation.
async fn audit(driver: &WebDriver) {
    let audited = driver
        .execute("return window.__liaisonAudited === true;", Vec::new())
        .await
        .map(|r| r.json().as_bool() == Some(true));
    // A page still loading cannot be audited yet; the next look will do it.
    if !matches!(audited, Ok(false)) {
        return;
    }
    let ready = driver
        .execute("return document.readyState;", Vec::new())
        .await
        .map(|r| r.json().as_str() == Some("complete"));
    if !matches!(ready, Ok(true)) {
        return;
    }
    driver
        .execute(AXE, Vec::new())
        .await
        .expect("inject axe-core");
    let result = driver
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
            window.__liaisonAudited = true;
            axe.run(document, { resultTypes: ["violations"] })
              .then((r) => done(r.violations.map((v) =>
                `${v.id} (${v.impact}): ${v.help}; at ${v.nodes.slice(0, 5).map((n) => n.target.join(" ")).join(", ")}`)))
              .catch((e) => done([`axe-core failed: ${e}`]));"#,
            Vec::new(),
        )
        .await
        .expect("run axe-core");
    let violations: Vec<String> =
        serde_json::from_value(result.json().clone()).expect("violations");
    if !violations.is_empty() {
        let url = driver
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        panic!(
            "axe-core found {} accessibility violation(s) on {url}:\n{}",
            violations.len(),
            violations.join("\n")
        );
    }
}

/// The first element matching `by`, waiting for it to appear (pages load after
/// clicks). The page is audited first, the first time it is looked at.
async fn el(driver: &WebDriver, by: By) -> WebElement {
    audit(driver).await;
    match driver.query(by.clone()).first().await {
        Ok(element) => element,
        Err(e) => {
            let url = driver
                .current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default();
            let page = driver.source().await.unwrap_or_default();
            panic!("{by:?} is not on {url}: {e}\n{page}");
        }
    }
}

async fn fill(driver: &WebDriver, id: &str, text: &str) {
    let field = el(driver, By::Id(id)).await;
    field.clear().await.expect("clear");
    field.send_keys(text).await.expect("type");
}

/// Presses the button labelled `label`.
async fn press(driver: &WebDriver, label: &str) {
    click(
        driver,
        By::XPath(format!("//button[normalize-space()='{label}']")),
    )
    .await;
}

/// Clicks the first element matching `by`, finding it again when the page it was
/// found on was replaced in the meantime (a form posted a moment earlier).
async fn click(driver: &WebDriver, by: By) {
    for _ in 0..50 {
        match el(driver, by.clone()).await.click().await {
            Ok(()) => return,
            Err(e) if is_stale(&e) => tokio::time::sleep(Duration::from_millis(50)).await,
            Err(e) => panic!("click {by:?}: {e}"),
        }
    }
    panic!("{by:?} kept going stale");
}

/// An element from a page that has since been replaced. Chromium reports it
/// as a stale reference, or, when the page changes mid-command, as a node that
/// "does not belong to the document".
fn is_stale(e: &thirtyfour::error::WebDriverError) -> bool {
    matches!(
        **e,
        thirtyfour::error::WebDriverErrorInner::StaleElementReference(..)
    ) || e.to_string().contains("does not belong to the document")
}

/// The text of the first element matching `by`. A click that reloads the page
/// can leave the element found a moment earlier detached: find it again then.
async fn text(driver: &WebDriver, by: By) -> String {
    for _ in 0..50 {
        match el(driver, by.clone()).await.text().await {
            Ok(text) => return text,
            Err(e) if is_stale(&e) => tokio::time::sleep(Duration::from_millis(50)).await,
            Err(e) => panic!("text of {by:?}: {e}"),
        }
    }
    panic!("{by:?} kept going stale");
}

/// Waits until the element's text contains `needle` (the page a form posted to
/// has loaded), and returns it.
async fn text_containing(driver: &WebDriver, by: By, needle: &str) -> String {
    let mut last = String::new();
    for _ in 0..100 {
        last = text(driver, by.clone()).await;
        if last.contains(needle) {
            return last;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{by:?} never contained {needle:?}; last: {last}");
}

/// Signs the partnership agreement the page shows, for the signed-in side.
async fn sign_agreement(driver: &WebDriver) {
    click(driver, By::Id("agree")).await;
    press(driver, "Sign the agreement").await;
    text_containing(driver, By::Css(".flash"), "Signed.").await;
}

/// The creator opens their agreement from the deliverable that waits for it,
/// and signs it: the agreement is in force.
async fn creator_signs_from_the_deliverable(driver: &WebDriver) {
    click(
        driver,
        By::XPath("//section[@aria-labelledby='due-heading']//a[normalize-space()='Rain test']"),
    )
    .await;
    click(driver, By::LinkText("Read and sign the agreement")).await;
    sign_agreement(driver).await;
    text_containing(driver, By::Css(".flash"), "The agreement is in force").await;
}

/// A journey that takes longer than this has hung: fail it with what the browser shows.
const JOURNEY_DEADLINE: Duration = Duration::from_secs(120);

async fn within_deadline(browser: &Browser, journey: impl std::future::Future<Output = ()>) {
    let audited_to_the_end = async {
        journey.await;
        audit(browser.driver()).await;
    };
    if tokio::time::timeout(JOURNEY_DEADLINE, audited_to_the_end)
        .await
        .is_err()
    {
        let d = browser.driver();
        let url = d
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        let source = d.source().await.unwrap_or_default();
        panic!("the journey did not finish within {JOURNEY_DEADLINE:?}; at {url}:\n{source}");
    }
}

#[tokio::test]
async fn a_brand_signs_up_sees_its_dashboard_and_logs_out() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    let browser = Browser::start().await;
    within_deadline(&browser, brand_journey(&app, browser.driver())).await;
    browser.quit().await;
}

async fn brand_journey(app: &crate::helpers::TestApp, d: &WebDriver) {
    d.goto(app.url("/")).await.expect("home");
    click(d, By::LinkText("I'm a brand")).await;
    wait_for_path(d, "/signup").await;
    assert_eq!(text(d, By::Tag("h1")).await, "Create your account");
    let brand = el(d, By::Css("input[name=account_type][value=brand]")).await;
    assert!(
        brand.is_selected().await.expect("selected"),
        "preselected from ?as=brand"
    );

    // A mistake first: the form comes back with the message and what was typed.
    fill(d, "display_name", "Maya Lindqvist").await;
    fill(d, "brand_name", "Northwind Outdoor").await;
    fill(d, "email", "maya@northwind.example").await;
    fill(d, "password", "short").await;
    click(d, By::Css("form.form button[type=submit]")).await;
    let error = text(d, By::Id("password-error")).await;
    assert!(error.contains("at least 10 characters"), "{error}");
    let kept = el(d, By::Id("brand_name"))
        .await
        .value()
        .await
        .expect("value");
    assert_eq!(kept.as_deref(), Some("Northwind Outdoor"));

    fill(d, "password", PASSWORD).await;
    click(d, By::Css("form.form button[type=submit]")).await;

    wait_for_path(d, "/dashboard").await;
    assert_eq!(text(d, By::Tag("h1")).await, "Welcome, Maya Lindqvist");
    let flash = text(d, By::Css(".flash")).await;
    assert!(flash.contains("Welcome to Liaison"), "{flash}");
    assert!(
        d.source()
            .await
            .expect("source")
            .contains("Northwind Outdoor")
    );

    press(d, "Log out").await;
    wait_for_path(d, "/").await;
    let flash = text(d, By::Css(".flash")).await;
    assert!(flash.contains("You have been logged out."), "{flash}");
    d.goto(app.url("/dashboard")).await.expect("dashboard");
    wait_for_path(d, "/login").await;
}

#[tokio::test]
async fn a_creator_logs_in_with_the_keyboard_and_changes_the_password() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    app.signup_influencer("aisha@creators.example", "Aisha Khan")
        .await;
    let browser = Browser::start().await;
    within_deadline(&browser, creator_journey(&app, browser.driver())).await;
    browser.quit().await;
}

async fn creator_journey(app: &crate::helpers::TestApp, d: &WebDriver) {
    d.goto(app.url("/account")).await.expect("account");
    wait_for_path(d, "/login").await;
    fill(d, "email", "aisha@creators.example").await;
    fill(d, "password", PASSWORD).await;
    el(d, By::Id("password"))
        .await
        .send_keys(Key::Enter)
        .await
        .expect("enter");

    wait_for_path(d, "/account").await;
    fill(d, "current_password", PASSWORD).await;
    fill(d, "new_password", "an even longer passphrase").await;
    press(d, "Change password").await;
    let flash = text(d, By::Css(".flash")).await;
    assert!(flash.contains("Your password has been changed"), "{flash}");
}

/// Picks an option of a `<select>` by its value.
async fn choose(driver: &WebDriver, by: By, value: &str) {
    let select = thirtyfour::components::SelectElement::new(&el(driver, by).await)
        .await
        .expect("select");
    select.select_by_value(value).await.expect("option");
}

/// Date inputs take typed dates in the browser's locale; set the ISO value instead.
async fn set_value(driver: &WebDriver, by: By, value: &str) {
    let field = el(driver, by).await;
    driver
        .execute(
            "arguments[0].value = arguments[1];",
            vec![field.to_json().expect("element"), serde_json::json!(value)],
        )
        .await
        .expect("set value");
}

fn in_days(n: i64) -> String {
    (time::OffsetDateTime::now_utc().date() + time::Duration::days(n)).to_string()
}

#[tokio::test]
async fn a_brand_publishes_a_briefed_campaign_and_a_creator_finds_it_on_the_board() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    app.signup_brand("maya@northwind.example", "Maya", "Northwind Outdoor")
        .await;
    let browser = Browser::start().await;
    within_deadline(&browser, campaign_journey(&app, browser.driver())).await;
    browser.quit().await;
}

async fn campaign_journey(app: &crate::helpers::TestApp, d: &WebDriver) {
    d.goto(app.url("/login")).await.expect("login");
    fill(d, "email", "maya@northwind.example").await;
    fill(d, "password", PASSWORD).await;
    click(d, By::Css("form.form button[type=submit]")).await;
    wait_for_path(d, "/dashboard").await;

    click(d, By::LinkText("Create a campaign")).await;
    wait_for_path(d, "/campaigns/new").await;
    fill(d, "title", "Autumn jackets on the trail").await;
    fill(
        d,
        "business_goal",
        "Sell out the autumn range before the first snow.",
    )
    .await;
    choose(d, By::Id("objective"), "conversion").await;
    choose(d, By::Id("kpi_metric_1"), "conversions").await;
    fill(d, "kpi_target_1", "500").await;
    fill(d, "budget", "12,500").await;
    choose(d, By::Id("compensation"), "flat_fee").await;
    fill(d, "creators_wanted", "6").await;
    set_value(d, By::Id("application_deadline"), &in_days(10)).await;
    set_value(d, By::Id("starts_on"), &in_days(14)).await;
    set_value(d, By::Id("ends_on"), &in_days(44)).await;
    click(d, By::Css("input[name=eligible_tiers][value=micro]")).await;
    click(d, By::Css("input[name=platforms][value=instagram]")).await;
    fill(d, "niches", "Hiking").await;
    press(d, "Save draft").await;

    let flash = text(d, By::Css(".flash")).await;
    assert!(flash.contains("Draft saved"), "{flash}");
    assert_eq!(text(d, By::Tag("h1")).await, "Autumn jackets on the trail");
    click(d, By::LinkText("Write the brief")).await;
    fill(d, "key_message", "Dry for a decade, repaired for life.").await;
    choose(d, By::Id("dp1"), "instagram").await;
    choose(d, By::Id("df1"), "post").await;
    fill(d, "dq1", "2").await;
    set_value(d, By::Id("dd1"), &in_days(20)).await;
    fill(d, "dos", "Show real weather").await;
    press(d, "Save version 1").await;
    let flash = text(d, By::Css(".flash")).await;
    assert!(flash.contains("Brief saved as version 1."), "{flash}");

    // Back to the campaign through the page's breadcrumb.
    click(d, By::Css(".eyebrow a")).await;
    press(d, "Publish").await;
    let flash = text(d, By::Css(".flash")).await;
    assert!(flash.contains("Published"), "{flash}");
    press(d, "Log out").await;
    wait_for_path(d, "/").await;

    click(d, By::LinkText("I'm a creator")).await;
    fill(d, "display_name", "Aisha Khan").await;
    fill(d, "email", "aisha@creators.example").await;
    fill(d, "password", PASSWORD).await;
    click(d, By::Css("form.form button[type=submit]")).await;
    wait_for_path(d, "/dashboard").await;
    click(d, By::LinkText("Campaigns")).await;
    wait_for_path(d, "/campaigns").await;
    fill(d, "niche", "hiking").await;
    press(d, "Show campaigns").await;
    click(d, By::LinkText("Autumn jackets on the trail")).await;
    let page = d.source().await.expect("source");
    let goals = page.find("Goals").expect("goals");
    let expectations = page.find("Expectations").expect("expectations");
    assert!(goals < expectations);
    assert!(page.contains("$12,500.00"));
    click(d, By::LinkText("Read the brief")).await;
    assert!(text(d, By::Tag("h1")).await.contains("version 1"));
    assert!(
        d.source()
            .await
            .expect("source")
            .contains("Dry for a decade")
    );
}

#[tokio::test]
async fn a_creator_builds_a_profile_and_a_brand_finds_and_invites_them() {
    let db = fresh_db().await;
    let app = crate::fixtures::brand(db).await;
    crate::fixtures::published(&app, &[("title", "Autumn trail series")]).await;
    let browser = Browser::start().await;
    within_deadline(&browser, discovery_journey(&app, browser.driver())).await;
    browser.quit().await;
}

async fn discovery_journey(app: &crate::helpers::TestApp, d: &WebDriver) {
    d.goto(app.url("/signup?as=influencer"))
        .await
        .expect("signup");
    click(d, By::Css("input[name=account_type][value=influencer]")).await;
    fill(d, "display_name", "Aisha Khan").await;
    fill(d, "email", "aisha@creators.example").await;
    fill(d, "password", PASSWORD).await;
    click(d, By::Css("form.form button[type=submit]")).await;
    wait_for_path(d, "/dashboard").await;

    click(d, By::LinkText("Profile")).await;
    wait_for_path(d, "/profile").await;
    fill(d, "headline", "Trail running and honest gear tests").await;
    fill(d, "niches", "Trail running, outdoor gear").await;
    fill(d, "country", "PT").await;
    press(d, "Save profile").await;
    let flash = text(d, By::Css(".flash")).await;
    assert!(flash.contains("Profile saved."), "{flash}");

    for (platform, handle, followers, likes) in [
        ("instagram", "trailtales", "24,500", "400"),
        ("tiktok", "trailtales.run", "8.2k", "600"),
    ] {
        choose(d, By::Id("platform"), platform).await;
        fill(d, "handle", handle).await;
        fill(d, "followers", followers).await;
        fill(d, "avg_views", "9000").await;
        fill(d, "avg_likes", likes).await;
        fill(d, "avg_comments", "30").await;
        press(d, "Add channel").await;
        text_containing(
            d,
            By::Css(".flash"),
            &format!("@{handle} added with its first figures"),
        )
        .await;
    }
    let channels = text(d, By::Id("channels")).await;
    assert!(channels.contains("@trailtales"), "{channels}");
    assert!(channels.contains("24,500"), "{channels}");
    assert!(channels.contains("Micro"), "{channels}");
    press(d, "Log out").await;
    wait_for_path(d, "/").await;

    d.goto(app.url("/login")).await.expect("login");
    fill(d, "email", "maya@northwind.example").await;
    fill(d, "password", PASSWORD).await;
    click(d, By::Css("form.form button[type=submit]")).await;
    wait_for_path(d, "/dashboard").await;
    click(d, By::LinkText("Creators")).await;
    wait_for_path(d, "/influencers").await;
    fill(d, "niche", "trail running").await;
    choose(d, By::Id("tier"), "micro").await;
    press(d, "Search").await;
    let results = text(d, By::Css(".results")).await;
    assert!(results.contains("Aisha Khan"), "{results}");
    assert!(results.contains("Micro"), "{results}");
    assert!(results.contains("24,500 followers"), "{results}");

    click(d, By::XPath("//summary[contains(., 'Invite Aisha Khan')]")).await;
    press(d, "Autumn trail series").await;
    let flash = text(d, By::Css(".flash")).await;
    assert!(
        flash.contains("Aisha Khan is invited to apply to “Autumn trail series”"),
        "{flash}"
    );
    assert!(
        d.current_url()
            .await
            .expect("url")
            .as_str()
            .contains("niche=trail+running")
    );
}

#[tokio::test]
async fn a_creator_applies_and_the_brand_accepts() {
    let db = fresh_db().await;
    let app = crate::fixtures::brand(db).await;
    crate::fixtures::published(&app, &[("title", "Autumn trail series")]).await;
    crate::fixtures::fitting_creator(&app, "aisha@creators.example").await;
    let browser = Browser::start().await;
    within_deadline(&browser, application_journey(&app, browser.driver())).await;
    browser.quit().await;
}

async fn application_journey(app: &crate::helpers::TestApp, d: &WebDriver) {
    d.goto(app.url("/login")).await.expect("login");
    fill(d, "email", "aisha@creators.example").await;
    fill(d, "password", PASSWORD).await;
    click(d, By::Css("form.form button[type=submit]")).await;
    wait_for_path(d, "/dashboard").await;
    click(d, By::LinkText("Campaigns")).await;
    wait_for_path(d, "/campaigns").await;
    click(d, By::Css("input[name=fit]")).await;
    press(d, "Show campaigns").await;
    assert!(
        text(d, By::Css(".cards"))
            .await
            .contains("Fits your tier and platforms")
    );
    click(d, By::LinkText("Autumn trail series")).await;
    click(d, By::LinkText("Apply")).await;
    let fee = el(d, By::Id("proposed_fee"))
        .await
        .value()
        .await
        .expect("value");
    assert_eq!(
        fee.as_deref(),
        Some("2300.00"),
        "suggested from the rate card"
    );
    fill(d, "pitch", "I test gear on these trails every weekend.").await;
    click(d, By::Css("input[name=brief_version]")).await;
    press(d, "Send application").await;
    let flash = text(d, By::Css(".flash")).await;
    assert!(
        flash.contains("Application sent to Northwind Outdoor"),
        "{flash}"
    );
    press(d, "Log out").await;
    wait_for_path(d, "/").await;

    d.goto(app.url("/login")).await.expect("login");
    fill(d, "email", "maya@northwind.example").await;
    fill(d, "password", PASSWORD).await;
    click(d, By::Css("form.form button[type=submit]")).await;
    wait_for_path(d, "/dashboard").await;
    click(d, By::LinkText("Campaigns")).await;
    click(d, By::LinkText("Autumn trail series")).await;
    click(d, By::LinkText("Applications")).await;
    assert!(
        text(d, By::Css(".page-header"))
            .await
            .contains("still free")
    );
    click(d, By::LinkText("Aisha")).await;
    fill(d, "agreed_fee", "2,200").await;
    press(d, "Accept").await;
    let flash = text(d, By::Css(".flash")).await;
    assert!(
        flash.contains("Application accepted and the fee held"),
        "{flash}"
    );
    // The agreement drawn up from the brief, for the brand to sign first.
    let agreement = text(d, By::Css("article")).await;
    assert!(agreement.contains("The fee is $2,200.00"), "{agreement}");
    assert!(
        agreement.contains("Waiting for both signatures"),
        "{agreement}"
    );
    sign_agreement(d).await;
    text_containing(d, By::Css(".flash"), "Work starts when Aisha signs too").await;
}

/// A campaign whose brief asks for one deliverable (two Instagram posts).
async fn one_deliverable_campaign(app: &crate::helpers::TestApp) -> String {
    let res = crate::fixtures::post(
        app,
        "/campaigns",
        &crate::fixtures::with(&crate::fixtures::valid_form(), "title", "Rain test"),
    )
    .await;
    let path = res.location().to_owned();
    let mut brief = crate::fixtures::brief_form("");
    // Blank the YouTube row: the posts are the whole job.
    for field in brief.iter_mut().skip(7).take(5) {
        field.1 = String::new();
    }
    crate::fixtures::post(app, &format!("{path}/brief"), &brief)
        .await
        .assert_redirect(&format!("{path}/brief"));
    app.post_form(&format!("{path}/publish"), &[])
        .await
        .assert_redirect(&path);
    path
}

async fn sign_in_as(d: &WebDriver, app: &crate::helpers::TestApp, email: &str) {
    if d.find(By::XPath("//button[normalize-space()='Log out']"))
        .await
        .is_ok()
    {
        press(d, "Log out").await;
        wait_for_path(d, "/").await;
    }
    d.goto(app.url("/login")).await.expect("login");
    fill(d, "email", email).await;
    fill(d, "password", PASSWORD).await;
    click(d, By::Css("form.form button[type=submit]")).await;
    wait_for_path(d, "/dashboard").await;
}

#[tokio::test]
async fn a_collaboration_runs_from_application_to_ratings() {
    let db = fresh_db().await;
    let app = crate::fixtures::brand(db).await;
    one_deliverable_campaign(&app).await;
    crate::fixtures::fitting_creator(&app, "aisha@creators.example").await;
    let browser = Browser::start().await;
    within_deadline(&browser, collaboration_journey(&app, browser.driver())).await;
    browser.quit().await;
}

async fn collaboration_journey(app: &crate::helpers::TestApp, d: &WebDriver) {
    const CREATOR: &str = "aisha@creators.example";
    const BRAND: &str = "maya@northwind.example";
    // Apply.
    sign_in_as(d, app, CREATOR).await;
    click(d, By::LinkText("Campaigns")).await;
    click(d, By::LinkText("Rain test")).await;
    click(d, By::LinkText("Apply")).await;
    fill(d, "pitch", "Rainy trails are my whole channel.").await;
    click(d, By::Css("input[name=brief_version]")).await;
    press(d, "Send application").await;
    text_containing(d, By::Css(".flash"), "Application sent").await;

    // Accept: the brand's navigation counts the notification.
    sign_in_as(d, app, BRAND).await;
    click(d, By::PartialLinkText("Notifications")).await;
    text_containing(d, By::Css(".notifications"), "Aisha applied to “Rain test”").await;
    click(
        d,
        By::XPath("//button[starts-with(normalize-space(), 'Open')]"),
    )
    .await;
    fill(d, "agreed_fee", "800").await;
    press(d, "Accept").await;
    text_containing(d, By::Css(".flash"), "Application accepted").await;
    sign_agreement(d).await;

    // The creator signs too, then submits round 1 from the dashboard.
    sign_in_as(d, app, CREATOR).await;
    creator_signs_from_the_deliverable(d).await;
    click(d, By::LinkText("Dashboard")).await;
    click(
        d,
        By::XPath("//section[@aria-labelledby='due-heading']//a[normalize-space()='Rain test']"),
    )
    .await;
    fill(d, "content_url", "https://drive.example/aisha/round-1").await;
    fill(d, "caption", "Two days of rain, still dry. #ad").await;
    press(d, "Send to Northwind Outdoor").await;
    text_containing(d, By::Css(".flash"), "Round 1 sent").await;
    let deliverable = d.current_url().await.expect("url").path().to_owned();

    // Request changes with two action items, one citing the brief.
    sign_in_as(d, app, BRAND).await;
    click(
        d,
        By::XPath(
            "//section[@aria-labelledby='reviews-heading']//a[normalize-space()='Rain test']",
        ),
    )
    .await;
    wait_for_path(d, &deliverable).await;
    for (criterion, score) in [
        ("brief_alignment", "4"),
        ("brand_voice", "4"),
        ("disclosure", "2"),
    ] {
        click(
            d,
            By::Css(format!("input[name=score_{criterion}][value='{score}']")),
        )
        .await;
    }
    fill(d, "keep", "The rain on the lens.").await;
    fill(
        d,
        "changes",
        "[disclosure] Put #ad at the start\nShow the hood up in the rain",
    )
    .await;
    fill(d, "why", "Honest labels build the trust we are paying for.").await;
    click(d, By::Css("input[name=decision][value=request_changes]")).await;
    press(d, "Send review").await;
    text_containing(d, By::Css(".flash"), "Review sent to Aisha").await;

    // Resubmit, answering both items.
    sign_in_as(d, app, CREATOR).await;
    d.goto(app.url(&deliverable)).await.expect("deliverable");
    let open = text(d, By::Id("submit-heading")).await;
    assert_eq!(open, "Submit round 2");
    fill(d, "content_url", "https://drive.example/aisha/round-2").await;
    click(d, By::Css("input[name=item_1_status][value=done]")).await;
    click(d, By::Css("input[name=item_2_status][value=reply]")).await;
    fill(d, "item_2_reply", "The hood is up in the second photo.").await;
    press(d, "Send to Northwind Outdoor").await;
    text_containing(d, By::Css(".flash"), "Round 2 sent").await;

    // The brand sees the answers beside the new draft, and approves.
    sign_in_as(d, app, BRAND).await;
    d.goto(app.url(&deliverable)).await.expect("deliverable");
    let round = text(d, By::Id("round-2")).await;
    assert!(
        round.contains("The hood is up in the second photo."),
        "{round}"
    );
    assert!(round.contains("Done"));
    for criterion in ["brief_alignment", "brand_voice", "disclosure"] {
        click(
            d,
            By::Css(format!("input[name=score_{criterion}][value='5']")),
        )
        .await;
    }
    click(d, By::Css("input[name=decision][value=approve]")).await;
    press(d, "Send review").await;
    text_containing(d, By::Css(".flash"), "Review sent to Aisha").await;

    // Publish, then rate the brand.
    sign_in_as(d, app, CREATOR).await;
    d.goto(app.url(&deliverable)).await.expect("deliverable");
    fill(d, "live_url", "https://instagram.com/p/rain").await;
    press(d, "Mark as published").await;
    text_containing(d, By::Css(".flash"), "Every deliverable is live").await;
    for criterion in [
        "brief_clarity",
        "feedback_quality",
        "communication",
        "payment_timeliness",
        "fairness",
    ] {
        click(d, By::Css(format!("input[name={criterion}][value='5']"))).await;
    }
    fill(d, "comment", "Clear, kind and quick.").await;
    press(d, "Save rating").await;
    text_containing(
        d,
        By::Css(".flash"),
        "your rating of Northwind Outdoor is saved",
    )
    .await;
    click(d, By::LinkText("Feedback")).await;
    assert!(
        text(d, By::Css("main"))
            .await
            .contains("The disclosure rule: 1 request")
    );

    // The brand rates the creator.
    sign_in_as(d, app, BRAND).await;
    click(d, By::PartialLinkText("Notifications")).await;
    text_containing(
        d,
        By::Css(".notifications"),
        "Aisha published 2 × Instagram post",
    )
    .await;
    click(
        d,
        By::XPath("(//button[starts-with(normalize-space(), 'Open')])[1]"),
    )
    .await;
    wait_for_path(d, &deliverable).await;
    // Back to the collaboration, by the page's breadcrumb.
    click(d, By::Css(".page-header .eyebrow a")).await;
    for criterion in ["quality", "reliability", "communication", "results"] {
        click(d, By::Css(format!("input[name={criterion}][value='4']"))).await;
    }
    press(d, "Save rating").await;
    text_containing(d, By::Css(".flash"), "your rating of Aisha is saved").await;
}

#[tokio::test]
async fn money_moves_from_a_brands_funds_to_a_creators_bank_with_papers_at_each_step() {
    let db = fresh_db().await;
    let app = crate::fixtures::unfunded_brand(db).await;
    one_deliverable_campaign(&app).await;
    crate::fixtures::fitting_creator(&app, "aisha@creators.example").await;
    app.create_admin("jordan@liaison.example").await;
    let browser = Browser::start().await;
    within_deadline(&browser, money_journey(&app, browser.driver())).await;
    browser.quit().await;
}

async fn money_journey(app: &crate::helpers::TestApp, d: &WebDriver) {
    const CREATOR: &str = "aisha@creators.example";
    const BRAND: &str = "maya@northwind.example";
    const AGENCY: &str = "jordan@liaison.example";

    // The agency records the brand's bank transfer.
    sign_in_as(d, app, AGENCY).await;
    click(d, By::LinkText("Admin")).await;
    click(d, By::LinkText("Finance")).await;
    let brand_id = el(
        d,
        By::XPath("//select[@id='brand_id']/option[normalize-space()='Northwind Outdoor']"),
    )
    .await
    .value()
    .await
    .expect("value")
    .expect("brand id");
    choose(d, By::Id("brand_id"), &brand_id).await;
    fill(d, "amount", "5,000").await;
    choose(d, By::Id("currency"), "USD").await;
    fill(d, "reference", "NWO-2026-0042").await;
    press(d, "Record the payment").await;
    text_containing(
        d,
        By::Css(".flash"),
        "Recorded $5,000.00 received for Northwind Outdoor",
    )
    .await;

    // The creator applies and gives their payout details.
    sign_in_as(d, app, CREATOR).await;
    click(d, By::LinkText("Campaigns")).await;
    click(d, By::LinkText("Rain test")).await;
    click(d, By::LinkText("Apply")).await;
    fill(d, "pitch", "Rainy trails are my whole channel.").await;
    click(d, By::Css("input[name=brief_version]")).await;
    press(d, "Send application").await;
    text_containing(d, By::Css(".flash"), "Application sent").await;
    click(d, By::LinkText("Earnings")).await;
    click(d, By::LinkText("Add payout details")).await;
    fill(d, "legal_name", "Aisha Patel Media LLC").await;
    fill(d, "address", "12 Ridge Road\nBoulder, CO 80302").await;
    fill(d, "country", "US").await;
    fill(d, "account_holder", "Aisha Patel Media LLC").await;
    click(d, By::Css("input[name=method][value=us_account]")).await;
    fill(d, "routing_number", "021000021").await;
    fill(d, "account_number", "000123456789").await;
    press(d, "Save payout details").await;
    text_containing(d, By::Css(".flash"), "Payout details saved").await;
    assert!(
        text(d, By::Css("main"))
            .await
            .contains("US account ending 6789")
    );

    // The brand sees its funds, what accepting holds, and accepts.
    sign_in_as(d, app, BRAND).await;
    click(d, By::LinkText("Billing")).await;
    assert!(text(d, By::Css("main")).await.contains("$5,000.00"));
    click(d, By::PartialLinkText("Notifications")).await;
    click(
        d,
        By::XPath("//button[starts-with(normalize-space(), 'Open')]"),
    )
    .await;
    fill(d, "agreed_fee", "800").await;
    let breakdown = text(d, By::Css(".money-breakdown")).await;
    assert!(breakdown.contains("Held from your funds"), "{breakdown}");
    press(d, "Accept").await;
    text_containing(d, By::Css(".flash"), "Application accepted").await;
    sign_agreement(d).await;
    // The eyebrow's link back to the collaboration (its text is set in capitals).
    click(d, By::Css(".eyebrow a[href^='/applications/']")).await;
    click(d, By::LinkText("The invoice for this collaboration")).await;
    let invoice = text(d, By::Css("article")).await;
    assert!(
        invoice.contains("Invoice INV-") && invoice.contains("$880.00"),
        "{invoice}"
    );

    // The creator signs and delivers; the brand approves; the fee is payable.
    sign_in_as(d, app, CREATOR).await;
    creator_signs_from_the_deliverable(d).await;
    click(d, By::LinkText("Dashboard")).await;
    click(
        d,
        By::XPath("//section[@aria-labelledby='due-heading']//a[normalize-space()='Rain test']"),
    )
    .await;
    fill(d, "content_url", "https://drive.example/aisha/round-1").await;
    fill(d, "caption", "#ad Two days of rain, still dry.").await;
    press(d, "Send to Northwind Outdoor").await;
    text_containing(d, By::Css(".flash"), "Round 1 sent").await;
    let deliverable = d.current_url().await.expect("url").path().to_owned();
    sign_in_as(d, app, BRAND).await;
    d.goto(app.url(&deliverable)).await.expect("deliverable");
    for criterion in ["brief_alignment", "brand_voice", "disclosure"] {
        click(
            d,
            By::Css(format!("input[name=score_{criterion}][value='5']")),
        )
        .await;
    }
    fill(d, "keep", "The rain on the lens.").await;
    click(d, By::Css("input[name=decision][value=approve]")).await;
    press(d, "Send review").await;
    text_containing(d, By::Css(".flash"), "Review sent to Aisha").await;
    sign_in_as(d, app, CREATOR).await;
    click(d, By::LinkText("Earnings")).await;
    let payable = text(d, By::Id("payable-heading")).await;
    assert_eq!(payable, "Payable to you");
    assert!(text(d, By::Css(".stats")).await.contains("$800.00"));

    // The agency pays it out in a batch and marks the batch sent.
    sign_in_as(d, app, AGENCY).await;
    click(d, By::LinkText("Admin")).await;
    click(d, By::LinkText("Finance")).await;
    click(d, By::LinkText("Payouts to creators")).await;
    click(
        d,
        By::XPath("//button[starts-with(normalize-space(), 'Prepare the USD batch')]"),
    )
    .await;
    text_containing(d, By::Css(".flash"), "Prepared payout batch").await;
    press(d, "Mark as sent").await;
    text_containing(d, By::Css(".flash"), "Each creator was told").await;

    // The creator is told, and reads the statement.
    sign_in_as(d, app, CREATOR).await;
    click(d, By::PartialLinkText("Notifications")).await;
    text_containing(
        d,
        By::Css(".notifications"),
        "$800.00 is on its way to your bank account",
    )
    .await;
    click(d, By::LinkText("Earnings")).await;
    click(d, By::PartialLinkText("PS-")).await;
    let statement = text(d, By::Css("article")).await;
    assert!(statement.contains("Paid"), "{statement}");
    assert!(statement.contains("US account ending 6789"), "{statement}");
    assert!(statement.contains("$800.00"), "{statement}");
}

#[tokio::test]
async fn a_creators_link_brings_an_order_that_the_brands_report_counts() {
    let db = fresh_db().await;
    let app = crate::fixtures::brand(db).await;
    // The campaign's landing page is this site's home page, so the browser
    // lands somewhere real after the redirect.
    let mut form = crate::fixtures::with(&crate::fixtures::valid_form(), "title", "Rain test");
    form = crate::fixtures::with(&form, "landing_url", &app.url("/"));
    let campaign = crate::fixtures::post(&app, "/campaigns", &form)
        .await
        .location()
        .to_owned();
    crate::fixtures::post(
        &app,
        &format!("{campaign}/brief"),
        &crate::fixtures::brief_form(""),
    )
    .await
    .assert_redirect(&format!("{campaign}/brief"));
    app.post_form(&format!("{campaign}/publish"), &[])
        .await
        .assert_redirect(&campaign);
    let creator = crate::fixtures::fitting_creator(&app, "aisha@creators.example").await;
    let application = crate::fixtures::apply(&creator, &campaign, "2300")
        .await
        .location()
        .to_owned();
    crate::fixtures::accept(&app, &application, "2300")
        .await
        .assert_accepted();
    let browser = Browser::start().await;
    within_deadline(
        &browser,
        results_journey(&app, browser.driver(), &application),
    )
    .await;
    browser.quit().await;
}

async fn results_journey(app: &crate::helpers::TestApp, d: &WebDriver, application: &str) {
    const CREATOR: &str = "aisha@creators.example";
    const BRAND: &str = "maya@northwind.example";

    // The creator finds the link to share on the collaboration's page.
    sign_in_as(d, app, CREATOR).await;
    click(d, By::LinkText("Applications")).await;
    click(d, By::LinkText("Rain test")).await;
    let link = text(d, By::Css("#results code.copyable")).await;
    let code = link.rsplit('/').next().expect("a code").to_owned();

    // A shopper follows it and lands on the brand's page with a click id.
    press(d, "Log out").await;
    wait_for_path(d, "/").await;
    d.goto(app.url(&format!("/r/{code}")))
        .await
        .expect("follow");
    let landed = d.current_url().await.expect("url");
    assert!(landed.as_str().contains("utm_source=liaison"), "{landed}");
    let click_id = landed
        .query_pairs()
        .find(|(k, _)| k == "lclid")
        .map(|(_, v)| v.into_owned())
        .expect("a click id");
    app.flush_clicks().await;

    // The brand makes an API token, and its shop reports the order.
    sign_in_as(d, app, BRAND).await;
    click(d, By::LinkText("Brand")).await;
    fill(d, "token_name", "Shop").await;
    press(d, "Make a token").await;
    let token = el(d, By::Id("new-token"))
        .await
        .value()
        .await
        .expect("value")
        .expect("the token");
    let now = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .expect("now");
    let order = serde_json::json!({
        "order_id": "1001", "amount": "120.00", "currency": "USD",
        "occurred_at": now, "click_id": click_id,
    });
    let (status, body) = crate::conversions::post(app, &token, &order).await;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{body}");
    assert_eq!(body["attributed"]["by"], "click");

    // Older orders come as a store export, checked before they are saved.
    click(d, By::LinkText("Results")).await;
    click(d, By::LinkText("Orders and conversions")).await;
    let export = std::env::temp_dir().join(format!("orders-{}.csv", uuid::Uuid::now_v7()));
    std::fs::write(
        &export,
        "Name,Created at,Currency,Total,Discount Code\n#0999,2026-11-30 10:00:00 +0000,USD,80.00,\n",
    )
    .expect("export");
    el(d, By::Id("file"))
        .await
        .send_keys(export.display().to_string())
        .await
        .expect("choose the file");
    press(d, "Check the file").await;
    text_containing(d, By::Css("main"), "New: no link or code matched").await;
    click(
        d,
        By::XPath("//button[starts-with(normalize-space(), 'Import 1 orders')]"),
    )
    .await;
    text_containing(d, By::Css(".flash"), "Imported 1 orders").await;
    let _ = std::fs::remove_file(&export);
    assert!(text(d, By::Css("main")).await.contains("Unattributed"));

    // The report counts what the creator brought, for what it cost.
    click(d, By::LinkText("Results")).await;
    let report = text_containing(d, By::Css("main"), "By creator tier").await;
    assert!(report.contains("$2,530.00"), "{report}");
    assert!(
        report.contains("$2,530.00 spend ÷ 1 conversions"),
        "{report}"
    );
    assert!(report.contains("Results by tier, in USD"));
    el(d, By::Css("svg.tier-chart")).await;
    click(d, By::LinkText("Rain test")).await;
    text_containing(d, By::Css("main"), "By collaboration").await;
    click(d, By::LinkText("Aisha")).await;
    wait_for_path(d, application).await;
    text_containing(d, By::Css("#results"), "What it brought").await;
}

#[tokio::test]
async fn an_agency_admin_runs_both_sides_and_a_manager_works_for_a_brand() {
    let db = fresh_db().await;
    let app = crate::fixtures::brand(db).await;
    let campaign = crate::fixtures::published(&app, &[]).await;
    let creator = crate::fixtures::fitting_creator(&app, "aisha@creators.example").await;
    crate::fixtures::apply(&creator, &campaign, "400").await;
    app.create_admin("jordan@liaison.example").await;
    let browser = Browser::start().await;
    within_deadline(&browser, agency_journey(&app, browser.driver())).await;
    browser.quit().await;
}

/// Searches the console's accounts for `words` and opens the first.
async fn open_account(d: &WebDriver, words: &str, name: &str) {
    click(d, By::LinkText("Admin")).await;
    click(d, By::LinkText("Accounts")).await;
    fill(d, "q", words).await;
    press(d, "Find accounts").await;
    click(d, By::LinkText(name)).await;
}

async fn agency_journey(app: &crate::helpers::TestApp, d: &WebDriver) {
    sign_in_as(d, app, "jordan@liaison.example").await;
    click(d, By::LinkText("Admin")).await;
    wait_for_path(d, "/admin").await;

    // A manager joins the staff; their welcome email waits in the outbox.
    click(d, By::LinkText("Staff")).await;
    fill(d, "display_name", "Sam Okafor").await;
    fill(d, "email", "sam@liaison.example").await;
    press(d, "Add").await;
    text_containing(d, By::Css(".flash"), "Sam Okafor is now an agency manager").await;
    click(d, By::LinkText("Admin")).await;
    click(d, By::LinkText("Outbox")).await;
    click(d, By::LinkText("Welcome to Liaison: choose your password")).await;
    let email = text(d, By::Css(".email-body")).await;
    let start = email.find("/password/reset/").expect("a link in the email");
    let link = email[start..]
        .split_whitespace()
        .next()
        .expect("link")
        .to_owned();

    // Northwind joins Sam's portfolio, and the agency works for it.
    open_account(d, "maya", "Maya").await;
    click(
        d,
        By::XPath("//select[@id='manager']/option[starts-with(normalize-space(), 'Sam Okafor')]"),
    )
    .await;
    press(d, "Assign").await;
    text_containing(d, By::Css(".flash"), "in the chosen manager's portfolio").await;
    click(d, By::Css("input[name=managed]")).await;
    click(
        d,
        By::XPath("//section[@aria-labelledby='agency-heading']//button[normalize-space()='Save']"),
    )
    .await;
    text_containing(
        d,
        By::Css(".flash"),
        "The agency now works for Northwind Outdoor",
    )
    .await;

    // Suspend a creator, then reactivate her.
    open_account(d, "aisha", "Aisha").await;
    fill(
        d,
        "reason",
        "Her newest follower figures need a second look.",
    )
    .await;
    press(d, "Suspend").await;
    text_containing(
        d,
        By::Css(".flash"),
        "is suspended and signed out everywhere",
    )
    .await;
    click(
        d,
        By::XPath("//button[starts-with(normalize-space(), 'Reactivate')]"),
    )
    .await;
    text_containing(d, By::Css(".flash"), "can sign in again").await;

    // Work a queue: verify the figures waiting.
    click(d, By::LinkText("Admin")).await;
    press(d, "Count again now").await;
    text_containing(d, By::Css(".flash"), "The queues are up to date").await;
    click(d, By::XPath("//a[contains(., 'Figures to verify')]")).await;
    click(d, By::Css("table.table tbody a")).await;
    let note = el(d, By::Css("input[name=note]")).await;
    note.send_keys("Matched against her Instagram insights.")
        .await
        .expect("type");
    press(d, "Mark figures verified").await;
    text_containing(d, By::Css(".flash"), "verified").await;

    // Export: the accounts download starts with its header.
    click(d, By::LinkText("Admin")).await;
    click(d, By::LinkText("Exports")).await;
    let first_line = d
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
            fetch(document.querySelector("a[href='/admin/exports/accounts.csv']").href)
              .then((r) => r.text()).then((t) => done(t.split("\n")[0]));"#,
            Vec::new(),
        )
        .await
        .expect("download");
    assert!(
        first_line
            .json()
            .as_str()
            .unwrap_or_default()
            .starts_with("account_id,email,"),
        "{:?}",
        first_line.json()
    );

    // Sam chooses a password from the emailed link, lands on his portfolio
    // and works as Northwind.
    press(d, "Log out").await;
    wait_for_path(d, "/").await;
    d.goto(app.url(&link)).await.expect("reset link");
    fill(d, "new_password", "sams own password").await;
    fill(d, "confirm_password", "sams own password").await;
    press(d, "Set my new password").await;
    wait_for_path(d, "/login").await;
    fill(d, "email", "sam@liaison.example").await;
    fill(d, "password", "sams own password").await;
    click(d, By::Css("form.form button[type=submit]")).await;
    wait_for_path(d, "/admin").await;
    assert!(text(d, By::Css("h1")).await.contains("Your portfolio"));
    press(d, "Work as Northwind Outdoor").await;
    wait_for_path(d, "/dashboard").await;
    assert!(
        text(d, By::Css(".acting"))
            .await
            .contains("You are working as Northwind Outdoor")
    );
    click(d, By::LinkText("Campaigns")).await;
    click(d, By::LinkText("Trail-tested autumn jackets")).await;
    click(d, By::LinkText("Applications")).await;
    click(d, By::LinkText("Aisha")).await;
    press(d, "Shortlist").await;
    text_containing(d, By::Css(".flash"), "shortlist").await;
    click(
        d,
        By::XPath("//button[starts-with(normalize-space(), 'Stop working as')]"),
    )
    .await;
    wait_for_path(d, "/admin").await;

    // Northwind's team sees what was done for it, and by whom.
    press(d, "Log out").await;
    wait_for_path(d, "/").await;
    sign_in_as(d, app, "maya@northwind.example").await;
    click(d, By::LinkText("Brand")).await;
    let done = text(d, By::Id("agency")).await;
    assert!(done.contains("Sam Okafor"), "{done}");
    assert!(done.contains("Shortlisted"), "{done}");
}

#[tokio::test]
async fn a_partnership_is_signed_amended_and_run_as_a_business() {
    let db = fresh_db().await;
    let app = crate::fixtures::brand(db).await;
    let campaign = one_deliverable_campaign(&app).await;
    let creator = crate::fixtures::fitting_creator(&app, "aisha@creators.example").await;
    let application = crate::fixtures::apply(&creator, &campaign, "800")
        .await
        .location()
        .to_owned();
    let browser = Browser::start().await;
    within_deadline(
        &browser,
        partnership_journey(&app, browser.driver(), &application),
    )
    .await;
    browser.quit().await;
}

/// Scores a draft in the review form and sends the review.
async fn send_review(d: &WebDriver, decision: &str, changes: &str) {
    for criterion in ["brief_alignment", "brand_voice", "disclosure"] {
        click(
            d,
            By::Css(format!("input[name=score_{criterion}][value='4']")),
        )
        .await;
    }
    if !changes.is_empty() {
        fill(d, "changes", changes).await;
    }
    click(
        d,
        By::Css(format!("input[name=decision][value={decision}]")),
    )
    .await;
    press(d, "Send review").await;
    text_containing(d, By::Css(".flash"), "Review sent to Aisha").await;
}

async fn partnership_journey(app: &crate::helpers::TestApp, d: &WebDriver, application: &str) {
    const CREATOR: &str = "aisha@creators.example";
    const BRAND: &str = "maya@northwind.example";

    // The brand accepts and signs the agreement drawn up from its brief.
    sign_in_as(d, app, BRAND).await;
    d.goto(app.url(application)).await.expect("application");
    press(d, "Accept").await;
    text_containing(d, By::Css(".flash"), "Application accepted").await;
    let agreement = text(d, By::Css(".agreement-text")).await;
    assert!(agreement.contains("PARTNERSHIP AGREEMENT"), "{agreement}");
    assert!(agreement.contains("The fee is $800.00"), "{agreement}");
    sign_agreement(d).await;

    // The creator signs too and sends the first draft.
    sign_in_as(d, app, CREATOR).await;
    creator_signs_from_the_deliverable(d).await;
    click(d, By::LinkText("Dashboard")).await;
    click(
        d,
        By::XPath("//section[@aria-labelledby='due-heading']//a[normalize-space()='Rain test']"),
    )
    .await;
    let deliverable = d.current_url().await.expect("url").path().to_owned();
    fill(d, "content_url", "https://drive.example/aisha/round-1").await;
    fill(d, "caption", "#ad Two days of rain, still dry.").await;
    press(d, "Send to Northwind Outdoor").await;
    text_containing(d, By::Css(".flash"), "Round 1 sent").await;

    // The brand asks for something the brief never did.
    sign_in_as(d, app, BRAND).await;
    d.goto(app.url(&deliverable)).await.expect("deliverable");
    send_review(d, "request_changes", "[out of scope] Add a TikTok cut too").await;

    // The creator quotes it: a price and the days it takes.
    sign_in_as(d, app, CREATOR).await;
    d.goto(app.url(&deliverable)).await.expect("deliverable");
    click(d, By::LinkText("Quote a price for this")).await;
    fill(d, "what", "A 30-second TikTok cut of the rain footage").await;
    fill(d, "price", "150").await;
    fill(d, "extra_days", "5").await;
    press(d, "Send the quote and sign").await;
    text_containing(d, By::Css(".flash"), "Quote sent to Northwind Outdoor").await;
    let amendment = d.current_url().await.expect("url").path().to_owned();

    // The brand accepts it: the price is held, the work is a new deliverable.
    sign_in_as(d, app, BRAND).await;
    d.goto(app.url(&amendment)).await.expect("amendment");
    let held = text(d, By::Css("form[action$='/accept'] .money-breakdown")).await;
    assert!(held.contains("$165.00"), "{held}");
    press(d, "Accept and sign").await;
    text_containing(d, By::Css(".flash"), "Amendment 1 accepted and signed").await;
    assert!(
        text(d, By::Css("main"))
            .await
            .contains("Accepted: a paid amendment")
    );

    // The creator logs time from the deliverable and sends round 2; the
    // quoted request needs no answer.
    sign_in_as(d, app, CREATOR).await;
    d.goto(app.url(&deliverable)).await.expect("deliverable");
    fill(d, "log-hours", "3.5").await;
    press(d, "Log time").await;
    text_containing(d, By::Css(".flash"), "Logged 3.5 h of creating").await;
    fill(d, "content_url", "https://drive.example/aisha/round-2").await;
    press(d, "Send to Northwind Outdoor").await;
    text_containing(d, By::Css(".flash"), "Round 2 sent").await;

    // The brand approves: the first part of the fee is released.
    sign_in_as(d, app, BRAND).await;
    d.goto(app.url(&deliverable)).await.expect("deliverable");
    send_review(d, "approve", "").await;

    // The creator's desk: the effective rate, income, forecast and partners.
    sign_in_as(d, app, CREATOR).await;
    click(d, By::LinkText("Business")).await;
    let desk = text(d, By::Css("main")).await;
    assert!(desk.contains("Rain test"), "{desk}");
    assert!(desk.contains("Expected in days 1–30"), "{desk}");
    assert!(desk.contains("Northwind Outdoor"), "{desk}");
    click(d, By::Css(".subnav a[href='/business/time']")).await;
    let time = text_containing(d, By::Css("main"), "What an hour earns").await;
    // $950 (the fee and the amendment) over 3.5 hours.
    assert!(time.contains("$271.43/h"), "{time}");
    click(d, By::Css(".subnav a[href='/business/income']")).await;
    let income = text_containing(d, By::Css("main"), "By month").await;
    assert!(income.contains("$800.00"), "{income}");
    click(d, By::Css(".subnav a[href='/business/partners']")).await;
    let partners = text_containing(d, By::Css("main"), "Partners").await;
    assert!(partners.contains("Northwind Outdoor"), "{partners}");
    assert!(partners.contains("1 ($150.00 paid)"), "{partners}");
}
