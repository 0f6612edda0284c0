//! Choosing a new password by emailed link. `/password/forgot` asks for a
//! link and answers the same whether or not the address has an account;
//! `/password/reset/{token}` uses it. A link works once, for an hour; a newer
//! link replaces older ones; only the token's SHA-256 is stored. Agency
//! admins send the same link from the console ([`issue`]).

use askama::Template;
use axum::{
    Router,
    extract::{Path, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use serde::Deserialize;
use sqlx::PgPool;
use uuid::Uuid;

use super::{
    db,
    domain::{Email, Password},
    password, throttle,
};
use crate::{
    audit::{self, Action},
    auth::{session, tokens},
    email::{self, Message},
    error::AppError,
    limits::{self, Limit},
    state::AppState,
    web::{FieldErrors, Flash, Form, Page, PageContext, client_ip::ClientIp, forms::refused_form},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/password/forgot", get(forgot_form).post(forgot))
        .route("/password/reset/{token}", get(reset_form).post(reset))
}

/// How long a link works.
pub const LIFETIME: time::Duration = time::Duration::hours(1);

/// Links one account can be sent in an hour: enough to ask again when an
/// email is slow, too few to flood someone's inbox from the sign-in page.
const PER_HOUR: i64 = 3;

/// Whom a link is for.
pub struct Recipient {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
}

#[derive(Template)]
#[template(path = "email/password_reset.txt")]
struct ResetEmail<'a> {
    name: &'a str,
    by_agency: bool,
    welcome: bool,
    link: Option<String>,
}

/// Why a link is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The person asked on the sign-in page.
    Forgotten,
    /// An agency admin sent it from the console.
    SentByAgency,
    /// A new member of staff chooses their first password with it.
    Welcome,
}

/// Makes a link for `to`, replacing any open one, and queues the email that
/// carries it. `sent_by` is the agency admin who sent it from the console.
pub async fn issue(
    tx: &mut sqlx::PgConnection,
    to: &Recipient,
    reason: Reason,
    sent_by: Option<Uuid>,
    public_url: &str,
) -> Result<(), AppError> {
    sqlx::query!(
        "update password_resets set superseded_at = now()
          where user_id = $1 and used_at is null and superseded_at is null and expires_at > now()",
        to.id
    )
    .execute(&mut *tx)
    .await?;
    let token = tokens::random_token();
    sqlx::query!(
        "insert into password_resets (id, user_id, token_hash, requested_by, expires_at)
         values ($1, $2, $3, $4, now() + make_interval(secs => $5))",
        Uuid::now_v7(),
        to.id,
        &tokens::sha256(&token)[..],
        sent_by,
        LIFETIME.as_seconds_f64()
    )
    .execute(&mut *tx)
    .await?;
    let letter = |link| ResetEmail {
        name: &to.display_name,
        by_agency: reason == Reason::SentByAgency,
        welcome: reason == Reason::Welcome,
        link,
    };
    let link = format!("{public_url}/password/reset/{token}");
    let subject = match reason {
        Reason::Welcome => "Welcome to Liaison: choose your password",
        Reason::Forgotten | Reason::SentByAgency => "Choose a new password for Liaison",
    };
    Message::new(
        email::Kind::PasswordReset,
        &to.email,
        subject,
        &letter(Some(link)),
    )?
    .for_user(to.id)
    .secret_until_sent(&letter(None))?
    .queue(&mut *tx)
    .await?;
    Ok(())
}

/// The active account an address belongs to, if any: a suspended account
/// is not sent links (it could not sign in with the new password).
async fn active_by_email(db: &PgPool, email: &str) -> Result<Option<Recipient>, sqlx::Error> {
    sqlx::query_as!(
        Recipient,
        "select u.id, u.email, u.display_name from users u
          where u.email = $1 and u.suspended_at is null
            and not exists (select 1 from brand_members m join brands b on b.id = m.brand_id
                             where m.user_id = u.id and b.suspended_at is not null)",
        email
    )
    .fetch_optional(db)
    .await
}

/// The account the console sends a link to.
pub async fn recipient(db: &PgPool, user: Uuid) -> Result<Option<Recipient>, sqlx::Error> {
    sqlx::query_as!(
        Recipient,
        "select id, email, display_name from users where id = $1",
        user
    )
    .fetch_optional(db)
    .await
}

