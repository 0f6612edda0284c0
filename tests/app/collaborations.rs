//! Delivering in rounds, structured feedback with action items, publishing,
//! ratings both ways, messages and notifications.

use reqwest::StatusCode;
use sqlx::PgPool;

use crate::{
    fixtures::{apply, brand, fitting_creator, published},
    helpers::{TestApp, fresh_db},
};

pub struct Collaboration {
    pub brand: TestApp,
    pub creator: TestApp,
    pub campaign: String,
    pub application: String,
    /// The Instagram posts, then the YouTube video.
    pub deliverables: Vec<String>,
}

/// A published campaign, a fitting creator's application, accepted.
pub async fn collaboration(db: PgPool) -> Collaboration {
    let app = brand(db).await;
    let campaign = published(
        &app,
        &[
            ("title", "Autumn trail series"),
            (
                "landing_url",
                "https://northwind.example/autumn?ref=creators",
            ),
        ],
    )
    .await;
    let creator = fitting_creator(&app, "aisha@creators.example").await;
    let res = apply(&creator, &campaign, "2300").await;
    let application = res.location().to_owned();
    crate::fixtures::accept(&app, &application, "2300")
        .await
        .assert_accepted();
    let deliverables = sqlx::query_scalar::<_, String>(
        "select '/deliverables/' || id from deliverables order by position",
    )
    .fetch_all(&app.db)
    .await
    .expect("deliverables");
    Collaboration {
        brand: app,
        creator,
        campaign,
        application,
        deliverables,
    }
}

pub async fn submit(
    c: &TestApp,
    deliverable: &str,
    fields: &[(&str, &str)],
) -> crate::helpers::Page {
    let mut all: Vec<(&str, &str)> = [
        ("content_url", "https://drive.example/aisha/draft"),
        ("caption", "#ad Rain all weekend, dry all weekend."),
        ("notes", "Shot on the Ridge trail."),
        // Read only for video and audio deliverables.
        ("video_disclosure", "overlay 0:00-0:05, spoken at 0:03"),
    ]
    .into_iter()
    .filter(|(k, _)| !fields.iter().any(|(f, _)| f == k))
    .collect();
    all.extend_from_slice(fields);
    c.post_form(&format!("{deliverable}/submissions"), &all)
        .await
}

