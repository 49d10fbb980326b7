//! Centra Webhook plugin: `X-Centra-Signature: t=<unix>,v1=<hex>` over `t.` ‖ the raw form body.

use alloc::borrow::Cow;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use serde::Serialize;
use serde_json::{Map, Value};

use super::{MAX_CANDIDATES, TOO_MANY_CANDIDATES};
use crate::encoding::{check_timestamp, form_field, hex_tag, php_urlencode, unix_seconds};
use crate::event::{self, Detail, Event, Resource, SmallString};
use crate::headers::Headers;
use crate::sign::{SignOptions, SignedRequest};
use crate::verifier::{Candidates, MacCheck, MacPrefix, Prepared, Verifier};
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
    pub(crate) candidates: Candidates,
}

/// Parses `t=...,v1=...[,v1=...]`, tolerating spaces and unknown keys.
pub(crate) fn parse_header(value: &str) -> Result<SignatureHeader<'_>, Error> {
    let mut t_text = None;
    let mut candidates = Candidates::new();
    let mut v1s = 0usize;
    // ASCII trimming: HTTP's optional white space is spaces and tabs, and the Unicode-aware
    // `trim` costs more than the rest of this function on a typical header.
    for part in value
        .split(',')
        .map(str::trim_ascii)
        .filter(|p| !p.is_empty())
    {
        let (k, v) = part.split_once('=').ok_or(Error::malformed(
            SIGNATURE_HEADER,
            "expected comma-separated key=value pairs like `t=1700000000,v1=<hex>`",
        ))?;
        match k.trim_ascii() {
            "t" if t_text.is_some() => {
                return Err(Error::malformed(SIGNATURE_HEADER, "`t` appears twice"))
            }
            "t" => t_text = Some(v.trim_ascii()),
            "v1" => {
                // Every `v1` counts, decodable or not, so a header cannot carry endless ones.
                v1s += 1;
                if v1s > MAX_CANDIDATES {
                    return Err(Error::malformed(SIGNATURE_HEADER, TOO_MANY_CANDIDATES));
                }
                if let Some(tag) = hex_tag(v.trim_ascii(), 32) {
                    candidates.push(tag);
                }
            }
            _ => {}
        }
    }
    let t_text = t_text.ok_or(Error::malformed(SIGNATURE_HEADER, "no `t=` timestamp"))?;
    if v1s == 0 {
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

/// Just the `t=` of a signature header (parsing does not need the signatures decoded).
fn header_timestamp(value: &str) -> Option<u64> {
    let t = value
        .split(',')
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| k.trim_ascii() == "t")?
        .1;
    unix_seconds(t.trim_ascii(), SIGNATURE_HEADER).ok()
}

pub(crate) fn verify(
    v: &Verifier,
    h: Headers<'_>,
    body: &[u8],
    now: u64,
) -> Result<Prepared, Error> {
    let sig = parse_header(h.required(SIGNATURE_HEADER)?)?;
    check_timestamp(sig.t, now, v.tolerance())?;
    let mut prefix = MacPrefix::new();
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
#[non_exhaustive]
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
#[non_exhaustive]
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
#[non_exhaustive]
pub struct IntegrationEvent {
    /// `order`, `shipment`, `customer`, `account`, `return`, ... (documented values are
    /// borrowed, others owned).
    #[serde(rename = "type")]
    pub kind: Cow<'static, str>,
    /// `create`, `update`, `good_to_go`, ...
    pub action: Cow<'static, str>,
    /// `YYYY-MM-DD HH:MM:SS.ffffff`, no zone, as sent.
    pub date: Option<SmallString>,
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

/// Integration API event types and actions seen in Centra's documentation, as `match`es:
/// literal arms compile to inline compares, where a table search calls `memcmp` per entry.
fn known_type(s: &str) -> Option<&'static str> {
    Some(match s {
        "order" => "order",
        "shipment" => "shipment",
        "customer" => "customer",
        "account" => "account",
        "return" => "return",
        "check_first" => "check_first",
        "allocation_request" => "allocation_request",
        _ => return None,
    })
}

fn known_action(s: &str) -> Option<&'static str> {
    Some(match s {
        "create" => "create",
        "update" => "update",
        "good_to_go" => "good_to_go",
        "insert" => "insert",
        "rejected" => "rejected",
        "accepted" => "accepted",
        "timeout" => "timeout",
        _ => return None,
    })
}

