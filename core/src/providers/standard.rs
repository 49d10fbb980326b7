//! Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>`
//! over `id.timestamp.` ‖ the raw body, HMAC-SHA256 with a `whsec_` secret. Svix sends the
//! same headers as `svix-id`, `svix-timestamp` and `svix-signature`.

use alloc::string::String;
use alloc::vec::Vec;
use core::ops::Range;

use base64::Engine;
use serde::Serialize;
use serde_json::{Map, Value};

use super::{MAX_CANDIDATES, TOO_MANY_CANDIDATES};
use crate::encoding::{base64_tag, check_timestamp, unix_seconds, B64_OUT};
use crate::event::{self, Detail, Event, RawJson};
use crate::headers::Headers;
use crate::sign::{SignOptions, SignedRequest};
use crate::verifier::{Candidates, MacCheck, MacPrefix, Prepared, Verifier};
use crate::{Error, Provider};

/// Message id header.
pub const ID_HEADER: &str = "webhook-id";
/// Unix-seconds timestamp header.
pub const TIMESTAMP_HEADER: &str = "webhook-timestamp";
/// Signature header: space-separated `v1,<base64>` candidates.
pub const SIGNATURE_HEADER: &str = "webhook-signature";
/// Svix, the spec's reference sender, names the headers `svix-*` unless white-labelled, and
/// its libraries accept either set: these are read as identical copies of the `webhook-*` ones.
pub const SVIX_ID_HEADER: &str = "svix-id";
/// Svix's name for `webhook-timestamp`.
pub const SVIX_TIMESTAMP_HEADER: &str = "svix-timestamp";
/// Svix's name for `webhook-signature`.
pub const SVIX_SIGNATURE_HEADER: &str = "svix-signature";
/// The prefix of secrets in this scheme (the rest is base64).
pub const SECRET_PREFIX: &str = "whsec_";

