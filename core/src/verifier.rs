//! The verifier: built once from a provider and its secrets, then used per request.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::ops::Range;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::encoding::{base64_any, Tag};
use crate::event::Event;
use crate::headers::Headers;
use crate::mac::{MacAlgorithm, MacKey};
use crate::providers::{self, centrali::Generation};
use crate::sign::{SignOptions, SignedRequest};
use crate::{Error, Hint, Provider};

/// The default tolerance for signed timestamps: five minutes, past and future.
pub const DEFAULT_TOLERANCE: u64 = 300;

/// How a MAC tag is written in a header (ShopCtrl's configurable HMAC).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TagEncoding {
    /// Hexadecimal, either case accepted.
    Hex,
    /// Standard base64, padding optional.
    Base64,
}

impl TagEncoding {
    /// Parses `hex` or `base64`, case-insensitively.
    pub fn from_name(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "hex" => Some(TagEncoding::Hex),
            "base64" => Some(TagEncoding::Base64),
            _ => None,
        }
    }

    /// `hex` or `base64`.
    pub const fn name(self) -> &'static str {
        match self {
            TagEncoding::Hex => "hex",
            TagEncoding::Base64 => "base64",
        }
    }
}

/// Where and how ShopCtrl puts its HMAC: ShopCtrl does not publish the format, so the
/// user states what their installation sends.
///
/// ```
/// use hookproof::{HmacSpec, MacAlgorithm, TagEncoding};
///
/// let spec = HmacSpec::new("X-Signature", MacAlgorithm::HmacSha256, TagEncoding::Hex).prefix("sha256=");
/// assert_eq!(spec.prefix.as_deref(), Some("sha256="));
/// ```
///
/// Non-exhaustive, so that a format detail can be added without breaking callers: build it
/// with [`HmacSpec::new`] or [`HmacSpec::from_names`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct HmacSpec {
    /// Header name, matched case-insensitively (white space around it is ignored; anything
    /// but an HTTP field name is `invalid_option` when the verifier is built).
    pub header: String,
    /// Digest.
    pub algorithm: MacAlgorithm,
    /// Tag encoding.
    pub encoding: TagEncoding,
    /// Text before the tag, such as `sha256=` (matched case-insensitively).
    pub prefix: Option<String>,
}

impl HmacSpec {
    /// A spec for a tag in `header`, with no prefix.
    pub fn new(header: impl Into<String>, algorithm: MacAlgorithm, encoding: TagEncoding) -> Self {
        HmacSpec {
            header: header.into(),
            algorithm,
            encoding,
            prefix: None,
        }
    }

    /// Sets the text before the tag, such as `sha256=`.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = Some(prefix.into());
        self
    }

    /// Builds a spec from the names every binding and the CLI take: `algorithm` is `sha1`,
    /// `sha256` or `sha512`; `encoding` is `hex` or `base64`. Both are required (`None` is
    /// `invalid_option`): ShopCtrl does not publish its format, and a guessed default would
    /// only turn a wrong guess into `signature_mismatch`.
    pub fn from_names(
        header: impl Into<String>,
        algorithm: Option<&str>,
        encoding: Option<&str>,
        prefix: Option<String>,
    ) -> Result<HmacSpec, Error> {
        let (Some(algorithm), Some(encoding)) = (algorithm, encoding) else {
            return Err(Error::InvalidOption {
                reason: "hmac needs `algorithm` (sha1, sha256 or sha512) and `encoding` (hex or \
                         base64): ShopCtrl does not publish its format, so state what your \
                         installation sends",
            });
        };
        Ok(HmacSpec {
            header: header.into(),
            algorithm: MacAlgorithm::from_name(algorithm).ok_or(Error::InvalidOption {
                reason: "hmac.algorithm must be sha1, sha256 or sha512",
            })?,
            encoding: TagEncoding::from_name(encoding).ok_or(Error::InvalidOption {
                reason: "hmac.encoding must be hex or base64",
            })?,
            prefix,
        })
    }
}

