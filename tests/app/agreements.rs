//! Partnership agreements: drawn up at acceptance, signed by both sides before
//! work starts, never changed; work asked for outside the brief becomes a
//! paid amendment (or is withdrawn).

use reqwest::StatusCode;

use crate::{
    collaborations::{collaboration, latest_submission, review, scores, submit},
    fixtures::{
        accept_unsigned, agency, apply, assert_ledger_sound, balance, brand, fitting_creator,
        manager, published,
    },
    helpers::{Page, TestApp, fresh_db},
};

/// The agreement's id from the redirect of an acceptance or a quote.
fn agreement_path(res: &Page) -> String {
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let to = res.location();
    assert!(to.starts_with("/agreements/"), "{to}");
    to.to_owned()
}

/// The hash a page's sign or accept form carries back.
fn shown_hash(page: &str) -> String {
    let at = page
        .find("name=\"hash\" value=\"")
        .expect("a hash in the form")
        + 19;
    page[at..at + 64].to_owned()
}

async fn sign(app: &TestApp, agreement: &str, hash: &str) -> Page {
    app.post_form(
        &format!("{agreement}/sign"),
        &[("hash", hash), ("agree", "yes")],
    )
    .await
}

#[tokio::test]
async fn accepting_draws_up_an_agreement_that_both_sides_sign_before_work_starts() {
    let db = fresh_db().await;
    let app = brand(db).await;
    let campaign = published(&app, &[("title", "Autumn trail series")]).await;
    let creator = fitting_creator(&app, "aisha@creators.example").await;
    let application = apply(&creator, &campaign, "2300")
        .await
        .location()
        .to_owned();
    let agreement = agreement_path(&accept_unsigned(&app, &application, "2300").await);

    // Drawn up from the brief in force and the decision: parties, work,
    // money, rights, rules.
    let page = app.get(&agreement).await;
    assert_eq!(page.status, StatusCode::OK);
    for expected in [
        "Partnership agreement: Autumn trail series",
        "Waiting for both signatures",
        "Northwind Outdoor",
        "Aisha",
        "2 × Instagram post",
        "1 × YouTube long video",
        "The fee is $2,300.00",
        "$230.00 (10% of the fee)",
        "when the brand approves it",
        "USAGE RIGHTS",
        "EXCLUSIVITY",
        "DISCLOSURE",
        "ENDING EARLY",
        "Sign the agreement",
    ] {
        assert!(page.body.contains(expected), "{expected} missing");
    }
    let hash = shown_hash(&page.body);
    let stored: String = sqlx::query_scalar(
        "select encode(body_sha256, 'hex') from agreements where application_id = $1::uuid",
    )
    .bind(application.trim_start_matches("/applications/"))
    .fetch_one(&app.db)
    .await
    .expect("one agreement");
    assert_eq!(hash, stored);
    assert!(
        creator
            .get(&agreement)
            .await
            .body
            .contains("The fee is $2,300.00")
    );

    // No work before both have signed.
    let posts: String =
        sqlx::query_scalar("select '/deliverables/' || id from deliverables order by position")
            .fetch_one(&app.db)
            .await
            .expect("deliverable");
    let early = submit(&creator, &posts, &[]).await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert!(
        early
            .body
            .contains("Work starts when both sides have signed")
    );
    assert!(
        creator
            .get(&posts)
            .await
            .body
            .contains("Work starts when both sides have signed the partnership agreement")
    );

    // A signature needs the box ticked and the text that was shown.
    let unticked = app
        .post_form(
            &format!("{agreement}/sign"),
            &[("hash", &hash), ("agree", "")],
        )
        .await;
    assert_eq!(unticked.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unticked.body.contains("Tick the box to confirm"));
    let other_text = sign(&app, &agreement, &"0".repeat(64)).await;
    assert_eq!(other_text.status, StatusCode::CONFLICT);
    assert!(
        other_text
            .body
            .contains("This is not the text you were shown")
    );
    assert_eq!(
        app.count("select count(*) from agreement_signatures").await,
        0
    );

    // The brand signs; the creator is told; signing twice changes nothing.
    sign(&app, &agreement, &hash)
        .await
        .assert_redirect(&agreement);
    let page = app.get(&agreement).await.body;
    assert!(page.contains("Waiting for the creator&#39;s signature"));
    assert!(page.contains("Work starts when Aisha signs too"));
    assert!(!page.contains("Sign the agreement"));
    let twice = sign(&app, &agreement, &hash).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert!(twice.body.contains("This side has signed already"));
    assert!(
        creator
            .get("/notifications")
            .await
            .body
            .contains("read it and sign it so work can start")
    );

    // The creator signs: in force, the brand is told, and work starts.
    sign(&creator, &agreement, &hash)
        .await
        .assert_redirect(&agreement);
    assert!(creator.get(&agreement).await.body.contains("In force"));
    assert!(
        app.get("/notifications")
            .await
            .body
            .contains("it is in force and work can start")
    );
    let signatures: Vec<(String, String, String, bool)> = sqlx::query_as(
        "select s.party, encode(s.body_sha256, 'hex'), s.session_ref, s.ip is not null
           from agreement_signatures s order by s.signed_at",
    )
    .fetch_all(&app.db)
    .await
    .expect("signatures");
    assert_eq!(signatures.len(), 2);
    assert_eq!(signatures[0].0, "brand");
    assert_eq!(signatures[1].0, "creator");
    for (_, signed_hash, session, ip) in &signatures {
        assert_eq!(signed_hash, &hash);
        assert_eq!(session.len(), 16);
        assert!(ip);
    }
    assert_ne!(signatures[0].2, signatures[1].2, "two sessions");
    submit(&creator, &posts, &[]).await.assert_redirect(&posts);

    // Never changed: the database refuses edits to the text and signatures.
    for statement in [
        "update agreements set body = body || ' and more'",
        "delete from agreements",
        "update agreement_signatures set signed_at = now()",
        "delete from agreement_signatures",
    ] {
        assert!(
            sqlx::query(statement).execute(&app.db).await.is_err(),
            "{statement}"
        );
    }

    // Both parties and the agency read it, as a page and a PDF; nobody else.
    let pdf = creator
        .client
        .get(creator.url(&format!("{agreement}/pdf")))
        .send()
        .await
        .expect("pdf");
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.expect("bytes").starts_with(b"%PDF"));
    let admin = agency(&app).await;
    assert!(admin.get(&agreement).await.body.contains(&hash));
    // A manager reads it once either party is in their portfolio, and never signs.
    let sam = manager(&admin, "sam@liaison.example", "Sam Okafor").await;
    assert_eq!(sam.get(&agreement).await.status, StatusCode::NOT_FOUND);
    let ids: Vec<String> = sqlx::query_scalar(
        "select id::text from users where email in ('maya@northwind.example', 'sam@liaison.example')
          order by email",
    )
    .fetch_all(&app.db)
    .await
    .expect("ids");
    admin
        .post_form(
            &format!("/admin/accounts/{}/manager", ids[0]),
            &[("manager", ids[1].as_str())],
        )
        .await
        .assert_redirect(&format!("/admin/accounts/{}", ids[0]));
    assert!(sam.get(&agreement).await.body.contains(&hash));
    assert_eq!(
        sign(&sam, &agreement, &hash).await.status,
        StatusCode::FORBIDDEN
    );
    let rival = app.another_browser();
    rival
        .signup_brand("ana@lumen.example", "Ana", "Lumen Skincare")
        .await
        .assert_redirect("/dashboard");
    assert_eq!(rival.get(&agreement).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        rival.get(&format!("{agreement}/pdf")).await.status,
        StatusCode::NOT_FOUND
    );
    let audited = app
        .count(
            "select count(*) from audit_events
              where action in ('agreement.drawn_up', 'agreement.signed')",
        )
        .await;
    assert_eq!(audited, 3);
}