/// The three values of a Standard Webhooks request, wherever they came from.
pub(crate) struct Parts<'a> {
    /// The id, timestamp and signature values.
    pub(crate) values: [&'a str; 3],
    /// The headers they came from, for errors (Centrali sends copies under its own names).
    pub(crate) names: [&'static str; 3],
}

/// The three headers' names.
pub(crate) const NAMES: [&str; 3] = [ID_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER];

/// The three values from the `webhook-*` headers or their `copies` (which must agree when
/// both are sent). Errors name the header a value came from: a copy alone by its own name,
/// and a request of copies alone in those (a missing one too). A request of neither is
/// missing the scheme's own `webhook-id`.
pub(crate) fn parts<'a>(h: Headers<'a>, copies: [&'static str; 3]) -> Result<Parts<'a>, Error> {
    let copies_only =
        || !NAMES.iter().any(|n| h.contains(n)) && copies.iter().any(|n| h.contains(n));
    let mut parts = Parts {
        values: [""; 3],
        names: NAMES,
    };
    for ((value, name), copy) in parts.values.iter_mut().zip(&mut parts.names).zip(copies) {
        let found = h.either(name, copy)?;
        if !h.contains(name) && (found.is_some() || copies_only()) {
            *name = copy;
        }
        *value = found.ok_or(Error::missing(name))?;
    }
    Ok(parts)
}

/// A signature version tag: `v`, digits, then letters (`v1a`, `v2`).
fn is_version_tag(tag: &str) -> bool {
    let Some(rest) = tag.strip_prefix('v') else {
        return false;
    };
    let letters = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    letters.len() < rest.len() && letters.bytes().all(|b| b.is_ascii_lowercase())
}

/// Checks the three values and returns the MAC plan over `keys`.
pub(crate) fn check(
    p: Parts<'_>,
    body: &[u8],
    now: u64,
    tolerance: Option<u64>,
    keys: Range<usize>,
) -> Result<Prepared, Error> {
    let ([id, timestamp, signature], [id_name, ts_name, sig_name]) = (p.values, p.names);
    if id.is_empty() {
        return Err(Error::malformed(id_name, "the message id is empty"));
    }
    let ts = unix_seconds(timestamp, ts_name)?;
    let mut candidates = Candidates::new();
    let (mut v1, mut other_version) = (0usize, false);
    for c in signature.split_ascii_whitespace() {
        match c.split_once(',') {
            Some(("v1", sig)) => {
                v1 += 1;
                if v1 > MAX_CANDIDATES {
                    return Err(Error::malformed(sig_name, TOO_MANY_CANDIDATES));
                }
                if let Some(tag) = base64_tag(sig, 32) {
                    candidates.push(tag);
                }
            }
            // Other tags are ignored (the spec's rule, for versions to come), and so is text
            // without a tag, as the reference libraries do; whether a tag is a version (`v1a`,
            // `v2`) only chooses the error when no `v1` is there.
            Some((tag, _)) => other_version |= is_version_tag(tag),
            None => {}
        }
    }
    if v1 == 0 && other_version {
        return Err(Error::UnsupportedScheme {
            reason:
                "no `v1` (HMAC) signature, only other versions (`v1a` is asymmetric), which are \
                     not verified: the sender must also sign with a `whsec_` secret",
        });
    }
    if v1 == 0 {
        return Err(Error::malformed(
            sig_name,
            "expected space-separated `v1,<base64>` signatures",
        ));
    }
    if candidates.is_empty() {
        return Err(Error::encoding(
            sig_name,
            "`v1` must be base64 of 32 bytes (an HMAC-SHA256)",
        ));
    }
    check_timestamp(ts, now, tolerance)?;
    let mut prefix = MacPrefix::new();
    prefix.extend_from_slice(id.as_bytes());
    prefix.push(b'.');
    prefix.extend_from_slice(timestamp.as_bytes());
    prefix.push(b'.');
    Ok(Prepared {
        timestamp: Some(ts),
        credential: None,
        mac: Some(MacCheck {
            keys,
            prefix,
            candidates,
        }),
        hint: event::reserialised_hint(body),
    })
}

pub(crate) fn verify(
    v: &Verifier,
    h: Headers<'_>,
    body: &[u8],
    now: u64,
) -> Result<Prepared, Error> {
    let copies = [SVIX_ID_HEADER, SVIX_TIMESTAMP_HEADER, SVIX_SIGNATURE_HEADER];
    check(
        parts(h, copies)?,
        body,
        now,
        v.tolerance(),
        v.standard_keys(),
    )
}

/// A Standard Webhooks payload: `{"type", "timestamp", "data"}` by the spec's recommendation.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct StandardEvent {
    /// `webhook-id` (or Svix's `svix-id`).
    pub id: Option<String>,
    /// The body's `type`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// The body's `timestamp` (RFC 3339 text), as sent.
    pub timestamp: Option<String>,
    /// The body's `data`, as its JSON text (validated; parse it into your own type with
    /// [`RawJson::parse`]).
    pub data: Option<RawJson>,
    /// Other members, kept.
    pub extra: Map<String, Value>,
}

pub(crate) fn parse(h: Headers<'_>, body: &[u8]) -> Result<Event, Error> {
    // A repeated header is refused as verifying refuses it: parsing may run alone.
    let id = h.either(ID_HEADER, SVIX_ID_HEADER)?;
    let timestamp_header = h.either(TIMESTAMP_HEADER, SVIX_TIMESTAMP_HEADER)?;
    let raw = event::body_text(body)?;
    // Members as raw text: `data` is usually most of the body, and stays unparsed.
    let mut m = event::raw_object(raw.as_bytes(), "the payload")?;
    let id = id.map(String::from);
    let kind = event::take_raw_string(&mut m, "type")?;
    let timestamp_text = event::take_raw_string(&mut m, "timestamp")?;
    let timestamp = timestamp_header
        // Checked as verification checks it (seconds): parsing may run alone.
        .and_then(|t| crate::encoding::unix_seconds(t, TIMESTAMP_HEADER).ok())
        .or_else(|| {
            timestamp_text
                .as_deref()
                .and_then(crate::encoding::rfc3339_seconds)
        });
    let data = m.remove("data").map(RawJson::from);
    Ok(Event {
        provider: Provider::StandardWebhooks,
        idempotency_key: id.clone(),
        event_types: kind.iter().cloned().collect(),
        resources: Vec::new(),
        timestamp,
        raw,
        detail: Detail::StandardWebhooks(StandardEvent {
            id,
            kind,
            timestamp: timestamp_text,
            data,
            extra: event::raw_to_map(m)?,
        }),
    })
}

/// `(id, timestamp, signature)` header values for `payload` under the verifier's first key.
pub(crate) fn signature_values(
    v: &Verifier,
    payload: &[u8],
    o: &SignOptions,
) -> Result<(String, String, String), Error> {
    let key = v.signing_key(v.standard_keys())?;
    let id = o.id_or_derived(payload);
    if id.is_empty() {
        return Err(Error::InvalidOption {
            reason: "the message id must not be empty",
        });
    }
    let ts = alloc::format!("{}", o.now);
    let mac = key.compute(&[id.as_bytes(), b".", ts.as_bytes(), b".", payload]);
    let sig = alloc::format!("v1,{}", B64_OUT.encode(mac.as_slice()));
    Ok((id, ts, sig))
}

pub(crate) fn sign(v: &Verifier, payload: &[u8], o: &SignOptions) -> Result<SignedRequest, Error> {
    let (id, ts, sig) = signature_values(v, payload, o)?;
    Ok(SignedRequest::new("application/json", payload.to_vec())
        .header(ID_HEADER, id)
        .header(TIMESTAMP_HEADER, ts)
        .header(SIGNATURE_HEADER, sig))
}