/// What a verifier is built from: plain data, so every binding can fill it in. (No
/// `PartialEq`: it would compare secrets in variable time.) Non-exhaustive, so that an option
/// can be added without breaking callers: start from [`Config::new`].
#[derive(Clone)]
#[non_exhaustive]
pub struct Config {
    /// The provider whose scheme to check.
    pub provider: Provider,
    /// Secrets, any of which may match (rotation). UTF-8 bytes, except `whsec_` secrets for
    /// the Standard Webhooks scheme, which are base64 (standard or URL alphabet).
    pub secrets: Vec<String>,
    /// Allowed distance in seconds between a signed timestamp and now; `None` disables the
    /// check. [`Config::new`] sets [`DEFAULT_TOLERANCE`].
    pub tolerance: Option<u64>,
    /// ShopCtrl: the Basic credentials set on the "Call Webhook" action.
    pub basic_auth: Option<(String, String)>,
    /// ShopCtrl: the HMAC header format, when an HMAC secret is set on the action.
    pub hmac: Option<HmacSpec>,
    /// Centrali: accept only this generation's scheme; `None` (the default) tells it from the
    /// headers of each request. Pin it once the endpoint receives one generation: for a
    /// secret without `whsec_` both generations use the same key bytes, so a captured 6.1
    /// delivery could be re-sent as a legacy one that verifies (with no timestamp to expire).
    /// (A legacy body re-sent as 6.1 headers passes [`Verifier::verify`] whatever the pin, but
    /// never the parse: see the crate README's Centrali section.) The verifier's parse reads
    /// requests as this generation's too.
    pub centrali_generation: Option<Generation>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("provider", &self.provider)
            .field(
                "secrets",
                &format_args!("<{} redacted>", self.secrets.len()),
            )
            .field("tolerance", &self.tolerance)
            .field(
                "basic_auth",
                &self.basic_auth.as_ref().map(|_| "<redacted>"),
            )
            .field("hmac", &self.hmac)
            .field("centrali_generation", &self.centrali_generation)
            .finish()
    }
}

impl Config {
    /// A configuration for `provider` with no secrets and the default tolerance.
    pub fn new(provider: Provider) -> Self {
        Config {
            provider,
            secrets: Vec::new(),
            tolerance: Some(DEFAULT_TOLERANCE),
            basic_auth: None,
            hmac: None,
            centrali_generation: None,
        }
    }

    /// Adds a secret (call again to add rotation secrets).
    pub fn secret(mut self, secret: impl Into<String>) -> Self {
        self.secrets.push(secret.into());
        self
    }

    /// Sets the timestamp tolerance in seconds.
    pub fn tolerance(mut self, seconds: u64) -> Self {
        self.tolerance = Some(seconds);
        self
    }

    /// Disables the timestamp check. Only for checking old captures: it removes replay protection.
    pub fn no_tolerance(mut self) -> Self {
        self.tolerance = None;
        self
    }

    /// Sets ShopCtrl's Basic credentials.
    pub fn basic_auth(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.basic_auth = Some((username.into(), password.into()));
        self
    }

    /// Sets Basic credentials from optional parts (as bindings receive them): both or neither.
    pub fn credentials(
        mut self,
        username: Option<String>,
        password: Option<String>,
    ) -> Result<Self, Error> {
        match (username, password) {
            (Some(u), Some(p)) => self.basic_auth = Some((u, p)),
            (None, None) => {}
            _ => {
                return Err(Error::InvalidOption {
                    reason: "pass both username and password, or neither",
                })
            }
        }
        Ok(self)
    }

    /// Sets ShopCtrl's HMAC format.
    pub fn hmac(mut self, spec: HmacSpec) -> Self {
        self.hmac = Some(spec);
        self
    }

    /// Centrali: accepts only `generation`'s scheme (see [`Config::centrali_generation`]).
    pub fn centrali_generation(mut self, generation: Generation) -> Self {
        self.centrali_generation = Some(generation);
        self
    }

    /// Builds the verifier.
    pub fn build(self) -> Result<Verifier, Error> {
        Verifier::new(self)
    }
}

/// What a successful verification established.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Verified {
    /// The provider.
    pub provider: Provider,
    /// Index of the configured secret that matched (rotation monitoring).
    pub secret_index: usize,
    /// The signed timestamp, for schemes that sign one.
    pub timestamp: Option<u64>,
}

