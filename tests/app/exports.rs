//! The agency's CSV exports: streamed, whole, in a stable order, for admins only.

use reqwest::StatusCode;

use crate::{
    fixtures::{self, agency},
    helpers::{TestApp, fresh_db},
};

/// Reads a download chunk by chunk, as a browser saves it, keeping only the
/// first two lines, the last line and the count.
async fn download(app: &TestApp, path: &str) -> (Vec<String>, String, usize) {
    let mut response = app.client.get(app.url(path)).send().await.expect("get");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .expect("disposition")
            .starts_with("attachment;")
    );
    let mut first = Vec::new();
    let mut partial = String::new();
    let mut last = String::new();
    let mut lines = 0;
    while let Some(chunk) = response.chunk().await.expect("chunk") {
        partial.push_str(std::str::from_utf8(&chunk).expect("utf-8"));
        while let Some(end) = partial.find('\n') {
            let line: String = partial.drain(..=end).collect();
            let line = line.trim_end().to_owned();
            if first.len() < 2 {
                first.push(line.clone());
            }
            last = line;
            lines += 1;
        }
    }
    assert!(partial.is_empty(), "the file ends with a whole line");
    (first, last, lines)
}

#[tokio::test]
async fn half_a_million_accounts_download_whole_first_to_last() {
    let db = fresh_db().await;
    let brand = fixtures::brand(db.clone()).await;
    let admin = agency(&brand).await;
    fixtures::many_accounts(&brand.db, 500_000).await;

    let (first, last, lines) = download(&admin, "/admin/exports/accounts.csv").await;
    assert_eq!(lines, 1 + 500_002, "a header and every account");
    assert!(
        first[0].starts_with("account_id,email,name,kind"),
        "{}",
        first[0]
    );
    assert!(
        first[1].contains(",maya@northwind.example,Maya,brand,Northwind Outdoor,owner,,active,"),
        "{}",
        first[1]
    );
    assert!(
        last.contains(",creator500000@example.com,Creator 500000,influencer,"),
        "{last}"
    );
}

#[tokio::test]
async fn campaigns_collaborations_and_payments_export_what_happened() {
    let db = fresh_db().await;
    let brand = fixtures::brand(db.clone()).await;
    let campaign = fixtures::published(&brand, &[]).await;
    let creator = fixtures::fitting_creator(&brand, "ana@lumen.example").await;
    let application = fixtures::apply(&creator, &campaign, "400")
        .await
        .location()
        .to_owned();
    fixtures::accept(&brand, &application, "450").await;
    let admin = agency(&brand).await;

    let (first, last, lines) = download(&admin, "/admin/exports/campaigns.csv").await;
    assert_eq!(lines, 2);
    assert!(first[0].starts_with("campaign_id,brand,title,status"));
    assert!(last.contains("Northwind Outdoor"), "{last}");
    assert!(
        last.contains(",1,1,"),
        "one application, one accepted: {last}"
    );

    let (_, last, lines) = download(&admin, "/admin/exports/collaborations.csv").await;
    assert_eq!(lines, 2);
    assert!(last.contains(",accepted,450.00,USD,"), "{last}");
    assert!(last.contains("ana@lumen.example"), "{last}");

    let (first, _, lines) = download(&admin, "/admin/exports/payments.csv").await;
    assert!(first[0].starts_with("transfer_id,effective_at,kind,account"));
    // Funding (cash in, brand funds) and the hold (brand funds to escrow).
    assert_eq!(lines, 1 + 4);

    assert_eq!(
        admin.get("/admin/exports/everything.csv").await.status,
        StatusCode::NOT_FOUND
    );
    for path in ["/admin/exports", "/admin/exports/accounts.csv"] {
        assert_eq!(brand.get(path).await.status, StatusCode::FORBIDDEN);
        assert_eq!(creator.get(path).await.status, StatusCode::FORBIDDEN);
    }
    let page = admin.get("/admin/exports").await;
    assert!(page.body.contains("href=\"/admin/exports/payments.csv\""));
}
