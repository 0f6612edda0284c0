//! `/admin/audit`: the audit trail filtered by actor, action, object and
//! dates, 50 events a page (keyset: "older" continues after the last event
//! shown), and the same filter as a CSV download.

use askama::Template;
use axum::{
    Router,
    extract::State,
    response::{IntoResponse, Response},
    routing::get,
};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use futures_util::TryStreamExt;

use crate::{
    audit::search::{self, AuditEvent, Criteria},
    auth::Admin,
    domain::{date::parse_date, display::filters},
    error::AppError,
    state::AppState,
    web::{
        FieldErrors, Page, PageContext, Query,
        csv_stream::{self, CsvSink, timestamp},
        keyset,
    },
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/audit", get(list))
        .route("/admin/audit.csv", get(download))
}

const PAGE: i64 = search::LONGEST_PAGE;

/// The filter as typed; kept to fill the form in again and to build links.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct AuditQuery {
    pub actor: String,
    pub action: String,
    pub object: String,
    pub from: String,
    pub to: String,
    #[serde(skip_serializing)]
    pub before: String,
}

impl AuditQuery {
    /// The query string of this filter, for the next page and the download.
    fn link(&self) -> String {
        serde_urlencoded::to_string(self).unwrap_or_default()
    }

    fn is_filtered(&self) -> bool {
        [
            &self.actor,
            &self.action,
            &self.object,
            &self.from,
            &self.to,
        ]
        .iter()
        .any(|v| !v.trim().is_empty())
    }
}

fn parse_id(input: &str, field: &str) -> Result<Option<Uuid>, String> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(None);
    }
    Uuid::parse_str(input).map(Some).map_err(|_| {
        format!("Enter {field} as an id like 0193a1b2-…, as shown in the trail, or leave it empty.")
    })
}

/// The criteria, with a message by field for what makes no sense (that
/// part of the filter is left out).
async fn parse(state: &AppState, q: &AuditQuery) -> Result<(Criteria, FieldErrors), AppError> {
    let mut errors = FieldErrors::new();
    let mut criteria = Criteria::default();
    let actor = q.actor.trim();
    if !actor.is_empty() {
        criteria.actor = match Uuid::parse_str(actor) {
            Ok(id) => Some(id),
            Err(_) => {
                let email = actor.to_lowercase();
                let found = sqlx::query_scalar!("select id from users where email = $1", email)
                    .fetch_optional(&state.db)
                    .await?;
                if found.is_none() {
                    errors.add(
                        "actor",
                        "No account has this email address. Check it, or leave it empty.",
                    );
                }
                found
            }
        };
    }
    let action = q.action.trim();
    if !action.is_empty() {
        criteria.action = Some(action.to_owned());
    }
    criteria.object = errors
        .check("object", parse_id(&q.object, "the object"))
        .flatten();
    let date = |v: &str, what| {
        if v.trim().is_empty() {
            Ok(None)
        } else {
            parse_date(v, what).map(Some)
        }
    };
    criteria.from = errors
        .check("from", date(&q.from, "the first day"))
        .flatten();
    criteria.to = errors.check("to", date(&q.to, "the last day")).flatten();
    if let (Some(from), Some(to)) = (criteria.from, criteria.to)
        && to < from
    {
        errors.add(
            "to",
            "The last day comes before the first. Swap them, or clear one.",
        );
        criteria.to = None;
    }
    Ok((criteria, errors))
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    ctx: PageContext,
    query: AuditQuery,
    errors: FieldErrors,
    actions: Vec<(String, String)>,
    events: Vec<AuditEvent>,
    /// The query string of the page after this one.
    older: Option<String>,
    first_page: bool,
    download: String,
}

impl AuditPage {
    fn filtered(&self) -> bool {
        self.query.is_filtered()
    }
}

async fn list(
    State(state): State<AppState>,
    ctx: PageContext,
    _admin: Admin,
    Query(query, unread): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let (criteria, errors) = parse(&state, &query).await?;
    let errors = unread.into_errors(errors);
    let before = Uuid::parse_str(query.before.trim()).ok();
    let mut conn = state.db.acquire().await?;
    let mut events = search::page(&mut *conn, &criteria, before, PAGE).await?;
    let actions = search::actions(&mut *conn).await?;
    drop(conn);
    let older = keyset::older(&mut events, PAGE, &query.link(), |e| e.id);
    let status = errors.filter_status();
    let page = AuditPage {
        ctx,
        download: query.link(),
        first_page: before.is_none(),
        query,
        errors,
        actions,
        events,
        older,
    };
    Ok((status, Page(page)).into_response())
}

async fn download(
    State(state): State<AppState>,
    _admin: Admin,
    Query(query, unread): Query<AuditQuery>,
) -> Result<Response, AppError> {
    unread.or_refuse()?;
    let (criteria, errors) = parse(&state, &query).await?;
    if let Some(message) = errors.messages().next() {
        return Err(AppError::BadRequest(message.to_owned()));
    }
    let db = state.db.clone();
    Ok(csv_stream::csv("audit-trail.csv", |sink| {
        export(db, criteria, sink)
    }))
}

const CSV_HEADER: [&str; 11] = [
    "occurred_at",
    "seq",
    "action",
    "description",
    "actor_email",
    "actor_name",
    "for_brand",
    "object_id",
    "detail",
    "ip",
    "event_id",
];

async fn export(
    db: PgPool,
    criteria: Criteria,
    mut sink: CsvSink,
) -> Result<(), csv_stream::Error> {
    sink.row(CSV_HEADER).await?;
    let mut rows = search::matching(&db, &criteria, None, None);
    while let Some(e) = rows.try_next().await? {
        let ip = e.ip_text();
        sink.row([
            timestamp(e.occurred_at),
            e.seq.map(|s| s.to_string()).unwrap_or_default(),
            e.action,
            e.description,
            e.actor_email.unwrap_or_default(),
            e.actor_name.unwrap_or_default(),
            e.for_brand_name.unwrap_or_default(),
            e.object_id.map(|id| id.to_string()).unwrap_or_default(),
            e.detail,
            ip,
            e.id.to_string(),
        ])
        .await?;
    }
    sink.finish().await
}