impl Verified {
    /// `secret_index` and `timestamp` as one number exactly representable in an `f64`, for
    /// bindings where returning one number costs less than building an object (the JS ones):
    /// `-(secret_index + 1)` without a timestamp, `timestamp * 256 + secret_index` with one.
    /// `None` when they do not fit (a timestamp from 2^45 on, a secret index from 256 on).
    ///
    /// ```
    /// use hookproof::{Config, Provider, SignOptions};
    /// let verifier = Config::new(Provider::Extend).secret("old").secret("new").build()?;
    /// let sender = Config::new(Provider::Extend).secret("new").build()?;
    /// let req = sender.sign(b"{}", &SignOptions::at(10))?;
    /// assert_eq!(verifier.verify(&req.headers, &req.body, 10)?.packed(), Some(-2.0));
    ///
    /// let verifier = Config::new(Provider::StandardWebhooks).secret("whsec_c2VjcmV0").build()?;
    /// let req = verifier.sign(b"{}", &SignOptions::at(10))?;
    /// assert_eq!(verifier.verify(&req.headers, &req.body, 10)?.packed(), Some(2560.0));
    /// # Ok::<(), hookproof::Error>(())
    /// ```
    pub fn packed(&self) -> Option<f64> {
        if self.secret_index >= 256 {
            return None;
        }
        let index = self.secret_index as u64;
        match self.timestamp {
            None => Some(-(index as f64) - 1.0),
            Some(t) if t < 1 << 45 => Some((t * 256 + index) as f64),
            Some(_) => None,
        }
    }
}

/// A request checked for form and freshness, waiting for its MACs.
///
/// [`Verifier::prepare`] returns it; the MAC of `mac_prefix() ‖ body` under each key
/// in [`Prepared::mac_keys`] is computed (by [`Verifier::verify`] itself, or by the caller
/// with another HMAC implementation) and handed to [`Verifier::finish`].
#[derive(Clone)]
pub struct Prepared {
    pub(crate) timestamp: Option<u64>,
    /// SHA-256 of a presented shared secret or Basic credential, compared to ours.
    pub(crate) credential: Option<[u8; 32]>,
    pub(crate) mac: Option<MacCheck>,
    pub(crate) hint: Option<Hint>,
}

const FOREIGN_CHECK: &str = "the prepared check does not belong to this verifier";

/// Inline storage for the common case (one signature, a short prefix): per-request heap
/// allocations are a measurable share of verifying a small body, and so is copying a larger
/// inline array each time the prepared check moves (a second signature, during the sender's
/// key rotation, goes to the heap).
pub(crate) type Candidates = smallvec::SmallVec<[Tag; 1]>;
pub(crate) type MacPrefix = smallvec::SmallVec<[u8; 48]>;

#[derive(Clone)]
pub(crate) struct MacCheck {
    pub(crate) keys: Range<usize>,
    pub(crate) prefix: MacPrefix,
    pub(crate) candidates: Candidates,
}

impl fmt::Debug for Prepared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Prepared")
            .field("timestamp", &self.timestamp)
            .field("credential", &self.credential.map(|_| "<redacted>"))
            .field("mac_keys", &self.mac_keys())
            .field(
                "candidates",
                &self.mac.as_ref().map_or(0, |m| m.candidates.len()),
            )
            .finish()
    }
}

impl Prepared {
    /// Indices into [`Verifier::mac_keys`] whose MAC must be computed (empty when the scheme
    /// has no MAC, e.g. Orisha's shared secret).
    pub fn mac_keys(&self) -> Range<usize> {
        self.mac.as_ref().map_or(0..0, |m| m.keys.clone())
    }

    /// The bytes that precede the raw body in the MACed message (`t.` for Centra,
    /// `id.timestamp.` for Standard Webhooks, empty otherwise).
    pub fn mac_prefix(&self) -> &[u8] {
        self.mac.as_ref().map_or(&[], |m| &m.prefix)
    }

    /// The signed timestamp, if the scheme has one.
    pub fn timestamp(&self) -> Option<u64> {
        self.timestamp
    }
}

/// Checks webhook requests for one provider. Build once, share freely (it is immutable).
#[derive(Clone)]
pub struct Verifier {
    provider: Provider,
    tolerance: Option<u64>,
    keys: Vec<MacKey>,
    /// Key ranges for Centrali's two generations (raw secret bytes vs `whsec_`-decoded).
    legacy_keys: Range<usize>,
    standard_keys: Range<usize>,
    /// Centrali: the generation the verifier is pinned to, if any.
    centrali_generation: Option<Generation>,
    /// SHA-256 digests of shared secrets (Orisha) or of `user:password` (ShopCtrl Basic).
    credentials: Vec<[u8; 32]>,
    hmac: Option<HmacSpec>,
    secret_whitespace: bool,
    /// The base64 decodings of Standard Webhooks secrets given without `whsec_` (Centrali
    /// 6.1+ too): never verify anything, only tell a mismatch signed with one (a secret that
    /// lost its prefix) from others.
    probe_keys: Vec<MacKey>,
    /// The first shared secret (Orisha) or `user:password` (ShopCtrl), kept for `sign`.
    sign_credential: Option<String>,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("provider", &self.provider)
            .field("tolerance", &self.tolerance)
            .field("mac_keys", &self.keys.len())
            .field("credentials", &self.credentials.len())
            .field("hmac", &self.hmac)
            .field("centrali_generation", &self.centrali_generation)
            .finish_non_exhaustive()
    }
}

