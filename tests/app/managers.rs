//! Agency managers: staff added from the console, portfolios assigned by
//! admins, a manager's console bounded by their portfolio, and working as an
//! agency-managed brand with every action recorded for it.

use reqwest::StatusCode;
use uuid::Uuid;

use crate::{
    fixtures::{self, agency, manager},
    helpers::{TestApp, fresh_db},
};

pub async fn user_id(app: &TestApp, email: &str) -> Uuid {
    sqlx::query_scalar("select id from users where email = $1")
        .bind(email)
        .fetch_one(&app.db)
        .await
        .expect("user")
}

/// Northwind (Maya) and Aisha in Sam's portfolio, Northwind agency-managed;
/// Lumen (Ana) and Ben outside it.
pub struct Agency {
    pub brand: TestApp,
    pub admin: TestApp,
    pub sam: TestApp,
    pub sam_id: Uuid,
    pub maya: Uuid,
    pub aisha: Uuid,
    pub ana: Uuid,
    pub ben: Uuid,
    pub campaign: String,
    pub lumen: TestApp,
}

pub async fn agency_with_a_portfolio() -> Agency {
    let db = fresh_db().await;
    let brand = fixtures::brand(db).await;
    let admin = agency(&brand).await;
    let campaign = fixtures::published(&brand, &[]).await;
    let aisha_app = fixtures::fitting_creator(&brand, "aisha@creators.example").await;
    fixtures::apply(&aisha_app, &campaign, "400").await;
    let _ben_app = fixtures::fitting_creator(&brand, "ben@creators.example").await;
    let lumen = brand.another_browser();
    lumen
        .signup_brand("ana@lumen.example", "Ana", "Lumen Skincare")
        .await;
    let sam = manager(&admin, "sam@liaison.example", "Sam Okafor").await;
    let (maya, aisha, ana, ben, sam_id) = (
        user_id(&brand, "maya@northwind.example").await,
        user_id(&brand, "aisha@creators.example").await,
        user_id(&brand, "ana@lumen.example").await,
        user_id(&brand, "ben@creators.example").await,
        user_id(&brand, "sam@liaison.example").await,
    );
    for account in [maya, aisha] {
        admin
            .post_form(
                &format!("/admin/accounts/{account}/manager"),
                &[("manager", &sam_id.to_string())],
            )
            .await
            .assert_redirect(&format!("/admin/accounts/{account}"));
    }
    admin
        .post_form(
            &format!("/admin/accounts/{maya}/agency-managed"),
            &[("managed", "on")],
        )
        .await
        .assert_redirect(&format!("/admin/accounts/{maya}"));
    sam.wait_for_session_cache().await;
    Agency {
        brand,
        admin,
        sam,
        sam_id,
        maya,
        aisha,
        ana,
        ben,
        campaign,
        lumen,
    }
}

