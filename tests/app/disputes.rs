//! Disputes: either side freezes a deliverable's money with a reason; the
//! agency settles it (release, refund or split) once, with a note both sides
//! read; nothing else moves it meanwhile.

use reqwest::StatusCode;

use crate::{
    collaborations::{collaboration, latest_submission, review, scores, submit},
    fixtures::{agency, assert_ledger_sound, backdate_drafts, balance},
    helpers::{TestApp, fresh_db},
};

fn settle_form<'a>(
    resolution: &'a str,
    to_creator: &'a str,
    note: &'a str,
    key: &'a str,
) -> [(&'a str, &'a str); 4] {
    [
        ("resolution", resolution),
        ("to_creator", to_creator),
        ("note", note),
        ("idempotency_key", key),
    ]
}

#[tokio::test]
async fn a_disputed_deliverable_is_frozen_until_the_agency_splits_it() {
    let db = fresh_db().await;
    let c = collaboration(db.clone()).await;
    let admin = agency(&c.brand).await;
    let first = &c.deliverables[0];
    submit(&c.creator, first, &[]).await.assert_redirect(first);

    let page = c.creator.get(first).await.body;
    assert!(
        page.contains(&format!(r#"href="{first}/dispute""#)),
        "{page}"
    );
    // The agency settles disputes; it doesn't open them.
    assert_eq!(
        admin.get(&format!("{first}/dispute")).await.status,
        StatusCode::FORBIDDEN
    );

    let empty = c
        .creator
        .post_form(&format!("{first}/dispute"), &[("reason", "")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains(r#"id="reason-error""#));
    let opened = c
        .creator
        .post_form(
            &format!("{first}/dispute"),
            &[(
                "reason",
                "The brand asked for a fourth round the brief doesn't allow.",
            )],
        )
        .await;
    let dispute = opened.location().to_owned();
    assert!(dispute.starts_with("/disputes/"), "{}", opened.body);
    let again = c
        .brand
        .post_form(&format!("{first}/dispute"), &[("reason", "Ours too.")])
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(
        again
            .body
            .contains("A dispute on this deliverable is open already")
    );

    // Frozen: approving doesn't release, and the clock doesn't approve.
    let round = latest_submission(&c.brand, first).await;
    review(&c.brand, &round, &scores("approve", ""))
        .await
        .assert_redirect(first);
    assert_eq!(balance(&c.brand, "creator_payable").await, 0);
    assert_eq!(balance(&c.brand, "escrow").await, 253_000);
    let notes = c.brand.get("/notifications").await.body;
    assert!(notes.contains("opened a dispute"), "{notes}");

    // Another brand sees nothing of it.
    let other = unfunded_brand_named(&c.brand).await;
    assert_eq!(other.get(&dispute).await.status, StatusCode::NOT_FOUND);
    // Only the agency settles.
    let k = uuid::Uuid::now_v7().to_string();
    let by_brand = c
        .brand
        .post_form(
            &format!("{dispute}/settle"),
            &settle_form("refund", "", "Mine.", &k),
        )
        .await;
    assert_eq!(by_brand.status, StatusCode::FORBIDDEN);

    let finance = admin.get("/admin/finance").await.body;
    assert!(
        finance.contains(&format!(r#"href="{dispute}""#)),
        "{finance}"
    );
    assert!(finance.contains("To settle"));

    for (resolution, to_creator, says) in [
        ("split", "", "Enter what of the $1,150.00 fee"),
        ("split", "1150", "between nothing and the whole fee"),
        ("split", "-5", "Enter an amount above zero"),
        ("keep", "", "Choose how the money is settled"),
    ] {
        let refused = admin
            .post_form(
                &format!("{dispute}/settle"),
                &settle_form(resolution, to_creator, "Note.", &k),
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{resolution} {to_creator}"
        );
        assert!(refused.body.contains(says), "{says}: {}", refused.body);
    }
    assert_eq!(balance(&c.brand, "escrow").await, 253_000);

    admin
        .post_form(
            &format!("{dispute}/settle"),
            &settle_form(
                "split",
                "800",
                "Three rounds were agreed; the fourth was extra work.",
                &k,
            ),
        )
        .await
        .assert_redirect(&dispute);
    // $800 to the creator; $350 and its agency fee back; the agency keeps its
    // fee on what was paid.
    assert_eq!(balance(&c.brand, "creator_payable").await, 80_000);
    assert_eq!(balance(&c.brand, "agency_revenue").await, 8_000);
    assert_eq!(balance(&c.brand, "escrow").await, 253_000 - 126_500);
    assert_eq!(
        balance(&c.brand, "brand_funds").await,
        10_000_000 - 253_000 + 38_500
    );

    // What went back is credited against the invoice.
    let credited: (i64, i64) =
        sqlx::query_as("select fee_minor, brand_fee_minor from credit_notes")
            .fetch_one(&c.brand.db)
            .await
            .expect("credit note");
    assert_eq!(credited, (35_000, 3_500));
    // A double click and a second settlement: nothing moves twice.
    admin
        .post_form(
            &format!("{dispute}/settle"),
            &settle_form("split", "800", "Again.", &k),
        )
        .await
        .assert_redirect(&dispute);
    let k2 = uuid::Uuid::now_v7().to_string();
    let twice = admin
        .post_form(
            &format!("{dispute}/settle"),
            &settle_form("release", "", "Changed my mind.", &k2),
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(balance(&c.brand, "creator_payable").await, 80_000);

    let seen = c.creator.get(&dispute).await.body;
    assert!(seen.contains("Split by amounts"), "{seen}");
    assert!(seen.contains("Three rounds were agreed"));
    assert!(
        !seen.contains("Settle the dispute"),
        "only the agency gets the form"
    );
    let notes = c.creator.get("/notifications").await.body;
    assert!(notes.contains("The agency settled the dispute"), "{notes}");
    assert_eq!(
        c.brand
            .count("select count(*) from audit_events where action in ('dispute.opened', 'admin.dispute_resolved')")
            .await,
        2
    );
    assert_ledger_sound(&db).await;
}

#[tokio::test]
async fn a_disputed_draft_is_not_approved_by_the_clock_and_blocks_cancelling() {
    let db = fresh_db().await;
    let c = collaboration(db.clone()).await;
    let first = &c.deliverables[0];
    submit(&c.creator, first, &[]).await.assert_redirect(first);
    c.brand
        .post_form(
            &format!("{first}/dispute"),
            &[("reason", "The draft shows a rival's logo.")],
        )
        .await;
    backdate_drafts(&db, 9, 6).await;
    assert_eq!(
        liaison::jobs::approve_silent_drafts(&db)
            .await
            .expect("pass"),
        0
    );

    // The creator can't walk away from a dispute with its money either.
    let k = uuid::Uuid::now_v7().to_string();
    let withdraw = c
        .creator
        .post_form(
            &format!("{}/withdraw", c.application),
            &[("reason", "Moving on."), ("idempotency_key", &k)],
        )
        .await;
    assert_eq!(withdraw.status, StatusCode::CONFLICT);
    assert!(
        withdraw.body.contains("A dispute is open"),
        "{}",
        withdraw.body
    );
    assert_eq!(balance(&c.brand, "escrow").await, 253_000);
}

async fn unfunded_brand_named(app: &TestApp) -> TestApp {
    let other = app.another_browser();
    other
        .signup_brand("kai@lumen.example", "Kai", "Lumen Skincare")
        .await
        .assert_redirect("/dashboard");
    other
}
