//! Brand storage. Every query is scoped by the brand id of the signed-in member,
//! so one brand's rows are never reachable from another's.

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use super::domain::{BrandProfile, INVITATION_DAYS, ProfileForm};
use crate::{auth::tokens, domain::Role};

/// The saved profile, in the shape of its form.
pub async fn profile(db: impl PgExecutor<'_>, brand_id: Uuid) -> Result<ProfileForm, sqlx::Error> {
    sqlx::query_as!(
        ProfileForm,
        "select name, website, industry, description, business_goals, brand_voice,
                billing_address, tax_id
           from brands where id = $1",
        brand_id
    )
    .fetch_one(db)
    .await
}

pub async fn update_profile(
    db: impl PgExecutor<'_>,
    brand_id: Uuid,
    p: &BrandProfile,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update brands
            set name = $2, website = $3, industry = $4, description = $5,
                business_goals = $6, brand_voice = $7, billing_address = $8, tax_id = $9
          where id = $1",
        brand_id,
        p.name.as_str(),
        p.website,
        p.industry,
        p.description,
        p.business_goals,
        p.brand_voice,
        p.billing_address,
        p.tax_id,
    )
    .execute(db)
    .await?;
    Ok(())
}

pub struct TeamMember {
    pub user_id: Uuid,
    pub display_name: String,
    pub email: String,
    pub is_owner: bool,
    pub joined_at: OffsetDateTime,
}

/// The brand's team, owner first.
pub async fn team(db: impl PgExecutor<'_>, brand_id: Uuid) -> Result<Vec<TeamMember>, sqlx::Error> {
    sqlx::query_as!(
        TeamMember,
        r#"select u.id as user_id, u.display_name, u.email, m.role = 'owner' as "is_owner!",
                  m.created_at as joined_at
             from brand_members m join users u on u.id = m.user_id
            where m.brand_id = $1
            order by m.role = 'owner' desc, u.display_name"#,
        brand_id
    )
    .fetch_all(db)
    .await
}

pub struct PendingInvitation {
    pub id: Uuid,
    pub email: String,
    pub expires_at: OffsetDateTime,
}

pub async fn pending_invitations(
    db: impl PgExecutor<'_>,
    brand_id: Uuid,
) -> Result<Vec<PendingInvitation>, sqlx::Error> {
    sqlx::query_as!(
        PendingInvitation,
        "select id, email, expires_at from brand_invitations
          where brand_id = $1 and accepted_at is null and expires_at > now()
          order by created_at desc",
        brand_id
    )
    .fetch_all(db)
    .await
}

/// What an email address is on Liaison, as far as adding it to a team goes.
pub struct ExistingAccount {
    pub user_id: Uuid,
    pub display_name: String,
    pub role: Role,
    pub brand_id: Option<Uuid>,
}

pub async fn account_by_email(
    db: impl PgExecutor<'_>,
    email: &str,
) -> Result<Option<ExistingAccount>, sqlx::Error> {
    sqlx::query_as!(
        ExistingAccount,
        r#"select u.id as user_id, u.display_name, u.role as "role: Role", m.brand_id as "brand_id?"
             from users u left join brand_members m on m.user_id = u.id
            where u.email = $1"#,
        email
    )
    .fetch_optional(db)
    .await
}

pub async fn add_member(
    db: impl PgExecutor<'_>,
    brand_id: Uuid,
    user_id: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into brand_members (brand_id, user_id, role) values ($1, $2, 'member')",
        brand_id,
        user_id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Removes a member (never the owner) and returns their email; `None` when the
/// brand has no such member.
pub async fn remove_member(
    db: impl PgExecutor<'_>,
    brand_id: Uuid,
    user_id: Uuid,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "with removed as (
             delete from brand_members
              where brand_id = $1 and user_id = $2 and role = 'member'
             returning user_id
         )
         select u.email from removed join users u on u.id = removed.user_id",
        brand_id,
        user_id
    )
    .fetch_optional(db)
    .await
}

/// Creates an invitation and returns the token for its link. An open invitation
/// for the same address is replaced, so "invite again" issues a fresh link.
pub async fn create_invitation(
    conn: &mut PgConnection,
    brand_id: Uuid,
    email: &str,
    invited_by: Uuid,
) -> Result<String, sqlx::Error> {
    sqlx::query!(
        "delete from brand_invitations where brand_id = $1 and email = $2 and accepted_at is null",
        brand_id,
        email
    )
    .execute(&mut *conn)
    .await?;
    let token = tokens::random_token();
    sqlx::query!(
        "insert into brand_invitations (id, brand_id, email, token_hash, invited_by, expires_at)
         values ($1, $2, $3, $4, $5, now() + make_interval(days => $6))",
        Uuid::now_v7(),
        brand_id,
        email,
        &tokens::sha256(&token)[..],
        invited_by,
        INVITATION_DAYS,
    )
    .execute(&mut *conn)
    .await?;
    Ok(token)
}

pub async fn revoke_invitation(
    db: impl PgExecutor<'_>,
    brand_id: Uuid,
    invitation_id: Uuid,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "delete from brand_invitations
          where id = $1 and brand_id = $2 and accepted_at is null
         returning email",
        invitation_id,
        brand_id
    )
    .fetch_optional(db)
    .await
}

pub struct Invitation {
    pub id: Uuid,
    pub brand_id: Uuid,
    pub brand_name: String,
    pub email: String,
}

/// An open, unexpired invitation for a link's token.
pub async fn invitation_by_token(
    db: impl PgExecutor<'_>,
    token: &str,
) -> Result<Option<Invitation>, sqlx::Error> {
    sqlx::query_as!(
        Invitation,
        "select i.id, i.brand_id, b.name as brand_name, i.email
           from brand_invitations i join brands b on b.id = i.brand_id
          where i.token_hash = $1 and i.accepted_at is null and i.expires_at > now()",
        &tokens::sha256(token)[..]
    )
    .fetch_optional(db)
    .await
}

/// Marks the invitation used; `false` if someone used it a moment earlier.
pub async fn mark_accepted(
    db: impl PgExecutor<'_>,
    invitation_id: Uuid,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update brand_invitations set accepted_at = now() where id = $1 and accepted_at is null",
        invitation_id
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}
