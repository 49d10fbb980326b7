//! Core values (events, `serde_json::Value`) straight into Python objects: a `serde::Serializer`
//! whose output is a Python object tree, with the same shape `serde_json::to_value` gives
//! (structs and maps become dicts, sequences lists, `None`/unit `None`, integers exact `int`s).
//!
//! No JSON text round trip and no intermediate `Value`. Struct field names are `&'static str`,
//! so their Python strings are made once and reused: a cached key skips the UTF-8 decode, the
//! allocation and the hashing that a fresh `str` costs on every dict insert.

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, Mutex};

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use pyo3::IntoPyObjectExt;
use serde::ser::{self, Serialize};

/// Converts any serializable core value into Python objects.
pub fn to_py<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    // `try_lock`: never wait for the cache while holding the GIL (another thread may hold the
    // lock while waiting for the GIL); without the lock, keys are simply made afresh.
    let mut guard = KEYS.try_lock().ok();
    let keys = guard
        .as_deref_mut()
        .map(|k| k.get_or_insert_with(KeyCache::default));
    let ser = ToPy { py, keys };
    let result = value.serialize(ser).map_err(|e| e.0);
    if let Some(cache) = guard.as_deref_mut().and_then(Option::as_mut) {
        cache.memo.clear();
    }
    result
}

/// Python strings of struct field names, keyed by the address and length of the static text
/// (same address and length means the same bytes), and one template dict per struct shape.
/// Statics are never dropped, so no reference is released after the interpreter has gone.
#[derive(Default)]
struct KeyCache {
    keys: HashMap<(usize, usize), Py<PyString>, BuildHasherDefault<AddrHasher>>,
    shapes: HashMap<(usize, usize, usize), Arc<Shape>, BuildHasherDefault<AddrHasher>>,
    /// Keys of JSON objects seen during one conversion (as json.loads memoizes them): repeated
    /// keys of a list of objects become one str. Emptied after every conversion, so it is
    /// bounded by the payload and keeps nothing of it. The sender chooses these keys: hashed
    /// with std's randomly keyed SipHash, since with `AddrHasher` keys that agree in their low
    /// hash bits are cheap to make (80,000 of them made `detail` of 1 MiB take 1.5 s).
    memo: HashMap<Box<str>, Py<PyString>>,
}

/// serde_json's marker struct for a raw JSON value (the core's `RawJson`): one string field
/// holding JSON text, which becomes Python objects through `json.loads` (C, and the same
/// types: exact ints, floats, str, lists, dicts in document order).
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";
static JSON_LOADS: pyo3::sync::PyOnceLock<Py<PyAny>> = pyo3::sync::PyOnceLock::new();

fn json_loads<'py>(text: &Bound<'py, PyAny>) -> Result<Bound<'py, PyAny>> {
    let py = text.py();
    // Not `get_or_try_init`: the import runs Python code, which could read an event field
    // that needs this same cell, and re-entering its init blocks forever.
    let loads = match JSON_LOADS.get(py) {
        Some(loads) => loads.bind(py).clone(),
        None => {
            let loads = py.import("json")?.getattr("loads")?;
            let _ = JSON_LOADS.set(py, loads.clone().unbind());
            loads
        }
    };
    Ok(loads.call1((text,))?)
}

/// Longer keys are rarely repeated; they are not memoized.
const MEMO_MAX_KEY: usize = 48;
static KEYS: Mutex<Option<KeyCache>> = Mutex::new(None);

/// A struct's fields in order, and a dict of exactly those keys (values None). A struct dict
/// starts as a copy of it: the copy is pre-sized and its keys already hashed, so filling it
/// is a value replacement per field instead of an insert (and two resizes for 15 fields).
struct Shape {
    fields: Vec<((usize, usize), Py<PyString>)>,
    dict: Py<PyDict>,
}

/// Addresses of static text are already unique (and not chosen by a sender): a multiply
/// spreads them, no SipHash needed.
#[derive(Default)]
struct AddrHasher(u64);

