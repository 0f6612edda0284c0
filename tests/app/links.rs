//! Tracked links and promo codes: made at acceptance, followed without waiting
//! for the database, counted once per person and never for bots, and every
//! queued click written, even at shutdown.

use reqwest::StatusCode;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{
    collaborations::{Collaboration, collaboration},
    fixtures::{apply, fitting_creator, published},
    helpers::{TestApp, fresh_db},
};
use liaison::clicks::{Click, ClickQueue};

pub const PHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

/// The collaboration's link codes, in the brief's order.
pub async fn codes(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar(
        "select l.code from tracked_links l join deliverables d on d.id = l.deliverable_id
          order by d.position",
    )
    .fetch_all(&app.db)
    .await
    .expect("codes")
}

/// Follows a link as a phone browser would, from Instagram.
pub async fn follow(app: &TestApp, code: &str, agent: &str) -> reqwest::Response {
    app.client
        .get(app.url(&format!("/r/{code}")))
        .header("user-agent", agent)
        .header("referer", "https://l.instagram.com/?u=whatever")
        .send()
        .await
        .expect("GET")
}

#[tokio::test]
async fn accepting_gives_each_deliverable_a_link_both_sides_see() {
    let c = collaboration(fresh_db().await).await;
    let codes = codes(&c.brand).await;
    assert_eq!(codes.len(), c.deliverables.len());
    assert!(codes.iter().all(|code| code.len() == 8));
    for side in [&c.creator, &c.brand] {
        let page = side.get(&c.application).await;
        assert_eq!(page.status, StatusCode::OK);
        for code in &codes {
            assert!(
                page.body.contains(&format!("http://liaison.test/r/{code}")),
                "{}",
                page.body
            );
        }
    }
    let creator_page = c.creator.get(&c.application).await;
    assert!(creator_page.body.contains("Your links and promo code"));
    assert!(creator_page.body.contains("has not given you a promo code"));
}