/// A collaboration whose first draft got a review asking for a TikTok cut
/// outside the brief (request 2) besides an in-scope change (request 1).
async fn out_of_scope_request() -> (crate::collaborations::Collaboration, String, Vec<String>) {
    let c = collaboration(fresh_db().await).await;
    let posts = c.deliverables[0].clone();
    submit(&c.creator, &posts, &[])
        .await
        .assert_redirect(&posts);
    let submission = latest_submission(&c.brand, &posts).await;
    let form = scores(
        "request_changes",
        "[don't 1] Crop out the other brand's backpack\n[out of scope] Add a TikTok cut too",
    );
    review(&c.brand, &submission, &form)
        .await
        .assert_redirect(&posts);
    let items: Vec<String> = sqlx::query_scalar(
        "select '/action-items/' || id || '/quote' from action_items order by number",
    )
    .fetch_all(&c.brand.db)
    .await
    .expect("items");
    (c, posts, items)
}

async fn quote(c: &TestApp, item: &str, price: &str, days: &str) -> Page {
    c.post_form(
        item,
        &[
            ("what", "A 30-second TikTok cut of the rain footage"),
            ("price", price),
            ("extra_days", days),
        ],
    )
    .await
}

#[tokio::test]
async fn work_asked_for_outside_the_brief_becomes_a_paid_amendment() {
    let (c, posts, items) = out_of_scope_request().await;
    let (in_scope, outside) = (&items[0], &items[1]);

    // The creator sees where to quote; only the request outside the brief.
    let page = c.creator.get(&posts).await.body;
    assert!(page.contains(outside.as_str()));
    assert!(!page.contains(in_scope.as_str()));
    let refused = quote(&c.creator, in_scope, "150", "5").await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body.contains("part of the agreed work"));
    let form = c.creator.get(outside).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Add a TikTok cut too"));

    // Bad input is shown beside its field, with what was typed.
    let bad = c
        .creator
        .post_form(
            outside,
            &[
                ("what", "A TikTok cut"),
                ("price", "12.345"),
                ("extra_days", "400"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("value=\"12.345\""));
    assert!(bad.body.contains("A TikTok cut"));
    assert!(bad.body.contains("whole number from 0 to 365"));
    assert_eq!(c.brand.count("select count(*) from amendments").await, 0);

    // The brand cannot quote, and the creator cannot accept.
    assert_eq!(
        quote(&c.brand, outside, "150", "5").await.status,
        StatusCode::NOT_FOUND
    );
    let amendment = agreement_path(&quote(&c.creator, outside, "150", "5").await);
    let page = c.creator.get(&amendment).await.body;
    assert!(page.contains("Amendment 1 to the partnership agreement"));
    assert!(page.contains("Waiting for the brand&#39;s signature"));
    assert!(page.contains("Withdraw the quote"));
    let quote_id: String = sqlx::query_scalar("select id::text from amendments")
        .fetch_one(&c.brand.db)
        .await
        .expect("a quote");
    let accept_path = format!("/amendments/{quote_id}/accept");
    let key = uuid::Uuid::now_v7().to_string();
    let hash = shown_hash(&c.brand.get(&amendment).await.body);
    let by_creator = c
        .creator
        .post_form(&accept_path, &[("idempotency_key", &key), ("hash", &hash)])
        .await;
    assert_eq!(by_creator.status, StatusCode::FORBIDDEN);
    assert!(
        c.brand
            .get("/notifications")
            .await
            .body
            .contains("quoted $150.00 and 5 extra days")
    );

    // The quoted request needs no answer in the next draft: only request 1.
    let page = c.creator.get(&posts).await.body;
    assert!(page.contains("item_1_status"));
    assert!(!page.contains("item_2_status"));

    // The brand accepts: the price and the agency's fee are held, the work is
    // a new deliverable, the amendment is signed by both and invoiced.
    let funds_before = balance(&c.brand, "brand_funds").await;
    let escrow_before = balance(&c.brand, "escrow").await;
    let page = c.brand.get(&amendment).await.body;
    assert!(page.contains("$165.00"), "the total held is shown first");
    c.brand
        .post_form(&accept_path, &[("idempotency_key", &key), ("hash", &hash)])
        .await
        .assert_redirect(&amendment);
    assert_eq!(
        balance(&c.brand, "brand_funds").await,
        funds_before - 16_500
    );
    assert_eq!(balance(&c.brand, "escrow").await, escrow_before + 16_500);
    let again = c
        .brand
        .post_form(&accept_path, &[("idempotency_key", &key), ("hash", &hash)])
        .await;
    again.assert_redirect(&amendment);
    assert_eq!(
        balance(&c.brand, "brand_funds").await,
        funds_before - 16_500
    );
    let (platform, notes, due_in, fee): (String, String, i32, i64) = sqlx::query_as(
        "select d.platform, d.notes, d.due_on - current_date, s.fee_minor
           from deliverables d join escrow_shares s on s.deliverable_id = d.id
          where d.amendment_id is not null",
    )
    .fetch_one(&c.brand.db)
    .await
    .expect("the added deliverable");
    assert_eq!(
        (platform.as_str(), notes.as_str(), due_in, fee),
        (
            "instagram",
            "A 30-second TikTok cut of the rain footage",
            5,
            15_000
        )
    );
    assert_eq!(
        c.brand
            .count("select count(*) from agreement_signatures s join amendments m on m.agreement_id = s.agreement_id")
            .await,
        2
    );
    assert_eq!(
        c.brand
            .count(
                "select count(*) from invoices where amendment_id is not null and fee_minor = 15000"
            )
            .await,
        1
    );
    let page = c.brand.get(&amendment).await.body;
    assert!(page.contains("Accepted: a paid amendment"));
    assert!(page.contains("its invoice"));
    let collaboration = c.brand.get(&c.application).await.body;
    assert!(collaboration.contains("1 became paid amendment ($150.00 added to the fee)"));
    assert!(
        collaboration.contains("$2,450.00"),
        "the fee with the amendment"
    );
    assert!(
        c.creator
            .get("/notifications")
            .await
            .body
            .contains("accepted your quote of $150.00")
    );
    // Quoting the same request again is refused.
    assert_eq!(
        quote(&c.creator, outside, "150", "5").await.status,
        StatusCode::CONFLICT
    );
    assert_ledger_sound(&c.brand.db).await;
    assert_eq!(
        c.brand
            .count("select count(*) from audit_events where action like 'amendment.%'")
            .await,
        2
    );
}

#[tokio::test]
async fn a_declined_quote_withdraws_the_request_and_a_short_brand_is_told_what_to_add() {
    let (c, posts, items) = out_of_scope_request().await;
    let outside = &items[1];

    // A withdrawn quote opens the request again.
    let first = agreement_path(&quote(&c.creator, outside, "150", "5").await);
    let first_id: String = sqlx::query_scalar("select id::text from amendments")
        .fetch_one(&c.brand.db)
        .await
        .expect("a quote");
    c.creator
        .post_form(&format!("/amendments/{first_id}/withdraw"), &[])
        .await
        .assert_redirect(&first);
    assert!(c.creator.get(&posts).await.body.contains("item_2_status"));

    // Quoted again, beyond the brand's funds: refused with the amount to add.
    let second = agreement_path(&quote(&c.creator, outside, "200000", "5").await);
    let second_id: String =
        sqlx::query_scalar("select id::text from amendments where status = 'quoted'")
            .fetch_one(&c.brand.db)
            .await
            .expect("the new quote");
    let hash = shown_hash(&c.brand.get(&second).await.body);
    let key = uuid::Uuid::now_v7().to_string();
    let short = c
        .brand
        .post_form(
            &format!("/amendments/{second_id}/accept"),
            &[("idempotency_key", &key), ("hash", &hash)],
        )
        .await;
    assert_eq!(short.status, StatusCode::CONFLICT);
    assert!(short.body.contains("short. Add at least"), "{}", short.body);
    assert_eq!(
        c.brand
            .count("select count(*) from deliverables where amendment_id is not null")
            .await,
        0
    );

    // Declined with a reason: the request is withdrawn, nothing is owed, and
    // the next draft need not answer it.
    c.brand
        .post_form(
            &format!("/amendments/{second_id}/decline"),
            &[(
                "reason",
                "Not this season: we will brief TikTok separately.",
            )],
        )
        .await
        .assert_redirect(&second);
    let page = c.creator.get(&second).await.body;
    assert!(page.contains("Declined: the request was withdrawn"));
    assert!(page.contains("we will brief TikTok separately"));
    assert!(!c.creator.get(&posts).await.body.contains("item_2_status"));
    submit(
        &c.creator,
        &posts,
        &[
            ("content_url", "https://drive.example/aisha/draft-2"),
            ("item_1_status", "done"),
        ],
    )
    .await
    .assert_redirect(&posts);
    assert_eq!(
        quote(&c.creator, outside, "150", "5").await.status,
        StatusCode::CONFLICT
    );
    // A decision is made once.
    let late = c
        .brand
        .post_form(
            &format!("/amendments/{second_id}/decline"),
            &[("reason", "")],
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    let collaboration = c.creator.get(&c.application).await.body;
    assert!(
        collaboration.contains(
            "0 became paid amendments ($0.00 added to the fee), 1 declined and withdrawn"
        )
    );
    assert_ledger_sound(&c.brand.db).await;
}
