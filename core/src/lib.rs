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
//!
//! # In a web handler
//!
//! Build the [`Verifier`] once (it is `Send + Sync`: share it in the app's state) and give it
//! the body exactly as it arrived, before any JSON or form decoding. Headers are name/value
//! pairs of any string type; from an
//! [`http::HeaderMap`](https://docs.rs/http/1/http/header/struct.HeaderMap.html) (axum, hyper;
//! actix-web's own `HeaderMap` iterates the same way), take the ones the verifier reads, as
//! text, and refuse a request where one is not text rather than dropping it (a dropped copy
//! would hide a repeated header):
//!
//! ```
//! use hookproof::{Config, Error, Provider, Verifier};
//! use http::{HeaderMap, StatusCode};
//!
//! fn receive(verifier: &Verifier, headers: &HeaderMap, body: &[u8], now: u64) -> StatusCode {
//!     let Ok(pairs) = headers
//!         .iter()
//!         .filter(|(name, _)| verifier.reads_header(name.as_str()))
//!         .map(|(name, value)| value.to_str().map(|v| (name.as_str(), v)))
//!         .collect::<Result<Vec<_>, _>>()
//!     else {
//!         return StatusCode::BAD_REQUEST;
//!     };
//!     match verifier.verify_and_parse(&pairs, body, now) {
//!         // Providers retry: deduplicate on `event.idempotency_key` before acting.
//!         Ok((_verified, _event)) => StatusCode::OK,
//!         Err(e) => status_for(&e),
//!     }
//! }
//!
//! /// What the bindings answer: 500 for the receiver's own configuration (log it), 400 for an
//! /// authentic request whose payload does not parse, 401 for the rest (forged, stale,
//! /// unsigned).
//! fn status_for(e: &Error) -> StatusCode {
//!     match e.family() {
//!         "config" => StatusCode::INTERNAL_SERVER_ERROR,
//!         "payload" => StatusCode::BAD_REQUEST,
//!         _ => StatusCode::UNAUTHORIZED,
//!     }
//! }
//!
//! let verifier = Config::new(Provider::Centra).secret("test123").build()?;
//! let mut headers = HeaderMap::new();
//! headers.insert(
//!     "x-centra-signature",
//!     "t=12345678,v1=0b9cd84f5d583e5e1aadfb9f160aa8080b51d5b85ff85808d6b75bdac356c549".parse().unwrap(),
//! );
//! let body = b"payload=%7B%22x%22%3A%22test%22%7D";
//! assert_eq!(receive(&verifier, &headers, body, 12345678 + 10), StatusCode::OK);
//! assert_eq!(receive(&verifier, &headers, b"payload=%7B%7D", 12345678 + 10), StatusCode::UNAUTHORIZED);
//! # Ok::<(), hookproof::Error>(())
//! ```
//!
//! - **Time**: `now` is unix seconds; [`unix_now`] gives it with the `std` feature. A signed
//!   timestamp further than the verifier's tolerance ([`DEFAULT_TOLERANCE`]) from it fails.
//! - **Errors**: [`Error::code`] is a stable snake_case code and [`Error::family`] its group;
//!   [`Error::hint`] names a likely cause on the receiver's side (a re-serialised body, a
//!   secret with stray white space). Messages hold no secret and no full signature.
//! - **Secret rotation**: configure both secrets ([`Config::secret`] twice); a verified
//!   request's [`Verified::secret_index`] says which one matched, so you know when the old
//!   one can go.
//! - **Parse with the verifier that verified** ([`Verifier::parse`]), not the free [`parse`]:
//!   it reads the request as it was verified (a pinned Centrali generation, say).
//! - **Centrali**: pin the generation once an endpoint receives one
//!   ([`Config::centrali_generation()`]). Unpinned, a verifier with a secret without
//!   `whsec_` accepts a captured 6.1+ delivery re-sent as a legacy one (see [`Config`]'s
//!   field of that name).
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]
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
/// unverified payload is attacker-controlled. After verifying, parse with that verifier
/// ([`Verifier::parse`]): this reads the request as any generation's (a Centrali request's
/// unsigned 6.1+ headers give its id and timestamp even where a verifier pinned to legacy
/// verified it).
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

/// The option structs are `#[non_exhaustive]`, so a field can be added in a minor release: a
/// struct literal outside the crate does not compile. (Each block, with the attribute removed,
/// compiles.)
///
/// ```compile_fail
/// let _ = hookproof::HmacSpec {
///     header: "X-Sig".into(),
///     algorithm: hookproof::MacAlgorithm::HmacSha256,
///     encoding: hookproof::TagEncoding::Hex,
///     prefix: None,
/// };
/// ```
///
/// ```compile_fail
/// let _ = hookproof::SignOptions { now: 1, ..Default::default() };
/// ```
///
/// ```compile_fail
/// let c = hookproof::Config::new(hookproof::Provider::Extend);
/// let _ = hookproof::Config { tolerance: None, ..c };
/// ```
#[cfg(doctest)]
struct NonExhaustiveDoctests;

// Runs the crate README's examples as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
