"""Typed shapes of parsed events: plain dicts, the same keys in every hookproof binding."""

from typing import Any, Dict, List, Optional, TypedDict


class Resource(TypedDict):
    """A thing an event is about. Ids are strings so that large integers stay exact."""

    type: str
    id: str
    action: Optional[str]


class Event(TypedDict):
    """A parsed webhook: the normalised view every provider shares, plus `detail`, the
    provider's own model (the core's serde field names, snake_case; see the hookproof core
    documentation for each provider). Integers are exact Python ints; Centra ids are
    decimal strings."""

    provider: str
    idempotency_key: Optional[str]
    event_types: List[str]
    resources: List[Resource]
    timestamp: Optional[int]
    raw: str
    detail: Dict[str, Any]
