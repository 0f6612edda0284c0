//! The creator's business profile: editing, channels and snapshots, tiers,
//! the authenticity assessment, verification, rate cards, the media kit.

use reqwest::StatusCode;

use crate::{
    fixtures::{add_channel, channel_id, creator, profile_form},
    helpers::{fresh_db, spawn},
};

#[tokio::test]
async fn the_profile_is_saved_and_shown_to_its_owner() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    let c = creator(&app, "aisha@creators.example", "Aisha").await;

    let empty = c.get("/profile").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(
        empty
            .body
            .contains("No channels yet. Add your first channel")
    );
    assert!(
        empty.body.contains(r#"value="aisha""#),
        "a handle is suggested"
    );

    c.post_form("/profile", &profile_form(&[]))
        .await
        .assert_redirect("/profile");
    let page = c.get("/profile").await;
    for shown in [
        "Profile saved.",
        "Aisha Patel",
        "Trail running and honest gear tests",
        "Lisbon, PT",
        "trail running, outdoor gear",
        "English, Portuguese",
        "Patel Media",
    ] {
        assert!(page.body.contains(shown), "{shown} missing");
    }
    // The new name is in the navigation at once.
    assert!(
        c.get("/dashboard")
            .await
            .body
            .contains("Welcome, Aisha Patel")
    );
    let niches: Vec<String> = sqlx::query_scalar("select niches from influencer_profiles")
        .fetch_one(&app.db)
        .await
        .expect("niches");
    assert_eq!(niches, ["trail running", "outdoor gear"]);
}

#[tokio::test]
async fn bad_profile_input_is_refused_next_to_the_field_and_kept() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    let c = creator(&app, "aisha@creators.example", "Aisha").await;
    let long_bio = "x".repeat(10_000);
    let res = c
        .post_form(
            "/profile",
            &profile_form(&[
                ("bio", long_bio.as_str()),
                ("country", "Portugal"),
                ("hours_per_week", "200"),
                ("website", "aisha.example"),
                ("headline", "Still here"),
            ]),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Keep the bio to 5,000 characters or fewer (this has 10,000).",
        "Use two-letter country codes",
        "Enter the hours as a whole number from 0 to 168.",
        "Enter the website as a full address",
    ] {
        assert!(res.body.contains(message), "{message} missing");
    }
    assert!(
        res.body.contains(r#"value="Still here""#),
        "typed values are kept"
    );
    let headline: String = sqlx::query_scalar("select headline from influencer_profiles")
        .fetch_one(&app.db)
        .await
        .expect("headline");
    assert_eq!(headline, "", "nothing is half-saved");
}

#[tokio::test]
async fn two_creators_cannot_share_a_media_kit_address() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    let a = creator(&app, "aisha@creators.example", "Aisha").await;
    a.post_form("/profile", &profile_form(&[]))
        .await
        .assert_redirect("/profile");
    let b = creator(&app, "ben@creators.example", "Ben").await;
    let res = b
        .post_form("/profile", &profile_form(&[("display_name", "Ben")]))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body
            .contains("Another creator has this address already")
    );
}