/// The newest round of a deliverable: the path its review is posted to.
pub async fn latest_submission(app: &TestApp, deliverable: &str) -> String {
    let id = deliverable.rsplit('/').next().expect("id");
    sqlx::query_scalar::<_, String>(
        "select '/submissions/' || id || '/reviews' from submissions
          where deliverable_id = $1::uuid order by round desc limit 1",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .expect("submission")
}

pub fn scores(decision: &str, changes: &str) -> Vec<(&'static str, String)> {
    vec![
        ("decision", decision.into()),
        ("score_brief_alignment", "4".into()),
        ("score_brand_voice", "3".into()),
        ("score_disclosure", "2".into()),
        ("comment_disclosure", "The #ad is at the end.".into()),
        ("keep", "The rain shots: they sell the jacket.".into()),
        ("changes", changes.into()),
        ("why", "Trust is the campaign's goal.".into()),
    ]
}

pub async fn review(
    app: &TestApp,
    submission: &str,
    form: &[(&'static str, String)],
) -> crate::helpers::Page {
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_form(submission, &fields).await
}

#[tokio::test]
async fn a_draft_goes_through_rounds_of_directed_feedback_to_publication() {
    let db = fresh_db().await;
    let c = collaboration(db).await;
    let posts = &c.deliverables[0];

    // The first draft: the brand hears of it.
    submit(&c.creator, posts, &[]).await.assert_redirect(posts);
    let page = c.creator.get(posts).await.body;
    assert!(page.contains("Round 1 sent to Northwind Outdoor"));
    assert!(page.contains("Submitted"));
    let brand_nav = c.brand.get("/dashboard").await.body;
    assert!(brand_nav.contains("Drafts to review"));
    assert!(brand_nav.contains("round 1 by Aisha"));
    let awaiting = async |when: &str, expected: i64| {
        crate::fixtures::assert_kept_agrees(
            &c.brand.db,
            "awaiting_reviews",
            "deliverable_id",
            when,
        )
        .await;
        let kept: i64 = sqlx::query_scalar("select count(*) from awaiting_reviews")
            .fetch_one(&c.brand.db)
            .await
            .expect("count the drafts awaiting review");
        assert_eq!(kept, expected, "{when}");
    };
    awaiting("round 1 sent", 1).await;

    // Request changes: one cites a don't, one is marked outside the brief.
    let submission = latest_submission(&c.brand, posts).await;
    let form = scores(
        "request_changes",
        "[don't 1] Crop out the other brand's backpack\n[out of scope] Add a TikTok cut too",
    );
    review(&c.brand, &submission, &form)
        .await
        .assert_redirect(posts);
    awaiting("changes requested", 0).await;
    let items: Vec<(i16, Option<String>, Option<String>, bool)> = sqlx::query_as(
        "select number, cite_kind, cite_text, out_of_scope from action_items order by number",
    )
    .fetch_all(&c.brand.db)
    .await
    .expect("items");
    assert_eq!(
        items,
        vec![
            (
                1,
                Some("dont".into()),
                Some("No competitor gear in shot".into()),
                false
            ),
            (2, None, None, true)
        ]
    );
    let page = c.creator.get(posts).await.body;
    assert!(page.contains("Changes requested"));
    assert!(page.contains("Don&#39;t 1: No competitor gear in shot"));
    assert!(page.contains("Outside the brief"));
    assert!(page.contains("The rain shots: they sell the jacket."));
    assert!(page.contains("Trust is the campaign&#39;s goal."));
    assert!(page.contains("Submit round 2"));

    // Round 2 answers each open item: one done, one with a reply.
    submit(
        &c.creator,
        posts,
        &[
            ("content_url", "https://drive.example/aisha/draft-2"),
            ("item_1_status", "done"),
            ("item_2_status", "reply"),
            (
                "item_2_reply",
                "A TikTok cut is a new deliverable: happy to quote it.",
            ),
        ],
    )
    .await
    .assert_redirect(posts);
    let answers: Vec<(String, Option<String>)> =
        sqlx::query_as("select answer, reply from action_items order by number")
            .fetch_all(&c.brand.db)
            .await
            .expect("answers");
    assert_eq!(answers[0], ("done".into(), None));
    assert_eq!(answers[1].0, "replied");
    // The brand sees the answers beside the new draft, and reviews it.
    let page = c.brand.get(posts).await.body;
    assert!(page.contains("Answers to round 1's requests"));
    assert!(page.contains("happy to quote it"));
    assert!(page.contains("https://drive.example/aisha/draft-2"));
    assert!(page.contains("Review round 2"));
    awaiting("round 2 sent", 1).await;
    let submission = latest_submission(&c.brand, posts).await;
    review(&c.brand, &submission, &scores("approve", ""))
        .await
        .assert_redirect(posts);
    awaiting("approved", 0).await;

    // Publishing needs a real address, then the brand hears of it.
    let res = c
        .creator
        .post_form(
            &format!("{posts}/published"),
            &[("live_url", "instagram.com/p/1")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("starting with https://"));
    assert!(res.body.contains(r#"value="instagram.com/p/1""#));
    c.creator
        .post_form(
            &format!("{posts}/published"),
            &[("live_url", "https://instagram.com/p/1")],
        )
        .await
        .assert_redirect(posts);
    let status: String = sqlx::query_scalar("select status from deliverables where position = 0")
        .fetch_one(&c.brand.db)
        .await
        .expect("status");
    assert_eq!(status, "published");
    assert!(
        c.brand
            .get(posts)
            .await
            .body
            .contains("Live at <a href=\"https://instagram.com/p/1\"")
    );
    let notes = c.brand.get("/notifications").await.body;
    assert!(notes.contains("Aisha published 2 × Instagram post"));
    assert!(notes.contains("Aisha sent round 2"));
    let audit = c
        .brand
        .count("select count(*) from audit_events where action like 'deliverable.%'")
        .await;
    assert_eq!(audit, 5, "2 submissions, 2 reviews, 1 publication");
}

/// Runs the video deliverable straight through: submitted, approved, published.
pub async fn deliver_and_publish(c: &Collaboration, deliverable: &str) {
    submit(&c.creator, deliverable, &[])
        .await
        .assert_redirect(deliverable);
    let submission = latest_submission(&c.brand, deliverable).await;
    review(&c.brand, &submission, &scores("approve", ""))
        .await
        .assert_redirect(deliverable);
    let res = c
        .creator
        .post_form(
            &format!("{deliverable}/published"),
            &[("live_url", "https://youtube.com/watch?v=1")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}

#[tokio::test]
async fn both_sides_rate_a_completed_collaboration_and_creators_stay_anonymous() {
    let db = fresh_db().await;
    let c = collaboration(db).await;
    let rating = [
        ("brief_clarity", "5"),
        ("feedback_quality", "4"),
        ("communication", "5"),
        ("payment_timeliness", "3"),
        ("fairness", "4"),
        ("comment", "Clear brief, quick answers."),
    ];
    let ratings = format!("{}/ratings", c.application);
    // Not before every deliverable is live.
    c.creator
        .post_form(&ratings, &rating)
        .await
        .assert_redirect(&c.application);
    assert_eq!(c.brand.count("select count(*) from brand_ratings").await, 0);

    // The brand's dashboard counts the creator to rate once every
    // deliverable is live, from a count the database keeps.
    let to_rate = || {
        c.brand
            .count("select coalesce(sum(to_rate), 0) from campaign_application_counts")
    };
    deliver_and_publish(&c, &c.deliverables[0]).await;
    assert_eq!(to_rate().await, 0, "one deliverable is still to come");
    deliver_and_publish(&c, &c.deliverables[1]).await;
    assert_eq!(to_rate().await, 1);
    assert!(
        c.brand
            .get("/dashboard")
            .await
            .body
            .contains("Rate 1 finished collaboration")
    );
    crate::fixtures::assert_kept_agrees(
        &c.brand.db,
        "campaign_application_counts",
        "campaign_id",
        "published",
    )
    .await;
    let page = c.creator.get(&c.application).await.body;
    assert!(page.contains("Rate Northwind Outdoor"));

    // A score outside 1-5 is refused with the form kept.
    let mut bad = rating.to_vec();
    bad[3] = ("payment_timeliness", "9");
    let res = c.creator.post_form(&ratings, &bad).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body
            .contains("Score Payment timeliness with a whole number from 1 to 5.")
    );
    assert!(res.body.contains("Clear brief, quick answers."));

    c.creator
        .post_form(&ratings, &rating)
        .await
        .assert_redirect(&format!("{}#ratings", c.application));
    // Once only.
    c.creator.post_form(&ratings, &rating).await;
    assert_eq!(c.brand.count("select count(*) from brand_ratings").await, 1);

    c.brand
        .post_form(
            &ratings,
            &[
                ("quality", "5"),
                ("reliability", "5"),
                ("communication", "4"),
                ("results", "4"),
                ("comment", "Great rain footage."),
            ],
        )
        .await
        .assert_redirect(&format!("{}#ratings", c.application));
    assert_eq!(to_rate().await, 0, "rated");
    crate::fixtures::assert_kept_agrees(
        &c.brand.db,
        "campaign_application_counts",
        "campaign_id",
        "rated",
    )
    .await;
    let creator_page = c.creator.get(&c.application).await.body;
    assert!(creator_page.contains("Northwind Outdoor's rating of your work"));
    assert!(creator_page.contains("Great rain footage."));
    assert!(creator_page.contains("Your rating of Northwind Outdoor"));
    // The brand never sees a single creator's rating.
    let brand_page = c.brand.get(&c.application).await.body;
    assert!(!brand_page.contains("Clear brief, quick answers."));
    assert!(brand_page.contains("Creators rate brands anonymously"));

    // Averages show from three ratings on.
    let campaign = c.creator.get(&c.campaign).await.body;
    assert!(campaign.contains("Fewer than three creators have rated Northwind Outdoor"));
    for _ in 0..2 {
        sqlx::query(
            "with a as (
                 insert into applications (id, campaign_id, profile_id, pitch, proposed_fee_minor,
                                           currency, status)
                 select gen_random_uuid(), campaign_id, profile_id, pitch, proposed_fee_minor,
                        currency, 'withdrawn'
                   from applications limit 1
                 returning id, campaign_id)
             insert into brand_ratings (application_id, brand_id, brief_clarity, feedback_quality,
                                        communication, payment_timeliness, fairness)
             select a.id, c.brand_id, 4, 4, 4, 4, 4 from a join campaigns c on c.id = a.campaign_id",
        )
        .execute(&c.brand.db)
        .await
        .expect("rating");
    }
    let campaign = c.creator.get(&c.campaign).await.body;
    assert!(campaign.contains("by 3 creators"), "{campaign}");
    assert!(campaign.contains("Brief clarity: <strong>4.3</strong>"));
}

#[tokio::test]
async fn revision_rounds_are_capped_by_the_brief() {
    let db = fresh_db().await;
    let c = collaboration(db).await;
    let posts = &c.deliverables[0];
    // The brief allows 2 revision rounds: 3 drafts in all.
    for round in 1..=3 {
        let answers: Vec<(String, String)> = if round == 1 {
            Vec::new()
        } else {
            vec![(format!("item_{}_status", round - 1), "done".to_owned())]
        };
        let fields: Vec<(&str, &str)> = answers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        submit(&c.creator, posts, &fields)
            .await
            .assert_redirect(posts);
        let submission = latest_submission(&c.brand, posts).await;
        let res = review(
            &c.brand,
            &submission,
            &scores("request_changes", "Brighter light"),
        )
        .await;
        if round < 3 {
            res.assert_redirect(posts);
        } else {
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(res.body.contains("revision rounds are used up"));
            assert!(
                res.body
                    .contains("This is the last round the brief allows (3)")
            );
        }
    }
    // Even if the deliverable were sent back, a fourth draft is refused.
    sqlx::query("update deliverables set status = 'changes_requested' where position = 0")
        .execute(&c.brand.db)
        .await
        .expect("send back");
    let page = c.creator.get(posts).await.body;
    assert!(page.contains("All 3 rounds the brief allows are used"));
    let res = submit(&c.creator, posts, &[("item_3_status", "done")]).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(
        res.body
            .contains("The brief allows 2 revision rounds and all 3 rounds are used")
    );
    assert_eq!(c.brand.count("select count(*) from submissions").await, 3);
}

#[tokio::test]
async fn bad_feedback_and_drafts_get_clear_errors_with_the_form_kept() {
    let db = fresh_db().await;
    let c = collaboration(db).await;
    let posts = &c.deliverables[0];

    let res = submit(
        &c.creator,
        posts,
        &[
            ("content_url", "ftp://drive.example/x"),
            ("caption", "My caption stays"),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("full address starting with https://"));
    assert!(res.body.contains("My caption stays"));
    let long = "x".repeat(5001);
    let res = submit(&c.creator, posts, &[("caption", &long)]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("5,000 characters or fewer"));
    assert_eq!(c.brand.count("select count(*) from submissions").await, 0);

    submit(&c.creator, posts, &[]).await.assert_redirect(posts);
    let submission = latest_submission(&c.brand, posts).await;
    let mut form = scores("", "");
    form[2] = ("score_brand_voice", "6".into());
    let res = review(&c.brand, &submission, &form).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body
            .contains("Choose whether to approve the draft or request changes.")
    );
    assert!(
        res.body
            .contains("Score Brand voice with a whole number from 1 to 5.")
    );
    assert!(
        res.body.contains("The rain shots: they sell the jacket."),
        "keep is kept"
    );

    let res = review(&c.brand, &submission, &scores("request_changes", "\n  \n")).await;
    assert!(res.body.contains("List at least one change"));
    let res = review(
        &c.brand,
        &submission,
        &scores("request_changes", "ok\n[do 7] Smile"),
    )
    .await;
    assert!(
        res.body
            .contains("Line 2: The brief has 2 do&#39;s: cite a number from 1 to 2.")
    );
    assert!(res.body.contains("[do 7] Smile"));
    assert_eq!(c.brand.count("select count(*) from reviews").await, 0);

    // An open item must be answered in the next round.
    review(
        &c.brand,
        &submission,
        &scores("request_changes", "[disclosure] #ad first"),
    )
    .await
    .assert_redirect(posts);
    let res = submit(&c.creator, posts, &[("item_1_status", "reply")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body
            .contains("Say why item 1 isn&#39;t done, or mark it done.")
    );
    let res = submit(&c.creator, posts, &[]).await;
    assert!(res.body.contains("Answer item 1: mark it done, or reply."));
    assert_eq!(c.brand.count("select count(*) from submissions").await, 1);

    let messages = format!("{}/messages", c.application);
    let res = c.creator.post_form(&messages, &[("body", "   ")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Write a message first."));
    let res = c
        .creator
        .post_form(&messages, &[("body", &"y".repeat(5001))])
        .await;
    assert!(
        res.body
            .contains("Keep the message to 5,000 characters or fewer")
    );

    // The database holds the same rules.
    let refused = sqlx::query("update review_scores set score = 6")
        .execute(&c.brand.db)
        .await;
    assert!(refused.is_err());
    let refused = sqlx::query(
        "insert into reviews (id, submission_id, decision, on_time)
         select gen_random_uuid(), id, 'request_changes', true from submissions",
    )
    .execute(&c.brand.db)
    .await;
    assert!(refused.is_err(), "a review requesting changes needs items");
}

#[tokio::test]
async fn only_the_two_parties_see_and_act_on_a_collaboration() {
    let db = fresh_db().await;
    let c = collaboration(db).await;
    let posts = c.deliverables[0].clone();
    submit(&c.creator, &posts, &[])
        .await
        .assert_redirect(&posts);
    let submission = latest_submission(&c.brand, &posts).await;

    // The creator can't review, the brand can't submit or publish.
    let res = review(&c.creator, &submission, &scores("approve", "")).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(
        submit(&c.brand, &posts, &[]).await.status,
        StatusCode::FORBIDDEN
    );
    let res = c
        .brand
        .post_form(
            &format!("{posts}/published"),
            &[("live_url", "https://x.example")],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    // Another brand and another creator get 404 for every id.
    let rival = c.brand.another_browser();
    rival
        .signup_brand("max@rival.example", "Max", "Rival Gear")
        .await
        .assert_redirect("/dashboard");
    let stranger = c.brand.another_browser();
    stranger
        .signup_influencer("sam@creators.example", "Sam")
        .await;
    let messages = format!("{}/messages", c.application);
    let ratings = format!("{}/ratings", c.application);
    for other in [&rival, &stranger] {
        for path in [&posts, &messages, &c.application] {
            assert_eq!(
                other.get(path).await.status,
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
        let posts_to = [
            (
                format!("{posts}/submissions"),
                vec![("content_url", "https://x.example")],
            ),
            (submission.clone(), vec![("decision", "approve")]),
            (
                format!("{posts}/published"),
                vec![("live_url", "https://x.example")],
            ),
            (messages.clone(), vec![("body", "hello")]),
            (ratings.clone(), vec![("quality", "1")]),
        ];
        for (path, fields) in posts_to {
            let res = other.post_form(&path, &fields).await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
        }
    }
    assert_eq!(c.brand.count("select count(*) from reviews").await, 0);
    assert_eq!(c.brand.count("select count(*) from messages").await, 0);

    // Agency admins see it all, and may not review in the brand's place.
    let admin = c.brand.another_browser();
    admin.create_admin("ops@liaison.example").await;
    admin
        .login("ops@liaison.example", crate::helpers::PASSWORD)
        .await;
    assert_eq!(admin.get(&posts).await.status, StatusCode::OK);
    let res = review(&admin, &submission, &scores("approve", "")).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn messages_and_notifications_reach_the_other_side() {
    let db = fresh_db().await;
    let c = collaboration(db).await;
    // Applying and accepting have notified each side already.
    let brand_notes = c.brand.get("/notifications").await.body;
    assert!(brand_notes.contains("Aisha applied to “Autumn trail series” asking $2,300.00."));
    let creator_home = c.creator.get("/dashboard").await.body;
    assert!(creator_home.contains(r#"Notifications <span class="badge badge-count">1<span class="visually-hidden"> unread</span>"#));

    let messages = format!("{}/messages", c.application);
    c.creator
        .post_form(&messages, &[("body", "Can I shoot in the Alps instead?")])
        .await
        .assert_redirect(&format!("{messages}#latest"));
    c.brand
        .post_form(&messages, &[("body", "Yes, as long as it rains.")])
        .await;
    let thread = c.creator.get(&messages).await.body;
    let first = thread.find("Can I shoot in the Alps").expect("first");
    let second = thread.find("as long as it rains").expect("second");
    assert!(first < second, "oldest first");
    assert!(thread.contains("Maya"));
    let notes = c.creator.get("/notifications").await.body;
    assert!(notes.contains("Maya wrote about “Autumn trail series”: Yes, as long as it rains."));
    assert!(notes.contains("Northwind Outdoor accepted your application"));

    // Opening one marks it read and leads to it; then all are marked read.
    let id: String = sqlx::query_scalar(
        "select n.id::text from notifications n join users u on u.id = n.user_id
          where u.email = 'aisha@creators.example' and n.kind = 'message_received'",
    )
    .fetch_one(&c.brand.db)
    .await
    .expect("notification");
    c.creator
        .post_form("/notifications/read", &[("id", &id)])
        .await
        .assert_redirect(&messages);
    assert!(
        c.creator
            .get("/dashboard")
            .await
            .body
            .contains(r#"badge-count">1<"#)
    );
    c.creator
        .post_form("/notifications/read", &[])
        .await
        .assert_redirect("/notifications");
    let home = c.creator.get("/dashboard").await.body;
    assert!(!home.contains("badge-count"));
    // Another user's notification is not theirs to open.
    let brand_note: String = sqlx::query_scalar(
        "select n.id::text from notifications n join users u on u.id = n.user_id
          where u.email = 'maya@northwind.example' limit 1",
    )
    .fetch_one(&c.brand.db)
    .await
    .expect("brand notification");
    let res = c
        .creator
        .post_form("/notifications/read", &[("id", &brand_note)])
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);

    // A new brief version tells the active applicant.
    let mut form = crate::fixtures::brief_form("Two posts become three");
    form[4] = ("deliverable_quantity", "3".into());
    crate::fixtures::post(&c.brand, &format!("{}/brief", c.campaign), &form).await;
    assert!(
        c.creator
            .get("/notifications")
            .await
            .body
            .contains("updated the brief of “Autumn trail series” to version 2")
    );
}

#[tokio::test]
async fn reminders_go_out_once_and_late_reviews_count_against_the_brand() {
    let db = fresh_db().await;
    let c = collaboration(db).await;
    let posts = &c.deliverables[0];
    submit(&c.creator, posts, &[]).await.assert_redirect(posts);
    // The draft was sent five days ago against a three-day promise; the video is due tomorrow.
    sqlx::raw_sql(
        "alter table submissions disable trigger submissions_immutable;
         update submissions set submitted_at = now() - interval '5 days',
                                review_due_at = now() - interval '2 days';
         alter table submissions enable trigger submissions_immutable;
         update deliverables set due_on = current_date + 1 where position = 1;",
    )
    .execute(&c.brand.db)
    .await
    .expect("age the draft");

    let sent = liaison::notifications::reminders::send_due(&c.brand.db)
        .await
        .expect("reminders");
    assert_eq!(sent, 2, "one review overdue, one deadline");
    let again = liaison::notifications::reminders::send_due(&c.brand.db)
        .await
        .expect("reminders");
    assert_eq!(again, 0, "each reminder is sent once");

    let dashboard = c.brand.get("/dashboard").await.body;
    assert!(dashboard.contains("Review overdue"));
    assert!(dashboard.contains("1 overdue now count as late"));
    assert!(
        c.brand
            .get("/notifications")
            .await
            .body
            .contains("round 1 draft for “Autumn trail series” was due a review")
    );
    let creator_dashboard = c.creator.get("/dashboard").await.body;
    assert!(creator_dashboard.contains("Drafts waiting for review"));
    assert!(creator_dashboard.contains("Review overdue"));
    assert!(
        c.creator
            .get("/notifications")
            .await
            .body
            .contains("Your YouTube long video for “Autumn trail series” is due")
    );

    // Reviewing late is recorded as late, on the round and in the brand's figure.
    let submission = latest_submission(&c.brand, posts).await;
    review(&c.brand, &submission, &scores("approve", ""))
        .await
        .assert_redirect(posts);
    assert!(
        c.creator
            .get(posts)
            .await
            .body
            .contains(r#"<span class="badge badge-overdue">Late</span>"#)
    );
    // The brand's record counts reviews from its snapshot, taken every ten minutes.
    liaison::db::snapshot::refresh(&c.brand.db, liaison::db::snapshot::Snapshot::TrackRecords)
        .await
        .expect("take the snapshot");
    let campaign = c.creator.get(&c.campaign).await.body;
    assert!(campaign.contains("Reviews within the promised time: <strong>0%</strong> of 1"));
}

#[tokio::test]
async fn the_creator_sees_their_feedback_grow_across_collaborations() {
    let db = fresh_db().await;
    let c = collaboration(db).await;
    let empty = c.creator.get("/feedback").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("No reviews yet."));
    assert_eq!(c.brand.get("/feedback").await.status, StatusCode::FORBIDDEN);

    let posts = &c.deliverables[0];
    submit(&c.creator, posts, &[]).await;
    let submission = latest_submission(&c.brand, posts).await;
    review(
        &c.brand,
        &submission,
        &scores(
            "request_changes",
            "[disclosure] #ad at the start\n[out of scope] A TikTok too",
        ),
    )
    .await;
    submit(
        &c.creator,
        posts,
        &[("item_1_status", "done"), ("item_2_status", "done")],
    )
    .await;
    let submission = latest_submission(&c.brand, posts).await;
    let mut better = scores("approve", "");
    better[3] = ("score_disclosure", "5".into());
    review(&c.brand, &submission, &better).await;

    let page = c.creator.get("/feedback").await.body;
    assert!(page.contains("The disclosure rule</strong>: 1 request"));
    assert!(page.contains("Outside the brief (scope creep)</strong>: 1 request"));
    assert!(
        page.contains("Disclosure: 3.5 of 5"),
        "both reviews this month average 3.5"
    );
    assert!(!page.contains("<svg"), "one month is no trend yet");
    assert!(page.contains("Your reviews, newest first"));
    assert!(!page.contains("Older reviews"), "two reviews fit one page");
    // Past the oldest review (a link kept from long ago): the way back.
    let past = c
        .creator
        .get("/feedback?before=0_00000000-0000-0000-0000-000000000000")
        .await
        .body;
    assert!(past.contains("No older reviews."));
    assert!(past.contains("href=\"/feedback#reviews-heading\">Newest reviews</a>"));
    let stale = c.creator.get("/feedback?before=last-tuesday").await.body;
    assert!(stale.contains("Your reviews, newest first"));

    crate::fixtures::assert_kept_agrees(&c.brand.db, "creator_reviews", "review_id", "reviewed")
        .await;

    // With an older review the scores become a chart. Reviews are immutable,
    // so the copy kept under the creator is aged by hand with it.
    sqlx::raw_sql(
        "alter table reviews disable trigger reviews_immutable;
         update reviews set created_at = created_at - interval '40 days'
          where id = (select id from reviews order by created_at limit 1);
         alter table reviews enable trigger reviews_immutable;
         update creator_reviews k set reviewed_at = r.created_at
           from reviews r where r.id = k.review_id;",
    )
    .execute(&c.brand.db)
    .await
    .expect("age a review");
    let page = c.creator.get("/feedback").await.body;
    assert!(page.contains("<svg"));
    assert!(page.contains("Average score per criterion by month"));
    assert!(page.contains("Disclosure: latest 5.0 of 5"));
    crate::fixtures::assert_kept_agrees(&c.brand.db, "creator_reviews", "review_id", "aged").await;
}

#[tokio::test]
async fn two_reviews_of_one_draft_at_once_record_one() {
    let db = fresh_db().await;
    let c = collaboration(db).await;
    let posts = &c.deliverables[0];
    submit(&c.creator, posts, &[]).await.assert_redirect(posts);
    let submission = latest_submission(&c.brand, posts).await;
    let colleague = c.brand.another_browser();
    colleague
        .login("maya@northwind.example", crate::helpers::PASSWORD)
        .await;
    let approve = scores("approve", "");
    let changes = scores("request_changes", "Brighter light");
    let (first, second) = tokio::join!(
        review(&c.brand, &submission, &approve),
        review(&colleague, &submission, &changes),
    );
    let mut statuses = [first.status, second.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT]);
    let refused = if first.status == StatusCode::CONFLICT {
        first
    } else {
        second
    };
    assert!(
        refused
            .body
            .contains("This draft has been reviewed already.")
    );
    assert_eq!(c.brand.count("select count(*) from reviews").await, 1);
}

#[tokio::test]
async fn two_collaborations_of_one_campaign_finishing_at_once_are_both_counted_to_rate() {
    let db = fresh_db().await;
    let c = collaboration(db.clone()).await;
    let noor = fitting_creator(&c.brand, "noor@creators.example").await;
    let second = apply(&noor, &c.campaign, "1000")
        .await
        .location()
        .to_owned();
    crate::fixtures::accept(&c.brand, &second, "1000")
        .await
        .assert_accepted();
    let accepted: Vec<uuid::Uuid> =
        sqlx::query_scalar("select id from applications where status = 'accepted' order by id")
            .fetch_all(&db)
            .await
            .expect("accepted");
    assert_eq!(accepted.len(), 2);

    // Each transaction publishes the last deliverables of one collaboration.
    // The second waits for the first's lock on the campaign's counts, then
    // counts with the first's work committed: both are waiting for a rating.
    let publish = "update deliverables set status = 'published', live_url = 'https://example.com/p'
                    where application_id = $1";
    let mut first = db.begin().await.expect("begin");
    sqlx::query(publish)
        .bind(accepted[0])
        .execute(&mut *first)
        .await
        .expect("publish the first");
    let pool = db.clone();
    let other = accepted[1];
    let waiting = tokio::spawn(async move {
        let mut tx = pool.begin().await.expect("begin");
        sqlx::query(publish)
            .bind(other)
            .execute(&mut *tx)
            .await
            .expect("publish the second");
        tx.commit().await.expect("commit the second");
    });
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(!waiting.is_finished(), "the second waits for the first");
    first.commit().await.expect("commit the first");
    waiting.await.expect("the second finishes");

    let to_rate = c
        .brand
        .count("select coalesce(sum(to_rate), 0) from campaign_application_counts")
        .await;
    assert_eq!(to_rate, 2);
    crate::fixtures::assert_kept_agrees(
        &db,
        "campaign_application_counts",
        "campaign_id",
        "both published",
    )
    .await;
}
