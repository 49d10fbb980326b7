//! [`SmallString`], the type of parsed ids and dates.

use alloc::string::String;
use core::borrow::Borrow;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Bytes held without allocating: room for a Centra date (`2021-01-29 14:40:58.628033`, 26
/// bytes), a u64 id (20 digits) and the codes providers send, in the size of a `String` and
/// its tag.
const INLINE: usize = 30;

/// A string that keeps up to 30 bytes inline and longer ones on the heap.
///
/// A parse makes one per resource id (and per Centra event date). As `String`s, their
/// allocations and frees were a tenth of verifying and parsing a Centra Integration API
/// event. It derefs to `str`, compares with `str` and `String`, and serialises as a string.
///
/// ```
/// let id = hookproof::SmallString::from("9007199254740993");
/// assert_eq!(id, "9007199254740993");
/// assert_eq!(id.len(), 16);
/// ```
#[derive(Clone)]
pub struct SmallString(Repr);

#[derive(Clone)]
enum Repr {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(String),
}

impl SmallString {
    /// The text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Only ever filled from a whole `str`, so the check always passes (and is short).
            Repr::Inline { len, bytes } => bytes
                .get(..usize::from(*len))
                .and_then(|b| core::str::from_utf8(b).ok())
                .unwrap_or_default(),
            Repr::Heap(s) => s,
        }
    }

    fn inline(s: &str) -> Option<SmallString> {
        let mut bytes = [0; INLINE];
        bytes.get_mut(..s.len())?.copy_from_slice(s.as_bytes());
        Some(SmallString(Repr::Inline {
            len: s.len() as u8,
            bytes,
        }))
    }
}

impl From<&str> for SmallString {
    fn from(s: &str) -> Self {
        SmallString::inline(s).unwrap_or_else(|| SmallString(Repr::Heap(String::from(s))))
    }
}

impl From<String> for SmallString {
    fn from(s: String) -> Self {
        SmallString::inline(&s).unwrap_or(SmallString(Repr::Heap(s)))
    }
}

impl From<SmallString> for String {
    fn from(s: SmallString) -> Self {
        match s.0 {
            Repr::Heap(s) => s,
            Repr::Inline { .. } => String::from(s.as_str()),
        }
    }
}

impl Default for SmallString {
    fn default() -> Self {
        SmallString::from("")
    }
}

impl Deref for SmallString {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SmallString {
    fn as_ref(&self) -> &str {
        self
    }
}

impl Borrow<str> for SmallString {
    fn borrow(&self) -> &str {
        self
    }
}

impl PartialEq for SmallString {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SmallString {}

impl Hash for SmallString {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.as_str().hash(h)
    }
}

impl PartialEq<str> for SmallString {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SmallString {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for SmallString {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl fmt::Debug for SmallString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for SmallString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl Serialize for SmallString {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self)
    }
}

impl<'de> Deserialize<'de> for SmallString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = SmallString;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<SmallString, E> {
                Ok(SmallString::from(s))
            }
            fn visit_string<E: serde::de::Error>(self, s: String) -> Result<SmallString, E> {
                Ok(SmallString::from(s))
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn inline_up_to_30_bytes_then_heap_with_the_same_text() {
        for n in [0, 1, 29, 30, 31, 100] {
            let text = "é".repeat(n / 2) + &"x".repeat(n % 2);
            let s = SmallString::from(text.as_str());
            assert_eq!(matches!(s.0, Repr::Inline { .. }), text.len() <= INLINE);
            assert_eq!(s, text);
            assert_eq!(SmallString::from(text.clone()), s);
            assert_eq!(String::from(s.clone()), text);
            assert_eq!(s.to_string(), text);
            assert_eq!(alloc::format!("{s:?}"), alloc::format!("{text:?}"));
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                serde_json::to_string(&text).unwrap()
            );
            let back: SmallString =
                serde_json::from_str(&serde_json::to_string(&text).unwrap()).unwrap();
            assert_eq!(back, s);
        }
    }
}
