//! Centrali: legacy `X-Centrali-Signature: sha256=<hex>` over the raw body, and 6.1+
//! Standard Webhooks with `Centrali-*` copies of the `webhook-*` headers.

use alloc::borrow::Cow;
use alloc::string::String;

use serde::Serialize;
use serde_json::{Map, Value};

use super::standard;
use crate::encoding::{hex_lower, hex_tag, rfc3339_seconds};
use crate::event::{self, Detail, Event, RawJson, Resource};
use crate::headers::Headers;
use crate::sign::{SignOptions, SignedRequest};
use crate::verifier::{MacCheck, MacPrefix, Prepared, Verifier};
use crate::{Error, Hint, Provider};

/// Legacy signature header.
pub const LEGACY_SIGNATURE_HEADER: &str = "x-centrali-signature";
/// The name Centrali's migration notes give the legacy header; accepted too.
pub const LEGACY_ALT_SIGNATURE_HEADER: &str = "x-signature";
/// Legacy signature prefix.
pub const LEGACY_PREFIX: &str = "sha256=";
/// 6.1+: copy of `webhook-id`.
pub const ID_HEADER: &str = "centrali-id";
/// 6.1+: copy of `webhook-timestamp`.
pub const TIMESTAMP_HEADER: &str = "centrali-timestamp";
/// 6.1+: copy of `webhook-signature`.
pub const SIGNATURE_HEADER: &str = "centrali-signature";
/// 6.1+: the event type (`record_created`, ...).
pub const EVENT_TYPE_HEADER: &str = "centrali-event-type";
/// 6.1+: retry counter.
pub const RETRY_ATTEMPT_HEADER: &str = "centrali-retry-attempt";
/// 6.1+: `true` on test deliveries.
pub const TEST_EVENT_HEADER: &str = "centrali-test-event";

/// Which generation of Centrali's webhooks a request belongs to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Generation {
    /// Before 6.1: `X-Centrali-Signature`, no timestamp.
    Legacy,
    /// 6.1 and later: Standard Webhooks.
    #[default]
    Standard,
}

impl Generation {
    /// Parses `legacy` or `standard` (also `6.1`).
    pub fn from_name(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "legacy" => Some(Generation::Legacy),
            "standard" | "6.1" | "standardwebhooks" => Some(Generation::Standard),
            _ => None,
        }
    }

    /// Reads an optional `generation` option as the bindings and the CLI take it: `None`
    /// when it is not given, an `invalid_option` error for a name that is not a generation.
    pub fn from_option(name: Option<&str>) -> Result<Option<Self>, Error> {
        name.map(|n| {
            Generation::from_name(n).ok_or(Error::InvalidOption {
                reason: "generation is legacy or standard",
            })
        })
        .transpose()
    }

    /// The generation that is not this one.
    pub(crate) const fn other(self) -> Self {
        match self {
            Generation::Legacy => Generation::Standard,
            Generation::Standard => Generation::Legacy,
        }
    }

    /// The header this generation cannot do without, for `missing_header`.
    const fn signature_header(self) -> &'static str {
        match self {
            Generation::Legacy => LEGACY_SIGNATURE_HEADER,
            Generation::Standard => standard::SIGNATURE_HEADER,
        }
    }

    /// Whether any of this generation's signing headers is present.
    fn present(self, h: Headers<'_>) -> bool {
        let names: &[&str] = match self {
            Generation::Legacy => &[LEGACY_SIGNATURE_HEADER, LEGACY_ALT_SIGNATURE_HEADER],
            Generation::Standard => &[
                standard::SIGNATURE_HEADER,
                SIGNATURE_HEADER,
                standard::ID_HEADER,
                ID_HEADER,
            ],
        };
        names.iter().any(|n| h.contains(n))
    }
}

/// Tells the generation from the headers present.
pub(crate) fn detect(h: Headers<'_>) -> Result<Generation, Error> {
    if Generation::Standard.present(h) {
        Ok(Generation::Standard)
    } else if Generation::Legacy.present(h) {
        Ok(Generation::Legacy)
    } else {
        Err(Error::missing(standard::SIGNATURE_HEADER))
    }
}

