//! Encryption of creators' bank details at rest: AES-256-GCM under the data
//! key from the environment, each value bound to the profile it belongs to
//! (so a value copied onto another creator's row does not open), with a fresh
//! random nonce each time.

use aes_gcm::{
    Aes256Gcm, KeyInit, Nonce,
    aead::{Aead, AeadCore, OsRng, Payload},
};
use uuid::Uuid;

use crate::config::DataKey;

/// The first byte of every sealed value: which scheme sealed it, so another
/// can follow without guessing.
const VERSION: u8 = 1;
const NONCE_LEN: usize = 12;

#[derive(Debug, thiserror::Error)]
#[error(
    "the bank details could not be decrypted: the data key differs from the one that encrypted them, or they were altered"
)]
pub struct Unreadable;

fn context(profile_id: Uuid) -> Vec<u8> {
    [b"liaison payout account ".as_slice(), profile_id.as_bytes()].concat()
}

/// Encrypts `secret` for the profile `owner`.
pub fn seal(key: &DataKey, owner: Uuid, secret: &str) -> Vec<u8> {
    let cipher = Aes256Gcm::new(&key.0.into());
    let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
    let aad = context(owner);
    let payload = Payload {
        msg: secret.as_bytes(),
        aad: &aad,
    };
    // Encryption fails only for messages longer than GCM allows (64 GiB).
    let sealed = cipher.encrypt(&nonce, payload).unwrap_or_default();
    [&[VERSION][..], nonce.as_slice(), &sealed].concat()
}

/// Decrypts what [`seal`] made for the same profile under the same key.
pub fn open(key: &DataKey, owner: Uuid, sealed: &[u8]) -> Result<String, Unreadable> {
    let (&version, rest) = sealed.split_first().ok_or(Unreadable)?;
    if version != VERSION || rest.len() <= NONCE_LEN {
        return Err(Unreadable);
    }
    let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
    let cipher = Aes256Gcm::new(&key.0.into());
    let aad = context(owner);
    let clear = cipher
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad: &aad,
            },
        )
        .map_err(|_| Unreadable)?;
    String::from_utf8(clear).map_err(|_| Unreadable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_with_its_key_and_owner() {
        let key = DataKey([7; 32]);
        let owner = Uuid::now_v7();
        let sealed = seal(&key, owner, "DE89370400440532013000");
        assert!(!sealed.windows(4).any(|w| w == b"3000"), "no clear text");
        assert_eq!(
            open(&key, owner, &sealed).expect("opens"),
            "DE89370400440532013000"
        );
        assert!(
            open(&DataKey([8; 32]), owner, &sealed).is_err(),
            "another key"
        );
        assert!(
            open(&key, Uuid::now_v7(), &sealed).is_err(),
            "another owner"
        );
        let mut altered = sealed.clone();
        let last = altered.len() - 1;
        altered[last] ^= 1;
        assert!(open(&key, owner, &altered).is_err(), "altered");
        assert!(open(&key, owner, &[]).is_err());
        assert_ne!(
            seal(&key, owner, "same"),
            seal(&key, owner, "same"),
            "fresh nonce"
        );
    }
}
