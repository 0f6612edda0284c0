//! One-time messages shown on the next page ("Password changed.").
//!
//! A handler returns a [`Flash`] as a response part; `web::context` signs it into a
//! cookie, shows it on the next rendered page and then clears it.

use std::convert::Infallible;

use axum::response::{IntoResponseParts, ResponseParts};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};

use crate::auth::signer::Signer;

pub const COOKIE: &str = "liaison_flash";
const PURPOSE: &str = "flash";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FlashKind {
    Success,
    Info,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    pub kind: FlashKind,
    pub message: String,
}

impl Flash {
    pub fn success(message: impl Into<String>) -> Self {
        Flash {
            kind: FlashKind::Success,
            message: message.into(),
        }
    }

    pub fn info(message: impl Into<String>) -> Self {
        Flash {
            kind: FlashKind::Info,
            message: message.into(),
        }
    }

    /// The usual answer to a form that did its work: this message, shown on
    /// the page at `to` (303 See Other).
    pub fn redirect_to(self, to: &str) -> axum::response::Response {
        use axum::response::IntoResponse;
        (self, axum::response::Redirect::to(to)).into_response()
    }

    pub fn css_class(&self) -> &'static str {
        match self.kind {
            FlashKind::Success => "flash flash-success",
            FlashKind::Info => "flash flash-info",
        }
    }

    pub fn encode(&self, signer: &Signer) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        let data = URL_SAFE_NO_PAD.encode(json);
        let signature = signer.sign(PURPOSE, &data);
        format!("{data}.{signature}")
    }

    /// `None` for anything not signed by us, so a planted cookie shows nothing.
    pub fn decode(signer: &Signer, value: &str) -> Option<Flash> {
        let (data, signature) = value.split_once('.')?;
        if !signer.verify(PURPOSE, data, signature) {
            return None;
        }
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(data).ok()?).ok()
    }
}

impl IntoResponseParts for Flash {
    type Error = Infallible;

    fn into_response_parts(self, mut res: ResponseParts) -> Result<ResponseParts, Infallible> {
        res.extensions_mut().insert(self);
        Ok(res)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flash_survives_the_round_trip_and_forgeries_do_not() {
        let signer = Signer::new(b"0123456789abcdef0123456789abcdef");
        let flash = Flash::success("Password changed.");
        let encoded = flash.encode(&signer);
        assert_eq!(Flash::decode(&signer, &encoded), Some(flash));
        let forged = format!(
            "{}.AAAA",
            URL_SAFE_NO_PAD.encode(br#"{"kind":"info","message":"hi"}"#)
        );
        assert_eq!(Flash::decode(&signer, &forged), None);
        assert_eq!(Flash::decode(&signer, "garbage"), None);
    }
}
