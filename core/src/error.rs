//! Errors with stable snake_case codes, and the hints attached to some of them.
//!
//! Nothing here ever carries a secret, a full signature or any other request value:
//! header names are our own constants (or the name a user configured), reasons are
//! fixed strings or, for a payload, a position and our own field names.

use alloc::borrow::Cow;
use alloc::string::String;
use core::fmt;

use crate::{CentraliGeneration, Provider};

/// Why a request was rejected or a verifier could not be built.
///
/// Match on [`Error::code`] (stable across releases and bindings) rather than on
/// the message text.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A header the scheme requires is absent.
    MissingHeader {
        /// Lower-case header name.
        header: Cow<'static, str>,
        /// Set when the request carries another provider's header, or only the other
        /// Centrali generation's.
        hint: Option<Hint>,
    },
    /// A header that must appear once appears several times.
    DuplicateHeader {
        /// Lower-case header name.
        header: Cow<'static, str>,
    },
    /// A header is present but not of the scheme's form.
    MalformedHeader {
        /// Lower-case header name.
        header: Cow<'static, str>,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A signature or credential is not valid hex/base64 of the expected length.
    BadEncoding {
        /// Lower-case header name.
        header: Cow<'static, str>,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The request is well formed but no configured secret produces its signature, or the
    /// credential it sends as it is (Orisha's `X-Secret`, ShopCtrl's Basic `Authorization`)
    /// matches none configured.
    SignatureMismatch {
        /// A likely cause, where one is cheap to spot.
        hint: Option<Hint>,
    },
    /// The signed timestamp is older than the tolerance allows.
    TimestampTooOld {
        /// Seconds between the timestamp and now.
        age: u64,
        /// The configured tolerance in seconds.
        tolerance: u64,
    },
    /// The signed timestamp is further in the future than the tolerance allows.
    TimestampInFuture {
        /// Seconds between now and the timestamp.
        ahead: u64,
        /// The configured tolerance in seconds.
        tolerance: u64,
    },
    /// A configured secret (or Basic credential) is empty.
    EmptySecret,
    /// A configured secret cannot be used (for example a `whsec_` secret that is not base64).
    InvalidSecret {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The body is not the payload the provider sends.
    InvalidPayload {
        /// What is wrong with it (never a copy of the body).
        reason: String,
    },
    /// The provider id is not one of ours.
    UnknownProvider,
    /// The request uses a scheme variant this crate does not implement.
    UnsupportedScheme {
        /// Which one.
        reason: &'static str,
    },
    /// The verifier lacks the configuration the scheme needs.
    UnconfiguredScheme {
        /// What is missing.
        reason: &'static str,
    },
    /// An option passed to the verifier or to `sign` is not valid.
    InvalidOption {
        /// Which one and why.
        reason: &'static str,
    },
}

impl Error {
    /// The stable snake_case code of this error.
    pub const fn code(&self) -> &'static str {
        match self {
            Error::MissingHeader { .. } => "missing_header",
            Error::DuplicateHeader { .. } => "duplicate_header",
            Error::MalformedHeader { .. } => "malformed_header",
            Error::BadEncoding { .. } => "bad_encoding",
            Error::SignatureMismatch { .. } => "signature_mismatch",
            Error::TimestampTooOld { .. } => "timestamp_too_old",
            Error::TimestampInFuture { .. } => "timestamp_in_future",
            Error::EmptySecret => "empty_secret",
            Error::InvalidSecret { .. } => "invalid_secret",
            Error::InvalidPayload { .. } => "invalid_payload",
            Error::UnknownProvider => "unknown_provider",
            Error::UnsupportedScheme { .. } => "unsupported_scheme",
            Error::UnconfiguredScheme { .. } => "unconfigured_scheme",
            Error::InvalidOption { .. } => "invalid_option",
        }
    }

    /// The family of this error, for bindings that map families to exception classes:
    /// `signature` (mismatch), `timestamp` (too old / in future), `request` (missing,
    /// duplicate or malformed headers, bad encoding, unsupported scheme), `payload`,
    /// `config` (the verifier's own configuration or options).
    pub const fn family(&self) -> &'static str {
        match self {
            Error::SignatureMismatch { .. } => "signature",
            Error::TimestampTooOld { .. } | Error::TimestampInFuture { .. } => "timestamp",
            Error::MissingHeader { .. }
            | Error::DuplicateHeader { .. }
            | Error::MalformedHeader { .. }
            | Error::BadEncoding { .. }
            | Error::UnsupportedScheme { .. } => "request",
            Error::InvalidPayload { .. } => "payload",
            Error::EmptySecret
            | Error::InvalidSecret { .. }
            | Error::UnknownProvider
            | Error::UnconfiguredScheme { .. }
            | Error::InvalidOption { .. } => "config",
        }
    }

    /// The hint attached to this error, if any.
    pub fn hint(&self) -> Option<&Hint> {
        match self {
            Error::MissingHeader { hint, .. } | Error::SignatureMismatch { hint } => hint.as_ref(),
            _ => None,
        }
    }

    /// True for errors about the verifier's own configuration rather than the request.
    pub const fn is_config_error(&self) -> bool {
        matches!(self.family().as_bytes(), b"config")
    }

    pub(crate) fn missing(header: &'static str) -> Self {
        Error::MissingHeader {
            header: Cow::Borrowed(header),
            hint: None,
        }
    }

    pub(crate) fn duplicate(header: &'static str) -> Self {
        Error::DuplicateHeader {
            header: Cow::Borrowed(header),
        }
    }

    pub(crate) fn malformed(header: &'static str, reason: &'static str) -> Self {
        Error::MalformedHeader {
            header: Cow::Borrowed(header),
            reason,
        }
    }

    pub(crate) fn encoding(header: &'static str, reason: &'static str) -> Self {
        Error::BadEncoding {
            header: Cow::Borrowed(header),
            reason,
        }
    }

    pub(crate) fn payload(reason: impl Into<String>) -> Self {
        Error::InvalidPayload {
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::MissingHeader { header, .. } => write!(
                f,
                "the request has no `{header}` header: check that the verifier is set up for the \
                 provider that sent it and that no proxy strips the header"
            ),
            Error::DuplicateHeader { header } => write!(
                f,
                "the `{header}` header appears more than once: the request is ambiguous and is \
                 rejected (a proxy may have added a copy)"
            ),
            Error::MalformedHeader { header, reason } => {
                write!(f, "the `{header}` header is malformed: {reason}")
            }
            Error::BadEncoding { header, reason } => {
                write!(f, "the `{header}` header cannot be decoded: {reason}")
            }
            // A credential is checked without the body, so the raw-bytes advice would mislead
            // there; with a hint about the configured secrets, the text fits either kind.
            Error::SignatureMismatch {
                hint: Some(Hint::CredentialMismatch { .. }),
            } => f.write_str("the request's credential matches no configured one"),
            Error::SignatureMismatch {
                hint: Some(Hint::SecretWhitespace | Hint::SecretUnprefixed),
            } => f.write_str("no configured secret matches the request"),
            Error::SignatureMismatch { .. } => f.write_str(
                "the signature does not match the body with any configured secret: check the \
                 secret and pass the exact raw request bytes",
            ),
            Error::TimestampTooOld { age, tolerance } => write!(
                f,
                "the signed timestamp is {age} s old, beyond the {tolerance} s tolerance: a replay, \
                 a wrong clock or `now` in ms, not s (checking an old capture? pass its arrival \
                 time as `now`)"
            ),
            Error::TimestampInFuture { ahead, tolerance } => write!(
                f,
                "the signed timestamp is {ahead} s in the future, beyond the {tolerance} s \
                 tolerance: check this machine's clock and the `now` passed, if any"
            ),
            Error::EmptySecret => f.write_str(
                "a configured secret, username or password is empty: pass the one from the provider's \
                 settings",
            ),
            Error::InvalidSecret { reason } => write!(f, "a configured secret is invalid: {reason}"),
            Error::InvalidPayload { reason } => write!(f, "the payload is invalid: {reason}"),
            Error::UnknownProvider => f.write_str(
                "unknown provider: use one of centra, centrali, orisha, shopctrl, extend, \
                 standardwebhooks",
            ),
            Error::UnsupportedScheme { reason } => write!(f, "unsupported scheme: {reason}"),
            Error::UnconfiguredScheme { reason } => write!(f, "the verifier is not configured: {reason}"),
            Error::InvalidOption { reason } => write!(f, "invalid option: {reason}"),
        }?;
        if let Some(hint) = self.hint() {
            write!(f, " (hint: {})", hint.message())?;
        }
        Ok(())
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}

/// A likely cause of a failure, cheap enough to spot that we always look for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Hint {
    /// A configured secret starts or ends with white space (a copy-paste slip).
    SecretWhitespace,
    /// The request is signed with the base64 decoding of a configured Standard Webhooks (or
    /// Centrali 6.1+) secret that lacks `whsec_`: a `whsec_` secret given without its prefix,
    /// which is read as text. Certain, as it is found by MACing with the decoding (which never
    /// verifies anything); given by [`Verifier::verify`](crate::Verifier::verify), which has
    /// the body, not by [`Verifier::finish`](crate::Verifier::finish).
    SecretUnprefixed,
    /// The request carries another provider's signature header.
    OtherProvider {
        /// The provider whose header is present.
        provider: Provider,
        /// That header's name.
        header: &'static str,
    },
    /// A Centra body is JSON rather than the `payload=` form: it was decoded before verifying.
    CentraBodyDecoded,
    /// A JSON body that does not verify: it may have been parsed and re-serialised. (Not given
    /// when a CR follows the opening bracket: CRLF indentation, as Extend's sender writes it and
    /// the usual re-serialisers, `JSON.stringify` and `json.dumps`, never do.)
    BodyReserialised,
    /// The body is empty where a signature covers one: a body parser or earlier code that read
    /// the request stream first is the usual cause. Given by
    /// [`Verifier::verify`](crate::Verifier::verify), which has the body, not by
    /// [`Verifier::finish`](crate::Verifier::finish).
    BodyEmpty,
    /// A shared secret or Basic credentials sent as they are (Orisha's `X-Secret`, ShopCtrl's
    /// `Authorization`) match none configured. The body plays no part in this check.
    #[non_exhaustive]
    CredentialMismatch {
        /// The provider whose credential it is (the message names that one's settings).
        provider: Provider,
    },
    /// A Centrali request carries only the headers of the generation the verifier is not
    /// pinned to.
    OtherGeneration {
        /// The generation whose headers the request carries.
        sent: CentraliGeneration,
    },
}

