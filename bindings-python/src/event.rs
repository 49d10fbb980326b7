//! Parsed events as a Python class over the core's event: attributes, and read-only mapping
//! access with the same keys (`event.resources` or `event["resources"]`).
//!
//! The core parses and validates everything before the object exists; only the conversion of
//! each field into Python objects waits for the first read of that field (then it is kept).
//! Building every object of an event costs several times the core's parse, and receivers
//! mostly read the event types and resources, not the provider model in `detail`.

use pyo3::exceptions::PyKeyError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString, PyTuple, PyType};
use pyo3::IntoPyObjectExt;
use serde::Serialize;

use crate::convert;

/// The keys, in the order of the core's `Event` and of `to_dict()`.
const FIELDS: [&str; 7] = [
    "provider",
    "idempotency_key",
    "event_types",
    "resources",
    "timestamp",
    "raw",
    "detail",
];

/// A parsed webhook: the normalised view every provider shares, plus `detail`, the provider's
/// own model. Read fields as attributes or as keys; `to_dict()` gives a plain dict.
#[pyclass(frozen, module = "hookproof", mapping, freelist = 16)]
pub struct Event {
    inner: hookproof::Event,
    event_types: PyOnceLock<Py<PyAny>>,
    resources: PyOnceLock<Py<PyAny>>,
    raw: PyOnceLock<Py<PyAny>>,
    detail: PyOnceLock<Py<PyAny>>,
}

impl Event {
    pub fn new(inner: hookproof::Event) -> Self {
        Event {
            inner,
            event_types: PyOnceLock::new(),
            resources: PyOnceLock::new(),
            raw: PyOnceLock::new(),
            detail: PyOnceLock::new(),
        }
    }

    /// A field converted on first use, then the same object on every read.
    fn cached<'py, T: Serialize + ?Sized>(
        py: Python<'py>,
        cell: &PyOnceLock<Py<PyAny>>,
        value: &T,
    ) -> PyResult<Bound<'py, PyAny>> {
        if let Some(v) = cell.get(py) {
            return Ok(v.bind(py).clone());
        }
        // Not `get_or_try_init`: converting allocates, which can run Python code (a finalizer
        // run by the GC) that reads this field, and re-entering the init blocks forever. The
        // first value stored wins, so every read still gets the same object.
        let v = convert::to_py(py, value)?;
        Ok(match cell.set(py, v.clone().unbind()) {
            Ok(()) => v,
            Err(_) => cell.get(py).map_or(v, |first| first.bind(py).clone()),
        })
    }

    /// `raw` as a Python str, made on first use.
    fn raw_str<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        self.raw
            .get_or_init(py, || {
                PyString::new(py, &self.inner.raw).into_any().unbind()
            })
            .bind(py)
            .clone()
    }

    fn field<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        let e = &self.inner;
        Ok(Some(match name {
            "provider" => PyString::new(py, e.provider.id()).into_any(),
            "idempotency_key" => e.idempotency_key.as_deref().into_bound_py_any(py)?,
            "event_types" => Self::cached(py, &self.event_types, &e.event_types)?,
            "resources" => Self::cached(py, &self.resources, &e.resources)?,
            "timestamp" => e.timestamp.into_bound_py_any(py)?,
            "raw" => self.raw_str(py),
            "detail" => Self::cached(py, &self.detail, &e.detail)?,
            _ => return Ok(None),
        }))
    }

    fn key_text<'a>(key: &'a Bound<'_, PyAny>) -> Option<std::borrow::Cow<'a, str>> {
        key.cast::<PyString>().ok()?.to_cow().ok()
    }
}