impl Hasher for AddrHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0.rotate_left(5) ^ n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// A Python error carried through serde.
pub struct Error(PyErr);

impl From<PyErr> for Error {
    fn from(e: PyErr) -> Self {
        Error(e)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(pyo3::exceptions::PyValueError::new_err(msg.to_string()))
    }
}

type Result<T> = std::result::Result<T, Error>;

struct ToPy<'py, 'c> {
    py: Python<'py>,
    keys: Option<&'c mut KeyCache>,
}

impl<'py, 'c> ToPy<'py, 'c> {
    fn reborrow(&mut self) -> ToPy<'py, '_> {
        ToPy {
            py: self.py,
            keys: self.keys.as_deref_mut(),
        }
    }

    fn key(&mut self, name: &'static str) -> Bound<'py, PyString> {
        let py = self.py;
        match self.keys.as_deref_mut() {
            Some(cache) => cache
                .keys
                .entry((name.as_ptr() as usize, name.len()))
                .or_insert_with(|| PyString::new(py, name).unbind())
                .bind(py)
                .clone(),
            None => PyString::new(py, name),
        }
    }

    fn dict_with(
        &mut self,
        variant: &'static str,
        value: Bound<'py, PyAny>,
    ) -> Result<Bound<'py, PyAny>> {
        let d = PyDict::new(self.py);
        d.set_item(self.key(variant), value)?;
        Ok(d.into_any())
    }
}

fn int<'py, T: IntoPyObject<'py>>(py: Python<'py>, v: T) -> Result<Bound<'py, PyAny>> {
    Ok(v.into_bound_py_any(py)?)
}

impl<'py, 'c> ser::Serializer for ToPy<'py, 'c> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    type SerializeSeq = Seq<'py, 'c>;
    type SerializeTuple = Seq<'py, 'c>;
    type SerializeTupleStruct = Seq<'py, 'c>;
    type SerializeTupleVariant = Seq<'py, 'c>;
    type SerializeMap = Map<'py, 'c>;
    type SerializeStruct = Map<'py, 'c>;
    type SerializeStructVariant = Map<'py, 'c>;

    fn serialize_bool(self, v: bool) -> Result<Self::Ok> {
        Ok(pyo3::types::PyBool::new(self.py, v).to_owned().into_any())
    }
    fn serialize_i8(self, v: i8) -> Result<Self::Ok> {
        int(self.py, v)
    }
    fn serialize_i16(self, v: i16) -> Result<Self::Ok> {
        int(self.py, v)
    }
    fn serialize_i32(self, v: i32) -> Result<Self::Ok> {
        int(self.py, v)
    }
    fn serialize_i64(self, v: i64) -> Result<Self::Ok> {
        int(self.py, v)
    }
    fn serialize_i128(self, v: i128) -> Result<Self::Ok> {
        int(self.py, v)
    }
    fn serialize_u8(self, v: u8) -> Result<Self::Ok> {
        int(self.py, v)
    }
    fn serialize_u16(self, v: u16) -> Result<Self::Ok> {
        int(self.py, v)
    }
    fn serialize_u32(self, v: u32) -> Result<Self::Ok> {
        int(self.py, v)
    }
    fn serialize_u64(self, v: u64) -> Result<Self::Ok> {
        int(self.py, v)
    }
    fn serialize_u128(self, v: u128) -> Result<Self::Ok> {
        int(self.py, v)
    }
    fn serialize_f32(self, v: f32) -> Result<Self::Ok> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<Self::Ok> {
        // serde_json's Value has no NaN or infinity: they become null.
        if v.is_finite() {
            int(self.py, v)
        } else {
            Ok(self.py.None().into_bound(self.py))
        }
    }
    fn serialize_char(self, v: char) -> Result<Self::Ok> {
        let mut buf = [0u8; 4];
        Ok(PyString::new(self.py, v.encode_utf8(&mut buf)).into_any())
    }
    fn serialize_str(self, v: &str) -> Result<Self::Ok> {
        Ok(PyString::new(self.py, v).into_any())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Self::Ok> {
        // As serde_json: an array of numbers.
        Ok(PyList::new(self.py, v)?.into_any())
    }
    fn serialize_none(self) -> Result<Self::Ok> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Self::Ok> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Self::Ok> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Self::Ok> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        mut self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
    ) -> Result<Self::Ok> {
        Ok(self.key(variant).into_any())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Self::Ok> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        mut self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Self::Ok> {
        let inner = value.serialize(self.reborrow())?;
        self.dict_with(variant, inner)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq> {
        Ok(Seq {
            items: Vec::with_capacity(len.unwrap_or(0)),
            ser: self,
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Ok(Seq {
            items: Vec::with_capacity(len),
            ser: self,
            variant: Some(variant),
        })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Ok(Map {
            dict: PyDict::new(self.py),
            ser: self,
            pending: None,
            variant: None,
            fill: Fill::Plain,
        })
    }
    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Self::SerializeStruct> {
        if name == RAW_VALUE_TOKEN {
            return Ok(Map {
                dict: PyDict::new(self.py),
                ser: self,
                pending: None,
                variant: None,
                fill: Fill::Raw,
            });
        }
        let id = (name.as_ptr() as usize, name.len(), len);
        let known = self
            .keys
            .as_deref()
            .and_then(|c| c.shapes.get(&id).cloned());
        let (dict, fill) = match known {
            Some(shape) => (
                shape.dict.bind(self.py).copy()?,
                Fill::Copy { shape, next: 0 },
            ),
            None if self.keys.is_some() => (
                PyDict::new(self.py),
                Fill::Learn {
                    id,
                    fields: Vec::with_capacity(len),
                },
            ),
            None => (PyDict::new(self.py), Fill::Plain),
        };
        Ok(Map {
            dict,
            ser: self,
            pending: None,
            variant: None,
            fill,
        })
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        let mut m = self.serialize_map(Some(len))?;
        m.variant = Some(variant);
        Ok(m)
    }
}

pub struct Seq<'py, 'c> {
    ser: ToPy<'py, 'c>,
    items: Vec<Bound<'py, PyAny>>,
    variant: Option<&'static str>,
}

impl<'py> Seq<'py, '_> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let v = value.serialize(self.ser.reborrow())?;
        self.items.push(v);
        Ok(())
    }

    fn finish(mut self) -> Result<Bound<'py, PyAny>> {
        let list = PyList::new(self.ser.py, self.items)?.into_any();
        match self.variant {
            Some(v) => self.ser.dict_with(v, list),
            None => Ok(list),
        }
    }
}

impl<'py> ser::SerializeSeq for Seq<'py, '_> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }
    fn end(self) -> Result<Self::Ok> {
        self.finish()
    }
}

