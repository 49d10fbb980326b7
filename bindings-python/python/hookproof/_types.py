"""Typed shapes of parsed events as plain data: `Event.to_dict()`, the resources, and each
provider's `detail`."""

from typing import Any, Dict, List, Literal, Optional, TypedDict

ProviderId = Literal["centra", "centrali", "orisha", "shopctrl", "extend", "standardwebhooks"]
"""A provider id, as `Verifier` and `parse` take it (the values of `hookproof.PROVIDERS`)."""

ErrorCode = Literal[
    "missing_header",
    "duplicate_header",
    "malformed_header",
    "bad_encoding",
    "signature_mismatch",
    "timestamp_too_old",
    "timestamp_in_future",
    "empty_secret",
    "invalid_secret",
    "invalid_payload",
    "unknown_provider",
    "unsupported_scheme",
    "unconfigured_scheme",
    "invalid_option",
    "payload_too_large",
    "request_aborted",
]
"""`WebhookVerificationError.code`: the core's stable error codes, `payload_too_large`: a body
over a framework helper's limit (its 413 answer, and the error its `on_error` sees), and
`request_aborted`: a sender gone before its body ended (a helper's 400). Both are the base
class, as no family fits; `Verifier` never raises them."""

HintCode = Literal[
    "secret_whitespace",
    "secret_unprefixed",
    "other_provider",
    "centra_body_decoded",
    "body_reserialised",
    "body_empty",
    "credential_mismatch",
    "other_generation",
]
"""`WebhookVerificationError.hint_code`: the core's stable hint codes."""


class _HmacFormat(TypedDict):
    header: str
    algorithm: Literal["sha1", "sha256", "sha512"]
    encoding: Literal["hex", "base64"]


class HmacOptions(_HmacFormat, total=False):
    """ShopCtrl's HMAC format, `Verifier(..., hmac=...)` and `sign(..., hmac=...)` (ShopCtrl does
    not publish it: state what your installation sends). Annotate a dict built ahead with it."""

    prefix: Optional[str]


class Resource(TypedDict):
    """A thing an event is about. Ids are strings so that large integers stay exact."""

    type: str
    id: str
    action: Optional[str]


class EventDict(TypedDict):
    """`Event.to_dict()`: the normalised view every provider shares, plus `detail`, the
    provider's own model (the core's serde field names, snake_case; see the hookproof core
    documentation for each provider). Integers are exact Python ints; Centra ids are
    decimal strings. The same keys in every hookproof binding."""

    provider: ProviderId
    idempotency_key: Optional[str]
    event_types: List[str]
    resources: List[Resource]
    timestamp: Optional[int]
    raw: str
    detail: Dict[str, Any]


# The provider models of `detail`, as the core serialises them: every key is present, None when
# the request had none; `extra` holds members the model does not name, as sent. A verifier built
# with a literal provider types its events' `detail` with these (`Event[CentraDetail]`, see the
# stubs); a bare `Event` has `detail: Any`. CI checks these against every event the shared
# vectors parse to.


class CentraIntegrationEvent(TypedDict):
    """One Centra Integration API event."""

    type: str
    """`order`, `shipment`, `customer`, `account`, `return`, ..."""
    action: str
    """`create`, `update`, `good_to_go`, ..."""
    date: Optional[str]
    """`YYYY-MM-DD HH:MM:SS.ffffff`, no zone, as sent."""
    id: str
    """A decimal string, like the resources' ids."""
    data: Any
    extra: Dict[str, Any]


class CentraDetail(TypedDict):
    """Centra's `detail`."""

    api: Literal["checkout", "storefront", "integration"]
    """Which Centra API the webhook was configured for."""
    ids: Dict[str, List[str]]
    """Checkout and Storefront: field name -> ids, as Centra sends them."""
    events: List[CentraIntegrationEvent]
    """Integration API events."""
    extra: Dict[str, Any]


class CentraliDetail(TypedDict):
    """Centrali's `detail`, either generation."""

    generation: Literal["legacy", "standard"]
    event: Optional[str]
    """`record.created` (legacy), `record_created` (6.1+)."""
    workspace: Optional[str]
    timestamp: Optional[str]
    """The body's `timestamp` text, as sent."""
    structure: Optional[str]
    record_id: Optional[str]
    record: Any
    """`data.record`."""
    data: Dict[str, Any]
    """The rest of `data`."""
    id: Optional[str]
    """6.1+: the message id."""
    retry_attempt: Optional[int]
    """6.1+: `Centrali-Retry-Attempt` (not signed)."""
    test: bool
    """6.1+: `Centrali-Test-Event: true` (not signed)."""
    extra: Dict[str, Any]


class OrishaDetail(TypedDict):
    """Orisha Commerce Portal's `detail`: its headers, and the code fields read from the body."""

    event_id: Optional[str]
    event_type: Optional[str]
    administration_code: Optional[str]
    triggered_by_id: Optional[str]
    item_code: Optional[str]
    customer_code: Optional[str]
    price_list_code: Optional[str]
    contact_person_code: Optional[str]
    address_code: Optional[str]
    body: Any
    """The JSON body as sent."""


class ShopCtrlDetail(TypedDict):
    """ShopCtrl's `detail`."""

    entity_data: Optional[Dict[str, Any]]
    """The default payload's `entityData` (`OrderId`, `ProductCode`, ...); None for a custom payload,
    or when ShopCtrl sends it null (unknown at event time) or not an object."""
    body: Any
    """The body when it is JSON, else None (XML and text payloads: use `raw`)."""


class ExtendDetails(TypedDict):
    """An Extend notification's `Details`."""

    order_number: Optional[str]
    order_type: Optional[str]
    warehouse: Optional[str]
    product_number: Optional[str]
    balance: Optional[float]
    available_balance: Optional[float]
    event_name: Optional[str]
    event_type: Optional[str]
    customer_number: Optional[str]
    invoice_number: Optional[str]
    offer_number: Optional[str]
    price_list_name: Optional[str]
    order: Optional["ExtendDetails"]
    """PickingStarted's `Order`."""
    row: Any
    """`Row` (PickingStarted: on `details["order"]`)."""
    extra: Dict[str, Any]


class ExtendNotification(TypedDict):
    """One Extend notification."""

    action: str
    """`OrderCreated`, `BalanceChanged`, `PickingStarted`, ..."""
    details: ExtendDetails
    extra: Dict[str, Any]


class ExtendDetail(TypedDict):
    """Extend Commerce's `detail`."""

    id: Optional[str]
    """The same across retries."""
    attempt: Optional[int]
    """Counts from 1."""
    properties: Dict[str, Any]
    notifications: List[ExtendNotification]
    extra: Dict[str, Any]


class StandardWebhooksDetail(TypedDict):
    """Standard Webhooks' `detail`."""

    id: Optional[str]
    type: Optional[str]
    timestamp: Optional[str]
    data: Any
    extra: Dict[str, Any]
