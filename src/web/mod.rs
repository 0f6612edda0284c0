//! HTTP plumbing shared by every feature: the page context (who is asking, their
//! CSRF token, flash message), CSRF checks, security headers, static assets, and
//! helpers for rendering templates and forms.

pub mod assets;
pub mod client_ip;
pub mod context;
pub mod csrf;
pub mod csv_stream;
pub mod flash;
pub mod forms;
pub mod headers;
pub mod input;
pub mod keyset;
pub mod metrics;
pub mod render;

pub use context::PageContext;
pub use flash::Flash;
pub use forms::FieldErrors;
pub use input::{Form, Query};
pub use render::Page;
