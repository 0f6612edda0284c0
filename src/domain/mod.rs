//! Liaison's vocabulary, free of HTTP and SQL: the values features share, each
//! parsed once from what people type and displayed one way.
//!
//! - closed sets with a stored key and a label ([`keyed_enum!`]): [`Platform`],
//!   [`Format`], [`Tier`], [`Role`];
//! - [`Money`] and [`Currency`]; [`TierScale`], the one rule that assigns tiers;
//! - parsers: [`text`] (bounded, required, lines, lists, countries), [`link`]
//!   (http and https only), [`number`] (counts, figures, percentages, small
//!   numbers), [`date`] (today, typed dates), [`score`] (1–5);
//! - [`display`]: how dates, counts and amounts read, with the templates' filters.

/// Declares a closed set of values that have a stored key and a label for people,
/// with `ALL`, `key()`, `label()`, `parse(key)` (refusing unknown keys with the
/// given message) and `Display` (the label). The values are stored as their keys
/// in `text` columns: rows read them back as the type, and a stored key that is
/// not one of them is an error from the query, never a silently dropped row.
macro_rules! keyed_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident => ($key:literal, $label:literal)),+ $(,)?
        }
        unknown: $unknown:literal
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub const ALL: [$name; [$($key),+].len()] = [$($name::$variant),+];

            /// The value stored and sent in forms.
            pub fn key(self) -> &'static str {
                match self {
                    $($name::$variant => $key),+
                }
            }

            pub fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label),+
                }
            }

            pub fn parse(key: &str) -> Result<$name, String> {
                let key = key.trim();
                Self::ALL
                    .into_iter()
                    .find(|v| v.key().eq_ignore_ascii_case(key))
                    .ok_or_else(|| $unknown.to_owned())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }

        $crate::domain::stored_as_text!($name, key, |key: &str| {
            $name::ALL.into_iter().find(|v| v.key() == key)
        });
    };
}

/// Stores a type in a `text` column as `$to_text(&self)`, and reads it back with
/// `$from_text`, which answers `None` for text that is not a value of the type.
macro_rules! stored_as_text {
    ($name:ident, $to_text:ident, $from_text:expr) => {
        impl sqlx::Type<sqlx::Postgres> for $name {
            fn type_info() -> sqlx::postgres::PgTypeInfo {
                <String as sqlx::Type<sqlx::Postgres>>::type_info()
            }

            fn compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
                <String as sqlx::Type<sqlx::Postgres>>::compatible(ty)
            }
        }

        impl sqlx::postgres::PgHasArrayType for $name {
            fn array_type_info() -> sqlx::postgres::PgTypeInfo {
                <String as sqlx::postgres::PgHasArrayType>::array_type_info()
            }
        }

        impl sqlx::Encode<'_, sqlx::Postgres> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut sqlx::postgres::PgArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<sqlx::Postgres>>::encode(self.$to_text(), buf)
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Postgres> for $name {
            fn decode(
                value: sqlx::postgres::PgValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <&str as sqlx::Decode<sqlx::Postgres>>::decode(value)?;
                let from_text = $from_text;
                from_text(text).ok_or_else(|| {
                    format!("{text:?} is stored where a {} belongs", stringify!($name)).into()
                })
            }
        }
    };
}

pub(crate) use keyed_enum;
pub(crate) use stored_as_text;

pub mod date;
pub mod display;
pub mod format;
pub mod link;
pub mod money;
pub mod number;
pub mod party;
pub mod platform;
pub mod release;
pub mod role;
pub mod score;
pub mod text;
pub mod tier;
pub mod work;

pub use format::Format;
pub use money::{Currency, Money};
pub use party::Party;
pub use platform::Platform;
pub use release::ReleaseOn;
pub use role::Role;
pub use tier::{Tier, TierScale};
pub use work::WorkKind;
