//! Field-level validation messages for forms that are shown again with what the
//! user typed.

use std::borrow::Cow;

/// Messages keyed by form field name, in the order they were found.
#[derive(Debug, Default, Clone)]
pub struct FieldErrors {
    // Owned names too: some forms have one field per row (`item_3_reply`).
    errors: Vec<(Cow<'static, str>, String)>,
}

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: impl Into<Cow<'static, str>>, message: impl Into<String>) {
        self.errors.push((field.into(), message.into()));
    }

    /// Records the error of a parse result under `field` and returns the value, if any.
    pub fn check<T>(
        &mut self,
        field: impl Into<Cow<'static, str>>,
        result: Result<T, String>,
    ) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(message) => {
                self.add(field, message);
                None
            }
        }
    }

    /// The message for one field; the templates show it beside the input.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn len(&self) -> usize {
        self.errors.len()
    }
}
