//! The native backend of the npm package: conversion between JS values and the core.
//!
//! The JS wrapper (`lib/api.mjs`) owns the public API; this module exports the backend
//! interface it wraps (the wasm build exports the same one). Errors are thrown as an `Error`
//! whose message is JSON (`code`, `message`, `hint`, `hintCode`), which the wrapper turns
//! into `WebhookVerificationError`.
//!
//! Cost model (N-API calls dominate at webhook sizes, see bench/bench.mjs):
//! - `verify` returns one number (see `pack`), not an object.
//! - Events are parsed with `hookproof::parse_normalised`: the same checks as the full parse,
//!   but the provider model is not built (a 2 KB Extend envelope: 3.2 us instead of 3.9).
//! - A parsed event crosses as `[head, raw]`: `head` is the normalised fields as one
//!   `\0`-separated string (`Event::head_text`; splitting it and building the objects in JS
//!   is 5x faster than `JSON.parse` of the same fields, which in turn beats N-API property sets),
//!   `raw` a plain string; both Latin-1 when ASCII, which V8 copies without decoding. The
//!   provider model is not sent: when `event.detail` is first read, the wrapper asks for it
//!   with `raw` ([`verifier_detail`], which parses `raw` again with `Verifier::parse_raw`).
//!   Serialising and converting the model was most of the cost of an event, and receivers
//!   mostly read the normalised fields. (An `External` holding the model would avoid the
//!   second parse, but N-API finalizers cost ~13 us per object in Node 20.)
//! - Bodies are borrowed (`&[u8]`): no reference is created per call.

use hookproof::{CentraliGeneration, Config, Event, HmacSpec, Provider, SignOptions};
use napi::bindgen_prelude::*;
use napi::{JsString, JsValue};
use napi_derive::napi;
use std::cell::RefCell;

fn throw(e: &hookproof::Error) -> napi::Error {
    let hint = e.hint();
    let body = serde_json::json!({
        "code": e.code(),
        "message": e.to_string(),
        "hint": hint.map(|h| h.message()),
        "hintCode": hint.map(|h| h.code()),
    });
    napi::Error::from_reason(body.to_string())
}

fn option_error(reason: &'static str) -> napi::Error {
    throw(&hookproof::Error::InvalidOption { reason })
}

/// ShopCtrl's HMAC format.
#[napi(object)]
pub struct HmacOptions {
    pub header: String,
    pub algorithm: Option<String>,
    pub encoding: Option<String>,
    pub prefix: Option<String>,
}

/// Verifier options as the wrapper passes them (tolerance already resolved).
#[napi(object)]
pub struct BackendOptions {
    pub secrets: Option<Vec<String>>,
    /// Seconds; absent means the default (300).
    pub tolerance: Option<f64>,
    /// True disables the timestamp check.
    pub disable_tolerance: Option<bool>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub hmac: Option<HmacOptions>,
    /// Centrali: `legacy` or `standard` pins the verifier to that generation.
    pub generation: Option<String>,
}

fn config(provider: &str, o: BackendOptions) -> Result<Config> {
    let provider: Provider = provider.parse().map_err(|e| throw(&e))?;
    let mut c = Config::new(provider);
    c.secrets = o.secrets.unwrap_or_default();
    if let Some(t) = o.tolerance {
        if !(t.is_finite() && t >= 0.0 && t.fract() == 0.0) {
            return Err(option_error(
                "tolerance is a whole number of seconds, or false",
            ));
        }
        c.tolerance = Some(t as u64);
    }
    if o.disable_tolerance == Some(true) {
        c.tolerance = None;
    }
    let mut c = c
        .credentials(o.username, o.password)
        .map_err(|e| throw(&e))?;
    if let Some(h) = o.hmac {
        let spec = HmacSpec::from_names(
            h.header,
            h.algorithm.as_deref(),
            h.encoding.as_deref(),
            h.prefix,
        );
        c.hmac = Some(spec.map_err(|e| throw(&e))?);
    }
    c.centrali_generation =
        CentraliGeneration::from_option(o.generation.as_deref()).map_err(|e| throw(&e))?;
    Ok(c)
}

/// Headers arrive as one string, `name\0value\0...` (see `headerBlock` in lib/api.mjs): one
/// string crosses from JS instead of two per header.
fn pairs(headers: &str) -> Vec<(&str, &str)> {
    let mut it = headers.split('\0');
    let mut out = Vec::new();
    while let (Some(n), Some(v)) = (it.next(), it.next()) {
        out.push((n, v));
    }
    out
}