#[tokio::test]
async fn a_channel_starts_with_a_snapshot_and_keeps_every_update() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    let c = creator(&app, "aisha@creators.example", "Aisha").await;
    add_channel(
        &c,
        &[
            ("platform", "instagram"),
            ("handle", "@trailtales"),
            ("url", "https://instagram.com/trailtales"),
            ("followers", "12.5k"),
            ("avg_likes", "190"),
            ("avg_comments", "10"),
        ],
    )
    .await
    .assert_redirect("/profile#channels");
    let id = channel_id(&c, "trailtales").await;

    c.post_form(
        &format!("/profile/channels/{id}/snapshots"),
        &[
            ("followers", "14,000"),
            ("avg_likes", "215"),
            ("avg_comments", "9"),
            ("captured_on", ""),
        ],
    )
    .await
    .assert_redirect(&format!("/profile#channel-{id}"));
    // History can be filled in backwards.
    c.post_form(
        &format!("/profile/channels/{id}/snapshots"),
        &[("followers", "9000"), ("captured_on", "2026-01-15")],
    )
    .await
    .assert_redirect(&format!("/profile#channel-{id}"));

    assert_eq!(app.count("select count(*) from channel_snapshots").await, 3);
    let followers: i64 = sqlx::query_scalar("select followers from channels")
        .fetch_one(&app.db)
        .await
        .expect("followers");
    assert_eq!(
        followers, 14_000,
        "the newest by date, not the last entered"
    );
    let page = c.get("/profile").await;
    assert!(page.body.contains("14,000"));
    assert!(page.body.contains("Figure history (3 snapshots)"));
    assert!(page.body.contains("<polyline"), "the history is charted");
    assert!(page.body.contains("Followers from 9,000 on 15 Jan 2026"));
    assert!(page.body.contains("Micro"));
}

#[tokio::test]
async fn bad_figures_get_clear_errors_and_nothing_is_saved() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    let c = creator(&app, "aisha@creators.example", "Aisha").await;
    let res = add_channel(
        &c,
        &[
            ("platform", "myspace"),
            ("handle", "trailtales"),
            ("followers", "-5"),
            ("avg_views", "99999999999999"),
            ("avg_likes", "lots"),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Choose a platform Liaison knows.",
        "Enter the followers as zero or more.",
        "is more than any platform has",
        "Enter the average likes as a whole number",
    ] {
        assert!(res.body.contains(message), "{message} missing");
    }
    assert!(res.body.contains(r#"value="trailtales""#));
    assert_eq!(app.count("select count(*) from channels").await, 0);

    add_channel(
        &c,
        &[
            ("platform", "tiktok"),
            ("handle", "trailtales"),
            ("followers", "1000"),
        ],
    )
    .await
    .assert_redirect("/profile#channels");
    let twice = add_channel(
        &c,
        &[
            ("platform", "tiktok"),
            ("handle", "trailtales"),
            ("followers", "1000"),
        ],
    )
    .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        twice
            .body
            .contains("You have added @trailtales on TikTok already")
    );

    let id = channel_id(&c, "trailtales").await;
    let future = c
        .post_form(
            &format!("/profile/channels/{id}/snapshots"),
            &[("followers", "1200"), ("captured_on", "2999-01-01")],
        )
        .await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(future.body.contains("Figures can&#39;t be from the future"));
    assert_eq!(app.count("select count(*) from channel_snapshots").await, 1);
}

#[tokio::test]
async fn tiers_change_exactly_at_the_cut_offs() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    let c = creator(&app, "aisha@creators.example", "Aisha").await;
    let cases = [
        ("0", "emerging"),
        ("999", "emerging"),
        ("1000", "nano"),
        ("9999", "nano"),
        ("10000", "micro"),
        ("49999", "micro"),
        ("50000", "mid"),
        ("499999", "mid"),
        ("500000", "macro"),
        ("999999", "macro"),
        ("1000000", "mega"),
        ("900000000", "mega"),
    ];
    for (followers, _) in cases {
        add_channel(
            &c,
            &[
                ("platform", "x"),
                ("handle", &format!("h{followers}")),
                ("followers", followers),
            ],
        )
        .await
        .assert_redirect("/profile#channels");
    }
    for (followers, tier) in cases {
        let got: String = sqlx::query_scalar("select tier from channels where handle = $1")
            .bind(format!("h{followers}"))
            .fetch_one(&app.db)
            .await
            .expect("tier");
        assert_eq!(got, tier, "{followers} followers");
    }
    let overall: String = sqlx::query_scalar("select tier from influencer_profiles")
        .fetch_one(&app.db)
        .await
        .expect("tier");
    assert_eq!(overall, "mega", "the overall tier is the largest channel's");
}

