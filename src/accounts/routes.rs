//! /signup, /login, /logout, /account.

use askama::Template;
use axum::{
    Router,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

use super::{
    db::{self, CreateError},
    domain::{AccountType, BrandName, DisplayName, Email, Password, normalize_email},
    password, throttle,
};
use crate::{
    audit::{self, Action},
    auth::{CurrentUser, cookies, session},
    domain::display,
    error::AppError,
    limits::{self, Limit},
    notifications::{self, email::Choice},
    state::AppState,
    web::{
        FieldErrors, Flash, Form, Page, PageContext, Query, client_ip::ClientIp, csrf::RotateCsrf,
        forms::refused_form,
    },
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/signup", get(signup_form).post(signup))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/account", get(account))
        .route("/account/password", post(change_password))
        .route("/account/email", post(choose_email))
        .merge(super::reset::router())
}

// ---- sign-up ----

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SignupForm {
    pub email: String,
    pub password: String,
    pub display_name: String,
    pub account_type: String,
    pub brand_name: String,
}

#[derive(Template)]
#[template(path = "accounts/signup.html")]
struct SignupPage {
    ctx: PageContext,
    email: String,
    display_name: String,
    account_type: String,
    brand_name: String,
    errors: FieldErrors,
}

#[derive(Debug, Deserialize)]
struct SignupQuery {
    #[serde(rename = "as")]
    account_type: Option<String>,
}

async fn signup_form(
    ctx: PageContext,
    Query(q, unread): Query<SignupQuery>,
) -> Result<Response, AppError> {
    unread.or_refuse()?;
    if ctx.user.is_some() {
        return Ok(Redirect::to("/dashboard").into_response());
    }
    Ok(Page(SignupPage {
        ctx,
        email: String::new(),
        display_name: String::new(),
        account_type: q.account_type.unwrap_or_default(),
        brand_name: String::new(),
        errors: FieldErrors::new(),
    })
    .into_response())
}

