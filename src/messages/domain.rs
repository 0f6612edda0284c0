//! What a message may hold.

use crate::domain::text::required_text;

pub const MAX_MESSAGE: usize = 5000;

/// A message: trimmed, not empty, bounded.
pub fn parse_message(input: &str) -> Result<String, String> {
    required_text(input, "the message", MAX_MESSAGE, "Write a message first.")
}
