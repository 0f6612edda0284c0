//! Who is looking. Every query that a party may or may not see takes a
//! [`Viewer`] and puts it in its `where` clause, so another party's id is simply
//! not found.

use uuid::Uuid;

use super::CurrentUser;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// An agency admin: sees everything.
    Admin,
    /// A member of this brand: sees the brand's campaigns and what is sent to them.
    Brand(Uuid),
    /// This user acting for themselves, as a creator: sees published campaigns
    /// and their own applications.
    Creator(Uuid),
}

impl Viewer {
    /// Whose view a signed-in user gets: admins see all, brand members their
    /// brand's, everyone else their own.
    pub fn of(user: &CurrentUser) -> Viewer {
        match (&user.brand, user.is_admin()) {
            (_, true) => Viewer::Admin,
            (Some(b), _) => Viewer::Brand(b.brand_id),
            (None, _) => Viewer::Creator(user.id),
        }
    }

    /// (creator's user, brand, admin) for queries that match any of them.
    pub fn ids(self) -> (Option<Uuid>, Option<Uuid>, bool) {
        match self {
            Viewer::Creator(user) => (Some(user), None, false),
            Viewer::Brand(brand) => (None, Some(brand), false),
            Viewer::Admin => (None, None, true),
        }
    }

    /// Whether this viewer may see what belongs to this brand and this
    /// creator's user account: for statements that find a row by its key and
    /// check who asks on the row, so that the viewer is not a parameter that
    /// makes PostgreSQL plan them again on every call.
    pub fn may_see(self, brand_id: Uuid, creator_user_id: Uuid) -> bool {
        match self {
            Viewer::Admin => true,
            Viewer::Brand(brand) => brand == brand_id,
            Viewer::Creator(user) => user == creator_user_id,
        }
    }

    /// The brand whose rows alone this viewer may see, if any.
    pub fn brand(self) -> Option<Uuid> {
        match self {
            Viewer::Brand(id) => Some(id),
            _ => None,
        }
    }

    pub fn is_creator(self) -> bool {
        matches!(self, Viewer::Creator(_))
    }

    pub fn is_brand(self) -> bool {
        matches!(self, Viewer::Brand(_))
    }
}
