//! Centra Webhook plugin: `X-Centra-Signature: t=<unix>,v1=<hex>` over `t.` ‖ the raw form body.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use serde::Serialize;
use serde_json::{Map, Value};

use super::MAX_CANDIDATES;
use crate::encoding::{check_timestamp, form_field, hex_tag, php_urlencode, unix_seconds, Tag};
use crate::event::{self, Detail, Event, Resource};
use crate::headers::Headers;
use crate::sign::{SignOptions, SignedRequest};
use crate::verifier::{MacCheck, Prepared, Verifier};
use crate::{Error, Hint, Provider};

/// The signature header.
pub const SIGNATURE_HEADER: &str = "x-centra-signature";
/// Content type of Centra's requests.
pub const CONTENT_TYPE: &str = "application/x-www-form-urlencoded";
/// The form field that carries the JSON.
pub const PAYLOAD_FIELD: &str = "payload";

/// The parsed `X-Centra-Signature` value.
pub(crate) struct SignatureHeader<'a> {
    /// `t` exactly as sent: the MAC covers the text, not a re-formatted number.
    pub(crate) t_text: &'a str,
    pub(crate) t: u64,
    pub(crate) candidates: Vec<Tag>,
}

/// Parses `t=...,v1=...[,v1=...]`, tolerating spaces and unknown keys.
pub(crate) fn parse_header(value: &str) -> Result<SignatureHeader<'_>, Error> {
    let mut t_text = None;
    let mut candidates = Vec::new();
    let mut saw_v1 = false;
    for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').ok_or(Error::malformed(
            SIGNATURE_HEADER,
            "expected comma-separated key=value pairs like `t=1700000000,v1=<hex>`",
        ))?;
        match k.trim() {
            "t" if t_text.is_some() => {
                return Err(Error::malformed(SIGNATURE_HEADER, "`t` appears twice"))
            }
            "t" => t_text = Some(v.trim()),
            "v1" => {
                saw_v1 = true;
                if candidates.len() >= MAX_CANDIDATES {
                    return Err(Error::malformed(
                        SIGNATURE_HEADER,
                        "too many `v1` signatures",
                    ));
                }
                if let Some(tag) = hex_tag(v.trim(), 32) {
                    candidates.push(tag);
                }
            }
            _ => {}
        }
    }
    let t_text = t_text.ok_or(Error::malformed(SIGNATURE_HEADER, "no `t=` timestamp"))?;
    if !saw_v1 {
        return Err(Error::malformed(SIGNATURE_HEADER, "no `v1=` signature"));
    }
    if candidates.is_empty() {
        return Err(Error::encoding(
            SIGNATURE_HEADER,
            "`v1` must be 64 hexadecimal digits (an HMAC-SHA256)",
        ));
    }
    let t = unix_seconds(t_text, SIGNATURE_HEADER)?;
    Ok(SignatureHeader {
        t_text,
        t,
        candidates,
    })
}

pub(crate) fn verify(
    v: &Verifier,
    h: Headers<'_>,
    body: &[u8],
    now: u64,
) -> Result<Prepared, Error> {
    let sig = parse_header(h.required(SIGNATURE_HEADER)?)?;
    check_timestamp(sig.t, now, v.tolerance())?;
    let mut prefix = Vec::with_capacity(sig.t_text.len() + 1);
    prefix.extend_from_slice(sig.t_text.as_bytes());
    prefix.push(b'.');
    Ok(Prepared {
        timestamp: Some(sig.t),
        credential: None,
        mac: Some(MacCheck {
            keys: 0..v.mac_keys().len(),
            prefix,
            candidates: sig.candidates,
        }),
        hint: event::looks_like_json(body).then_some(Hint::CentraBodyDecoded),
    })
}

/// Which Centra API a webhook was configured for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Api {
    /// Checkout API ID map (camelCase keys such as `products`).
    Checkout,
    /// Storefront API ID map (PascalCase keys such as `DisplayItems`).
    Storefront,
    /// Integration API (`events` list).
    Integration,
}

/// A Centra payload.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Payload {
    /// Which API's format this is.
    pub api: Api,
    /// Checkout/Storefront: field name → IDs (strings, as Centra sends them). Unknown and
    /// installation-specific field names are kept.
    pub ids: BTreeMap<String, Vec<String>>,
    /// Integration API events.
    pub events: Vec<IntegrationEvent>,
    /// Top-level members that are neither ID lists nor `events`.
    pub extra: Map<String, Value>,
}

