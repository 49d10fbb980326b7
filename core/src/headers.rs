//! Case-insensitive header lookup over plain name/value pairs.

use crate::providers::{centra, centrali, extend, orisha, shopctrl, standard};
use crate::Error;

/// Every header name a scheme reads, in lower case: to verify, to parse, or to name another
/// provider in a hint. A verifier also reads its configured ShopCtrl `hmac.header`
/// ([`Verifier::header_names`](crate::Verifier::header_names)).
///
/// A binding that copies headers across a language boundary may pass only the headers whose
/// names these match (see [`reads_header`]) and gets the same results: a request carries a
/// dozen headers or more, and copying the rest costs more than the MAC of a small body.
pub const HEADER_NAMES: &[&str] = &[
    centra::SIGNATURE_HEADER,
    centrali::LEGACY_SIGNATURE_HEADER,
    centrali::LEGACY_ALT_SIGNATURE_HEADER,
    centrali::ID_HEADER,
    centrali::TIMESTAMP_HEADER,
    centrali::SIGNATURE_HEADER,
    centrali::EVENT_TYPE_HEADER,
    centrali::RETRY_ATTEMPT_HEADER,
    centrali::TEST_EVENT_HEADER,
    orisha::SECRET_HEADER,
    orisha::EVENT_ID_HEADER,
    orisha::EVENT_TYPE_HEADER,
    orisha::ADMINISTRATION_CODE_HEADER,
    orisha::TRIGGERED_BY_HEADER,
    shopctrl::AUTHORIZATION_HEADER,
    extend::SIGNATURE_HEADER,
    standard::ID_HEADER,
    standard::TIMESTAMP_HEADER,
    standard::SIGNATURE_HEADER,
    standard::SVIX_ID_HEADER,
    standard::SVIX_TIMESTAMP_HEADER,
    standard::SVIX_SIGNATURE_HEADER,
];

/// Whether a request header of this name is one a scheme reads ([`HEADER_NAMES`]), matched as
/// lookups match: ASCII case ignored, ASCII white space around the name tolerated.
pub fn reads_header(name: &str) -> bool {
    HEADER_NAMES.iter().any(|n| same_name(name, n))
}

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
pub(crate) fn same_name(candidate: &str, name: &str) -> bool {
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
        debug_assert!(
            HEADER_NAMES.contains(&name),
            "{name} is missing from HEADER_NAMES"
        );
        self.only(name).map_err(|e| match e {
            Unreadable::Repeated => Error::duplicate(name),
            Unreadable::Nul => Error::malformed(name, NUL_IN_HEADER),
        })
    }

    /// The only value of `name`, trimmed. A plain loop: it runs a few times per request over
    /// every header, and the iterator chain it replaces stayed as separate calls in the
    /// size-optimised wasm build.
    fn only(&self, name: &str) -> Result<Option<&'a str>, Unreadable> {
        let mut found = None;
        for i in 0..self.src.count() {
            if let Some((n, v)) = self.src.pair(i) {
                if same_name(n, name) {
                    // HTTP forbids NUL in a field: such a value did not come from a client as
                    // sent, and where it ends differs from one parser to the next. Checked
                    // first, so that the answer does not depend on which copy comes first.
                    if v.contains('\0') {
                        return Err(Unreadable::Nul);
                    }
                    if found.is_some() {
                        return Err(Unreadable::Repeated);
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

    pub(crate) fn contains(&self, name: &'static str) -> bool {
        debug_assert!(
            HEADER_NAMES.contains(&name),
            "{name} is missing from HEADER_NAMES"
        );
        self.pairs().any(|(n, _)| same_name(n, name))
    }

    /// A header looked up by a name configured at run time (ShopCtrl's HMAC header).
    pub(crate) fn one_dynamic(&self, name: &str) -> Result<Option<&'a str>, Error> {
        let header = || alloc::borrow::Cow::Owned(name.to_ascii_lowercase());
        self.only(name).map_err(|e| match e {
            Unreadable::Repeated => Error::DuplicateHeader { header: header() },
            Unreadable::Nul => Error::MalformedHeader {
                header: header(),
                reason: NUL_IN_HEADER,
            },
        })
    }
}

/// Why a header a scheme reads cannot be read.
enum Unreadable {
    /// A header that must appear once appears again.
    Repeated,
    /// Its value holds a NUL character.
    Nul,
}

const NUL_IN_HEADER: &str = "it contains a NUL character, which HTTP does not allow";