/// Decodes a `whsec_` secret (base64, either alphabet, padding optional); other secrets are
/// their UTF-8 bytes.
pub(crate) fn standard_key_bytes(secret: &str) -> Result<Vec<u8>, Error> {
    match secret.strip_prefix("whsec_") {
        Some(b64) => match base64_any(b64) {
            Some(k) if !k.is_empty() => Ok(k),
            Some(_) => Err(Error::EmptySecret),
            // A line end from the file or variable the secret came from is the common case.
            None if b64.trim_ascii() != b64 => Err(Error::InvalidSecret {
                reason: "a `whsec_` secret must be base64 after the prefix, and this one ends \
                         (or begins) with white space: trim the line end",
            }),
            None => Err(Error::InvalidSecret {
                reason: "a `whsec_` secret must be base64 after the prefix: copy it again in full",
            }),
        },
        None => Ok(secret.as_bytes().to_vec()),
    }
}

/// A `tchar` of RFC 9110: what an HTTP field name is made of.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

impl Verifier {
    /// Adds the Standard Webhooks keys of `secrets`, and a probe key for each secret without
    /// `whsec_` that is base64 too (the reference libraries decode such a bare secret).
    fn push_standard_keys(&mut self, secrets: &[String]) -> Result<(), Error> {
        let start = self.keys.len();
        for (i, s) in secrets.iter().enumerate() {
            let key = standard_key_bytes(s)?;
            if !s.starts_with(providers::standard::SECRET_PREFIX) {
                if let Some(decoded) = base64_any(s).filter(|k| !k.is_empty()) {
                    self.probe_keys
                        .push(MacKey::new(MacAlgorithm::HmacSha256, decoded, i));
                }
            }
            self.keys
                .push(MacKey::new(MacAlgorithm::HmacSha256, key, i));
        }
        self.standard_keys = start..self.keys.len();
        Ok(())
    }

