//! Verify and parse commerce webhooks: Centra, Centrali (legacy and 6.1+), Orisha Commerce
//! Portal, ShopCtrl, Extend Commerce, and Standard Webhooks.
//!
//! - Verification runs on the **raw request bytes**, never on a decoded or re-serialised
//!   form, and compares full-length decoded MACs in constant time.
//! - Parsing is separate and comes after verification ([`Verifier::verify_and_parse`] does both).
//! - Time is a parameter (`now`, unix seconds); nothing here reads a clock unless you call
//!   [`Verifier::verify_now`] or [`unix_now`] (feature `std`).
//! - `#![no_std]` with `alloc`; no input panics.
//!
//! ```
//! use hookproof::{Config, Provider};
//!
//! // Centra's documented example: secret `test123`, t=12345678.
//! let verifier = Config::new(Provider::Centra).secret("test123").build()?;
//! let headers = [(
//!     "X-Centra-Signature",
//!     "t=12345678,v1=0b9cd84f5d583e5e1aadfb9f160aa8080b51d5b85ff85808d6b75bdac356c549",
//! )];
//! let body = b"payload=%7B%22x%22%3A%22test%22%7D";
//! let (verified, event) = verifier.verify_and_parse(&headers, body, 12345678 + 10)?;
//! assert_eq!(verified.timestamp, Some(12345678));
//! assert_eq!(event.raw, r#"{"x":"test"}"#);
//! # Ok::<(), hookproof::Error>(())
//! ```
#![no_std]
// One audited exception: the AVX2 form decoder (`encoding/avx2.rs`).
#![deny(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod encoding;
mod error;
pub mod event;
mod headers;
mod mac;
mod provider;
pub mod providers;
mod sign;
mod verifier;

pub use error::{Error, Hint};
pub use event::{Detail, Event, RawJson, Resource, SmallString};
pub use headers::{reads_header, HEADER_NAMES};
pub use mac::{MacAlgorithm, MacKey};
pub use provider::Provider;
pub use providers::centrali::Generation as CentraliGeneration;
pub use providers::extend::echo_response as extend_echo_response;
pub use sign::{SignOptions, SignedRequest};
pub use verifier::{
    Config, HmacSpec, Prepared, TagEncoding, Verified, Verifier, DEFAULT_TOLERANCE,
};

/// For the `form_decode` fuzz target: whether the SIMD form decoder agrees with the scalar one.
#[cfg(fuzzing)]
#[doc(hidden)]
pub fn fuzz_form_decoders_agree(s: &[u8]) -> bool {
    encoding::decode_with(s, true) == encoding::decode_with(s, false)
}

/// Parses a request's payload for `provider` without verifying it.
///
/// Verify first ([`Verifier::verify`]) or use [`Verifier::verify_and_parse`]: an
/// unverified payload is attacker-controlled.
pub fn parse<K: AsRef<str>, V: AsRef<str>>(
    provider: Provider,
    headers: &[(K, V)],
    body: &[u8],
) -> Result<Event, Error> {
    parse_as::<true>(provider, None, headers::Headers::new(&headers), body)
}

/// Parses like [`parse`] (the same checks, the same errors) but builds only the normalised
/// fields: [`Event::detail`] is [`Detail::Omitted`]. For receivers, and bindings, that read
/// the provider model rarely: [`parse_raw`] on [`Event::raw`] gives it when needed
/// ([`Verifier::parse_raw`] for a verifier's events). Building the model is most of the cost
/// of parsing a large Centra or Extend Commerce delivery.
///
/// ```
/// # use hookproof::{parse_normalised, Detail, Provider};
/// let body = br#"{"Id":"k1","Notifications":[{"Action":"OrderCreated","Details":{"OrderNumber":"7"}}]}"#;
/// let event = parse_normalised(Provider::Extend, &[] as &[(&str, &str)], body)?;
/// assert_eq!(event.resources[0].id, "7");
/// assert_eq!(event.detail, Detail::Omitted);
/// # Ok::<(), hookproof::Error>(())
/// ```
pub fn parse_normalised<K: AsRef<str>, V: AsRef<str>>(
    provider: Provider,
    headers: &[(K, V)],
    body: &[u8],
) -> Result<Event, Error> {
    parse_as::<false>(provider, None, headers::Headers::new(&headers), body)
}

/// Parses with the provider model (`FULL`) or without it. `centrali` is a verifier's pinned
/// Centrali generation: the request is read as that generation's, as it was verified.
pub(crate) fn parse_as<const FULL: bool>(
    provider: Provider,
    centrali: Option<CentraliGeneration>,
    h: headers::Headers<'_>,
    body: &[u8],
) -> Result<Event, Error> {
    let mut event = match provider {
        // These two skip building the model while they parse.
        Provider::Centra => return providers::centra::parse::<FULL>(h, body),
        Provider::Extend => return providers::extend::parse::<FULL>(h, body),
        Provider::Centrali => providers::centrali::parse(h, body, centrali),
        Provider::Orisha => providers::orisha::parse(h, body),
        Provider::ShopCtrl => providers::shopctrl::parse(h, body),
        Provider::StandardWebhooks => providers::standard::parse(h, body),
    }?;
    if !FULL {
        event.detail = Detail::Omitted;
    }
    Ok(event)
}

/// Parses an event's [`Event::raw`] text again, giving the same event as [`parse`] did: for
/// bindings that keep only `raw` and build their language's objects from it on demand. (For
/// Centra, `raw` is the JSON the form carried, parsed without the form; for the others it is
/// the body text.) For an event of a [`Verifier`], use [`Verifier::parse_raw`]: it keeps a
/// pinned Centrali generation.
pub fn parse_raw<K: AsRef<str>, V: AsRef<str>>(
    provider: Provider,
    headers: &[(K, V)],
    raw: &str,
) -> Result<Event, Error> {
    parse_raw_as(provider, None, headers::Headers::new(&headers), raw)
}

/// [`parse_raw`] with a verifier's pinned Centrali generation (see [`parse_as`]).
pub(crate) fn parse_raw_as(
    provider: Provider,
    centrali: Option<CentraliGeneration>,
    h: headers::Headers<'_>,
    raw: &str,
) -> Result<Event, Error> {
    match provider {
        Provider::Centra => providers::centra::parse_json::<true>(h, raw.into()),
        _ => parse_as::<true>(provider, centrali, h, raw.as_bytes()),
    }
}

/// Signs `payload` as `config`'s provider would (first secret), for testing receivers.
pub fn sign(config: Config, payload: &[u8], options: &SignOptions) -> Result<SignedRequest, Error> {
    Verifier::new(config)?.sign(payload, options)
}

/// The system clock in unix seconds.
#[cfg(feature = "std")]
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

// Runs the README's Rust examples as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
