//! MAC keys and the HMAC computation, kept apart so that a binding can compute the
//! same MACs elsewhere (WebCrypto) and hand them back for the constant-time compare.

use alloc::vec::Vec;
use core::fmt;

use hmac::{Hmac, KeyInit, Mac};

use crate::encoding::{Tag, MAX_TAG};

/// A MAC algorithm a scheme uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MacAlgorithm {
    /// HMAC-SHA1 (only for ShopCtrl's configurable HMAC).
    HmacSha1,
    /// HMAC-SHA256, used by every documented scheme.
    HmacSha256,
    /// HMAC-SHA512 (only for ShopCtrl's configurable HMAC).
    HmacSha512,
}

impl MacAlgorithm {
    /// Tag length in bytes.
    pub const fn output_len(self) -> usize {
        match self {
            MacAlgorithm::HmacSha1 => 20,
            MacAlgorithm::HmacSha256 => 32,
            MacAlgorithm::HmacSha512 => 64,
        }
    }

    /// The hash name as WebCrypto spells it (`SHA-256`), for bindings that import keys there.
    pub const fn webcrypto_hash(self) -> &'static str {
        match self {
            MacAlgorithm::HmacSha1 => "SHA-1",
            MacAlgorithm::HmacSha256 => "SHA-256",
            MacAlgorithm::HmacSha512 => "SHA-512",
        }
    }

    /// Lower-case digest name: `sha1`, `sha256`, `sha512`.
    pub const fn digest_name(self) -> &'static str {
        match self {
            MacAlgorithm::HmacSha1 => "sha1",
            MacAlgorithm::HmacSha256 => "sha256",
            MacAlgorithm::HmacSha512 => "sha512",
        }
    }

    /// Parses `sha1`, `sha256`, `sha512` (also `SHA-256`, `hmac-sha256`), case-insensitively.
    ///
    /// ```
    /// use hookproof::MacAlgorithm;
    /// for name in ["sha256", "SHA-256", "hmac-sha256", "Hmac-SHA256", " HMAC-SHA-256 "] {
    ///     assert_eq!(MacAlgorithm::from_name(name), Some(MacAlgorithm::HmacSha256), "{name}");
    /// }
    /// assert_eq!(MacAlgorithm::from_name("md5"), None);
    /// ```
    pub fn from_name(s: &str) -> Option<Self> {
        let mut norm: alloc::string::String = s.trim().chars().filter(|c| *c != '-').collect();
        norm.make_ascii_lowercase();
        match norm.strip_prefix("hmac").unwrap_or(&norm) {
            "sha1" => Some(MacAlgorithm::HmacSha1),
            "sha256" => Some(MacAlgorithm::HmacSha256),
            "sha512" => Some(MacAlgorithm::HmacSha512),
            _ => None,
        }
    }
}

/// A keyed HMAC state, prepared once per secret so that each request only hashes its message.
#[derive(Clone)]
enum State {
    Sha1(Hmac<sha1::Sha1>),
    Sha256(Hmac<sha2::Sha256>),
    Sha512(Hmac<sha2::Sha512>),
}

/// One MAC key of a verifier: the key bytes and the algorithm, with the keyed state.
#[derive(Clone)]
pub struct MacKey {
    algorithm: MacAlgorithm,
    bytes: Vec<u8>,
    /// Index of the configured secret this key comes from.
    secret_index: usize,
    state: State,
}

impl fmt::Debug for MacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MacKey")
            .field("algorithm", &self.algorithm)
            .field("secret_index", &self.secret_index)
            .field("bytes", &"<redacted>")
            .finish()
    }
}

impl MacKey {
    pub(crate) fn new(algorithm: MacAlgorithm, bytes: Vec<u8>, secret_index: usize) -> Self {
        // HMAC accepts keys of any length, so new_from_slice cannot fail here.
        let state = match algorithm {
            MacAlgorithm::HmacSha1 => {
                State::Sha1(Hmac::new_from_slice(&bytes).expect("HMAC takes keys of any length"))
            }
            MacAlgorithm::HmacSha256 => {
                State::Sha256(Hmac::new_from_slice(&bytes).expect("HMAC takes keys of any length"))
            }
            MacAlgorithm::HmacSha512 => {
                State::Sha512(Hmac::new_from_slice(&bytes).expect("HMAC takes keys of any length"))
            }
        };
        MacKey {
            algorithm,
            bytes,
            secret_index,
            state,
        }
    }

    /// The algorithm.
    pub fn algorithm(&self) -> MacAlgorithm {
        self.algorithm
    }

    /// The raw key bytes (for importing into WebCrypto). Treat as secret.
    pub fn key_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Index of the configured secret this key was derived from.
    pub fn secret_index(&self) -> usize {
        self.secret_index
    }

    /// HMAC over `parts` concatenated, in one pass with no copy of the parts.
    pub(crate) fn compute(&self, parts: &[&[u8]]) -> Tag {
        fn run<M: Mac + Clone>(m: &M, parts: &[&[u8]]) -> Tag {
            let mut m = m.clone();
            for p in parts {
                m.update(p);
            }
            let out = m.finalize().into_bytes();
            Tag::from_slice(&out).unwrap_or_else(|| Tag::from_slice(&[]).expect("empty tag fits"))
        }
        match &self.state {
            State::Sha1(m) => run(m, parts),
            State::Sha256(m) => run(m, parts),
            State::Sha512(m) => run(m, parts),
        }
    }

    /// Convenience for signing: the MAC as bytes.
    pub(crate) fn compute_vec(&self, parts: &[&[u8]]) -> Vec<u8> {
        self.compute(parts).as_slice().to_vec()
    }
}

const _: () = assert!(MAX_TAG >= 64);
