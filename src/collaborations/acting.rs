//! Who may act on a deliverable, and telling the other side what happened.

use sqlx::PgConnection;
use uuid::Uuid;

use super::deliverables::db::{self as deliverables_db, DeliverableDetail};
use crate::{
    auth::{CurrentUser, Viewer},
    error::AppError,
    notifications::{self, Kind, db::Note},
    state::AppState,
    web::FieldErrors,
};

pub(super) enum Side {
    Brand,
    Creator,
}

pub(super) enum Lookup {
    Deliverable(Uuid),
    Submission(Uuid),
}

/// The deliverable a move is made on: 404 unless the user may see it, then
/// 403 unless they are the side that makes this move (the creator delivers
/// and publishes; feedback is the brand's to give, not the agency's).
pub(super) async fn acting_on(
    state: &AppState,
    user: &CurrentUser,
    lookup: Lookup,
    side: Side,
) -> Result<DeliverableDetail, AppError> {
    let viewer = Viewer::of(user);
    let found = match lookup {
        Lookup::Deliverable(id) => deliverables_db::find(&state.db, viewer, id).await?,
        Lookup::Submission(id) => {
            deliverables_db::find_by_submission(&state.db, viewer, id).await?
        }
    };
    let d = found.ok_or(AppError::NotFound)?;
    match (side, viewer) {
        (Side::Creator, Viewer::Creator(_)) | (Side::Brand, Viewer::Brand(_)) => Ok(d),
        _ => Err(AppError::Forbidden),
    }
}

/// Notifies one side of the collaboration about its deliverable; returns who
/// was notified.
pub(super) async fn tell(
    tx: &mut PgConnection,
    d: &DeliverableDetail,
    side: Side,
    kind: Kind,
    message: &str,
) -> Result<Vec<Uuid>, sqlx::Error> {
    let link = format!("/deliverables/{}", d.id);
    let note = Note {
        kind,
        subject: d.id,
        message,
        link: &link,
    };
    match side {
        Side::Brand => notifications::db::to_brand(tx, d.brand_id, None, note).await,
        Side::Creator => notifications::db::to_user(tx, d.applicant_id, note).await,
    }
}

pub(super) fn one_error(field: &'static str, message: String) -> FieldErrors {
    let mut errors = FieldErrors::new();
    errors.add(field, message);
    errors
}
