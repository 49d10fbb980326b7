//! Orisha Commerce Portal: no body signature; the webhook's secret arrives verbatim in
//! `X-Secret` and is compared in constant time (as SHA-256 digests, so length leaks nothing).

use alloc::string::String;
use alloc::vec::Vec;

use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::event::{self, Detail, Event, Resource};
use crate::headers::Headers;
use crate::sign::{SignOptions, SignedRequest};
use crate::verifier::{Prepared, Verifier};
use crate::{Error, Provider};

/// The shared-secret header.
pub const SECRET_HEADER: &str = "x-secret";
/// Unique per event: the idempotency key.
pub const EVENT_ID_HEADER: &str = "x-event-id";
/// `item.created`, `customer.address.updated`, ...
pub const EVENT_TYPE_HEADER: &str = "x-event-type";
/// The administration the webhook belongs to.
pub const ADMINISTRATION_CODE_HEADER: &str = "x-administration-code";
/// The user who triggered the event.
pub const TRIGGERED_BY_HEADER: &str = "x-triggeredby-id";

/// Body fields that carry codes, and the resource type each names.
const CODE_FIELDS: [(&str, &str); 5] = [
    ("ItemCode", "item"),
    ("CustomerCode", "customer"),
    ("PriceListCode", "pricelist"),
    ("ContactPersonCode", "contactperson"),
    ("AddressCode", "address"),
];

pub(crate) fn verify(
    _v: &Verifier,
    h: Headers<'_>,
    _body: &[u8],
    _now: u64,
) -> Result<Prepared, Error> {
    let presented = h.required(SECRET_HEADER)?;
    Ok(Prepared {
        timestamp: None,
        credential: Some(Sha256::digest(presented).into()),
        mac: None,
        hint: None,
    })
}

/// An Orisha webhook: headers plus the codes found in the body.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct OrishaEvent {
    /// `X-Event-Id`.
    pub event_id: Option<String>,
    /// `X-Event-Type`.
    pub event_type: Option<String>,
    /// `X-Administration-Code`.
    pub administration_code: Option<String>,
    /// `X-TriggeredBy-Id`.
    pub triggered_by_id: Option<String>,
    /// `ItemCode`, read case-insensitively.
    pub item_code: Option<String>,
    /// `CustomerCode`.
    pub customer_code: Option<String>,
    /// `PriceListCode`.
    pub price_list_code: Option<String>,
    /// `ContactPersonCode`.
    pub contact_person_code: Option<String>,
    /// `AddressCode`.
    pub address_code: Option<String>,
    /// The body as sent (the envelope is undocumented).
    pub body: Value,
}

/// Finds a code field case-insensitively at the top level or one object deeper.
fn find_code(v: &Value, key: &str) -> Option<String> {
    let m = v.as_object()?;
    let direct = m
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .and_then(|(_, v)| event::scalar_string(v));
    direct.or_else(|| {
        m.values()
            .filter_map(Value::as_object)
            .flat_map(|inner| inner.iter())
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .and_then(|(_, v)| event::scalar_string(v))
    })
}

pub(crate) fn parse(h: Headers<'_>, body: &[u8]) -> Result<Event, Error> {
    // Nothing signs these headers, so verifying never looked at them: a repeated one (the
    // idempotency key among them) is refused here rather than read as absent. (Read first:
    // returning early before anything is built keeps this small.)
    let event_type = h.one(EVENT_TYPE_HEADER)?;
    let event_id = h.one(EVENT_ID_HEADER)?;
    let administration_code = h.one(ADMINISTRATION_CODE_HEADER)?;
    let triggered_by_id = h.one(TRIGGERED_BY_HEADER)?;
    let raw = event::body_text(body)?;
    let body_value = if raw.trim().is_empty() {
        Value::Object(Map::new())
    } else {
        event::parse_json(body)?
    };
    // `customer.address.updated`: the object is `address`, the action `updated`.
    let (object, action) = match event_type.and_then(|t| t.rsplit_once('.')) {
        Some((path, action)) => (path.rsplit('.').next(), Some(action)),
        None => (None, None),
    };
    let codes: Vec<Option<String>> = CODE_FIELDS
        .iter()
        .map(|(f, _)| find_code(&body_value, f))
        .collect();
    let resources = CODE_FIELDS
        .iter()
        .zip(&codes)
        .filter_map(|((_, kind), code)| {
            let code = code.as_ref()?;
            // Orisha documents lower case; a receiver should not lose the action to `Item.Created`.
            let act = action.filter(|_| object.is_some_and(|o| o.eq_ignore_ascii_case(kind)));
            Some(Resource::new(*kind, code.clone(), act.map(event::owned)))
        })
        .collect();
    let mut codes = codes.into_iter();
    let mut next = || codes.next().flatten();
    let detail = OrishaEvent {
        event_id: event_id.map(String::from),
        event_type: event_type.map(String::from),
        administration_code: administration_code.map(String::from),
        triggered_by_id: triggered_by_id.map(String::from),
        item_code: next(),
        customer_code: next(),
        price_list_code: next(),
        contact_person_code: next(),
        address_code: next(),
        body: body_value,
    };
    Ok(Event {
        provider: Provider::Orisha,
        idempotency_key: detail.event_id.clone(),
        event_types: event_type.into_iter().map(String::from).collect(),
        resources,
        timestamp: None,
        raw,
        detail: Detail::Orisha(detail),
    })
}

pub(crate) fn sign(v: &Verifier, payload: &[u8], o: &SignOptions) -> Result<SignedRequest, Error> {
    let secret = v.sign_credential().ok_or(Error::UnconfiguredScheme {
        reason: "signing needs a secret",
    })?;
    let event_type = o.event_type.clone().ok_or(Error::InvalidOption {
        reason: "Orisha requests carry `X-Event-Type`: pass the event type (e.g. `item.created`)",
    })?;
    let mut req = SignedRequest::new("application/json", payload.to_vec())
        .header("X-Event-Id", o.id_or_derived(payload))
        .header("X-Event-Type", event_type);
    if let Some(code) = &o.administration_code {
        req = req.header("X-Administration-Code", code.as_str());
    }
    if let Some(id) = &o.triggered_by_id {
        req = req.header("X-TriggeredBy-Id", id.as_str());
    }
    Ok(req.header("X-Secret", secret))
}
