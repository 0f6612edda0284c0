//! A brand's partners: the creators it worked with, what it spent and got,
//! and inviting one back to a new campaign.

use reqwest::StatusCode;

use crate::{collaborations::collaboration, fixtures::published, helpers::fresh_db};

#[tokio::test]
async fn a_brand_sees_its_partners_and_invites_one_back() {
    let c = collaboration(fresh_db().await).await;
    let profile: String = sqlx::query_scalar("select profile_id::text from applications")
        .fetch_one(&c.brand.db)
        .await
        .expect("profile");
    let list = c.brand.get("/partners").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Aisha"));
    assert!(list.body.contains("$2,300.00"), "the spend");
    let page = c.brand.get(&format!("/partners/{profile}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Autumn trail series"));
    assert!(
        page.body.contains("In force"),
        "the agreement, signed by both"
    );
    assert!(page.body.contains("None of your open campaigns"));

    // A new campaign: invite them back from their page.
    let next = published(&c.brand, &[("title", "Winter summit series")]).await;
    let page = c.brand.get(&format!("/partners/{profile}")).await.body;
    assert!(page.contains("Invite to “Winter summit series”"));
    let back = format!("/partners/{profile}");
    c.brand
        .post_form(
            &format!("{next}/invitations"),
            &[("influencer_id", &profile), ("back", &back)],
        )
        .await
        .assert_redirect(&back);
    assert_eq!(
        c.brand
            .count("select count(*) from campaign_invitations")
            .await,
        1
    );
    assert!(
        c.creator
            .get("/dashboard")
            .await
            .body
            .contains("Winter summit series")
    );
    assert!(
        c.creator
            .get("/business")
            .await
            .body
            .contains("Winter summit series"),
        "the invitation is in the creator's pipeline"
    );

    // Nobody else's partner, and not a creator's page.
    let rival = c.brand.another_browser();
    rival
        .signup_brand("ana@lumen.example", "Ana", "Lumen Skincare")
        .await
        .assert_redirect("/dashboard");
    assert_eq!(
        rival.get(&format!("/partners/{profile}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        rival
            .get("/partners")
            .await
            .body
            .contains("No partners yet")
    );
    assert_eq!(
        c.creator.get("/partners").await.status,
        StatusCode::FORBIDDEN
    );
}
