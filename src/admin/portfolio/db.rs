//! Portfolios as stored: which brands and creators each manager looks after,
//! whether the agency works for a brand, and the staff list.

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::domain::{Role, Tier};

#[derive(Debug, Clone)]
pub struct PortfolioBrand {
    pub id: Uuid,
    pub name: String,
    pub owner_id: Option<Uuid>,
    pub agency_managed: bool,
    pub suspended: bool,
    pub open_campaigns: i64,
}

pub async fn brands(
    db: impl PgExecutor<'_>,
    manager: Uuid,
) -> Result<Vec<PortfolioBrand>, sqlx::Error> {
    sqlx::query_as!(
        PortfolioBrand,
        r#"select b.id, b.name,
                  (select m.user_id from brand_members m where m.brand_id = b.id and m.role = 'owner') as owner_id,
                  b.agency_managed, b.suspended_at is not null as "suspended!",
                  (select count(*) from campaigns c where c.brand_id = b.id and c.status = 'open') as "open_campaigns!"
             from portfolio_brands pb join brands b on b.id = pb.brand_id
            where pb.manager_id = $1
            order by b.name, b.id"#,
        manager
    )
    .fetch_all(db)
    .await
}

#[derive(Debug, Clone)]
pub struct PortfolioCreator {
    pub user_id: Uuid,
    pub profile_id: Uuid,
    pub name: String,
    pub tier: Option<Tier>,
    pub score: Option<i16>,
    pub suspended: bool,
}

pub async fn creators(
    db: impl PgExecutor<'_>,
    manager: Uuid,
) -> Result<Vec<PortfolioCreator>, sqlx::Error> {
    sqlx::query_as!(
        PortfolioCreator,
        r#"select p.user_id, p.id as profile_id, u.display_name as name, p.tier as "tier?: Tier",
                  p.score, p.suspended
             from portfolio_creators pc
             join influencer_profiles p on p.id = pc.profile_id
             join users u on u.id = p.user_id
            where pc.manager_id = $1
            order by u.display_name, p.id"#,
        manager
    )
    .fetch_all(db)
    .await
}

/// Whether `person` is within `manager`'s portfolio.
pub async fn includes(
    db: impl PgExecutor<'_>,
    manager: Uuid,
    person: Uuid,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(r#"select in_portfolio($1, $2) as "yes!""#, manager, person)
        .fetch_one(db)
        .await
}

/// A member of agency staff, for the staff page and the manager choice.
#[derive(Debug, Clone)]
pub struct StaffMember {
    pub id: Uuid,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub suspended: bool,
    pub brands: i64,
    pub creators: i64,
    pub created_at: OffsetDateTime,
}

pub async fn staff(db: impl PgExecutor<'_>) -> Result<Vec<StaffMember>, sqlx::Error> {
    sqlx::query_as!(
        StaffMember,
        r#"select u.id, u.display_name, u.email, u.role as "role: Role",
                  u.suspended_at is not null as "suspended!",
                  (select count(*) from portfolio_brands pb where pb.manager_id = u.id) as "brands!",
                  (select count(*) from portfolio_creators pc where pc.manager_id = u.id) as "creators!",
                  u.created_at
             from users u
            where u.role in ('admin', 'manager')
            order by u.role, u.display_name, u.id"#
    )
    .fetch_all(db)
    .await
}

/// Puts a brand in `manager`'s portfolio, or in nobody's with `None`.
pub async fn assign_brand(
    tx: &mut PgConnection,
    brand: Uuid,
    manager: Option<Uuid>,
    by: Uuid,
) -> Result<(), sqlx::Error> {
    match manager {
        Some(manager) => sqlx::query!(
            "insert into portfolio_brands (brand_id, manager_id, assigned_by) values ($1, $2, $3)
             on conflict (brand_id) do update
                set manager_id = excluded.manager_id, assigned_by = excluded.assigned_by, assigned_at = now()",
            brand,
            manager,
            by
        )
        .execute(&mut *tx)
        .await
        .map(drop),
        None => sqlx::query!("delete from portfolio_brands where brand_id = $1", brand)
            .execute(&mut *tx)
            .await
            .map(drop),
    }
}

/// Puts a creator in `manager`'s portfolio, or in nobody's with `None`.
pub async fn assign_creator(
    tx: &mut PgConnection,
    profile: Uuid,
    manager: Option<Uuid>,
    by: Uuid,
) -> Result<(), sqlx::Error> {
    match manager {
        Some(manager) => sqlx::query!(
            "insert into portfolio_creators (profile_id, manager_id, assigned_by) values ($1, $2, $3)
             on conflict (profile_id) do update
                set manager_id = excluded.manager_id, assigned_by = excluded.assigned_by, assigned_at = now()",
            profile,
            manager,
            by
        )
        .execute(&mut *tx)
        .await
        .map(drop),
        None => sqlx::query!("delete from portfolio_creators where profile_id = $1", profile)
            .execute(&mut *tx)
            .await
            .map(drop),
    }
}

pub async fn set_agency_managed(
    tx: &mut PgConnection,
    brand: Uuid,
    managed: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update brands set agency_managed = $2 where id = $1",
        brand,
        managed
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The brand's name if `manager` may work as it now: theirs, agency-managed
/// and not suspended.
pub async fn workable(
    db: impl PgExecutor<'_>,
    manager: Uuid,
    brand: Uuid,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "select b.name from brands b join portfolio_brands pb on pb.brand_id = b.id
          where b.id = $1 and pb.manager_id = $2 and b.agency_managed and b.suspended_at is null",
        brand,
        manager
    )
    .fetch_optional(db)
    .await
}
