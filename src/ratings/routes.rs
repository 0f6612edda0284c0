//! `POST /applications/{id}/ratings`, and the rating form both the
//! collaboration's page and this route's error page show.

use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    response::{IntoResponse, Response},
    routing::post,
};
use std::net::IpAddr;

use sqlx::PgConnection;
use uuid::Uuid;

use super::{
    db::{self, Rateable},
    domain::{RatingForm, brand_criteria, creator_criteria},
};
use crate::{
    audit::{self, Action},
    auth::{CurrentUser, Viewer},
    domain::score::{POINTS, is_point},
    error::AppError,
    notifications::{self, Kind, db::Note},
    state::AppState,
    web::{FieldErrors, Flash, Form, Page, PageContext, client_ip::ClientIp},
};

pub fn router() -> Router<AppState> {
    Router::new().route("/applications/{id}/ratings", post(rate))
}

#[derive(Template)]
#[template(path = "ratings/rate.html")]
struct RatePage {
    ctx: PageContext,
    application_id: Uuid,
    subject: String,
    rating: RatingPartial,
}

/// The rating form (`templates/ratings/_form.html`), as the collaboration's page
/// offers it and as this route shows it again when it is refused. Its page
/// includes the template and holds this as `rating`.
pub struct RatingPartial {
    pub action: String,
    pub criteria: Vec<(&'static str, &'static str)>,
    pub form: RatingForm,
    pub errors: FieldErrors,
}

impl RatingPartial {
    /// An empty form for rating application `id`: a creator rates the brand, the
    /// brand rates the creator.
    pub fn new(application_id: Uuid, rates_brand: bool) -> RatingPartial {
        RatingPartial {
            action: format!("/applications/{application_id}/ratings"),
            criteria: if rates_brand {
                brand_criteria()
            } else {
                creator_criteria()
            },
            form: RatingForm::default(),
            errors: FieldErrors::new(),
        }
    }

    pub fn points(&self) -> [i16; 5] {
        POINTS
    }

    /// Whether the form shown again keeps point `n` of criterion `key` checked.
    pub fn rated(&self, key: &str, n: &i16) -> bool {
        is_point(self.form.value(key), *n)
    }
}

async fn rate(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form, unread): Form<RatingForm>,
) -> Result<Response, AppError> {
    let viewer = Viewer::of(&user);
    let a = db::find_rateable(&state.db, viewer, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (criteria, subject) = match viewer {
        Viewer::Creator(_) => (brand_criteria(), a.brand_name.clone()),
        Viewer::Brand(_) => (creator_criteria(), a.creator_name.clone()),
        Viewer::Admin => return Err(AppError::Forbidden),
    };
    let back = format!("/applications/{id}");
    if !a.complete {
        return Ok(
            Flash::info("Ratings open once every deliverable is published.").redirect_to(&back),
        );
    }
    let rating = match unread.and(form.parse(&criteria)) {
        Ok(r) => r,
        Err(errors) => {
            let status = errors.status();
            let page = RatePage {
                ctx,
                application_id: id,
                subject,
                rating: RatingPartial {
                    form,
                    errors,
                    ..RatingPartial::new(id, viewer.is_creator())
                },
            };
            return Ok((status, Page(page)).into_response());
        }
    };
    let mut tx = state.db.begin().await?;
    let (written, notify) = match viewer {
        Viewer::Creator(_) => (
            db::rate_brand(&mut tx, id, a.brand_id, user.id, &rating).await?,
            None,
        ),
        _ => (
            db::rate_creator(&mut tx, id, a.profile_id, user.id, &rating).await?,
            Some(a.applicant_id),
        ),
    };
    if !written {
        tx.rollback().await?;
        return Ok(
            Flash::info("This collaboration is rated already; a rating can't be changed.")
                .redirect_to(&format!("{back}#ratings")),
        );
    }
    let notified = record(&mut tx, &user, ip, &a, &subject, notify).await?;
    tx.commit().await?;
    state.sessions.forget_users(&notified);
    Ok(
        Flash::success(format!("Thank you: your rating of {subject} is saved."))
            .redirect_to(&format!("{back}#ratings")),
    )
}

/// Writes the rating to the audit trail and tells a rated creator. Creators'
/// ratings of brands stay anonymous: the brand is not told.
async fn record(
    tx: &mut PgConnection,
    user: &CurrentUser,
    ip: IpAddr,
    a: &Rateable,
    subject: &str,
    notify: Option<Uuid>,
) -> Result<Vec<Uuid>, sqlx::Error> {
    audit::Event::new(
        Action::ApplicationRated,
        &format!("{subject} for {}", a.campaign_title),
    )
    .by(user)
    .on(a.id)
    .at(ip)
    .record(&mut *tx)
    .await?;
    let Some(applicant) = notify else {
        return Ok(Vec::new());
    };
    let message = format!(
        "{} rated your work on “{}”.",
        a.brand_name, a.campaign_title
    );
    let link = format!("/applications/{}#ratings", a.id);
    let note = Note {
        kind: Kind::RatingReceived,
        subject: a.id,
        message: &message,
        link: &link,
    };
    notifications::db::to_user(&mut *tx, applicant, note).await
}
