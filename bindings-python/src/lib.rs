//! Python binding: conversion between Python values and the `hookproof` core, nothing else.

use std::borrow::Cow;

use hookproof::{CentraliGeneration, Config, HmacSpec, Provider, SignOptions};
use pyo3::exceptions::{PyException, PyTypeError, PyUnicodeEncodeError};
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyList, PyMemoryView, PyString, PyTuple, PyType,
};
use pyo3::{create_exception, intern};

use smallvec::SmallVec;

mod convert;
mod event;

use event::Event;

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

/// Bodies above this size are hashed (and parsed) with the GIL released, so other threads run
/// meanwhile. Below it, releasing and re-taking the GIL costs more than the hashing it would
/// overlap (SHA-256 of 4 KB is about 2 us here).
const DETACH_THRESHOLD: usize = 4 * 1024;

fn raise(py: Python<'_>, e: &hookproof::Error) -> PyErr {
    exception(py, e.family(), e.code(), e.to_string(), e.hint().copied())
}

/// The exception of a family (`Error::family`), with `code`, `hint` and `hint_code` set.
fn exception(
    py: Python<'_>,
    family: &str,
    code: &str,
    msg: String,
    hint: Option<hookproof::Hint>,
) -> PyErr {
    let err = match family {
        "signature" => SignatureMismatch::new_err(msg),
        "timestamp" => TimestampOutOfRange::new_err(msg),
        "request" => MalformedRequest::new_err(msg),
        "payload" => InvalidPayload::new_err(msg),
        "config" => ConfigurationError::new_err(msg),
        _ => WebhookVerificationError::new_err(msg),
    };
    let value = err.value(py);
    // Attribute failures would only hide details; the exception itself stays correct.
    // They live in the instance __dict__, which BaseException.__reduce__ pickles.
    let _ = value.setattr(intern!(py, "code"), code);
    let _ = value.setattr(intern!(py, "hint"), hint.map(|h| h.message()));
    let _ = value.setattr(intern!(py, "hint_code"), hint.map(|h| h.code()));
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

/// The UTF-8 text of a Python `str`, borrowed for as long as the object is.
/// `PyUnicode_AsUTF8AndSize` (stable ABI from 3.10) returns the str's own cached UTF-8 (the
/// ASCII data itself for ASCII strings), so header text is not encoded into a temporary
/// `bytes` and copied.
#[cfg(not(feature = "abi3-py39"))]
fn str_of<'a>(s: &'a Bound<'_, PyString>) -> PyResult<Cow<'a, str>> {
    let mut size: pyo3::ffi::Py_ssize_t = 0;
    // SAFETY: `s` is a live `str` (checked type) for 'a; the returned buffer is owned by it,
    // immutable, and lives as long as it does. Null means a Python error is set.
    let data = unsafe { pyo3::ffi::PyUnicode_AsUTF8AndSize(s.as_ptr(), &mut size) };
    if data.is_null() {
        return Err(PyErr::fetch(s.py()));
    }
    let len = usize::try_from(size).unwrap_or(0);
    // SAFETY: CPython guarantees `len` bytes of valid UTF-8 at `data`, kept alive by `s` (a
    // str that cannot be encoded, e.g. with lone surrogates, makes the call fail above), so
    // checking it again would only cost time on every header.
    Ok(Cow::Borrowed(unsafe {
        std::str::from_utf8_unchecked(std::slice::from_raw_parts(data.cast::<u8>(), len))
    }))
}

/// The cp39-abi3 wheel's reading: 3.9's stable ABI cannot borrow a str's UTF-8, so it is
/// encoded into a `bytes` and copied (two allocations per header name and value).
#[cfg(feature = "abi3-py39")]
fn str_of<'a>(s: &'a Bound<'_, PyString>) -> PyResult<Cow<'a, str>> {
    s.to_cow()
}

fn header_text<'a>(v: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, str>> {
    if let Ok(s) = v.cast::<PyString>() {
        return str_of(s);
    }
    if let Ok(b) = v.cast::<PyBytes>() {
        // Raw ASGI headers are bytes; HTTP header values are Latin-1 at worst.
        let bytes = b.as_bytes();
        return Ok(match std::str::from_utf8(bytes) {
            Ok(s) if s.is_ascii() => Cow::Borrowed(s),
            _ => Cow::Owned(bytes.iter().map(|&c| char::from(c)).collect()),
        });
    }
    Err(PyTypeError::new_err(
        "header names and values must be str or bytes",
    ))
}