impl<'py> ser::SerializeTuple for Seq<'py, '_> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }
    fn end(self) -> Result<Self::Ok> {
        self.finish()
    }
}

impl<'py> ser::SerializeTupleStruct for Seq<'py, '_> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }
    fn end(self) -> Result<Self::Ok> {
        self.finish()
    }
}

impl<'py> ser::SerializeTupleVariant for Seq<'py, '_> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }
    fn end(self) -> Result<Self::Ok> {
        self.finish()
    }
}

pub struct Map<'py, 'c> {
    ser: ToPy<'py, 'c>,
    dict: Bound<'py, PyDict>,
    pending: Option<Bound<'py, PyAny>>,
    variant: Option<&'static str>,
    fill: Fill,
}

/// How a struct's dict is being filled.
enum Fill {
    /// Maps, or no cache: plain inserts.
    Plain,
    /// First of its shape: plain inserts, remembering the fields to make a template.
    Learn {
        id: (usize, usize, usize),
        fields: Vec<((usize, usize), Py<PyString>)>,
    },
    /// A copy of the template; `next` is the index of the field expected next.
    Copy { shape: Arc<Shape>, next: usize },
    /// Raw JSON text (see `RAW_VALUE_TOKEN`); its value is kept in `pending`.
    Raw,
}

