"""Verify and parse commerce webhooks with one audited Rust core.

Build a :class:`Verifier` once per endpoint, then call :meth:`Verifier.verify` on the raw
request bytes, :meth:`Verifier.parse`, or :meth:`Verifier.verify_and_parse`.
"""

from collections.abc import Mapping as _Mapping

from ._hookproof import (
    PROVIDERS,
    ConfigurationError,
    Event,
    InvalidPayload,
    MalformedRequest,
    SignatureMismatch,
    SignedRequest,
    TimestampOutOfRange,
    Verified,
    Verifier,
    WebhookVerificationError,
    extend_echo_response,
    parse,
    sign,
)
from ._types import (
    CentraDetail,
    CentraIntegrationEvent,
    CentraliDetail,
    EventDict,
    ExtendDetail,
    ExtendDetails,
    ExtendNotification,
    OrishaDetail,
    ProviderId,
    Resource,
    ShopCtrlDetail,
    StandardWebhooksDetail,
)

# Event implements the read-only mapping protocol (keys, items, get, ...): isinstance(event,
# Mapping) holds, as for the dicts earlier versions returned.
_Mapping.register(Event)

__all__ = [
    "PROVIDERS",
    "CentraDetail",
    "CentraIntegrationEvent",
    "CentraliDetail",
    "ConfigurationError",
    "Event",
    "EventDict",
    "ExtendDetail",
    "ExtendDetails",
    "ExtendNotification",
    "InvalidPayload",
    "MalformedRequest",
    "OrishaDetail",
    "ProviderId",
    "Resource",
    "ShopCtrlDetail",
    "SignatureMismatch",
    "SignedRequest",
    "StandardWebhooksDetail",
    "TimestampOutOfRange",
    "Verified",
    "Verifier",
    "WebhookVerificationError",
    "extend_echo_response",
    "parse",
    "sign",
]


def _status_for(error: WebhookVerificationError) -> int:
    """HTTP status a receiver should answer: 401 for a request that is not authentic,
    400 for an authentic request with an invalid payload, 500 for our own misconfiguration."""
    if isinstance(error, ConfigurationError):
        return 500
    if isinstance(error, InvalidPayload):
        return 400
    return 401


def _error_body(error: WebhookVerificationError) -> "dict[str, object]":
    return {"error": error.code, "message": str(error), "hint": error.hint}
