//! Extend Commerce: `ms-signature: sha256=<HEX>` over the raw body (the ASP.NET WebHooks
//! sender), with `?echo=` answered on registration.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use serde::Serialize;
use serde_json::{Map, Number, Value};

use crate::encoding::{form_field, hex_tag, hex_upper};
use crate::event::{self, Detail, Event, Resource};
use crate::headers::Headers;
use crate::sign::{SignOptions, SignedRequest};
use crate::verifier::{MacCheck, MacPrefix, Prepared, Verifier};
use crate::{Error, Hint, Provider};

/// The signature header.
pub const SIGNATURE_HEADER: &str = "ms-signature";
/// Its prefix (matched case-insensitively).
pub const PREFIX: &str = "sha256=";
/// The registration query parameter.
pub const ECHO_PARAM: &str = "echo";

pub(crate) fn verify(
    v: &Verifier,
    h: Headers<'_>,
    body: &[u8],
    _now: u64,
) -> Result<Prepared, Error> {
    let value = h.required(SIGNATURE_HEADER)?;
    let hex = value
        .get(..PREFIX.len())
        .filter(|p| p.eq_ignore_ascii_case(PREFIX))
        .and_then(|_| value.get(PREFIX.len()..))
        .ok_or(Error::malformed(
            SIGNATURE_HEADER,
            "expected `sha256=<hex>`",
        ))?;
    let tag = hex_tag(hex.trim(), 32).ok_or(Error::encoding(
        SIGNATURE_HEADER,
        "expected 64 hexadecimal digits (an HMAC-SHA256)",
    ))?;
    Ok(Prepared {
        timestamp: None,
        credential: None,
        mac: Some(MacCheck {
            keys: 0..v.mac_keys().len(),
            prefix: MacPrefix::new(),
            candidates: smallvec::smallvec![tag],
        }),
        hint: event::looks_like_json(body).then_some(Hint::BodyReserialised),
    })
}

/// The answer to Extend's registration check: given the request's URL or query string,
/// the value of `echo` to return as `text/plain`, or `None` when it is not an echo request.
pub fn echo_response(url_or_query: &str) -> Option<String> {
    let query = match url_or_query.split_once('?') {
        Some((_, q)) => q,
        None => url_or_query,
    };
    let query = query.split('#').next().unwrap_or("");
    let value = form_field(query.as_bytes(), ECHO_PARAM.as_bytes()).ok()??;
    String::from_utf8(value).ok()
}

/// An Extend Commerce webhook envelope.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExtendEvent {
    /// `Id`: the same across retries (the idempotency key).
    pub id: Option<String>,
    /// `Attempt`, counting from 1.
    pub attempt: Option<u32>,
    /// `Properties` (`NotificationId`, ...).
    pub properties: Map<String, Value>,
    /// `Notifications`.
    pub notifications: Vec<Notification>,
    /// Other members, kept.
    pub extra: Map<String, Value>,
}

/// One notification: an action and its details.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Notification {
    /// `OrderCreated`, `BalanceChanged`, `PickingStarted`, ... (documented actions are
    /// borrowed, others owned).
    pub action: Cow<'static, str>,
    /// `Details`, typed where the field is documented.
    pub details: Details,
    /// Other members, kept.
    pub extra: Map<String, Value>,
}

/// A notification's `Details`. Fields absent for an action are `None`; undocumented ones are
/// kept in `extra`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Details {
    /// Orders and purchases.
    pub order_number: Option<String>,
    /// `NormalOrder`, ...
    pub order_type: Option<String>,
    /// Warehouse code.
    pub warehouse: Option<String>,
    /// Products and balances.
    pub product_number: Option<String>,
    /// `BalanceChanged`.
    pub balance: Option<Number>,
    /// `AvailableBalanceChanged`.
    pub available_balance: Option<Number>,
    /// `BalanceChanged`: e.g. `ItemChangeST`.
    pub event_name: Option<String>,
    /// `BalanceChanged`: e.g. `BalanceAdjustment`.
    pub event_type: Option<String>,
    /// Customers.
    pub customer_number: Option<String>,
    /// Customer invoices.
    pub invoice_number: Option<String>,
    /// Offers.
    pub offer_number: Option<String>,
    /// `PriceListWebHook`.
    pub price_list_name: Option<String>,
    /// `PickingStarted`: the order being picked (with `row`).
    pub order: Option<alloc::boxed::Box<Details>>,
    /// `PickingStarted`: `Row` {Position, SubPosition, ProductNumber, Unit {Quantity}}.
    pub row: Option<Value>,
    /// Undocumented members, kept.
    pub extra: Map<String, Value>,
}