impl<'py> Map<'py, '_> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<()> {
        let v = value.serialize(self.ser.reborrow())?;
        if let Fill::Raw = self.fill {
            self.pending = Some(json_loads(&v)?);
            return Ok(());
        }
        let addr = (key.as_ptr() as usize, key.len());
        if let Fill::Copy { shape, next } = &mut self.fill {
            match shape.fields.get(*next) {
                Some((a, k)) if *a == addr => {
                    *next += 1;
                    self.dict.set_item(k.bind(self.ser.py), v)?;
                    return Ok(());
                }
                // Not the template's order (cannot happen for derived structs): start over
                // with the fields set so far, then insert as usual.
                _ => {
                    let fresh = PyDict::new(self.ser.py);
                    for (_, k) in &shape.fields[..*next] {
                        let k = k.bind(self.ser.py);
                        if let Some(v) = self.dict.get_item(k)? {
                            fresh.set_item(k, v)?;
                        }
                    }
                    self.dict = fresh;
                    self.fill = Fill::Plain;
                }
            }
        }
        let k = self.ser.key(key);
        if let Fill::Learn { fields, .. } = &mut self.fill {
            fields.push((addr, k.clone().unbind()));
        }
        self.dict.set_item(k, v)?;
        Ok(())
    }

    fn finish(mut self) -> Result<Bound<'py, PyAny>> {
        let py = self.ser.py;
        match std::mem::replace(&mut self.fill, Fill::Plain) {
            Fill::Raw => {
                return self
                    .pending
                    .take()
                    .ok_or_else(|| <Error as ser::Error>::custom("raw JSON without its text"));
            }
            Fill::Plain => {}
            Fill::Copy { shape, next } => {
                // Fields the template has but this value skipped.
                for (_, k) in &shape.fields[next..] {
                    self.dict.del_item(k.bind(py))?;
                }
            }
            Fill::Learn { id, fields } => {
                if fields.len() == id.2 && self.dict.len() == id.2 {
                    let dict = PyDict::new(py);
                    for (_, k) in &fields {
                        dict.set_item(k.bind(py), py.None())?;
                    }
                    if let Some(cache) = self.ser.keys.as_deref_mut() {
                        let shape = Shape {
                            fields,
                            dict: dict.unbind(),
                        };
                        cache.shapes.entry(id).or_insert_with(|| Arc::new(shape));
                    }
                }
            }
        }
        let dict = self.dict.into_any();
        match self.variant {
            Some(v) => self.ser.dict_with(v, dict),
            None => Ok(dict),
        }
    }
}

impl<'py> ser::SerializeMap for Map<'py, '_> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        let memo = self.ser.keys.as_deref_mut().map(|c| &mut c.memo);
        self.pending = Some(key.serialize(MapKey {
            py: self.ser.py,
            memo,
        })?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let k = self
            .pending
            .take()
            .ok_or_else(|| <Error as ser::Error>::custom("map value without a key"))?;
        let v = value.serialize(self.ser.reborrow())?;
        self.dict.set_item(k, v)?;
        Ok(())
    }
    fn end(self) -> Result<Self::Ok> {
        self.finish()
    }
}

impl<'py> ser::SerializeStruct for Map<'py, '_> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.field(key, value)
    }
    fn end(self) -> Result<Self::Ok> {
        self.finish()
    }
}

impl<'py> ser::SerializeStructVariant for Map<'py, '_> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.field(key, value)
    }
    fn end(self) -> Result<Self::Ok> {
        self.finish()
    }
}

/// Map keys as JSON has them: strings (numbers, booleans and chars written as text).
struct MapKey<'py, 'c> {
    py: Python<'py>,
    memo: Option<&'c mut HashMap<Box<str>, Py<PyString>>>,
}

impl<'py> MapKey<'py, '_> {
    fn text(self, s: &str) -> Result<Bound<'py, PyAny>> {
        let py = self.py;
        let Some(memo) = self.memo.filter(|_| s.len() <= MEMO_MAX_KEY) else {
            return Ok(PyString::new(py, s).into_any());
        };
        if let Some(k) = memo.get(s) {
            return Ok(k.bind(py).clone().into_any());
        }
        let k = PyString::new(py, s);
        memo.insert(s.into(), k.clone().unbind());
        Ok(k.into_any())
    }
    fn refuse(self) -> Result<Bound<'py, PyAny>> {
        Err(<Error as ser::Error>::custom("a map key is not a string"))
    }
}

