//! Python binding: conversion between Python values and the `hookproof` core, nothing else.

use std::borrow::Cow;

use hookproof::{CentraliGeneration, Config, HmacSpec, Provider, SignOptions};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyDict, PyList, PyString, PyTuple};

create_exception!(
    hookproof,
    WebhookVerificationError,
    PyException,
    "A webhook failed verification or parsing, or a verifier is misconfigured. `.code` is stable."
);
create_exception!(
    hookproof,
    SignatureMismatch,
    WebhookVerificationError,
    "No configured secret produces the signature."
);
create_exception!(
    hookproof,
    TimestampOutOfRange,
    WebhookVerificationError,
    "The signed timestamp is outside the tolerance."
);
create_exception!(
    hookproof,
    MalformedRequest,
    WebhookVerificationError,
    "A required header is missing, repeated or malformed."
);
create_exception!(
    hookproof,
    InvalidPayload,
    WebhookVerificationError,
    "The body is not the provider's payload, or not raw bytes."
);
create_exception!(
    hookproof,
    ConfigurationError,
    WebhookVerificationError,
    "The verifier's own configuration is invalid."
);

/// Bodies above this size are hashed with the GIL released.
const DETACH_THRESHOLD: usize = 16 * 1024;

fn raise(py: Python<'_>, e: &hookproof::Error) -> PyErr {
    let msg = e.to_string();
    let err = match e.family() {
        "signature" => SignatureMismatch::new_err(msg),
        "timestamp" => TimestampOutOfRange::new_err(msg),
        "request" => MalformedRequest::new_err(msg),
        "payload" => InvalidPayload::new_err(msg),
        "config" => ConfigurationError::new_err(msg),
        _ => WebhookVerificationError::new_err(msg),
    };
    let value = err.value(py);
    let hint = e.hint();
    // Attribute failures would only hide details; the exception itself stays correct.
    let _ = value.setattr("code", e.code());
    let _ = value.setattr("hint", hint.map(|h| h.message()));
    let _ = value.setattr("hint_code", hint.map(|h| h.code()));
    err
}

fn payload_error(py: Python<'_>, message: &'static str) -> PyErr {
    raise(
        py,
        &hookproof::Error::InvalidPayload {
            reason: message.into(),
        },
    )
}

fn header_text<'a>(v: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, str>> {
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(Cow::Owned(s.to_cow()?.into_owned()));
    }
    if let Ok(b) = v.cast::<PyBytes>() {
        // Raw ASGI headers are bytes; HTTP header values are Latin-1 at worst.
        return Ok(Cow::Owned(
            b.as_bytes().iter().map(|&c| c as char).collect(),
        ));
    }
    Err(pyo3::exceptions::PyTypeError::new_err(
        "header names and values must be str or bytes",
    ))
}

/// Name/value pairs from a dict, a list of pairs, or any object with `.items()` (Werkzeug,
/// Starlette, Django). Repeated headers stay separate pairs; list values expand to pairs.
fn header_pairs(obj: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut push = |k: &Bound<'_, PyAny>, v: &Bound<'_, PyAny>| -> PyResult<()> {
        let name = header_text(k)?.into_owned();
        if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
            for item in v.try_iter()? {
                out.push((name.clone(), header_text(&item?)?.into_owned()));
            }
        } else {
            out.push((name, header_text(v)?.into_owned()));
        }
        Ok(())
    };
    if let Ok(d) = obj.cast::<PyDict>() {
        for (k, v) in d.iter() {
            push(&k, &v)?;
        }
        return Ok(out);
    }
    let items = if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        obj.clone()
    } else if obj.hasattr("items")? {
        obj.call_method0("items")?
    } else {
        return Err(pyo3::exceptions::PyTypeError::new_err(
            "headers must be a dict, a list of (name, value) pairs or a mapping with .items()",
        ));
    };
    for pair in items.try_iter()? {
        let pair = pair?;
        let k = pair.get_item(0)?;
        let v = pair.get_item(1)?;
        push(&k, &v)?;
    }
    Ok(out)
}