/// The generation to check: the verifier's pinned one, or else the one the headers show.
/// A request that carries only the other generation's headers is refused before any MAC:
/// for a secret without `whsec_` both generations use the same key bytes, so a captured
/// 6.1 delivery could otherwise be re-sent as a legacy one (body `id.ts.body`, no timestamp).
fn generation(v: &Verifier, h: Headers<'_>) -> Result<Generation, Error> {
    let Some(pinned) = v.centrali_generation() else {
        return detect(h);
    };
    if pinned.present(h) {
        return Ok(pinned);
    }
    let other = pinned.other();
    Err(Error::MissingHeader {
        header: Cow::Borrowed(pinned.signature_header()),
        hint: other
            .present(h)
            .then_some(Hint::OtherGeneration { sent: other }),
    })
}

pub(crate) fn verify(
    v: &Verifier,
    h: Headers<'_>,
    body: &[u8],
    now: u64,
) -> Result<Prepared, Error> {
    match generation(v, h)? {
        Generation::Standard => {
            let copies = [ID_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER];
            let parts = standard::parts(h, copies)?;
            standard::check(parts, body, now, v.tolerance(), v.standard_keys())
        }
        Generation::Legacy => {
            let value = h
                .either(LEGACY_SIGNATURE_HEADER, LEGACY_ALT_SIGNATURE_HEADER)?
                .ok_or(Error::missing(LEGACY_SIGNATURE_HEADER))?;
            // Errors name the header the value came from.
            let name = || {
                if h.contains(LEGACY_SIGNATURE_HEADER) {
                    LEGACY_SIGNATURE_HEADER
                } else {
                    LEGACY_ALT_SIGNATURE_HEADER
                }
            };
            let hex = value
                .get(..LEGACY_PREFIX.len())
                .filter(|p| p.eq_ignore_ascii_case(LEGACY_PREFIX))
                .and_then(|_| value.get(LEGACY_PREFIX.len()..))
                .ok_or_else(|| Error::malformed(name(), "expected `sha256=<hex>`"))?;
            let tag = hex_tag(hex, 32).ok_or_else(|| {
                Error::encoding(name(), "expected 64 hexadecimal digits (an HMAC-SHA256)")
            })?;
            Ok(Prepared {
                timestamp: None,
                credential: None,
                mac: Some(MacCheck {
                    keys: v.legacy_keys(),
                    prefix: MacPrefix::new(),
                    candidates: smallvec::smallvec![tag],
                }),
                hint: event::reserialised_hint(body),
            })
        }
    }
}

/// A Centrali webhook, either generation.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CentraliEvent {
    /// Which generation sent it.
    pub generation: Generation,
    /// Event name (`record.created` legacy, `record_created` 6.1+): the body's `event` (else
    /// `type`), signed; 6.1+ without one, the unsigned `Centrali-Event-Type` header.
    pub event: Option<String>,
    /// Workspace slug.
    pub workspace: Option<String>,
    /// The body's `timestamp` text, as sent.
    pub timestamp: Option<String>,
    /// `data.structure`.
    pub structure: Option<String>,
    /// `data.recordId`.
    pub record_id: Option<String>,
    /// `data.record`, as its JSON text (validated; parse it into your own type with
    /// [`RawJson::parse`]).
    pub record: Option<RawJson>,
    /// The rest of `data`.
    pub data: Map<String, Value>,
    /// 6.1+: message id.
    pub id: Option<String>,
    /// 6.1+: `Centrali-Retry-Attempt` (a header Centrali does not sign).
    pub retry_attempt: Option<u32>,
    /// 6.1+: `Centrali-Test-Event: true` (a header Centrali does not sign).
    pub test: bool,
    /// Other top-level members, kept.
    pub extra: Map<String, Value>,
}

