//! Extend Commerce: `ms-signature: sha256=<HEX>` over the raw body (the ASP.NET WebHooks
//! sender), with `?echo=` answered on registration.

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
    /// `OrderCreated`, `BalanceChanged`, `PickingStarted`, ...
    pub action: String,
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

fn number(m: &mut Map<String, Value>, key: &str) -> Option<Number> {
    match event::take_ci(m, key)? {
        Value::Number(n) => Some(n),
        other => {
            m.insert(String::from(key), other);
            None
        }
    }
}

fn details(mut m: Map<String, Value>) -> Details {
    let s = |m: &mut Map<String, Value>, k| event::take_string(m, k);
    Details {
        order_number: s(&mut m, "OrderNumber"),
        order_type: s(&mut m, "OrderType"),
        warehouse: s(&mut m, "Warehouse"),
        product_number: s(&mut m, "ProductNumber"),
        balance: number(&mut m, "Balance"),
        available_balance: number(&mut m, "AvailableBalance"),
        event_name: s(&mut m, "EventName"),
        event_type: s(&mut m, "EventType"),
        customer_number: s(&mut m, "CustomerNumber"),
        invoice_number: s(&mut m, "InvoiceNumber"),
        offer_number: s(&mut m, "OfferNumber"),
        price_list_name: s(&mut m, "PriceListName"),
        order: match event::take_ci(&mut m, "Order") {
            Some(Value::Object(o)) => Some(alloc::boxed::Box::new(details(o))),
            Some(other) => {
                m.insert(String::from("Order"), other);
                None
            }
            None => None,
        },
        row: event::take_ci(&mut m, "Row"),
        extra: m,
    }
}

fn notification(v: Value) -> Result<Notification, Error> {
    let mut m = event::into_object(v, "a notification")?;
    let action = event::take_string(&mut m, "Action")
        .ok_or_else(|| Error::payload("a notification has no `Action`"))?;
    let details = match event::take_ci(&mut m, "Details") {
        Some(Value::Object(d)) => details(d),
        Some(Value::Null) | None => Details::default(),
        Some(_) => {
            return Err(Error::payload(
                "a notification's `Details` is not an object",
            ))
        }
    };
    Ok(Notification {
        action,
        details,
        extra: m,
    })
}

/// The resources one notification is about.
fn resources_of(n: &Notification, out: &mut Vec<Resource>) {
    let d = n.details.order.as_deref().unwrap_or(&n.details);
    let act = Some(n.action.as_str());
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
            out.push(Resource::new(kind, id.clone(), act.map(event::owned)));
        }
    }
}

pub(crate) fn parse(_h: Headers<'_>, body: &[u8]) -> Result<Event, Error> {
    let raw = event::body_text(body)?;
    let mut m = event::into_object(event::parse_json(body)?, "the payload")?;
    let id = event::take_string(&mut m, "Id");
    let attempt = match event::take_ci(&mut m, "Attempt") {
        Some(Value::Number(n)) => n.as_u64().and_then(|a| u32::try_from(a).ok()),
        _ => None,
    };
    let properties = match event::take_ci(&mut m, "Properties") {
        Some(Value::Object(p)) => p,
        _ => Map::new(),
    };
    let notifications: Vec<Notification> = match event::take_ci(&mut m, "Notifications") {
        Some(Value::Array(list)) => list
            .into_iter()
            .map(notification)
            .collect::<Result<_, _>>()?,
        Some(Value::Null) | None => Vec::new(),
        Some(_) => return Err(Error::payload("`Notifications` is not an array")),
    };
    let mut event_types: Vec<String> = Vec::new();
    let mut resources = Vec::new();
    for n in &notifications {
        if !event_types.contains(&n.action) {
            event_types.push(n.action.clone());
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
            extra: m,
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
