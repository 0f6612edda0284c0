//! HMAC-SHA256 with the application secret, for values the server hands to the
//! browser and must recognise later (CSRF tokens, flash cookies).

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

#[derive(Clone)]
pub struct Signer {
    key: Vec<u8>,
}

impl Signer {
    pub fn new(secret: &[u8]) -> Self {
        Signer {
            key: secret.to_vec(),
        }
    }

    /// `purpose` separates the uses of the key, so a flash signature can never pass
    /// as a CSRF token.
    pub fn sign(&self, purpose: &str, data: &str) -> String {
        URL_SAFE_NO_PAD.encode(self.mac(purpose, data))
    }

    pub fn verify(&self, purpose: &str, data: &str, signature: &str) -> bool {
        let Ok(given) = URL_SAFE_NO_PAD.decode(signature) else {
            return false;
        };
        self.mac(purpose, data).ct_eq(&given).into()
    }

    fn mac(&self, purpose: &str, data: &str) -> Vec<u8> {
        // new_from_slice accepts keys of any length for HMAC; the error is unreachable,
        // but an empty MAC would simply never verify.
        let Ok(mut mac) = HmacSha256::new_from_slice(&self.key) else {
            return Vec::new();
        };
        mac.update(purpose.as_bytes());
        mac.update(b"\0");
        mac.update(data.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_for_its_purpose_and_data() {
        let s = Signer::new(b"0123456789abcdef0123456789abcdef");
        let sig = s.sign("csrf", "abc");
        assert!(s.verify("csrf", "abc", &sig));
        assert!(!s.verify("flash", "abc", &sig));
        assert!(!s.verify("csrf", "abd", &sig));
        assert!(!s.verify("csrf", "abc", "not base64!"));
        assert!(!Signer::new(b"another secret of enough length!!").verify("csrf", "abc", &sig));
    }
}
