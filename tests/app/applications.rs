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

/// The applications a list page shows, in order.
fn listed(body: &str) -> Vec<String> {
    body.split(r#"<td><a href="/applications/"#)
        .skip(1)
        .map(|rest| rest[..36].to_owned())
        .collect()
}

/// Every page of a list from `path` on, each page's applications in order.
async fn every_page(app: &crate::helpers::TestApp, path: &str) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    let mut next = Some(path.to_owned());
    while let Some(path) = next {
        let page = app.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        pages.push(listed(&page.body));
        next = crate::helpers::next_page(&page.body);
        assert!(pages.len() < 10, "the pages never end: {next:?}");
    }
    pages
}

/// `n` creators with profiles (scores from 40 up in steps, one in ten
/// without a channel and so unscored) applying to `campaign`, a minute apart,
/// one in ten shortlisted, with fees in seven steps: for lists at scale.
async fn many_applications(app: &crate::helpers::TestApp, campaign: &str, n: i32) {
    crate::fixtures::many_accounts(&app.db, n).await;
    sqlx::raw_sql(&format!(
        "insert into influencer_profiles (id, user_id, score, tier)
         select gen_random_uuid(), u.id,
                case when k % 10 <> 0 then (40 + k % 50)::int2 end,
                case when k % 10 <> 0 then 'micro' end
           from users u,
                lateral (select split_part(substr(u.email, 8), '@', 1)::int as k) x
          where u.email like 'creator%@example.com';
         insert into applications (id, campaign_id, profile_id, pitch, proposed_fee_minor, currency,
                                   status, decided_at, created_at)
         select gen_random_uuid(), '{id}', p.id, 'Pitch', 100000 + (k % 7) * 5000, 'USD',
                case when k % 10 = 0 then 'shortlisted' else 'submitted' end,
                case when k % 10 = 0 then now() end, now() - make_interval(mins => k)
           from influencer_profiles p join users u on u.id = p.user_id,
                lateral (select split_part(substr(u.email, 8), '@', 1)::int as k) x
          where u.email like 'creator%@example.com';",
        id = id_of(campaign)
    ))
    .execute(&app.db)
    .await
    .expect("applications");
}