/// Runs `f` on the header block's pairs, kept on the stack for up to 32 headers (the hot
/// path allocates nothing).
fn with_pairs<T>(headers: &str, f: impl FnOnce(&[(&str, &str)]) -> T) -> T {
    let mut stack = [("", ""); 32];
    let mut n = 0;
    let mut it = headers.split('\0');
    while let (Some(k), Some(v)) = (it.next(), it.next()) {
        if n == stack.len() {
            return f(&pairs(headers));
        }
        stack[n] = (k, v);
        n += 1;
    }
    f(&stack[..n])
}

/// Above this a header block is read into its own allocation rather than growing the
/// thread's reusable buffer for good.
const HEADER_BUFFER: usize = 16 * 1024;

thread_local! {
    static HEADER_TEXT: RefCell<Vec<u8>> = RefCell::new(vec![0; 4096]);
}

fn utf8(buf: &[u8]) -> Result<&str> {
    std::str::from_utf8(buf).map_err(|_| napi::Error::from_reason("headers: invalid UTF-8"))
}

/// Reads a JS string as UTF-8 into a reused buffer (one N-API call, no allocation, where a
/// `String` argument costs two calls and an allocation) and runs `f` on it.
fn with_text<T>(s: JsString<'_>, f: impl FnOnce(&str) -> Result<T>) -> Result<T> {
    let raw = s.value();
    let (env, value) = (raw.env, raw.value);
    let read = |buf: &mut [u8]| -> Result<usize> {
        let mut written = 0;
        // SAFETY: `buf` is valid for `buf.len()` bytes; N-API writes at most that many
        // (including its NUL) and reports how many bytes of text it wrote.
        let status = unsafe {
            napi::sys::napi_get_value_string_utf8(
                env,
                value,
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut written,
            )
        };
        if status == napi::sys::Status::napi_ok {
            Ok(written)
        } else {
            Err(napi::Error::new(
                Status::StringExpected,
                "headers: expected a string",
            ))
        }
    };
    let exact_len = || -> Result<usize> {
        let mut len = 0;
        // SAFETY: a null buffer asks N-API for the length only.
        let status = unsafe {
            napi::sys::napi_get_value_string_utf8(env, value, std::ptr::null_mut(), 0, &mut len)
        };
        if status == napi::sys::Status::napi_ok {
            Ok(len)
        } else {
            Err(napi::Error::new(
                Status::StringExpected,
                "headers: expected a string",
            ))
        }
    };
    HEADER_TEXT.with_borrow_mut(|buf| {
        let written = read(buf)?;
        // N-API stops before a character that does not fit (UTF-8: at most 4 bytes), so
        // more than 4 bytes to spare proves the whole string was read.
        if written + 5 <= buf.len() {
            return f(utf8(&buf[..written])?);
        }
        let len = exact_len()?;
        if len < HEADER_BUFFER {
            buf.resize(len + 5, 0);
            let written = read(buf)?;
            return f(utf8(&buf[..written])?);
        }
        let mut own = vec![0; len + 1];
        let written = read(&mut own)?;
        f(utf8(&own[..written])?)
    })
}

fn seconds(now: f64) -> Result<u64> {
    if now.is_finite() && now >= 0.0 {
        Ok(now as u64)
    } else {
        Err(option_error("now is unix time in seconds"))
    }
}

fn json_error(e: serde_json::Error) -> napi::Error {
    napi::Error::from_reason(e.to_string())
}

fn event_json(e: &Event) -> Result<String> {
    serde_json::to_string(e).map_err(json_error)
}

/// `[head, raw]`; see the module docs. Both cross as Latin-1 when they are ASCII (nearly
/// always): V8 then copies the bytes instead of decoding UTF-8.
type Split = (Text, Text);
type Text = Either<Latin1String, String>;

/// A string for JS: Latin-1 when it is ASCII (nearly always), which V8 copies as is.
fn text(s: String) -> Text {
    if s.is_ascii() {
        Either::A(Latin1String::from(s))
    } else {
        Either::B(s)
    }
}

/// Splits an event into `[head, raw]` (`hookproof::Event::head_text`, read by `eventFrom` in
/// lib/api.mjs).
fn split(e: Event) -> Split {
    (text(e.head_text()), text(e.raw))
}

