//! Invoices and payout statements: numbered without gaps per year, written
//! once, shown only to their brand or creator and the agency, as pages and
//! well-formed PDF files.

use reqwest::StatusCode;

use crate::{
    fixtures::{accept, agency, apply, brand, fitting_creator, published},
    helpers::{TestApp, fresh_db},
    payouts::{details, earned_with_creator_fee},
};

fn year() -> i32 {
    time::OffsetDateTime::now_utc().year()
}

/// Every object the PDF's cross-reference table names starts where it says,
/// and the file is complete.
fn assert_pdf(bytes: &str) {
    assert!(bytes.starts_with("%PDF-1.4\n"), "a PDF");
    assert!(bytes.ends_with("%%EOF\n"), "complete");
    let start: usize = bytes
        .rsplit("startxref\n")
        .next()
        .and_then(|t| t.lines().next())
        .and_then(|n| n.parse().ok())
        .expect("startxref");
    let table = &bytes[start..];
    assert!(table.starts_with("xref\n"));
    let entries: Vec<&str> = table
        .lines()
        .skip(3)
        .take_while(|l| l.ends_with(" n "))
        .collect();
    assert!(!entries.is_empty());
    for (n, entry) in entries.iter().enumerate() {
        let offset: usize = entry[..10].parse().expect("offset");
        assert!(
            bytes[offset..].starts_with(&format!("{} 0 obj\n", n + 1)),
            "object {} is where the table says",
            n + 1
        );
    }
}

async fn invoice_path(app: &TestApp, number: &str) -> String {
    sqlx::query_scalar::<_, String>("select '/invoices/' || id from invoices where number = $1")
        .bind(number)
        .fetch_one(&app.db)
        .await
        .expect("invoice")
}

