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
}

impl CurrentUser {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn is_influencer(&self) -> bool {
        self.role == Role::Influencer
    }

    /// Everyone but a brand account that is on no team.
    pub fn sees_campaigns(&self) -> bool {
        self.role != Role::Brand || self.brand.is_some()
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
