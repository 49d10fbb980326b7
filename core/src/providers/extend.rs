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
use crate::{Error, Provider};

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
        hint: event::reserialised_hint(body),
    })
}

/// The answer to Extend's registration check: given the request's URL or query string,
/// the value of `echo` to return as `text/plain`, or `None` when it is not an echo request.
///
/// The value is whatever the caller put in the URL, unauthenticated: send it as
/// `text/plain; charset=utf-8` with `X-Content-Type-Options: nosniff`, so that no browser
/// reads it as HTML.
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
#[non_exhaustive]
pub struct ExtendEvent {
    /// `Id`: the same across retries (the idempotency key).
    pub id: Option<String>,
    /// `Attempt`, counting from 1.
    pub attempt: Option<u32>,
    /// `Properties` (`NotificationId`, ...).
    pub properties: Map<String, Value>,
    /// `Notifications`.
    pub notifications: Vec<Notification>,
    /// Other members, kept; also an `Attempt` that is not a count or a `Properties` that is
    /// not an object, as sent.
    pub extra: Map<String, Value>,
}

/// One notification: an action and its details.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
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
#[non_exhaustive]
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

    use super::{Details, ExtendEvent, Found, Notification};
    use crate::event::{json_if, value_if, PlainValue, Skip, SkipVisitor};

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
        // A container is no text, but its contents are checked as every other value is
        // (`Skip`): `IgnoredAny` would pass numbers out of `f64` range, and the full and
        // normalised-only parses would disagree where the latter skips this field.
        fn visit_seq<A: SeqAccess<'de>>(self, s: A) -> Result<Option<T>, A::Error> {
            SkipVisitor.visit_seq(s).map(|_| None)
        }
        fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<Option<T>, A::Error> {
            SkipVisitor.visit_map(m).map(|_| None)
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
    fn details_from<'de, const FULL: bool, A: MapAccess<'de>>(m: A) -> Result<Details, A::Error> {
        let mut d = Details::default();
        details_into::<FULL, A>(m, &mut d)?;
        Ok(d)
    }

    /// Fills `d` from a map, in place: a Details struct is large, and each move of it
    /// through a `Result` is a copy. Without `FULL`, only the fields that name resources are
    /// kept; the others are checked and dropped.
    fn details_into<'de, const FULL: bool, A: MapAccess<'de>>(
        mut m: A,
        d: &mut Details,
    ) -> Result<(), A::Error> {
        while let Some(Key(k)) = m.next_key()? {
            let ids = [
                ("OrderNumber", &mut d.order_number),
                ("ProductNumber", &mut d.product_number),
                ("CustomerNumber", &mut d.customer_number),
                ("InvoiceNumber", &mut d.invoice_number),
                ("OfferNumber", &mut d.offer_number),
                ("PriceListName", &mut d.price_list_name),
            ];
            if let Some((_, slot)) = ids.into_iter().find(|(name, _)| is(&k, name)) {
                *slot = m.next_value::<Scalar>()?.0;
                continue;
            }
            let text = [
                ("OrderType", &mut d.order_type),
                ("Warehouse", &mut d.warehouse),
                ("EventName", &mut d.event_name),
                ("EventType", &mut d.event_type),
            ];
            if let Some((_, slot)) = text.into_iter().find(|(name, _)| is(&k, name)) {
                *slot = value_if::<FULL, Scalar, A>(&mut m)?.and_then(|s| s.0);
                continue;
            }
            if !FULL && !is(&k, "Order") {
                m.next_value::<Skip>()?;
                continue;
            }
            let numeric = [
                ("Balance", &mut d.balance),
                ("AvailableBalance", &mut d.available_balance),
            ]
            .into_iter()
            .find(|(name, _)| is(&k, name));
            if let Some((name, slot)) = numeric {
                match m.next_value::<PlainValue>()?.0 {
                    Value::Number(n) => *slot = Some(n),
                    // Not a number: kept as sent, under the documented name.
                    other => {
                        d.extra.insert(String::from(name), other);
                    }
                }
            } else if is(&k, "Order") {
                match m.next_value::<OrderDe<FULL>>()? {
                    OrderDe::Details(inner) => d.order = Some(inner),
                    OrderDe::Other(other) => {
                        d.extra.insert(String::from("Order"), other);
                    }
                }
            } else if is(&k, "Row") {
                d.row = Some(m.next_value::<PlainValue>()?.0);
            } else {
                d.extra
                    .insert(k.into_owned(), m.next_value::<PlainValue>()?.0);
            }
        }
        Ok(())
    }

    /// A notification's `Details` (an object, or null for none), read into its slot, which
    /// is still empty unless `Details` appeared before (`repeated`).
    struct DetailsSeed<'a, const FULL: bool>(&'a mut Details, bool);
    impl<'de, const FULL: bool> de::DeserializeSeed<'de> for DetailsSeed<'_, FULL> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            struct V<'a, const FULL: bool>(&'a mut Details, bool);
            impl<'de, const FULL: bool> Visitor<'de> for V<'_, FULL> {
                type Value = ();
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a Details object")
                }
                fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<(), A::Error> {
                    // A repeated `Details` replaces the earlier one, as a map's last key wins.
                    if self.1 {
                        *self.0 = Details::default();
                    }
                    details_into::<FULL, A>(m, self.0)
                }
                fn visit_unit<E: de::Error>(self) -> Result<(), E> {
                    *self.0 = Details::default();
                    Ok(())
                }
            }
            d.deserialize_any(V::<FULL>(self.0, self.1))
        }
    }

    /// `PickingStarted`'s `Order`: Details when it is an object (read on the same
    /// deserializer, so the Details visitor is compiled once), else the value as sent.
    enum OrderDe<const FULL: bool> {
        Details(Box<Details>),
        Other(Value),
    }
    impl<'de, const FULL: bool> de::Deserialize<'de> for OrderDe<FULL> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V<const FULL: bool>;
            impl<'de, const FULL: bool> Visitor<'de> for V<FULL> {
                type Value = OrderDe<FULL>;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("an Order")
                }
                fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<OrderDe<FULL>, A::Error> {
                    Ok(OrderDe::Details(Box::new(details_from::<FULL, A>(m)?)))
                }
                fn visit_str<E: de::Error>(self, s: &str) -> Result<OrderDe<FULL>, E> {
                    Ok(OrderDe::Other(Value::String(String::from(s))))
                }
                fn visit_u64<E: de::Error>(self, n: u64) -> Result<OrderDe<FULL>, E> {
                    Ok(OrderDe::Other(Value::from(n)))
                }
                fn visit_i64<E: de::Error>(self, n: i64) -> Result<OrderDe<FULL>, E> {
                    Ok(OrderDe::Other(Value::from(n)))
                }
                fn visit_f64<E: de::Error>(self, n: f64) -> Result<OrderDe<FULL>, E> {
                    Ok(OrderDe::Other(Value::from(n)))
                }
                fn visit_bool<E: de::Error>(self, b: bool) -> Result<OrderDe<FULL>, E> {
                    Ok(OrderDe::Other(Value::Bool(b)))
                }
                fn visit_unit<E: de::Error>(self) -> Result<OrderDe<FULL>, E> {
                    Ok(OrderDe::Other(Value::Null))
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<OrderDe<FULL>, A::Error> {
                    let mut items = Vec::new();
                    while let Some(PlainValue(v)) = s.next_element()? {
                        items.push(v);
                    }
                    Ok(OrderDe::Other(Value::Array(items)))
                }
            }
            d.deserialize_any(V::<FULL>)
        }
    }

    /// Reads one notification straight into its place at the end of the list: returning it
    /// through `next_element` would copy the large Details struct several times.
    struct PushNotification<'a, const FULL: bool>(&'a mut Vec<Notification>);
    impl<'de, const FULL: bool> de::DeserializeSeed<'de> for PushNotification<'_, FULL> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            struct V<'a, const FULL: bool>(&'a mut Vec<Notification>);
            impl<'de, const FULL: bool> Visitor<'de> for V<'_, FULL> {
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
                            m.next_value_seed(DetailsSeed::<FULL>(&mut n.details, seen_details))
                                .map_err(|_| {
                                    de::Error::custom(
                                        "a notification's `Details` is not a valid JSON object",
                                    )
                                })?;
                            seen_details = true;
                        } else if let Some(v) = json_if::<FULL, A>(&mut m)? {
                            extra.insert(k.into_owned(), v);
                        }
                    }
                    n.action = action
                        .ok_or_else(|| de::Error::custom("a notification has no `Action`"))?;
                    n.extra = extra;
                    Ok(())
                }
            }
            d.deserialize_map(V::<FULL>(self.0))
        }
    }

    /// The notifications (kept only when `FULL`) and the normalised fields they give, which
    /// are taken from each notification as soon as it is read.
    struct Notifications<const FULL: bool>(Vec<Notification>, Found);
    impl<'de, const FULL: bool> de::Deserialize<'de> for Notifications<FULL> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V<const FULL: bool>;
            impl<'de, const FULL: bool> Visitor<'de> for V<FULL> {
                type Value = Notifications<FULL>;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("`Notifications` as an array")
                }
                fn visit_unit<E: de::Error>(self) -> Result<Notifications<FULL>, E> {
                    Ok(Notifications(Vec::new(), Found::default()))
                }
                fn visit_seq<A: SeqAccess<'de>>(
                    self,
                    mut s: A,
                ) -> Result<Notifications<FULL>, A::Error> {
                    // serde_json gives no size hint; a typical delivery fits without regrowing
                    // (each regrow copies every large Details struct). Without `FULL` one
                    // slot is reused.
                    let cap = if FULL {
                        s.size_hint().unwrap_or(16).min(64)
                    } else {
                        1
                    };
                    let mut out = Vec::with_capacity(cap);
                    let mut found = Found {
                        event_types: crate::event::Distinct::new(),
                        // Usually one resource per notification.
                        resources: Vec::with_capacity(cap.max(16)),
                    };
                    while s
                        .next_element_seed(PushNotification::<FULL>(&mut out))?
                        .is_some()
                    {
                        if let Some(n) = out.last_mut() {
                            found.note(n, !FULL);
                        }
                        if !FULL {
                            out.clear();
                        }
                    }
                    Ok(Notifications(out, found))
                }
            }
            d.deserialize_any(V::<FULL>)
        }
    }

    /// The envelope; without `FULL`, only what the normalised fields need.
    pub(super) struct EnvelopeDe<const FULL: bool>(pub(super) ExtendEvent, pub(super) Found);
    impl<'de, const FULL: bool> de::Deserialize<'de> for EnvelopeDe<FULL> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V<const FULL: bool>;
            impl<'de, const FULL: bool> Visitor<'de> for V<FULL> {
                type Value = EnvelopeDe<FULL>;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("an Extend Commerce envelope object")
                }
                fn visit_map<A: MapAccess<'de>>(
                    self,
                    mut m: A,
                ) -> Result<EnvelopeDe<FULL>, A::Error> {
                    let mut e = ExtendEvent {
                        id: None,
                        attempt: None,
                        properties: Map::new(),
                        notifications: Vec::new(),
                        extra: Map::new(),
                    };
                    let mut found = Found::default();
                    let (mut odd_attempt, mut odd_properties) = (None, None);
                    while let Some(Key(k)) = m.next_key()? {
                        if is(&k, "Id") {
                            e.id = m.next_value::<Scalar>()?.0;
                        } else if is(&k, "Notifications") {
                            let Notifications(list, f) = m.next_value::<Notifications<FULL>>()?;
                            (e.notifications, found) = (list, f);
                        } else if is(&k, "Attempt") {
                            // The last one wins, as for every member; a value that is not a
                            // count goes to `extra` (at the end, once the last is known).
                            if let Some(v) = json_if::<FULL, A>(&mut m)? {
                                e.attempt = v.as_u64().and_then(|a| u32::try_from(a).ok());
                                odd_attempt = (e.attempt.is_none() && !v.is_null())
                                    .then(|| (k.into_owned(), v));
                            }
                        } else if is(&k, "Properties") {
                            // Likewise a `Properties` that is not an object.
                            if let Some(v) = json_if::<FULL, A>(&mut m)? {
                                (e.properties, odd_properties) = match v {
                                    Value::Object(p) => (p, None),
                                    Value::Null => (Map::new(), None),
                                    v => (Map::new(), Some((k.into_owned(), v))),
                                };
                            }
                        } else if let Some(v) = json_if::<FULL, A>(&mut m)? {
                            e.extra.insert(k.into_owned(), v);
                        }
                    }
                    if let Some((k, v)) = odd_attempt {
                        e.extra.insert(k, v);
                    }
                    if let Some((k, v)) = odd_properties {
                        e.extra.insert(k, v);
                    }
                    Ok(EnvelopeDe(e, found))
                }
            }
            d.deserialize_map(V::<FULL>)
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

