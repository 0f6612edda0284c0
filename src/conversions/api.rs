//! `POST /api/v1/conversions` and `GET /api/v1/conversions/{order_id}`: the
//! server-to-server way in, for a shop's backend. JSON both ways; a bearer
//! token names the brand; every refusal says which field and why.

use std::net::IpAddr;

use axum::{
    Json, Router,
    body::Bytes,
    extract::{DefaultBodyLimit, Path, State, rejection::BytesRejection},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::{OffsetDateTime, format_description::well_known::Rfc3339};
use uuid::Uuid;

use super::{
    db::{self, Conversion, Recorded, Refusal},
    domain::{Problem, RawOrder, Source},
    tokens,
};
use crate::{
    error::AppError,
    limits::{Limit, Refused},
    state::AppState,
    web::client_ip::ClientIp,
};

/// An order is a few hundred bytes; anything far larger is not one.
const BODY_LIMIT: usize = 16 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/conversions", post(create))
        .route("/api/v1/conversions/{order_id}", get(show))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

/// A refusal: its status and the problems, as JSON.
struct ApiError(StatusCode, Vec<Problem>, Option<Refused>);

impl ApiError {
    fn one(status: StatusCode, field: &str, reason: impl Into<String>) -> Self {
        ApiError(status, vec![Problem::new(field, reason)], None)
    }

    fn many(status: StatusCode, problems: Vec<Problem>) -> Self {
        ApiError(status, problems, None)
    }
}

impl From<Refused> for ApiError {
    fn from(refused: Refused) -> Self {
        ApiError(
            StatusCode::TOO_MANY_REQUESTS,
            vec![Problem::new("", refused.message())],
            Some(refused),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.0, Json(serde_json::json!({ "errors": self.1 }))).into_response();
        if self.0 == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(refused) = self.2 {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(refused.retry_after_secs()),
            );
        }
        response
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        let status = e.status();
        if status.is_server_error() {
            tracing::error!(error = %e, "conversions API");
        }
        let reason = match status {
            StatusCode::SERVICE_UNAVAILABLE => "Liaison can't reach its database; retry shortly.",
            _ => "Something went wrong on our side; it is logged. Retry with the same order id.",
        };
        ApiError::one(status, "", reason)
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        AppError::from(e).into()
    }
}

/// The brand the request's token names, once the request is within the
/// limits for its address and then for that brand.
async fn brand(state: &AppState, headers: &HeaderMap, ip: IpAddr) -> Result<Uuid, ApiError> {
    let per_minute = state.config.api_requests_per_minute;
    let by_address = Limit {
        max: per_minute.saturating_mul(2),
        ..Limit::API_BY_ADDRESS
    };
    if let Some(refused) = state.api_limits.hit(&by_address.from(ip)) {
        return Err(refused.into());
    }
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let Some(token) = token else {
        return Err(ApiError::one(
            StatusCode::UNAUTHORIZED,
            "authorization",
            "Send your brand's API token as Authorization: Bearer lia_…",
        ));
    };
    let brand_id = tokens::brand_of(&state.db, token).await?.ok_or_else(|| {
        ApiError::one(
            StatusCode::UNAUTHORIZED,
            "authorization",
            "This token is not valid: it may have been revoked. Create a new one on your brand page.",
        )
    })?;
    let by_brand = Limit {
        max: per_minute,
        ..Limit::API_ORDERS
    };
    if let Some(refused) = state.api_limits.hit(&by_brand.of(brand_id)) {
        return Err(refused.into());
    }
    Ok(brand_id)
}

/// The body as sent: each field any JSON value, so a wrong type is named by
/// its field rather than failing the whole body.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Body {
    order_id: Option<Value>,
    amount: Option<Value>,
    currency: Option<Value>,
    occurred_at: Option<Value>,
    click_id: Option<Value>,
    promo_code: Option<Value>,
    status: Option<Value>,
}

/// A field as text: strings as they are, numbers as JSON writes them (never
/// through a float: 45.99 stays "45.99").
fn text(field: &str, value: Option<Value>, problems: &mut Vec<Problem>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s,
        Some(Value::Number(n)) if field == "amount" || field == "order_id" => n.to_string(),
        Some(_) => {
            problems.push(Problem::new(field, "Send this field as a string."));
            String::new()
        }
    }
}

#[derive(Debug, Serialize)]
struct OrderOut {
    id: Uuid,
    order_id: String,
    amount: String,
    currency: &'static str,
    occurred_at: String,
    status: &'static str,
    attributed: Option<AttributedOut>,
}