/// The provider model of the event whose `raw` text this is, as JSON (parsed again from
/// `raw`: the wrapper asks only when `event.detail` is first read).
fn detail_json(event: std::result::Result<Event, hookproof::Error>) -> Result<String> {
    let event = event.map_err(|e| throw(&e))?;
    serde_json::to_string(&event.detail).map_err(json_error)
}

/// What a successful verification established, when `pack` cannot hold it.
#[napi(object)]
pub struct Verified {
    pub secret_index: u32,
    pub timestamp: Option<f64>,
}

/// A verification result as one number (`hookproof::Verified::packed`; `unpackVerified` in
/// lib/api.mjs decodes it), which costs one N-API call to return where an object costs
/// several; an object when it does not fit.
fn pack(v: hookproof::Verified) -> Either<f64, Verified> {
    match v.packed() {
        Some(n) => Either::A(n),
        None => Either::B(Verified {
            secret_index: v.secret_index as u32,
            timestamp: v.timestamp.map(|t| t as f64),
        }),
    }
}

thread_local! {
    /// The verifiers of this thread's JS environment, by id. A `#[napi]` class would cost
    /// ~0.2 us per method call to unwrap `this` (a fifth of the whole call overhead at 2 KB);
    /// an index into this table costs nothing. native.cjs wraps the ids in a JS class and frees
    /// a slot through a FinalizationRegistry when that object is collected. (Node runs each
    /// worker thread's copy of the addon on its own thread, hence thread-local.)
    static VERIFIERS: RefCell<Slots> = const { RefCell::new(Slots { live: Vec::new(), free: Vec::new() }) };
}

struct Slots {
    live: Vec<Option<hookproof::Verifier>>,
    free: Vec<u32>,
}

fn with_verifier<T>(id: u32, f: impl FnOnce(&hookproof::Verifier) -> Result<T>) -> Result<T> {
    VERIFIERS.with_borrow(|s| match s.live.get(id as usize) {
        Some(Some(v)) => f(v),
        _ => Err(napi::Error::from_reason(
            "hookproof: this verifier was released",
        )),
    })
}

/// Builds a verifier for one provider (build once); returns its id.
#[napi]
pub fn verifier_new(provider: String, options: BackendOptions) -> Result<u32> {
    let v = hookproof::Verifier::new(config(&provider, options)?).map_err(|e| throw(&e))?;
    VERIFIERS.with_borrow_mut(|s| match s.free.pop() {
        Some(id) => {
            s.live[id as usize] = Some(v);
            Ok(id)
        }
        None => {
            s.live.push(Some(v));
            u32::try_from(s.live.len() - 1)
                .map_err(|_| napi::Error::from_reason("too many verifiers"))
        }
    })
}

/// Frees a verifier's slot (its JS object was collected).
#[napi]
pub fn verifier_drop(id: u32) {
    VERIFIERS.with_borrow_mut(|s| {
        if let Some(slot @ Some(_)) = s.live.get_mut(id as usize) {
            *slot = None;
            s.free.push(id);
        }
    });
}

/// Verifies; the result packed as one number (see `pack`).
#[napi(ts_return_type = "number | Verified")]
pub fn verifier_verify(
    id: u32,
    #[napi(ts_arg_type = "string")] headers: JsString<'_>,
    body: &[u8],
    now: f64,
) -> Result<Either<f64, Verified>> {
    let now = seconds(now)?;
    with_text(headers, |h| {
        with_pairs(h, |p| {
            with_verifier(id, |v| {
                v.verify(p, body, now).map(pack).map_err(|e| throw(&e))
            })
        })
    })
}

/// A verifier's event's `detail` as JSON, from the event's `raw`.
#[napi]
pub fn verifier_detail(
    id: u32,
    #[napi(ts_arg_type = "string")] headers: JsString<'_>,
    raw: String,
) -> Result<String> {
    with_text(headers, |h| {
        with_pairs(h, |p| {
            // The verifier's own reading (a pinned Centrali generation), as its parse used.
            with_verifier(id, |v| detail_json(v.parse_raw(p, &raw)))
        })
    })
}

/// Parses without verifying; the event split as `[head, raw]`.
#[napi]
pub fn verifier_parse(
    id: u32,
    #[napi(ts_arg_type = "string")] headers: JsString<'_>,
    body: &[u8],
) -> Result<Split> {
    let event = with_text(headers, |h| {
        with_pairs(h, |p| {
            with_verifier(id, |v| v.parse_normalised(p, body).map_err(|e| throw(&e)))
        })
    })?;
    Ok(split(event))
}

