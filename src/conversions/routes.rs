//! `/conversions`: the brand's orders (attributed and not), uploading a store
//! export, its preview, and importing or discarding it.

use askama::Template;
use axum::{
    Router,
    extract::{DefaultBodyLimit, Multipart, Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::Deserialize;
use uuid::Uuid;

use super::{
    db::{self, ListedOrder},
    domain::OrderStatus,
    upload::{self, FileProblem},
    uploads::{self, NotImported, Upload, UploadRow},
};
use crate::{
    audit::{self, Action},
    auth::BrandMember,
    domain::display::filters,
    error::AppError,
    limits::{self, Limit},
    state::AppState,
    web::{
        Flash, Form, Page, PageContext, Query,
        client_ip::ClientIp,
        forms::refused_form,
        keyset::{self, Cursor},
    },
};

/// The pages, under the pages' middleware.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/conversions", get(index))
        .route("/conversions/uploads/{id}", get(show_upload))
        .route("/conversions/uploads/{id}/import", post(import))
        .route("/conversions/uploads/{id}/discard", post(discard))
}

/// The upload, which streams a file larger than the pages' 1 MiB limit: the
/// router gives it the page context and the CSRF check without that limit.
pub fn upload_router() -> Router<AppState> {
    Router::new()
        .route("/conversions/uploads", post(upload))
        // Room for the form's own parts around the largest file.
        .layer(DefaultBodyLimit::max(upload::MAX_BYTES + 64 * 1024))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ListQuery {
    show: String,
    /// Where the page before ended (`web::keyset::Cursor`).
    before: String,
}

#[derive(Template)]
#[template(path = "conversions/index.html")]
struct IndexPage {
    ctx: PageContext,
    brand_name: String,
    orders: Vec<ListedOrder>,
    /// This list's newest page, and the query string of the next page.
    first: &'static str,
    later_page: bool,
    more: Option<String>,
    unattributed: db::Unattributed,
    only_unattributed: bool,
    uploads: Vec<UploadRow>,
    file_error: Option<String>,
}

impl IndexPage {
    fn max_mib(&self) -> usize {
        upload::MAX_BYTES / 1024 / 1024
    }

    fn max_rows(&self) -> usize {
        upload::MAX_ROWS
    }

    fn is_refunded(&self, o: &ListedOrder) -> bool {
        o.status == OrderStatus::Refunded
    }
}

async fn index_page(
    state: &AppState,
    ctx: PageContext,
    member: &BrandMember,
    only_unattributed: bool,
    before: Option<Cursor>,
    file_error: Option<String>,
) -> Result<IndexPage, AppError> {
    let brand_id = member.brand.brand_id;
    let mut conn = state.db.acquire().await?;
    let (mut orders, unattributed) =
        db::recent(&mut conn, brand_id, only_unattributed, before).await?;
    let uploads = uploads::recent(&mut *conn, brand_id).await?;
    drop(conn);
    let (first, link) = if only_unattributed {
        ("/conversions?show=unattributed", "show=unattributed&")
    } else {
        ("/conversions", "")
    };
    let more = keyset::cut(&mut orders, db::ORDERS_SHOWN, |o| o.place)
        .map(|c| format!("{link}before={}", c.encode()));
    Ok(IndexPage {
        ctx,
        brand_name: member.brand.brand_name.clone(),
        orders,
        first,
        later_page: before.is_some(),
        more,
        unattributed,
        only_unattributed,
        uploads,
        file_error,
    })
}

async fn index(
    State(state): State<AppState>,
    ctx: PageContext,
    member: BrandMember,
    Query(query, unread): Query<ListQuery>,
) -> Result<Page<IndexPage>, AppError> {
    unread.or_refuse()?;
    let only = query.show == "unattributed";
    let before = Cursor::decode(&query.before);
    Ok(Page(
        index_page(&state, ctx, &member, only, before, None).await?,
    ))
}

/// What the upload form sent: the file's name and bytes, or why it could not
/// be taken.
async fn read_file(multipart: &mut Multipart) -> Result<(String, Vec<u8>), (StatusCode, String)> {
    let unreadable = |_| {
        (
            StatusCode::BAD_REQUEST,
            "The upload could not be read completely: try again.".to_owned(),
        )
    };
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or_default().to_owned();
        let mut bytes = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    bytes.extend_from_slice(&chunk);
                    if bytes.len() > upload::MAX_BYTES {
                        return Err((
                            StatusCode::PAYLOAD_TOO_LARGE,
                            FileProblem::TooLarge.message(),
                        ));
                    }
                }
                Ok(None) => break,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    return Err((
                        StatusCode::PAYLOAD_TOO_LARGE,
                        FileProblem::TooLarge.message(),
                    ));
                }
                Err(e) => return Err(unreadable(e)),
            }
        }
        if name.is_empty() && bytes.is_empty() {
            break;
        }
        return Ok((name, bytes));
    }
    Err((
        StatusCode::UNPROCESSABLE_ENTITY,
        "Choose the CSV file of your orders to upload.".to_owned(),
    ))
}

