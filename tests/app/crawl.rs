//! Every page each role reaches from its start page in the demo, found by
//! following links the way a visitor (or a scanner) would, so a new page is
//! covered the day it is linked: no page is a server fault, and every field
//! of every form, and every parameter of every link, sent with a NUL is
//! refused in plain words and never acted on.

use std::collections::{BTreeMap, HashSet, VecDeque};

use reqwest::StatusCode;
use scraper::{ElementRef, Html, Selector};

use crate::{
    helpers::{Page, TestApp, fresh_db, spawn},
    markup,
};

const NUL: &str = "a\0b";

/// Pages kept per address shape (ids replaced): enough to meet each state.
const PER_SHAPE: usize = 3;

/// Where a crawl may not go: away from the app, its files, or out of the session.
fn followable(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/static/")
        && !path.starts_with("/logout")
        && !path.ends_with(".csv")
}

/// The address with every id and number replaced, so `/campaigns/{id}` is
/// crawled a few times, not once per campaign.
fn shape(path: &str) -> String {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let segments: Vec<String> = path
        .split('/')
        .map(|s| {
            let id_like = s.len() >= 8 && s.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
            if id_like || (!s.is_empty() && s.chars().all(|c| c.is_ascii_digit())) {
                "{id}".to_owned()
            } else {
                s.to_owned()
            }
        })
        .collect();
    let mut names: Vec<&str> = query
        .split('&')
        .filter_map(|p| p.split('=').next())
        .filter(|n| !n.is_empty())
        .collect();
    names.sort_unstable();
    names.dedup();
    format!("{}?{}", segments.join("/"), names.join("&"))
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct FormSpec {
    /// The page it was found on, to say where a failure came from.
    page: String,
    post: bool,
    action: String,
    fields: Vec<(String, String)>,
}

/// The fields a browser would send for a form as the page shows it.
fn form_fields(form: ElementRef<'_>) -> Vec<(String, String)> {
    let controls = Selector::parse("input[name], select[name], textarea[name], button[name]")
        .expect("selector");
    let option = Selector::parse("option").expect("selector");
    let mut fields = Vec::new();
    let mut button_taken = false;
    for control in form.select(&controls) {
        let el = control.value();
        let name = el.attr("name").unwrap_or_default().to_owned();
        let value = match el.name() {
            "select" => {
                let options: Vec<ElementRef<'_>> = control.select(&option).collect();
                options
                    .iter()
                    .find(|o| o.value().attr("selected").is_some())
                    .or(options.first())
                    .map(|o| {
                        o.value()
                            .attr("value")
                            .map_or_else(|| o.text().collect(), str::to_owned)
                    })
                    .unwrap_or_default()
            }
            "textarea" => control.text().collect(),
            "button" => {
                // The first named button is the one pressed.
                if button_taken {
                    continue;
                }
                button_taken = true;
                el.attr("value").unwrap_or_default().to_owned()
            }
            _ => {
                let kind = el.attr("type").unwrap_or("text");
                if matches!(kind, "checkbox" | "radio") && el.attr("checked").is_none() {
                    continue;
                }
                if matches!(kind, "submit" | "image" | "reset" | "file") {
                    continue;
                }
                el.attr("value").unwrap_or_default().to_owned()
            }
        };
        fields.push((name, value));
    }
    fields
}

/// What one role can reach: the pages (address and status) and the forms and
/// link queries on them.
struct Reach {
    pages: Vec<(String, StatusCode)>,
    /// Each page's markup, for the HTML checker.
    markup: Vec<(String, String)>,
    forms: Vec<FormSpec>,
}

async fn crawl(app: &TestApp, start: &[&str]) -> Reach {
    let anchor = Selector::parse("a[href]").expect("selector");
    let form_sel = Selector::parse("form").expect("selector");
    let mut queue: VecDeque<String> = start.iter().map(|s| (*s).to_owned()).collect();
    let mut seen: HashSet<String> = queue.iter().cloned().collect();
    let mut per_shape: BTreeMap<String, usize> = BTreeMap::new();
    let mut form_shapes: HashSet<(bool, String, Vec<String>)> = HashSet::new();
    let mut reach = Reach {
        pages: Vec::new(),
        markup: Vec::new(),
        forms: Vec::new(),
    };
    while let Some(path) = queue.pop_front() {
        let count = per_shape.entry(shape(&path)).or_default();
        if *count >= PER_SHAPE {
            continue;
        }
        *count += 1;
        let page = app.get(&path).await;
        reach.pages.push((path.clone(), page.status));
        if page
            .headers
            .get("content-type")
            .is_some_and(|v| v.as_bytes().starts_with(b"text/html"))
        {
            reach.markup.push((path.clone(), page.body.clone()));
        }
        if !page.status.is_success() {
            continue;
        }
        let html = Html::parse_document(&page.body);
        for a in html.select(&anchor) {
            let href = a.value().attr("href").unwrap_or_default();
            let href = href.split('#').next().unwrap_or_default();
            let href = if href.starts_with('?') {
                format!("{}{href}", path.split('?').next().unwrap_or_default())
            } else {
                href.to_owned()
            };
            if followable(&href) && seen.insert(href.clone()) {
                queue.push_back(href);
            }
        }
        for form in html.select(&form_sel) {
            let post = form
                .value()
                .attr("method")
                .is_some_and(|m| m.eq_ignore_ascii_case("post"));
            let action = form.value().attr("action").unwrap_or(&path).to_owned();
            let fields = form_fields(form);
            let names = fields.iter().map(|(n, _)| n.clone()).collect();
            if followable(&action) && form_shapes.insert((post, shape(&action), names)) {
                reach.forms.push(FormSpec {
                    page: path.clone(),
                    post,
                    action,
                    fields,
                });
            }
        }
    }
    reach
}

/// Each field of the form in turn holding a NUL, the others as the page has them.
fn with_nul_in_each(fields: &[(String, String)]) -> Vec<(String, Vec<(String, String)>)> {
    let mut names: Vec<&String> = fields.iter().map(|(n, _)| n).collect();
    names.dedup();
    names
        .into_iter()
        .map(|name| {
            let mut done = false;
            let sent = fields
                .iter()
                .map(|(n, v)| {
                    if n == name && !done {
                        done = true;
                        (n.clone(), NUL.to_owned())
                    } else {
                        (n.clone(), v.clone())
                    }
                })
                .collect();
            (name.clone(), sent)
        })
        .collect()
}

/// The query parameters of the links a crawl followed, as forms of their own.
fn link_queries(reach: &Reach) -> Vec<FormSpec> {
    let mut shapes = HashSet::new();
    reach
        .pages
        .iter()
        .filter_map(|(path, _)| path.split_once('?').map(|(p, q)| (path, p, q)))
        .filter(|(path, _, _)| shapes.insert(shape(path)))
        .map(|(path, action, query)| FormSpec {
            page: path.clone(),
            post: false,
            action: action.to_owned(),
            fields: form_urlencoded::parse(query.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        })
        .collect()
}

async fn send(app: &TestApp, form: &FormSpec, fields: &[(String, String)]) -> Page {
    let request = if form.post {
        app.client.post(app.url(&form.action)).form(fields)
    } else {
        let query = serde_urlencoded::to_string(fields).expect("query");
        app.client.get(app.url(&format!("{}?{query}", form.action)))
    };
    let res = request.send().await.expect("request");
    let status = res.status();
    let headers = res.headers().clone();
    Page {
        status,
        headers,
        body: res.text().await.unwrap_or_default(),
    }
}

/// What one role's crawl found.
#[derive(Default)]
struct Outcome {
    pages: usize,
    sent: usize,
    problems: Vec<String>,
    /// Every page as served, and each form as it comes back refused.
    markup: Vec<(String, String)>,
}

/// Crawls as one role and sends a NUL in every field.
async fn check_role(app: &TestApp, role: &str, start: &[&str]) -> Outcome {
    let reach = crawl(app, start).await;
    if std::env::var_os("LIAISON_CRAWL_LIST").is_some() {
        let shapes: std::collections::BTreeSet<String> =
            reach.pages.iter().map(|(p, _)| shape(p)).collect();
        eprintln!("{role}: {shapes:#?}");
    }
    let mut outcome = Outcome {
        pages: reach.pages.len(),
        markup: reach.markup.clone(),
        ..Outcome::default()
    };
    for (path, status) in &reach.pages {
        if status.is_server_error() {
            outcome
                .problems
                .push(format!("{role}: GET {path} answered {status}"));
        }
    }
    let mut forms = reach.forms.clone();
    forms.extend(link_queries(&reach));
    for form in &forms {
        let mut refused_page_kept = false;
        for (name, fields) in with_nul_in_each(&form.fields) {
            outcome.sent += 1;
            let res = send(app, form, &fields).await;
            let method = if form.post { "POST" } else { "GET" };
            let expected = if name == "csrf_token" {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::BAD_REQUEST
            };
            // A page that never reads the parameter may ignore it; nothing else may.
            let ignored = !form.post && res.status == StatusCode::OK;
            if res.status != expected && !ignored {
                outcome.problems.push(format!(
                    "{role}: {method} {} with a NUL in “{name}” (form on {}) answered {}",
                    form.action, form.page, res.status
                ));
            } else if res.body.contains("Something went wrong") {
                outcome.problems.push(format!(
                    "{role}: {method} {} with a NUL in “{name}” claimed a server fault",
                    form.action
                ));
            } else if res.status == StatusCode::BAD_REQUEST && !refused_page_kept {
                refused_page_kept = true;
                let label = format!("{method} {} refused", form.action);
                outcome.markup.push((label, res.body));
            }
        }
    }
    outcome
}

#[tokio::test]
async fn no_page_of_any_role_faults_and_every_field_refuses_a_nul() {
    let db = fresh_db().await;
    liaison::seed::demo(&db, &crate::helpers::test_data_key())
        .await
        .expect("demo");
    let visitor = spawn(db).await;
    let password = liaison::seed::DEMO_PASSWORD;
    let mut problems = Vec::new();
    let mut totals = Vec::new();
    let mut markup = Vec::new();
    for (role, email) in [
        ("visitor", None),
        ("agency admin", Some("admin@liaison.example")),
        ("agency manager", Some("riley@liaison.example")),
        ("brand owner", Some("maya@northwind.example")),
        ("brand member", Some("leo@northwind.example")),
        ("creator", Some("aisha.patel@creators.example")),
    ] {
        let app = visitor.another_browser();
        let start: &[&str] = match email {
            Some(email) => {
                app.login(email, password)
                    .await
                    .assert_redirect("/dashboard");
                // A manager's dashboard is their portfolio's console.
                if role == "agency manager" {
                    &["/admin"]
                } else {
                    &["/dashboard"]
                }
            }
            None => &[
                "/",
                "/login",
                "/signup",
                "/media-kit/aisha-patel",
                "/no-such-page",
            ],
        };
        let outcome = check_role(&app, role, start).await;
        totals.push(format!(
            "{role}: {} pages, {} requests with a NUL",
            outcome.pages, outcome.sent
        ));
        problems.extend(outcome.problems);
        markup.extend(
            outcome
                .markup
                .into_iter()
                .map(|(label, html)| (format!("{role}: {label}"), html)),
        );
    }
    eprintln!("{}", totals.join("\n"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let errors = markup::check(&markup);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}