    /// Builds a verifier; refuses empty secrets and incomplete configurations.
    pub fn new(config: Config) -> Result<Verifier, Error> {
        let Config {
            provider,
            secrets,
            tolerance,
            basic_auth,
            hmac,
            centrali_generation,
        } = config;
        if secrets.iter().any(|s| s.is_empty()) {
            return Err(Error::EmptySecret);
        }
        let secret_whitespace = secrets.iter().any(|s| s.trim() != s);
        let mut v = Verifier {
            provider,
            tolerance,
            keys: Vec::new(),
            legacy_keys: 0..0,
            standard_keys: 0..0,
            centrali_generation,
            credentials: Vec::new(),
            hmac: None,
            secret_whitespace,
            probe_keys: Vec::new(),
            sign_credential: None,
        };
        let raw_keys = |alg| -> Vec<MacKey> {
            secrets
                .iter()
                .enumerate()
                .map(|(i, s)| MacKey::new(alg, s.as_bytes().to_vec(), i))
                .collect()
        };
        let need_secret = || Error::UnconfiguredScheme {
            // Most often an unset environment variable that a binding read as "not given".
            reason: "no secret configured: pass the endpoint secret from the provider's settings \
                     (is the variable holding it set?)",
        };
        if provider != Provider::ShopCtrl && (basic_auth.is_some() || hmac.is_some()) {
            return Err(Error::InvalidOption {
                reason: "username, password and hmac are ShopCtrl options",
            });
        }
        if provider != Provider::Centrali && centrali_generation.is_some() {
            return Err(Error::InvalidOption {
                reason: "generation is a Centrali option",
            });
        }
        match provider {
            Provider::Centra | Provider::Extend => {
                if secrets.is_empty() {
                    return Err(need_secret());
                }
                v.keys = raw_keys(MacAlgorithm::HmacSha256);
            }
            Provider::Centrali => {
                if secrets.is_empty() {
                    return Err(need_secret());
                }
                // A pinned verifier holds only its generation's keys (and WebCrypto imports
                // only those).
                if centrali_generation != Some(Generation::Standard) {
                    v.keys = raw_keys(MacAlgorithm::HmacSha256);
                    v.legacy_keys = 0..v.keys.len();
                }
                if centrali_generation != Some(Generation::Legacy) {
                    v.push_standard_keys(&secrets)?;
                }
            }
            Provider::StandardWebhooks => {
                if secrets.is_empty() {
                    return Err(need_secret());
                }
                v.push_standard_keys(&secrets)?;
            }
            Provider::Orisha => {
                if secrets.is_empty() {
                    return Err(need_secret());
                }
                v.credentials = secrets.iter().map(|s| Sha256::digest(s).into()).collect();
                v.sign_credential = secrets.first().cloned();
            }
            Provider::ShopCtrl => {
                if let Some((user, pass)) = &basic_auth {
                    if user.is_empty() || pass.is_empty() {
                        return Err(Error::EmptySecret);
                    }
                    let mut h = Sha256::new();
                    h.update(user);
                    h.update(b":");
                    h.update(pass);
                    v.credentials.push(h.finalize().into());
                    v.sign_credential = Some(alloc::format!("{user}:{pass}"));
                }
                // Request header names arrive trimmed: a configured `"X-Sig "` would never match.
                let hmac = hmac.map(|mut spec| {
                    spec.header = spec.header.trim().into();
                    spec
                });
                match (&hmac, secrets.is_empty()) {
                    (Some(spec), false) => {
                        if spec.header.is_empty() {
                            return Err(Error::InvalidOption {
                                reason: "hmac.header is empty: name the header ShopCtrl puts the \
                                         signature in",
                            });
                        }
                        if !spec.header.bytes().all(is_token_byte) {
                            return Err(Error::InvalidOption {
                                reason: "hmac.header is not an HTTP header name: give the name \
                                         alone (letters, digits and -), without `:` or the value",
                            });
                        }
                        // Basic credentials travel in Authorization: an HMAC there too
                        // would make every request a duplicate or malformed header.
                        if basic_auth.is_some() && spec.header.eq_ignore_ascii_case("authorization")
                        {
                            return Err(Error::InvalidOption {
                                reason: "hmac.header is Authorization, which carries the Basic \
                                         credentials: name the header the HMAC is sent in, or \
                                         drop username and password",
                            });
                        }
                        v.keys = raw_keys(spec.algorithm);
                    }
                    (Some(_), true) => {
                        return Err(Error::UnconfiguredScheme {
                            reason: "an hmac format is set but no secret: pass the HMAC secret \
                                     set on the ShopCtrl action",
                        })
                    }
                    (None, false) => {
                        return Err(Error::UnconfiguredScheme {
                            reason: "ShopCtrl does not publish its HMAC format: set hmac \
                                     (header, algorithm, encoding, prefix) to match your \
                                     installation, or use username and password only",
                        })
                    }
                    (None, true) if basic_auth.is_none() => {
                        return Err(Error::UnconfiguredScheme {
                            reason: "ShopCtrl needs the username and password of the Call Webhook \
                                     action and/or an hmac format with a secret",
                        })
                    }
                    (None, true) => {}
                }
                v.hmac = hmac;
            }
        }
        Ok(v)
    }

    /// The provider this verifier checks.
    pub fn provider(&self) -> Provider {
        self.provider
    }

    /// The timestamp tolerance in seconds (`None`: disabled).
    pub fn tolerance(&self) -> Option<u64> {
        self.tolerance
    }

    /// The MAC keys, indexed by [`Prepared::mac_keys`]. Key bytes are secret material.
    pub fn mac_keys(&self) -> &[MacKey] {
        &self.keys
    }

    /// Centrali: the generation this verifier is pinned to (`None`: either, per request).
    pub fn centrali_generation(&self) -> Option<Generation> {
        self.centrali_generation
    }

    /// The names of the headers this verifier may read: [`HEADER_NAMES`](crate::HEADER_NAMES)
    /// and, for ShopCtrl, the configured `hmac.header` (as configured, trimmed: names match
    /// with ASCII case ignored). Headers of other names can be left out of a request without
    /// changing any result ([`Verifier::reads_header`]).
    pub fn header_names(&self) -> impl Iterator<Item = &str> {
        crate::HEADER_NAMES
            .iter()
            .copied()
            .chain(self.hmac.as_ref().map(|spec| spec.header.as_str()))
    }

    /// Whether this verifier may read a request header of this name (one of
    /// [`Verifier::header_names`], matched as lookups match: ASCII case ignored, ASCII white
    /// space around the name tolerated).
    pub fn reads_header(&self, name: &str) -> bool {
        crate::reads_header(name)
            || self
                .hmac
                .as_ref()
                .is_some_and(|spec| crate::headers::same_name(name, &spec.header))
    }

    pub(crate) fn legacy_keys(&self) -> Range<usize> {
        self.legacy_keys.clone()
    }