/// Deserialises the envelope straight into the typed model (no `Value` tree for the known
/// parts): the generic tree costs several times the HMAC of the body. Keys match
/// case-insensitively; unknown members are kept as `Value` in `extra`.
mod de {
    use alloc::borrow::Cow;
    use alloc::boxed::Box;
    use alloc::string::{String, ToString};
    use alloc::vec::Vec;
    use core::fmt;

    use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
    use serde_json::{Map, Value};

    use super::{Details, ExtendEvent, Notification};

    /// A scalar read directly as text (no `Value`): strings, numbers and booleans as text;
    /// null and containers (consumed) as `None`.
    struct Scalar(Option<String>);
    impl<'de> de::Deserialize<'de> for Scalar {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            fn text(s: &str) -> String {
                String::from(s)
            }
            d.deserialize_any(ScalarVisitor(text)).map(Scalar)
        }
    }

    /// An `Action`: as [`Scalar`], but a documented action is borrowed, not allocated.
    pub(super) struct Action(pub(super) Option<Cow<'static, str>>);
    impl<'de> de::Deserialize<'de> for Action {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            fn text(s: &str) -> Cow<'static, str> {
                match super::known_action(s) {
                    Some(k) => Cow::Borrowed(k),
                    None => Cow::Owned(String::from(s)),
                }
            }
            d.deserialize_any(ScalarVisitor(text)).map(Action)
        }
    }

    /// Reads any JSON value as optional text; the function turns string contents into `T`.
    struct ScalarVisitor<T>(fn(&str) -> T);
    impl<'de, T: From<String>> Visitor<'de> for ScalarVisitor<T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a scalar")
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<Option<T>, E> {
            Ok(Some((self.0)(s)))
        }
        fn visit_u64<E: de::Error>(self, n: u64) -> Result<Option<T>, E> {
            Ok(Some(T::from(n.to_string())))
        }
        fn visit_i64<E: de::Error>(self, n: i64) -> Result<Option<T>, E> {
            Ok(Some(T::from(n.to_string())))
        }
        fn visit_f64<E: de::Error>(self, n: f64) -> Result<Option<T>, E> {
            // As serde_json's Number prints it.
            Ok(serde_json::Number::from_f64(n).map(|n| T::from(n.to_string())))
        }
        fn visit_bool<E: de::Error>(self, b: bool) -> Result<Option<T>, E> {
            Ok(Some(T::from(b.to_string())))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Option<T>, A::Error> {
            while s.next_element::<de::IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Option<T>, A::Error> {
            while m.next_entry::<de::IgnoredAny, de::IgnoredAny>()?.is_some() {}
            Ok(None)
        }
    }

    /// A map key, borrowed from the input where the JSON has no escapes: only unknown keys,
    /// which go into `extra`, are copied.
    struct Key<'de>(Cow<'de, str>);
    impl<'de> de::Deserialize<'de> for Key<'de> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Key<'de>;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a key")
                }
                fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Key<'de>, E> {
                    Ok(Key(Cow::Borrowed(s)))
                }
                fn visit_str<E: de::Error>(self, s: &str) -> Result<Key<'de>, E> {
                    Ok(Key(Cow::Owned(String::from(s))))
                }
            }
            d.deserialize_str(V)
        }
    }

    fn is(k: &str, name: &str) -> bool {
        k.eq_ignore_ascii_case(name)
    }

    /// Reads a Details object from a map (the top level and PickingStarted's `Order`).
    fn details_from<'de, A: MapAccess<'de>>(m: A) -> Result<Details, A::Error> {
        let mut d = Details::default();
        details_into(m, &mut d)?;
        Ok(d)
    }

    /// Fills `d` from a map, in place: a Details struct is large, and each move of it
    /// through a `Result` is a copy.
    fn details_into<'de, A: MapAccess<'de>>(mut m: A, d: &mut Details) -> Result<(), A::Error> {
        while let Some(Key(k)) = m.next_key()? {
            let text = [
                ("OrderNumber", &mut d.order_number),
                ("OrderType", &mut d.order_type),
                ("Warehouse", &mut d.warehouse),
                ("ProductNumber", &mut d.product_number),
                ("EventName", &mut d.event_name),
                ("EventType", &mut d.event_type),
                ("CustomerNumber", &mut d.customer_number),
                ("InvoiceNumber", &mut d.invoice_number),
                ("OfferNumber", &mut d.offer_number),
                ("PriceListName", &mut d.price_list_name),
            ]
            .into_iter()
            .find(|(name, _)| is(&k, name));
            if let Some((_, slot)) = text {
                *slot = m.next_value::<Scalar>()?.0;
                continue;
            }
            let numeric = [
                ("Balance", &mut d.balance),
                ("AvailableBalance", &mut d.available_balance),
            ]
            .into_iter()
            .find(|(name, _)| is(&k, name));
            if let Some((name, slot)) = numeric {
                match m.next_value()? {
                    Value::Number(n) => *slot = Some(n),
                    // Not a number: kept as sent, under the documented name.
                    other => {
                        d.extra.insert(String::from(name), other);
                    }
                }
            } else if is(&k, "Order") {
                match m.next_value::<OrderDe>()? {
                    OrderDe::Details(inner) => d.order = Some(inner),
                    OrderDe::Other(other) => {
                        d.extra.insert(String::from("Order"), other);
                    }
                }
            } else if is(&k, "Row") {
                d.row = Some(m.next_value()?);
            } else {
                d.extra.insert(k.into_owned(), m.next_value()?);
            }
        }
        Ok(())
    }

    /// A notification's `Details` (an object, or null for none), read into its slot, which
    /// is still empty unless `Details` appeared before (`repeated`).
    struct DetailsSeed<'a>(&'a mut Details, bool);
    impl<'de> de::DeserializeSeed<'de> for DetailsSeed<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            struct V<'a>(&'a mut Details, bool);
            impl<'de> Visitor<'de> for V<'_> {
                type Value = ();
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a Details object")
                }
                fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<(), A::Error> {
                    // A repeated `Details` replaces the earlier one, as a map's last key wins.
                    if self.1 {
                        *self.0 = Details::default();
                    }
                    details_into(m, self.0)
                }
                fn visit_unit<E: de::Error>(self) -> Result<(), E> {
                    *self.0 = Details::default();
                    Ok(())
                }
            }
            d.deserialize_any(V(self.0, self.1))
        }
    }

    /// `PickingStarted`'s `Order`: Details when it is an object (read on the same
    /// deserializer, so the Details visitor is compiled once), else the value as sent.
    enum OrderDe {
        Details(Box<Details>),
        Other(Value),
    }
    impl<'de> de::Deserialize<'de> for OrderDe {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = OrderDe;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("an Order")
                }
                fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<OrderDe, A::Error> {
                    Ok(OrderDe::Details(Box::new(details_from(m)?)))
                }
                fn visit_str<E: de::Error>(self, s: &str) -> Result<OrderDe, E> {
                    Ok(OrderDe::Other(Value::String(String::from(s))))
                }
                fn visit_u64<E: de::Error>(self, n: u64) -> Result<OrderDe, E> {
                    Ok(OrderDe::Other(Value::from(n)))
                }
                fn visit_i64<E: de::Error>(self, n: i64) -> Result<OrderDe, E> {
                    Ok(OrderDe::Other(Value::from(n)))
                }
                fn visit_f64<E: de::Error>(self, n: f64) -> Result<OrderDe, E> {
                    Ok(OrderDe::Other(Value::from(n)))
                }
                fn visit_bool<E: de::Error>(self, b: bool) -> Result<OrderDe, E> {
                    Ok(OrderDe::Other(Value::Bool(b)))
                }
                fn visit_unit<E: de::Error>(self) -> Result<OrderDe, E> {
                    Ok(OrderDe::Other(Value::Null))
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<OrderDe, A::Error> {
                    let mut items = Vec::new();
                    while let Some(v) = s.next_element::<Value>()? {
                        items.push(v);
                    }
                    Ok(OrderDe::Other(Value::Array(items)))
                }
            }
            d.deserialize_any(V)
        }
    }

    /// Reads one notification straight into its place at the end of the list: returning it
    /// through `next_element` would copy the large Details struct several times.
    struct PushNotification<'a>(&'a mut Vec<Notification>);
    impl<'de> de::DeserializeSeed<'de> for PushNotification<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            struct V<'a>(&'a mut Vec<Notification>);
            impl<'de> Visitor<'de> for V<'_> {
                type Value = ();
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a notification object")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<(), A::Error> {
                    let (mut action, mut extra, mut seen_details) = (None, Map::new(), false);
                    self.0.push(Notification {
                        action: Cow::Borrowed(""),
                        details: Details::default(),
                        extra: Map::new(),
                    });
                    let Some(n) = self.0.last_mut() else {
                        return Err(de::Error::custom("a notification could not be stored"));
                    };
                    while let Some(Key(k)) = m.next_key()? {
                        if is(&k, "Action") {
                            action = m.next_value::<Action>()?.0;
                        } else if is(&k, "Details") {
                            m.next_value_seed(DetailsSeed(&mut n.details, seen_details))
                                .map_err(|_| {
                                    de::Error::custom("a notification's `Details` is not an object")
                                })?;
                            seen_details = true;
                        } else {
                            extra.insert(k.into_owned(), m.next_value()?);
                        }
                    }
                    n.action = action
                        .ok_or_else(|| de::Error::custom("a notification has no `Action`"))?;
                    n.extra = extra;
                    Ok(())
                }
            }
            d.deserialize_map(V(self.0))
        }
    }

    struct Notifications(Vec<Notification>);
    impl<'de> de::Deserialize<'de> for Notifications {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Notifications;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("`Notifications` as an array")
                }
                fn visit_unit<E: de::Error>(self) -> Result<Notifications, E> {
                    Ok(Notifications(Vec::new()))
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Notifications, A::Error> {
                    // serde_json gives no size hint; a typical delivery fits without regrowing
                    // (each regrow copies every large Details struct).
                    let mut out = Vec::with_capacity(s.size_hint().unwrap_or(16).min(64));
                    while s.next_element_seed(PushNotification(&mut out))?.is_some() {}
                    Ok(Notifications(out))
                }
            }
            d.deserialize_any(V)
        }
    }

    pub(super) struct EnvelopeDe(pub(super) ExtendEvent);
    impl<'de> de::Deserialize<'de> for EnvelopeDe {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = EnvelopeDe;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("an Extend Commerce envelope object")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<EnvelopeDe, A::Error> {
                    let mut e = ExtendEvent {
                        id: None,
                        attempt: None,
                        properties: Map::new(),
                        notifications: Vec::new(),
                        extra: Map::new(),
                    };
                    while let Some(Key(k)) = m.next_key()? {
                        if is(&k, "Id") {
                            e.id = m.next_value::<Scalar>()?.0;
                        } else if is(&k, "Attempt") {
                            e.attempt = match m.next_value()? {
                                Value::Number(n) => n.as_u64().and_then(|a| u32::try_from(a).ok()),
                                _ => None,
                            };
                        } else if is(&k, "Properties") {
                            if let Value::Object(p) = m.next_value()? {
                                e.properties = p;
                            }
                        } else if is(&k, "Notifications") {
                            e.notifications = m.next_value::<Notifications>()?.0;
                        } else {
                            e.extra.insert(k.into_owned(), m.next_value()?);
                        }
                    }
                    Ok(EnvelopeDe(e))
                }
            }
            d.deserialize_map(V)
        }
    }
}

