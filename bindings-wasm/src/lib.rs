//! WebAssembly backend of the npm package: conversion between JS values and the core.
//!
//! It exports the same interface as the napi addon, so `lib/api.mjs` wraps either. Errors
//! are thrown as an `Error` whose message is JSON (`code`, `message`, `hint`, `hintCode`).
//! `prepare`/`finish`/`macKeys` expose the core's MAC split so that JS can compute the HMAC
//! with WebCrypto (native code) for large bodies, where wasm has no SHA instructions.

use hookproof::{CentraliGeneration, Config, HmacSpec, Provider, SignOptions};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// The JSON message of a thrown error: a struct, because `json!` (a `Value` map built and then
/// written) cost 2.7 KB more of wasm.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Thrown {
    code: &'static str,
    message: String,
    hint: Option<String>,
    hint_code: Option<&'static str>,
}

fn throw(e: &hookproof::Error) -> JsValue {
    let hint = e.hint();
    let body = Thrown {
        code: e.code(),
        message: e.to_string(),
        hint: hint.map(|h| h.message()),
        hint_code: hint.map(|h| h.code()),
    };
    // Serialising four strings cannot fail.
    js_sys::Error::new(&serde_json::to_string(&body).unwrap_or_default()).into()
}

fn option_error(reason: &'static str) -> JsValue {
    throw(&hookproof::Error::InvalidOption { reason })
}