/// Python header objects as (name, value) object pairs, in arrival order. A dict, a list or
/// tuple of pairs, Starlette's `Headers` (its `.raw` byte pairs), or any object with `.items()`
/// (Werkzeug `Headers`/`EnvironHeaders`, Django `HttpHeaders`, mappings). Repeated headers stay
/// separate pairs; a list or tuple value (dict of lists) expands to one pair per value.
/// Fills `out` (the caller's: returning these inline arrays would copy them).
fn header_items<'py>(obj: &Bound<'py, PyAny>, out: &mut Items<'py>) -> PyResult<()> {
    // A list or tuple value is read item by item, not through its `__iter__`: a subclass's
    // could run Python code that changes the dict being iterated (pyo3 panics on that).
    fn push<'py>(out: &mut Items<'py>, k: Bound<'py, PyAny>, v: Bound<'py, PyAny>) -> PyResult<()> {
        if let Ok(list) = v.cast::<PyList>() {
            out.extend(list.iter().map(|item| (k.clone(), item)));
        } else if let Ok(tuple) = v.cast::<PyTuple>() {
            out.extend(tuple.iter().map(|item| (k.clone(), item)));
        } else {
            out.push((k, v));
        }
        Ok(())
    }
    let py = obj.py();
    if let Ok(d) = obj.cast::<PyDict>() {
        out.reserve(d.len());
        for (k, v) in d.iter() {
            push(out, k, v)?;
        }
        return Ok(());
    }
    let items = if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        obj.clone()
    } else if let Some(raw) = obj
        .getattr_opt(intern!(py, "raw"))?
        .filter(|r| r.is_instance_of::<PyList>())
    {
        // Starlette: the undecoded (name, value) byte pairs, duplicates included.
        raw
    } else if let Some(items) = obj.getattr_opt(intern!(py, "items"))? {
        items.call0()?
    } else {
        return Err(PyTypeError::new_err(
            "headers must be a dict, a list of (name, value) pairs or a headers object with .items()",
        ));
    };
    for pair in items.try_iter()? {
        let pair = pair?;
        // Not the IndexError of a 1-tuple, nor a 2-character str read as a name and a value.
        if pair.is_instance_of::<PyString>()
            || pair.is_instance_of::<PyBytes>()
            || pair.len().ok() != Some(2)
        {
            return Err(PyTypeError::new_err("each header is a (name, value) pair"));
        }
        let k = pair.get_item(0)?;
        let v = pair.get_item(1)?;
        push(out, k, v)?;
    }
    Ok(())
}

/// Header objects, held so that the text borrowed from them stays alive. Inline storage: a
/// webhook rarely has more than 16 headers, and heap allocations show in a 2 us call.
type Items<'py> = SmallVec<[(Bound<'py, PyAny>, Bound<'py, PyAny>); 16]>;
type Pairs<'a> = SmallVec<[(Cow<'a, str>, Cow<'a, str>); 16]>;

/// Name/value text borrowed from the objects `header_items` collected, into `out`: only the
/// headers the core may read (`reads`), as the npm package passes only those.
fn header_pairs<'a>(
    items: &'a [(Bound<'_, PyAny>, Bound<'_, PyAny>)],
    reads: &dyn Fn(&str) -> bool,
    out: &mut Pairs<'a>,
) -> PyResult<()> {
    for (k, v) in items {
        let name = match header_text(k) {
            Ok(name) if reads(&name) => name,
            // A name with a lone surrogate is not one the core reads (they are ASCII).
            Err(e) if !e.is_instance_of::<PyUnicodeEncodeError>(k.py()) => return Err(e),
            _ => continue,
        };
        let value = header_text(v).map_err(|e| unencodable(e, k.py(), &name))?;
        // HTTP forbids NUL in fields. The core refuses it in a header it looks up; this refuses
        // it in any it may read, as the npm package must (it joins headers with NUL to pass
        // them in one string), so both answer the same request the same way.
        if name.contains('\0') || value.contains('\0') {
            return Err(malformed_header(k.py(), &name, NUL_IN_HEADER));
        }
        out.push((name, value));
    }
    Ok(())
}