/// The documented actions, borrowed rather than copied into each resource.
fn known_action(s: &str) -> Option<&'static str> {
    Some(match s {
        "OrderCreated" => "OrderCreated",
        "OrderCancelled" => "OrderCancelled",
        "OrderPicked" => "OrderPicked",
        "OrderReserved" => "OrderReserved",
        "OrderDeliveryDataChanged" => "OrderDeliveryDataChanged",
        "PurchaseCreated" => "PurchaseCreated",
        "PurchaseCancelled" => "PurchaseCancelled",
        "PurchaseDelivered" => "PurchaseDelivered",
        "PurchasePartiallyDelivered" => "PurchasePartiallyDelivered",
        "ProductCreated" => "ProductCreated",
        "ProductChanged" => "ProductChanged",
        "BalanceChanged" => "BalanceChanged",
        "AvailableBalanceChanged" => "AvailableBalanceChanged",
        "CustomerCreated" => "CustomerCreated",
        "CustomerChanged" => "CustomerChanged",
        "CustomerInvoiceCreated" => "CustomerInvoiceCreated",
        "CustomerInvoiceChanged" => "CustomerInvoiceChanged",
        "OfferCreated" => "OfferCreated",
        "OfferChanged" => "OfferChanged",
        "PriceListWebHook" => "PriceListWebHook",
        "PickingStarted" => "PickingStarted",
        _ => return None,
    })
}

