//! Parsed events: a typed model per provider plus one normalised view for all of them.

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::providers::{centra, centrali, extend, orisha, shopctrl, standard};
use crate::{Error, Provider};

mod small;
pub use small::SmallString;

/// A parsed webhook: the normalised view every provider shares, and the provider's own model.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Event {
    /// Who sent it.
    pub provider: Provider,
    /// A key that stays the same across retries of one delivery, where the provider gives one
    /// (`webhook-id`, Orisha's `X-Event-Id`, Extend's `Id`). Deduplicate on it.
    pub idempotency_key: Option<String>,
    /// Event type(s) in the provider's own spelling (Centra: `type.action` or the ID-map keys).
    pub event_types: Vec<String>,
    /// The things the event is about; ids are strings so that integers beyond 2^53 stay exact
    /// (up to 64 bits: serde_json reads a larger integer as a double).
    pub resources: Vec<Resource>,
    /// Unix seconds of the event or of its signature, where present.
    pub timestamp: Option<u64>,
    /// The JSON text of the payload (for Centra: decoded from the form), or the body text for
    /// non-JSON ShopCtrl payloads.
    pub raw: String,
    /// The provider's own model.
    pub detail: Detail,
}

impl Event {
    /// The normalised fields (all but `raw` and `detail`) as compact text, for bindings where
    /// building objects from it costs less than from JSON (the JS ones split it and build the
    /// objects in JS, a third of `JSON.parse`'s cost on the same fields).
    ///
    /// The text is `\0`-separated: `provider, idempotency_key, timestamp, n`, then `n` event
    /// types, then the resources in runs that share a type and an action: `type, action, k`
    /// and the run's `k` ids (a delivery of many orders is one run, and each piece costs the
    /// reader a string). A null string is `\x01`, a null timestamp empty. When a value
    /// contains `\0` or `\x01` the same fields are JSON instead (an object, so the text starts
    /// with `{`; a provider id never does).
    ///
    /// ```
    /// # use hookproof::{parse, Provider};
    /// let body = br#"{"Id":"k1","Notifications":[{"Action":"OrderCreated","Details":{"OrderNumber":"7"}},
    ///     {"Action":"OrderCreated","Details":{"OrderNumber":"8"}}]}"#;
    /// let event = parse(Provider::Extend, &[] as &[(&str, &str)], body).unwrap();
    /// assert_eq!(
    ///     event.head_text(),
    ///     "extend\0k1\0\01\0OrderCreated\0order\0OrderCreated\02\07\08"
    /// );
    /// ```
    pub fn head_text(&self) -> String {
        self.flat_head().unwrap_or_else(|| self.head_json())
    }

    fn flat_head(&self) -> Option<String> {
        fn put(out: &mut String, s: Option<&str>) -> Option<()> {
            match s {
                Some(s) if s.bytes().any(|b| b <= 1) => return None,
                Some(s) => out.push_str(s),
                None => out.push('\x01'),
            }
            out.push('\0');
            Some(())
        }
        let mut out = String::with_capacity(64 + 48 * self.resources.len());
        put(&mut out, Some(self.provider.id()))?;
        put(&mut out, self.idempotency_key.as_deref())?;
        let mut num = itoa::Buffer::new();
        put(&mut out, Some(self.timestamp.map_or("", |t| num.format(t))))?;
        put(&mut out, Some(num.format(self.event_types.len())))?;
        for t in &self.event_types {
            put(&mut out, Some(t))?;
        }
        let mut rest = &self.resources[..];
        while let Some(first) = rest.first() {
            let run = rest
                .iter()
                .take_while(|r| r.kind == first.kind && r.action == first.action)
                .count();
            put(&mut out, Some(&first.kind))?;
            put(&mut out, first.action.as_deref())?;
            put(&mut out, Some(num.format(run)))?;
            for r in &rest[..run] {
                put(&mut out, Some(&r.id))?;
            }
            rest = &rest[run..];
        }
        out.pop(); // the last separator
        Some(out)
    }

