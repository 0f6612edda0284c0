//! Account storage.

use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::domain::{BrandName, DisplayName, Email};
use crate::domain::Role;

#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("an account with this email already exists")]
    EmailTaken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

fn email_taken(e: sqlx::Error) -> CreateError {
    match &e {
        sqlx::Error::Database(db) if db.constraint() == Some("users_email_key") => {
            CreateError::EmailTaken
        }
        _ => CreateError::Db(e),
    }
}

async fn insert_user(
    conn: &mut PgConnection,
    email: &Email,
    display_name: &DisplayName,
    password_hash: &str,
    role: Role,
) -> Result<Uuid, CreateError> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "insert into users (id, email, display_name, password_hash, role) values ($1, $2, $3, $4, $5)",
        id,
        email.as_str(),
        display_name.as_str(),
        password_hash,
        role as Role,
    )
    .execute(conn)
    .await
    .map_err(email_taken)?;
    Ok(id)
}

pub struct BrandAccount {
    pub user_id: Uuid,
    pub brand_id: Uuid,
}

/// Creates the user, the brand, and makes the user its owner. Run it in a
/// transaction: all three exist afterwards, or none.
pub async fn create_brand_account(
    conn: &mut PgConnection,
    email: &Email,
    display_name: &DisplayName,
    password_hash: &str,
    brand_name: &BrandName,
) -> Result<BrandAccount, CreateError> {
    let user_id = insert_user(conn, email, display_name, password_hash, Role::Brand).await?;
    let brand_id = Uuid::now_v7();
    sqlx::query!(
        "insert into brands (id, name) values ($1, $2)",
        brand_id,
        brand_name.as_str()
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into brand_members (brand_id, user_id, role) values ($1, $2, 'owner')",
        brand_id,
        user_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(BrandAccount { user_id, brand_id })
}

/// Creates a brand account on no team yet: the caller adds it to a brand in the
/// same transaction (joining by an invitation link).
pub async fn create_brand_user(
    conn: &mut PgConnection,
    email: &Email,
    display_name: &DisplayName,
    password_hash: &str,
) -> Result<Uuid, CreateError> {
    insert_user(conn, email, display_name, password_hash, Role::Brand).await
}

/// Creates the user and an empty influencer profile, in the caller's transaction.
pub async fn create_influencer_account(
    conn: &mut PgConnection,
    email: &Email,
    display_name: &DisplayName,
    password_hash: &str,
) -> Result<Uuid, CreateError> {
    let user_id = insert_user(conn, email, display_name, password_hash, Role::Influencer).await?;
    sqlx::query!(
        "insert into influencer_profiles (id, user_id) values ($1, $2)",
        Uuid::now_v7(),
        user_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(user_id)
}

pub async fn create_admin(
    conn: &mut PgConnection,
    email: &Email,
    display_name: &DisplayName,
    password_hash: &str,
) -> Result<Uuid, CreateError> {
    insert_user(conn, email, display_name, password_hash, Role::Admin).await
}

/// Agency staff added from the console: an admin or a manager.
pub async fn create_staff(
    conn: &mut PgConnection,
    email: &Email,
    display_name: &DisplayName,
    password_hash: &str,
    role: Role,
) -> Result<Uuid, CreateError> {
    debug_assert!(role.is_staff());
    insert_user(conn, email, display_name, password_hash, role).await
}

pub struct Credentials {
    pub user_id: Uuid,
    pub password_hash: String,
    /// Why the agency suspended the account or its brand, if it did.
    pub suspension_reason: Option<String>,
}

pub async fn credentials_by_email(
    db: impl PgExecutor<'_>,
    email: &str,
) -> Result<Option<Credentials>, sqlx::Error> {
    sqlx::query_as!(
        Credentials,
        r#"select u.id as user_id, u.password_hash,
                  coalesce(u.suspension_reason, b.suspension_reason) as suspension_reason
             from users u
             left join brand_members m on m.user_id = u.id
             left join brands b on b.id = m.brand_id
            where u.email = $1"#,
        email
    )
    .fetch_optional(db)
    .await
}

pub async fn password_hash(db: impl PgExecutor<'_>, user_id: Uuid) -> Result<String, sqlx::Error> {
    sqlx::query_scalar!("select password_hash from users where id = $1", user_id)
        .fetch_one(db)
        .await
}

pub async fn set_password(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update users set password_hash = $2, password_changed_at = now() where id = $1",
        user_id,
        password_hash
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn member_since(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
) -> Result<time::OffsetDateTime, sqlx::Error> {
    sqlx::query_scalar!("select created_at from users where id = $1", user_id)
        .fetch_one(db)
        .await
}
