//! The console's accounts: finding them, suspending and reactivating them,
//! changing a brand's owner.

use reqwest::StatusCode;
use uuid::Uuid;

use crate::{
    fixtures::{self, agency},
    helpers::{PASSWORD, TestApp, fresh_db},
};

async fn user_id(app: &TestApp, email: &str) -> Uuid {
    sqlx::query_scalar("select id from users where email = $1")
        .bind(email)
        .fetch_one(&app.db)
        .await
        .expect("user")
}

/// Leo signs up with a brand of his own, then moves to Northwind as a member.
async fn leo_joins_northwind(brand: &TestApp, maya: Uuid) -> (TestApp, Uuid) {
    let leo = brand.another_browser();
    leo.signup_brand("leo@northwind.example", "Leo", "Leo's own brand")
        .await;
    let leo_id = user_id(brand, "leo@northwind.example").await;
    sqlx::query(
        "update brand_members set role = 'member',
                brand_id = (select brand_id from brand_members where user_id = $1)
          where user_id = $2",
    )
    .bind(maya)
    .bind(leo_id)
    .execute(&brand.db)
    .await
    .expect("leo joins northwind");
    (leo, leo_id)
}

#[tokio::test]
async fn admins_find_accounts_by_kind_status_words_and_pages() {
    let db = fresh_db().await;
    let brand = fixtures::brand(db.clone()).await;
    let admin = agency(&brand).await;
    fixtures::many_accounts(&brand.db, 60).await;

    let page = admin.get("/admin/accounts?kind=influencer").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Creator 60"), "newest first");
    assert!(!page.body.contains("Creator 10<"), "the 50 newest only");
    assert!(!page.body.contains("maya@northwind.example"));
    let next = page
        .body
        .split("href=\"/admin/accounts?")
        .filter_map(|s| s.split('"').next())
        .find(|s| s.contains("before="))
        .expect("older accounts")
        .replace("&#38;", "&");
    let older = admin.get(&format!("/admin/accounts?{next}")).await;
    assert!(older.body.contains("Creator 1<"));
    assert!(older.body.contains("Creator 10<"));
    assert!(!older.body.contains("Creator 60"));

    // Unfiltered, the list opens on its own statement: the 50 newest of every
    // kind, and a link to the rest.
    let everyone = admin.get("/admin/accounts").await;
    assert!(everyone.body.contains("Creator 60"), "newest first");
    assert!(!everyone.body.contains("Creator 10<"), "the 50 newest only");
    assert!(everyone.body.contains("before="), "older accounts");

    let found = admin.get("/admin/accounts?q=NORTHWIND&kind=brand").await;
    assert!(found.body.contains("maya@northwind.example"));
    let bad = admin
        .get("/admin/accounts?kind=robot&joined_from=someday")
        .await;
    assert_eq!(bad.status, StatusCode::OK);
    assert!(bad.body.contains("Choose a kind of account from the list."));
    assert!(bad.body.contains("Enter the first day as a date"));

    assert_eq!(
        brand.get("/admin/accounts").await.status,
        StatusCode::FORBIDDEN
    );
    let maya = user_id(&brand, "maya@northwind.example").await;
    assert_eq!(
        brand.get(&format!("/admin/accounts/{maya}")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        admin
            .get(&format!("/admin/accounts/{}", Uuid::now_v7()))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_suspended_creator_is_signed_out_kept_out_with_the_reason_and_hidden_until_reactivated() {
    let db = fresh_db().await;
    let brand = fixtures::brand(db.clone()).await;
    let creator = fixtures::fitting_creator(&brand, "ana@lumen.example").await;
    let admin = agency(&brand).await;
    let ana = user_id(&brand, "ana@lumen.example").await;
    assert_eq!(creator.get("/dashboard").await.status, StatusCode::OK);

    sqlx::query("update influencer_profiles set media_kit_public = true, handle = 'ana-lumen'")
        .execute(&brand.db)
        .await
        .expect("a public media kit");
    assert_eq!(
        brand.get("/media-kit/ana-lumen").await.status,
        StatusCode::OK
    );
    assert!(brand.get("/influencers?q=").await.body.contains("Aisha"));

    let page = admin.get(&format!("/admin/accounts/{ana}")).await;
    assert!(page.body.contains("Signed in"));
    assert!(page.body.contains("Open the profile"));

    let empty = admin
        .post_form(
            &format!("/admin/accounts/{ana}/suspend"),
            &[("reason", "  ")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Give the reason"));

    admin
        .post_form(
            &format!("/admin/accounts/{ana}/suspend"),
            &[("reason", "Bought followers on two channels.")],
        )
        .await
        .assert_redirect(&format!("/admin/accounts/{ana}"));
    creator.wait_for_session_cache().await;
    assert!(
        creator
            .get("/dashboard")
            .await
            .location()
            .starts_with("/login"),
        "signed out at once"
    );
    let refused = creator.login("ana@lumen.example", PASSWORD).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("Bought followers on two channels."));
    let wrong = creator
        .login("ana@lumen.example", "not the password at all")
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNAUTHORIZED,
        "no hint without the password"
    );
    assert!(!wrong.body.contains("suspended"));

    let again = admin
        .post_form(
            &format!("/admin/accounts/{ana}/suspend"),
            &[("reason", "again")],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("already suspended"));
    assert_eq!(
        brand
            .count(&format!(
                "select count(*) from audit_events where action = 'admin.account_suspended' and object_id = '{ana}'"
            ))
            .await,
        1
    );
    let listed = admin.get("/admin/accounts?status=suspended").await;
    assert!(listed.body.contains("ana@lumen.example"));

    admin
        .post_form(&format!("/admin/accounts/{ana}/reactivate"), &[])
        .await
        .assert_redirect(&format!("/admin/accounts/{ana}"));
    creator
        .login("ana@lumen.example", PASSWORD)
        .await
        .assert_redirect("/dashboard");
    assert_eq!(
        brand.get("/media-kit/ana-lumen").await.status,
        StatusCode::OK
    );
    let twice = admin
        .post_form(&format!("/admin/accounts/{ana}/reactivate"), &[])
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert!(twice.body.contains("not suspended"));
}

#[tokio::test]
async fn suspending_a_brands_owner_keeps_the_team_out_and_its_campaigns_closed_and_admins_cannot_suspend_themselves()
 {
    let db = fresh_db().await;
    let brand = fixtures::brand(db.clone()).await;
    let campaign = fixtures::published(&brand, &[]).await;
    let creator = fixtures::fitting_creator(&brand, "ana@lumen.example").await;
    let admin = agency(&brand).await;
    let maya = user_id(&brand, "maya@northwind.example").await;
    let (leo, leo_id) = leo_joins_northwind(&brand, maya).await;
    leo.wait_for_session_cache().await;
    assert!(creator.get("/campaigns").await.body.contains(&campaign));

    admin
        .post_form(
            &format!("/admin/accounts/{maya}/suspend"),
            &[("reason", "Unpaid invoices.")],
        )
        .await
        .assert_redirect(&format!("/admin/accounts/{maya}"));
    leo.wait_for_session_cache().await;
    assert!(leo.get("/dashboard").await.location().starts_with("/login"));
    let refused = leo.login("leo@northwind.example", PASSWORD).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("Unpaid invoices."));
    assert!(
        !creator.get("/campaigns").await.body.contains(&campaign),
        "off the board"
    );
    let applied = fixtures::apply(&creator, &campaign, "400").await;
    assert_ne!(applied.status, StatusCode::SEE_OTHER);
    assert!(
        applied.body.contains("The agency has paused this brand"),
        "{}",
        applied.body
    );
    assert_eq!(brand.count("select count(*) from applications").await, 0);

    let jordan = user_id(&brand, "jordan@liaison.example").await;
    let own = admin
        .post_form(
            &format!("/admin/accounts/{jordan}/suspend"),
            &[("reason", "test")],
        )
        .await;
    assert_eq!(own.status, StatusCode::CONFLICT);
    assert!(own.body.contains("You cannot suspend your own account"));

    let leo_page = admin.get(&format!("/admin/accounts/{leo_id}")).await;
    assert!(
        leo_page
            .body
            .contains("reactivate the owner to let its members in again")
    );
    let handed = admin
        .post_form(
            &format!("/admin/accounts/{maya}/owner"),
            &[("owner", &leo_id.to_string())],
        )
        .await;
    assert_eq!(handed.status, StatusCode::CONFLICT);
    assert!(handed.body.contains("reactivate the owner first"));

    admin
        .post_form(&format!("/admin/accounts/{maya}/reactivate"), &[])
        .await
        .assert_redirect(&format!("/admin/accounts/{maya}"));
    leo.login("leo@northwind.example", PASSWORD)
        .await
        .assert_redirect("/dashboard");
}

#[tokio::test]
async fn an_admin_hands_a_brand_to_another_member() {
    let db = fresh_db().await;
    let brand = fixtures::brand(db.clone()).await;
    let admin = agency(&brand).await;
    let maya = user_id(&brand, "maya@northwind.example").await;
    let (_, leo_id) = leo_joins_northwind(&brand, maya).await;

    let stranger = admin
        .post_form(
            &format!("/admin/accounts/{maya}/owner"),
            &[("owner", &Uuid::now_v7().to_string())],
        )
        .await;
    assert_eq!(stranger.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(stranger.body.contains("Only a member of this brand"));

    admin
        .post_form(
            &format!("/admin/accounts/{maya}/owner"),
            &[("owner", &leo_id.to_string())],
        )
        .await
        .assert_redirect(&format!("/admin/accounts/{leo_id}"));
    let owners: Vec<Uuid> =
        sqlx::query_scalar("select user_id from brand_members where role = 'owner' and brand_id = (select brand_id from brand_members where user_id = $1)")
            .bind(maya)
            .fetch_all(&brand.db)
            .await
            .expect("owners");
    assert_eq!(owners, vec![leo_id]);
    assert_eq!(
        brand
            .count("select count(*) from audit_events where action = 'admin.brand_owner_changed'")
            .await,
        1
    );
}