    fn head_json(&self) -> String {
        #[derive(Serialize)]
        struct Head<'a> {
            provider: Provider,
            idempotency_key: &'a Option<String>,
            event_types: &'a [String],
            resources: &'a [Resource],
            timestamp: Option<u64>,
        }
        // Strings, numbers and sequences only: serialising cannot fail.
        serde_json::to_string(&Head {
            provider: self.provider,
            idempotency_key: &self.idempotency_key,
            event_types: &self.event_types,
            resources: &self.resources,
            timestamp: self.timestamp,
        })
        .unwrap_or_default()
    }
}

/// A reference to a resource an event is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Resource {
    /// Resource type in the provider's spelling (`order`, `products`, `item`, `Product`...).
    /// Borrowed for a provider's documented vocabulary, so it costs no allocation.
    #[serde(rename = "type")]
    pub kind: Cow<'static, str>,
    /// Its id or code, as a string.
    pub id: SmallString,
    /// What happened to it, where the provider says.
    pub action: Option<Cow<'static, str>>,
}

impl Resource {
    pub(crate) fn new(
        kind: impl Into<Cow<'static, str>>,
        id: impl Into<SmallString>,
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
// The bindings' types mirror these models as serialised (bindings-node/index.d.cts
// `CentraDetail`..., bindings-python `_types.py`): CI type-checks them against every event the
// shared vectors parse to, so a changed field fails there until they are updated (a changed
// type only where some vector fills the field).
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
    /// Not built: the event came from [`parse_normalised`](crate::parse_normalised) or a
    /// verifier's `*_normalised` method. [`parse_raw`](crate::parse_raw) on the event's `raw`
    /// gives the full event.
    Omitted,
}

/// JSON kept as its text: checked to be valid, but no tree built (building one costs several
/// times the HMAC of a body). Serialises as the JSON itself; read it with
/// [`RawJson::get`] or deserialize it into your own type with [`RawJson::parse`].
#[derive(Clone)]
pub struct RawJson(Box<RawValue>);

impl RawJson {
    /// The JSON text, exactly as it appeared in the payload.
    pub fn get(&self) -> &str {
        self.0.get()
    }

    /// Deserializes the JSON (into a [`Value`] or your own type).
    pub fn parse<'a, T: serde::Deserialize<'a>>(&'a self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.0.get())
    }
}

impl From<Box<RawValue>> for RawJson {
    fn from(v: Box<RawValue>) -> Self {
        RawJson(v)
    }
}

impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.get())
    }
}

impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl Serialize for RawJson {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // serde_json's raw-value marker: JSON serializers copy the text verbatim, others
        // (the bindings' converters) see one string field under that marker name.
        self.0.serialize(s)
    }
}

/// A JSON object's members, values kept as text: the document is checked, only the few
/// top-level members a scheme reads are parsed further. A list, not a map: objects here have
/// a handful of members, and a `BTreeMap` of this type costs 25 KB of wasm code.
pub(crate) struct RawObject(Vec<(String, Box<RawValue>)>);

impl<'de> serde::Deserialize<'de> for RawObject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RawObject;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<RawObject, A::Error> {
                let mut out: Distinct<Box<RawValue>> = Distinct::new();
                while let Some((k, v)) = m.next_entry::<String, Box<RawValue>>()? {
                    // A repeated key: the last one wins, as in a map.
                    match out.position(&k) {
                        Some(i) => {
                            if let Some(slot) = out.value_mut(i) {
                                *slot = v;
                            }
                        }
                        None => out.push(k, v),
                    }
                }
                Ok(RawObject(out.into_items()))
            }
        }
        d.deserialize_map(V)
    }
}

impl RawObject {
    /// No members.
    pub(crate) fn new() -> Self {
        RawObject(Vec::new())
    }

    /// Removes the member spelled exactly `key`.
    pub(crate) fn remove(&mut self, key: &str) -> Option<Box<RawValue>> {
        let i = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(i).1)
    }

    /// Removes a member matched case-insensitively, exact spelling first.
    pub(crate) fn take_ci(&mut self, key: &str) -> Option<Box<RawValue>> {
        if let Some(v) = self.remove(key) {
            return Some(v);
        }
        // Among case variants, the first in key order, as a sorted map would give.
        let i = self
            .0
            .iter()
            .enumerate()
            .filter(|(_, (k, _))| k.eq_ignore_ascii_case(key))
            .min_by(|a, b| a.1 .0.cmp(&b.1 .0))?
            .0;
        Some(self.0.remove(i).1)
    }
}