#[tokio::test]
async fn each_funded_collaboration_is_invoiced_with_a_gap_free_number_that_never_changes() {
    let app = brand(fresh_db().await).await;
    let admin = agency(&app).await;
    admin
        .post_form(
            "/admin/finance/issuer",
            &[
                ("issuer_name", "Liaison Agency Ltd"),
                ("issuer_address", "5 Market Street\nLondon EC1A 1AA"),
                ("issuer_tax_id", "GB999999973"),
                ("tax_label", "VAT"),
                ("tax_percent", "20"),
            ],
        )
        .await
        .assert_redirect("/admin/finance");
    let bad = admin
        .post_form(
            "/admin/finance/issuer",
            &[
                ("issuer_name", ""),
                ("tax_label", "VAT"),
                ("tax_percent", "80"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains(r#"id="issuer_name-error""#)
            && bad.body.contains(r#"id="tax_percent-error""#)
    );

    let campaign = published(&app, &[("title", "Autumn trail series")]).await;
    let aisha = fitting_creator(&app, "aisha@creators.example").await;
    let first = apply(&aisha, &campaign, "2300").await.location().to_owned();
    accept(&app, &first, "2300").await.assert_accepted();

    // An acceptance the funds can't cover takes no number.
    let ben = fitting_creator(&app, "ben@creators.example").await;
    let second = apply(&ben, &campaign, "2000").await.location().to_owned();
    sqlx::query("update campaigns set budget_minor = 100000000000")
        .execute(&app.db)
        .await
        .expect("budget");
    let short = accept(&app, &second, "99000").await;
    assert_eq!(short.status, StatusCode::CONFLICT, "{}", short.body);
    accept(&app, &second, "2000").await.assert_accepted();

    let numbers: Vec<String> = sqlx::query_scalar("select number from invoices order by sequence")
        .fetch_all(&app.db)
        .await
        .expect("numbers");
    let y = year();
    assert_eq!(
        numbers,
        [format!("INV-{y}-000001"), format!("INV-{y}-000002")]
    );

    let path = invoice_path(&app, &numbers[0]).await;
    let page = app.get(&path).await.body;
    for expected in [
        "Liaison Agency Ltd",
        "GB999999973",
        "Northwind Outdoor",
        "Autumn trail series",
        "$2,300.00",
        "Agency fee, including VAT 20%",
        "$230.00",
        "$191.67",
        "$38.33",
        "$2,530.00",
    ] {
        assert!(page.contains(expected), "{expected}: {page}");
    }
    let billing = app.get("/billing").await.body;
    assert!(
        billing.contains(&numbers[0]) && billing.contains(&numbers[1]),
        "{billing}"
    );
    assert!(billing.contains("Held for collaborations"));

    let pdf = app.get(&format!("{path}/pdf")).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(
        pdf.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/pdf")
    );
    assert_pdf(&pdf.body);
    assert!(
        pdf.body.contains(&format!("(Invoice {})", numbers[0])),
        "{}",
        pdf.body
    );
    assert!(pdf.body.contains("($38.33)"));

    // Only the brand and the agency see it.
    assert_eq!(admin.get(&path).await.status, StatusCode::OK);
    assert_eq!(aisha.get(&path).await.status, StatusCode::NOT_FOUND);
    let other = app.another_browser();
    other
        .signup_brand("kai@lumen.example", "Kai", "Lumen Skincare")
        .await
        .assert_redirect("/dashboard");
    assert_eq!(other.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        other.get(&format!("{path}/pdf")).await.status,
        StatusCode::NOT_FOUND
    );

    // An issued invoice never changes: not by a later address, not by hand.
    sqlx::query("update brands set billing_address = 'Somewhere else'")
        .execute(&app.db)
        .await
        .expect("address");
    let article = |html: &str| {
        let start = html.find("<article").expect("article");
        let end = html.find("</article>").expect("end");
        html[start..end].to_owned()
    };
    assert_eq!(
        article(&app.get(&path).await.body),
        article(&page),
        "unchanged"
    );
    assert!(!page.contains("Somewhere else"));
    let edit = sqlx::query("update invoices set fee_minor = 1")
        .execute(&app.db)
        .await;
    assert!(edit.is_err(), "invoices are append-only");
}

#[tokio::test]
async fn each_payout_comes_with_a_statement_of_gross_fee_and_net() {
    let e = earned_with_creator_fee("EUR", 1_000).await;
    e.creator
        .post_form(
            "/earnings/payout-details",
            &details("iban", &[("iban", "DE89 3704 0044 0532 0130 00")]),
        )
        .await
        .assert_redirect("/earnings");
    let batch = e
        .admin
        .post_form(
            "/admin/finance/payouts",
            &[
                ("currency", "EUR"),
                ("idempotency_key", &uuid::Uuid::now_v7().to_string()),
            ],
        )
        .await
        .location()
        .to_owned();
    e.admin
        .post_form(
            &format!("{batch}/sent"),
            &[("idempotency_key", &uuid::Uuid::now_v7().to_string())],
        )
        .await
        .assert_redirect(&batch);

    let (path, number): (String, String) =
        sqlx::query_as("select '/statements/' || id, number from payout_statements")
            .fetch_one(&e.brand.db)
            .await
            .expect("statement");
    assert_eq!(number, format!("PS-{}-000001", year()));
    let earnings = e.creator.get("/earnings").await.body;
    assert!(
        earnings.contains(&format!(r#"href="{path}""#)),
        "{earnings}"
    );
    let page = e.creator.get(&path).await.body;
    // €1,150.00 released, 10% to the agency, €1,035.00 paid.
    for expected in [
        "Aisha Patel Media GmbH",
        "IBAN ending 3000",
        "Trail-tested autumn jackets: 2 × Instagram post",
        "€1,150.00",
        "€115.00",
        "€1,035.00",
    ] {
        assert!(page.contains(expected), "{expected}: {page}");
    }
    let pdf = e.creator.get(&format!("{path}/pdf")).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_pdf(&pdf.body);
    assert!(pdf.body.contains(&format!("(Payout statement {number})")));
    assert_eq!(e.admin.get(&path).await.status, StatusCode::OK);
    assert_eq!(e.brand.get(&path).await.status, StatusCode::NOT_FOUND);
    let lines: Vec<(i64, i64, i64)> =
        sqlx::query_as("select gross_minor, fee_minor, net_minor from payout_statement_lines")
            .fetch_all(&e.brand.db)
            .await
            .expect("lines");
    assert_eq!(lines, [(115_000, 11_500, 103_500)]);
}
