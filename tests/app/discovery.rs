//! Discovery for brands and admins: every filter and sort, keyset pages,
//! authorization, and invitations from a result.

use reqwest::StatusCode;
use sqlx::PgPool;
use uuid::Uuid;

/// The result ids on a discovery page, in order, and its next-page link.
use crate::{
    fixtures::{add_channel, brand, creator, profile_form, published},
    helpers::{PASSWORD, TestApp, fresh_db, spawn},
};

fn results(body: &str) -> (Vec<Uuid>, Option<String>) {
    let ids = body
        .split(r#"<li class="card result">"#)
        .skip(1)
        .filter_map(|item| {
            let rest = item.split(r#"<a href="/influencers/"#).nth(1)?;
            rest.get(..36)?.parse().ok()
        })
        .collect();
    let next = body
        .split(r#"" rel="next">"#)
        .next()
        .filter(|_| body.contains(r#"rel="next""#))
        .and_then(|before| before.rsplit(r#"href=""#).next())
        .map(|href| href.replace("&#38;", "&").replace("&amp;", "&"));
    (ids, next)
}

/// Every result of a search, following the next-page links.
async fn all_results(app: &TestApp, path: &str) -> Vec<Uuid> {
    let mut ids = Vec::new();
    let mut next = Some(path.to_owned());
    while let Some(path) = next {
        let page = app.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
        let (mut found, link) = results(&page.body);
        assert!(found.len() <= 20);
        ids.append(&mut found);
        next = link;
    }
    ids
}

async fn expected(app: &TestApp, sql_where: &str, order: &str) -> Vec<Uuid> {
    sqlx::query_scalar(&format!(
        "select p.id from influencer_profiles p
           left join lateral (select min(price_minor) as price from rates r
                               where r.profile_id = p.id and r.format = 'post' and r.currency = 'USD') pr on true
          where p.tier is not null and {sql_where}
          order by {order}"
    ))
    .fetch_all(&app.db)
    .await
    .expect("expected")
}

async fn scout(db: PgPool) -> TestApp {
    liaison::seed::influencers(&db, 120).await.expect("seed");
    brand(db).await
}

#[tokio::test]
async fn every_filter_and_sort_matches_the_data_across_all_pages() {
    let db = fresh_db().await;
    let app = scout(db).await;
    let cases: &[(&str, &str, &str)] = &[
        ("", "true", "p.score desc, p.id desc"),
        ("sort=followers", "true", "p.followers desc, p.id desc"),
        (
            "sort=engagement",
            "true",
            "coalesce(p.engagement_ppm, -1) desc, p.id desc",
        ),
        ("tier=micro", "p.tier = 'micro'", "p.score desc, p.id desc"),
        (
            "platform=tiktok&sort=followers",
            "'tiktok' = any(p.platforms)",
            "p.followers desc, p.id desc",
        ),
        (
            "niche=Fitness",
            "'fitness' = any(p.niches)",
            "p.score desc, p.id desc",
        ),
        ("country=de", "p.country = 'DE'", "p.score desc, p.id desc"),
        (
            "min_followers=10k&max_followers=100,000",
            "p.followers between 10000 and 100000",
            "p.score desc, p.id desc",
        ),
        ("min_score=90", "p.score >= 90", "p.score desc, p.id desc"),
        ("verified=1", "p.verified", "p.score desc, p.id desc"),
        ("open=1", "p.open_to_offers", "p.score desc, p.id desc"),
        (
            "format=post&max_price=300&currency=USD",
            "pr.price <= 30000",
            "p.score desc, p.id desc",
        ),
        (
            "format=post&sort=price",
            "pr.price is not null",
            "pr.price asc, p.id asc",
        ),
        (
            "tier=nano&open=1&sort=engagement",
            "p.tier = 'nano' and p.open_to_offers",
            "coalesce(p.engagement_ppm, -1) desc, p.id desc",
        ),
    ];
    for (query, sql_where, order) in cases {
        let want = expected(&app, sql_where, order).await;
        let got = all_results(&app, &format!("/influencers?{query}")).await;
        assert_eq!(got, want, "/influencers?{query}");
    }
    let everyone = all_results(&app, "/influencers").await;
    assert!(everyone.len() > 100, "the seed lists creators");
}

#[tokio::test]
async fn text_search_ranks_names_and_headlines_above_bios() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    let named = creator(&app, "aisha@creators.example", "Aisha").await;
    named
        .post_form(
            "/profile",
            &profile_form(&[
                ("display_name", "Bouldering Bea"),
                ("media_kit_handle", "bea"),
                ("niches", "climbing"),
            ]),
        )
        .await;
    add_channel(
        &named,
        &[
            ("platform", "instagram"),
            ("handle", "bea"),
            ("followers", "8000"),
        ],
    )
    .await;
    let bio_only = creator(&app, "ben@creators.example", "Ben").await;
    bio_only
        .post_form(
            "/profile",
            &profile_form(&[
                ("display_name", "Ben Walker"),
                ("media_kit_handle", "ben"),
                ("headline", "City walks"),
                ("niches", "walking"),
                ("bio", "Sometimes I go bouldering on weekends."),
            ]),
        )
        .await;
    add_channel(
        &bio_only,
        &[
            ("platform", "instagram"),
            ("handle", "ben"),
            ("followers", "9000"),
        ],
    )
    .await;
    let unrelated = creator(&app, "cara@creators.example", "Cara").await;
    add_channel(
        &unrelated,
        &[
            ("platform", "instagram"),
            ("handle", "cara"),
            ("followers", "9000"),
        ],
    )
    .await;

    app.signup_brand("maya@northwind.example", "Maya", "Northwind")
        .await;
    let page = app.get("/influencers?q=boulder").await;
    let (ids, _) = results(&page.body);
    assert_eq!(
        ids.len(),
        2,
        "stemmed: boulder matches bouldering; {}",
        page.body
    );
    let first = page.body.find("Bouldering Bea").expect("Bea");
    let second = page.body.find("Ben Walker").expect("Ben");
    assert!(first < second, "a name match ranks above a bio match");
    assert!(!page.body.contains(">Cara<"));
    assert!(page.body.contains(r#"<option value="relevance" selected>"#));
}

#[tokio::test]
async fn a_broad_word_is_ranked_among_the_strongest_scores_and_filters_reach_the_rest() {
    use liaison::influencers::discovery::db::RELEVANCE_POOL;

    let db = fresh_db().await;
    liaison::seed::influencers(&db, RELEVANCE_POOL as usize + 40)
        .await
        .expect("seed");
    let app = brand(db).await;
    // Every creator mentions kayaks; the one with the weakest score says it
    // loudest, in the heaviest-weighted text.
    sqlx::query(
        "update influencer_profiles set search = search || to_tsvector('english', 'kayak')
          where tier is not null",
    )
    .execute(&app.db)
    .await
    .expect("word");
    let (weakest, tier): (Uuid, String) = sqlx::query_as(
        "update influencer_profiles
            set search = search || setweight(to_tsvector('english', 'kayak kayak kayak'), 'A')
          where id = (select id from influencer_profiles where tier is not null
                       order by score, id limit 1)
      returning id, tier",
    )
    .fetch_one(&app.db)
    .await
    .expect("weakest");

    let first = app.get("/influencers?q=kayak").await.body;
    assert!(
        first.contains("More than 1,000 creators match these words."),
        "{first}"
    );
    let ranked = all_results(&app, "/influencers?q=kayak").await;
    let strongest = expected(&app, "true", "p.score desc, p.id desc").await;
    let mut pool: Vec<Uuid> = strongest[..RELEVANCE_POOL as usize].to_vec();
    let mut got = ranked.clone();
    pool.sort();
    got.sort();
    assert_eq!(got, pool, "every page together is the pool, each once");
    assert!(!ranked.contains(&weakest));

    // A filter that leaves every match has the pool drawn from the creators
    // without signals first, then from the rest: still the strongest, each once.
    let clean: i64 = sqlx::query_scalar(
        "select count(*) from influencer_profiles where tier is not null and score = 100",
    )
    .fetch_one(&app.db)
    .await
    .expect("clean");
    assert!(
        clean > 0 && clean < RELEVANCE_POOL,
        "the seed's pool takes from both parts: {clean}"
    );
    let mut both = all_results(&app, "/influencers?q=kayak&min_followers=0").await;
    both.sort();
    assert_eq!(both, pool);
    // When the creators without signals fill the pool on their own, the rest
    // are not needed.
    sqlx::query(
        "update influencer_profiles set score = 100
          where tier is not null and id not in
                (select id from influencer_profiles where tier is not null order by score, id limit 30)",
    )
    .execute(&app.db)
    .await
    .expect("clean majority");
    let strongest = expected(&app, "true", "p.score desc, p.id desc").await;
    let mut pool: Vec<Uuid> = strongest[..RELEVANCE_POOL as usize].to_vec();
    pool.sort();
    let mut clean_only = all_results(&app, "/influencers?q=kayak&min_followers=0").await;
    clean_only.sort();
    assert_eq!(clean_only, pool);
    let first = app.get("/influencers?q=kayak&min_followers=0").await.body;
    assert!(first.contains("More than 1,000 creators match these words."));

    // A filter that leaves fewer matches ranks them all, so the loudest is first.
    let narrowed = app.get(&format!("/influencers?q=kayak&tier={tier}")).await;
    assert!(!narrowed.body.contains("More than 1,000"));
    assert_eq!(results(&narrowed.body).0.first(), Some(&weakest));
    // Another order goes through every match.
    let by_score = all_results(&app, "/influencers?q=kayak&sort=authenticity").await;
    assert_eq!(by_score, strongest);
}

#[tokio::test]
async fn words_and_filters_are_matched_together_and_a_niche_is_taken_as_typed() {
    let db = fresh_db().await;
    let app = scout(db).await;
    // Half the creators mention kayaks; one has a niche with a quote, a
    // backslash and a space, which a text query would otherwise parse.
    sqlx::query(
        "update influencer_profiles set search = search || to_tsvector('english', 'kayak')
          where tier is not null and score % 2 = 0",
    )
    .execute(&app.db)
    .await
    .expect("word");
    let odd: Uuid = sqlx::query_scalar(
        r"update influencer_profiles set niches = niches || array['women''s \ health']
           where id = (select id from influencer_profiles where tier is not null order by id limit 1)
       returning id",
    )
    .fetch_one(&app.db)
    .await
    .expect("niche");

    let quoted = all_results(&app, "/influencers?niche=Women%27s+%5C+health").await;
    assert_eq!(quoted, vec![odd]);
    // A niche is one facet, not its words.
    assert!(
        all_results(&app, "/influencers?niche=health")
            .await
            .is_empty()
    );

    let (tier, platform, country): (String, String, String) = sqlx::query_as(
        "select tier, platforms[1], country from influencer_profiles
          where tier is not null and score % 2 = 0 and country is not null
          order by id limit 1",
    )
    .fetch_one(&app.db)
    .await
    .expect("a kayaker");
    for (query, sql_where) in [
        (
            format!("q=kayak&tier={tier}&platform={platform}"),
            format!("p.score % 2 = 0 and p.tier = '{tier}' and '{platform}' = any(p.platforms)"),
        ),
        (
            format!("q=kayak&country={country}&platform={platform}&sort=followers"),
            format!(
                "p.score % 2 = 0 and p.country = '{country}' and '{platform}' = any(p.platforms)"
            ),
        ),
        (
            format!("tier={tier}&platform={platform}&country={country}"),
            format!(
                "p.tier = '{tier}' and '{platform}' = any(p.platforms) and p.country = '{country}'"
            ),
        ),
    ] {
        let mut got = all_results(&app, &format!("/influencers?{query}")).await;
        let mut want = expected(&app, &sql_where, "p.id").await;
        assert!(!want.is_empty(), "{query} finds someone");
        got.sort();
        want.sort();
        assert_eq!(got, want, "/influencers?{query}");
    }
}

#[tokio::test]
async fn bad_filters_are_explained_and_the_rest_still_applies() {
    let db = fresh_db().await;
    let app = scout(db).await;
    let page = app
        .get("/influencers?tier=giga&min_score=300&max_price=100&sort=price&country=Germany&niche=fitness")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    for message in [
        "Choose one of the tiers",
        "Enter a score from 0 to 100.",
        "Choose the format the price ceiling is for.",
        "Choose a format to sort by its price.",
        "Use two-letter country codes",
    ] {
        assert!(page.body.contains(message), "{message} missing");
    }
    let (ids, _) = results(&page.body);
    let want = expected(&app, "'fitness' = any(p.niches)", "p.score desc, p.id desc").await;
    assert_eq!(ids, want.into_iter().take(20).collect::<Vec<_>>());
    // A forged cursor is ignored, not an error.
    assert_eq!(
        app.get("/influencers?after=garbage&page=9").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn only_brand_members_and_admins_discover_creators() {
    let db = fresh_db().await;
    let app = spawn(db).await;
    app.get("/influencers")
        .await
        .assert_redirect("/login?next=%2Finfluencers");
    let c = creator(&app, "aisha@creators.example", "Aisha").await;
    add_channel(
        &c,
        &[
            ("platform", "instagram"),
            ("handle", "a"),
            ("followers", "5000"),
        ],
    )
    .await;
    let id: Uuid = sqlx::query_scalar("select id from influencer_profiles")
        .fetch_one(&app.db)
        .await
        .expect("profile");
    assert_eq!(c.get("/influencers").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        c.get(&format!("/influencers/{id}")).await.status,
        StatusCode::FORBIDDEN
    );

    app.create_admin("admin@liaison.example").await;
    let admin = app.another_browser();
    admin.login("admin@liaison.example", PASSWORD).await;
    assert_eq!(admin.get("/influencers").await.status, StatusCode::OK);
    let profile = admin.get(&format!("/influencers/{id}")).await;
    assert!(profile.body.contains("Mark figures verified"));
    assert!(!profile.body.contains("Invite to a campaign"));

    app.signup_brand("maya@northwind.example", "Maya", "Northwind")
        .await;
    let page = app.get(&format!("/influencers/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Mark figures verified"));
    assert_eq!(
        app.get(&format!("/influencers/{}", Uuid::now_v7()))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_brand_invites_a_creator_from_a_result_and_the_creator_sees_it() {
    let db = fresh_db().await;
    let app = brand(db).await;
    let campaign = published(&app, &[("title", "Autumn trail series")]).await;
    let campaign_id = campaign.rsplit('/').next().expect("id").to_owned();
    let c = creator(&app, "aisha@creators.example", "Aisha").await;
    add_channel(
        &c,
        &[
            ("platform", "instagram"),
            ("handle", "a"),
            ("followers", "15000"),
        ],
    )
    .await;
    let profile: Uuid = sqlx::query_scalar("select id from influencer_profiles")
        .fetch_one(&app.db)
        .await
        .expect("profile");

    let page = app.get("/influencers?tier=micro").await;
    assert!(page.body.contains("Invite Aisha to a campaign"));
    assert!(page.body.contains("Autumn trail series"));
    app.post_form(
        &format!("/campaigns/{campaign_id}/invitations"),
        &[
            ("influencer_id", &profile.to_string()),
            ("back", "/influencers?tier=micro"),
        ],
    )
    .await
    .assert_redirect("/influencers?tier=micro");
    assert!(
        app.get("/influencers?tier=micro")
            .await
            .body
            .contains("is invited to apply to")
    );
    let again = app
        .post_form(
            &format!("/campaigns/{campaign_id}/invitations"),
            &[
                ("influencer_id", &profile.to_string()),
                ("back", "https://evil.example/"),
            ],
        )
        .await;
    again.assert_redirect(&format!("/influencers/{profile}"));
    let profile_page = app.get(&format!("/influencers/{profile}")).await.body;
    assert!(profile_page.contains("was already invited"));
    // The campaign it may invite to, marked as invited: both lists in one read.
    assert!(profile_page.contains("<strong>Autumn trail series</strong>: invited"));
    assert_eq!(
        app.count("select count(*) from campaign_invitations").await,
        1
    );

    let dashboard = c.get("/dashboard").await;
    assert!(dashboard.body.contains("Autumn trail series"));
    assert!(dashboard.body.contains("Northwind Outdoor"));

    // Creators don't invite; other brands' campaigns are not found.
    assert_eq!(
        c.post_form(
            &format!("/campaigns/{campaign_id}/invitations"),
            &[("influencer_id", &profile.to_string())]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let rival = app.another_browser();
    rival
        .signup_brand("ana@lumen.example", "Ana", "Lumen")
        .await;
    assert_eq!(
        rival
            .post_form(
                &format!("/campaigns/{campaign_id}/invitations"),
                &[("influencer_id", &profile.to_string())]
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // A draft takes no invitations.
    let draft = crate::fixtures::create(&app).await;
    let draft_id = draft.rsplit('/').next().expect("id");
    app.post_form(
        &format!("/campaigns/{draft_id}/invitations"),
        &[("influencer_id", &profile.to_string())],
    )
    .await;
    assert_eq!(
        app.count("select count(*) from campaign_invitations").await,
        1
    );
}
