//! Provider identifiers, shared verbatim by every binding and the CLI.

use core::fmt;
use core::str::FromStr;

use crate::Error;

/// A webhook sender whose scheme this crate implements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Provider {
    /// Centra Webhook plugin (`X-Centra-Signature`, form-encoded JSON).
    Centra,
    /// Centrali: legacy `X-Centrali-Signature` or 6.1+ Standard Webhooks.
    Centrali,
    /// Orisha Commerce Portal (`X-Secret` shared secret).
    Orisha,
    /// ShopCtrl "Call Webhook" trigger action (Basic auth, configurable HMAC).
    ShopCtrl,
    /// Extend Commerce (`ms-signature`, ASP.NET WebHooks).
    Extend,
    /// Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`, or Svix's
    /// `svix-*` names for them).
    StandardWebhooks,
}

impl Provider {
    /// Every provider, in a stable order. A slice, not an array: its length grows with the
    /// (non-exhaustive) enum without breaking code that names its type.
    pub const ALL: &'static [Provider] = &[
        Provider::Centra,
        Provider::Centrali,
        Provider::Orisha,
        Provider::ShopCtrl,
        Provider::Extend,
        Provider::StandardWebhooks,
    ];

    /// The stable identifier used in every binding, the CLI and the vector files.
    pub const fn id(self) -> &'static str {
        match self {
            Provider::Centra => "centra",
            Provider::Centrali => "centrali",
            Provider::Orisha => "orisha",
            Provider::ShopCtrl => "shopctrl",
            Provider::Extend => "extend",
            Provider::StandardWebhooks => "standardwebhooks",
        }
    }

    /// A human-readable name for messages.
    pub const fn display_name(self) -> &'static str {
        match self {
            Provider::Centra => "Centra",
            Provider::Centrali => "Centrali",
            Provider::Orisha => "Orisha Commerce Portal",
            Provider::ShopCtrl => "ShopCtrl",
            Provider::Extend => "Extend Commerce",
            Provider::StandardWebhooks => "Standard Webhooks",
        }
    }

    /// The headers this provider's scheme reads to verify and parse (lower case; a subset of
    /// [`HEADER_NAMES`](crate::HEADER_NAMES), which adds other providers' for hints). A
    /// request cut down to these, plus a ShopCtrl verifier's `hmac.header`, gives the same
    /// result as the whole request, except that a `missing_header` error then cannot hint at
    /// another provider's header: a binding for which reading each header costs (fetch
    /// `Headers` in workerd) may read only these, and the whole request after such an error.
    pub const fn header_names(self) -> &'static [&'static str] {
        use crate::providers::{centra, centrali, extend, orisha, shopctrl, standard};
        match self {
            Provider::Centra => &[centra::SIGNATURE_HEADER],
            Provider::Centrali => &[
                centrali::LEGACY_SIGNATURE_HEADER,
                centrali::LEGACY_ALT_SIGNATURE_HEADER,
                centrali::ID_HEADER,
                centrali::TIMESTAMP_HEADER,
                centrali::SIGNATURE_HEADER,
                centrali::EVENT_TYPE_HEADER,
                centrali::RETRY_ATTEMPT_HEADER,
                centrali::TEST_EVENT_HEADER,
                standard::ID_HEADER,
                standard::TIMESTAMP_HEADER,
                standard::SIGNATURE_HEADER,
            ],
            Provider::Orisha => &[
                orisha::SECRET_HEADER,
                orisha::EVENT_ID_HEADER,
                orisha::EVENT_TYPE_HEADER,
                orisha::ADMINISTRATION_CODE_HEADER,
                orisha::TRIGGERED_BY_HEADER,
            ],
            Provider::ShopCtrl => &[shopctrl::AUTHORIZATION_HEADER],
            Provider::Extend => &[extend::SIGNATURE_HEADER],
            Provider::StandardWebhooks => &[
                standard::ID_HEADER,
                standard::TIMESTAMP_HEADER,
                standard::SIGNATURE_HEADER,
                standard::SVIX_ID_HEADER,
                standard::SVIX_TIMESTAMP_HEADER,
                standard::SVIX_SIGNATURE_HEADER,
            ],
        }
    }

    /// The header that identifies this provider's requests, used for hints when a
    /// request reaches a verifier configured for another provider.
    pub(crate) const fn marker_headers(self) -> &'static [&'static str] {
        match self {
            Provider::Centra => &["x-centra-signature"],
            Provider::Centrali => &[
                "x-centrali-signature",
                "centrali-signature",
                "centrali-event-type",
            ],
            Provider::Orisha => &["x-secret", "x-event-type"],
            Provider::ShopCtrl => &[],
            Provider::Extend => &["ms-signature"],
            Provider::StandardWebhooks => &["webhook-signature", "svix-signature"],
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Provider {
    type Err = Error;

    /// Parses a provider id (`centra`, `centrali`, `orisha`, `shopctrl`, `extend`,
    /// `standardwebhooks`), case-insensitively.
    fn from_str(s: &str) -> Result<Self, Error> {
        Provider::ALL
            .iter()
            .copied()
            .find(|p| p.id().eq_ignore_ascii_case(s.trim()))
            .ok_or(Error::UnknownProvider)
    }
}

impl serde::Serialize for Provider {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}