async fn upload(
    State(state): State<AppState>,
    ctx: PageContext,
    member: BrandMember,
    ClientIp(ip): ClientIp,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let refuse = async |status: StatusCode, message: String| {
        let page = index_page(&state, ctx.clone(), &member, false, None, Some(message)).await?;
        Ok::<_, AppError>((status, Page(page)).into_response())
    };
    // Counted before the file is read: reading and parsing it is the cost.
    let limits = [
        Limit::UPLOADS.of(member.user.id),
        Limit::UPLOADS_BY_ADDRESS.from(ip),
    ];
    if let Some(refused) = limits::db::hit_all(&state.db, &limits).await? {
        let page = refuse(StatusCode::TOO_MANY_REQUESTS, refused.message()).await?;
        return Ok(refused_form(&refused, page));
    }
    let (name, bytes) = match read_file(&mut multipart).await {
        Ok(file) => file,
        Err((status, message)) => return refuse(status, message).await,
    };
    let looks_like_csv = name.is_empty()
        || [".csv", ".txt", ".tsv"]
            .iter()
            .any(|ext| name.to_ascii_lowercase().ends_with(ext));
    if !looks_like_csv {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("{name} is not a CSV file: export your orders as CSV (a .csv file)."),
        )
        .await;
    }
    let rows = match upload::read(&bytes) {
        Ok(rows) => rows,
        Err(problem) => {
            let status = match problem {
                FileProblem::TooLarge | FileProblem::TooManyRows => StatusCode::PAYLOAD_TOO_LARGE,
                FileProblem::NotText | FileProblem::NotUtf8 | FileProblem::Utf16 => {
                    StatusCode::UNSUPPORTED_MEDIA_TYPE
                }
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            return refuse(status, problem.message()).await;
        }
    };
    let id = uploads::keep(
        &state.db,
        member.brand.brand_id,
        member.user.id,
        &name,
        rows,
    )
    .await?;
    Ok(axum::response::Redirect::to(&format!("/conversions/uploads/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "conversions/upload.html")]
struct UploadPage {
    ctx: PageContext,
    upload: Upload,
    /// Set when an import was refused because rows have problems.
    refused: bool,
}

async fn show_upload(
    State(state): State<AppState>,
    ctx: PageContext,
    member: BrandMember,
    Path(id): Path<Uuid>,
) -> Result<Page<UploadPage>, AppError> {
    let upload = uploads::find(&state.db, member.brand.brand_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Page(UploadPage {
        ctx,
        upload,
        refused: false,
    }))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ImportForm {
    skip_errors: String,
}

async fn import(
    State(state): State<AppState>,
    ctx: PageContext,
    member: BrandMember,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form, unread): Form<ImportForm>,
) -> Result<Response, AppError> {
    unread.or_refuse()?;
    let brand_id = member.brand.brand_id;
    let mut upload = uploads::find(&state.db, brand_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let skip = !form.skip_errors.is_empty();
    match uploads::import(&state.db, brand_id, id, skip).await? {
        Ok(added) => {
            audit::Event::new(
                Action::ConversionsImported,
                &format!("{added} orders from {}", upload.file_name),
            )
            .by(&member.user)
            .on(member.brand.brand_id)
            .at(ip)
            .record(&state.db)
            .await?;
            let skipped = upload.errors();
            let message = match (added, skipped) {
                (0, _) => "Nothing new to import: every order in the file was already recorded."
                    .to_owned(),
                (n, 0) => format!("Imported {n} orders from {}.", upload.file_name),
                (n, s) => format!(
                    "Imported {n} orders from {}; {s} rows with problems were skipped.",
                    upload.file_name
                ),
            };
            Ok(Flash::success(message).redirect_to("/conversions"))
        }
        Err(NotImported::Decided) => Ok(Flash::info(
            "This upload was already imported or discarded; nothing changed.",
        )
        .redirect_to(&format!("/conversions/uploads/{id}"))),
        Err(NotImported::Problems(rows)) => {
            uploads::recheck_saved(&state.db, brand_id, id, &rows).await?;
            upload.rows = rows;
            let page = UploadPage {
                ctx,
                upload,
                refused: true,
            };
            Ok((StatusCode::CONFLICT, Page(page)).into_response())
        }
    }
}

async fn discard(
    State(state): State<AppState>,
    member: BrandMember,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    if !uploads::discard(&state.db, member.brand.brand_id, id).await? {
        uploads::find(&state.db, member.brand.brand_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        return Ok(
            Flash::info("This upload was already decided; nothing changed.")
                .redirect_to("/conversions"),
        );
    }
    Ok(Flash::info("Upload discarded: nothing from it was saved.").redirect_to("/conversions"))
}