    pub(crate) fn standard_keys(&self) -> Range<usize> {
        self.standard_keys.clone()
    }

    pub(crate) fn hmac_spec(&self) -> Option<&HmacSpec> {
        self.hmac.as_ref()
    }

    pub(crate) fn sign_credential(&self) -> Option<&str> {
        self.sign_credential.as_deref()
    }

    pub(crate) fn has_credentials(&self) -> bool {
        !self.credentials.is_empty()
    }

    /// Checks the request's form and freshness and returns what remains to be MACed.
    ///
    /// `headers` are name/value pairs (names case-insensitive); `body` the raw request
    /// bytes; `now` unix seconds. The plan ([`Prepared::mac_keys`], [`Prepared::mac_prefix`])
    /// and every error come from the headers and `now` alone: the body only feeds the hint
    /// for a mismatch, so a plan made without the body differs only in having no hint.
    pub fn prepare<K: AsRef<str>, V: AsRef<str>>(
        &self,
        headers: &[(K, V)],
        body: &[u8],
        now: u64,
    ) -> Result<Prepared, Error> {
        self.prepare_pairs(Headers::new(&headers), body, now)
    }

    fn prepare_pairs(&self, h: Headers<'_>, body: &[u8], now: u64) -> Result<Prepared, Error> {
        let r = match self.provider {
            Provider::Centra => providers::centra::verify(self, h, body, now),
            Provider::Centrali => providers::centrali::verify(self, h, body, now),
            Provider::Orisha => providers::orisha::verify(self, h, body, now),
            Provider::ShopCtrl => providers::shopctrl::verify(self, h, body, now),
            Provider::Extend => providers::extend::verify(self, h, body, now),
            Provider::StandardWebhooks => providers::standard::verify(self, h, body, now),
        };
        r.map_err(|e| self.with_header_hint(e, h))
    }

    /// Adds a hint to a missing-header error when another provider's header is present.
    fn with_header_hint(&self, e: Error, h: Headers<'_>) -> Error {
        match e {
            Error::MissingHeader { header, hint: None } => {
                let hint = Provider::ALL
                    .iter()
                    .copied()
                    // Centrali 6.1 sends Standard Webhooks' headers as its own.
                    .filter(|p| {
                        *p != self.provider
                            && !(self.provider == Provider::Centrali
                                && *p == Provider::StandardWebhooks)
                    })
                    .flat_map(|p| p.marker_headers().iter().map(move |n| (p, *n)))
                    .find(|(_, n)| h.contains(n))
                    .map(|(provider, header)| Hint::OtherProvider { provider, header });
                Error::MissingHeader { header, hint }
            }
            e => e,
        }
    }

    /// Completes a [`Prepared`] check with MACs computed by the caller: `macs[i]` is the MAC of
    /// `prepared.mac_prefix() ‖ body` under `mac_keys()[prepared.mac_keys().start + i]`.
    /// Finish a check on the verifier that prepared it: one whose shape shows another verifier
    /// (Basic credentials or an HMAC this one lacks, or the reverse, or a key index past its
    /// keys) is refused with `invalid_option`.
    pub fn finish<M: AsRef<[u8]>>(
        &self,
        prepared: &Prepared,
        macs: &[M],
    ) -> Result<Verified, Error> {
        self.conclude(prepared, |i| {
            let idx = i.checked_sub(prepared.mac_keys().start)?;
            Tag::from_slice(macs.get(idx)?.as_ref())
        })
    }