/// The resources one notification is about.
fn resources_of(n: &Notification, out: &mut Vec<Resource>) {
    let d = n.details.order.as_deref().unwrap_or(&n.details);
    let act = || n.action.clone();
    let order_kind = if n.action.starts_with("Purchase") {
        "purchase"
    } else {
        "order"
    };
    let fields = [
        (order_kind, &d.order_number),
        ("product", &d.product_number),
        ("customer", &d.customer_number),
        ("invoice", &d.invoice_number),
        ("offer", &d.offer_number),
        ("pricelist", &d.price_list_name),
    ];
    for (kind, value) in fields {
        if let Some(id) = value {
            out.push(Resource::new(kind, id.clone(), Some(act())));
        }
    }
}

pub(crate) fn parse(_h: Headers<'_>, body: &[u8]) -> Result<Event, Error> {
    // Validate UTF-8 once, then parse the text (serde_json skips re-validating a `str`).
    let raw = event::body_text(body)?;
    let envelope = event::from_text::<de::EnvelopeDe>(&raw).map_err(|e| {
        let text = alloc::format!("{e}");
        if !e.is_data() {
            event::json_error(&e)
        } else if text.starts_with("a notification") || text.starts_with("`Notifications`") {
            Error::payload(text)
        } else {
            // serde's type errors quote the offending value: say where, not what.
            Error::payload(alloc::format!(
                "the JSON is not an Extend Commerce envelope (unexpected type at line {}, column {})",
                e.line(),
                e.column()
            ))
        }
    })?;
    let ExtendEvent {
        id,
        attempt,
        properties,
        notifications,
        extra,
    } = envelope.0;
    let mut event_types: Vec<String> = Vec::new();
    // Usually one resource per notification.
    let mut resources = Vec::with_capacity(notifications.len());
    for n in &notifications {
        if !event_types.iter().any(|t| *t == n.action) {
            event_types.push(String::from(&*n.action));
        }
        resources_of(n, &mut resources);
    }
    Ok(Event {
        provider: Provider::Extend,
        idempotency_key: id.clone(),
        event_types,
        resources,
        timestamp: None,
        raw,
        detail: Detail::Extend(ExtendEvent {
            id,
            attempt,
            properties,
            notifications,
            extra,
        }),
    })
}