#[pymethods]
impl Event {
    /// Who sent it: `centra`, `centrali`, `orisha`, `shopctrl`, `extend`, `standardwebhooks`.
    #[getter]
    fn provider(&self) -> &'static str {
        self.inner.provider.id()
    }

    /// Stays the same across retries of one delivery, where the provider gives one.
    #[getter]
    fn idempotency_key(&self) -> Option<&str> {
        self.inner.idempotency_key.as_deref()
    }

    /// Event type(s) in the provider's own spelling.
    #[getter]
    fn event_types<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Self::cached(py, &self.event_types, &self.inner.event_types)
    }

    /// The things the event is about: dicts of type, id (a string) and action.
    #[getter]
    fn resources<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Self::cached(py, &self.resources, &self.inner.resources)
    }

    /// Unix seconds of the event or of its signature, where present.
    #[getter]
    fn timestamp(&self) -> Option<u64> {
        self.inner.timestamp
    }

    /// The payload's JSON text (for Centra, decoded from the form).
    #[getter]
    fn raw<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self
            .field(py, "raw")?
            .unwrap_or_else(|| py.None().into_bound(py)))
    }

    /// The provider's own model as plain dicts and lists.
    #[getter]
    fn detail<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Self::cached(py, &self.detail, &self.inner.detail)
    }

    /// `Event[CentraDetail]`: the type of an event whose `detail` is that.
    #[classmethod]
    fn __class_getitem__<'py>(
        cls: &Bound<'py, PyType>,
        item: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::generic_alias(cls, item)
    }

    fn __getitem__<'py>(
        &self,
        py: Python<'py>,
        key: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match Self::key_text(key) {
            Some(k) => self.field(py, &k)?,
            None => None,
        }
        .ok_or_else(|| PyKeyError::new_err(key.clone().unbind()))
    }

    fn __len__(&self) -> usize {
        FIELDS.len()
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(PyTuple::new(py, FIELDS)?.try_iter()?.into_any())
    }

    fn __contains__(&self, key: &Bound<'_, PyAny>) -> bool {
        Self::key_text(key).is_some_and(|k| FIELDS.contains(&&*k))
    }

    // Views over the event, as a dict's are (`collections.abc` builds them from `__iter__`,
    // `__len__` and `__getitem__`): what `Mapping` promises, so the stubs can say `Event` is one.

    /// The keys, in order (a `KeysView`).
    fn keys<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        static VIEW: PyOnceLock<Py<PyType>> = PyOnceLock::new();
        VIEW.import(slf.py(), "collections.abc", "KeysView")?
            .call1((slf,))
    }

    /// The values, in key order (a `ValuesView`).
    fn values<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        static VIEW: PyOnceLock<Py<PyType>> = PyOnceLock::new();
        VIEW.import(slf.py(), "collections.abc", "ValuesView")?
            .call1((slf,))
    }

    /// `(key, value)` pairs, in key order (an `ItemsView`).
    fn items<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        static VIEW: PyOnceLock<Py<PyType>> = PyOnceLock::new();
        VIEW.import(slf.py(), "collections.abc", "ItemsView")?
            .call1((slf,))
    }

    /// A field by key, or `default`.
    #[pyo3(signature = (key, default=None))]
    fn get<'py>(
        &self,
        py: Python<'py>,
        key: &Bound<'py, PyAny>,
        default: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let found = match Self::key_text(key) {
            Some(k) => self.field(py, &k)?,
            None => None,
        };
        Ok(found
            .or(default)
            .unwrap_or_else(|| py.None().into_bound(py)))
    }

    /// The whole event as a new plain dict (JSON-ready: `json.dumps`, `jsonify`,
    /// `JsonResponse`), sharing nothing with this object.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.inner)
    }

    /// Equal to another event with the same content, or to a dict equal to `to_dict()`.
    fn __eq__<'py>(&self, py: Python<'py>, other: &Bound<'py, PyAny>) -> PyResult<Py<PyAny>> {
        if let Ok(o) = other.cast::<Event>() {
            return (self.inner == o.get().inner).into_py_any(py);
        }
        if other.is_instance_of::<PyDict>() {
            return self.to_dict(py)?.eq(other)?.into_py_any(py);
        }
        Ok(py.NotImplemented())
    }

    /// Immutable: a copy is the event itself.
    fn __copy__<'py>(slf: &Bound<'py, Self>) -> Bound<'py, Self> {
        slf.clone()
    }

    /// The same parse with none of the converted fields shared.
    fn __deepcopy__(&self, _memo: &Bound<'_, PyAny>) -> Event {
        Event::new(self.inner.clone())
    }

    fn __reduce__(&self) -> PyResult<()> {
        Err(pyo3::exceptions::PyTypeError::new_err(
            "an Event cannot be pickled: pass event.to_dict() (plain and JSON-ready) to a queue \
             or another process",
        ))
    }

    fn __repr__(&self) -> String {
        format!(
            "Event(provider={:?}, event_types={:?}, resources={})",
            self.inner.provider.id(),
            self.inner.event_types,
            self.inner.resources.len()
        )
    }
}