#[tokio::test]
async fn a_link_sends_people_to_the_landing_page_with_utm_parameters_and_a_click_id() {
    let c = collaboration(fresh_db().await).await;
    let code = &codes(&c.brand).await[0];
    let res = follow(&c.brand.another_browser(), code, PHONE).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(
        res.headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("location")
        .to_owned();
    let (start, click) = location.split_once("&lclid=").expect("a click id");
    assert_eq!(
        start,
        "https://northwind.example/autumn?ref=creators&utm_source=liaison&utm_medium=creator\
         &utm_campaign=autumn-trail-series&utm_content=aisha-instagram-post-1"
    );
    let click = Uuid::parse_str(click).expect("the click id is a uuid");

    c.brand.flush_clicks().await;
    let (is_bot, referrer, visitor_len): (bool, Option<String>, i32) = sqlx::query_as(
        "select is_bot, referrer_host, octet_length(visitor) from clicks where id = $1",
    )
    .bind(click)
    .fetch_one(&c.brand.db)
    .await
    .expect("the click is stored under the id the shop received");
    assert!(!is_bot);
    assert_eq!(referrer.as_deref(), Some("l.instagram.com"));
    assert_eq!(visitor_len, 16);
    // Nothing about the click stores an address.
    assert_eq!(
        c.brand
            .count(
                "select count(*) from information_schema.columns
                  where table_name in ('clicks', 'link_visitors') and data_type in ('inet', 'cidr')"
            )
            .await,
        0
    );
    assert_eq!(
        c.brand
            .count("select clicks + unique_visitors from tracked_links where clicks > 0")
            .await,
        2
    );
    assert_eq!(
        c.brand
            .count("select sum(clicks + unique_clicks)::int8 from results_daily")
            .await,
        2
    );
    let page = c.brand.get(&c.application).await;
    assert!(
        page.body.contains("<td class=\"num\">1</td>"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn the_same_person_counts_once_and_bots_and_prefetches_not_at_all() {
    let c = collaboration(fresh_db().await).await;
    let code = &codes(&c.brand).await[0];
    let visitor = c.brand.another_browser();
    for _ in 0..3 {
        assert_eq!(
            follow(&visitor, code, PHONE).await.status(),
            StatusCode::FOUND
        );
    }
    let android = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36";
    follow(&visitor, code, android).await;
    let crawler = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
    assert_eq!(
        follow(&visitor, code, crawler).await.status(),
        StatusCode::FOUND
    );
    let prefetch = visitor
        .client
        .get(visitor.url(&format!("/r/{code}")))
        .header("user-agent", PHONE)
        .header("sec-purpose", "prefetch")
        .send()
        .await
        .expect("GET");
    assert_eq!(prefetch.status(), StatusCode::FOUND);

    c.brand.flush_clicks().await;
    let (clicks, people, bots): (i64, i64, i64) = sqlx::query_as(
        "select clicks, unique_visitors, bot_clicks from tracked_links where code = $1",
    )
    .bind(code)
    .fetch_one(&c.brand.db)
    .await
    .expect("link");
    assert_eq!((clicks, people, bots), (4, 2, 2));
    let daily: (i64, i64, i64) =
        sqlx::query_as("select clicks, unique_clicks, bot_clicks from results_daily")
            .fetch_one(&c.brand.db)
            .await
            .expect("roll-up");
    assert_eq!(daily, (4, 2, 2));
    assert_eq!(c.brand.count("select count(*) from clicks").await, 6);
}

#[tokio::test]
async fn unknown_codes_get_a_plain_not_found_page() {
    let c = collaboration(fresh_db().await).await;
    for path in ["/r/zzzzzzzz", "/r/NOTACODE", "/r/abc", "/r/k7m2xq0p"] {
        let page = c.brand.another_browser().get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(page.body.contains("Link not found"), "{path}");
        assert!(!page.body.contains("Log in"), "no site navigation: {path}");
    }
    c.brand.flush_clicks().await;
    assert_eq!(c.brand.count("select count(*) from clicks").await, 0);
}

#[tokio::test]
async fn links_wait_for_a_landing_page_and_follow_it_once_the_brand_sets_one() {
    let c = collaboration(fresh_db().await).await;
    let campaign_id = c.campaign.trim_start_matches("/campaigns/").to_owned();
    sqlx::query("update campaigns set landing_url = null where id = $1::uuid")
        .bind(&campaign_id)
        .execute(&c.brand.db)
        .await
        .expect("no landing page");
    let code = &codes(&c.brand).await[0];
    let page = c.brand.another_browser().get(&format!("/r/{code}")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("isn't ready yet"));
    let brand_page = c.brand.get(&c.application).await;
    assert!(brand_page.body.contains("These links lead nowhere yet"));

    // The brand sets it on the campaign's form; this instance follows it at once.
    let edit = c.brand.get(&format!("{}/edit", c.campaign)).await;
    assert!(edit.body.contains("id=\"landing_url\""));
    let mut form = crate::fixtures::valid_form();
    form = crate::fixtures::with(&form, "title", "Autumn trail series");
    form = crate::fixtures::with(&form, "landing_url", "https://northwind.example/new");
    form = crate::fixtures::with(&form, "attribution_window", "7");
    let saved = crate::fixtures::post(&c.brand, &c.campaign, &form).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let res = follow(&c.brand.another_browser(), code, PHONE).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let location = res.headers()["location"].to_str().expect("location");
    assert!(location.starts_with("https://northwind.example/new?utm_source=liaison"));
    let shown = c.brand.get(&c.campaign).await;
    assert!(shown.body.contains("https://northwind.example/new"));
    assert!(shown.body.contains("7 days"));

    // Bad input on the form is refused beside the field, with what was typed kept.
    let bad = crate::fixtures::with(&form, "landing_url", "northwind.example/oops");
    let refused = crate::fixtures::post(&c.brand, &c.campaign, &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("landing_url-error"));
    assert!(refused.body.contains("value=\"northwind.example/oops\""));
}

/// The first tracked link's id, for driving the queue directly.
async fn first_link(c: &Collaboration) -> Uuid {
    sqlx::query_scalar("select id from tracked_links order by created_at limit 1")
        .fetch_one(&c.brand.db)
        .await
        .expect("link")
}

fn click(link_id: Uuid, n: u8) -> Click {
    Click {
        id: Uuid::now_v7(),
        link_id,
        at: OffsetDateTime::now_utc(),
        visitor: [n; 16],
        referrer_host: None,
        is_bot: false,
    }
}

#[tokio::test]
async fn every_click_queued_before_shutdown_is_written() {
    let c = collaboration(fresh_db().await).await;
    let link = first_link(&c).await;
    let queue = ClickQueue::new(10_000);
    let writer = queue.start_writer(c.brand.db.clone()).expect("one writer");
    assert!(queue.start_writer(c.brand.db.clone()).is_none());
    for n in 0..2_500u32 {
        queue.record(click(link, (n % 200) as u8));
    }
    writer.stop().await;
    assert_eq!(c.brand.count("select count(*) from clicks").await, 2_500);
    assert_eq!(
        c.brand
            .count("select clicks + 1000 * unique_visitors from tracked_links where id = (select link_id from clicks limit 1)")
            .await,
        2_500 + 1000 * 200
    );
    assert_eq!(queue.lost(), 0);
}

#[tokio::test]
async fn a_full_queue_drops_clicks_without_waiting_and_counts_them() {
    let c = collaboration(fresh_db().await).await;
    let link = first_link(&c).await;
    // No writer yet: the queue fills at four.
    let queue = ClickQueue::new(4);
    for n in 0..10 {
        queue.record(click(link, n));
    }
    assert_eq!(queue.lost(), 6);
    let writer = queue.start_writer(c.brand.db.clone()).expect("writer");
    writer.stop().await;
    assert_eq!(c.brand.count("select count(*) from clicks").await, 4);
    assert_eq!(
        c.brand
            .count("select lost from click_losses where day = current_date")
            .await,
        6
    );
}

#[tokio::test]
async fn the_brand_gives_a_promo_code_and_the_creator_sees_it_with_the_links() {
    let c = collaboration(fresh_db().await).await;
    let page = c.brand.get(&c.application).await;
    assert!(
        page.body.contains("value=\"AISHA\""),
        "a code suggested from the creator's name: {}",
        page.body
    );

    let path = format!("{}/promo-code", c.application);
    let bad = c
        .brand
        .post_form(&path, &[("promo_code", "aisha 15%")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("promo_code-error"));
    assert!(bad.body.contains("value=\"aisha 15%\""));

    c.brand
        .post_form(&path, &[("promo_code", "aisha15")])
        .await
        .assert_redirect(&format!("{}#results", c.application));
    let creator_page = c.creator.get(&c.application).await;
    assert!(
        creator_page.body.contains("AISHA15"),
        "{}",
        creator_page.body
    );
    assert_eq!(
        c.brand
            .count(
                "select count(*) from audit_events where action = 'collaboration.promo_code_set'"
            )
            .await,
        1
    );

    // A second collaboration of the same brand cannot take the same code.
    let second = published(
        &c.brand,
        &[
            ("title", "Winter trail series"),
            ("landing_url", "https://northwind.example/winter"),
        ],
    )
    .await;
    let other = fitting_creator(&c.brand, "leo@creators.example").await;
    let application = apply(&other, &second, "900").await.location().to_owned();
    crate::fixtures::accept(&c.brand, &application, "900")
        .await
        .assert_accepted();
    let taken = c
        .brand
        .post_form(
            &format!("{application}/promo-code"),
            &[("promo_code", "AISHA15")],
        )
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert!(taken.body.contains("already the promo code of another"));

    // The creator cannot set it; another brand cannot see the collaboration.
    let by_creator = c.creator.post_form(&path, &[("promo_code", "MINE")]).await;
    assert_eq!(by_creator.status, StatusCode::FORBIDDEN);
    let stranger = c.brand.another_browser();
    stranger
        .signup_brand("ops@rival.example", "Rita", "Rival Gear")
        .await;
    let foreign = stranger.post_form(&path, &[("promo_code", "RIVAL")]).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);

    // Removing it.
    c.brand
        .post_form(&path, &[("remove", "1")])
        .await
        .assert_redirect(&format!("{}#results", c.application));
    assert_eq!(c.brand.count("select count(*) from promo_codes").await, 0);
    let code_by_creator = c
        .brand
        .count("select count(*) from promo_codes where code in ('MINE', 'RIVAL')")
        .await;
    assert_eq!(code_by_creator, 0);
}
