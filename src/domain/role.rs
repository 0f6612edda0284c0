//! The kinds of account: what each may see and do follows from it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type, Serialize, Deserialize)]
#[sqlx(type_name = "text", rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Brand,
    Influencer,
    Admin,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Brand => "Brand",
            Role::Influencer => "Influencer",
            Role::Admin => "Agency admin",
        }
    }
}