impl<'py> ser::Serializer for MapKey<'py, '_> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    type SerializeSeq = ser::Impossible<Self::Ok, Error>;
    type SerializeTuple = ser::Impossible<Self::Ok, Error>;
    type SerializeTupleStruct = ser::Impossible<Self::Ok, Error>;
    type SerializeTupleVariant = ser::Impossible<Self::Ok, Error>;
    type SerializeMap = ser::Impossible<Self::Ok, Error>;
    type SerializeStruct = ser::Impossible<Self::Ok, Error>;
    type SerializeStructVariant = ser::Impossible<Self::Ok, Error>;

    fn serialize_str(self, v: &str) -> Result<Self::Ok> {
        self.text(v)
    }
    fn serialize_bool(self, v: bool) -> Result<Self::Ok> {
        self.text(if v { "true" } else { "false" })
    }
    fn serialize_i8(self, v: i8) -> Result<Self::Ok> {
        self.text(&v.to_string())
    }
    fn serialize_i16(self, v: i16) -> Result<Self::Ok> {
        self.text(&v.to_string())
    }
    fn serialize_i32(self, v: i32) -> Result<Self::Ok> {
        self.text(&v.to_string())
    }
    fn serialize_i64(self, v: i64) -> Result<Self::Ok> {
        self.text(&v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<Self::Ok> {
        self.text(&v.to_string())
    }
    fn serialize_u16(self, v: u16) -> Result<Self::Ok> {
        self.text(&v.to_string())
    }
    fn serialize_u32(self, v: u32) -> Result<Self::Ok> {
        self.text(&v.to_string())
    }
    fn serialize_u64(self, v: u64) -> Result<Self::Ok> {
        self.text(&v.to_string())
    }
    fn serialize_f32(self, _v: f32) -> Result<Self::Ok> {
        self.refuse()
    }
    fn serialize_f64(self, _v: f64) -> Result<Self::Ok> {
        self.refuse()
    }
    fn serialize_char(self, v: char) -> Result<Self::Ok> {
        self.text(v.encode_utf8(&mut [0u8; 4]))
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<Self::Ok> {
        self.refuse()
    }
    fn serialize_none(self) -> Result<Self::Ok> {
        self.refuse()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _v: &T) -> Result<Self::Ok> {
        self.refuse()
    }
    fn serialize_unit(self) -> Result<Self::Ok> {
        self.refuse()
    }
    fn serialize_unit_struct(self, _n: &'static str) -> Result<Self::Ok> {
        self.refuse()
    }
    fn serialize_unit_variant(
        self,
        _n: &'static str,
        _i: u32,
        variant: &'static str,
    ) -> Result<Self::Ok> {
        self.text(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _n: &'static str,
        v: &T,
    ) -> Result<Self::Ok> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _n: &'static str,
        _i: u32,
        _v: &'static str,
        _value: &T,
    ) -> Result<Self::Ok> {
        self.refuse()
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(<Error as ser::Error>::custom("a map key is not a string"))
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple> {
        Err(<Error as ser::Error>::custom("a map key is not a string"))
    }
    fn serialize_tuple_struct(
        self,
        _n: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(<Error as ser::Error>::custom("a map key is not a string"))
    }
    fn serialize_tuple_variant(
        self,
        _n: &'static str,
        _i: u32,
        _v: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(<Error as ser::Error>::custom("a map key is not a string"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(<Error as ser::Error>::custom("a map key is not a string"))
    }
    fn serialize_struct(self, _n: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        Err(<Error as ser::Error>::custom("a map key is not a string"))
    }
    fn serialize_struct_variant(
        self,
        _n: &'static str,
        _i: u32,
        _v: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(<Error as ser::Error>::custom("a map key is not a string"))
    }
}