/// The raw body: `bytes` borrowed; `bytearray` and `memoryview` copied; anything else refused
/// with the raw-body explanation.
fn body_bytes<'a>(py: Python<'_>, obj: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, [u8]>> {
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(Cow::Borrowed(b.as_bytes()));
    }
    if let Ok(b) = obj.cast::<PyByteArray>() {
        return Ok(Cow::Owned(b.to_vec()));
    }
    if obj.hasattr("tobytes")? {
        let b = obj.call_method0("tobytes")?;
        return Ok(Cow::Owned(b.cast::<PyBytes>()?.as_bytes().to_vec()));
    }
    if obj.is_instance_of::<PyString>() {
        return Err(payload_error(
            py,
            "the body is a str: pass the raw request bytes (request.get_data(), await \
             request.body(), request.body); a decoded or re-encoded body may not verify",
        ));
    }
    Err(payload_error(
        py,
        "the body must be the raw request bytes (bytes, bytearray or memoryview), not a parsed \
         object: signatures cover the exact bytes sent, and re-serialising changes them",
    ))
}

fn provider_of(py: Python<'_>, s: &str) -> PyResult<Provider> {
    s.parse().map_err(|e| raise(py, &e))
}

/// Builds a core config from the keyword options shared by `Verifier` and `sign`.
#[allow(clippy::too_many_arguments)]
fn config(
    py: Python<'_>,
    provider: &str,
    secret: Option<String>,
    secrets: Option<Vec<String>>,
    tolerance: Option<&Bound<'_, PyAny>>,
    username: Option<String>,
    password: Option<String>,
    hmac: Option<&Bound<'_, PyDict>>,
) -> PyResult<Config> {
    let option = |reason: &'static str| raise(py, &hookproof::Error::InvalidOption { reason });
    let mut c = Config::new(provider_of(py, provider)?);
    c.secrets.extend(secret);
    c.secrets.extend(secrets.into_iter().flatten());
    if let Some(t) = tolerance {
        if let Ok(b) = t.cast::<PyBool>() {
            if b.is_true() {
                return Err(option(
                    "tolerance is seconds, or False to disable the check",
                ));
            }
            c.tolerance = None;
        } else if !t.is_none() {
            c.tolerance = Some(t.extract::<u64>().map_err(|_| {
                option("tolerance is a whole number of seconds, or False to disable the check")
            })?);
        }
    }
    let mut c = c
        .credentials(username, password)
        .map_err(|e| raise(py, &e))?;
    if let Some(h) = hmac {
        let text = |key: &str| -> PyResult<Option<String>> {
            h.get_item(key)?
                .filter(|v| !v.is_none())
                .map(|v| v.extract())
                .transpose()
        };
        let header = text("header")?.ok_or_else(|| option("hmac needs a header"))?;
        let spec = HmacSpec::from_names(
            header,
            text("algorithm")?.as_deref(),
            text("encoding")?.as_deref(),
            text("prefix")?,
        );
        c.hmac = Some(spec.map_err(|e| raise(py, &e))?);
    }
    Ok(c)
}

fn now_or_clock(now: Option<u64>) -> u64 {
    now.unwrap_or_else(hookproof::unix_now)
}

/// What a successful verification established.
#[pyclass(frozen, module = "hookproof._hookproof", get_all)]
struct Verified {
    /// The provider id.
    provider: &'static str,
    /// Index of the configured secret that matched.
    secret_index: usize,
    /// The signed timestamp (unix seconds), for schemes that sign one.
    timestamp: Option<u64>,
}

#[pymethods]
impl Verified {
    fn __repr__(&self) -> String {
        format!(
            "Verified(provider={:?}, secret_index={}, timestamp={:?})",
            self.provider, self.secret_index, self.timestamp
        )
    }
}

