"""Typed shapes of parsed events as plain data: `Event.to_dict()` and the resources."""

from typing import Any, Dict, List, Optional, TypedDict


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

    provider: str
    idempotency_key: Optional[str]
    event_types: List[str]
    resources: List[Resource]
    timestamp: Optional[int]
    raw: str
    detail: Dict[str, Any]
