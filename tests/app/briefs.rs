use reqwest::StatusCode;

use crate::{
    fixtures::{brand, brief_form, campaign_with_brief, create, day, post},
    helpers::{PASSWORD, fresh_db},
};

#[tokio::test]
async fn the_first_brief_becomes_version_one_and_reads_clearly() {
    let db = fresh_db().await;
    let app = brand(db).await;
    let path = create(&app).await;
    let empty = app.get(&format!("{path}/brief")).await;
    assert!(empty.body.contains("No brief yet."));

    post(&app, &format!("{path}/brief"), &brief_form(""))
        .await
        .assert_redirect(&format!("{path}/brief"));

    let page = app.get(&format!("{path}/brief")).await;
    for text in [
        "Brief saved as version 1.",
        "Brief, version 1",
        "keep you dry for a decade",
        "2 × Instagram post, due",
        "1 × YouTube long video, due",
        "Show the jacket in real weather",
        "No competitor gear in shot",
        "#NorthwindOutdoor @northwind",
        "paid amplification (ads) for 30 days",
        "No work for competitors in outdoor apparel for 60 days.",
        "Reviews within 3 days; up to 2 revision rounds; scored on brief alignment, brand voice, disclosure; pay released when the brand approves each deliverable.",
    ] {
        assert!(page.body.contains(text), "missing {text:?}");
    }
    assert!(
        app.get(&path)
            .await
            .body
            .contains("The brief is at version 1")
    );
}