/// Checks webhook requests for one provider. Build once per endpoint.
#[pyclass(frozen, module = "hookproof._hookproof")]
struct Verifier {
    inner: hookproof::Verifier,
}

impl Verifier {
    fn run_verify(
        &self,
        py: Python<'_>,
        headers: &Bound<'_, PyAny>,
        body: &Bound<'_, PyAny>,
        now: Option<u64>,
    ) -> PyResult<hookproof::Verified> {
        let pairs = header_pairs(headers)?;
        let bytes = body_bytes(py, body)?;
        let now = now_or_clock(now);
        let inner = &self.inner;
        let result = if bytes.len() > DETACH_THRESHOLD {
            // `bytes` borrows an immutable `bytes` object (or our own copy) that stays alive
            // for the call, so hashing it without the GIL is safe.
            let slice: &[u8] = &bytes;
            py.detach(|| inner.verify(&pairs, slice, now))
        } else {
            inner.verify(&pairs, &bytes, now)
        };
        result.map_err(|e| raise(py, &e))
    }
}

#[pymethods]
impl Verifier {
    #[new]
    #[pyo3(signature = (provider, secret=None, *, secrets=None, tolerance=None, username=None, password=None, hmac=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        provider: &str,
        secret: Option<String>,
        secrets: Option<Vec<String>>,
        tolerance: Option<&Bound<'_, PyAny>>,
        username: Option<String>,
        password: Option<String>,
        hmac: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let c = config(
            py, provider, secret, secrets, tolerance, username, password, hmac,
        )?;
        let inner = hookproof::Verifier::new(c).map_err(|e| raise(py, &e))?;
        Ok(Verifier { inner })
    }

    /// The provider id.
    #[getter]
    fn provider(&self) -> &'static str {
        self.inner.provider().id()
    }

    /// The timestamp tolerance in seconds, or None when disabled.
    #[getter]
    fn tolerance(&self) -> Option<u64> {
        self.inner.tolerance()
    }

    /// Verifies the raw body against the headers; raises a WebhookVerificationError subclass.
    #[pyo3(signature = (headers, body, now=None))]
    fn verify(
        &self,
        py: Python<'_>,
        headers: &Bound<'_, PyAny>,
        body: &Bound<'_, PyAny>,
        now: Option<u64>,
    ) -> PyResult<Verified> {
        let v = self.run_verify(py, headers, body, now)?;
        Ok(Verified {
            provider: v.provider.id(),
            secret_index: v.secret_index,
            timestamp: v.timestamp,
        })
    }

    /// Parses the payload without verifying it (verify first).
    fn parse<'py>(
        &self,
        py: Python<'py>,
        headers: &Bound<'py, PyAny>,
        body: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        parse_with(py, self.inner.provider(), headers, body)
    }

    /// Verifies the raw body, then parses it; returns the event.
    #[pyo3(signature = (headers, body, now=None))]
    fn verify_and_parse<'py>(
        &self,
        py: Python<'py>,
        headers: &Bound<'py, PyAny>,
        body: &Bound<'py, PyAny>,
        now: Option<u64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.run_verify(py, headers, body, now)?;
        parse_with(py, self.inner.provider(), headers, body)
    }

    fn __repr__(&self) -> String {
        format!(
            "Verifier(provider={:?}, tolerance={:?})",
            self.provider(),
            self.tolerance()
        )
    }
}

fn parse_with<'py>(
    py: Python<'py>,
    provider: Provider,
    headers: &Bound<'py, PyAny>,
    body: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let pairs = header_pairs(headers)?;
    let bytes = body_bytes(py, body)?;
    let event = hookproof::parse(provider, &pairs, &bytes).map_err(|e| raise(py, &e))?;
    pythonize::pythonize(py, &event).map_err(PyErr::from)
}

