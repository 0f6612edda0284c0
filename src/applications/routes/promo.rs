//! The brand gives a collaboration its promo code, changes it, or removes it.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use uuid::Uuid;

use super::pages::{Typed, show_page};
use crate::{
    applications::{db, domain::Status},
    audit::{self, Action},
    auth::{BrandMember, Viewer},
    error::AppError,
    promo_codes::{self, PromoCode},
    state::AppState,
    web::{FieldErrors, Flash, Form, Page, PageContext, client_ip::ClientIp},
};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PromoForm {
    promo_code: String,
    /// Present when the brand pressed "Remove the code".
    remove: String,
}

pub(super) async fn set(
    State(state): State<AppState>,
    ctx: PageContext,
    member: BrandMember,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form, unread): Form<PromoForm>,
) -> Result<Response, AppError> {
    let user = &member.user;
    let a = db::find(&state.db, Viewer::Brand(member.brand.brand_id), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let typed = Typed {
        promo_code: form.promo_code.clone(),
        ..Typed::default()
    };
    let refuse = async |status: StatusCode, errors: FieldErrors| {
        let page = show_page(&state, ctx, user, id, errors, typed).await?;
        Ok::<_, AppError>((status, Page(page)).into_response())
    };
    if a.status != Status::Accepted {
        return refuse(
            StatusCode::CONFLICT,
            FieldErrors::one(
                "promo_code",
                "Promo codes belong to collaborations under way; this one is not.",
            ),
        )
        .await;
    }
    let removing = !form.remove.is_empty();
    let code = if removing {
        None
    } else {
        let parsed =
            PromoCode::parse(&form.promo_code).map_err(|m| FieldErrors::one("promo_code", m));
        match unread.and(parsed) {
            Ok(code) => Some(code),
            Err(errors) => return refuse(errors.status(), errors).await,
        }
    };
    let mut tx = state.db.begin().await?;
    let message = match code {
        None => {
            if promo_codes::db::remove(&mut tx, id).await? {
                audit::Event::new(
                    Action::PromoCodeRemoved,
                    &format!("collaboration {id} with {}", a.creator_name),
                )
                .by(user)
                .on(id)
                .at(ip)
                .record(&mut *tx)
                .await?;
            }
            "Promo code removed. Orders already counted for it stay counted.".to_owned()
        }
        Some(code) => {
            if let Err(promo_codes::db::Taken) =
                promo_codes::db::set(&mut tx, id, &code, user.id).await?
            {
                tx.rollback().await?;
                return refuse(
                    StatusCode::CONFLICT,
                    FieldErrors::one(
                        "promo_code",
                        format!(
                            "{code} is already the promo code of another of your collaborations: \
                             choose another."
                        ),
                    ),
                )
                .await;
            }
            audit::Event::new(
                Action::PromoCodeSet,
                &format!("{code} for collaboration {id} with {}", a.creator_name),
            )
            .by(user)
            .on(id)
            .at(ip)
            .record(&mut *tx)
            .await?;
            format!(
                "Promo code {code} saved. {} sees it beside their links; orders that carry it are counted for them.",
                a.creator_name
            )
        }
    };
    tx.commit().await?;
    Ok(Flash::success(message).redirect_to(&format!("/applications/{id}#results")))
}
