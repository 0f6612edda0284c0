//! Journeys in real headless Chromium, driven through chromedriver.
//!
//! These never skip: without Chromium and chromedriver they fail and say what to
//! install (scripts/test and .ci/run install or demand them up front).

use std::{
    net::TcpListener,
    process::{Child, Command, Stdio},
    time::Duration,
};

use sqlx::PgPool;
use thirtyfour::{ChromiumLikeCapabilities, DesiredCapabilities, WebDriver, prelude::*};

use crate::helpers::{PASSWORD, spawn};

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

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.chromedriver.kill();
        let _ = self.chromedriver.wait();
    }
}

async fn fill(driver: &WebDriver, id: &str, text: &str) {
    let field = driver.find(By::Id(id)).await.expect(id);
    field.clear().await.expect("clear");
    field.send_keys(text).await.expect("type");
}

async fn h1(driver: &WebDriver) -> String {
    driver
        .find(By::Tag("h1"))
        .await
        .expect("h1")
        .text()
        .await
        .expect("text")
}

#[sqlx::test]
async fn a_brand_signs_up_sees_its_dashboard_and_logs_out(db: PgPool) {
    let app = spawn(db).await;
    let browser = Browser::start().await;
    let d = browser.driver();

    d.goto(app.url("/")).await.expect("home");
    d.find(By::LinkText("I'm a brand"))
        .await
        .expect("cta")
        .click()
        .await
        .expect("click");
    assert_eq!(h1(d).await, "Create your account");
    let brand_radio = d
        .find(By::Css("input[name=account_type][value=brand]"))
        .await
        .expect("radio");
    assert!(
        brand_radio.is_selected().await.expect("selected"),
        "preselected from ?as=brand"
    );

    // A mistake first: the form comes back with the message and what was typed.
    fill(d, "display_name", "Maya Lindqvist").await;
    fill(d, "brand_name", "Northwind Outdoor").await;
    fill(d, "email", "maya@northwind.example").await;
    fill(d, "password", "short").await;
    d.find(By::Css("form.form button[type=submit]"))
        .await
        .expect("submit")
        .click()
        .await
        .expect("click");
    let error = d
        .find(By::Id("password-error"))
        .await
        .expect("password error");
    assert!(
        error
            .text()
            .await
            .expect("text")
            .contains("at least 10 characters")
    );
    assert_eq!(
        d.find(By::Id("brand_name"))
            .await
            .expect("field")
            .value()
            .await
            .expect("value")
            .as_deref(),
        Some("Northwind Outdoor")
    );

    fill(d, "password", PASSWORD).await;
    d.find(By::Css("form.form button[type=submit]"))
        .await
        .expect("submit")
        .click()
        .await
        .expect("click");

    assert_eq!(d.current_url().await.expect("url").path(), "/dashboard");
    assert_eq!(h1(d).await, "Welcome, Maya Lindqvist");
    let flash = d
        .find(By::Css(".flash"))
        .await
        .expect("flash")
        .text()
        .await
        .expect("text");
    assert!(flash.contains("Welcome to Liaison"), "{flash}");
    let page = d.source().await.expect("source");
    assert!(page.contains("Northwind Outdoor"));

    d.find(By::XPath("//button[normalize-space()='Log out']"))
        .await
        .expect("log out")
        .click()
        .await
        .expect("click");
    assert_eq!(d.current_url().await.expect("url").path(), "/");
    let flash = d
        .find(By::Css(".flash"))
        .await
        .expect("flash")
        .text()
        .await
        .expect("text");
    assert!(flash.contains("You have been logged out."));
    d.goto(app.url("/dashboard")).await.expect("dashboard");
    assert_eq!(d.current_url().await.expect("url").path(), "/login");

    browser.quit().await;
}

#[sqlx::test]
async fn a_creator_logs_in_with_the_keyboard_and_changes_the_password(db: PgPool) {
    let app = spawn(db).await;
    app.signup_influencer("aisha@creators.example", "Aisha Khan")
        .await;
    let browser = Browser::start().await;
    let d = browser.driver();

    d.goto(app.url("/account")).await.expect("account");
    assert_eq!(d.current_url().await.expect("url").path(), "/login");
    fill(d, "email", "aisha@creators.example").await;
    fill(d, "password", PASSWORD).await;
    d.find(By::Id("password"))
        .await
        .expect("pw")
        .send_keys(Key::Enter)
        .await
        .expect("enter");

    assert_eq!(
        d.current_url().await.expect("url").path(),
        "/account",
        "back where it asked"
    );
    fill(d, "current_password", PASSWORD).await;
    fill(d, "new_password", "an even longer passphrase").await;
    d.find(By::XPath("//button[normalize-space()='Change password']"))
        .await
        .expect("button")
        .click()
        .await
        .expect("click");
    let flash = d
        .find(By::Css(".flash"))
        .await
        .expect("flash")
        .text()
        .await
        .expect("text");
    assert!(flash.contains("Your password has been changed"), "{flash}");

    browser.quit().await;
}