/// Deserialises the payload straight into the typed model: building a `Value` tree first
/// costs several times the HMAC of the body. Unknown members are kept as `Value`.
mod de {
    use alloc::collections::BTreeMap;
    use alloc::string::String;
    use alloc::vec::Vec;
    use core::fmt;

    use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
    use serde_json::{Map, Value};

    use alloc::borrow::Cow;

    use super::{Api, IntegrationEvent, Payload};
    use crate::event::{json_if, PlainValue, SmallString, Text};

    /// A map key: borrowed when the JSON has no escapes, so known keys cost no allocation.
    struct Key(KeyText);
    enum KeyText {
        Events,
        Type,
        Action,
        Date,
        Id,
        Data,
        Other(String),
    }

    impl<'de> de::Deserialize<'de> for Key {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl Visitor<'_> for V {
                type Value = Key;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a key")
                }
                fn visit_str<E: de::Error>(self, s: &str) -> Result<Key, E> {
                    Ok(Key(match s {
                        "events" => KeyText::Events,
                        "type" => KeyText::Type,
                        "action" => KeyText::Action,
                        "date" => KeyText::Date,
                        "id" => KeyText::Id,
                        "data" => KeyText::Data,
                        other => KeyText::Other(String::from(other)),
                    }))
                }
            }
            d.deserialize_str(V)
        }
    }

    impl KeyText {
        fn name(self) -> String {
            String::from(match self {
                KeyText::Events => "events",
                KeyText::Type => "type",
                KeyText::Action => "action",
                KeyText::Date => "date",
                KeyText::Id => "id",
                KeyText::Data => "data",
                KeyText::Other(s) => return s,
            })
        }
    }

    /// An id: an unsigned integer, or a string of digits.
    struct Id(Option<u64>);
    impl<'de> de::Deserialize<'de> for Id {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl Visitor<'_> for V {
                type Value = Id;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("an integer id")
                }
                fn visit_u64<E: de::Error>(self, v: u64) -> Result<Id, E> {
                    Ok(Id(Some(v)))
                }
                fn visit_i64<E: de::Error>(self, v: i64) -> Result<Id, E> {
                    Ok(Id(u64::try_from(v).ok()))
                }
                fn visit_f64<E: de::Error>(self, _: f64) -> Result<Id, E> {
                    Ok(Id(None))
                }
                fn visit_str<E: de::Error>(self, v: &str) -> Result<Id, E> {
                    Ok(Id(v.parse().ok()))
                }
                fn visit_unit<E: de::Error>(self) -> Result<Id, E> {
                    Ok(Id(None))
                }
            }
            d.deserialize_any(V)
        }
    }

    /// A string from a known vocabulary, borrowed from the table when it matches.
    struct Interned(Cow<'static, str>);
    struct InternSeed(fn(&str) -> Option<&'static str>);
    impl<'de> de::DeserializeSeed<'de> for InternSeed {
        type Value = Interned;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Interned, D::Error> {
            struct V(fn(&str) -> Option<&'static str>);
            impl Visitor<'_> for V {
                type Value = Interned;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a string")
                }
                fn visit_str<E: de::Error>(self, s: &str) -> Result<Interned, E> {
                    let v = match (self.0)(s) {
                        Some(k) => Cow::Borrowed(k),
                        None => Cow::Owned(String::from(s)),
                    };
                    Ok(Interned(v))
                }
            }
            d.deserialize_str(V(self.0))
        }
    }

    /// A scalar as text (`"1"` or `1`), for ID lists.
    fn scalar(v: Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(alloc::format!("{n}")),
            _ => None,
        }
    }

    /// Deserialises one event and pushes it in place: returning it through
    /// `next_element` would copy the whole event twice more.
    /// Without `FULL`, only `type`, `action` and `id` are kept (the rest is checked).
    struct PushEvent<'a, const FULL: bool>(&'a mut Vec<IntegrationEvent>);
    impl<'de, const FULL: bool> de::DeserializeSeed<'de> for PushEvent<'_, FULL> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            struct V<'a, const FULL: bool>(&'a mut Vec<IntegrationEvent>);
            impl<'de, const FULL: bool> Visitor<'de> for V<'_, FULL> {
                type Value = ();
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("an Integration API event object")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<(), A::Error> {
                    let (mut kind, mut action, mut date, mut id, mut data) =
                        (None, None, None, None, None);
                    let mut extra = Map::new();
                    while let Some(Key(k)) = m.next_key()? {
                        match k {
                            KeyText::Type => {
                                kind = Some(m.next_value_seed(InternSeed(super::known_type))?.0)
                            }
                            KeyText::Action => {
                                action = Some(m.next_value_seed(InternSeed(super::known_action))?.0)
                            }
                            // Typed (a string or null) in both modes: only its value is
                            // dropped without `FULL`.
                            KeyText::Date if FULL => {
                                date = m.next_value::<Option<SmallString>>()?
                            }
                            KeyText::Date => {
                                m.next_value::<Option<Text>>()?;
                            }
                            KeyText::Id => id = m.next_value::<Id>()?.0,
                            KeyText::Data => data = json_if::<FULL, A>(&mut m)?,
                            other => {
                                if let Some(v) = json_if::<FULL, A>(&mut m)? {
                                    extra.insert(other.name(), v);
                                }
                            }
                        }
                    }
                    let missing = |f| {
                        de::Error::custom(alloc::format!("an Integration API event has no {f}"))
                    };
                    self.0.push(IntegrationEvent {
                        kind: kind.ok_or_else(|| missing("`type`"))?,
                        action: action.ok_or_else(|| missing("`action`"))?,
                        date,
                        id: id.ok_or_else(|| missing("integer `id`"))?,
                        data,
                        extra,
                    });
                    Ok(())
                }
            }
            d.deserialize_map(V::<FULL>(self.0))
        }
    }

    /// The `events` member: Integration API event objects, or, where an installation named
    /// a Checkout/Storefront field `events`, an ID list (field names are configurable).
    struct Events<const FULL: bool> {
        events: Vec<IntegrationEvent>,
        ids: Vec<String>,
    }
    impl<'de, const FULL: bool> de::Deserialize<'de> for Events<FULL> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V<const FULL: bool>;
            impl<'de, const FULL: bool> Visitor<'de> for V<FULL> {
                type Value = Events<FULL>;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("an array of events")
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Events<FULL>, A::Error> {
                    // JSON gives no length: start past the small sizes, whose regrowth copies
                    // cost more than the spare capacity.
                    let mut out = Events {
                        events: Vec::with_capacity(s.size_hint().unwrap_or(8).min(1024)),
                        ids: Vec::new(),
                    };
                    while s.next_element_seed(Element::<FULL>(&mut out))?.is_some() {}
                    if !out.events.is_empty() && !out.ids.is_empty() {
                        return Err(de::Error::custom(
                            "an Integration API event list mixes events and ids",
                        ));
                    }
                    Ok(out)
                }
            }
            d.deserialize_seq(V::<FULL>)
        }
    }

    /// One member of `events`: an event object, pushed in place, or an id.
    struct Element<'a, const FULL: bool>(&'a mut Events<FULL>);
    impl<'de, const FULL: bool> de::DeserializeSeed<'de> for Element<'_, FULL> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            struct V<'a, const FULL: bool>(&'a mut Events<FULL>);
            impl<'de, const FULL: bool> Visitor<'de> for V<'_, FULL> {
                type Value = ();
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("an Integration API event object, or an id")
                }
                fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<(), A::Error> {
                    de::DeserializeSeed::deserialize(
                        PushEvent::<FULL>(&mut self.0.events),
                        de::value::MapAccessDeserializer::new(m),
                    )
                }
                fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
                    self.0.ids.push(String::from(v));
                    Ok(())
                }
                fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
                    self.0.ids.extend(scalar(Value::from(v)));
                    Ok(())
                }
                fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
                    self.0.ids.extend(scalar(Value::from(v)));
                    Ok(())
                }
                fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
                    self.0.ids.extend(scalar(Value::from(v)));
                    Ok(())
                }
            }
            d.deserialize_any(V::<FULL>(self.0))
        }
    }

    /// The payload; without `FULL`, events keep only what the normalised fields need
    /// (top-level members are read in full either way: ID lists are resources).
    pub(super) struct PayloadDe<const FULL: bool>(pub(super) Payload);
    impl<'de, const FULL: bool> de::Deserialize<'de> for PayloadDe<FULL> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V<const FULL: bool>;
            impl<'de, const FULL: bool> Visitor<'de> for V<FULL> {
                type Value = PayloadDe<FULL>;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a Centra payload object")
                }
                fn visit_map<A: MapAccess<'de>>(
                    self,
                    mut m: A,
                ) -> Result<PayloadDe<FULL>, A::Error> {
                    let mut p = Payload {
                        api: Api::Checkout,
                        ids: BTreeMap::new(),
                        events: Vec::new(),
                        extra: Map::new(),
                    };
                    let (mut integration, mut empty_events) = (false, false);
                    while let Some(Key(k)) = m.next_key()? {
                        if let KeyText::Events = k {
                            let events = m.next_value::<Events<FULL>>()?;
                            if !events.events.is_empty() {
                                p.events = events.events;
                                integration = true;
                            } else if !events.ids.is_empty() {
                                p.ids.insert(String::from("events"), events.ids);
                            } else {
                                empty_events = true;
                            }
                            continue;
                        }
                        let name = k.name();
                        match m.next_value::<PlainValue>()?.0 {
                            Value::Array(items)
                                if items
                                    .iter()
                                    .all(|i| matches!(i, Value::String(_) | Value::Number(_))) =>
                            {
                                p.ids
                                    .insert(name, items.into_iter().filter_map(scalar).collect());
                            }
                            other => {
                                p.extra.insert(name, other);
                            }
                        }
                    }
                    // An empty `events` fits either format: ids in other lists make it
                    // Checkout's (kept beside a repeated `events` that held ids).
                    if empty_events && !integration {
                        if p.ids.values().any(|ids| !ids.is_empty()) {
                            p.ids.entry(String::from("events")).or_default();
                        } else {
                            integration = true;
                        }
                    }
                    if integration {
                        p.api = Api::Integration;
                        // ID lists only exist in the Checkout/Storefront formats.
                        for (k, ids) in core::mem::take(&mut p.ids) {
                            p.extra.insert(
                                k,
                                Value::Array(ids.into_iter().map(Value::String).collect()),
                            );
                        }
                    } else if p
                        .ids
                        .keys()
                        .chain(p.extra.keys())
                        .any(|k| k.starts_with(|c: char| c.is_ascii_uppercase()))
                    {
                        p.api = Api::Storefront;
                    }
                    Ok(PayloadDe(p))
                }
            }
            d.deserialize_map(V::<FULL>)
        }
    }
}

