//! Paying creators: payout details encrypted and shown masked, payout
//! batches with their SEPA file (checked against the ISO 20022 schema) and
//! CSV, marked sent once.

use std::process::Command;

use reqwest::StatusCode;

use crate::{
    collaborations::{latest_submission, review, scores, submit},
    fixtures::{
        agency, apply, assert_ledger_sound, balance, fitting_creator, fund_in, published,
        unfunded_brand,
    },
    helpers::{TestApp, fresh_db},
};

pub struct Earned {
    pub brand: TestApp,
    pub creator: TestApp,
    pub admin: TestApp,
}

/// A collaboration in `currency` whose first deliverable ($1,150 of a
/// $2,300 fee) was approved: payable to the creator.
async fn earned(currency: &str) -> Earned {
    earned_with_creator_fee(currency, 0).await
}

/// The same, with the agency taking `basis_points` from what creators are paid.
pub async fn earned_with_creator_fee(currency: &str, basis_points: i32) -> Earned {
    let db = fresh_db().await;
    sqlx::query("update agency_terms set creator_fee_basis_points = $1")
        .bind(basis_points)
        .execute(&db)
        .await
        .expect("terms");
    let brand = unfunded_brand(db).await;
    let code = liaison::domain::Currency::parse(currency).expect("currency");
    fund_in(&brand, "Northwind Outdoor", 1_000_000, code).await;
    let campaign = published(&brand, &[("currency", currency)]).await;
    let creator = fitting_creator(&brand, "aisha@creators.example").await;
    let application = apply(&creator, &campaign, "2300")
        .await
        .location()
        .to_owned();
    crate::fixtures::accept(&brand, &application, "2300")
        .await
        .assert_accepted();
    let first: String = sqlx::query_scalar(
        "select '/deliverables/' || id from deliverables order by position limit 1",
    )
    .fetch_one(&brand.db)
    .await
    .expect("deliverable");
    submit(&creator, &first, &[]).await.assert_redirect(&first);
    let round = latest_submission(&brand, &first).await;
    review(&brand, &round, &scores("approve", ""))
        .await
        .assert_redirect(&first);
    let admin = agency(&brand).await;
    Earned {
        brand,
        creator,
        admin,
    }
}

pub fn details<'a>(method: &'a str, account: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("legal_name", "Aisha Patel Media GmbH"),
        ("address", "Torstraße 1\n10119 Berlin"),
        ("country", "de"),
        ("tax_id", "DE123456789"),
        ("account_holder", "Aisha Patel Media GmbH"),
        ("method", method),
    ];
    fields.extend_from_slice(account);
    fields
}

