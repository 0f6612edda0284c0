//! How the vocabulary is stored: closed sets as their keys in text columns, read
//! back as their types.

use liaison::domain::{Currency, Platform, Tier};

use crate::helpers::fresh_db;

#[tokio::test]
async fn stored_keys_come_back_as_their_types() {
    let db = fresh_db().await;
    let platform: Platform = sqlx::query_scalar("select $1::text")
        .bind(Platform::Tiktok)
        .fetch_one(&db)
        .await
        .expect("a platform");
    assert_eq!(platform, Platform::Tiktok);
    let tiers: Vec<Tier> = sqlx::query_scalar("select array['micro', 'mid']::text[]")
        .fetch_one(&db)
        .await
        .expect("tiers");
    assert_eq!(tiers, [Tier::Micro, Tier::Mid]);
    let currency: Currency = sqlx::query_scalar("select 'EUR'::text")
        .fetch_one(&db)
        .await
        .expect("a currency");
    assert_eq!(currency, Currency::Eur);
}

#[tokio::test]
async fn a_stored_value_that_is_not_one_of_the_set_is_an_error_not_a_dropped_row() {
    let db = fresh_db().await;
    let read = sqlx::query_scalar::<_, Platform>("select 'myspace'::text")
        .fetch_one(&db)
        .await;
    let error = read
        .expect_err("an unknown platform is refused")
        .to_string();
    assert!(
        error.contains("\"myspace\" is stored where a Platform belongs"),
        "{error}"
    );
}

/// The brand and creator a deliverable carries (for the dashboards' indexes)
/// are its application's, whatever a statement writes.
#[tokio::test]
async fn a_deliverable_belongs_to_its_applications_brand_and_creator() {
    let db = fresh_db().await;
    let c = crate::collaborations::collaboration(db.clone()).await;
    let owners = "select count(*) from deliverables d
                    join applications a on a.id = d.application_id
                    join campaigns c on c.id = a.campaign_id
                   where d.brand_id = c.brand_id and d.profile_id = a.profile_id";
    let matching = || async {
        sqlx::query_scalar::<_, i64>(owners)
            .fetch_one(&db)
            .await
            .expect("owners")
    };
    let all = c.deliverables.len() as i64;
    assert!(all > 0);
    assert_eq!(matching().await, all);

    c.brand
        .another_browser()
        .signup_brand("other@brand.example", "Other", "Other Co")
        .await
        .assert_redirect("/dashboard");
    sqlx::query(
        "update deliverables set brand_id = (select id from brands where name = 'Other Co')",
    )
    .execute(&db)
    .await
    .expect("update");
    assert_eq!(matching().await, all, "the owners were put back");
}