/// Parses a payload for `provider` without verifying it.
#[pyfunction(name = "parse")]
fn parse_fn<'py>(
    py: Python<'py>,
    provider: &str,
    headers: &Bound<'py, PyAny>,
    body: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    parse_with(py, provider_of(py, provider)?, headers, body)
}

/// A request as the provider would send it.
#[pyclass(frozen, module = "hookproof._hookproof", get_all)]
struct SignedRequest {
    method: &'static str,
    headers: Py<PyDict>,
    body: Py<PyBytes>,
}

#[pymethods]
impl SignedRequest {
    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "SignedRequest(method={:?}, headers=<{}>, body=<{} bytes>)",
            self.method,
            self.headers.bind(py).len(),
            self.body.bind(py).as_bytes().len()
        )
    }
}

/// Signs `payload` as `provider` would (first secret), for testing receivers.
#[pyfunction]
#[pyo3(signature = (provider, payload, *, secret=None, secrets=None, username=None, password=None, hmac=None, now=None, id=None, event_type=None, generation=None))]
#[allow(clippy::too_many_arguments)]
fn sign(
    py: Python<'_>,
    provider: &str,
    payload: &Bound<'_, PyAny>,
    secret: Option<String>,
    secrets: Option<Vec<String>>,
    username: Option<String>,
    password: Option<String>,
    hmac: Option<&Bound<'_, PyDict>>,
    now: Option<u64>,
    id: Option<String>,
    event_type: Option<String>,
    generation: Option<String>,
) -> PyResult<SignedRequest> {
    let c = config(
        py, provider, secret, secrets, None, username, password, hmac,
    )?;
    let payload: Cow<'_, [u8]> = match payload.cast::<PyString>() {
        Ok(s) => Cow::Owned(s.to_cow()?.as_bytes().to_vec()),
        Err(_) => body_bytes(py, payload)?,
    };
    let centrali_generation = match generation {
        Some(g) => CentraliGeneration::from_name(&g).ok_or_else(|| {
            raise(
                py,
                &hookproof::Error::InvalidOption {
                    reason: "generation is legacy or standard",
                },
            )
        })?,
        None => CentraliGeneration::default(),
    };
    let opts = SignOptions {
        now: now_or_clock(now),
        id,
        event_type,
        centrali_generation,
    };
    let req = hookproof::sign(c, &payload, &opts).map_err(|e| raise(py, &e))?;
    let headers = PyDict::new(py);
    for (k, v) in &req.headers {
        headers.set_item(k, v)?;
    }
    Ok(SignedRequest {
        method: req.method,
        headers: headers.unbind(),
        body: PyBytes::new(py, &req.body).unbind(),
    })
}

/// The answer to Extend Commerce's `?echo=` registration check, or None.
#[pyfunction]
fn extend_echo_response(url_or_query: &str) -> Option<String> {
    hookproof::extend_echo_response(url_or_query)
}

#[pymodule]
fn _hookproof(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<Verifier>()?;
    m.add_class::<Verified>()?;
    m.add_class::<SignedRequest>()?;
    m.add_function(wrap_pyfunction!(sign, m)?)?;
    m.add_function(wrap_pyfunction!(parse_fn, m)?)?;
    m.add_function(wrap_pyfunction!(extend_echo_response, m)?)?;
    m.add(
        "WebhookVerificationError",
        py.get_type::<WebhookVerificationError>(),
    )?;
    m.add("SignatureMismatch", py.get_type::<SignatureMismatch>())?;
    m.add("TimestampOutOfRange", py.get_type::<TimestampOutOfRange>())?;
    m.add("MalformedRequest", py.get_type::<MalformedRequest>())?;
    m.add("InvalidPayload", py.get_type::<InvalidPayload>())?;
    m.add("ConfigurationError", py.get_type::<ConfigurationError>())?;
    m.add(
        "PROVIDERS",
        Provider::ALL.iter().map(|p| p.id()).collect::<Vec<_>>(),
    )?;
    Ok(())
}