/// Any JSON value, read and checked as a [`Value`] would be (strings, number ranges, depth),
/// but not kept: a normalised-only parse must refuse exactly what the full parse refuses
/// while building none of the provider model. (serde's `IgnoredAny` would not check that
/// numbers fit an `f64`.)
pub(crate) struct Skip;

impl<'de> serde::Deserialize<'de> for Skip {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SkipVisitor)
    }
}

/// [`Skip`]'s visitor, also for visitors that take some values and skip containers.
pub(crate) struct SkipVisitor;

impl<'de> serde::de::Visitor<'de> for SkipVisitor {
    type Value = Skip;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut s: A) -> Result<Skip, A::Error> {
        while s.next_element::<Skip>()?.is_some() {}
        Ok(Skip)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Skip, A::Error> {
        while m.next_key::<Skip>()?.is_some() {
            m.next_value::<Skip>()?;
        }
        Ok(Skip)
    }
}

/// A string, checked as a `String` would be, but not kept.
pub(crate) struct Text;

impl<'de> serde::Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Text, E> {
                Ok(Text)
            }
        }
        d.deserialize_str(V)
    }
}

/// A JSON value read as written. serde_json's own `Value`, with the `raw_value` feature this
/// crate needs, reads an object whose first key is `$serde_json::private::RawValue` as the
/// JSON text in that member's string (so `{"products": {that key: "[\"7\"]"}}` became a
/// product id), and refuses it when the member is not a string, which the parse that skips
/// members does not. Every value of a payload is read through this type instead.
pub(crate) struct PlainValue(pub(crate) Value);