/// Parses a Centra body: the `payload` form field (`+` is a space), or bare JSON. Without
/// `FULL`, `detail` is [`Detail::Omitted`] and only the normalised fields are built.
pub(crate) fn parse<const FULL: bool>(h: Headers<'_>, body: &[u8]) -> Result<Event, Error> {
    // Bare JSON first: a form body never starts with `{` (PHP encodes it as `%7B`), and JSON
    // read as a form breaks on any `%` or `&` in its strings.
    let json = if event::looks_like_json(body) {
        body.to_vec()
    } else {
        form_field(body, PAYLOAD_FIELD.as_bytes())?
            .ok_or_else(|| Error::payload("the form body has no `payload` field"))?
    };
    // Validate UTF-8 once, then parse the text (serde_json skips re-validating a `str`).
    let raw = String::from_utf8(json).map_err(|_| Error::payload("the payload is not UTF-8"))?;
    parse_json::<FULL>(h, raw)
}

/// Parses the payload's JSON text (an event's `raw`), without the form around it.
pub(crate) fn parse_json<const FULL: bool>(h: Headers<'_>, raw: String) -> Result<Event, Error> {
    // A repeated header is refused as verifying refuses it: parsing may run alone.
    let signature = h.one(SIGNATURE_HEADER)?;
    let de::PayloadDe(payload) = event::from_text::<de::PayloadDe<FULL>>(&raw).map_err(|e| {
        let text = alloc::format!("{e}");
        if !e.is_data() {
            event::json_error(&e)
        } else if text.starts_with("an Integration API event") {
            Error::payload(text)
        } else {
            // serde's type errors quote the offending value: say where, not what.
            Error::payload(alloc::format!(
                "the JSON is not a Centra payload (unexpected type at line {}, column {})",
                e.line(),
                e.column()
            ))
        }
    })?;

    let mut types = event::Distinct::new();
    let id_count: usize = payload.ids.values().map(Vec::len).sum();
    let mut resources = Vec::with_capacity(payload.events.len() + id_count);
    for e in &payload.events {
        // `type.action`, formatted only the first time it is seen (while there are few).
        types.add(
            |t| {
                t.strip_prefix(&*e.kind)
                    .and_then(|r| r.strip_prefix('.'))
                    .is_some_and(|a| a == e.action.as_ref())
            },
            || alloc::format!("{}.{}", e.kind, e.action),
        );
        resources.push(Resource::new(
            e.kind.clone(),
            SmallString::from(itoa::Buffer::new().format(e.id)),
            Some(e.action.clone()),
        ));
    }
    let mut event_types = types.into_names();
    for (k, ids) in &payload.ids {
        event_types.push(k.clone());
        resources.extend(
            ids.iter()
                .map(|id| Resource::new(k.clone(), id.as_str(), None)),
        );
    }
    let timestamp = signature.and_then(header_timestamp);
    Ok(Event {
        provider: Provider::Centra,
        idempotency_key: None,
        event_types,
        resources,
        timestamp,
        raw,
        detail: if FULL {
            Detail::Centra(payload)
        } else {
            Detail::Omitted
        },
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

#[cfg(test)]
mod tests {
    use crate::{Config, Provider, SignOptions};

    #[test]
    fn raw_parses_again_to_the_same_event() {
        // `&payload=` inside the JSON must not be taken for a form field when `raw` is parsed.
        let json = br#"{"events":[{"type":"order","action":"update","id":1,"data":{"note":"a&payload=b"}}]}"#;
        let v = Config::new(Provider::Centra).secret("s").build().unwrap();
        let req = v.sign(json, &SignOptions::at(10)).unwrap();
        let (_, event) = v.verify_and_parse(&req.headers, &req.body, 10).unwrap();
        assert_eq!(event.raw.as_bytes(), json);
        let again = crate::parse_raw(Provider::Centra, &req.headers, &event.raw).unwrap();
        assert_eq!(again, event);
    }

    #[test]
    fn event_types_are_distinct_in_first_seen_order_past_the_linear_search() {
        let events: alloc::vec::Vec<alloc::string::String> = (0..60)
            .map(|i| alloc::format!(r#"{{"type":"t{}","action":"a","id":{i}}}"#, i % 25))
            .collect();
        let json = alloc::format!(r#"{{"events":[{}]}}"#, events.join(","));
        let h: &[(&str, &str)] = &[];
        let event = crate::parse(Provider::Centra, h, json.as_bytes()).unwrap();
        let expected: alloc::vec::Vec<_> = (0..25).map(|i| alloc::format!("t{i}.a")).collect();
        assert_eq!(event.event_types, expected);
        assert_eq!(event.resources.len(), 60);
    }

    #[test]
    fn a_payload_field_sent_twice_is_refused() {
        let h: &[(&str, &str)] = &[];
        let body = b"payload=%7B%7D&payload=%7B%22events%22%3A%5B%5D%7D";
        let e = crate::parse(Provider::Centra, h, body).unwrap_err();
        assert_eq!(e.code(), "invalid_payload");
    }
}