#[tokio::test]
async fn brief_errors_are_shown_by_their_fields_and_nothing_is_saved() {
    let db = fresh_db().await;
    let app = brand(db).await;
    let path = create(&app).await;
    let mut form: Vec<_> = brief_form("")
        .into_iter()
        .filter(|(k, _)| *k != "rubric")
        .map(|(k, v)| match k {
            "hashtags" => (k, "#ok not-a-tag".to_owned()),
            "deliverable_due_on" if !v.is_empty() => (k, day(400)),
            _ => (k, v),
        })
        .collect();
    form.push(("key_message", String::new()));
    form.retain(|(k, v)| *k != "key_message" || v.is_empty());

    let res = post(&app, &format!("{path}/brief"), &form).await;

    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["key_message", "deliverables", "hashtags", "rubric"] {
        assert!(
            res.body.contains(&format!(r#"id="{field}-error""#)),
            "no message for {field}"
        );
    }
    assert!(res.body.contains("make it due while the campaign runs"));
    assert!(
        res.body.contains(r##"value="#ok not-a-tag""##),
        "typed value kept"
    );
    assert!(
        res.body.contains("Show the jacket in real weather"),
        "textarea kept"
    );
    assert_eq!(app.count("select count(*) from brief_versions").await, 0);
}

#[tokio::test]
async fn publishing_needs_a_brief() {
    let db = fresh_db().await;
    let app = brand(db).await;
    let path = create(&app).await;

    let refused = app.post_form(&format!("{path}/publish"), &[]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body.contains("Write the brief before publishing"));

    post(&app, &format!("{path}/brief"), &brief_form("")).await;
    app.post_form(&format!("{path}/publish"), &[])
        .await
        .assert_redirect(&path);
    assert!(app.get(&path).await.body.contains("Open for applications"));
}

#[tokio::test]
async fn publishing_needs_a_future_deadline() {
    let db = fresh_db().await;
    let app = brand(db).await;
    let path = campaign_with_brief(&app).await;
    sqlx::query("update campaigns set application_deadline = current_date")
        .execute(&app.db)
        .await
        .expect("deadline today");

    let refused = app.post_form(&format!("{path}/publish"), &[]).await;

    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused
            .body
            .contains("application deadline must be in the future")
    );
}

#[tokio::test]
async fn once_published_each_change_needs_a_summary_and_makes_a_new_version() {
    let db = fresh_db().await;
    let app = brand(db).await;
    let path = campaign_with_brief(&app).await;
    app.post_form(&format!("{path}/publish"), &[]).await;

    let mut changed = brief_form("");
    for (k, v) in changed.iter_mut() {
        if *k == "key_message" {
            *v = "Northwind jackets keep you dry for ten years, and we repair them free.".into();
        }
    }
    let no_summary = post(&app, &format!("{path}/brief"), &changed).await;
    assert_eq!(no_summary.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_summary.body.contains(r#"id="change_summary-error""#));

    changed.retain(|(k, _)| *k != "change_summary");
    changed.push(("change_summary", "Repairs are now free.".into()));
    post(&app, &format!("{path}/brief"), &changed)
        .await
        .assert_redirect(&format!("{path}/brief"));

    let current = app.get(&format!("{path}/brief")).await;
    assert!(current.body.contains("Brief, version 2"));
    assert!(current.body.contains("Repairs are now free."));
    let first = app.get(&format!("{path}/brief/versions/1")).await;
    assert!(first.body.contains("This is an earlier version."));
    assert!(first.body.contains("for a decade"));
    let diff = app.get(&format!("{path}/brief/diff?from=1&to=2")).await;
    assert_eq!(diff.status, StatusCode::OK);
    assert!(
        diff.body.contains("for <del>a decade,</del><ins>ten years,</ins> and we repair <del>them.</del><ins>them free.</ins>"),
        "{}",
        diff.body
    );
    assert_eq!(
        app.get(&format!("{path}/brief/versions/9")).await.status,
        StatusCode::NOT_FOUND
    );

    let rewrite =
        sqlx::query("update brief_versions set key_message = 'rewritten' where version = 1")
            .execute(&app.db)
            .await;
    assert!(
        rewrite.is_err(),
        "versions are immutable in the database too"
    );
}

#[tokio::test]
async fn a_campaign_moves_from_draft_to_completed_one_step_at_a_time() {
    let db = fresh_db().await;
    let app = brand(db).await;
    let path = campaign_with_brief(&app).await;

    let early = app.post_form(&format!("{path}/complete"), &[]).await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    for (step, status) in [
        ("publish", "Open for applications"),
        ("close", "Closed to applications"),
        ("complete", "Completed"),
    ] {
        app.post_form(&format!("{path}/{step}"), &[])
            .await
            .assert_redirect(&path);
        assert!(app.get(&path).await.body.contains(status), "{step}");
    }
    let edit = app.get(&format!("{path}/brief/edit")).await;
    assert_eq!(
        edit.status,
        StatusCode::CONFLICT,
        "a finished campaign's brief is final"
    );

    app.post_form(&format!("{path}/archive"), &[])
        .await
        .assert_redirect(&path);
    assert!(
        !app.get("/campaigns").await.body.contains("Trail-tested"),
        "archived ones are hidden"
    );
}

#[tokio::test]
async fn influencers_see_published_campaigns_and_their_briefs_but_never_drafts() {
    let db = fresh_db().await;
    let app = brand(db).await;
    let path = campaign_with_brief(&app).await;
    let creator = app.another_browser();
    creator
        .signup_influencer("aisha@creators.example", "Aisha")
        .await;

    assert_eq!(
        creator.get(&format!("{path}/brief")).await.status,
        StatusCode::NOT_FOUND
    );
    app.post_form(&format!("{path}/publish"), &[]).await;

    let board = creator.get("/campaigns").await;
    assert!(board.body.contains("Trail-tested autumn jackets"));
    let brief = creator.get(&format!("{path}/brief")).await;
    assert_eq!(brief.status, StatusCode::OK);
    assert!(brief.body.contains("keep you dry"));
    assert!(!brief.body.contains("Edit the brief"));
    assert_eq!(
        creator.get(&format!("{path}/brief/edit")).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn another_brand_can_neither_read_nor_write_the_brief() {
    let db = fresh_db().await;
    let app = brand(db).await;
    let path = campaign_with_brief(&app).await;
    let rival = app.another_browser();
    rival
        .signup_brand("ana@lumen.example", "Ana", "Lumen Skincare")
        .await;

    assert_eq!(
        rival.get(&format!("{path}/brief")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        rival.get(&format!("{path}/brief/edit")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        rival
            .get(&format!("{path}/brief/diff?from=1&to=1"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let write = post(&rival, &format!("{path}/brief"), &brief_form("hijack")).await;
    assert_eq!(write.status, StatusCode::NOT_FOUND);
    assert_eq!(
        rival
            .post_form(&format!("{path}/publish"), &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.count("select count(*) from brief_versions").await, 1);

    let admin = app.another_browser();
    admin.create_admin("jordan@liaison.example").await;
    admin.login("jordan@liaison.example", PASSWORD).await;
    assert_eq!(
        admin.get(&format!("{path}/brief")).await.status,
        StatusCode::OK
    );
}
