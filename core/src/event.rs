//! Parsed events: a typed model per provider plus one normalised view for all of them.

use alloc::borrow::Cow;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::providers::{centra, centrali, extend, orisha, shopctrl, standard};
use crate::{Error, Provider};

/// A parsed webhook: the normalised view every provider shares, and the provider's own model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    /// Who sent it.
    pub provider: Provider,
    /// A key that stays the same across retries of one delivery, where the provider gives one
    /// (`webhook-id`, Orisha's `X-Event-Id`, Extend's `Id`). Deduplicate on it.
    pub idempotency_key: Option<String>,
    /// Event type(s) in the provider's own spelling (Centra: `type.action` or the ID-map keys).
    pub event_types: Vec<String>,
    /// The things the event is about; ids are strings so that large integers stay exact.
    pub resources: Vec<Resource>,
    /// Unix seconds of the event or of its signature, where present.
    pub timestamp: Option<u64>,
    /// The JSON text of the payload (for Centra: decoded from the form), or the body text for
    /// non-JSON ShopCtrl payloads.
    pub raw: String,
    /// The provider's own model.
    pub detail: Detail,
}

/// A reference to a resource an event is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Resource {
    /// Resource type in the provider's spelling (`order`, `products`, `item`, `Product`...).
    /// Borrowed for a provider's documented vocabulary, so it costs no allocation.
    #[serde(rename = "type")]
    pub kind: Cow<'static, str>,
    /// Its id or code, as a string.
    pub id: String,
    /// What happened to it, where the provider says.
    pub action: Option<Cow<'static, str>>,
}

impl Resource {
    pub(crate) fn new(
        kind: impl Into<Cow<'static, str>>,
        id: impl Into<String>,
        action: Option<Cow<'static, str>>,
    ) -> Self {
        Resource {
            kind: kind.into(),
            id: id.into(),
            action,
        }
    }
}

/// An owned copy of a borrowed string, for fields that are usually static.
pub(crate) fn owned(s: &str) -> Cow<'static, str> {
    Cow::Owned(String::from(s))
}

/// The provider-specific model of an event.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Detail {
    /// Centra.
    Centra(centra::Payload),
    /// Centrali (legacy or 6.1+).
    Centrali(centrali::CentraliEvent),
    /// Orisha Commerce Portal.
    Orisha(orisha::OrishaEvent),
    /// ShopCtrl.
    ShopCtrl(shopctrl::ShopCtrlEvent),
    /// Extend Commerce.
    Extend(extend::ExtendEvent),
    /// Standard Webhooks.
    StandardWebhooks(standard::StandardEvent),
}

/// Parses JSON, reporting where it broke but never echoing the body.
pub(crate) fn parse_json(bytes: &[u8]) -> Result<Value, Error> {
    serde_json::from_slice(bytes).map_err(|e| json_error(&e))
}

/// A JSON syntax error, located but without any of the body's text.
pub(crate) fn json_error(e: &serde_json::Error) -> Error {
    Error::payload(alloc::format!(
        "the body is not valid JSON ({:?} error at line {}, column {}): pass the raw request \
         body of the provider's webhook",
        e.classify(),
        e.line(),
        e.column()
    ))
}

/// Takes the object out of a JSON value, or fails naming what was expected.
pub(crate) fn into_object(v: Value, what: &str) -> Result<Map<String, Value>, Error> {
    match v {
        Value::Object(m) => Ok(m),
        _ => Err(Error::payload(alloc::format!(
            "{what} is not a JSON object"
        ))),
    }
}

/// Removes a key matched case-insensitively (providers' casing is not always documented).
pub(crate) fn take_ci(m: &mut Map<String, Value>, key: &str) -> Option<Value> {
    if let Some(v) = m.remove(key) {
        return Some(v);
    }
    let found = m.keys().find(|k| k.eq_ignore_ascii_case(key))?.clone();
    m.remove(&found)
}

/// A string or number as text; `None` for null and anything else.
pub(crate) fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Takes a key (case-insensitively) as text.
pub(crate) fn take_string(m: &mut Map<String, Value>, key: &str) -> Option<String> {
    take_ci(m, key).as_ref().and_then(scalar_string)
}

/// Body bytes as text, for `Event::raw`.
pub(crate) fn body_text(body: &[u8]) -> Result<String, Error> {
    core::str::from_utf8(body)
        .map(String::from)
        .map_err(|_| Error::payload("the body is not UTF-8"))
}

/// True when the body's first non-blank byte opens a JSON object or array.
pub(crate) fn looks_like_json(body: &[u8]) -> bool {
    matches!(
        body.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    )
}

/// The last segment of a dotted or underscored event name (`record.created` → `created`).
pub(crate) fn action_of(event: &str) -> Option<&str> {
    event
        .rsplit(['.', '_'])
        .next()
        .filter(|a| !a.is_empty() && a.len() < event.len())
}
