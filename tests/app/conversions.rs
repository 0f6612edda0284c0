//! Orders in: the brand's API tokens, the conversions API (idempotent on the
//! order id, refunds, attribution by click or promo code, errors as JSON), and
//! one brand's token never touching another brand's orders.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    collaborations::{Collaboration, collaboration},
    helpers::TestApp,
    helpers::fresh_db,
    links::{PHONE, codes, follow},
};

/// Makes an API token on the brand page, as the owner does; returns it.
pub async fn token(brand: &TestApp, name: &str) -> String {
    let page = brand
        .post_form("/brand/api-tokens", &[("token_name", name)])
        .await;
    assert_eq!(page.status, StatusCode::CREATED, "{}", page.body);
    let start = page.body.find("value=\"lia_").expect("the token is shown") + 7;
    let end = start + page.body[start..].find('"').expect("end of the token");
    page.body[start..end].to_owned()
}

pub async fn post(app: &TestApp, token: &str, body: &Value) -> (StatusCode, Value) {
    let res = app
        .client
        .post(app.url("/api/v1/conversions"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("POST");
    let status = res.status();
    (status, res.json().await.expect("a JSON answer"))
}

fn order(id: &str) -> Value {
    json!({
        "order_id": id,
        "amount": "45.99",
        "currency": "USD",
        "occurred_at": "2026-12-01T10:00:00Z",
    })
}

/// Follows the collaboration's first link as a shopper; returns the click id
/// the landing page received.
pub async fn click(c: &Collaboration) -> String {
    let code = &codes(&c.brand).await[0];
    let res = follow(&c.brand.another_browser(), code, PHONE).await;
    let location = res.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    c.brand.flush_clicks().await;
    location
        .split("lclid=")
        .nth(1)
        .expect("click id")
        .to_owned()
}

#[tokio::test]
async fn a_token_is_shown_once_kept_as_a_fingerprint_and_revocable() {
    let c = collaboration(fresh_db().await).await;
    let token = token(&c.brand, "Shopify store").await;
    assert!(token.starts_with("lia_") && token.len() > 40);
    let page = c.brand.get("/brand").await;
    assert!(!page.body.contains(&token), "shown only once");
    assert!(
        page.body.contains(&token[..8]),
        "its first characters tell it apart"
    );
    assert_eq!(
        c.brand
            .count("select count(*) from api_tokens where token_hash = sha256(convert_to(prefix, 'UTF8'))")
            .await,
        0
    );
    let (status, _) = post(&c.brand, &token, &order("1001")).await;
    assert_eq!(status, StatusCode::CREATED);

    let bad_name = c
        .brand
        .post_form("/brand/api-tokens", &[("token_name", " ")])
        .await;
    assert_eq!(bad_name.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_name.body.contains("token_name-error"));

    let id: uuid::Uuid = sqlx::query_scalar("select id from api_tokens")
        .fetch_one(&c.brand.db)
        .await
        .expect("token");
    c.brand
        .post_form(&format!("/brand/api-tokens/{id}/revoke"), &[])
        .await
        .assert_redirect("/brand#api-tokens");
    let (status, body) = post(&c.brand, &token, &order("1002")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["errors"][0]["field"], "authorization");
    assert_eq!(
        c.brand
            .count("select count(*) from audit_events where action like 'brand.api_token_%'")
            .await,
        2
    );
    // Creators cannot make tokens.
    let by_creator = c
        .creator
        .post_form("/brand/api-tokens", &[("token_name", "x")])
        .await;
    assert_eq!(by_creator.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_order_with_a_click_id_is_counted_once_for_that_creator_and_a_refund_reverses_it() {
    let c = collaboration(fresh_db().await).await;
    let token = token(&c.brand, "Shop").await;
    let click = click(&c).await;
    let today = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .expect("now");
    let mut body = order("1001");
    body["click_id"] = json!(click);
    body["occurred_at"] = json!(today);
    let (status, first) = post(&c.brand, &token, &body).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["attributed"]["by"], "click");
    assert_eq!(first["replayed"], false);
    assert_eq!(first["amount"], "45.99");
    let (status, again) = post(&c.brand, &token, &body).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["replayed"], true);
    assert_eq!(again["id"], first["id"]);
    assert_eq!(
        c.brand
            .count("select sum(conversions * 100000 + revenue_minor)::int8 from results_daily")
            .await,
        100_000 + 4599
    );

    let mut changed = body.clone();
    changed["amount"] = json!(50);
    let (status, refused) = post(&c.brand, &token, &changed).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(refused["errors"][0]["field"], "amount");

    let mut refund = body.clone();
    refund["status"] = json!("refunded");
    let (status, refunded) = post(&c.brand, &token, &refund).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(refunded["status"], "refunded");
    let (_, twice) = post(&c.brand, &token, &refund).await;
    assert_eq!(twice["replayed"], true);
    assert_eq!(
        c.brand
            .count("select sum(conversions + revenue_minor)::int8 from results_daily")
            .await,
        0
    );
    assert_eq!(c.brand.count("select count(*) from conversions").await, 1);
}

#[tokio::test]
async fn promo_codes_attribute_orders_and_unattributed_orders_are_kept() {
    let c = collaboration(fresh_db().await).await;
    c.brand
        .post_form(
            &format!("{}/promo-code", c.application),
            &[("promo_code", "AISHA15")],
        )
        .await
        .assert_redirect(&format!("{}#results", c.application));
    let token = token(&c.brand, "Shop").await;
    let mut with_code = order("2001");
    with_code["promo_code"] = json!("aisha15");
    let (status, body) = post(&c.brand, &token, &with_code).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(body["attributed"]["by"], "promo_code");

    let (status, body) = post(&c.brand, &token, &order("2002")).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(body["attributed"], Value::Null);

    // A click from before the order's window does not count; the code still does.
    let click = click(&c).await;
    sqlx::query("update clicks set clicked_at = now() - interval '40 days'")
        .execute(&c.brand.db)
        .await
        .expect("age the click");
    let mut late = order("2003");
    late["click_id"] = json!(click);
    late["occurred_at"] = json!("2026-12-01T10:00:00Z");
    let (_, body) = post(&c.brand, &token, &late).await;
    assert_eq!(body["attributed"], Value::Null, "{body}");

    // An order attributed to a campaign in another currency is refused.
    let mut euros = order("2004");
    euros["currency"] = json!("EUR");
    euros["promo_code"] = json!("AISHA15");
    let (status, body) = post(&c.brand, &token, &euros).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "currency");
    assert_eq!(c.brand.count("select count(*) from conversions").await, 3);
}

/// A shop that sends every order has far more without a creator than the page
/// needs to count: it says "more than 1,000" instead of counting them all.
#[tokio::test]
async fn a_shop_with_many_unattributed_orders_is_told_there_are_more_than_a_thousand() {
    let brand = crate::fixtures::brand(fresh_db().await).await;
    let insert = |n: i32| {
        sqlx::query(
            "insert into conversions (id, brand_id, order_id, amount_minor, currency, occurred_at, source)
             select uuidv7(), b.id, 'order-' || i, 4599, 'USD', now() - make_interval(mins => i), 'api'
               from brands b, generate_series(1, $1) i
              where b.name = 'Northwind Outdoor'
             on conflict do nothing",
        )
        .bind(n)
        .execute(&brand.db)
    };
    insert(1_000).await.expect("a thousand orders");
    let page = brand.get("/conversions").await;
    assert!(
        page.body
            .contains("<strong>1,000</strong> orders have no creator"),
        "{}",
        page.body
    );
    insert(1_001).await.expect("one more");
    let page = brand.get("/conversions").await;
    assert!(
        page.body
            .contains("<strong>More than 1,000</strong> orders have no creator"),
        "{}",
        page.body
    );

    // Every order can be read, 50 a page, newest first, each once; the
    // unattributed list pages the same way.
    for first in ["/conversions", "/conversions?show=unattributed"] {
        let mut seen: Vec<String> = Vec::new();
        let mut next = Some(first.to_owned());
        while let Some(path) = next {
            let body = brand.get(&path).await.body;
            let orders: Vec<String> = body
                .split("<td>order-")
                .skip(1)
                .filter_map(|rest| rest.split('<').next().map(str::to_owned))
                .collect();
            assert!(orders.len() <= 50, "{path}: {} orders", orders.len());
            seen.extend(orders);
            next = crate::helpers::next_page(&body);
            if let Some(n) = &next {
                assert!(n.starts_with(first), "{n} continues {first}");
            }
        }
        let numbers: Vec<i32> = seen.iter().filter_map(|n| n.parse().ok()).collect();
        assert_eq!(
            numbers,
            (1..=1_001).collect::<Vec<_>>(),
            "{first}: newest first, each once"
        );
    }
    let past = brand
        .get("/conversions?before=0_00000000-0000-0000-0000-000000000000")
        .await
        .body;
    assert!(past.contains("No older orders"));
    let stale = brand.get("/conversions?before=last-week").await.body;
    assert!(
        stale.contains("<td>order-1<"),
        "a stale link shows the newest"
    );
}

#[tokio::test]
async fn bad_requests_get_json_errors_naming_the_field_and_save_nothing() {
    let c = collaboration(fresh_db().await).await;
    let token = token(&c.brand, "Shop").await;
    let url = c.brand.url("/api/v1/conversions");

    let res = c
        .brand
        .client
        .post(&url)
        .json(&order("1"))
        .send()
        .await
        .expect("POST");
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(res.headers()["www-authenticate"], "Bearer");
    let (status, _) = post(&c.brand, "lia_not-a-real-token", &order("1")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let form = c
        .brand
        .client
        .post(&url)
        .bearer_auth(&token)
        .form(&[("order_id", "1")])
        .send()
        .await
        .expect("POST");
    assert_eq!(form.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let malformed = c
        .brand
        .client
        .post(&url)
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{\"order_id\": \"1\",")
        .send()
        .await
        .expect("POST");
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    let body: Value = malformed.json().await.expect("json");
    assert!(
        body["errors"][0]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("JSON"))
    );

    let huge = c
        .brand
        .client
        .post(&url)
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(format!("{{\"order_id\": \"{}\"}}", "x".repeat(40_000)))
        .send()
        .await
        .expect("POST");
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);

    for (field, value, expected) in [
        ("amount", json!("-5.00"), "amount"),
        ("amount", json!(true), "amount"),
        ("currency", json!("XYZ"), "currency"),
        ("occurred_at", json!("2027-06-01T00:00:00Z"), "occurred_at"),
        ("occurred_at", json!("last tuesday"), "occurred_at"),
        ("click_id", json!("nope"), "click_id"),
        ("status", json!("pending"), "status"),
        ("order_id", json!(""), "order_id"),
    ] {
        let mut body = order("1");
        body[field] = value.clone();
        let (status, answer) = post(&c.brand, &token, &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field} {value}");
        assert_eq!(answer["errors"][0]["field"], expected, "{answer}");
    }
    let mut unknown = order("1");
    unknown["coupon"] = json!("X");
    let (status, answer) = post(&c.brand, &token, &unknown).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        answer["errors"][0]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("coupon"))
    );

    let mut refund = order("never-sent");
    refund["status"] = json!("refunded");
    let (status, _) = post(&c.brand, &token, &refund).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(c.brand.count("select count(*) from conversions").await, 0);
}