impl Hint {
    /// A stable snake_case code for this hint.
    pub const fn code(&self) -> &'static str {
        match self {
            Hint::SecretWhitespace => "secret_whitespace",
            Hint::SecretUnprefixed => "secret_unprefixed",
            Hint::OtherProvider { .. } => "other_provider",
            Hint::CentraBodyDecoded => "centra_body_decoded",
            Hint::BodyReserialised => "body_reserialised",
            Hint::BodyEmpty => "body_empty",
            Hint::CredentialMismatch { .. } => "credential_mismatch",
            Hint::OtherGeneration { .. } => "other_generation",
        }
    }

    /// What the user should do about it.
    pub fn message(&self) -> String {
        match self {
            Hint::SecretWhitespace => String::from(
                "a configured secret has leading or trailing white space: copy it again without it",
            ),
            Hint::SecretUnprefixed => String::from(
                "the request is signed with the base64 decoding of a configured secret that lacks \
                 `whsec_`, and without the prefix a secret is read as text: configure it as \
                 `whsec_` followed by the secret",
            ),
            Hint::OtherProvider { provider, header } => alloc::format!(
                "the request carries `{header}`, which {} sends: is the verifier set up for the \
                 right provider ({})?",
                provider.display_name(),
                provider.id()
            ),
            Hint::CentraBodyDecoded => String::from(
                "the body is JSON, but Centra signs the form-encoded body (`payload=%7B...`): pass the \
                 raw request bytes before any form decoding",
            ),
            Hint::BodyReserialised => String::from(
                "if the body was parsed and serialised again (JSON.stringify, json.dumps), pass \
                 the raw request bytes instead",
            ),
            Hint::BodyEmpty => String::from(
                "the body is empty: if a body parser or earlier code read the request first, pass \
                 the raw bytes it kept",
            ),
            // Only these two send a credential as it is (a ShopCtrl verifier's HMAC secrets are
            // MAC keys, whose mismatch gets the MAC hints). Every provider is named, so a new
            // one must choose its advice here.
            Hint::CredentialMismatch { provider, .. } => String::from(match provider {
                Provider::ShopCtrl => {
                    "check the username and password (Basic `Authorization`) against those of \
                     ShopCtrl's Call Webhook action"
                }
                Provider::Orisha => {
                    "check the secret (`X-Secret`) against the provider's settings: Orisha \
                     shows it once, so reset it if lost"
                }
                Provider::Centra
                | Provider::Centrali
                | Provider::Extend
                | Provider::StandardWebhooks => {
                    "check the credential against the provider's settings"
                }
            }),
            // Legacy headers alone at a 6.1+ endpoint are what a downgraded replay looks like:
            // do not suggest unpinning for them.
            Hint::OtherGeneration { sent } => String::from(match sent {
                CentraliGeneration::Legacy => {
                    "the request carries only Centrali's legacy (before 6.1) signature headers, \
                     and this verifier is pinned to 6.1+ (`standard`): a 6.1+ delivery re-sent \
                     as legacy looks like this, so treat it as forged or replayed unless the \
                     endpoint went back to legacy"
                }
                CentraliGeneration::Standard => {
                    "the request carries only Centrali's 6.1+ signature headers, and this verifier \
                     is pinned to `legacy`: if the endpoint now receives 6.1+ requests, set \
                     `generation` to `standard`"
                }
            }),
        }
    }
}

impl fmt::Display for Hint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}