/// The normalised fields of an envelope's notifications.
struct Found {
    event_types: event::Distinct<()>,
    resources: Vec<Resource>,
}

impl Default for Found {
    fn default() -> Self {
        Found {
            event_types: event::Distinct::new(),
            resources: Vec::new(),
        }
    }
}

impl Found {
    /// Adds a notification's action and the resources it is about. With `take`, the ids are
    /// moved out of `n` (which is dropped next) rather than copied.
    fn note(&mut self, n: &mut Notification, take: bool) {
        let action = &*n.action;
        self.event_types
            .add(|t| t == action, || String::from(action));
        let order_kind = if n.action.starts_with("Purchase") {
            "purchase"
        } else {
            "order"
        };
        let d = match n.details.order.as_deref_mut() {
            Some(order) => order,
            None => &mut n.details,
        };
        let fields = [
            (order_kind, &mut d.order_number),
            ("product", &mut d.product_number),
            ("customer", &mut d.customer_number),
            ("invoice", &mut d.invoice_number),
            ("offer", &mut d.offer_number),
            ("pricelist", &mut d.price_list_name),
        ];
        for (kind, value) in fields {
            let id = if take { value.take() } else { value.clone() };
            if let Some(id) = id {
                let action = Some(n.action.clone());
                self.resources.push(Resource::new(kind, id, action));
            }
        }
    }
}