fn key() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Validates a pain.001.001.03 document against the ISO 20022 schema.
fn assert_valid_pain_001(xml: &str) {
    let dir = std::env::temp_dir().join(format!("liaison-sepa-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("payouts.xml");
    std::fs::write(&file, xml).expect("write");
    let schema = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vendor/iso20022/pain.001.001.03.xsd"
    );
    let out = Command::new("xmllint")
        .args(["--noout", "--schema", schema])
        .arg(&file)
        .output()
        .expect("xmllint: scripts/test installs libxml2-utils (schema checks are never skipped)");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "the SEPA file does not validate: {}\n{xml}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn bank_details_are_checked_encrypted_and_shown_masked() {
    let e = earned("EUR").await;
    let earnings = e.creator.get("/earnings").await.body;
    assert!(earnings.contains("Add your payout details"), "{earnings}");

    let bad = e
        .creator
        .post_form(
            "/earnings/payout-details",
            &details("iban", &[("iban", "DE89 3704 0044 0532 0130 01")]),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains(r#"id="iban-error""#), "{}", bad.body);
    assert!(bad.body.contains("check digits"));
    assert!(
        bad.body.contains(r#"value="Aisha Patel Media GmbH""#),
        "kept"
    );
    assert!(
        !bad.body.contains("DE89 3704"),
        "an account is never sent back"
    );
    assert_eq!(
        e.brand.count("select count(*) from payout_details").await,
        0
    );

    e.creator
        .post_form(
            "/earnings/payout-details",
            &details("iban", &[("iban", "de89 3704 0044 0532 0130 00")]),
        )
        .await
        .assert_redirect("/earnings");
    let earnings = e.creator.get("/earnings").await.body;
    assert!(earnings.contains("IBAN ending 3000"), "{earnings}");
    let form = e.creator.get("/earnings/payout-details").await.body;
    assert!(!form.contains("370400440532013000"), "{form}");
    let stored: Vec<u8> = sqlx::query_scalar("select account_ciphertext from payout_details")
        .fetch_one(&e.brand.db)
        .await
        .expect("stored");
    assert!(
        !stored.windows(6).any(|w| w == b"370400"),
        "the IBAN is not stored in clear"
    );

    // Changing the address keeps the account; a new account replaces it.
    e.creator
        .post_form(
            "/earnings/payout-details",
            &details("iban", &[("iban", "")]),
        )
        .await
        .assert_redirect("/earnings");
    assert!(
        e.creator
            .get("/earnings")
            .await
            .body
            .contains("IBAN ending 3000")
    );
    assert_eq!(
        e.brand
            .count("select count(*) from audit_events where action = 'influencer.payout_details_updated'")
            .await,
        2
    );
    // Only creators have payout details.
    assert_eq!(
        e.brand.get("/earnings/payout-details").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_euro_batch_goes_to_the_bank_as_a_valid_sepa_file_and_is_paid_once() {
    let e = earned("EUR").await;
    let page = e.admin.get("/admin/finance/payouts").await.body;
    assert!(page.contains("No payout details yet"), "{page}");
    let nobody = e
        .admin
        .post_form(
            "/admin/finance/payouts",
            &[("currency", "EUR"), ("idempotency_key", &key())],
        )
        .await;
    assert_eq!(nobody.status, StatusCode::CONFLICT);
    assert!(nobody.body.contains("Nobody can be paid in EUR yet"));

    e.creator
        .post_form(
            "/earnings/payout-details",
            &details(
                "iban",
                &[
                    ("iban", "DE89 3704 0044 0532 0130 00"),
                    ("bic", "cobadeffxxx"),
                ],
            ),
        )
        .await
        .assert_redirect("/earnings");
    let k = key();
    let prepared = e
        .admin
        .post_form(
            "/admin/finance/payouts",
            &[("currency", "EUR"), ("idempotency_key", &k)],
        )
        .await;
    let batch = prepared.location().to_owned();
    assert!(
        batch.starts_with("/admin/finance/payouts/"),
        "{}",
        prepared.body
    );
    // A double click: the same batch.
    e.admin
        .post_form(
            "/admin/finance/payouts",
            &[("currency", "EUR"), ("idempotency_key", &k)],
        )
        .await
        .assert_redirect(&batch);
    // A second batch while one waits: refused.
    let second = e
        .admin
        .post_form(
            "/admin/finance/payouts",
            &[("currency", "EUR"), ("idempotency_key", &key())],
        )
        .await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert!(second.body.contains("is waiting to be sent"));

    let shown = e.admin.get(&batch).await.body;
    assert!(shown.contains("€1,150.00"), "{shown}");
    assert!(shown.contains("IBAN ending 3000"));
    assert!(!shown.contains("370400440532013000"));

    // The SEPA file names the agency's account: it must be given first.
    let unready = e.admin.get(&format!("{batch}/sepa.xml")).await;
    assert_eq!(unready.status, StatusCode::CONFLICT);
    let bad_payer = e
        .admin
        .post_form(
            "/admin/finance/payouts/payer",
            &[
                ("payer_name", "Liaison Agency"),
                ("payer_iban", "GB82 WEST 1234 5698 7654 33"),
            ],
        )
        .await;
    assert_eq!(bad_payer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_payer.body.contains(r#"id="payer_iban-error""#));
    e.admin
        .post_form(
            "/admin/finance/payouts/payer",
            &[
                ("payer_name", "Liaison Agency Ltd"),
                ("payer_iban", "GB82 WEST 1234 5698 7654 32"),
                ("payer_bic", ""),
            ],
        )
        .await
        .assert_redirect("/admin/finance/payouts");

    let file = e.admin.get(&format!("{batch}/sepa.xml")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(
        file.headers
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    assert_valid_pain_001(&file.body);
    for expected in [
        "<NbOfTxs>1</NbOfTxs>",
        "<CtrlSum>1150.00</CtrlSum>",
        r#"<InstdAmt Ccy="EUR">1150.00</InstdAmt>"#,
        "<IBAN>DE89370400440532013000</IBAN>",
        "<BIC>COBADEFFXXX</BIC>",
        "<IBAN>GB82WEST12345698765432</IBAN>",
        "<Nm>Aisha Patel Media GmbH</Nm>",
        "<Id>NOTPROVIDED</Id>",
    ] {
        assert!(file.body.contains(expected), "{expected}: {}", file.body);
    }
    let csv = e.admin.get(&format!("{batch}/payments.csv")).await.body;
    assert!(
        csv.contains(",Aisha Patel Media GmbH,Aisha Patel Media GmbH,DE89370400440532013000,COBADEFFXXX,,,1150.00,EUR"),
        "{csv}"
    );
    // Nobody but the agency sees a batch or its files.
    for who in [&e.creator, &e.brand] {
        assert_eq!(who.get(&batch).await.status, StatusCode::FORBIDDEN);
        assert_eq!(
            who.get(&format!("{batch}/sepa.xml")).await.status,
            StatusCode::FORBIDDEN
        );
    }
    let on_its_way = e.creator.get("/earnings").await.body;
    assert!(on_its_way.contains("Being prepared"), "{on_its_way}");

    let sent_key = key();
    e.admin
        .post_form(&format!("{batch}/sent"), &[("idempotency_key", &sent_key)])
        .await
        .assert_redirect(&batch);
    assert_eq!(balance(&e.brand, "creator_payable").await, 0);
    assert_eq!(balance(&e.brand, "cash_paid_out").await, 115_000);
    // A second click pays nothing more.
    e.admin
        .post_form(&format!("{batch}/sent"), &[("idempotency_key", &sent_key)])
        .await
        .assert_redirect(&batch);
    assert_eq!(balance(&e.brand, "cash_paid_out").await, 115_000);
    let discard_sent = e.admin.post_form(&format!("{batch}/discard"), &[]).await;
    assert_eq!(discard_sent.status, StatusCode::CONFLICT);

    let earnings = e.creator.get("/earnings").await.body;
    assert!(
        earnings.contains("-000001</a>"),
        "its statement: {earnings}"
    );
    let notes = e.creator.get("/notifications").await.body;
    assert!(
        notes.contains("€1,150.00 is on its way to your bank account"),
        "{notes}"
    );
    assert_eq!(
        e.brand
            .count("select count(*) from audit_events where action in ('admin.payout_batch_prepared', 'admin.payout_batch_sent')")
            .await,
        2
    );
    assert_ledger_sound(&e.brand.db).await;
}

#[tokio::test]
async fn a_dollar_batch_to_a_us_account_is_a_csv_and_a_discarded_batch_pays_nothing() {
    let e = earned("USD").await;
    let wrong_routing = e
        .creator
        .post_form(
            "/earnings/payout-details",
            &details(
                "us_account",
                &[
                    ("routing_number", "021000022"),
                    ("account_number", "000123456789"),
                ],
            ),
        )
        .await;
    assert_eq!(wrong_routing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong_routing.body.contains(r#"id="routing_number-error""#));
    e.creator
        .post_form(
            "/earnings/payout-details",
            &details(
                "us_account",
                &[
                    ("routing_number", "021000021"),
                    ("account_number", "000123456789"),
                ],
            ),
        )
        .await
        .assert_redirect("/earnings");

    let batch = e
        .admin
        .post_form(
            "/admin/finance/payouts",
            &[("currency", "USD"), ("idempotency_key", &key())],
        )
        .await
        .location()
        .to_owned();
    let csv = e.admin.get(&format!("{batch}/payments.csv")).await.body;
    assert!(
        csv.contains(",,,021000021,000123456789,1150.00,USD"),
        "{csv}"
    );
    assert_eq!(
        e.admin.get(&format!("{batch}/sepa.xml")).await.status,
        StatusCode::CONFLICT,
        "SEPA carries euros only"
    );

    e.admin
        .post_form(&format!("{batch}/discard"), &[])
        .await
        .assert_redirect("/admin/finance/payouts");
    assert_eq!(balance(&e.brand, "creator_payable").await, 115_000);
    let sent = e
        .admin
        .post_form(&format!("{batch}/sent"), &[("idempotency_key", &key())])
        .await;
    assert_eq!(
        sent.status,
        StatusCode::CONFLICT,
        "a discarded batch is never paid"
    );
    assert_eq!(balance(&e.brand, "cash_paid_out").await, 0);
    // The balance goes into the next batch.
    let next = e
        .admin
        .post_form(
            "/admin/finance/payouts",
            &[("currency", "USD"), ("idempotency_key", &key())],
        )
        .await;
    assert_eq!(next.status, StatusCode::SEE_OTHER);
    assert_ledger_sound(&e.brand.db).await;
}