const NUL_IN_HEADER: &str = "it contains a NUL character, which HTTP does not allow";

/// A header value with a lone surrogate (only app code makes one: frameworks give latin-1
/// text or bytes) as `malformed_header`, as the npm package answers it, not the
/// UnicodeEncodeError whose `args` hold the whole value: for a signature header, the signature.
fn unencodable(e: PyErr, py: Python<'_>, name: &str) -> PyErr {
    if !e.is_instance_of::<PyUnicodeEncodeError>(py) {
        return e;
    }
    malformed_header(py, name, LONE_SURROGATE_IN_HEADER)
}

/// `malformed_header` naming the header as the core does: trimmed, lower case.
fn malformed_header(py: Python<'_>, name: &str, reason: &'static str) -> PyErr {
    let header = name.trim_ascii().to_ascii_lowercase().replace('\0', "\\0");
    raise(
        py,
        &hookproof::Error::MalformedHeader {
            header: header.into(),
            reason,
        },
    )
}

const LONE_SURROGATE_IN_HEADER: &str =
    "it contains a lone surrogate, which HTTP does not allow: pass the headers as the framework \
     gave them";

/// The raw body: an immutable `bytes` borrowed, any other buffer (`bytearray`, `memoryview`,
/// ...) copied, so that nothing can change it while it is hashed without the GIL.
enum Body<'py> {
    Shared(Bound<'py, PyBytes>),
    Copied(Vec<u8>),
}

impl Body<'_> {
    fn bytes(&self) -> &[u8] {
        match self {
            Body::Shared(b) => b.as_bytes(),
            Body::Copied(v) => v,
        }
    }
}

fn body_of<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Body<'py>> {
    let py = obj.py();
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(Body::Shared(b.clone()));
    }
    if let Ok(b) = obj.cast::<PyByteArray>() {
        return Ok(Body::Copied(b.to_vec()));
    }
    if obj.is_instance_of::<PyString>() {
        return Err(payload_error(
            py,
            "the body is a str: pass the raw request bytes (request.get_data(), await \
             request.body(), request.body); a decoded or re-encoded body may not verify",
        ));
    }
    if obj.is_none() {
        // The receiver's wiring (a framework's body that was never kept), not the sender's
        // payload: `invalid_option`, as in the npm package.
        return Err(raise(
            py,
            &hookproof::Error::InvalidOption {
                reason: "no body was given (None): pass the raw request bytes \
                         (request.get_data(), await request.body(), request.body)",
            },
        ));
    }
    // Any other object exporting the buffer protocol (memoryview, array, mmap...).
    if let Ok(view) = PyMemoryView::from(obj) {
        let copy = view.call_method0(intern!(py, "tobytes"))?;
        return Ok(Body::Shared(copy.cast_into::<PyBytes>()?));
    }
    Err(payload_error(
        py,
        "the body must be the raw request bytes (bytes, bytearray or memoryview), not a parsed \
         object: signatures cover the exact bytes sent, and re-serialising changes them",
    ))
}

/// Runs `f` on the GIL-free side for large bodies. Everything it borrows is immutable for the
/// call: `bytes` objects and `str` buffers we hold references to, or our own copies.
fn run<T: Send>(py: Python<'_>, len: usize, f: impl FnOnce() -> T + Send) -> T {
    if len > DETACH_THRESHOLD {
        py.detach(f)
    } else {
        f()
    }
}

/// The keys of the `hmac` option (the contract's names).
const HMAC_KEYS: [&str; 4] = ["header", "algorithm", "encoding", "prefix"];

/// `Cls[T]` at run time for the classes the stubs declare generic (`Verifier[CentraDetail]`,
/// `Event[CentraDetail]`), so that annotations evaluated at run time (FastAPI, pydantic,
/// `typing.get_type_hints`) work as they do for `list[int]`.
fn generic_alias<'py>(
    cls: &Bound<'py, PyType>,
    item: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = cls.py();
    py.import(intern!(py, "types"))?
        .getattr(intern!(py, "GenericAlias"))?
        .call1((cls, item))
}