#[tokio::test]
async fn a_campaign_with_many_applications_lists_them_fifty_a_page_in_every_order() {
    let db = fresh_db().await;
    let app = brand(db).await;
    let campaign = published(&app, &[]).await;
    many_applications(&app, &campaign, 120).await;
    let list = format!("{campaign}/applications");

    let first = app.get(&list).await.body;
    assert!(first.contains("All (120)"), "{first}");
    assert!(first.contains("Submitted (108)"));
    assert!(first.contains("Shortlisted (12)"));
    assert!(first.contains("All: 1–50 of 120"));
    let pages = every_page(&app, &list).await;
    assert_eq!(
        pages.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![50, 50, 20]
    );
    let expect = |order: &'static str| {
        let db = app.db.clone();
        let campaign = id_of(&campaign);
        async move {
            sqlx::query_scalar::<_, uuid::Uuid>(&format!(
                "select a.id from applications a join influencer_profiles p on p.id = a.profile_id
                  where a.campaign_id = '{campaign}' {order}"
            ))
            .fetch_all(&db)
            .await
            .expect("ids")
            .into_iter()
            .map(|id| id.to_string())
            .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        pages.concat(),
        expect("order by a.created_at desc, a.id desc").await
    );
    let second = app
        .get(&crate::helpers::next_page(&first).expect("a next page"))
        .await
        .body;
    assert!(second.contains("All: 51–100 of 120"), "{second}");
    assert!(second.contains("Page 2"));
    assert!(second.contains(&format!(r#"href="{list}">First page"#)));

    let by_fee = every_page(&app, &format!("{list}?sort=fee")).await.concat();
    assert_eq!(by_fee, expect("order by a.proposed_fee_minor, a.id").await);
    let by_score = every_page(&app, &format!("{list}?sort=score"))
        .await
        .concat();
    assert_eq!(
        by_score,
        expect("order by coalesce(p.score, -1) desc, a.id desc").await
    );
    let shortlisted = every_page(&app, &format!("{list}?status=shortlisted&sort=fee")).await;
    assert_eq!(
        shortlisted.concat(),
        expect("and a.status = 'shortlisted' order by a.proposed_fee_minor, a.id").await
    );
    let submitted_by_score = every_page(&app, &format!("{list}?status=submitted&sort=score")).await;
    assert_eq!(
        submitted_by_score.concat(),
        expect("and a.status = 'submitted' order by coalesce(p.score, -1) desc, a.id desc").await
    );
    // The status links keep the order chosen and start from the first page.
    let page = app.get(&format!("{list}?sort=fee")).await.body;
    assert!(page.contains(&format!(
        r#"href="{list}?status=shortlisted&#38;sort=fee">Shortlisted (12)"#
    )));

    // A cursor that is garbage starts the list over; another brand sees nothing.
    let garbage = app
        .get(&format!("{list}?after=yesterday&page=9"))
        .await
        .body;
    assert_eq!(listed(&garbage), pages[0]);
    let rival = app.another_browser();
    rival
        .signup_brand("ana@lumen.example", "Ana", "Lumen Skincare")
        .await;
    assert_eq!(rival.get(&list).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        rival.get(&format!("{list}?sort=fee")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_creator_pages_through_their_applications_by_status() {
    let db = fresh_db().await;
    let app = brand(db).await;
    let campaign = published(&app, &[]).await;
    let c = fitting_creator(&app, "aisha@creators.example").await;
    // Sixty-one applications to one campaign: sixty withdrawn over two
    // months, then one waiting.
    sqlx::query(
        "insert into applications (id, campaign_id, profile_id, pitch, proposed_fee_minor,
                                   currency, status, created_at)
         select gen_random_uuid(), $1, p.id, 'Pitch', 90000, 'USD', 'withdrawn',
                now() - make_interval(days => i)
           from influencer_profiles p join users u on u.id = p.user_id,
                generate_series(1, 60) i
          where u.email = 'aisha@creators.example'",
    )
    .bind(uuid::Uuid::parse_str(&id_of(&campaign)).expect("id"))
    .execute(&app.db)
    .await
    .expect("applications");
    let waiting = apply(&c, &campaign, "1,000").await.location().to_owned();

    let first = c.get("/applications").await.body;
    assert!(first.contains("All (61)"), "{first}");
    assert!(first.contains("Submitted (1)"));
    assert!(first.contains("Withdrawn (60)"));
    assert!(!first.contains("Accepted ("), "only statuses there are");
    let pages = every_page(&c, "/applications").await;
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), vec![50, 11]);
    assert_eq!(pages[0][0], id_of(&waiting), "newest first");
    let all: std::collections::HashSet<_> = pages.concat().into_iter().collect();
    assert_eq!(all.len(), 61);

    let submitted = c.get("/applications?status=submitted").await.body;
    assert_eq!(listed(&submitted), vec![id_of(&waiting)]);
    assert!(submitted.contains("Submitted: 1–1 of 1"));
    let none = c.get("/applications?status=accepted").await.body;
    assert!(
        none.contains("None of your applications is accepted."),
        "{none}"
    );
}

/// The counts kept per campaign and per profile against a count of the
/// applications.
async fn assert_counts_agree(db: &sqlx::PgPool, when: &str) {
    for (table, key) in [
        ("campaign_application_counts", "campaign_id"),
        ("profile_application_counts", "profile_id"),
    ] {
        let differ: Vec<(uuid::Uuid, String, String)> = sqlx::query_as(&format!(
            "with counted as (
                 select {key},
                        count(*) filter (where status = 'submitted') as submitted,
                        count(*) filter (where status = 'shortlisted') as shortlisted,
                        count(*) filter (where status = 'accepted') as accepted,
                        count(*) filter (where status = 'declined') as declined,
                        count(*) filter (where status = 'withdrawn') as withdrawn,
                        count(*) filter (where status = 'cancelled') as cancelled
                   from applications group by {key})
             select {key}, row(k.submitted, k.shortlisted, k.accepted, k.declined, k.withdrawn,
                               k.cancelled)::text,
                    row(a.submitted, a.shortlisted, a.accepted, a.declined, a.withdrawn,
                        a.cancelled)::text
               from {table} k full join counted a using ({key})
              where (coalesce(k.submitted, 0), coalesce(k.shortlisted, 0), coalesce(k.accepted, 0),
                     coalesce(k.declined, 0), coalesce(k.withdrawn, 0), coalesce(k.cancelled, 0))
                    is distinct from
                    (coalesce(a.submitted, 0), coalesce(a.shortlisted, 0), coalesce(a.accepted, 0),
                     coalesce(a.declined, 0), coalesce(a.withdrawn, 0), coalesce(a.cancelled, 0))"
        ))
        .fetch_all(db)
        .await
        .expect("counts");
        assert!(
            differ.is_empty(),
            "{when}, {table}: kept, counted: {differ:?}"
        );
    }
    // The scores kept beside the applications, for score order.
    crate::fixtures::assert_kept_agrees(db, "applicant_scores", "application_id", when).await;
}

#[tokio::test]
async fn the_counts_kept_per_campaign_and_profile_agree_with_the_applications_through_every_move() {
    let db = fresh_db().await;
    let app = brand(db).await;
    let campaign = published(&app, &[("creators_wanted", "3")]).await;
    let other = published(&app, &[("title", "Another campaign")]).await;
    assert_counts_agree(&app.db, "published").await;

    let a = fitting_creator(&app, "aisha@creators.example").await;
    let b = fitting_creator(&app, "ben@creators.example").await;
    let c = fitting_creator(&app, "cleo@creators.example").await;
    let first = apply(&a, &campaign, "1,000").await.location().to_owned();
    let second = apply(&b, &campaign, "1,000").await.location().to_owned();
    let third = apply(&c, &campaign, "1,000").await.location().to_owned();
    apply(&a, &other, "900").await;
    assert_counts_agree(&app.db, "applied").await;
    app.post_form(&format!("{first}/shortlist"), &[]).await;
    crate::fixtures::accept(&app, &first, "1,000")
        .await
        .assert_accepted();
    app.post_form(
        &format!("{second}/decline"),
        &[("reason", "Not this time.")],
    )
    .await;
    c.post_form(&format!("{third}/withdraw"), &[]).await;
    assert_counts_agree(&app.db, "decided").await;
    // Applying again after withdrawing, then the brand ends the collaboration.
    apply(&c, &campaign, "1,100").await;
    app.post_form(
        &format!("{first}/cancel"),
        &[
            ("reason", "The launch moved to next year."),
            ("idempotency_key", &uuid::Uuid::now_v7().to_string()),
        ],
    )
    .await
    .assert_redirect(&first);
    assert_eq!(
        app.count("select count(*) from applications where status = 'cancelled'")
            .await,
        1
    );
    assert_counts_agree(&app.db, "cancelled").await;
    let list = app.get(&format!("{campaign}/applications")).await.body;
    assert!(list.contains("All (4)"), "{list}");
    assert!(list.contains("Cancelled (1)"));

    // Many rows at once, moved between campaigns, and removed.
    many_applications(&app, &campaign, 40).await;
    assert_counts_agree(&app.db, "bulk insert").await;
    // Creators rescored, one scored for the first time and one losing it.
    sqlx::raw_sql(
        "update influencer_profiles set score = coalesce(score, 50) + 1, tier = coalesce(tier, 'nano')
          where score is null or score < 99;
         update influencer_profiles set score = null, tier = null
          where id = (select id from influencer_profiles order by id limit 1);",
    )
    .execute(&app.db)
    .await
    .expect("rescored");
    assert_counts_agree(&app.db, "rescored").await;
    sqlx::raw_sql(&format!(
        "update applications set status = 'declined', decision_reason = 'Full.'
          where status = 'shortlisted';
         update applications set campaign_id = '{other}'
          where status = 'submitted' and pitch = 'Pitch' and proposed_fee_minor = 100000;
         update applications set profile_id = (select id from influencer_profiles
                                                 order by id limit 1)
          where status = 'declined' and pitch = 'Pitch';
         delete from applications where status = 'withdrawn';",
        other = id_of(&other)
    ))
    .execute(&app.db)
    .await
    .expect("moves");
    assert_counts_agree(&app.db, "bulk moves").await;
    sqlx::query("delete from campaigns where id = $1")
        .bind(uuid::Uuid::parse_str(&id_of(&other)).expect("id"))
        .execute(&app.db)
        .await
        .expect("a campaign deleted with its applications");
    assert_counts_agree(&app.db, "campaign deleted").await;
    sqlx::query(
        "delete from influencer_profiles
          where user_id = (select id from users where email = 'ben@creators.example')",
    )
    .execute(&app.db)
    .await
    .expect("a profile deleted with its applications");
    assert_counts_agree(&app.db, "profile deleted").await;
}