#[tokio::test]
async fn admins_change_the_cut_offs_and_channels_are_re_tiered() {
    let db = fresh_db().await;
    let app = spawn(db.clone()).await;
    let c = creator(&app, "aisha@creators.example", "Aisha").await;
    add_channel(
        &c,
        &[("platform", "x"), ("handle", "a"), ("followers", "8000")],
    )
    .await
    .assert_redirect("/profile#channels");
    app.create_admin("admin@liaison.example").await;
    app.login("admin@liaison.example", crate::helpers::PASSWORD)
        .await;

    let refused = app
        .post_form(
            "/admin/tiers",
            &[
                ("nano", "1000"),
                ("micro", "500"),
                ("mid", "50000"),
                ("macro", "500000"),
                ("mega", "lots"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Enter where Mega starts"));
    assert!(refused.body.contains(r#"value="lots""#));

    app.post_form(
        "/admin/tiers",
        &[
            ("nano", "1,000"),
            ("micro", "5,000"),
            ("mid", "50000"),
            ("macro", "500000"),
            ("mega", "1000000"),
        ],
    )
    .await
    .assert_redirect("/admin/tiers");
    let page = app.get("/admin/tiers").await;
    assert!(page.body.contains("1 channels will be re-tiered"));
    assert!(page.body.contains("5,000–49,999 followers"));

    // What the background job does: the scale in force, then a batch.
    let scale = liaison::tiers::db::load(&db).await.expect("scale");
    let done = liaison::influencers::db::rescore_due(&db, &scale, 100)
        .await
        .expect("rescore");
    assert_eq!(done, 1);
    let tier: String = sqlx::query_scalar("select tier from channels")
        .fetch_one(&db)
        .await
        .expect("tier");
    assert_eq!(tier, "micro");
    assert!(
        app.count("select count(*) from audit_events where action = 'admin.tier_cutoffs_changed'")
            .await
            == 1
    );

    // Only admins.
    assert_eq!(c.get("/admin/tiers").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_bought_follower_jump_is_flagged_and_the_creator_can_explain_it() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    let c = creator(&app, "aisha@creators.example", "Aisha").await;
    add_channel(
        &c,
        &[
            ("platform", "instagram"),
            ("handle", "trailtales"),
            ("followers", "30000"),
            ("avg_likes", "310"),
            ("avg_comments", "20"),
        ],
    )
    .await;
    let id = channel_id(&c, "trailtales").await;
    // Five days earlier the audience was two thirds the size, with the same engagement.
    let earlier = (time::OffsetDateTime::now_utc().date() - time::Duration::days(5)).to_string();
    c.post_form(
        &format!("/profile/channels/{id}/snapshots"),
        &[
            ("followers", "20000"),
            ("avg_likes", "300"),
            ("avg_comments", "20"),
            ("captured_on", &earlier),
        ],
    )
    .await
    .assert_redirect(&format!("/profile#channel-{id}"));

    let page = c.get("/profile").await;
    assert!(page.body.contains("Sudden follower jump"));
    assert!(
        page.body
            .contains("Followers went from 20,000 to 30,000 (+50%)")
    );
    assert!(page.body.contains("Figures never verified"));
    let score: i16 = sqlx::query_scalar("select score from channels")
        .fetch_one(&app.db)
        .await
        .expect("score");
    assert_eq!(score, 65, "100 − 25 for the jump − 10 unverified");

    let snapshot: uuid::Uuid =
        sqlx::query_scalar("select id from channel_snapshots where followers = 30000")
            .fetch_one(&app.db)
            .await
            .expect("snapshot");
    let too_long = "y".repeat(600);
    let refused = c
        .post_form(
            &format!("/profile/channels/{id}/snapshots/{snapshot}/note"),
            &[("note", &too_long)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("Keep the note to 500 characters or fewer")
    );
    c.post_form(
        &format!("/profile/channels/{id}/snapshots/{snapshot}/note"),
        &[("note", "Giveaway with a partner brand")],
    )
    .await
    .assert_redirect(&format!("/profile#channel-{id}"));
    assert!(
        c.get("/profile")
            .await
            .body
            .contains("The creator explains:</strong> Giveaway with a partner brand")
    );

    // Someone else's snapshot is not found.
    let other = creator(&app, "ben@creators.example", "Ben").await;
    let res = other
        .post_form(
            &format!("/profile/channels/{id}/snapshots/{snapshot}/note"),
            &[("note", "hijacked")],
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let res = other
        .post_form(
            &format!("/profile/channels/{id}/snapshots"),
            &[("followers", "1")],
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(app.count("select count(*) from channel_snapshots").await, 2);
}

#[tokio::test]
async fn admins_verify_figures_and_brands_see_the_badge_and_signals() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    let c = creator(&app, "aisha@creators.example", "Aisha").await;
    add_channel(
        &c,
        &[
            ("platform", "instagram"),
            ("handle", "trailtales"),
            ("followers", "20000"),
            ("avg_likes", "300"),
            ("avg_comments", "20"),
        ],
    )
    .await;
    let id = channel_id(&c, "trailtales").await;
    let profile: uuid::Uuid = sqlx::query_scalar("select id from influencer_profiles")
        .fetch_one(&app.db)
        .await
        .expect("profile");

    let brand = app.another_browser();
    brand
        .signup_brand("maya@northwind.example", "Maya", "Northwind")
        .await;
    assert_eq!(
        brand
            .post_form(&format!("/admin/channels/{id}/verify"), &[("note", "x")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        c.post_form(&format!("/admin/channels/{id}/verify"), &[("note", "x")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let before = brand.get(&format!("/influencers/{profile}")).await;
    assert!(before.body.contains("Figures never verified"));

    app.create_admin("admin@liaison.example").await;
    app.login("admin@liaison.example", crate::helpers::PASSWORD)
        .await;
    let console = app.get("/admin").await;
    assert!(console.body.contains("Figures to verify"));
    assert!(console.body.contains("Instagram @trailtales"));
    app.post_form(
        &format!("/admin/channels/{id}/verify"),
        &[("note", "Checked analytics screenshots")],
    )
    .await
    .assert_redirect(&format!("/influencers/{profile}#channel-{id}"));

    let after = brand.get(&format!("/influencers/{profile}")).await;
    assert!(!after.body.contains("Figures never verified"));
    assert!(after.body.contains("badge-verified"));
    assert!(after.body.contains("“Checked analytics screenshots”"));
    let today = liaison::domain::display::date(time::OffsetDateTime::now_utc());
    assert!(
        after
            .body
            .contains(&format!("verified by Agency Admin on {today}"))
    );
    assert!(
        app.get("/admin")
            .await
            .body
            .contains("Every channel's newest figures are verified")
    );
    let (score, verified): (i16, bool) =
        sqlx::query_as("select score, verified from influencer_profiles")
            .fetch_one(&app.db)
            .await
            .expect("profile");
    assert_eq!((score, verified), (100, true));

    // New figures need verifying again.
    c.post_form(
        &format!("/profile/channels/{id}/snapshots"),
        &[("followers", "20500"), ("avg_likes", "300")],
    )
    .await;
    let verified: bool = sqlx::query_scalar("select verified from influencer_profiles")
        .fetch_one(&app.db)
        .await
        .expect("verified");
    assert!(!verified);
}

#[tokio::test]
async fn rates_are_added_replaced_and_removed() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    let c = creator(&app, "aisha@creators.example", "Aisha").await;
    let rate = |price: &'static str| {
        vec![
            ("platform", "instagram"),
            ("format", "post"),
            ("price", price),
            ("currency", "EUR"),
            ("revision_rounds", "2"),
            ("usage_rights_days", "30"),
            ("includes", "Link in bio for a week"),
        ]
    };
    let bad = c.post_form("/profile/rates", &rate("0")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Enter a price above zero."));
    c.post_form("/profile/rates", &rate("450"))
        .await
        .assert_redirect("/profile#rates");
    c.post_form("/profile/rates", &rate("1,250.50"))
        .await
        .assert_redirect("/profile#rates");
    assert_eq!(app.count("select count(*) from rates").await, 1);
    let page = c.get("/profile").await;
    assert!(page.body.contains("€1,250.50"));
    assert!(
        page.body
            .contains("2 revision rounds, 30 days of usage rights. Link in bio for a week")
    );

    let id: uuid::Uuid = sqlx::query_scalar("select id from rates")
        .fetch_one(&app.db)
        .await
        .expect("rate");
    let other = creator(&app, "ben@creators.example", "Ben").await;
    assert_eq!(
        other
            .post_form(&format!("/profile/rates/{id}/delete"), &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    c.post_form(&format!("/profile/rates/{id}/delete"), &[])
        .await
        .assert_redirect("/profile#rates");
    assert_eq!(app.count("select count(*) from rates").await, 0);
}

#[tokio::test]
async fn the_media_kit_is_public_only_when_switched_on() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    let c = creator(&app, "aisha@creators.example", "Aisha").await;
    c.post_form("/profile", &profile_form(&[]))
        .await
        .assert_redirect("/profile");
    add_channel(
        &c,
        &[
            ("platform", "tiktok"),
            ("handle", "trailtales"),
            ("followers", "15000"),
        ],
    )
    .await;
    let visitor = app.another_browser();
    assert_eq!(
        visitor.get("/media-kit/aisha-patel").await.status,
        StatusCode::NOT_FOUND
    );

    c.post_form("/profile", &profile_form(&[("media_kit_public", "on")]))
        .await
        .assert_redirect("/profile");
    let kit = visitor.get("/media-kit/aisha-patel").await;
    assert_eq!(kit.status, StatusCode::OK);
    assert!(kit.body.contains("Aisha Patel"));
    assert!(kit.body.contains("@trailtales"));
    assert!(
        !kit.body.contains("Figures never verified"),
        "signals are for brands"
    );
    assert!(
        c.get("/profile")
            .await
            .body
            .contains("/media-kit/aisha-patel")
    );
}

#[tokio::test]
async fn only_influencers_have_a_profile_to_edit() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    app.get("/profile")
        .await
        .assert_redirect("/login?next=%2Fprofile");
    app.signup_brand("maya@northwind.example", "Maya", "Northwind")
        .await;
    assert_eq!(app.get("/profile").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.post_form("/profile", &profile_form(&[])).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_dashboard_says_what_to_do_next_and_the_board_says_what_fits() {
    let db = fresh_db().await;
    let brand = crate::fixtures::brand(db).await;
    crate::fixtures::published(&brand, &[("title", "Micro and mid on Instagram")]).await;
    let c = creator(&brand, "aisha@creators.example", "Aisha").await;
    let dashboard = c.get("/dashboard").await;
    assert!(dashboard.body.contains("Brands can't find you yet"));
    let board = c.get("/campaigns").await;
    assert!(board.body.contains("To see which campaigns fit you"));
    assert!(!board.body.contains("Fits your tier"));

    add_channel(
        &c,
        &[
            ("platform", "tiktok"),
            ("handle", "t"),
            ("followers", "20000"),
            ("avg_likes", "300"),
        ],
    )
    .await
    .assert_redirect("/profile#channels");
    let board = c.get("/campaigns").await;
    assert!(board.body.contains("Not on your platforms"));
    assert!(
        c.get("/campaigns?fit=1")
            .await
            .body
            .contains("No open campaigns match these filters")
    );

    add_channel(
        &c,
        &[
            ("platform", "instagram"),
            ("handle", "t"),
            ("followers", "5000"),
            ("avg_likes", "90"),
        ],
    )
    .await;
    let board = c.get("/campaigns?fit=1").await;
    assert!(
        board.body.contains("Fits your tier and platforms"),
        "micro by the largest channel, and on Instagram"
    );
    assert!(board.body.contains("Micro and mid on Instagram"));

    let dashboard = c.get("/dashboard").await;
    assert!(dashboard.body.contains("Micro"));
    assert!(dashboard.body.contains("20,000"));
}