fn provider_of(py: Python<'_>, s: &str) -> PyResult<Provider> {
    s.parse().map_err(|e| raise(py, &e))
}

/// A str's text, or `error` when it holds a lone surrogate (what `os.environ` makes of bytes
/// that are not UTF-8): pyo3's own conversion raises an uncoded UnicodeEncodeError whose `args`
/// carry the whole str, so a logged `repr(e)` of a secret would show it.
fn utf8(s: &Bound<'_, PyString>, error: hookproof::Error) -> PyResult<String> {
    s.to_cow()
        .map(Cow::into_owned)
        .map_err(|_| raise(s.py(), &error))
}

/// A secret or credential argument: `invalid_secret`, naming no part of it, for a lone
/// surrogate.
struct SecretText(String);

impl<'a, 'py> FromPyObject<'a, 'py> for SecretText {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let reason = LONE_SURROGATE_SECRET;
        utf8(
            &*obj.cast::<PyString>()?,
            hookproof::Error::InvalidSecret { reason },
        )
        .map(SecretText)
    }
}

/// A text option sent in a header (`sign`'s id, event type...) or naming a generation:
/// `invalid_option` for a lone surrogate, as Node's binding answers.
struct OptionText(String);

impl<'a, 'py> FromPyObject<'a, 'py> for OptionText {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let reason = "an option contains a lone surrogate, which no header can carry: check how \
                      it was read";
        utf8(
            &*obj.cast::<PyString>()?,
            hookproof::Error::InvalidOption { reason },
        )
        .map(OptionText)
    }
}

const HMAC_SURROGATE: &str =
    "an hmac value contains a lone surrogate, which no header can carry: check how it was read";

const LONE_SURROGATE_SECRET: &str = "it contains a lone surrogate, which has no UTF-8 form \
     (os.environ gives bytes that are not UTF-8 so): check how the secret was stored or decoded";