#[derive(Deserialize)]
struct HmacOptions {
    header: String,
    algorithm: Option<String>,
    encoding: Option<String>,
    prefix: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct BackendOptions {
    secrets: Option<Vec<String>>,
    tolerance: Option<f64>,
    disable_tolerance: Option<bool>,
    username: Option<String>,
    password: Option<String>,
    hmac: Option<HmacOptions>,
    generation: Option<String>,
}

fn config(provider: &str, options: JsValue) -> Result<Config, JsValue> {
    let provider: Provider = provider.parse().map_err(|e| throw(&e))?;
    let o: BackendOptions = if options.is_undefined() || options.is_null() {
        BackendOptions::default()
    } else {
        serde_wasm_bindgen::from_value(options).map_err(|_| {
            option_error(
                "options must be { secret | secrets, tolerance, username, password, hmac, generation }",
            )
        })?
    };
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

/// Headers arrive as one UTF-8 byte string, `name\0value\0name\0value...`: one array crosses
/// into wasm instead of two strings per header. JS writes it with `TextEncoder.encodeInto`
/// (native code): a `&str` parameter is copied in by wasm-bindgen's JS loop one character at
/// a time, which cost more than the HMAC of a small body for a Worker request's dozen headers.
/// NUL cannot occur in HTTP header names or values.
fn pairs(headers: &[u8]) -> Result<Vec<(&str, &str)>, JsValue> {
    // TextEncoder output is always UTF-8: this only fails for a caller bypassing the JS API.
    let text = core::str::from_utf8(headers)
        .map_err(|_| option_error("headers must be a UTF-8 `name\\0value\\0` block"))?;
    let mut it = text.split('\0');
    let mut out = Vec::with_capacity(16);
    while let (Some(n), Some(v)) = (it.next(), it.next()) {
        out.push((n, v));
    }
    Ok(out)
}

fn seconds(now: f64) -> Result<u64, JsValue> {
    if now.is_finite() && now >= 0.0 {
        Ok(now as u64)
    } else {
        Err(option_error("now is unix time in seconds"))
    }
}

/// An event as `[head, raw]`, the native addon's form (see lib/api.mjs `eventFrom`): the
/// normalised fields as `Event::head_text`, and `raw`. The provider model is serialised only
/// when `event.detail` is first read (`WasmVerifier::detail`, `parse_detail`): writing it
/// and `raw` as JSON cost ~100 us per 2 KB event here (string escaping at `opt-level = "z"`).
/// Parsing here builds the provider model (`hookproof::parse`, not `parse_normalised` as the
/// native addon does): the second copy of the readers would cost 18 KB for 2 us of 30.
fn split(e: hookproof::Event) -> Vec<String> {
    let head = e.head_text();
    vec![head, e.raw]
}

/// The provider model of an event parsed again from its `raw` text, as JSON.
fn detail_json(event: Result<hookproof::Event, hookproof::Error>) -> Result<String, JsValue> {
    let event = event.map_err(|e| throw(&e))?;
    serde_json::to_string(&event.detail)
        .map_err(|_| option_error("the event could not be serialised"))
}

fn set(obj: &js_sys::Object, key: &str, value: &JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = js_sys::Reflect::set(obj, &JsValue::from_str(key), value);
}

/// A verification result as one number when it fits (`hookproof::Verified::packed`; lib/api.mjs
/// decodes it, as for the native addon): one number crosses to JS where an object costs an
/// allocation and two property sets through JS, a measurable share of verifying a small body.
fn verified_js(v: &hookproof::Verified) -> JsValue {
    v.packed()
        .map_or_else(|| verified_object(v), JsValue::from_f64)
}

/// `{ secretIndex, timestamp }`; the JS wrapper adds the provider it already knows.
fn verified_object(v: &hookproof::Verified) -> JsValue {
    let o = js_sys::Object::new();
    set(&o, "secretIndex", &JsValue::from_f64(v.secret_index as f64));
    set(
        &o,
        "timestamp",
        &v.timestamp
            .map_or(JsValue::NULL, |t| JsValue::from_f64(t as f64)),
    );
    o.into()
}

/// A verifier for one provider; build once.
#[wasm_bindgen(js_name = Verifier)]
pub struct WasmVerifier {
    inner: hookproof::Verifier,
}

#[wasm_bindgen(js_class = Verifier)]
impl WasmVerifier {
    #[wasm_bindgen(constructor)]
    pub fn new(provider: &str, options: JsValue) -> Result<WasmVerifier, JsValue> {
        let inner = hookproof::Verifier::new(config(provider, options)?).map_err(|e| throw(&e))?;
        Ok(WasmVerifier { inner })
    }

    pub fn verify(&self, headers: &[u8], body: &[u8], now: f64) -> Result<JsValue, JsValue> {
        let v = self
            .inner
            .verify(&pairs(headers)?, body, seconds(now)?)
            .map_err(|e| throw(&e))?;
        Ok(verified_js(&v))
    }

    /// The event as `[head, raw]` (see `split`).
    pub fn parse(&self, headers: &[u8], body: &[u8]) -> Result<Vec<String>, JsValue> {
        let event = self
            .inner
            .parse(&pairs(headers)?, body)
            .map_err(|e| throw(&e))?;
        Ok(split(event))
    }

    /// The provider model of a parsed event, from its `raw`, as JSON.
    pub fn detail(&self, headers: &[u8], raw: &str) -> Result<String, JsValue> {
        // The verifier's own reading (a pinned Centrali generation), as `parse` used.
        detail_json(self.inner.parse_raw(&pairs(headers)?, raw))
    }

    #[wasm_bindgen(js_name = verifyAndParse)]
    pub fn verify_and_parse(
        &self,
        headers: &[u8],
        body: &[u8],
        now: f64,
    ) -> Result<Vec<String>, JsValue> {
        let (_, event) = self
            .inner
            .verify_and_parse(&pairs(headers)?, body, seconds(now)?)
            .map_err(|e| throw(&e))?;
        Ok(split(event))
    }

    /// The MAC keys, for importing into WebCrypto once: `[{ hash: "SHA-256", key }]`.
    #[wasm_bindgen(js_name = macKeys)]
    pub fn mac_keys(&self) -> js_sys::Array {
        self.inner
            .mac_keys()
            .iter()
            .map(|k| {
                let o = js_sys::Object::new();
                set(
                    &o,
                    "hash",
                    &JsValue::from_str(k.algorithm().webcrypto_hash()),
                );
                set(&o, "key", &js_sys::Uint8Array::from(k.key_bytes()).into());
                JsValue::from(o)
            })
            .collect()
    }

    /// Checks form and freshness; the MAC of `pending.prefix ‖ body` under each key in
    /// `pending.keyStart..keyEnd` goes to `conclude`, which consumes `pending`.
    pub fn prepare(&self, headers: &[u8], body: &[u8], now: f64) -> Result<Pending, JsValue> {
        let prepared = self
            .inner
            .prepare(&pairs(headers)?, body, seconds(now)?)
            .map_err(|e| throw(&e))?;
        Ok(Pending { prepared })
    }

    /// Completes a check with MACs computed in JS, concatenated in the order of
    /// `keyStart..keyEnd`; the comparison is the core's constant-time one.
    pub fn conclude(&self, pending: Pending, macs: &[u8]) -> Result<JsValue, JsValue> {
        let p = &pending.prepared;
        let mut split = Vec::new();
        let mut rest = macs;
        for i in p.mac_keys() {
            let len = self
                .inner
                .mac_keys()
                .get(i)
                .map_or(0, |k| k.algorithm().output_len());
            let (mac, tail) = rest.split_at(len.min(rest.len()));
            split.push(mac);
            rest = tail;
        }
        let v = self.inner.finish(p, &split).map_err(|e| throw(&e))?;
        Ok(verified_js(&v))
    }
}

/// A request checked by `prepare`, waiting for its MACs. It stays in wasm memory (JS holds a
/// handle), so `conclude` gets back exactly what `prepare` checked, and the headers are not
/// parsed twice: passing them again and re-checking cost more than 2 us per request.
#[wasm_bindgen]
pub struct Pending {
    prepared: hookproof::Prepared,
}

#[wasm_bindgen]
impl Pending {
    /// The first index into `macKeys()` whose MAC `conclude` needs.
    #[wasm_bindgen(getter, js_name = keyStart)]
    pub fn key_start(&self) -> usize {
        self.prepared.mac_keys().start
    }

    /// One past the last index into `macKeys()` whose MAC `conclude` needs.
    #[wasm_bindgen(getter, js_name = keyEnd)]
    pub fn key_end(&self) -> usize {
        self.prepared.mac_keys().end
    }

    /// The bytes that precede the body in the MACed message.
    #[wasm_bindgen(getter)]
    pub fn prefix(&self) -> Vec<u8> {
        self.prepared.mac_prefix().to_vec()
    }
}

/// The request a provider would send: `{ method, headers: [[name, value]], body }`.
#[wasm_bindgen]
pub fn sign(
    provider: &str,
    options: JsValue,
    payload: &[u8],
    sign_options: JsValue,
) -> Result<JsValue, JsValue> {
    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    struct SignOpts {
        now: f64,
        id: Option<String>,
        event_type: Option<String>,
        generation: Option<String>,
        administration_code: Option<String>,
        triggered_by_id: Option<String>,
    }
    let s: SignOpts = serde_wasm_bindgen::from_value(sign_options).map_err(|_| {
        option_error(
            "sign options must be { now, id, eventType, generation, administrationCode, \
                 triggeredById }",
        )
    })?;
    let centrali_generation =
        CentraliGeneration::from_option(s.generation.as_deref()).map_err(|e| throw(&e))?;
    let mut opts = SignOptions::at(seconds(s.now)?);
    opts.id = s.id;
    opts.event_type = s.event_type;
    opts.centrali_generation = centrali_generation;
    opts.administration_code = s.administration_code;
    opts.triggered_by_id = s.triggered_by_id;
    let req = hookproof::sign(config(provider, options)?, payload, &opts).map_err(|e| throw(&e))?;
    let o = js_sys::Object::new();
    set(&o, "method", &JsValue::from_str(req.method));
    let headers: js_sys::Array = req
        .headers
        .iter()
        .map(|(k, v)| {
            JsValue::from(js_sys::Array::of2(
                &JsValue::from_str(k),
                &JsValue::from_str(v),
            ))
        })
        .collect();
    set(&o, "headers", &headers.into());
    set(&o, "body", &js_sys::Uint8Array::from(&req.body[..]).into());
    Ok(o.into())
}

/// Parses without verifying; the event as `[head, raw]` (see `split`).
#[wasm_bindgen]
pub fn parse(provider: &str, headers: &[u8], body: &[u8]) -> Result<Vec<String>, JsValue> {
    let provider: Provider = provider.parse().map_err(|e| throw(&e))?;
    let event = hookproof::parse(provider, &pairs(headers)?, body).map_err(|e| throw(&e))?;
    Ok(split(event))
}

/// The provider model of a parsed event, from its `raw`, as JSON.
#[wasm_bindgen(js_name = parseDetail)]
pub fn parse_detail(provider: &str, headers: &[u8], raw: &str) -> Result<String, JsValue> {
    let provider: Provider = provider.parse().map_err(|e| throw(&e))?;
    detail_json(hookproof::parse_raw(provider, &pairs(headers)?, raw))
}

/// A line per provider: its id and the headers its scheme reads (`Provider::header_names`),
/// each after a NUL (one string: arrays cost the module more glue). Their union is
/// `hookproof::HEADER_NAMES`: the JS side passes no others.
#[wasm_bindgen(js_name = headerNames)]
pub fn header_names() -> String {
    let mut out = String::new();
    for &p in Provider::ALL {
        out.push_str(p.id());
        for name in p.header_names() {
            out.push('\0');
            out.push_str(name);
        }
        out.push('\n');
    }
    out
}

/// The canonical id of a provider name (names are read case-insensitively).
#[wasm_bindgen(js_name = providerId)]
pub fn provider_id(provider: &str) -> Result<String, JsValue> {
    let provider: Provider = provider.parse().map_err(|e| throw(&e))?;
    Ok(provider.id().into())
}

/// The answer to Extend Commerce's `?echo=` registration check.
#[wasm_bindgen(js_name = extendEchoResponse)]
pub fn extend_echo_response(url_or_query: &str) -> Option<String> {
    hookproof::extend_echo_response(url_or_query)
}
