//! Ending a collaboration early: the brand cancels, or the creator withdraws
//! after acceptance; what is still held returns to the brand, once. And the
//! brand's own split of the fee across the deliverables at acceptance.

use reqwest::StatusCode;

use crate::{
    collaborations::{collaboration, latest_submission, review, scores, submit},
    fixtures::{apply, assert_ledger_sound, balance, brand, fitting_creator, published},
    helpers::{TestApp, fresh_db},
};

fn key() -> String {
    uuid::Uuid::now_v7().to_string()
}

async fn end(
    app: &TestApp,
    application: &str,
    how: &str,
    reason: &str,
    key: &str,
) -> crate::helpers::Page {
    app.post_form(
        &format!("{application}/{how}"),
        &[("reason", reason), ("idempotency_key", key)],
    )
    .await
}

#[tokio::test]
async fn a_brand_cancels_before_any_work_is_approved_and_gets_the_escrow_back_once() {
    let c = collaboration(fresh_db().await).await;
    let funds_before_accept = 10_000_000;
    assert_eq!(
        balance(&c.brand, "brand_funds").await,
        funds_before_accept - 253_000
    );

    // No reason: refused beside the field, nothing moved.
    let k = key();
    let refused = end(&c.brand, &c.application, "cancel", "  ", &k).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains(r#"id="reason-error""#),
        "{}",
        refused.body
    );
    assert_eq!(balance(&c.brand, "escrow").await, 253_000);

    // The creator can't cancel for the brand.
    let theirs = end(&c.creator, &c.application, "cancel", "Not mine to end.", &k).await;
    assert_eq!(theirs.status, StatusCode::FORBIDDEN);

    end(
        &c.brand,
        &c.application,
        "cancel",
        "The product launch moved to spring.",
        &k,
    )
    .await
    .assert_redirect(&c.application);
    assert_eq!(balance(&c.brand, "brand_funds").await, funds_before_accept);
    assert_eq!(balance(&c.brand, "escrow").await, 0);
    assert_eq!(
        balance(&c.brand, "agency_revenue").await,
        0,
        "no fee on work not done"
    );

    // A double click: the first answer, nothing moved twice.
    end(
        &c.brand,
        &c.application,
        "cancel",
        "The product launch moved to spring.",
        &k,
    )
    .await
    .assert_redirect(&c.application);
    assert_eq!(balance(&c.brand, "brand_funds").await, funds_before_accept);
    assert_eq!(
        c.brand
            .count("select count(*) from ledger_transfers where kind = 'refund'")
            .await,
        1
    );

    let statuses: Vec<String> = sqlx::query_scalar("select status from deliverables")
        .fetch_all(&c.brand.db)
        .await
        .expect("statuses");
    assert!(statuses.iter().all(|s| s == "cancelled"), "{statuses:?}");
    let page = c.creator.get(&c.application).await.body;
    assert!(page.contains("Northwind Outdoor cancelled it on"), "{page}");
    assert!(page.contains("The product launch moved to spring."));
    assert!(
        page.contains("<dt>Still held in escrow</dt><dd>$0.00</dd>"),
        "{page}"
    );
    let notes = c.creator.get("/notifications").await.body;
    assert!(
        notes.contains("Northwind Outdoor cancelled the collaboration on “Autumn trail series”. $2,530.00 of the escrow went back"),
        "{notes}"
    );
    // No more drafts on cancelled work.
    let late = submit(&c.creator, &c.deliverables[0], &[]).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(
        late.body.contains("This collaboration has ended"),
        "{}",
        late.body
    );
    assert_eq!(
        c.brand
            .count("select count(*) from audit_events where action = 'collaboration.cancelled'")
            .await,
        1
    );
    // The invoice stays as issued; a credit note says what came back.
    let (credit, number, fee, brand_fee): (String, String, i64, i64) = sqlx::query_as(
        "select '/credit-notes/' || id, number, fee_minor, brand_fee_minor from credit_notes",
    )
    .fetch_one(&c.brand.db)
    .await
    .expect("credit note");
    assert!(
        number.starts_with("CN-") && number.ends_with("-000001"),
        "{number}"
    );
    assert_eq!((fee, brand_fee), (230_000, 23_000));
    let note = c.brand.get(&credit).await.body;
    assert!(
        note.contains("$2,530.00") && note.contains("The product launch moved to spring."),
        "{note}"
    );
    assert!(c.brand.get("/billing").await.body.contains(&number));
    assert_eq!(c.creator.get(&credit).await.status, StatusCode::NOT_FOUND);
    let pdf = c.brand.get(&format!("{credit}/pdf")).await;
    assert!(
        pdf.body.starts_with("%PDF-1.4") && pdf.body.contains(&format!("(Credit note {number})"))
    );
    // The budget is free again.
    let seen_by_brand = c.brand.get(&c.application).await.body;
    assert!(
        seen_by_brand.contains("0 of 8 creators accepted"),
        "{seen_by_brand}"
    );
    assert_ledger_sound(&c.brand.db).await;
}