/// Builds a core config from the keyword options shared by `Verifier` and `sign`.
#[allow(clippy::too_many_arguments)]
fn config(
    py: Python<'_>,
    provider: &str,
    secret: Option<SecretText>,
    secrets: Option<Vec<Option<SecretText>>>,
    tolerance: Option<&Bound<'_, PyAny>>,
    username: Option<SecretText>,
    password: Option<SecretText>,
    hmac: Option<&Bound<'_, PyAny>>,
    generation: Option<OptionText>,
) -> PyResult<Config> {
    let option = |reason: &'static str| raise(py, &hookproof::Error::InvalidOption { reason });
    let mut c = Config::new(provider_of(py, provider)?);
    c.secrets.extend(secret.map(|s| s.0));
    // A None in the list is an unset variable: `empty_secret` with npm's words, rather than
    // pyo3's TypeError without a code.
    let secrets = secrets.unwrap_or_default();
    if secrets.iter().any(Option::is_none) {
        let e = hookproof::Error::EmptySecret;
        return Err(exception(
            py,
            e.family(),
            e.code(),
            "a configured secret is missing (None): check that the environment variable or \
             setting holding it is set"
                .into(),
            None,
        ));
    }
    c.secrets.extend(secrets.into_iter().flatten().map(|s| s.0));
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
        .credentials(username.map(|s| s.0), password.map(|s| s.0))
        .map_err(|e| raise(py, &e))?;
    c.centrali_generation =
        CentraliGeneration::from_option(generation.as_ref().map(|g| g.0.as_str()))
            .map_err(|e| raise(py, &e))?;
    if let Some(h) = hmac.filter(|h| !h.is_none()) {
        let h = h
            .cast::<PyDict>()
            .map_err(|_| option("hmac is a dict: {header, algorithm, encoding, prefix}"))?;
        for key in h.keys() {
            let known = key
                .cast::<PyString>()
                .ok()
                .and_then(|k| str_of(k).ok())
                .is_some_and(|k| HMAC_KEYS.contains(&k.as_ref()));
            if !known {
                return Err(option(
                    "hmac takes only the keys header, algorithm, encoding and prefix",
                ));
            }
        }
        let text = |key: &str| -> PyResult<Option<String>> {
            h.get_item(key)?
                .filter(|v| !v.is_none())
                .map(|v| match v.cast::<PyString>() {
                    Ok(s) => utf8(
                        s,
                        hookproof::Error::InvalidOption {
                            reason: HMAC_SURROGATE,
                        },
                    ),
                    Err(_) => Err(option("hmac values are strings")),
                })
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

/// `now` as unix seconds, or the clock when it is None. Anything but a non-negative int is a
/// configuration error with a code (pyo3's own extraction would raise a bare TypeError for
/// `time.time()`'s float, or OverflowError for a negative number, and take True as 1).
fn now_or_clock(py: Python<'_>, now: Option<&Bound<'_, PyAny>>) -> PyResult<u64> {
    let invalid = || {
        raise(
            py,
            &hookproof::Error::InvalidOption {
                reason: "now is unix time in seconds, a non-negative int (from time.time(): \
                         int(time.time()))",
            },
        )
    };
    match now.filter(|n| !n.is_none()) {
        None => Ok(hookproof::unix_now()),
        Some(n) if n.is_instance_of::<PyBool>() => Err(invalid()),
        Some(n) => n.extract::<u64>().map_err(|_| invalid()),
    }
}

/// What a successful verification established.
#[pyclass(frozen, module = "hookproof", get_all, freelist = 32)]
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
    /// What `verify` returns; built by hand for tests that stand in for a verifier.
    #[new]
    fn new(
        py: Python<'_>,
        provider: &str,
        secret_index: usize,
        timestamp: Option<u64>,
    ) -> PyResult<Self> {
        Ok(Verified {
            provider: provider_of(py, provider)?.id(),
            secret_index,
            timestamp,
        })
    }

    /// Pickled (and copied) as its constructor call: a plain value.
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> (Bound<'py, PyType>, (&'static str, usize, Option<u64>)) {
        let v = slf.get();
        (slf.get_type(), (v.provider, v.secret_index, v.timestamp))
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (self.provider, self.secret_index, self.timestamp).hash(&mut h);
        h.finish()
    }

    fn __repr__(&self) -> String {
        format!(
            "Verified(provider={:?}, secret_index={}, timestamp={})",
            self.provider,
            self.secret_index,
            py_optional(self.timestamp)
        )
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Verified>().is_ok_and(|o| {
            let o = o.get();
            (o.provider, o.secret_index, o.timestamp)
                == (self.provider, self.secret_index, self.timestamp)
        })
    }
}

/// Checks webhook requests for one provider. Build once per endpoint; share freely (immutable).
#[pyclass(frozen, module = "hookproof")]
struct Verifier {
    inner: hookproof::Verifier,
}

/// Converts the request's headers and body once, then runs `f` on them (without the GIL for
/// large bodies, see `run`).
fn with_inputs<T: Send>(
    headers: &Bound<'_, PyAny>,
    body: &Bound<'_, PyAny>,
    reads: &dyn Fn(&str) -> bool,
    f: impl FnOnce(&[(Cow<'_, str>, Cow<'_, str>)], &[u8]) -> T + Send,
) -> PyResult<T> {
    let mut items = Items::new();
    header_items(headers, &mut items)?;
    let mut pairs = Pairs::new();
    header_pairs(&items, reads, &mut pairs)?;
    let body = body_of(body)?;
    let bytes = body.bytes();
    Ok(run(headers.py(), bytes.len(), || f(&pairs, bytes)))
}

impl Verifier {
    /// Converts the inputs once, then runs `f` (verify, parse or both) on them.
    fn with_request<T: Send>(
        &self,
        headers: &Bound<'_, PyAny>,
        body: &Bound<'_, PyAny>,
        f: impl FnOnce(&hookproof::Verifier, &[(Cow<'_, str>, Cow<'_, str>)], &[u8]) -> T + Send,
    ) -> PyResult<T> {
        let inner = &self.inner;
        with_inputs(
            headers,
            body,
            &|name| inner.reads_header(name),
            |pairs, bytes| f(inner, pairs, bytes),
        )
    }
}

#[pymethods]
impl Verifier {
    #[new]
    #[pyo3(signature = (provider, secret=None, *, secrets=None, tolerance=None, username=None, password=None, hmac=None, generation=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        provider: &str,
        secret: Option<SecretText>,
        secrets: Option<Vec<Option<SecretText>>>,
        tolerance: Option<&Bound<'_, PyAny>>,
        username: Option<SecretText>,
        password: Option<SecretText>,
        hmac: Option<&Bound<'_, PyAny>>,
        generation: Option<OptionText>,
    ) -> PyResult<Self> {
        let c = config(
            py, provider, secret, secrets, tolerance, username, password, hmac, generation,
        )?;
        let inner = hookproof::Verifier::new(c).map_err(|e| raise(py, &e))?;
        Ok(Verifier { inner })
    }

    /// The provider id.
    #[getter]
    fn provider(&self) -> &'static str {
        self.inner.provider().id()
    }

    /// `Verifier[CentraDetail]`: the type of a verifier whose events' `detail` is that.
    #[classmethod]
    fn __class_getitem__<'py>(
        cls: &Bound<'py, PyType>,
        item: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        generic_alias(cls, item)
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
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Verified> {
        let now = now_or_clock(py, now)?;
        let v = self
            .with_request(headers, body, |v, h, b| v.verify(h, b, now))?
            .map_err(|e| raise(py, &e))?;
        Ok(Verified {
            provider: v.provider.id(),
            secret_index: v.secret_index,
            timestamp: v.timestamp,
        })
    }

    /// Parses the payload without verifying it (verify first).
    fn parse(
        &self,
        py: Python<'_>,
        headers: &Bound<'_, PyAny>,
        body: &Bound<'_, PyAny>,
    ) -> PyResult<Event> {
        let event = self
            .with_request(headers, body, |v, h, b| v.parse(h, b))?
            .map_err(|e| raise(py, &e))?;
        Ok(Event::new(event))
    }

    /// Verifies the raw body, then parses it; returns the event.
    #[pyo3(signature = (headers, body, now=None))]
    fn verify_and_parse(
        &self,
        py: Python<'_>,
        headers: &Bound<'_, PyAny>,
        body: &Bound<'_, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Event> {
        let now = now_or_clock(py, now)?;
        let (_, event) = self
            .with_request(headers, body, |v, h, b| v.verify_and_parse(h, b, now))?
            .map_err(|e| raise(py, &e))?;
        Ok(Event::new(event))
    }

    /// Immutable, so a copy (e.g. of settings holding it) is the verifier itself.
    fn __copy__<'py>(slf: &Bound<'py, Self>) -> Bound<'py, Self> {
        slf.clone()
    }

    fn __deepcopy__<'py>(slf: &Bound<'py, Self>, _memo: &Bound<'py, PyAny>) -> Bound<'py, Self> {
        slf.clone()
    }

    fn __reduce__(&self) -> PyResult<()> {
        Err(PyTypeError::new_err(
            "a Verifier cannot be pickled: it holds secrets; build one in each process from \
             your configuration",
        ))
    }

    fn __repr__(&self) -> String {
        format!(
            "Verifier(provider={:?}, tolerance={})",
            self.provider(),
            py_optional(self.tolerance())
        )
    }
}