/// Parses an envelope; without `FULL`, `detail` is [`Detail::Omitted`] and only the
/// normalised fields are built.
pub(crate) fn parse<const FULL: bool>(_h: Headers<'_>, body: &[u8]) -> Result<Event, Error> {
    // Validate UTF-8 once, then parse the text (serde_json skips re-validating a `str`).
    let raw = event::body_text(body)?;
    let envelope = event::from_text::<de::EnvelopeDe<FULL>>(&raw).map_err(|e| {
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
    let de::EnvelopeDe(
        ExtendEvent {
            id,
            attempt,
            properties,
            notifications,
            extra,
        },
        Found {
            event_types,
            resources,
        },
    ) = envelope;
    Ok(Event {
        provider: Provider::Extend,
        idempotency_key: id.clone(),
        event_types: event_types.into_names(),
        resources,
        timestamp: None,
        raw,
        detail: if FULL {
            Detail::Extend(ExtendEvent {
                id,
                attempt,
                properties,
                notifications,
                extra,
            })
        } else {
            Detail::Omitted
        },
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
    fn text_fields_check_what_they_drop_as_the_normalised_parse_does() {
        // A container where text is documented reads as null, but its contents are checked
        // like any other value: a number out of `f64` range fails both parses alike.
        let body = br#"{"Notifications":[{"Action":"OrderCreated","Details":{"OrderNumber":"1","OrderType":[1e400]}}]}"#;
        let h: [(&str, &str); 0] = [];
        let full = crate::parse(Provider::Extend, &h, body).map(|_| ());
        let normalised = crate::parse_normalised(Provider::Extend, &h, body).map(|_| ());
        assert_eq!(full, normalised);
        assert_eq!(full.unwrap_err().code(), "invalid_payload");
        let ok = br#"{"Id":[1,{"a":2}],"Notifications":[{"Action":"OrderCreated","Details":{"OrderNumber":{"x":1},"OrderType":[1e300]}}]}"#;
        let d = detail(core::str::from_utf8(ok).unwrap()).unwrap();
        assert_eq!(d["id"], serde_json::Value::Null);
        assert_eq!(
            d["notifications"][0]["details"]["order_type"],
            serde_json::Value::Null
        );
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
        // Members that do not fit their field are kept as sent.
        assert_eq!(
            d["extra"],
            serde_json::json!({"attempt": "x", "Properties": [1], "Other": {"a": 1}})
        );
        // A repeated member: the last one wins, whichever field it lands in.
        let d = detail(r#"{"Attempt":"x","attempt":2,"Properties":[1],"properties":{"a":1}}"#);
        let d = d.unwrap();
        assert_eq!(
            (&d["attempt"], &d["extra"]),
            (&serde_json::json!(2), &serde_json::json!({}))
        );
        assert_eq!(d["properties"], serde_json::json!({"a": 1}));
        let d = detail(r#"{"Attempt":2,"Attempt":null,"Properties":{"a":1},"Properties":7}"#);
        let d = d.unwrap();
        assert_eq!(d["attempt"], serde_json::Value::Null);
        assert_eq!(d["properties"], serde_json::json!({}));
        assert_eq!(d["extra"], serde_json::json!({"Properties": 7}));
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