#[tokio::test]
async fn another_brands_token_never_sees_or_changes_this_brands_orders() {
    let c = collaboration(fresh_db().await).await;
    let ours = token(&c.brand, "Shop").await;
    let (status, _) = post(&c.brand, &ours, &order("1001")).await;
    assert_eq!(status, StatusCode::CREATED);

    let rival = c.brand.another_browser();
    rival
        .signup_brand("ops@rival.example", "Rita", "Rival Gear")
        .await;
    let theirs = token(&rival, "Rival shop").await;
    let seen = rival
        .client
        .get(rival.url("/api/v1/conversions/1001"))
        .bearer_auth(&theirs)
        .send()
        .await
        .expect("GET");
    assert_eq!(seen.status(), StatusCode::NOT_FOUND);
    let mut refund = order("1001");
    refund["status"] = json!("refunded");
    let (status, _) = post(&rival, &theirs, &refund).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let ours_seen = c
        .brand
        .client
        .get(c.brand.url("/api/v1/conversions/1001"))
        .bearer_auth(&ours)
        .send()
        .await
        .expect("GET");
    assert_eq!(ours_seen.status(), StatusCode::OK);
    let body: Value = ours_seen.json().await.expect("json");
    assert_eq!(body["status"], "completed");
    // The same order id is the rival's own order, apart from ours.
    let (status, _) = post(&rival, &theirs, &order("1001")).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(c.brand.count("select count(*) from conversions").await, 2);
}