/// An optional number as Python writes it: the number, or `None` (not Rust's `Some(..)`).
fn py_optional(value: Option<u64>) -> String {
    value.map_or_else(|| "None".to_string(), |v| v.to_string())
}

/// Parses a payload for `provider` without verifying it.
#[pyfunction(name = "parse")]
fn parse_fn(
    py: Python<'_>,
    provider: &str,
    headers: &Bound<'_, PyAny>,
    body: &Bound<'_, PyAny>,
) -> PyResult<Event> {
    let provider = provider_of(py, provider)?;
    let event = with_inputs(headers, body, &hookproof::reads_header, |pairs, bytes| {
        hookproof::parse(provider, pairs, bytes)
    })?
    .map_err(|e| raise(py, &e))?;
    Ok(Event::new(event))
}

/// A request as the provider would send it.
#[pyclass(frozen, module = "hookproof", get_all)]
struct SignedRequest {
    method: &'static str,
    headers: Py<PyDict>,
    body: Py<PyBytes>,
}

#[pymethods]
impl SignedRequest {
    fn __repr__(&self, py: Python<'_>) -> String {
        // Header values carry signatures and credentials: names only.
        let names: Vec<String> = self
            .headers
            .bind(py)
            .keys()
            .iter()
            .map(|k| k.to_string())
            .collect();
        format!(
            "SignedRequest(method={:?}, headers=<{}>, body=<{} bytes>)",
            self.method,
            names.join(", "),
            self.body.bind(py).as_bytes().len()
        )
    }
}