impl<'de> serde::Deserialize<'de> for PlainValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{MapAccess, SeqAccess};
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = PlainValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<PlainValue, E> {
                Ok(PlainValue(Value::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<PlainValue, E> {
                Ok(PlainValue(Value::from(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<PlainValue, E> {
                Ok(PlainValue(Value::from(v)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<PlainValue, E> {
                // `Value::from(f64)`: null for what JSON cannot hold, as serde_json does.
                Ok(PlainValue(Value::from(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<PlainValue, E> {
                Ok(PlainValue(Value::String(String::from(v))))
            }
            fn visit_string<E>(self, v: String) -> Result<PlainValue, E> {
                Ok(PlainValue(Value::String(v)))
            }
            fn visit_unit<E>(self) -> Result<PlainValue, E> {
                Ok(PlainValue(Value::Null))
            }
            fn visit_none<E>(self) -> Result<PlainValue, E> {
                Ok(PlainValue(Value::Null))
            }
            fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<PlainValue, D::Error> {
                serde::Deserialize::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<PlainValue, A::Error> {
                let mut out = Vec::new();
                while let Some(PlainValue(v)) = a.next_element()? {
                    out.push(v);
                }
                Ok(PlainValue(Value::Array(out)))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<PlainValue, A::Error> {
                let mut out = Map::new();
                while let Some((k, PlainValue(v))) = m.next_entry::<String, PlainValue>()? {
                    out.insert(k, v);
                }
                Ok(PlainValue(Value::Object(out)))
            }
        }
        d.deserialize_any(V)
    }
}

/// The next map value: deserialized when the whole model is built (`FULL`), else checked and
/// dropped ([`Skip`]).
pub(crate) fn value_if<'de, const FULL: bool, T, A>(m: &mut A) -> Result<Option<T>, A::Error>
where
    T: serde::Deserialize<'de>,
    A: serde::de::MapAccess<'de>,
{
    if FULL {
        m.next_value().map(Some)
    } else {
        m.next_value::<Skip>().map(|_| None)
    }
}

/// The next map value as a [`Value`] (read as written, see [`PlainValue`]) when the whole
/// model is built, else checked and dropped.
pub(crate) fn json_if<'de, const FULL: bool, A>(m: &mut A) -> Result<Option<Value>, A::Error>
where
    A: serde::de::MapAccess<'de>,
{
    Ok(value_if::<FULL, PlainValue, A>(m)?.map(|PlainValue(v)| v))
}

/// Deserializes JSON text that is already known to be UTF-8. Natively through `from_str`,
/// which skips checking each string's UTF-8 again (the Centra and Extend parsers are timed
/// against a 5 us budget); in the wasm build through `from_slice` like every other parse
/// here, since each reader type is another copy of parser code there (1.5 KB after wasm-opt).
pub(crate) fn from_text<'a, T: serde::Deserialize<'a>>(text: &'a str) -> serde_json::Result<T> {
    #[cfg(not(target_arch = "wasm32"))]
    return serde_json::from_str(text);
    #[cfg(target_arch = "wasm32")]
    return serde_json::from_slice(text.as_bytes());
}

/// Parses a JSON object into [`RawObject`]. (Everything here reads bytes, not `str`: each
/// reader type is another copy of the parser in the wasm build.)
pub(crate) fn raw_object(json: &[u8], what: &str) -> Result<RawObject, Error> {
    serde_json::from_slice(json).map_err(|e| {
        if e.is_data() {
            Error::payload(alloc::format!("{what} is not a JSON object"))
        } else {
            json_error(&e)
        }
    })
}

/// A member's raw text as a value. Raw text accepts what a `Value` cannot hold (a number
/// beyond the range of a double, a `\u` escape of a lone surrogate, nesting past
/// serde_json's depth limit): an error, as when the whole body is read as a `Value`, rather
/// than a member silently dropped.
pub(crate) fn raw_value(v: &RawValue) -> Result<Value, Error> {
    from_text(v.get()).map(|PlainValue(v)| v).map_err(|_| {
        Error::payload(
            "a JSON member holds a number beyond the range of a double, a \\u escape of a lone \
             surrogate (no character), or nests deeper than 128 levels",
        )
    })
}

/// Takes a member (case-insensitively) as text: strings, numbers and booleans; `None` for
/// null and anything else.
pub(crate) fn take_raw_string(m: &mut RawObject, key: &str) -> Result<Option<String>, Error> {
    match m.take_ci(key) {
        Some(v) => Ok(scalar_string(&raw_value(&v)?)),
        None => Ok(None),
    }
}

/// The remaining members as values (for `extra`, usually empty).
pub(crate) fn raw_to_map(m: RawObject) -> Result<Map<String, Value>, Error> {
    // Inserts rather than `collect`: collecting into a map sorts first, and the sort is
    // more wasm code than this whole module.
    let mut out = Map::new();
    for (k, v) in m.0 {
        out.insert(k, raw_value(&v)?);
    }
    Ok(out)
}

/// Parses JSON, reporting where it broke but never echoing the body.
pub(crate) fn parse_json(bytes: &[u8]) -> Result<Value, Error> {
    serde_json::from_slice(bytes)
        .map(|PlainValue(v)| v)
        .map_err(|e| json_error(&e))
}

/// A JSON syntax error, located but without any of the body's text.
pub(crate) fn json_error(e: &serde_json::Error) -> Error {
    Error::payload(alloc::format!(
        "the payload is not valid JSON ({:?} error at line {}, column {}): pass the raw request \
         body (one that verified was sent so: `verify` alone accepts it)",
        e.classify(),
        e.line(),
        e.column()
    ))
}

/// A string, number or boolean as text; `None` for null and anything else.
pub(crate) fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Distinct names in first-seen order (event types, object keys), each with a value. A
/// linear search while there are few, the usual case; past [`Distinct::LINEAR`] an index
/// as well, so that a body with many distinct names costs O(n log n) rather than O(n²).
pub(crate) struct Distinct<T> {
    items: Vec<(String, T)>,
    /// Name → position. The JSON map type, whose code every build already has: a map type of
    /// its own cost 4 KB in the size-budgeted wasm module.
    index: Option<Map<String, Value>>,
}

impl<T> Distinct<T> {
    const LINEAR: usize = 16;

    pub(crate) fn new() -> Self {
        Distinct {
            items: Vec::new(),
            index: None,
        }
    }

    /// Where `name` is.
    pub(crate) fn position(&self, name: &str) -> Option<usize> {
        match &self.index {
            None => self.items.iter().position(|(k, _)| k == name),
            Some(index) => index
                .get(name)
                .and_then(Value::as_u64)
                .and_then(|i| usize::try_from(i).ok()),
        }
    }

    /// The value at a position [`Distinct::position`] gave.
    pub(crate) fn value_mut(&mut self, i: usize) -> Option<&mut T> {
        self.items.get_mut(i).map(|(_, v)| v)
    }

    /// Adds a name that is not there yet.
    pub(crate) fn push(&mut self, name: String, value: T) {
        let i = self.items.len();
        if let Some(index) = &mut self.index {
            index.insert(name.clone(), Value::from(i));
        } else if i >= Self::LINEAR {
            // Inserts rather than `collect`, which sorts first: more wasm code (see `raw_to_map`).
            let mut index = Map::new();
            for (j, (k, _)) in self.items.iter().enumerate() {
                index.insert(k.clone(), Value::from(j));
            }
            index.insert(name.clone(), Value::from(i));
            self.index = Some(index);
        }
        self.items.push((name, value));
    }

    /// The names and values, in first-seen order.
    pub(crate) fn into_items(self) -> Vec<(String, T)> {
        self.items
    }
}

impl Distinct<()> {
    /// Adds the name unless it is there: found by `matches` while the search is linear (so
    /// the name is built only when new), by `name()` once indexed.
    pub(crate) fn add(&mut self, matches: impl Fn(&str) -> bool, name: impl Fn() -> String) {
        let new = match &self.index {
            None => (!self.items.iter().any(|(k, ())| matches(k))).then(&name),
            Some(index) => Some(name()).filter(|n| index.get(n).is_none()),
        };
        if let Some(n) = new {
            self.push(n, ());
        }
    }

    /// The names, in first-seen order.
    pub(crate) fn into_names(self) -> Vec<String> {
        self.items.into_iter().map(|(k, ())| k).collect()
    }
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

/// The hint for a JSON body that does not verify, unless a CR follows its opening bracket: a
/// body indented with CRLF line ends, as Extend's ASP.NET stack sends it, which the usual
/// re-serialisers (`JSON.stringify`, `json.dumps`) never write. Only those two bytes are read,
/// so the wasm binding's WebCrypto path can take them at the call and copy in nothing more.
pub(crate) fn reserialised_hint(body: &[u8]) -> Option<crate::Hint> {
    match body.trim_ascii_start() {
        [b'{' | b'[', b'\r', ..] => None,
        [b'{' | b'[', ..] => Some(crate::Hint::BodyReserialised),
        _ => None,
    }
}

/// The last segment of a dotted or underscored event name (`record.created` → `created`).
pub(crate) fn action_of(event: &str) -> Option<&str> {
    event
        .rsplit(['.', '_'])
        .next()
        .filter(|a| !a.is_empty() && a.len() < event.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::headers::Headers;

    fn detail(provider: Provider, body: &str) -> Detail {
        let h: &[(&str, &str)] = &[];
        let e = match provider {
            Provider::StandardWebhooks => standard::parse(Headers::new(&h), body.as_bytes()),
            _ => centrali::parse(Headers::new(&h), body.as_bytes(), None),
        };
        e.unwrap().detail
    }

    /// With serde_json's `raw_value` feature, its `Value` reads an object whose first key is
    /// this token as the JSON text held in the member. Payloads are read as written.
    #[test]
    fn the_raw_value_token_is_an_ordinary_key() {
        let token = "$serde_json::private::RawValue";
        let inner = alloc::format!(r#"{{"{token}":"[\"7\"]"}}"#);
        let h: &[(&str, &str)] = &[];
        let bodies = [
            (
                Provider::Centra,
                alloc::format!(r#"{{"products":{inner}}}"#),
            ),
            (
                Provider::Centra,
                alloc::format!(
                    r#"{{"events":[{{"type":"order","action":"create","id":1,"x":{inner}}}]}}"#
                ),
            ),
            (
                Provider::Extend,
                alloc::format!(r#"{{"Id":"1","Notifications":[],"x":{inner}}}"#),
            ),
            // Inside a notification's Details: a numeric member, `Row` and an unknown one.
            (
                Provider::Extend,
                alloc::format!(
                    r#"{{"Id":"1","Notifications":[{{"Action":"BalanceChanged","Details":{{"ProductNumber":"2","Balance":{inner},"x":{inner}}}}}]}}"#
                ),
            ),
            (
                Provider::Extend,
                alloc::format!(
                    r#"{{"Id":"1","Notifications":[{{"Action":"PickingStarted","Details":{{"Order":{{"OrderNumber":"9","Row":{inner}}}}}}}]}}"#
                ),
            ),
            (
                Provider::Orisha,
                alloc::format!(r#"{{"ItemCode":"A","x":{inner}}}"#),
            ),
            (
                Provider::ShopCtrl,
                alloc::format!(r#"{{"entityData":{{"x":{inner}}}}}"#),
            ),
            (
                Provider::Centrali,
                alloc::format!(r#"{{"event":"e","x":{inner}}}"#),
            ),
            (
                Provider::StandardWebhooks,
                alloc::format!(r#"{{"type":"t","x":{inner}}}"#),
            ),
        ];
        for (provider, body) in &bodies {
            let e = crate::parse(*provider, h, body.as_bytes()).unwrap();
            let detail = serde_json::to_string(&e.detail).unwrap();
            assert!(detail.contains(token), "{provider:?}: {detail}");
            assert!(e.resources.iter().all(|r| r.id != "7"), "{provider:?}");
        }
        // The model-building parse and the normalised one refuse the same bodies alike.
        for (provider, body) in [
            (
                Provider::Centra,
                alloc::format!(r#"{{"events":[{{"x":{{"{token}":[0]}}}}], "y": nope}}"#),
            ),
            (
                Provider::Centra,
                alloc::format!(r#"{{"products":["1"],"x":{{"{token}":0}}}}"#),
            ),
            (
                Provider::Extend,
                alloc::format!(
                    r#"{{"Id":"k","Notifications":[{{"Action":"BalanceChanged","Details":{{"Balance":{{"{token}":0}}}}}}]}}"#
                ),
            ),
        ] {
            let full = crate::parse(provider, h, body.as_bytes()).map(|_| ());
            let normalised = crate::parse_normalised(provider, h, body.as_bytes());
            assert_eq!(full, normalised.map(|_| ()), "{body}");
        }
    }

    #[test]
    fn raw_members_stay_as_sent() {
        let body =
            r#"{"Type":"a.b","data": {"z":1, "a":[1.50,"\u00e9"]},"type":"x.y","n":2,"n":3}"#;
        let Detail::StandardWebhooks(e) = detail(Provider::StandardWebhooks, body) else {
            panic!("not a Standard Webhooks detail")
        };
        // Exact spelling wins over a case variant, which stays among the other members; a
        // repeated key keeps its last value; `data` is the text as sent.
        assert_eq!(e.kind.as_deref(), Some("x.y"));
        assert_eq!(
            e.data.as_ref().map(RawJson::get),
            Some(r#"{"z":1, "a":[1.50,"\u00e9"]}"#)
        );
        assert_eq!(e.extra.get("Type"), Some(&Value::from("a.b")));
        assert_eq!(e.extra.get("n"), Some(&Value::from(3)));
        let v: Value = e.data.as_ref().unwrap().parse().unwrap();
        assert_eq!(v["a"][1], "é");
        assert_eq!(
            serde_json::to_string(&e.data).unwrap(),
            r#"{"z":1, "a":[1.50,"\u00e9"]}"#
        );

        let body = r#"{"event":"record.created","data":{"structure":"orders","recordId":"r1","record":{"b":2,"a":1},"more":true}}"#;
        let Detail::Centrali(e) = detail(Provider::Centrali, body) else {
            panic!("not a Centrali detail")
        };
        assert_eq!(
            e.record.as_ref().map(RawJson::get),
            Some(r#"{"b":2,"a":1}"#)
        );
        assert_eq!(e.record_id.as_deref(), Some("r1"));
        assert_eq!(e.data.get("more"), Some(&Value::Bool(true)));

        // `data` that is not an object is kept among the other members.
        let Detail::Centrali(e) = detail(Provider::Centrali, r#"{"event":"x","data":[1]}"#) else {
            panic!("not a Centrali detail")
        };
        assert_eq!(e.extra.get("data"), Some(&serde_json::json!([1])));
        assert!(e.record.is_none());
    }

    #[test]
    fn raw_object_errors() {
        for (body, code) in [("[1]", "not a JSON object"), ("{\"a\":", "not valid JSON")] {
            let h: &[(&str, &str)] = &[];
            let e = standard::parse(Headers::new(&h), body.as_bytes()).unwrap_err();
            assert_eq!(e.code(), "invalid_payload");
            assert!(alloc::format!("{e}").contains(code), "{e}");
        }
    }

    #[test]
    fn a_member_no_value_can_hold_is_an_error_not_dropped() {
        let h: &[(&str, &str)] = &[];
        for body in [r#"{"type":"x","k":1e400}"#, r#"{"type":1e400}"#] {
            let e = standard::parse(Headers::new(&h), body.as_bytes()).unwrap_err();
            assert_eq!(e.code(), "invalid_payload", "{body}");
        }
        for body in [
            r#"{"type":"x","k":1e400}"#,
            r#"{"type":1e400}"#,
            r#"{"event":"x","data":{"recordId":1e400}}"#,
            r#"{"event":"x","data":{"other":1e400}}"#,
        ] {
            let e = centrali::parse(Headers::new(&h), body.as_bytes(), None).unwrap_err();
            assert_eq!(e.code(), "invalid_payload", "{body}");
        }
        // Standard Webhooks' `data` is kept as raw text, so it holds anything JSON can spell.
        let body = br#"{"type":"x","data":{"n":1e400}}"#;
        assert!(standard::parse(Headers::new(&h), body).is_ok());
    }

    #[test]
    fn many_keys_keep_first_seen_order_and_last_value() {
        // Past the linear search: the indexed path must behave the same.
        let mut body = String::from("{");
        for i in 0..40 {
            body.push_str(&alloc::format!("\"k{i}\":{i},"));
        }
        body.push_str(r#""k3":"again","k39":"last","type":"t"}"#);
        let Detail::StandardWebhooks(e) = detail(Provider::StandardWebhooks, &body) else {
            panic!("not a Standard Webhooks detail")
        };
        assert_eq!(e.extra.len(), 40);
        assert_eq!(e.extra.get("k3"), Some(&Value::from("again")));
        assert_eq!(e.extra.get("k39"), Some(&Value::from("last")));
        assert_eq!(e.extra.get("k20"), Some(&Value::from(20)));
        let mut d = Distinct::new();
        for name in ["a", "b", "a"].iter().chain(&["c"; 3]).cycle().take(200) {
            d.add(|x| x == *name, || name.to_string());
        }
        for i in 0..30 {
            let n = alloc::format!("t{}", i % 20);
            d.add(|x| x == n, || n.clone());
        }
        let names = d.into_names();
        assert_eq!(names.len(), 23);
        assert_eq!(&names[..4], ["a", "b", "c", "t0"]);
        assert_eq!(names[22], "t19");
    }

    #[test]
    fn timestamp_headers_are_seconds_when_parsing_alone() {
        let h: &[(&str, &str)] = &[("webhook-timestamp", "1763900000000")];
        let e = standard::parse(Headers::new(&h), br#"{"type":"x"}"#).unwrap();
        assert_eq!(e.timestamp, None);
        // A 6.1 request (its headers say so): legacy ones carry no timestamp header.
        let h: &[(&str, &str)] = &[("webhook-id", "m"), ("webhook-timestamp", "1763900000")];
        let e = centrali::parse(Headers::new(&h), br#"{"event":"x"}"#, None).unwrap();
        assert_eq!(e.timestamp, Some(1_763_900_000));
    }
}