/// Verifies, then parses; the event split as `[head, raw]`.
#[napi]
pub fn verifier_verify_and_parse(
    id: u32,
    #[napi(ts_arg_type = "string")] headers: JsString<'_>,
    body: &[u8],
    now: f64,
) -> Result<Split> {
    let now = seconds(now)?;
    let (_, event) = with_text(headers, |h| {
        with_pairs(h, |p| {
            with_verifier(id, |v| {
                v.verify_and_parse_normalised(p, body, now)
                    .map_err(|e| throw(&e))
            })
        })
    })?;
    Ok(split(event))
}

/// Options of `sign`.
#[napi(object)]
pub struct BackendSignOptions {
    pub now: f64,
    pub id: Option<String>,
    pub event_type: Option<String>,
    pub generation: Option<String>,
    pub administration_code: Option<String>,
    pub triggered_by_id: Option<String>,
}

/// A request as the provider sends it.
#[napi(object)]
pub struct SignedRequest {
    pub method: String,
    pub headers: Vec<Vec<String>>,
    pub body: Buffer,
}

/// `payload` comes last: arguments are converted in order, and converting an object can run JS
/// (a getter), which must not happen while the payload's memory is borrowed.
#[napi]
pub fn sign(
    provider: String,
    options: BackendOptions,
    sign_options: BackendSignOptions,
    payload: &[u8],
) -> Result<SignedRequest> {
    let centrali_generation = CentraliGeneration::from_option(sign_options.generation.as_deref())
        .map_err(|e| throw(&e))?;
    let mut opts = SignOptions::at(seconds(sign_options.now)?);
    opts.id = sign_options.id;
    opts.event_type = sign_options.event_type;
    opts.centrali_generation = centrali_generation;
    opts.administration_code = sign_options.administration_code;
    opts.triggered_by_id = sign_options.triggered_by_id;
    let req =
        hookproof::sign(config(&provider, options)?, payload, &opts).map_err(|e| throw(&e))?;
    Ok(SignedRequest {
        method: req.method.to_string(),
        headers: req.headers.into_iter().map(|(k, v)| vec![k, v]).collect(),
        body: req.body.into(),
    })
}

/// `detail` as JSON for an event of `parse`, from its `raw`.
#[napi]
pub fn parse_detail(provider: String, headers: String, raw: String) -> Result<String> {
    let provider: Provider = provider.parse().map_err(|e| throw(&e))?;
    detail_json(hookproof::parse_raw(provider, &pairs(&headers), &raw))
}

/// Parses without verifying; the event split as `[head, raw]`.
#[napi(js_name = "parse")]
pub fn parse_fn(provider: String, headers: String, body: &[u8]) -> Result<Split> {
    let provider: Provider = provider.parse().map_err(|e| throw(&e))?;
    let event =
        hookproof::parse_normalised(provider, &pairs(&headers), body).map_err(|e| throw(&e))?;
    Ok(split(event))
}

/// Parses without verifying; the whole event as JSON text (kept for callers that want it in
/// one piece, and as a reference for the split form in tests).
#[napi]
pub fn parse_json(provider: String, headers: String, body: &[u8]) -> Result<String> {
    let provider: Provider = provider.parse().map_err(|e| throw(&e))?;
    let event = hookproof::parse(provider, &pairs(&headers), body).map_err(|e| throw(&e))?;
    event_json(&event)
}

/// `[id, ...names]` per provider: the headers its scheme reads ([`Provider::header_names`]).
/// Their union is [`hookproof::HEADER_NAMES`]: the JS side passes no others.
#[napi]
pub fn header_names() -> Vec<Vec<&'static str>> {
    Provider::ALL
        .iter()
        .map(|p| [p.id()].iter().chain(p.header_names()).copied().collect())
        .collect()
}

/// The canonical id of a provider name (names are read case-insensitively).
#[napi]
pub fn provider_id(provider: String) -> Result<&'static str> {
    let provider: Provider = provider.parse().map_err(|e| throw(&e))?;
    Ok(provider.id())
}

/// The answer to Extend Commerce's `?echo=` registration check.
#[napi]
pub fn extend_echo_response(url_or_query: String) -> Option<String> {
    hookproof::extend_echo_response(&url_or_query)
}
