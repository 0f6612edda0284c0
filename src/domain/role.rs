//! The kinds of account: what each may see and do follows from it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type, Serialize, Deserialize)]
#[sqlx(type_name = "text", rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Brand,
    Influencer,
    Admin,
    /// Agency staff who look after a portfolio of brands and creators.
    Manager,
}

impl Role {
    /// Agency staff: admins and managers.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Admin | Role::Manager)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Brand => "Brand",
            Role::Influencer => "Influencer",
            Role::Admin => "Agency admin",
            Role::Manager => "Agency manager",
        }
    }
}