/// Uploads a file on /conversions as the browser's form does.
pub async fn upload(app: &TestApp, name: &str, bytes: Vec<u8>) -> crate::helpers::Page {
    let token = app.csrf_token().await;
    let part = reqwest::multipart::Part::bytes(bytes)
        .file_name(name.to_owned())
        .mime_str("text/csv")
        .expect("mime");
    let res = app
        .client
        .post(app.url(&format!("/conversions/uploads?csrf_token={token}")))
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("upload");
    crate::helpers::Page::read(res).await
}

#[tokio::test]
async fn a_store_export_is_previewed_row_by_row_then_imported_in_one_go() {
    let c = collaboration(fresh_db().await).await;
    c.brand
        .post_form(
            &format!("{}/promo-code", c.application),
            &[("promo_code", "AISHA15")],
        )
        .await
        .assert_redirect(&format!("{}#results", c.application));
    let csv = "Name,Financial Status,Created at,Currency,Subtotal,Total,Discount Code,Lineitem name\n\
        #1001,paid,2026-11-30 14:05:22 +0100,USD,40.00,45.99,aisha15,Trail jacket\n\
        #1001,,,,,,,Socks\n\
        #1002,paid,2026-11-30 15:00:00 +0100,USD,10.00,12.00,,Cap\n\
        #1003,paid,2026-11-30 16:00:00 +0100,USD,10.00,-3.00,,Cap\n";
    let res = upload(&c.brand, "orders_export.csv", csv.as_bytes().to_vec()).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let preview_path = res.location().to_owned();
    let preview = c.brand.get(&preview_path).await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(preview.body.contains("3 orders read"), "{}", preview.body);
    assert!(preview.body.contains("counted for Aisha"));
    assert!(preview.body.contains("Problem with the total"));
    assert_eq!(
        c.brand.count("select count(*) from conversions").await,
        0,
        "a preview saves nothing"
    );

    // Not without choosing to skip the wrong row.
    let refused = c
        .brand
        .post_form(&format!("{preview_path}/import"), &[])
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body.contains("Nothing was imported"));
    assert_eq!(c.brand.count("select count(*) from conversions").await, 0);

    c.brand
        .post_form(&format!("{preview_path}/import"), &[("skip_errors", "1")])
        .await
        .assert_redirect("/conversions");
    assert_eq!(
        c.brand
            .count("select count(*) from conversions where source = 'csv'")
            .await,
        2
    );
    assert_eq!(
        c.brand
            .count("select count(*) from conversions where attributed_by = 'promo_code'")
            .await,
        1
    );
    let list = c.brand.get("/conversions").await;
    assert!(list.body.contains("#1002") && list.body.contains("Unattributed"));
    assert!(
        list.body.contains("1</strong> order has no creator"),
        "{}",
        list.body
    );

    // Importing twice records nothing twice; the same file again is all skipped.
    let again = c
        .brand
        .post_form(&format!("{preview_path}/import"), &[("skip_errors", "1")])
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    let res = upload(&c.brand, "orders_export.csv", csv.as_bytes().to_vec()).await;
    let second = c.brand.get(res.location()).await;
    assert!(second.body.contains("Already recorded: skipped"));
    assert_eq!(c.brand.count("select count(*) from conversions").await, 2);
    assert_eq!(
        c.brand
            .count("select count(*) from audit_events where action = 'brand.conversions_imported'")
            .await,
        1
    );
}

