//! Case-insensitive header lookup over plain name/value pairs.

use crate::Error;

/// A borrowed view of the request headers, as name/value pairs in arrival order.
#[derive(Clone, Copy)]
pub(crate) struct Headers<'a> {
    pairs: &'a [(&'a str, &'a str)],
}

impl<'a> Headers<'a> {
    pub(crate) fn new(pairs: &'a [(&'a str, &'a str)]) -> Self {
        Headers { pairs }
    }

    fn all(&self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |(n, _)| n.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    }

    /// The header's only value; `None` when absent, an error when repeated.
    pub(crate) fn one(&self, name: &'static str) -> Result<Option<&'a str>, Error> {
        let mut it = self.all(name);
        let first = it.next();
        if first.is_some() && it.next().is_some() {
            return Err(Error::duplicate(name));
        }
        Ok(first)
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
        self.pairs
            .iter()
            .any(|(n, _)| n.trim().eq_ignore_ascii_case(name))
    }

    /// A header looked up by a name configured at run time (ShopCtrl's HMAC header).
    pub(crate) fn one_dynamic(&self, name: &str) -> Result<Option<&'a str>, Error> {
        let mut it = self
            .pairs
            .iter()
            .filter(|(n, _)| n.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim());
        let first = it.next();
        if first.is_some() && it.next().is_some() {
            return Err(Error::DuplicateHeader {
                header: alloc::borrow::Cow::Owned(name.to_ascii_lowercase()),
            });
        }
        Ok(first)
    }
}