    /// Compares MACs (from `mac_of`) and credentials in constant time.
    fn conclude(
        &self,
        p: &Prepared,
        mut mac_of: impl FnMut(usize) -> Option<Tag>,
    ) -> Result<Verified, Error> {
        // A credential is compared on its own, without the body: the body hint would mislead.
        let mismatch = |likely: Option<Hint>| Error::SignatureMismatch {
            hint: if self.secret_whitespace {
                Some(Hint::SecretWhitespace)
            } else {
                likely
            },
        };
        // Prepared by a verifier of another shape, a check could skip our Basic credentials or
        // have nothing to check at all.
        if p.credential.is_some() != self.has_credentials()
            || p.mac.is_some() == self.keys.is_empty()
        {
            return Err(Error::InvalidOption {
                reason: FOREIGN_CHECK,
            });
        }
        let mut secret_index = None;
        if let Some(presented) = &p.credential {
            let mut found = None;
            for (i, ours) in self.credentials.iter().enumerate() {
                if bool::from(ours.ct_eq(presented)) && found.is_none() {
                    found = Some(i);
                }
            }
            let hint = Hint::CredentialMismatch {
                provider: self.provider,
            };
            secret_index = Some(found.ok_or_else(|| match self.provider {
                // Basic credentials are not `secrets`: white space in those says nothing here.
                Provider::ShopCtrl => Error::SignatureMismatch { hint: Some(hint) },
                _ => mismatch(Some(hint)),
            })?);
        }
        if let Some(m) = &p.mac {
            let mut found = None;
            for k in m.keys.clone() {
                let key = self.keys.get(k).ok_or(Error::InvalidOption {
                    reason: FOREIGN_CHECK,
                })?;
                let expected_len = key.algorithm().output_len();
                let Some(ours) = mac_of(k) else {
                    return Err(Error::InvalidOption {
                        reason: "a MAC was not supplied for every key of the prepared check",
                    });
                };
                if ours.as_slice().len() != expected_len {
                    return Err(Error::InvalidOption {
                        reason: "a supplied MAC has the wrong length for its algorithm",
                    });
                }
                for c in &m.candidates {
                    // Lengths are public (fixed by the algorithm); contents compare in constant time.
                    if c.as_slice().len() == expected_len
                        && bool::from(c.ct_eq(&ours))
                        && found.is_none()
                    {
                        found = Some(key.secret_index());
                    }
                }
            }
            // With Basic auth and an HMAC both configured, each must pass on its own.
            secret_index = Some(found.ok_or_else(|| mismatch(p.hint))?);
        }
        Ok(Verified {
            provider: self.provider,
            secret_index: secret_index.unwrap_or(0),
            timestamp: p.timestamp,
        })
    }

    /// Verifies a request: the raw `body` bytes, the `headers` as name/value pairs, and `now`
    /// in unix seconds. Nothing is parsed.
    pub fn verify<K: AsRef<str>, V: AsRef<str>>(
        &self,
        headers: &[(K, V)],
        body: &[u8],
        now: u64,
    ) -> Result<Verified, Error> {
        let p = self.prepare(headers, body, now)?;
        let prefix = p.mac_prefix();
        self.conclude(&p, |k| Some(self.keys.get(k)?.compute(&[prefix, body])))
            .map_err(|e| self.probe(e, &p, body))
    }

    /// The hints that need the body, which `finish` does not have. An empty body where a MAC
    /// covers one gets `body_empty` (something read the request first), before any other
    /// hint: no secret would verify it. A Standard Webhooks mismatch signed with a probe key
    /// (a secret's base64 decoding) gets `secret_unprefixed`, which is then certain.
    fn probe(&self, e: Error, p: &Prepared, body: &[u8]) -> Error {
        if let (Error::SignatureMismatch { hint }, Some(m)) = (&e, &p.mac) {
            // ShopCtrl's Basic credentials are checked without the body.
            if body.is_empty() && !matches!(hint, Some(Hint::CredentialMismatch { .. })) {
                return Error::SignatureMismatch {
                    hint: Some(Hint::BodyEmpty),
                };
            }
            if m.keys == self.standard_keys {
                let prefix = p.mac_prefix();
                let signed = self.probe_keys.iter().any(|k| {
                    let ours = k.compute(&[prefix, body]);
                    m.candidates.iter().any(|c| bool::from(c.ct_eq(&ours)))
                });
                if signed {
                    return Error::SignatureMismatch {
                        hint: Some(Hint::SecretUnprefixed),
                    };
                }
            }
        }
        e
    }

    /// Parses a request's payload without verifying it. Use after [`Verifier::verify`], or
    /// call [`Verifier::verify_and_parse`].
    pub fn parse<K: AsRef<str>, V: AsRef<str>>(
        &self,
        headers: &[(K, V)],
        body: &[u8],
    ) -> Result<Event, Error> {
        self.parse_as::<true>(Headers::new(&headers), body)
    }

    /// Parses an event's [`Event::raw`] again, as [`crate::parse_raw`] does but reading a
    /// Centrali request as this verifier's pinned generation, as [`Verifier::parse`] does.
    pub fn parse_raw<K: AsRef<str>, V: AsRef<str>>(
        &self,
        headers: &[(K, V)],
        raw: &str,
    ) -> Result<Event, Error> {
        crate::parse_raw_as(
            self.provider,
            self.centrali_generation,
            Headers::new(&headers),
            raw,
        )
    }