#[tokio::test]
async fn files_that_are_not_orders_are_refused_beside_the_file_field() {
    let c = collaboration(fresh_db().await).await;
    for (name, bytes, status, says) in [
        (
            "orders.pdf",
            b"%PDF-1.7".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "is not a CSV file",
        ),
        (
            "orders.csv",
            b"order id,date,total,currency\n1,2026-11-29,4\xE9,EUR\n".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "not in UTF-8",
        ),
        (
            "orders.csv",
            b"\xFF\xFEo\x00".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UTF-16",
        ),
        (
            "orders.csv",
            b"when,price\n2026-11-29,4\n".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "none was found for: order id, date, total, currency",
        ),
        (
            "orders.csv",
            vec![b'a'; 5 * 1024 * 1024 + 10],
            StatusCode::PAYLOAD_TOO_LARGE,
            "larger than 5 MiB",
        ),
    ] {
        let res = upload(&c.brand, name, bytes).await;
        assert_eq!(res.status, status, "{name}: {}", res.body);
        assert!(
            res.body.contains("file-error") && res.body.contains(says),
            "{says}: {}",
            res.body
        );
    }
    assert_eq!(
        c.brand
            .count("select count(*) from conversion_uploads")
            .await,
        0
    );

    // Without the form's token the upload is refused.
    let part = reqwest::multipart::Part::bytes(b"order id,date,total,currency\n".to_vec())
        .file_name("o.csv");
    let forged = c
        .brand
        .client
        .post(c.brand.url("/conversions/uploads"))
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("POST");
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);

    // Another brand cannot see or import this brand's upload.
    let res = upload(
        &c.brand,
        "o.csv",
        b"order id,date,total,currency\n9,2026-11-29,4.00,USD\n".to_vec(),
    )
    .await;
    let path = res.location().to_owned();
    let rival = c.brand.another_browser();
    rival
        .signup_brand("ops@rival.example", "Rita", "Rival Gear")
        .await;
    assert_eq!(rival.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        rival.post_form(&format!("{path}/import"), &[]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(c.creator.get(&path).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn uploads_left_undecided_for_a_week_are_discarded() {
    let c = collaboration(fresh_db().await).await;
    let res = upload(
        &c.brand,
        "o.csv",
        b"order id,date,total,currency\n9,2026-11-29,4.00,USD\n".to_vec(),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    sqlx::query("update conversion_uploads set created_at = now() - interval '8 days'")
        .execute(&c.brand.db)
        .await
        .expect("backdate");
    assert_eq!(
        liaison::conversions::uploads::purge_stale(&c.brand.db)
            .await
            .expect("purge"),
        1
    );
    let page = c.brand.get(res.location()).await;
    assert!(page.body.contains("Discarded: nothing from it was saved"));
    assert_eq!(c.brand.count("select count(*) from conversions").await, 0);
}
