//! Applying, deciding, withdrawing, and acknowledging new brief versions.

use reqwest::StatusCode;

use crate::{
    fixtures::{add_channel, apply, brand, brief_form, creator, fitting_creator, post, published},
    helpers::fresh_db,
};

fn id_of(path: &str) -> String {
    path.rsplit('/').next().expect("id").to_owned()
}

#[tokio::test]
async fn a_fitting_creator_applies_with_a_suggested_fee_once() {
    let db = fresh_db().await;
    let app = brand(db).await;
    let campaign = published(&app, &[("title", "Autumn trail series")]).await;
    let c = fitting_creator(&app, "aisha@creators.example").await;

    let form = c.get(&format!("{campaign}/apply")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("$2,300.00"),
        "2 posts at $400 and a video at $1,500"
    );
    assert!(form.body.contains(r#"value="2300.00""#));
    assert!(
        c.get(&campaign)
            .await
            .body
            .contains(&format!("{campaign}/apply"))
    );

    let res = apply(&c, &campaign, "2,300").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let application = res.location().to_owned();
    assert!(application.starts_with("/applications/"));
    let page = c.get(&application).await;
    assert!(page.body.contains("Application sent to Northwind Outdoor"));
    assert!(page.body.contains("$2,300.00"));
    assert!(page.body.contains("Withdraw my application"));
    assert!(
        c.get("/applications")
            .await
            .body
            .contains("Autumn trail series")
    );

    // One active application per campaign: the form leads to the one there is.
    c.get(&format!("{campaign}/apply"))
        .await
        .assert_redirect(&application);
    apply(&c, &campaign, "100")
        .await
        .assert_redirect(&application);
    assert_eq!(app.count("select count(*) from applications").await, 1);
    let acknowledged = app
        .count("select count(*) from brief_acknowledgements where version = 1")
        .await;
    assert_eq!(acknowledged, 1);
}

#[tokio::test]
async fn creators_outside_the_campaign_get_a_clear_reason_and_bad_input_is_kept() {
    let db = fresh_db().await;
    let app = brand(db).await;
    let campaign = published(&app, &[]).await;
    let nano = creator(&app, "nano@creators.example", "Nina").await;
    add_channel(
        &nano,
        &[
            ("platform", "instagram"),
            ("handle", "n"),
            ("followers", "5000"),
        ],
    )
    .await;
    let res = apply(&nano, &campaign, "100").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body
            .contains("This campaign is for other tiers than yours (Nano")
    );

    let empty = creator(&app, "new@creators.example", "Ned").await;
    assert!(
        empty
            .get(&format!("{campaign}/apply"))
            .await
            .body
            .contains("Add a channel with its figures")
    );

    let c = fitting_creator(&app, "aisha@creators.example").await;
    let res = c
        .post_form(
            &format!("{campaign}/applications"),
            &[
                ("pitch", "   "),
                ("proposed_fee", "0"),
                ("brief_version", ""),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Write your pitch"));
    assert!(res.body.contains("Enter your fee above zero."));
    assert!(res.body.contains("Confirm you have read the brief."));
    let stale = c
        .post_form(
            &format!("{campaign}/applications"),
            &[
                ("pitch", "Kept pitch"),
                ("proposed_fee", "900"),
                ("brief_version", "7"),
            ],
        )
        .await;
    assert!(
        stale
            .body
            .contains("The brief has changed since you opened it")
    );
    assert!(stale.body.contains("Kept pitch"));
    assert!(stale.body.contains(r#"value="900""#));
    assert_eq!(app.count("select count(*) from applications").await, 0);
}

#[tokio::test]
async fn the_brand_shortlists_accepts_within_budget_and_declines_with_a_reason() {
    let db = fresh_db().await;
    let app = brand(db).await;
    let campaign = published(&app, &[("budget", "3000"), ("creators_wanted", "2")]).await;
    let a = fitting_creator(&app, "aisha@creators.example").await;
    let first = apply(&a, &campaign, "2,300").await.location().to_owned();
    let b = fitting_creator(&app, "ben@creators.example").await;
    let second = apply(&b, &campaign, "1,000").await.location().to_owned();

    let list = app.get(&format!("{campaign}/applications")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("$3,000.00 still free"));
    assert!(list.body.contains("Micro"));
    let by_fee = app
        .get(&format!("{campaign}/applications?sort=fee"))
        .await
        .body;
    assert!(by_fee.find("$1,000.00") < by_fee.find("$2,300.00"));

    app.post_form(&format!("{first}/shortlist"), &[])
        .await
        .assert_redirect(&first);
    let shortlisted = app
        .get(&format!("{campaign}/applications?status=shortlisted"))
        .await
        .body;
    assert!(shortlisted.contains(&id_of(&first)));
    assert!(!shortlisted.contains(&id_of(&second)));

    crate::fixtures::accept(&app, &first, "2,200")
        .await
        .assert_accepted();
    let too_much = crate::fixtures::accept(&app, &second, "900").await;
    assert_eq!(too_much.status, StatusCode::CONFLICT);
    assert!(
        too_much
            .body
            .contains("more than the budget still free ($800.00 of $3,000.00)")
    );

    let no_reason = app
        .post_form(&format!("{second}/decline"), &[("reason", " ")])
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body.contains("Say why"));
    app.post_form(
        &format!("{second}/decline"),
        &[("reason", "We need video creators this time.")],
    )
    .await
    .assert_redirect(&second);

    let seen = b.get(&second).await.body;
    assert!(seen.contains("Declined"));
    assert!(seen.contains("We need video creators this time."));
    let accepted = a.get(&first).await.body;
    assert!(accepted.contains("$2,200.00"));
    // After acceptance, withdrawing ends a collaboration: it takes a reason.
    let refused = a.post_form(&format!("{first}/withdraw"), &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains(r#"id="reason-error""#));
    // Declined, Ben may apply again.
    assert_eq!(
        apply(&b, &campaign, "700").await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn two_accepts_at_once_never_exceed_the_creators_wanted() {
    let db = fresh_db().await;
    let app = brand(db).await;
    let campaign = published(&app, &[("creators_wanted", "1")]).await;
    let a = fitting_creator(&app, "aisha@creators.example").await;
    let first = apply(&a, &campaign, "1000").await.location().to_owned();
    let b = fitting_creator(&app, "ben@creators.example").await;
    let second = apply(&b, &campaign, "1000").await.location().to_owned();
    let other_browser = app.another_browser();
    other_browser
        .login("maya@northwind.example", crate::helpers::PASSWORD)
        .await;

    let (x, y) = tokio::join!(
        crate::fixtures::accept(&app, &first, "1000"),
        crate::fixtures::accept(&other_browser, &second, "1000"),
    );
    let statuses = [x.status, y.status];
    assert!(statuses.contains(&StatusCode::SEE_OTHER), "{statuses:?}");
    assert!(statuses.contains(&StatusCode::CONFLICT), "{statuses:?}");
    assert_eq!(
        app.count("select count(*) from applications where status = 'accepted'")
            .await,
        1
    );
}

#[tokio::test]
async fn only_the_applicant_and_the_brand_see_an_application() {
    let db = fresh_db().await;
    let app = brand(db).await;
    let campaign = published(&app, &[]).await;
    let a = fitting_creator(&app, "aisha@creators.example").await;
    let application = apply(&a, &campaign, "1000").await.location().to_owned();

    let other_creator = fitting_creator(&app, "ben@creators.example").await;
    assert_eq!(
        other_creator.get(&application).await.status,
        StatusCode::NOT_FOUND
    );
    let rival = app.another_browser();
    rival
        .signup_brand("ana@lumen.example", "Ana", "Lumen")
        .await;
    assert_eq!(rival.get(&application).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        rival.get(&format!("{campaign}/applications")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        crate::fixtures::accept(&rival, &application, "1")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        crate::fixtures::accept(&a, &application, "1").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post_form(&format!("{application}/withdraw"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        a.get(&format!("{campaign}/applications")).await.status,
        StatusCode::FORBIDDEN
    );

    a.post_form(&format!("{application}/withdraw"), &[])
        .await
        .assert_redirect(&application);
    assert!(a.get(&application).await.body.contains("Withdrawn"));
}

#[tokio::test]
async fn applicants_confirm_each_new_brief_version_and_the_brand_sees_who_did() {
    let db = fresh_db().await;
    let app = brand(db).await;
    let campaign = published(&app, &[]).await;
    let a = fitting_creator(&app, "aisha@creators.example").await;
    let application = apply(&a, &campaign, "1000").await.location().to_owned();

    let res = post(
        &app,
        &format!("{campaign}/brief"),
        &brief_form("Due dates moved a week later"),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

    let page = a.get(&application).await.body;
    assert!(page.contains("Brief updated to v2"));
    assert!(page.contains("brief/diff?from=1&to=2"));
    assert!(
        a.get("/applications")
            .await
            .body
            .contains("Brief updated to v2")
    );
    assert!(
        app.get(&format!("{campaign}/applications"))
            .await
            .body
            .contains("(latest v2)")
    );

    let campaign_id = id_of(&campaign);
    a.post_form(
        &format!("/campaigns/{campaign_id}/brief/acknowledge"),
        &[("version", "2")],
    )
    .await
    .assert_redirect(&application);
    assert!(
        !a.get(&application)
            .await
            .body
            .contains("Brief updated to v2")
    );
    let list = app.get(&format!("{campaign}/applications")).await.body;
    assert!(list.contains("v2"));
    assert!(!list.contains("(latest v2)"));
    assert_eq!(
        app.count(
            "select count(*) from audit_events where action = 'application.brief_acknowledged'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn accepting_copies_the_brief_deliverables_and_dashboards_show_what_is_due() {
    let db = fresh_db().await;
    let app = brand(db).await;
    let campaign = published(&app, &[("title", "Autumn trail series")]).await;
    let a = fitting_creator(&app, "aisha@creators.example").await;
    let application = apply(&a, &campaign, "2,300").await.location().to_owned();
    assert!(!a.get(&application).await.body.contains("Deliverables due"));
    assert_eq!(app.count("select count(*) from deliverables").await, 0);

    crate::fixtures::accept(&app, &application, "2,300")
        .await
        .assert_accepted();

    assert_eq!(app.count("select count(*) from deliverables").await, 2);
    let page = a.get(&application).await.body;
    for shown in [
        "Deliverables",
        "Instagram",
        "Long video",
        "Carousel, at least one photo in rain.",
    ] {
        assert!(page.contains(shown), "{shown} missing");
    }
    // Later brief edits don't change agreed work.
    post(
        &app,
        &format!("{campaign}/brief"),
        &brief_form("One more story"),
    )
    .await;
    assert_eq!(
        app.count("select count(*) from deliverables where brief_version = 1")
            .await,
        2
    );

    assert!(
        a.get("/dashboard")
            .await
            .body
            .contains("Autumn trail series</a>: 2 × Instagram post")
    );
    assert!(app.get("/dashboard").await.body.contains("by Aisha"));
    sqlx::query("update deliverables set due_on = current_date - 1 where position = 0")
        .execute(&app.db)
        .await
        .expect("backdate");
    assert!(a.get("/dashboard").await.body.contains("Overdue"));
    assert!(app.get(&application).await.body.contains("Overdue"));
    // Other parties see none of it.
    let other = fitting_creator(&app, "ben@creators.example").await;
    assert!(
        !other
            .get("/dashboard")
            .await
            .body
            .contains("Autumn trail series")
    );
}