    /// Verifies the raw bytes, then parses them.
    pub fn verify_and_parse<K: AsRef<str>, V: AsRef<str>>(
        &self,
        headers: &[(K, V)],
        body: &[u8],
        now: u64,
    ) -> Result<(Verified, Event), Error> {
        self.verify_then_parse::<true, K, V>(headers, body, now)
    }

    /// [`Verifier::parse`] without building the provider model ([`crate::parse_normalised`]).
    pub fn parse_normalised<K: AsRef<str>, V: AsRef<str>>(
        &self,
        headers: &[(K, V)],
        body: &[u8],
    ) -> Result<Event, Error> {
        self.parse_as::<false>(Headers::new(&headers), body)
    }

    /// [`Verifier::verify_and_parse`] without building the provider model
    /// ([`crate::parse_normalised`]).
    pub fn verify_and_parse_normalised<K: AsRef<str>, V: AsRef<str>>(
        &self,
        headers: &[(K, V)],
        body: &[u8],
        now: u64,
    ) -> Result<(Verified, Event), Error> {
        self.verify_then_parse::<false, K, V>(headers, body, now)
    }

    /// Verifies, then parses with or without the provider model (`FULL`).
    fn verify_then_parse<const FULL: bool, K: AsRef<str>, V: AsRef<str>>(
        &self,
        headers: &[(K, V)],
        body: &[u8],
        now: u64,
    ) -> Result<(Verified, Event), Error> {
        let verified = self.verify(headers, body, now)?;
        let event = self.parse_as::<FULL>(Headers::new(&headers), body)?;
        Ok((verified, event))
    }

    /// Parses as this verifier reads requests (its provider, a pinned Centrali generation).
    fn parse_as<const FULL: bool>(&self, h: Headers<'_>, body: &[u8]) -> Result<Event, Error> {
        crate::parse_as::<FULL>(self.provider, self.centrali_generation, h, body)
    }

    /// Verifies against the system clock.
    #[cfg(feature = "std")]
    pub fn verify_now<K: AsRef<str>, V: AsRef<str>>(
        &self,
        headers: &[(K, V)],
        body: &[u8],
    ) -> Result<Verified, Error> {
        self.verify(headers, body, crate::unix_now())
    }

    /// Produces the request the provider would send for `payload`, signed with the first
    /// secret (for tests of receivers). For Centra, `payload` is the JSON and the body is
    /// the form that carries it.
    pub fn sign(&self, payload: &[u8], options: &SignOptions) -> Result<SignedRequest, Error> {
        options.check()?;
        match self.provider {
            Provider::Centra => providers::centra::sign(self, payload, options),
            Provider::Centrali => match self.sign_generation(options)? {
                Generation::Legacy => providers::centrali::sign_legacy(self, payload, options),
                Generation::Standard => providers::centrali::sign(self, payload, options),
            },
            Provider::Orisha => providers::orisha::sign(self, payload, options),
            Provider::ShopCtrl => providers::shopctrl::sign(self, payload, options),
            Provider::Extend => providers::extend::sign(self, payload, options),
            Provider::StandardWebhooks => providers::standard::sign(self, payload, options),
        }
    }

    /// The Centrali generation to sign as: the one asked for, else the pinned one, else 6.1+.
    fn sign_generation(&self, options: &SignOptions) -> Result<Generation, Error> {
        match (options.centrali_generation, self.centrali_generation) {
            (Some(asked), Some(pinned)) if asked != pinned => Err(Error::InvalidOption {
                reason: "the generation to sign as differs from the pinned one: omit it",
            }),
            (Some(g), _) | (None, Some(g)) => Ok(g),
            (None, None) => Ok(Generation::default()),
        }
    }

    /// The first secret's key for signing (`keys` in the given range), or an error.
    pub(crate) fn signing_key(&self, range: Range<usize>) -> Result<&MacKey, Error> {
        self.keys
            .get(range.start)
            .filter(|_| !range.is_empty())
            .ok_or(Error::UnconfiguredScheme {
                reason: "signing needs a secret",
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_is_none_where_the_numbers_do_not_fit() {
        let v = |secret_index, timestamp| Verified {
            provider: Provider::Centra,
            secret_index,
            timestamp,
        };
        assert_eq!(v(1, Some(10)).packed(), Some(2561.0));
        assert_eq!(v(2, None).packed(), Some(-3.0));
        assert_eq!(
            v(255, Some((1 << 45) - 1)).packed(),
            Some(((1u64 << 53) - 1) as f64)
        );
        assert_eq!(v(256, None).packed(), None);
        assert_eq!(v(0, Some(1 << 45)).packed(), None);
    }
}