#[tokio::test]
async fn admins_add_managers_who_land_on_their_portfolio_and_see_nothing_else() {
    let a = agency_with_a_portfolio().await;
    let staff = a.admin.get("/admin/staff").await;
    assert!(staff.body.contains("Sam Okafor"));
    assert!(staff.body.contains("1 brand, 1 creator"));
    let taken = a
        .admin
        .post_form(
            "/admin/staff",
            &[
                ("display_name", "Sam again"),
                ("email", "sam@liaison.example"),
                ("role", "manager"),
            ],
        )
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.body.contains("An account already uses this address."));
    assert!(taken.body.contains("Sam again"), "what was typed is kept");

    a.sam.get("/dashboard").await.assert_redirect("/admin");
    let console = a.sam.get("/admin").await;
    assert_eq!(console.status, StatusCode::OK);
    assert!(console.body.contains("Your portfolio"));
    assert!(console.body.contains("Northwind Outdoor"));
    assert!(console.body.contains("Work as Northwind Outdoor"));
    assert!(!console.body.contains("Lumen Skincare"));
    assert!(
        console.body.contains(">Portfolio</a>"),
        "the navigation says so"
    );

    let accounts = a.sam.get("/admin/accounts").await;
    assert!(accounts.body.contains("maya@northwind.example"));
    assert!(accounts.body.contains("aisha@creators.example"));
    assert!(!accounts.body.contains("ana@lumen.example"));
    assert!(!accounts.body.contains("ben@creators.example"));
    for inside in [a.maya, a.aisha] {
        assert_eq!(
            a.sam.get(&format!("/admin/accounts/{inside}")).await.status,
            StatusCode::OK
        );
    }
    for outside in [a.ana, a.ben, a.sam_id] {
        assert_eq!(
            a.sam
                .get(&format!("/admin/accounts/{outside}"))
                .await
                .status,
            StatusCode::NOT_FOUND,
            "outside the portfolio"
        );
        assert_eq!(
            a.sam
                .post_form(
                    &format!("/admin/accounts/{outside}/suspend"),
                    &[("reason", "No.")]
                )
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
    for admin_only in [
        "/admin/audit",
        "/admin/exports",
        "/admin/outbox",
        "/admin/staff",
        "/admin/finance",
    ] {
        assert_eq!(
            a.sam.get(admin_only).await.status,
            StatusCode::FORBIDDEN,
            "{admin_only}"
        );
    }
    assert_eq!(
        a.sam
            .post_form(
                &format!("/admin/accounts/{}/manager", a.ben),
                &[("manager", &a.sam_id.to_string())]
            )
            .await
            .status,
        StatusCode::FORBIDDEN,
        "only admins assign portfolios"
    );

    // The admin's page of the manager lists the portfolio.
    let page = a.admin.get(&format!("/admin/accounts/{}", a.sam_id)).await;
    assert!(page.body.contains("Portfolio"));
    assert!(page.body.contains("Northwind Outdoor"));
}

#[tokio::test]
async fn a_portfolio_holds_only_managers_and_queues_count_only_its_rows() {
    let a = agency_with_a_portfolio().await;
    let admin_id = user_id(&a.brand, "jordan@liaison.example").await;
    let lumen_brand: Uuid =
        sqlx::query_scalar("select brand_id from brand_members where user_id = $1")
            .bind(a.ana)
            .fetch_one(&a.brand.db)
            .await
            .expect("lumen");
    let refused = sqlx::query(
        "insert into portfolio_brands (brand_id, manager_id, assigned_by) values ($1, $2, $2)",
    )
    .bind(lumen_brand)
    .bind(admin_id)
    .execute(&a.brand.db)
    .await
    .expect_err("an admin holds no portfolio");
    assert!(
        refused
            .to_string()
            .contains("portfolio_brands_manager_fkey"),
        "{refused}"
    );
    let bad = a
        .admin
        .post_form(
            &format!("/admin/accounts/{}/manager", a.ana),
            &[("manager", &admin_id.to_string())],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.body
            .contains("Only an agency manager can hold a portfolio")
    );
    let demote = sqlx::query("update users set role = 'admin' where id = $1")
        .bind(a.sam_id)
        .execute(&a.brand.db)
        .await;
    assert!(
        demote.is_err(),
        "a manager with a portfolio stays a manager"
    );

    // Figures to verify: both creators' channels; Sam sees Aisha's only.
    a.sam
        .post_form("/admin/queues/refresh", &[("back", "/admin")])
        .await
        .assert_redirect("/admin");
    let admin_queue = a.admin.get("/admin/queues/figures-to-verify").await;
    assert!(admin_queue.body.contains("ben@creators.example"));
    let sam_queue = a.sam.get("/admin/queues/figures-to-verify").await;
    assert_eq!(sam_queue.status, StatusCode::OK);
    assert!(sam_queue.body.contains("Only your portfolio"));
    assert!(!sam_queue.body.contains("ben@creators.example"));
    assert!(sam_queue.body.contains("aisha@creators.example"));
}

#[tokio::test]
async fn a_manager_works_as_a_managed_brand_and_its_team_sees_what_was_done_for_it() {
    let a = agency_with_a_portfolio().await;
    let lumen_brand: Uuid =
        sqlx::query_scalar("select brand_id from brand_members where user_id = $1")
            .bind(a.ana)
            .fetch_one(&a.brand.db)
            .await
            .expect("lumen");
    let northwind: Uuid =
        sqlx::query_scalar("select brand_id from brand_members where user_id = $1")
            .bind(a.maya)
            .fetch_one(&a.brand.db)
            .await
            .expect("northwind");
    assert_eq!(
        a.sam
            .post_form(
                &format!("/admin/portfolio/brands/{lumen_brand}/work-as"),
                &[]
            )
            .await
            .status,
        StatusCode::NOT_FOUND,
        "not theirs"
    );
    assert_eq!(
        a.sam.get("/campaigns/new").await.status,
        StatusCode::FORBIDDEN
    );

    a.sam
        .post_form(&format!("/admin/portfolio/brands/{northwind}/work-as"), &[])
        .await
        .assert_redirect("/dashboard");
    let dashboard = a.sam.get("/dashboard").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(
        dashboard
            .body
            .contains("You are working as <strong>Northwind Outdoor</strong>")
    );
    assert_eq!(
        a.sam.get("/admin").await.status,
        StatusCode::FORBIDDEN,
        "the brand, until they stop"
    );

    // A campaign and its brief, and a decision on an application.
    let created = fixtures::post(&a.sam, "/campaigns", &fixtures::valid_form()).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let campaign = created.location().to_owned();
    let brief = fixtures::post(
        &a.sam,
        &format!("{campaign}/brief"),
        &fixtures::brief_form("Trail kit for autumn"),
    )
    .await;
    assert_eq!(brief.status, StatusCode::SEE_OTHER, "{}", brief.body);
    let application: Uuid = sqlx::query_scalar(
        "select a.id from applications a join campaigns c on c.id = a.campaign_id where c.id = $1::uuid",
    )
    .bind(a.campaign.trim_start_matches("/campaigns/"))
    .fetch_one(&a.brand.db)
    .await
    .expect("application");
    a.sam
        .post_form(&format!("/applications/{application}/shortlist"), &[])
        .await
        .assert_redirect(&format!("/applications/{application}"));
    assert_eq!(
        a.sam.get("/brand/members").await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );
    assert_eq!(
        a.sam
            .post_form("/brand/members", &[("email", "x@northwind.example")])
            .await
            .status,
        StatusCode::FORBIDDEN,
        "owner-only things stay the owner's"
    );

    let done_for: i64 = a
        .brand
        .count(&format!(
            "select count(*) from audit_events where actor_user_id = '{}' and for_brand_id = '{northwind}'
               and action in ('campaign.created', 'campaign.brief_saved', 'application.shortlisted', 'manager.acting_started')",
            a.sam_id
        ))
        .await;
    assert_eq!(done_for, 4);
    let page = a.brand.get("/brand").await;
    assert!(page.body.contains("Done for you by the agency"));
    assert!(page.body.contains("Sam Okafor"));
    assert!(page.body.contains("Created a campaign"));

    // Stopping hands the console back.
    a.sam
        .post_form("/acting/stop", &[])
        .await
        .assert_redirect("/admin");
    assert_eq!(a.sam.get("/admin").await.status, StatusCode::OK);
    assert_eq!(
        a.sam.get("/campaigns/new").await.status,
        StatusCode::FORBIDDEN
    );

    // Taking the brand off the agency's hands ends working as it at once.
    a.sam
        .post_form(&format!("/admin/portfolio/brands/{northwind}/work-as"), &[])
        .await
        .assert_redirect("/dashboard");
    let maya = a.maya;
    a.admin
        .post_form(&format!("/admin/accounts/{maya}/agency-managed"), &[])
        .await
        .assert_redirect(&format!("/admin/accounts/{maya}"));
    a.sam.wait_for_session_cache().await;
    assert_eq!(
        a.sam.get("/campaigns/new").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(a.sam.get("/admin").await.status, StatusCode::OK);
    assert_eq!(
        a.sam
            .post_form(&format!("/admin/portfolio/brands/{northwind}/work-as"), &[])
            .await
            .status,
        StatusCode::NOT_FOUND,
        "no longer agency-managed"
    );
    // Marking it managed again does not put the old session back to work.
    a.admin
        .post_form(
            &format!("/admin/accounts/{maya}/agency-managed"),
            &[("managed", "on")],
        )
        .await
        .assert_redirect(&format!("/admin/accounts/{maya}"));
    a.sam.wait_for_session_cache().await;
    assert_eq!(
        a.sam.get("/campaigns/new").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(a.sam.get("/admin").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_manager_working_as_a_brand_reviews_its_drafts() {
    use crate::collaborations::{collaboration, latest_submission, review, scores, submit};
    let db = fresh_db().await;
    let c = collaboration(db).await;
    let admin = agency(&c.brand).await;
    let sam = manager(&admin, "sam@liaison.example", "Sam Okafor").await;
    let (maya, sam_id) = (
        user_id(&c.brand, "maya@northwind.example").await,
        user_id(&c.brand, "sam@liaison.example").await,
    );
    admin
        .post_form(
            &format!("/admin/accounts/{maya}/manager"),
            &[("manager", &sam_id.to_string())],
        )
        .await;
    admin
        .post_form(
            &format!("/admin/accounts/{maya}/agency-managed"),
            &[("managed", "on")],
        )
        .await;
    let northwind: Uuid =
        sqlx::query_scalar("select brand_id from brand_members where user_id = $1")
            .bind(maya)
            .fetch_one(&c.brand.db)
            .await
            .expect("northwind");
    sam.post_form(&format!("/admin/portfolio/brands/{northwind}/work-as"), &[])
        .await
        .assert_redirect("/dashboard");

    let deliverable = &c.deliverables[0];
    submit(&c.creator, deliverable, &[])
        .await
        .assert_redirect(deliverable);
    assert_eq!(sam.get(deliverable).await.status, StatusCode::OK);
    let submission = latest_submission(&c.brand, deliverable).await;
    review(&sam, &submission, &scores("approve", ""))
        .await
        .assert_redirect(deliverable);
    assert_eq!(
        c.brand
            .count(&format!(
                "select count(*) from audit_events where action = 'deliverable.reviewed'
                   and actor_user_id = '{sam_id}' and for_brand_id = '{northwind}'"
            ))
            .await,
        1
    );
}
