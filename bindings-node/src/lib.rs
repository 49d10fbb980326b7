//! The native backend of the npm package: conversion between JS values and the core.
//!
//! The JS wrapper (`lib/api.mjs`) owns the public API; this module exports the backend
//! interface it wraps (the wasm build exports the same one). Errors are thrown as an `Error`
//! whose message is JSON (`code`, `message`, `hint`, `hintCode`), which the wrapper turns
//! into `WebhookVerificationError`. Events come back as JSON text for `JSON.parse`, which
//! builds objects faster than creating them one property at a time through N-API.

use hookproof::{CentraliGeneration, Config, HmacSpec, Provider, SignOptions};
use napi::bindgen_prelude::*;
use napi_derive::napi;

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

fn seconds(now: f64) -> Result<u64> {
    if now.is_finite() && now >= 0.0 {
        Ok(now as u64)
    } else {
        Err(option_error("now is unix time in seconds"))
    }
}

fn event_json(e: &hookproof::Event) -> Result<String> {
    serde_json::to_string(e).map_err(|e| napi::Error::from_reason(e.to_string()))
}

/// What a successful verification established (the wrapper adds the provider it knows).
#[napi(object)]
pub struct Verified {
    pub secret_index: u32,
    pub timestamp: Option<f64>,
}

/// A verifier for one provider; build once.
#[napi(js_name = "Verifier")]
pub struct NativeVerifier {
    inner: hookproof::Verifier,
}

#[napi]
impl NativeVerifier {
    #[napi(constructor)]
    pub fn new(provider: String, options: BackendOptions) -> Result<Self> {
        let inner = hookproof::Verifier::new(config(&provider, options)?).map_err(|e| throw(&e))?;
        Ok(NativeVerifier { inner })
    }

    #[napi]
    pub fn verify(&self, headers: String, body: Uint8Array, now: f64) -> Result<Verified> {
        let v = self
            .inner
            .verify(&pairs(&headers), &body, seconds(now)?)
            .map_err(|e| throw(&e))?;
        Ok(Verified {
            secret_index: v.secret_index as u32,
            timestamp: v.timestamp.map(|t| t as f64),
        })
    }

    /// The event as JSON text.
    #[napi]
    pub fn parse(&self, headers: String, body: Uint8Array) -> Result<String> {
        let event = self
            .inner
            .parse(&pairs(&headers), &body)
            .map_err(|e| throw(&e))?;
        event_json(&event)
    }

    /// Verifies, then parses; the event as JSON text.
    #[napi]
    pub fn verify_and_parse(&self, headers: String, body: Uint8Array, now: f64) -> Result<String> {
        let (_, event) = self
            .inner
            .verify_and_parse(&pairs(&headers), &body, seconds(now)?)
            .map_err(|e| throw(&e))?;
        event_json(&event)
    }
}

/// Options of `sign`.
#[napi(object)]
pub struct BackendSignOptions {
    pub now: f64,
    pub id: Option<String>,
    pub event_type: Option<String>,
    pub generation: Option<String>,
}

/// A request as the provider sends it.
#[napi(object)]
pub struct SignedRequest {
    pub method: String,
    pub headers: Vec<Vec<String>>,
    pub body: Buffer,
}

#[napi]
pub fn sign(
    provider: String,
    options: BackendOptions,
    payload: Uint8Array,
    sign_options: BackendSignOptions,
) -> Result<SignedRequest> {
    let centrali_generation = match sign_options.generation.as_deref() {
        Some(g) => CentraliGeneration::from_name(g)
            .ok_or_else(|| option_error("generation is legacy or standard"))?,
        None => CentraliGeneration::default(),
    };
    let opts = SignOptions {
        now: seconds(sign_options.now)?,
        id: sign_options.id,
        event_type: sign_options.event_type,
        centrali_generation,
    };
    let req =
        hookproof::sign(config(&provider, options)?, &payload, &opts).map_err(|e| throw(&e))?;
    Ok(SignedRequest {
        method: req.method.to_string(),
        headers: req.headers.into_iter().map(|(k, v)| vec![k, v]).collect(),
        body: req.body.into(),
    })
}

/// Parses without verifying; the event as JSON text.
#[napi(js_name = "parse")]
pub fn parse_fn(provider: String, headers: String, body: Uint8Array) -> Result<String> {
    let provider: Provider = provider.parse().map_err(|e| throw(&e))?;
    let event = hookproof::parse(provider, &pairs(&headers), &body).map_err(|e| throw(&e))?;
    event_json(&event)
}

/// The answer to Extend Commerce's `?echo=` registration check.
#[napi]
pub fn extend_echo_response(url_or_query: String) -> Option<String> {
    hookproof::extend_echo_response(&url_or_query)
}
