//! Every console route, for every kind of user, with ids inside and outside
//! a manager's portfolio: admins everywhere, managers only within their
//! portfolio (404 beyond it, 403 on admin-only pages), brands and creators
//! 403, visitors sent to sign in.

use reqwest::StatusCode;
use uuid::Uuid;

use crate::{
    fixtures,
    helpers::{Page, TestApp},
    managers::{Agency, agency_with_a_portfolio, user_id},
};

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// Agency admins only: managers get 403.
    AdminOnly,
    /// Admins, and managers within their portfolio.
    Staff,
    /// An id within the manager's portfolio.
    Inside,
    /// An id beyond the manager's portfolio: 404 to them.
    Outside,
    /// An id that names nothing: 404 to every member of staff allowed there.
    Nothing,
    /// Working as a brand: a manager's, within their portfolio.
    ManagerInside,
    ManagerOutside,
}

struct Route {
    method: &'static str,
    path: String,
    rule: Rule,
    form: Vec<(&'static str, String)>,
}

fn get(path: impl Into<String>, rule: Rule) -> Route {
    Route {
        method: "GET",
        path: path.into(),
        rule,
        form: Vec::new(),
    }
}

fn post(path: impl Into<String>, rule: Rule, form: &[(&'static str, &str)]) -> Route {
    Route {
        method: "POST",
        path: path.into(),
        rule,
        form: form.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
    }
}

async fn send(app: &TestApp, route: &Route) -> Page {
    match route.method {
        "GET" => app.get(&route.path).await,
        _ => fixtures::post(app, &route.path, &route.form).await,
    }
}

/// Answers that mean the user was let in: the page, a redirect after
/// acting, or the form's own refusal of what was sent.
fn let_in(status: StatusCode) -> bool {
    status.is_success()
        || status == StatusCode::SEE_OTHER
        || [
            StatusCode::BAD_REQUEST,
            StatusCode::CONFLICT,
            StatusCode::UNPROCESSABLE_ENTITY,
        ]
        .contains(&status)
}

async fn routes(a: &Agency) -> Vec<Route> {
    let brand_of = async |user: Uuid| -> Uuid {
        sqlx::query_scalar("select brand_id from brand_members where user_id = $1")
            .bind(user)
            .fetch_one(&a.brand.db)
            .await
            .expect("brand")
    };
    let (northwind, lumen) = (brand_of(a.maya).await, brand_of(a.ana).await);
    let channel: Uuid = sqlx::query_scalar(
        "select c.id from channels c join influencer_profiles p on p.id = c.profile_id where p.user_id = $1",
    )
    .bind(a.aisha)
    .fetch_one(&a.brand.db)
    .await
    .expect("channel");
    let message: Uuid = sqlx::query_scalar("select id from outbox limit 1")
        .fetch_one(&a.brand.db)
        .await
        .expect("a message");
    let nothing = Uuid::now_v7();
    let sam = a.sam_id.to_string();
    let mut routes = vec![
        get("/admin", Rule::Staff),
        get("/admin/accounts", Rule::Staff),
        get("/admin/queues/reviews-overdue", Rule::Staff),
        get("/admin/queues/figures-to-verify", Rule::Staff),
        get("/admin/queues/no-such-queue", Rule::Nothing),
        get("/admin/audit", Rule::AdminOnly),
        get("/admin/audit.csv", Rule::AdminOnly),
        get("/admin/exports", Rule::AdminOnly),
        get("/admin/exports/accounts.csv", Rule::AdminOnly),
        get("/admin/exports/payments.csv", Rule::AdminOnly),
        get("/admin/outbox", Rule::AdminOnly),
        get(format!("/admin/outbox/{message}"), Rule::AdminOnly),
        get(format!("/admin/outbox/{nothing}"), Rule::Nothing),
        get("/admin/staff", Rule::AdminOnly),
        get("/admin/tiers", Rule::AdminOnly),
        get("/admin/finance", Rule::AdminOnly),
        get("/admin/finance/payouts", Rule::AdminOnly),
        get(format!("/admin/finance/payouts/{nothing}"), Rule::Nothing),
        get("/admin/results", Rule::AdminOnly),
        get("/admin/results/tiers.csv?currency=USD", Rule::AdminOnly),
        get("/admin/results/brands.csv?currency=USD", Rule::AdminOnly),
        get(format!("/admin/accounts/{nothing}"), Rule::Nothing),
        post(
            format!("/admin/outbox/{message}/retry"),
            Rule::AdminOnly,
            &[],
        ),
        post("/admin/staff", Rule::AdminOnly, &[]),
        post("/admin/tiers", Rule::AdminOnly, &[]),
        post(
            format!("/admin/channels/{channel}/verify"),
            Rule::AdminOnly,
            &[("note", "Checked against the analytics.")],
        ),
        post("/admin/finance/check", Rule::AdminOnly, &[]),
        post("/admin/finance/receipts", Rule::AdminOnly, &[]),
        post("/admin/finance/terms", Rule::AdminOnly, &[]),
        post("/admin/finance/issuer", Rule::AdminOnly, &[]),
        post("/admin/finance/payouts/payer", Rule::AdminOnly, &[]),
        post(
            format!("/admin/finance/payouts/{nothing}/discard"),
            Rule::Nothing,
            &[],
        ),
        post(
            format!("/admin/finance/payouts/{nothing}/sent"),
            Rule::Nothing,
            &[],
        ),
        post("/admin/results/refresh", Rule::AdminOnly, &[]),
        post("/admin/queues/refresh", Rule::Staff, &[("back", "/admin")]),
        post(
            format!("/admin/accounts/{}/owner", a.maya),
            Rule::AdminOnly,
            &[],
        ),
        post(
            format!("/admin/accounts/{}/manager", a.maya),
            Rule::AdminOnly,
            &[("manager", &sam)],
        ),
        post(
            format!("/admin/accounts/{}/agency-managed", a.maya),
            Rule::AdminOnly,
            &[("managed", "on")],
        ),
    ];
    for (id, rule) in [
        (a.maya, Rule::Inside),
        (a.aisha, Rule::Inside),
        (a.ana, Rule::Outside),
        (a.ben, Rule::Outside),
    ] {
        routes.push(get(format!("/admin/accounts/{id}"), rule));
        routes.push(post(
            format!("/admin/accounts/{id}/suspend"),
            rule,
            &[("reason", "")],
        ));
        routes.push(post(format!("/admin/accounts/{id}/reactivate"), rule, &[]));
        routes.push(post(
            format!("/admin/accounts/{id}/password-reset"),
            rule,
            &[],
        ));
    }
    // Last: working as a brand changes who the manager is until they stop.
    routes.push(post(
        format!("/admin/portfolio/brands/{lumen}/work-as"),
        Rule::ManagerOutside,
        &[],
    ));
    routes.push(post(
        format!("/admin/portfolio/brands/{northwind}/work-as"),
        Rule::ManagerInside,
        &[],
    ));
    routes
}

#[tokio::test]
async fn every_console_route_answers_each_kind_of_user_as_its_rule_says() {
    let a = agency_with_a_portfolio().await;
    let creator = a.brand.another_browser();
    creator
        .login("aisha@creators.example", crate::helpers::PASSWORD)
        .await
        .assert_redirect("/dashboard");
    let visitor = a.brand.another_browser();
    let _ = user_id(&a.brand, "jordan@liaison.example").await;
    let routes = routes(&a).await;
    let mut problems = Vec::new();
    for route in &routes {
        let what = format!("{} {} ({:?})", route.method, route.path, route.rule);
        let v = send(&visitor, route).await;
        if v.status != StatusCode::SEE_OTHER || !v.location().starts_with("/login") {
            problems.push(format!("visitor: {what} answered {}", v.status));
        }
        for (who, app) in [
            ("creator", &creator),
            ("brand owner", &a.brand),
            ("other brand", &a.lumen),
        ] {
            let page = send(app, route).await;
            if page.status != StatusCode::FORBIDDEN {
                problems.push(format!("{who}: {what} answered {}", page.status));
            }
        }
        let m = send(&a.sam, route).await;
        let manager_ok = match route.rule {
            Rule::AdminOnly => m.status == StatusCode::FORBIDDEN,
            Rule::Staff | Rule::Inside | Rule::ManagerInside => let_in(m.status),
            Rule::Outside | Rule::Nothing | Rule::ManagerOutside => {
                m.status == StatusCode::NOT_FOUND
                    // Beyond the console's reach whatever the id.
                    || (route.path.starts_with("/admin/finance") || route.path.starts_with("/admin/outbox"))
                        && m.status == StatusCode::FORBIDDEN
            }
        };
        if !manager_ok {
            problems.push(format!("manager: {what} answered {}", m.status));
        }
        let admin = send(&a.admin, route).await;
        let admin_ok = match route.rule {
            Rule::AdminOnly | Rule::Staff | Rule::Inside | Rule::Outside => let_in(admin.status),
            Rule::Nothing => admin.status == StatusCode::NOT_FOUND,
            // Admins act as themselves.
            Rule::ManagerInside | Rule::ManagerOutside => admin.status == StatusCode::FORBIDDEN,
        };
        if !admin_ok {
            problems.push(format!("admin: {what} answered {}", admin.status));
        }
    }
    assert!(
        problems.is_empty(),
        "{} routes checked:\n{}",
        routes.len(),
        problems.join("\n")
    );
    // The last route made the manager the brand.
    assert!(
        a.sam
            .get("/dashboard")
            .await
            .body
            .contains("You are working as")
    );
}