/// Signs `payload` as `provider` would (first secret), for testing receivers. Takes the same
/// options as `Verifier` (so one options dict serves both; `tolerance` is checked, not used).
#[pyfunction]
#[pyo3(signature = (provider, payload, *, secret=None, secrets=None, tolerance=None, username=None, password=None, hmac=None, now=None, id=None, event_type=None, generation=None, administration_code=None, triggered_by_id=None))]
#[allow(clippy::too_many_arguments)]
fn sign(
    py: Python<'_>,
    provider: &str,
    payload: &Bound<'_, PyAny>,
    secret: Option<SecretText>,
    secrets: Option<Vec<Option<SecretText>>>,
    tolerance: Option<&Bound<'_, PyAny>>,
    username: Option<SecretText>,
    password: Option<SecretText>,
    hmac: Option<&Bound<'_, PyAny>>,
    now: Option<&Bound<'_, PyAny>>,
    id: Option<OptionText>,
    event_type: Option<OptionText>,
    generation: Option<OptionText>,
    administration_code: Option<OptionText>,
    triggered_by_id: Option<OptionText>,
) -> PyResult<SignedRequest> {
    // `generation` pins the verifier, which then signs as that generation (see `Verifier`).
    let c = config(
        py, provider, secret, secrets, tolerance, username, password, hmac, generation,
    )?;
    // Options before the payload, as the npm package reads them.
    let mut opts = SignOptions::at(now_or_clock(py, now)?);
    opts.id = id.map(|t| t.0);
    opts.event_type = event_type.map(|t| t.0);
    opts.administration_code = administration_code.map(|t| t.0);
    opts.triggered_by_id = triggered_by_id.map(|t| t.0);
    // A str payload is fine here: we are producing the bytes, not checking them.
    let text;
    let body;
    let payload: &[u8] = match payload.cast::<PyString>() {
        Ok(s) => {
            text = s.to_cow().map_err(|_| {
                payload_error(
                    py,
                    "the payload str contains a lone surrogate, which has no UTF-8 form: pass \
                     the bytes to send",
                )
            })?;
            text.as_bytes()
        }
        Err(_) => {
            body = body_of(payload).map_err(|_| {
                payload_error(
                    py,
                    "sign takes the payload to send as str or bytes, not an object: pass \
                     json.dumps(payload)",
                )
            })?;
            body.bytes()
        }
    };
    let req =
        run(py, payload.len(), || hookproof::sign(c, payload, &opts)).map_err(|e| raise(py, &e))?;
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
    m.add_class::<Event>()?;
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
    // Class defaults, for errors made by hand (a test's stand-in verifier): each raised one
    // sets its own. The base class has no `code` default: it has no single meaning.
    let base = py.get_type::<WebhookVerificationError>();
    base.setattr(intern!(py, "hint"), py.None())?;
    base.setattr(intern!(py, "hint_code"), py.None())?;
    for (class, code) in [
        (py.get_type::<SignatureMismatch>(), "signature_mismatch"),
        (py.get_type::<TimestampOutOfRange>(), "timestamp_too_old"),
        (py.get_type::<MalformedRequest>(), "malformed_header"),
        (py.get_type::<InvalidPayload>(), "invalid_payload"),
        (py.get_type::<ConfigurationError>(), "invalid_option"),
    ] {
        class.setattr(intern!(py, "code"), code)?;
    }
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add(
        "PROVIDERS",
        PyTuple::new(py, Provider::ALL.iter().map(|p| p.id()))?,
    )?;
    Ok(())
}