pub(crate) fn sign(v: &Verifier, payload: &[u8], _o: &SignOptions) -> Result<SignedRequest, Error> {
    let mac = v
        .signing_key(0..v.mac_keys().len())?
        .compute_vec(&[payload]);
    Ok(
        SignedRequest::new("application/json; charset=utf-8", payload.to_vec())
            .header("ms-signature", alloc::format!("sha256={}", hex_upper(&mac))),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detail(body: &str) -> Result<serde_json::Value, Error> {
        let h: [(&str, &str); 0] = [];
        let e = crate::parse(Provider::Extend, &h, body.as_bytes())?;
        Ok(serde_json::to_value(&e.detail).unwrap())
    }

    #[test]
    fn a_repeated_details_replaces_the_first() {
        let d = detail(
            r#"{"Notifications":[{"Action":"OrderCreated","Details":{"OrderNumber":"1","Warehouse":"W"},"Details":{"OrderType":"T"}},
                {"Action":"OrderCreated","Details":{"OrderNumber":"2"},"Details":null}]}"#,
        )
        .unwrap();
        let n = &d["notifications"];
        assert_eq!(n[0]["details"]["order_number"], serde_json::Value::Null);
        assert_eq!(n[0]["details"]["warehouse"], serde_json::Value::Null);
        assert_eq!(n[0]["details"]["order_type"], "T");
        assert_eq!(n[1]["details"]["order_number"], serde_json::Value::Null);
    }

    #[test]
    fn envelope_edge_cases() {
        let d = detail(
            r#"{"id":7,"attempt":"x","Properties":[1],"Notifications":[
                {"action":"OrderCreated","details":{"ordernumber":12,"Balance":"n/a","Order":3,"Row":null,"Misc":true},"More":1},
                {"Action":"ProductChanged","Details":null},
                {"Action":"PickingStarted","Details":{"Order":{"OrderNumber":"9","Row":{"Position":1}}}}
            ],"Other":{"a":1}}"#,
        )
        .unwrap();
        assert_eq!(d["id"], "7");
        assert_eq!(d["attempt"], serde_json::Value::Null);
        assert_eq!(d["properties"], serde_json::json!({}));
        let n = &d["notifications"];
        assert_eq!(n[0]["details"]["order_number"], "12");
        assert_eq!(
            n[0]["details"]["extra"],
            serde_json::json!({"Balance": "n/a", "Order": 3, "Misc": true})
        );
        assert_eq!(n[0]["extra"], serde_json::json!({"More": 1}));
        assert_eq!(n[1]["details"]["order_number"], serde_json::Value::Null);
        assert_eq!(n[2]["details"]["order"]["order_number"], "9");
        assert_eq!(
            n[2]["details"]["order"]["row"],
            serde_json::json!({"Position": 1})
        );
        assert_eq!(d["extra"], serde_json::json!({"Other": {"a": 1}}));
        assert_eq!(
            detail(r#"{"Notifications":null}"#).unwrap()["notifications"],
            serde_json::json!([])
        );
    }

    #[test]
    fn envelope_errors() {
        let code = |b: &str| detail(b).unwrap_err().code();
        assert_eq!(
            code(r#"{"Notifications":[{"Details":{}}]}"#),
            "invalid_payload"
        );
        assert_eq!(
            code(r#"{"Notifications":[{"Action":"A","Details":5}]}"#),
            "invalid_payload"
        );
        assert_eq!(code(r#"{"Notifications":{}}"#), "invalid_payload");
        assert_eq!(code(r#"[1]"#), "invalid_payload");
        assert_eq!(code(r#"{"Id":"#), "invalid_payload");
        let msg = alloc::format!(
            "{}",
            detail(r#"{"Notifications":[{"Details":{}}]}"#).unwrap_err()
        );
        assert!(msg.contains("no `Action`"), "{msg}");
    }
}
