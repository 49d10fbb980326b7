//! Case-insensitive header lookup over plain name/value pairs.

use crate::Error;

/// Name/value pairs of any string types, seen through one non-generic interface so that
/// the schemes are compiled once and no per-request copy of the header list is made.
pub(crate) trait HeaderSource {
    fn count(&self) -> usize;
    fn pair(&self, i: usize) -> Option<(&str, &str)>;
}

// On the slice reference (a sized type), so it can become a trait object.
impl<K: AsRef<str>, V: AsRef<str>> HeaderSource for &[(K, V)] {
    fn count(&self) -> usize {
        self.len()
    }

    fn pair(&self, i: usize) -> Option<(&str, &str)> {
        self.get(i).map(|(k, v)| (k.as_ref(), v.as_ref()))
    }
}

/// Header names compare case-insensitively; stray (ASCII: HTTP's OWS) white space around a name
/// is tolerated (trimmed only from a longer candidate, which is rare: the common path is one
/// length compare per header).
fn same_name(candidate: &str, name: &str) -> bool {
    match candidate.len().cmp(&name.len()) {
        core::cmp::Ordering::Equal => candidate.eq_ignore_ascii_case(name),
        core::cmp::Ordering::Greater => candidate.trim_ascii().eq_ignore_ascii_case(name),
        core::cmp::Ordering::Less => false,
    }
}

/// A borrowed view of the request headers, as name/value pairs in arrival order.
#[derive(Clone, Copy)]
pub(crate) struct Headers<'a> {
    src: &'a dyn HeaderSource,
}

impl<'a> Headers<'a> {
    pub(crate) fn new(src: &'a dyn HeaderSource) -> Self {
        Headers { src }
    }

    fn pairs(&self) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        let src = self.src;
        (0..src.count()).filter_map(move |i| src.pair(i))
    }

    /// The header's only value; `None` when absent, an error when repeated.
    pub(crate) fn one(&self, name: &'static str) -> Result<Option<&'a str>, Error> {
        self.only(name).map_err(|Repeated| Error::duplicate(name))
    }

    /// The only value of `name`, trimmed. A plain loop: it runs a few times per request over
    /// every header, and the iterator chain it replaces stayed as separate calls in the
    /// size-optimised wasm build.
    fn only(&self, name: &str) -> Result<Option<&'a str>, Repeated> {
        let mut found = None;
        for i in 0..self.src.count() {
            if let Some((n, v)) = self.src.pair(i) {
                if same_name(n, name) {
                    if found.is_some() {
                        return Err(Repeated);
                    }
                    found = Some(v.trim_ascii());
                }
            }
        }
        Ok(found)
    }

    /// The header's only value, required.
    pub(crate) fn required(&self, name: &'static str) -> Result<&'a str, Error> {
        self.one(name)?.ok_or_else(|| Error::missing(name))
    }

    /// Either of two names that carry identical copies (e.g. `webhook-id` and `Centrali-Id`);
    /// differing copies are rejected rather than picked from.
    pub(crate) fn either(
        &self,
        primary: &'static str,
        copy: &'static str,
    ) -> Result<Option<&'a str>, Error> {
        match (self.one(primary)?, self.one(copy)?) {
            (Some(a), Some(b)) if a != b => Err(Error::malformed(
                primary,
                "it differs from its copy in another header: the request was altered on the way",
            )),
            (Some(a), _) => Ok(Some(a)),
            (None, b) => Ok(b),
        }
    }

    pub(crate) fn contains(&self, name: &str) -> bool {
        self.pairs().any(|(n, _)| same_name(n, name))
    }

    /// A header looked up by a name configured at run time (ShopCtrl's HMAC header).
    pub(crate) fn one_dynamic(&self, name: &str) -> Result<Option<&'a str>, Error> {
        self.only(name).map_err(|Repeated| Error::DuplicateHeader {
            header: alloc::borrow::Cow::Owned(name.to_ascii_lowercase()),
        })
    }
}

/// A header that must appear once appears again.
struct Repeated;