async fn signup(
    State(state): State<AppState>,
    ctx: PageContext,
    ClientIp(ip): ClientIp,
    Form(form, unread): Form<SignupForm>,
) -> Result<Response, AppError> {
    if ctx.user.is_some() {
        return Ok(Redirect::to("/dashboard").into_response());
    }
    let new = match unread.and(form.parse()) {
        Ok(new) => new,
        Err(errors) => return Ok(form.again(ctx, errors)),
    };
    if let Some(refused) = limits::db::hit(&state.db, &Limit::SIGNUPS.from(ip)).await? {
        let page = form.again(ctx, FieldErrors::one("email", refused.message()));
        return Ok(refused_form(&refused, page));
    }
    // Sign-up necessarily says when an address is taken, so repeated refusals from
    // one address count towards the same limit as failed sign-ins.
    if let Some(wait) = throttle::check(&state.db, new.email.as_str(), ip)
        .await?
        .apply()
        .await
    {
        return Err(AppError::TooManyAttempts { retry_after: wait });
    }
    let hash = password::hash(new.password).await?;
    let mut tx = state.db.begin().await?;
    let created = match &new.brand_name {
        Some(brand_name) => {
            db::create_brand_account(&mut tx, &new.email, &new.display_name, &hash, brand_name)
                .await
                .map(|account| account.user_id)
        }
        None => db::create_influencer_account(&mut tx, &new.email, &new.display_name, &hash).await,
    };
    let user_id = match created {
        Ok(id) => id,
        Err(CreateError::EmailTaken) => {
            tx.rollback().await?;
            throttle::record_failure(&state.db, new.email.as_str(), ip).await?;
            let mut errors = FieldErrors::new();
            errors.add(
                "email",
                "An account with this email already exists. Log in instead, or use another address.",
            );
            return Ok(form.again(ctx, errors));
        }
        Err(CreateError::Db(e)) => return Err(e.into()),
    };
    let detail = match &new.brand_name {
        Some(b) => format!("brand account for {}", b.as_str()),
        None => "influencer account".to_owned(),
    };
    audit::Event::new(Action::SignedUp, &detail)
        .by(user_id)
        .on(user_id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    let token = session::create(&mut *tx, user_id).await?;
    tx.commit().await?;
    tracing::info!(%user_id, "account created");

    Ok((
        session::cookie(token, state.config.environment.is_production()),
        RotateCsrf,
        Flash::success(format!(
            "Welcome to Liaison, {}!",
            new.display_name.as_str()
        )),
        Redirect::to("/dashboard"),
    )
        .into_response())
}

/// A sign-up as parsed: a brand account comes with its brand's name.
struct NewAccount {
    email: Email,
    display_name: DisplayName,
    password: Password,
    brand_name: Option<BrandName>,
}

impl SignupForm {
    fn parse(&self) -> Result<NewAccount, FieldErrors> {
        let mut errors = FieldErrors::new();
        let account_type = errors.check("account_type", AccountType::parse(&self.account_type));
        let email = errors.check("email", Email::parse(&self.email));
        let display_name = errors.check("display_name", DisplayName::parse(&self.display_name));
        let password = errors.check("password", Password::parse(&self.password));
        let brand_name = match account_type {
            Some(AccountType::Brand) => errors
                .check("brand_name", BrandName::parse(&self.brand_name))
                .map(Some),
            _ => Some(None),
        };
        match (account_type, email, display_name, password, brand_name) {
            (Some(_), Some(email), Some(display_name), Some(password), Some(brand_name)) => {
                Ok(NewAccount {
                    email,
                    display_name,
                    password,
                    brand_name,
                })
            }
            _ => Err(errors),
        }
    }

    /// The form again with what was typed (but the password) and why it was refused.
    fn again(&self, ctx: PageContext, errors: FieldErrors) -> Response {
        (
            errors.status(),
            Page(SignupPage {
                ctx,
                email: self.email.trim().to_owned(),
                display_name: self.display_name.clone(),
                account_type: self.account_type.clone(),
                brand_name: self.brand_name.clone(),
                errors,
            }),
        )
            .into_response()
    }
}

// ---- log in / log out ----

#[derive(Template)]
#[template(path = "accounts/login.html")]
struct LoginPage {
    ctx: PageContext,
    email: String,
    next: String,
    /// Why the last attempt was refused, if it was.
    refusal: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    pub email: String,
    pub password: String,
    pub next: String,
}

#[derive(Debug, Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// Only paths on this site: `//evil.example` and `/\evil.example` are other sites.
fn safe_next(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(char::is_control);
    ok.then_some(next)
}

async fn login_form(
    ctx: PageContext,
    Query(q, unread): Query<NextQuery>,
) -> Result<Response, AppError> {
    unread.or_refuse()?;
    if ctx.user.is_some() {
        return Ok(Redirect::to("/dashboard").into_response());
    }
    let next = q
        .next
        .as_deref()
        .and_then(safe_next)
        .unwrap_or("")
        .to_owned();
    Ok(Page(LoginPage {
        ctx,
        email: String::new(),
        next,
        refusal: None,
    })
    .into_response())
}

async fn login(
    State(state): State<AppState>,
    ctx: PageContext,
    ClientIp(ip): ClientIp,
    Form(form, unread): Form<LoginForm>,
) -> Result<Response, AppError> {
    let again = |ctx, status, refusal: &str| {
        let page = LoginPage {
            ctx,
            email: form.email.trim().to_owned(),
            next: safe_next(&form.next).unwrap_or("").to_owned(),
            refusal: Some(refusal.to_owned()),
        };
        (status, Page(page)).into_response()
    };
    if let Err(unread) = unread.checked() {
        let refusal = unread.unread_messages().next().unwrap_or_default();
        return Ok(again(ctx, unread.status(), refusal));
    }
    let email = normalize_email(&form.email);
    if let Some(wait) = throttle::check(&state.db, &email, ip).await?.apply().await {
        return Err(AppError::TooManyAttempts { retry_after: wait });
    }
    let credentials = db::credentials_by_email(&state.db, &email).await?;
    let user_id = credentials.as_ref().map(|c| c.user_id);
    let suspension = credentials
        .as_ref()
        .and_then(|c| c.suspension_reason.clone());
    let verified = password::verify(form.password, credentials.map(|c| c.password_hash)).await?;
    let (true, Some(user_id)) = (verified, user_id) else {
        throttle::record_failure(&state.db, &email, ip).await?;
        // One answer for an unknown email and a wrong password.
        return Ok(again(
            ctx,
            StatusCode::UNAUTHORIZED,
            "That email and password do not match an account. Check them and try again.",
        ));
    };

    // Told only to whoever knows the password, so it reveals nothing about
    // which addresses have accounts.
    if let Some(reason) = suspension {
        return Ok(again(
            ctx,
            StatusCode::FORBIDDEN,
            &format!(
                "The agency has suspended this account: {reason} \
                 We emailed you this reason too: if you think it is a mistake, reply to that email."
            ),
        ));
    }
    let mut tx = state.db.begin().await?;
    throttle::clear_account(&mut *tx, &email).await?;
    // A new session every time: a session id planted before sign-in is worthless.
    let token = session::create(&mut *tx, user_id).await?;
    audit::Event::new(Action::LoggedIn, "")
        .by(user_id)
        .on(user_id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;

    let target = safe_next(&form.next).unwrap_or("/dashboard").to_owned();
    Ok((
        session::cookie(token, state.config.environment.is_production()),
        RotateCsrf,
        Redirect::to(&target),
    )
        .into_response())
}

async fn logout(
    State(state): State<AppState>,
    ctx: PageContext,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
) -> Result<Response, AppError> {
    if let Some(cookie) = jar.get(session::COOKIE) {
        session::delete(&state.db, &state.sessions, cookie.value()).await?;
    }
    if let Some(user) = &ctx.user {
        audit::Event::new(Action::LoggedOut, "")
            .by(user)
            .on(user.id)
            .at(ip)
            .record(&state.db)
            .await?;
    }
    let secure = state.config.environment.is_production();
    Ok((
        CookieJar::new().add(cookies::removal(session::COOKIE, secure)),
        RotateCsrf,
        Flash::info("You have been logged out."),
        Redirect::to("/"),
    )
        .into_response())
}

// ---- account ----

#[derive(Template)]
#[template(path = "accounts/account.html")]
struct AccountPage {
    ctx: PageContext,
    user: CurrentUser,
    member_since: String,
    errors: FieldErrors,
    email_choice: Choice,
}

async fn account_page(
    state: &AppState,
    ctx: PageContext,
    user: CurrentUser,
    errors: FieldErrors,
) -> Result<Page<AccountPage>, AppError> {
    let mut conn = state.db.acquire().await?;
    let member_since = db::member_since(&mut *conn, user.id).await?;
    let email_choice = notifications::email::choice(&mut *conn, user.id).await?;
    drop(conn);
    Ok(Page(AccountPage {
        ctx,
        user,
        member_since: display::date(member_since),
        errors,
        email_choice,
    }))
}

async fn account(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
) -> Result<Response, AppError> {
    Ok(account_page(&state, ctx, user, FieldErrors::new())
        .await?
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ChangePasswordForm {
    pub current_password: String,
    pub new_password: String,
}

async fn change_password(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Form(form, unread): Form<ChangePasswordForm>,
) -> Result<Response, AppError> {
    if let Err(errors) = unread.checked() {
        let page = account_page(&state, ctx, user, errors).await?;
        return Ok((StatusCode::BAD_REQUEST, page).into_response());
    }
    // Guessing the current password from a hijacked session is a sign-in attempt too.
    if let Some(wait) = throttle::check(&state.db, &user.email, ip)
        .await?
        .apply()
        .await
    {
        return Err(AppError::TooManyAttempts { retry_after: wait });
    }
    let mut errors = FieldErrors::new();
    let stored = db::password_hash(&state.db, user.id).await?;
    if !password::verify(form.current_password.clone(), Some(stored)).await? {
        throttle::record_failure(&state.db, &user.email, ip).await?;
        errors.add("current_password", "That is not your current password.");
    }
    let new_password = errors.check("new_password", Password::parse(&form.new_password));
    if errors.is_empty() && form.new_password == form.current_password {
        errors.add(
            "new_password",
            "Choose a password different from your current one.",
        );
    }
    let Some(new_password) = new_password.filter(|_| errors.is_empty()) else {
        let page = account_page(&state, ctx, user, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };

    let hash = password::hash(new_password).await?;
    let mut tx = state.db.begin().await?;
    db::set_password(&mut *tx, user.id, &hash).await?;
    // Whoever else was signed in with the old password is signed out.
    session::delete_all_for_user(&mut *tx, user.id).await?;
    let token = session::create(&mut *tx, user.id).await?;
    audit::Event::new(Action::PasswordChanged, "")
        .by(&user)
        .on(user.id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    state.sessions.forget_user(user.id);

    Ok((
        session::cookie(token, state.config.environment.is_production()),
        Flash::success("Your password has been changed. Any other devices have been signed out."),
        Redirect::to("/account"),
    )
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EmailChoiceForm {
    pub notification_email: String,
}

async fn choose_email(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Form(form, unread): Form<EmailChoiceForm>,
) -> Result<Response, AppError> {
    let mut errors = unread.checked().err().unwrap_or_default();
    let choice = errors.check(
        "notification_email",
        Choice::parse(&form.notification_email),
    );
    let Some(choice) = choice.filter(|_| errors.is_empty()) else {
        let status = errors.status();
        let page = account_page(&state, ctx, user, errors).await?;
        return Ok((status, page).into_response());
    };
    let mut tx = state.db.begin().await?;
    notifications::email::choose(&mut tx, user.id, choice).await?;
    audit::Event::new(Action::NotificationEmailChanged, choice.key())
        .by(&user)
        .on(user.id)
        .at(ip)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    let said = match choice {
        Choice::Immediate => "You will get an email for each notification.",
        Choice::Digest => "You will get a daily digest of unread notifications.",
        Choice::Never => "You will get no notification emails; they stay on Liaison.",
    };
    Ok((Flash::success(said), Redirect::to("/account#email")).into_response())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_must_stay_on_this_site() {
        assert_eq!(safe_next("/account"), Some("/account"));
        assert_eq!(safe_next("/admin?x=1"), Some("/admin?x=1"));
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "",
            "account",
        ] {
            assert_eq!(safe_next(bad), None, "{bad}");
        }
    }
}