/// Forgets links that stopped working a month ago.
pub async fn purge_old(db: &PgPool) -> Result<u64, sqlx::Error> {
    let done =
        sqlx::query!("delete from password_resets where expires_at < now() - interval '30 days'")
            .execute(db)
            .await?;
    Ok(done.rows_affected())
}

/// Links sent to an account in the last hour.
async fn sent_lately(db: &PgPool, user: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from password_resets
            where user_id = $1 and created_at > now() - interval '1 hour'"#,
        user
    )
    .fetch_one(db)
    .await
}

/// Sends a link to whoever `email` belongs to, if anyone: an active account
/// that has not had [`PER_HOUR`] links this hour.
async fn send_if_known(state: &AppState, email: &str) -> Result<(), AppError> {
    let Some(to) = active_by_email(&state.db, email).await? else {
        return Ok(());
    };
    if sent_lately(&state.db, to.id).await? >= PER_HOUR {
        return Ok(());
    }
    let mut tx = state.db.begin().await?;
    issue(
        &mut tx,
        &to,
        Reason::Forgotten,
        None,
        &state.config.public_url,
    )
    .await?;
    audit::Event::new(Action::PasswordResetRequested, "")
        .on(to.id)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Template)]
#[template(path = "accounts/password_forgot.html")]
struct ForgotPage {
    ctx: PageContext,
    email: String,
    sent_to: Option<String>,
    errors: FieldErrors,
}