#[tokio::test]
async fn a_brand_cannot_cancel_approved_work_or_a_draft_waiting_for_it() {
    let c = collaboration(fresh_db().await).await;
    let first = &c.deliverables[0];
    submit(&c.creator, first, &[]).await.assert_redirect(first);

    let waiting = end(
        &c.brand,
        &c.application,
        "cancel",
        "Changed our minds.",
        &key(),
    )
    .await;
    assert_eq!(waiting.status, StatusCode::CONFLICT);
    assert!(
        waiting.body.contains("A draft is waiting for your review"),
        "{}",
        waiting.body
    );
    assert!(
        waiting.body.contains("Changed our minds."),
        "what was typed is kept"
    );

    let round = latest_submission(&c.brand, first).await;
    review(&c.brand, &round, &scores("approve", ""))
        .await
        .assert_redirect(first);
    let approved = end(
        &c.brand,
        &c.application,
        "cancel",
        "Changed our minds.",
        &key(),
    )
    .await;
    assert_eq!(approved.status, StatusCode::CONFLICT);
    assert!(
        approved
            .body
            .contains("Part of the work is approved already")
    );
    assert_eq!(
        c.brand
            .count("select count(*) from applications where status = 'accepted'")
            .await,
        1
    );
    assert_eq!(
        c.brand
            .count("select count(*) from ledger_transfers where kind = 'refund'")
            .await,
        0
    );
    assert_ledger_sound(&c.brand.db).await;
}

#[tokio::test]
async fn a_creator_who_withdraws_keeps_what_was_released_and_the_rest_returns() {
    let c = collaboration(fresh_db().await).await;
    let first = &c.deliverables[0];
    submit(&c.creator, first, &[]).await.assert_redirect(first);
    let round = latest_submission(&c.brand, first).await;
    review(&c.brand, &round, &scores("approve", ""))
        .await
        .assert_redirect(first);
    let payable = balance(&c.brand, "creator_payable").await;
    assert_eq!(payable, 115_000, "half of the $2,300 fee");

    // Before acceptance a withdrawal needs no reason; after it, one.
    let bare = c
        .creator
        .post_form(&format!("{}/withdraw", c.application), &[])
        .await;
    assert_eq!(bare.status, StatusCode::UNPROCESSABLE_ENTITY);
    let k = key();
    end(
        &c.creator,
        &c.application,
        "withdraw",
        "I broke my camera and can't film the video.",
        &k,
    )
    .await
    .assert_redirect(&c.application);
    assert_eq!(balance(&c.brand, "creator_payable").await, payable);
    assert_eq!(balance(&c.brand, "escrow").await, 0);
    // The second half and its agency fee went back.
    assert_eq!(balance(&c.brand, "brand_funds").await, 10_000_000 - 126_500);
    let statuses: Vec<(i16, String)> =
        sqlx::query_as("select position, status from deliverables order by position")
            .fetch_all(&c.brand.db)
            .await
            .expect("statuses");
    assert_eq!(statuses[0].1, "approved");
    assert_eq!(statuses[1].1, "cancelled");
    let notes = c.brand.get("/notifications").await.body;
    assert!(notes.contains("Aisha"), "{notes}");
    assert!(notes.contains("withdrew from the collaboration"), "{notes}");
    assert!(notes.contains("I broke my camera"));
    let page = c.brand.get(&c.application).await.body;
    assert!(page.contains("withdrew on"), "{page}");
    assert_ledger_sound(&c.brand.db).await;
}

#[tokio::test]
async fn cancelling_and_approving_at_once_leave_one_consistent_outcome() {
    // The brand's two tabs: one approves the last draft, one cancels. The
    // deliverable lock decides: either the approval lands (and the cancel is
    // refused) or the cancel lands (and the review finds the work ended).
    for _ in 0..3 {
        let c = collaboration(fresh_db().await).await;
        let first = &c.deliverables[0];
        submit(&c.creator, first, &[]).await.assert_redirect(first);
        let round = latest_submission(&c.brand, first).await;
        let form = scores("approve", "");
        let k = key();
        let (approved, cancelled) = tokio::join!(
            review(&c.brand, &round, &form),
            end(&c.brand, &c.application, "cancel", "Budget cut.", &k),
        );
        let won = [
            approved.status == StatusCode::SEE_OTHER,
            cancelled.status == StatusCode::SEE_OTHER,
        ];
        assert_eq!(
            won.iter().filter(|w| **w).count(),
            1,
            "{:?} {:?}",
            approved.status,
            cancelled.status
        );
        let refunds = c
            .brand
            .count("select count(*) from ledger_transfers where kind = 'refund'")
            .await;
        let releases = c
            .brand
            .count("select count(*) from ledger_transfers where kind = 'release'")
            .await;
        assert_eq!((refunds, releases), if won[1] { (1, 0) } else { (0, 1) });
        assert_ledger_sound(&c.brand.db).await;
    }
}

