//! Signing: the exact request a provider would send, for testing receivers.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use sha2::{Digest, Sha256};

use crate::providers::centrali::{self, Generation};
use crate::providers::{orisha, standard};
use crate::Error;

/// Options for [`crate::Verifier::sign`]: start from [`SignOptions::at`] and add what the
/// scheme sends.
///
/// ```
/// use hookproof::SignOptions;
///
/// let options = SignOptions::at(1_763_900_000).id("msg_1").event_type("order.created");
/// assert_eq!(options.id.as_deref(), Some("msg_1"));
/// ```
///
/// Non-exhaustive, so that an option can be added without breaking callers: its fields are
/// public to read and assign, and it is built with [`SignOptions::at`] or `Default`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignOptions {
    /// Unix seconds to sign with (schemes with a signed timestamp).
    pub now: u64,
    /// Message / event id: the `webhook-id` of Standard Webhooks and Centrali 6.1+, or Orisha's
    /// `X-Event-Id`; derived from the payload and `now` when absent. The other schemes send no
    /// id header (Extend's id is the payload's `Id`): there it goes nowhere, though it is still
    /// checked as a header value.
    pub id: Option<String>,
    /// Event type header: Orisha's `X-Event-Type` (required there), Centrali 6.1+'s
    /// `Centrali-Event-Type` (default: the payload's `event`/`type`; parsing prefers the
    /// signed payload's name). Other schemes, legacy Centrali included, send no such header.
    pub event_type: Option<String>,
    /// Which Centrali generation to sign as; `None`: the one the verifier is pinned to, else
    /// 6.1+ Standard Webhooks.
    pub centrali_generation: Option<Generation>,
    /// Orisha's `X-Administration-Code` (the administration the webhook belongs to); the
    /// header is sent when this is given.
    pub administration_code: Option<String>,
    /// Orisha's `X-TriggeredBy-Id` (who caused the event); the header is sent when given.
    pub triggered_by_id: Option<String>,
}

impl SignOptions {
    /// Options signing at `now`.
    pub fn at(now: u64) -> Self {
        SignOptions {
            now,
            ..SignOptions::default()
        }
    }

    /// Sets the message / event id (see the [`id`](#structfield.id) field).
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Sets the event type header (see the [`event_type`](#structfield.event_type) field).
    pub fn event_type(mut self, event_type: impl Into<String>) -> Self {
        self.event_type = Some(event_type.into());
        self
    }

    /// Signs as this Centrali generation (`invalid_option` if the verifier is pinned to the other).
    pub fn centrali_generation(mut self, generation: Generation) -> Self {
        self.centrali_generation = Some(generation);
        self
    }

    /// Sets Orisha's `X-Administration-Code`.
    pub fn administration_code(mut self, code: impl Into<String>) -> Self {
        self.administration_code = Some(code.into());
        self
    }

    /// Sets Orisha's `X-TriggeredBy-Id`.
    pub fn triggered_by_id(mut self, id: impl Into<String>) -> Self {
        self.triggered_by_id = Some(id.into());
        self
    }

    /// Refuses options that would give a request its own verifier rejects.
    pub(crate) fn check(&self) -> Result<(), Error> {
        // Verifiers read at most 12 digits (year 33658): more is milliseconds.
        if self.now > 999_999_999_999 {
            return Err(Error::InvalidOption {
                reason:
                    "now is unix time in seconds; this looks like milliseconds (divide by 1000)",
            });
        }
        // Verifiers trim header values, and no HTTP header carries control characters.
        let header_values = [
            &self.id,
            &self.event_type,
            &self.administration_code,
            &self.triggered_by_id,
        ];
        let fits =
            |v: &str| !v.is_empty() && v.trim_ascii() == v && !v.chars().any(char::is_control);
        if header_values.into_iter().flatten().any(|v| !fits(v)) {
            return Err(Error::InvalidOption {
                reason: "id, event type, administration code and triggered-by id are header \
                         values: not empty, without surrounding white space or control characters",
            });
        }
        Ok(())
    }

    /// The id to send: the given one, or `msg_` and 24 hex digits derived from payload and time,
    /// so that signing is deterministic.
    pub(crate) fn id_or_derived(&self, payload: &[u8]) -> String {
        if let Some(id) = &self.id {
            return id.clone();
        }
        let mut h = Sha256::new();
        h.update(self.now.to_be_bytes());
        h.update(payload);
        let d = h.finalize();
        alloc::format!(
            "msg_{}",
            crate::encoding::hex_lower(d.get(..12).unwrap_or(&[]))
        )
    }
}

/// A request as the provider sends it.
///
/// Its `Debug` output shows the values of the id, timestamp, event type and content type
/// headers only: the others carry a signature, a shared secret (Orisha's `X-Secret`) or
/// credentials (ShopCtrl's `Authorization`), and test logs are where `{:?}` output ends up.
/// For the same reason it is not `Serialize`.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignedRequest {
    /// HTTP method (always `POST`).
    pub method: &'static str,
    /// Headers in the order the provider sends them, including `content-type`.
    pub headers: Vec<(String, String)>,
    /// The exact body bytes.
    pub body: Vec<u8>,
}

impl SignedRequest {
    pub(crate) fn new(content_type: &str, body: Vec<u8>) -> Self {
        SignedRequest {
            method: "POST",
            headers: alloc::vec![(String::from("content-type"), String::from(content_type))],
            body,
        }
    }

    pub(crate) fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((String::from(name), value.into()));
        self
    }

    /// The body as text, where it is UTF-8.
    pub fn body_str(&self) -> Option<&str> {
        core::str::from_utf8(&self.body).ok()
    }
}

/// Headers whose values a signer writes that are neither secret nor a MAC.
const PLAIN_HEADERS: [&str; 8] = [
    "content-type",
    standard::ID_HEADER,
    standard::TIMESTAMP_HEADER,
    centrali::ID_HEADER,
    centrali::TIMESTAMP_HEADER,
    centrali::EVENT_TYPE_HEADER,
    orisha::EVENT_ID_HEADER,
    orisha::EVENT_TYPE_HEADER,
];

impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Headers<'a>(&'a [(String, String)]);
        impl fmt::Debug for Headers<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut list = f.debug_list();
                for (name, value) in self.0 {
                    if PLAIN_HEADERS.iter().any(|p| p.eq_ignore_ascii_case(name)) {
                        list.entry(&(name, value));
                    } else {
                        list.entry(&(name, format_args!("<{} bytes redacted>", value.len())));
                    }
                }
                list.finish()
            }
        }
        f.debug_struct("SignedRequest")
            .field("method", &self.method)
            .field("headers", &Headers(&self.headers))
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}
