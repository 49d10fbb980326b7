"""Typed shapes of parsed events: plain dicts, the same keys in every hookproof binding."""

import sys
from typing import Any, Dict, List, Optional

if sys.version_info >= (3, 11):
    from typing import TypedDict
else:  # pragma: no cover - 3.9/3.10
    from typing import TypedDict


class Resource(TypedDict):
    """A thing an event is about. Ids are strings so that large integers stay exact."""

    type: str
    id: str
    action: Optional[str]


class Event(TypedDict):
    """A parsed webhook: the normalised view every provider shares, plus `detail`, the
    provider's own model (see the hookproof core documentation for each provider)."""

    provider: str
    idempotency_key: Optional[str]
    event_types: List[str]
    resources: List[Resource]
    timestamp: Optional[int]
    raw: str
    detail: Dict[str, Any]