async fn forgot_form(ctx: PageContext) -> Page<ForgotPage> {
    Page(ForgotPage {
        ctx,
        email: String::new(),
        sent_to: None,
        errors: FieldErrors::new(),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ForgotForm {
    pub email: String,
}

async fn forgot(
    State(state): State<AppState>,
    ctx: PageContext,
    ClientIp(ip): ClientIp,
    Form(form, unread): Form<ForgotForm>,
) -> Result<Response, AppError> {
    let mut errors = unread.checked().err().unwrap_or_default();
    let email = errors.check("email", Email::parse(&form.email));
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        let status = errors.status();
        let page = ForgotPage {
            ctx,
            email: form.email,
            sent_to: None,
            errors,
        };
        return Ok((status, Page(page)).into_response());
    };
    // Counted by address alone, so a refusal says nothing about the account.
    if let Some(refused) = limits::db::hit(&state.db, &Limit::RESETS.from(ip)).await? {
        let page = ForgotPage {
            ctx,
            email: form.email,
            sent_to: None,
            errors: FieldErrors::one("email", refused.message()),
        };
        return Ok(refused_form(&refused, Page(page)));
    }
    // Sent apart from this answer, so that it takes as long, and says the
    // same, whether or not the address has an account.
    let address = email.as_str().to_owned();
    tokio::spawn(async move {
        if let Err(e) = send_if_known(&state, &address).await {
            tracing::warn!(error = ?e, "sending a password reset link failed");
        }
    });
    Ok(Page(ForgotPage {
        ctx,
        email: String::new(),
        sent_to: Some(email.as_str().to_owned()),
        errors: FieldErrors::new(),
    })
    .into_response())
}

/// What a link's token names.
enum Link {
    Usable {
        id: Uuid,
        user: Uuid,
        email: String,
    },
    Used,
    Replaced,
    Expired,
    /// Not a token we issued: mistyped, cut short or made up.
    Unknown,
}

async fn link(db: &mut sqlx::PgConnection, token: &str) -> Result<Link, sqlx::Error> {
    // Locked so that two uses of one link cannot both pass.
    let row = sqlx::query!(
        r#"select r.id, r.user_id, u.email, r.used_at is not null as "used!",
                  r.superseded_at is not null as "replaced!", r.expires_at <= now() as "expired!"
             from password_resets r join users u on u.id = r.user_id
            where r.token_hash = $1
              for update of r"#,
        &tokens::sha256(token)[..]
    )
    .fetch_optional(db)
    .await?;
    Ok(match row {
        None => Link::Unknown,
        Some(r) if r.used => Link::Used,
        Some(r) if r.replaced => Link::Replaced,
        Some(r) if r.expired => Link::Expired,
        Some(r) => Link::Usable {
            id: r.id,
            user: r.user_id,
            email: r.email,
        },
    })
}

#[derive(Template)]
#[template(path = "accounts/password_reset.html")]
struct ResetPage {
    ctx: PageContext,
    token: String,
    /// Why the link cannot be used, or `None` to show the form.
    refusal: Option<Refusal>,
    errors: FieldErrors,
}

struct Refusal {
    title: &'static str,
    message: &'static str,
}

impl Link {
    fn refusal(&self) -> Option<(StatusCode, Refusal)> {
        let (status, title, message) = match self {
            Link::Usable { .. } => return None,
            Link::Used => (
                StatusCode::GONE,
                "This link was already used",
                "A reset link works once, and this one chose a password already. If that \
                 was not you, ask for a new link now: choosing a password signs everyone \
                 else out.",
            ),
            Link::Replaced => (
                StatusCode::GONE,
                "A newer link was sent",
                "Only the newest reset link works. Use the one in the latest email, or ask \
                 for another.",
            ),
            Link::Expired => (
                StatusCode::GONE,
                "This link has expired",
                "A reset link works for an hour. Ask for a new one: it arrives in a minute \
                 or two.",
            ),
            Link::Unknown => (
                StatusCode::NOT_FOUND,
                "This is not a link we sent",
                "The link may have been cut short or mistyped. Copy the whole link from the \
                 email, or ask for a new one.",
            ),
        };
        Some((status, Refusal { title, message }))
    }
}

/// A reset page never leaves the address bar's token anywhere: not in a
/// cache, not in the `Referer` of a link followed from it.
fn private(page: impl IntoResponse) -> Response {
    let mut response = page.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

async fn reset_form(
    State(state): State<AppState>,
    ctx: PageContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let found = link(&mut conn, &token).await?;
    let (status, refusal) = found
        .refusal()
        .map_or((StatusCode::OK, None), |(s, r)| (s, Some(r)));
    Ok(private((
        status,
        Page(ResetPage {
            ctx,
            token,
            refusal,
            errors: FieldErrors::new(),
        }),
    )))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResetForm {
    pub new_password: String,
    pub confirm_password: String,
}

async fn reset(
    State(state): State<AppState>,
    ctx: PageContext,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
    Form(form, unread): Form<ResetForm>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let found = link(&mut tx, &token).await?;
    let page = |ctx, refusal, errors| {
        Page(ResetPage {
            ctx,
            token: token.clone(),
            refusal,
            errors,
        })
    };
    if let Some((status, refusal)) = found.refusal() {
        return Ok(private((
            status,
            page(ctx, Some(refusal), FieldErrors::new()),
        )));
    }
    let Link::Usable { id, user, email } = found else {
        return Err(AppError::NotFound);
    };
    let mut errors = unread.checked().err().unwrap_or_default();
    let new_password = errors.check("new_password", Password::parse(&form.new_password));
    if errors.get("new_password").is_none() && form.confirm_password != form.new_password {
        errors.add(
            "confirm_password",
            "The two passwords differ: type the same new password in both.",
        );
    }
    let Some(new_password) = new_password.filter(|_| errors.is_empty()) else {
        return Ok(private((errors.status(), page(ctx, None, errors))));
    };

    let hash = password::hash(new_password).await?;
    db::set_password(&mut *tx, user, &hash).await?;
    sqlx::query!(
        "update password_resets set used_at = now() where id = $1",
        id
    )
    .execute(&mut *tx)
    .await?;
    // Whoever was signed in with the old password, perhaps the reason for
    // the reset, is signed out; so is a stale lock-out from guessing it.
    session::delete_all_for_user(&mut *tx, user).await?;
    throttle::clear_account(&mut *tx, &email).await?;
    audit::Event::new(Action::PasswordReset, "")
        .by(user)
        .on(user)
        .at(ip)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    state.sessions.forget_user(user);
    Ok(private((
        Flash::success(
            "Your new password is set, and every device was signed out. Log in with it.",
        ),
        Redirect::to("/login"),
    )))
}
