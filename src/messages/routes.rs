//! The message thread of an application.

use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    response::{IntoResponse, Response},
    routing::get,
};
use serde::Deserialize;
use uuid::Uuid;

use super::{
    db::{self, MessageRow, Sent},
    domain::parse_message,
};
use crate::{
    applications::db::{self as applications_db, ApplicationRow},
    auth::{CurrentUser, Viewer},
    domain::{Role, display::filters},
    error::AppError,
    limits::{self, Limit},
    notifications::{self, db::Note},
    state::AppState,
    web::{FieldErrors, Flash, Form, Page, PageContext, client_ip::ClientIp, forms::refused_form},
};

pub fn router() -> Router<AppState> {
    Router::new().route("/applications/{id}/messages", get(thread).post(send))
}

#[derive(Template)]
#[template(path = "messages/thread.html")]
struct ThreadPage {
    ctx: PageContext,
    a: ApplicationRow,
    messages: Vec<MessageRow>,
    me: Uuid,
    body: String,
    /// Sent back with the message, so sending it twice (a double click, a
    /// retry after the database was away) stores it once.
    key: Uuid,
    errors: FieldErrors,
}

impl ThreadPage {
    fn side(&self, m: &MessageRow) -> &'static str {
        match m.author_role {
            Some(Role::Brand) => "Brand",
            Some(Role::Influencer) => "Creator",
            Some(Role::Admin | Role::Manager) => "Agency",
            None => "",
        }
    }

    fn is_mine(&self, m: &MessageRow) -> bool {
        m.author_id == Some(self.me)
    }
}

async fn page(
    state: &AppState,
    ctx: PageContext,
    user: &CurrentUser,
    id: Uuid,
    body: String,
    key: Uuid,
    errors: FieldErrors,
) -> Result<ThreadPage, AppError> {
    let mut conn = state.db.acquire().await?;
    let a = applications_db::find(&mut *conn, Viewer::of(user), id).await?;
    let messages = db::thread(&mut *conn, id).await?;
    drop(conn);
    Ok(ThreadPage {
        ctx,
        a: a.ok_or(AppError::NotFound)?,
        messages,
        me: user.id,
        body,
        key,
        errors,
    })
}

async fn thread(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Page<ThreadPage>, AppError> {
    Ok(Page(
        page(
            &state,
            ctx,
            &user,
            id,
            String::new(),
            Uuid::now_v7(),
            FieldErrors::new(),
        )
        .await?,
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MessageForm {
    body: String,
    key: String,
}

impl MessageForm {
    /// The message's id: the form's key when it is one this site made (a
    /// UUIDv7), else a new one, which only loses the protection against
    /// sending twice.
    fn id(&self) -> Uuid {
        Uuid::parse_str(self.key.trim())
            .ok()
            .filter(|k| k.get_version_num() == 7)
            .unwrap_or_else(Uuid::now_v7)
    }
}

async fn send(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
    Form(form, unread): Form<MessageForm>,
) -> Result<Response, AppError> {
    let viewer = Viewer::of(&user);
    let a = applications_db::find(&state.db, viewer, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let message_id = form.id();
    let parsed = parse_message(&form.body).map_err(|message| {
        let mut errors = FieldErrors::new();
        errors.add("body", message);
        errors
    });
    let body = match unread.and(parsed) {
        Ok(b) => b,
        Err(errors) => {
            let status = errors.status();
            let page = page(&state, ctx, &user, id, form.body, message_id, errors).await?;
            return Ok((status, Page(page)).into_response());
        }
    };
    let limits = [
        Limit::MESSAGES.of(user.id),
        Limit::MESSAGES_BY_ADDRESS.from(ip),
    ];
    if let Some(refused) = limits::db::hit_all(&state.db, &limits).await? {
        let errors = FieldErrors::one("body", refused.message());
        let page = page(&state, ctx, &user, id, body, message_id, errors).await?;
        return Ok(refused_form(&refused, Page(page)));
    }
    let link = format!("/applications/{id}/messages");
    let message = format!(
        "{} wrote about “{}”: {}",
        user.display_name,
        a.campaign_title,
        excerpt(&body, 120)
    );
    let mut tx = state.db.begin().await?;
    match db::insert(&mut tx, message_id, id, user.id, &body).await? {
        Sent::Now => {}
        // Sent before, and the others told then: the sender sees it sent.
        Sent::Already => {
            return Ok(Flash::success("Message sent.").redirect_to(&format!("{link}#latest")));
        }
        Sent::KeyTaken => {
            return Err(AppError::Conflict(
                "This form was already used for another message. Reload the page and send \
                 it again."
                    .to_owned(),
            ));
        }
    }
    let note = |kind| Note {
        kind,
        subject: id,
        message: &message,
        link: &link,
    };
    let mut notified = Vec::new();
    if !viewer.is_creator() {
        notified.extend(
            notifications::db::to_user(
                &mut *tx,
                a.applicant_id,
                note(notifications::Kind::MessageReceived),
            )
            .await?,
        );
    }
    if !viewer.is_brand() {
        notified.extend(
            notifications::db::to_brand(
                &mut *tx,
                a.brand_id,
                Some(user.id),
                note(notifications::Kind::MessageReceived),
            )
            .await?,
        );
    }
    tx.commit().await?;
    state.sessions.forget_users(&notified);
    Ok(Flash::success("Message sent.").redirect_to(&format!("{link}#latest")))
}

/// The start of a text for a notification, cut at a word.
fn excerpt(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn an_excerpt_is_cut_at_a_word_on_one_line() {
        assert_eq!(excerpt("Short\nand sweet", 50), "Short and sweet");
        assert_eq!(
            excerpt("Can I shoot in the Alps instead of the Lakes?", 20),
            "Can I shoot in the…"
        );
    }
}