#[tokio::test]
async fn a_brand_sets_each_deliverables_part_of_the_fee_at_acceptance() {
    let app = brand(fresh_db().await).await;
    let campaign = published(&app, &[("title", "Autumn trail series")]).await;
    let creator = fitting_creator(&app, "aisha@creators.example").await;
    let application = apply(&creator, &campaign, "2300")
        .await
        .location()
        .to_owned();

    let page = app.get(&application).await.body;
    assert_eq!(page.matches(r#"name="shares""#).count(), 2, "{page}");

    let accept = |shares: [&'static str; 2]| {
        let app = &app;
        let application = &application;
        async move {
            let k = uuid::Uuid::now_v7().to_string();
            app.post_form(
                &format!("{application}/accept"),
                &[
                    ("agreed_fee", "2300"),
                    ("shares", shares[0]),
                    ("shares", shares[1]),
                    ("idempotency_key", &k),
                ],
            )
            .await
        }
    };
    for (shares, says) in [
        (["1000", "1000"], "The parts add up to $2,000.00"),
        (["2300", ""], "Give every deliverable its part"),
        (
            ["-100", "2400"],
            "Deliverable 1: Enter an amount above zero",
        ),
        (["1.001", "2298.999"], "Deliverable 1"),
    ] {
        let refused = accept(shares).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{shares:?}"
        );
        assert!(refused.body.contains(says), "{shares:?}: {}", refused.body);
        assert!(
            refused.body.contains(&format!(r#"value="{}""#, shares[0])),
            "kept"
        );
        assert_eq!(app.count("select count(*) from escrow_holds").await, 0);
    }

    accept(["1800", "500"]).await.assert_accepted();
    let shares: Vec<(i64, i64)> = sqlx::query_as(
        "select s.fee_minor, s.brand_fee_minor from escrow_shares s
           join deliverables d on d.id = s.deliverable_id order by d.position",
    )
    .fetch_all(&app.db)
    .await
    .expect("shares");
    // The agency's fee follows the brand's split.
    assert_eq!(shares, [(180_000, 18_000), (50_000, 5_000)]);
    assert_ledger_sound(&app.db).await;
}

#[tokio::test]
async fn an_acceptance_and_a_withdrawal_at_once_leave_one_outcome_and_money_to_match() {
    for _ in 0..3 {
        let app = brand(fresh_db().await).await;
        let campaign = published(&app, &[("title", "Autumn trail series")]).await;
        let creator = fitting_creator(&app, "aisha@creators.example").await;
        let application = apply(&creator, &campaign, "2300")
            .await
            .location()
            .to_owned();
        let withdraw = format!("{application}/withdraw");
        let (accepted, withdrawn) = tokio::join!(
            crate::fixtures::accept(&app, &application, "2300"),
            creator.post_form(&withdraw, &[]),
        );
        let status: String = sqlx::query_scalar("select status from applications")
            .fetch_one(&app.db)
            .await
            .expect("status");
        let held = balance(&app, "escrow").await;
        match status.as_str() {
            "accepted" => {
                assert_eq!(accepted.status, StatusCode::SEE_OTHER);
                // Whether the withdrawal read the page before or after the
                // acceptance, it is told that ending now takes a reason.
                assert!(
                    [StatusCode::UNPROCESSABLE_ENTITY, StatusCode::CONFLICT]
                        .contains(&withdrawn.status),
                    "{}",
                    withdrawn.status
                );
                assert!(withdrawn.body.contains(r#"id="reason-error""#));
                assert_eq!(held, 253_000);
            }
            "withdrawn" => {
                assert_eq!(withdrawn.status, StatusCode::SEE_OTHER);
                assert_eq!(accepted.status, StatusCode::CONFLICT);
                assert_eq!(held, 0, "nothing held for a withdrawn application");
                assert_eq!(app.count("select count(*) from invoices").await, 0);
            }
            other => panic!("unexpected status {other}"),
        }
        assert_ledger_sound(&app.db).await;
    }
}

#[tokio::test]
async fn two_approvals_at_once_release_a_share_once() {
    let c = collaboration(fresh_db().await).await;
    let first = &c.deliverables[0];
    submit(&c.creator, first, &[]).await.assert_redirect(first);
    let id: uuid::Uuid = first.rsplit('/').next().expect("id").parse().expect("uuid");
    let release = || {
        let db = c.brand.db.clone();
        async move {
            let mut tx = db.begin().await.expect("begin");
            let released = liaison::billing::escrow::release(
                &mut tx,
                id,
                liaison::domain::ReleaseOn::Approval,
                None,
            )
            .await
            .expect("release");
            tx.commit().await.expect("commit");
            released
        }
    };
    let tasks: Vec<_> = (0..6).map(|_| tokio::spawn(release())).collect();
    let mut released = 0;
    for task in tasks {
        released += usize::from(task.await.expect("task").is_some());
    }
    assert_eq!(released, 1);
    assert_eq!(balance(&c.brand, "creator_payable").await, 115_000);
    assert_ledger_sound(&c.brand.db).await;
}
