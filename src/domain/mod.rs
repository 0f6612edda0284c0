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
/// given message) and `Display` (the label).
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
    };
}

pub(crate) use keyed_enum;

pub mod date;
pub mod display;
pub mod format;
pub mod link;
pub mod money;
pub mod number;
pub mod platform;
pub mod role;
pub mod score;
pub mod text;
pub mod tier;

pub use format::Format;
pub use money::{Currency, Money};
pub use platform::Platform;
pub use role::Role;
pub use tier::{Tier, TierScale};