/// One Integration API event.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IntegrationEvent {
    /// `order`, `shipment`, `customer`, `account`, `return`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// `create`, `update`, `good_to_go`, ...
    pub action: String,
    /// `YYYY-MM-DD HH:MM:SS.ffffff`, no zone, as sent.
    pub date: Option<String>,
    /// The object's id; exact beyond 2^53. Serialised as a decimal string.
    #[serde(serialize_with = "u64_as_string")]
    pub id: u64,
    /// `data`, when sent.
    pub data: Option<Value>,
    /// Other members, kept as sent.
    pub extra: Map<String, Value>,
}

fn u64_as_string<S: serde::Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

fn integration_event(v: Value) -> Result<IntegrationEvent, Error> {
    let mut m = event::into_object(v, "an entry of `events`")?;
    let kind = event::take_string(&mut m, "type")
        .ok_or_else(|| Error::payload("an Integration API event has no `type`"))?;
    let action = event::take_string(&mut m, "action")
        .ok_or_else(|| Error::payload("an Integration API event has no `action`"))?;
    let id = match m.remove("id") {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.parse().ok(),
        _ => None,
    }
    .ok_or_else(|| Error::payload("an Integration API event has no integer `id`"))?;
    Ok(IntegrationEvent {
        kind,
        action,
        date: event::take_string(&mut m, "date"),
        id,
        data: m.remove("data"),
        extra: m,
    })
}

/// Parses a Centra body: the `payload` form field (`+` is a space), or bare JSON.
pub(crate) fn parse(h: Headers<'_>, body: &[u8]) -> Result<Event, Error> {
    let json = match form_field(body, PAYLOAD_FIELD.as_bytes())? {
        Some(j) => j,
        None if event::looks_like_json(body) => body.to_vec(),
        None => return Err(Error::payload("the form body has no `payload` field")),
    };
    let raw = event::body_text(&json)?;
    let mut root = event::into_object(event::parse_json(&json)?, "the payload")?;
    let mut payload = Payload {
        api: Api::Checkout,
        ids: BTreeMap::new(),
        events: Vec::new(),
        extra: Map::new(),
    };
    if let Some(events) = root.remove("events") {
        let Value::Array(list) = events else {
            return Err(Error::payload("`events` is not an array"));
        };
        payload.api = Api::Integration;
        payload.events = list
            .into_iter()
            .map(integration_event)
            .collect::<Result<_, _>>()?;
        payload.extra = root;
    } else {
        if root
            .keys()
            .any(|k| k.starts_with(|c: char| c.is_ascii_uppercase()))
        {
            payload.api = Api::Storefront;
        }
        for (k, v) in root {
            match v {
                Value::Array(items) if items.iter().all(|i| event::scalar_string(i).is_some()) => {
                    let ids = items.iter().filter_map(event::scalar_string).collect();
                    payload.ids.insert(k, ids);
                }
                other => {
                    payload.extra.insert(k, other);
                }
            }
        }
    }

    let mut event_types: Vec<String> = Vec::new();
    let mut resources = Vec::new();
    for e in &payload.events {
        let t = alloc::format!("{}.{}", e.kind, e.action);
        if !event_types.contains(&t) {
            event_types.push(t);
        }
        resources.push(Resource::new(
            e.kind.clone(),
            alloc::format!("{}", e.id),
            Some(&e.action),
        ));
    }
    for (k, ids) in &payload.ids {
        event_types.push(k.clone());
        resources.extend(
            ids.iter()
                .map(|id| Resource::new(k.clone(), id.clone(), None)),
        );
    }
    let timestamp = h
        .one(SIGNATURE_HEADER)
        .ok()
        .flatten()
        .and_then(|v| parse_header(v).ok())
        .map(|s| s.t);
    Ok(Event {
        provider: Provider::Centra,
        idempotency_key: None,
        event_types,
        resources,
        timestamp,
        raw,
        detail: Detail::Centra(payload),
    })
}

pub(crate) fn sign(v: &Verifier, payload: &[u8], o: &SignOptions) -> Result<SignedRequest, Error> {
    let key = v.signing_key(0..v.mac_keys().len())?;
    let body = alloc::format!("{PAYLOAD_FIELD}={}", php_urlencode(payload)).into_bytes();
    let t = alloc::format!("{}", o.now);
    let mac = key.compute_vec(&[t.as_bytes(), b".", &body]);
    let header = alloc::format!("t={t},v1={}", crate::encoding::hex_lower(&mac));
    Ok(SignedRequest::new(CONTENT_TYPE, body).header("X-Centra-Signature", header))
}