#[derive(Debug, Serialize)]
struct AttributedOut {
    collaboration_id: Uuid,
    by: &'static str,
}

impl From<&Conversion> for OrderOut {
    fn from(c: &Conversion) -> Self {
        OrderOut {
            id: c.id,
            order_id: c.order_id.clone(),
            amount: c.amount.to_decimal_string(),
            currency: c.amount.currency().code(),
            occurred_at: c.occurred_at.format(&Rfc3339).unwrap_or_default(),
            status: c.status.key(),
            attributed: c
                .application_id
                .zip(c.attributed_by)
                .map(|(collaboration_id, by)| AttributedOut {
                    collaboration_id,
                    by: by.key(),
                }),
        }
    }
}

async fn create(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let brand_id = brand(&state, &headers, ip).await?;
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::one(
                StatusCode::PAYLOAD_TOO_LARGE,
                "",
                format!(
                    "Send one order per request: a body is at most {} KiB.",
                    BODY_LIMIT / 1024
                ),
            )
        } else {
            ApiError::one(
                StatusCode::BAD_REQUEST,
                "",
                "The body could not be read completely.",
            )
        }
    })?;
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    if !is_json {
        return Err(ApiError::one(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "content-type",
            "Send the order as JSON, with Content-Type: application/json.",
        ));
    }
    let sent: Body = serde_json::from_slice(&body).map_err(|e| {
        let field = e
            .to_string()
            .split('`')
            .nth(1)
            .filter(|_| e.is_data())
            .unwrap_or_default()
            .to_owned();
        ApiError::one(
            StatusCode::BAD_REQUEST,
            &field,
            format!("The body is not an order as JSON: {e}."),
        )
    })?;
    let mut problems = Vec::new();
    let raw = RawOrder {
        order_id: text("order_id", sent.order_id, &mut problems),
        amount: text("amount", sent.amount, &mut problems),
        currency: text("currency", sent.currency, &mut problems),
        occurred_at: text("occurred_at", sent.occurred_at, &mut problems),
        click_id: text("click_id", sent.click_id, &mut problems),
        promo_code: text("promo_code", sent.promo_code, &mut problems),
        status: text("status", sent.status, &mut problems),
    };
    let order = match raw.parse(OffsetDateTime::now_utc()) {
        Ok(order) if problems.is_empty() => order,
        Ok(_) => return Err(ApiError::many(StatusCode::UNPROCESSABLE_ENTITY, problems)),
        Err(more) => {
            problems.extend(more);
            return Err(ApiError::many(StatusCode::UNPROCESSABLE_ENTITY, problems));
        }
    };
    let mut tx = state.db.begin().await?;
    let outcome = db::record(&mut tx, brand_id, &order, Source::Api).await?;
    let (status, conversion, replayed) = match outcome {
        Ok(Recorded::Created(c, _)) => (StatusCode::CREATED, c, false),
        Ok(Recorded::Refunded(c)) => (StatusCode::OK, c, false),
        Ok(Recorded::Replayed(c) | Recorded::AlreadyRefunded(c)) => (StatusCode::OK, c, true),
        Err(refusal) => {
            tx.rollback().await?;
            return Err(refused(&order.order_id, refusal));
        }
    };
    tx.commit().await?;
    let mut out = serde_json::to_value(OrderOut::from(&conversion))
        .map_err(|e| AppError::Internal(e.into()))?;
    out["replayed"] = Value::Bool(replayed);
    Ok((status, Json(out)).into_response())
}

fn refused(order_id: &str, refusal: Refusal) -> ApiError {
    let status = match refusal {
        Refusal::Changed { .. } => StatusCode::CONFLICT,
        Refusal::WrongCurrency { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        Refusal::NothingToRefund => StatusCode::NOT_FOUND,
    };
    ApiError::many(status, vec![refusal.problem(order_id)])
}

async fn show(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(order_id): Path<String>,
) -> Result<Response, ApiError> {
    let brand_id = brand(&state, &headers, ip).await?;
    let conversion = db::find(&state.db, brand_id, &order_id)
        .await?
        .ok_or_else(|| {
            ApiError::one(
                StatusCode::NOT_FOUND,
                "order_id",
                format!("No order {order_id} is recorded for your brand."),
            )
        })?;
    Ok(Json(OrderOut::from(&conversion)).into_response())
}