/// Reads a request as `pinned`'s generation when a verifier is pinned (it was verified as
/// that one), else as the generation its headers show.
pub(crate) fn parse(
    h: Headers<'_>,
    body: &[u8],
    pinned: Option<Generation>,
) -> Result<Event, Error> {
    let generation = pinned.unwrap_or_else(|| detect(h).unwrap_or(Generation::Legacy));
    // Legacy signs the body alone: 6.1+ headers on a legacy request are not authenticated
    // (they could name any id or time), so they are not read. A repeated header, or one that
    // differs from its copy, is refused as verifying refuses it: parsing may run alone.
    // (Read first: returning early before anything is built keeps this small.)
    let is_6_1 = generation == Generation::Standard;
    let one = |n| if is_6_1 { h.one(n) } else { Ok(None) };
    let either = |a, b| if is_6_1 { h.either(a, b) } else { Ok(None) };
    let type_header = one(EVENT_TYPE_HEADER)?;
    let id = either(standard::ID_HEADER, ID_HEADER)?;
    let timestamp_header = either(standard::TIMESTAMP_HEADER, TIMESTAMP_HEADER)?;
    let retry_attempt = one(RETRY_ATTEMPT_HEADER)?;
    let test = one(TEST_EVENT_HEADER)?;
    let raw = event::body_text(body)?;
    // Members as raw text: `data.record` is usually most of the body, and stays unparsed.
    let mut m = event::raw_object(raw.as_bytes(), "the payload")?;
    // The body's name first: it is signed, `Centrali-Event-Type` is not.
    let event_name = match event_member(&mut m)? {
        Some(name) => Some(name),
        None => type_header.map(String::from),
    };
    let workspace = event::take_raw_string(&mut m, "workspace")?;
    let timestamp_text = event::take_raw_string(&mut m, "timestamp")?;
    let mut extra = Map::new();
    let mut data = match m.take_ci("data") {
        Some(d) => match serde_json::from_slice::<event::RawObject>(d.get().as_bytes()) {
            Ok(d) => d,
            // Not an object: kept as sent among the other members.
            Err(_) => {
                extra.insert(String::from("data"), event::raw_value(&d)?);
                event::RawObject::new()
            }
        },
        None => event::RawObject::new(),
    };
    let structure = event::take_raw_string(&mut data, "structure")?;
    let record_id = event::take_raw_string(&mut data, "recordId")?;
    let record = data.remove("record").map(RawJson::from);
    let data = event::raw_to_map(data)?;
    extra.extend(event::raw_to_map(m)?);
    let id = id.map(String::from);
    // Checked as verification checks it (seconds, at most 12 digits): parsing may run alone.
    let timestamp = timestamp_header
        .and_then(|t| crate::encoding::unix_seconds(t, standard::TIMESTAMP_HEADER).ok())
        .or_else(|| timestamp_text.as_deref().and_then(rfc3339_seconds));
    let resources = record_id
        .iter()
        .map(|rid| {
            Resource::new(
                structure.clone().unwrap_or_else(|| String::from("record")),
                rid.clone(),
                event_name
                    .as_deref()
                    .and_then(event::action_of)
                    .map(event::owned),
            )
        })
        .collect();
    Ok(Event {
        provider: Provider::Centrali,
        idempotency_key: id.clone(),
        event_types: event_name.iter().cloned().collect(),
        resources,
        timestamp,
        raw,
        detail: Detail::Centrali(CentraliEvent {
            generation,
            event: event_name,
            workspace,
            timestamp: timestamp_text,
            structure,
            record_id,
            record,
            data,
            id,
            retry_attempt: retry_attempt.and_then(|r| r.parse().ok()),
            test: test.is_some_and(|t| t.eq_ignore_ascii_case("true")),
            extra,
        }),
    })
}

/// The body's event name: `event`, or else `type`.
fn event_member(m: &mut event::RawObject) -> Result<Option<String>, Error> {
    match event::take_raw_string(m, "event")? {
        Some(name) => Ok(Some(name)),
        None => event::take_raw_string(m, "type"),
    }
}

/// Signs as Centrali 6.1+: Standard Webhooks headers plus the `Centrali-*` copies.
pub(crate) fn sign(v: &Verifier, payload: &[u8], o: &SignOptions) -> Result<SignedRequest, Error> {
    let (id, ts, sig) = standard::signature_values(v, payload, o)?;
    let event_type = o.event_type.clone().or_else(|| {
        let mut m = event::raw_object(payload, "").ok()?;
        event_member(&mut m).ok().flatten()
    });
    let mut req = SignedRequest::new("application/json", payload.to_vec())
        .header(standard::ID_HEADER, id.clone())
        .header(standard::TIMESTAMP_HEADER, ts.clone())
        .header(standard::SIGNATURE_HEADER, sig.clone())
        .header("Centrali-Id", id)
        .header("Centrali-Timestamp", ts)
        .header("Centrali-Signature", sig);
    if let Some(t) = event_type {
        req = req.header("Centrali-Event-Type", t);
    }
    Ok(req)
}

/// Signs as legacy Centrali: `X-Centrali-Signature: sha256=<hex>`.
pub(crate) fn sign_legacy(
    v: &Verifier,
    payload: &[u8],
    _o: &SignOptions,
) -> Result<SignedRequest, Error> {
    let key = v.signing_key(v.legacy_keys())?;
    let mac = key.compute_vec(&[payload]);
    Ok(
        SignedRequest::new("application/json", payload.to_vec()).header(
            "X-Centrali-Signature",
            alloc::format!("{LEGACY_PREFIX}{}", hex_lower(&mac)),
        ),
    )
}
