//! ShopCtrl "Call Webhook" action: HTTP Basic credentials, and an optional HMAC whose
//! header, digest and encoding ShopCtrl does not publish (so they are configured).

use alloc::string::String;
use alloc::vec::Vec;

use base64::Engine;
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::encoding::{base64_any, base64_tag, hex_lower, hex_tag, B64_OUT};
use crate::event::{self, Detail, Event, Resource};
use crate::headers::Headers;
use crate::sign::{SignOptions, SignedRequest};
use crate::verifier::{MacCheck, MacPrefix, Prepared, TagEncoding, Verifier};
use crate::{Error, Provider};

/// Basic credentials travel here.
pub const AUTHORIZATION_HEADER: &str = "authorization";
/// The default payload's object of trigger-specific fields.
pub const ENTITY_DATA_FIELD: &str = "entityData";

pub(crate) fn verify(
    v: &Verifier,
    h: Headers<'_>,
    body: &[u8],
    _now: u64,
) -> Result<Prepared, Error> {
    let mut credential = None;
    if v.has_credentials() {
        let auth = h.required(AUTHORIZATION_HEADER)?;
        let (_, b64) = auth
            .split_once(' ')
            .filter(|(s, _)| s.eq_ignore_ascii_case("basic"))
            .ok_or(Error::malformed(
                AUTHORIZATION_HEADER,
                "expected `Basic <base64 of user:password>`",
            ))?;
        let decoded = base64_any(b64.trim()).ok_or(Error::encoding(
            AUTHORIZATION_HEADER,
            "the Basic credentials are not base64",
        ))?;
        credential = Some(Sha256::digest(&decoded).into());
    }
    let mut mac = None;
    if let Some(spec) = v.hmac_spec() {
        let missing = || Error::MissingHeader {
            header: alloc::borrow::Cow::Owned(spec.header.to_ascii_lowercase()),
            hint: None,
        };
        let value = h.one_dynamic(&spec.header)?.ok_or_else(missing)?;
        let bad = |reason| Error::MalformedHeader {
            header: alloc::borrow::Cow::Owned(spec.header.to_ascii_lowercase()),
            reason,
        };
        let tag_text = match &spec.prefix {
            Some(p) => value
                .get(..p.len())
                .filter(|head| head.eq_ignore_ascii_case(p))
                .and_then(|_| value.get(p.len()..))
                .ok_or_else(|| bad("it lacks the configured hmac.prefix"))?,
            None => value,
        };
        let len = spec.algorithm.output_len();
        let tag = match spec.encoding {
            TagEncoding::Hex => hex_tag(tag_text.trim(), len),
            TagEncoding::Base64 => base64_tag(tag_text.trim(), len),
        }
        .ok_or_else(|| Error::BadEncoding {
            header: alloc::borrow::Cow::Owned(spec.header.to_ascii_lowercase()),
            reason: "not a MAC in the set hmac.algorithm and hmac.encoding",
        })?;
        mac = Some(MacCheck {
            keys: 0..v.mac_keys().len(),
            prefix: MacPrefix::new(),
            candidates: smallvec::smallvec![tag],
        });
    }
    Ok(Prepared {
        timestamp: None,
        credential,
        mac,
        hint: event::reserialised_hint(body),
    })
}

/// A ShopCtrl webhook: the default JSON payload's `entityData`, or a custom payload.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ShopCtrlEvent {
    /// `entityData`: trigger-specific fields (`OrderId`, `ProductCode`, ...), null when
    /// unknown at event time.
    pub entity_data: Option<Map<String, Value>>,
    /// The whole JSON body, when the body is JSON (custom payloads may be XML or text).
    pub body: Option<Value>,
}

pub(crate) fn parse(_h: Headers<'_>, body: &[u8]) -> Result<Event, Error> {
    let raw = event::body_text(body)?;
    // Payloads are user-defined: text with merge fields may start with `[` or `{` too, so a
    // body that is not JSON after all is text, not an error.
    let json = if event::looks_like_json(body) {
        event::parse_json(body).ok()
    } else {
        None
    };
    let entity_data = json
        .as_ref()
        .and_then(Value::as_object)
        .and_then(|m| {
            m.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(ENTITY_DATA_FIELD))
        })
        .and_then(|(_, v)| v.as_object().cloned());
    // `OrderId` → (Order, id); `Old...Id` fields are history, not subjects.
    let resources = entity_data
        .iter()
        .flat_map(|m| m.iter())
        .filter(|(k, _)| !k.starts_with("Old"))
        .filter_map(|(k, v)| {
            let kind = k.strip_suffix("Id")?;
            let kind = if kind.is_empty() {
                alloc::borrow::Cow::Borrowed("Entity")
            } else {
                event::owned(kind)
            };
            Some(Resource::new(kind, event::scalar_string(v)?, None))
        })
        .collect();
    Ok(Event {
        provider: Provider::ShopCtrl,
        idempotency_key: None,
        event_types: Vec::new(),
        resources,
        timestamp: None,
        raw,
        detail: Detail::ShopCtrl(ShopCtrlEvent {
            entity_data,
            body: json,
        }),
    })
}

pub(crate) fn sign(v: &Verifier, payload: &[u8], _o: &SignOptions) -> Result<SignedRequest, Error> {
    let content_type = if event::looks_like_json(payload) {
        "application/json"
    } else {
        "text/plain"
    };
    let mut req = SignedRequest::new(content_type, payload.to_vec());
    if let Some(cred) = v.sign_credential() {
        req = req.header(
            "Authorization",
            alloc::format!("Basic {}", B64_OUT.encode(cred)),
        );
    }
    if let Some(spec) = v.hmac_spec() {
        let mac = v
            .signing_key(0..v.mac_keys().len())?
            .compute_vec(&[payload]);
        let encoded = match spec.encoding {
            TagEncoding::Hex => hex_lower(&mac),
            TagEncoding::Base64 => B64_OUT.encode(&mac),
        };
        let prefix = spec.prefix.clone().unwrap_or_default();
        req = req.header(&spec.header, alloc::format!("{prefix}{encoded}"));
    }
    Ok(req)
}
