//! Who is signed in, and the extractors that guard routes by role.
//!
//! `CurrentUser` in a handler's arguments means "signed in, or redirect to the
//! login page"; `Admin` additionally answers 403 to anyone but an agency admin.

pub mod access;
pub mod cookies;
pub mod session;
pub mod session_cache;
pub mod signer;
pub mod tokens;

pub use access::Viewer;

use axum::{
    extract::FromRequestParts,
    http::request::Parts,
    response::{IntoResponse, Redirect, Response},
};
use uuid::Uuid;

use crate::{
    domain::{Platform, Role, Tier},
    error::AppError,
};

#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub brand: Option<BrandMembership>,
    /// An influencer's tier and platforms, once they have a channel.
    pub reach: Option<Reach>,
    /// Unread notifications, for the navigation.
    pub unread: i64,
}

/// Who a creator can reach: the tier of their largest channel and every
/// platform they publish on, for matching campaigns.
#[derive(Debug, Clone)]
pub struct Reach {
    pub tier: Tier,
    pub platforms: Vec<Platform>,
}

#[derive(Debug, Clone)]
pub struct BrandMembership {
    pub brand_id: Uuid,
    pub brand_name: String,
    pub is_owner: bool,
    /// An agency manager working as the brand, not one of its members.
    pub by_agency: bool,
}

impl CurrentUser {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn is_influencer(&self) -> bool {
        self.role == Role::Influencer
    }

    /// The brand an agency manager is working as, if they are.
    pub fn acting_for(&self) -> Option<&BrandMembership> {
        self.brand.as_ref().filter(|b| b.by_agency)
    }

    /// An agency manager not working as a brand: their console is their
    /// portfolio.
    pub fn is_manager(&self) -> bool {
        self.role == Role::Manager && self.brand.is_none()
    }

    /// Everyone but a brand account on no team and a manager not working as
    /// a brand.
    pub fn sees_campaigns(&self) -> bool {
        match self.role {
            Role::Brand | Role::Manager => self.brand.is_some(),
            Role::Influencer | Role::Admin => true,
        }
    }
}

/// Sends a signed-out visitor to the login page, coming back here afterwards.
fn sign_in_redirect(parts: &Parts) -> Response {
    let here = parts
        .uri
        .path_and_query()
        .map_or("/dashboard", |pq| pq.as_str());
    let query = serde_urlencoded::to_string([("next", here)]).unwrap_or_default();
    Redirect::to(&format!("/login?{query}")).into_response()
}

/// Who the page context found signed in for this request; the context middleware
/// puts it in the request's extensions for the extractors below.
#[derive(Debug, Clone)]
pub struct Visitor(pub Option<CurrentUser>);

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Response> {
        let Some(Visitor(visitor)) = parts.extensions.get::<Visitor>() else {
            return Err(AppError::Internal(anyhow::anyhow!(
                "a signed-in route outside the context middleware"
            ))
            .into_response());
        };
        visitor.clone().ok_or_else(|| sign_in_redirect(parts))
    }
}

/// An agency admin. Anyone else signed in gets 403.
pub struct Admin(pub CurrentUser);

impl<S: Send + Sync> FromRequestParts<S> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if user.is_admin() {
            Ok(Admin(user))
        } else {
            Err(AppError::Forbidden.into_response())
        }
    }
}

/// Agency staff: admins, who see everything, and managers, who see their
/// portfolio. Anyone else gets 403; a manager working as a brand is the brand
/// until they stop, so they get 403 too.
pub struct Staff {
    pub user: CurrentUser,
    pub scope: Scope,
}

/// What a member of staff may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Everything,
    /// This manager's portfolio.
    Portfolio(Uuid),
}

impl Scope {
    /// The manager whose portfolio bounds what is seen, for queries.
    pub fn manager(self) -> Option<Uuid> {
        match self {
            Scope::Everything => None,
            Scope::Portfolio(manager) => Some(manager),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let scope = match user.role {
            Role::Admin => Scope::Everything,
            Role::Manager if user.brand.is_none() => Scope::Portfolio(user.id),
            _ => return Err(AppError::Forbidden.into_response()),
        };
        Ok(Staff { user, scope })
    }
}

/// Who did something, as the audit trail records it: a manager working as a
/// brand acted for that brand.
impl From<&CurrentUser> for crate::audit::Actor {
    fn from(user: &CurrentUser) -> Self {
        crate::audit::Actor {
            user: user.id,
            for_brand: user.acting_for().map(|b| b.brand_id),
        }
    }
}

/// A signed-in member of a brand, acting for it. Anyone else gets 403.
pub struct BrandMember {
    pub user: CurrentUser,
    pub brand: BrandMembership,
}

impl<S: Send + Sync> FromRequestParts<S> for BrandMember {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        match user.brand.clone() {
            Some(brand) => Ok(BrandMember { user, brand }),
            None => Err(AppError::Forbidden.into_response()),
        }
    }
}

/// A signed-in influencer-entrepreneur. Anyone else gets 403.
pub struct Influencer(pub CurrentUser);

impl<S: Send + Sync> FromRequestParts<S> for Influencer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if user.is_influencer() {
            Ok(Influencer(user))
        } else {
            Err(AppError::Forbidden.into_response())
        }
    }
}

/// A brand member or an agency admin: who may look creators up. Influencers
/// get 403.
pub struct Scout(pub CurrentUser);

impl<S: Send + Sync> FromRequestParts<S> for Scout {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if user.is_admin() || user.brand.is_some() {
            Ok(Scout(user))
        } else {
            Err(AppError::Forbidden.into_response())
        }
    }
}
