"""Type stubs for the native module."""

from typing import Any, Dict, Iterator, List, Literal, Mapping, Optional, Sequence, Tuple, TypedDict, Union, final, overload

from typing_extensions import Required, Self

from ._types import EventDict, Resource

_ProviderId = Literal["centra", "centrali", "orisha", "shopctrl", "extend", "standardwebhooks"]

class _HmacOptions(TypedDict, total=False):
    header: Required[str]
    algorithm: Literal["sha1", "sha256", "sha512"]
    encoding: Literal["hex", "base64"]
    prefix: Optional[str]

_HeaderPairs = Sequence[Tuple[Union[str, bytes], Union[str, bytes]]]
_HeadersLike = Union[Mapping[str, Union[str, Sequence[str]]], _HeaderPairs, Any]
"""A dict, a list of (name, value) pairs, or a framework headers object with .items()."""
_Body = Union[bytes, bytearray, memoryview]
"""The raw request bytes; any other buffer-protocol object is accepted too (and copied)."""

PROVIDERS: Tuple[str, ...]

class WebhookVerificationError(Exception):
    """A webhook failed verification or parsing, or a verifier is misconfigured."""

    code: str
    """Stable snake_case code (`signature_mismatch`, `timestamp_too_old`, ...)."""
    hint: Optional[str]
    """A likely cause and what to do, when one was spotted (also in str(error))."""
    hint_code: Optional[str]
    """Stable code of the hint (`body_reserialised`, `secret_whitespace`, ...)."""

class SignatureMismatch(WebhookVerificationError): ...
class TimestampOutOfRange(WebhookVerificationError): ...
class MalformedRequest(WebhookVerificationError): ...
class InvalidPayload(WebhookVerificationError): ...
class ConfigurationError(WebhookVerificationError): ...

@final
class Verified:
    @property
    def provider(self) -> str: ...
    @property
    def secret_index(self) -> int: ...
    @property
    def timestamp(self) -> Optional[int]: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class Event:
    """A parsed webhook. Fields are attributes and also keys (`event["resources"]`); each is
    converted to Python objects on first read, then the same object is returned."""

    @property
    def provider(self) -> str: ...
    @property
    def idempotency_key(self) -> Optional[str]: ...
    @property
    def event_types(self) -> List[str]: ...
    @property
    def resources(self) -> List[Resource]: ...
    @property
    def timestamp(self) -> Optional[int]: ...
    @property
    def raw(self) -> str: ...
    @property
    def detail(self) -> Dict[str, Any]: ...
    @overload
    def __getitem__(self, key: Literal["provider", "raw"], /) -> str: ...
    @overload
    def __getitem__(self, key: Literal["idempotency_key"], /) -> Optional[str]: ...
    @overload
    def __getitem__(self, key: Literal["event_types"], /) -> List[str]: ...
    @overload
    def __getitem__(self, key: Literal["resources"], /) -> List[Resource]: ...
    @overload
    def __getitem__(self, key: Literal["timestamp"], /) -> Optional[int]: ...
    @overload
    def __getitem__(self, key: Literal["detail"], /) -> Dict[str, Any]: ...
    @overload
    def __getitem__(self, key: str, /) -> Any: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[str]: ...
    def __contains__(self, key: object, /) -> bool: ...
    def keys(self) -> List[str]: ...
    def values(self) -> List[Any]: ...
    def items(self) -> List[Tuple[str, Any]]: ...
    def get(self, key: str, default: Any = None) -> Any: ...
    def to_dict(self) -> EventDict:
        """The whole event as a new plain dict (for json.dumps, jsonify, JsonResponse)."""
    def __eq__(self, other: object, /) -> bool: ...

@final
class SignedRequest:
    @property
    def method(self) -> str: ...
    @property
    def headers(self) -> Dict[str, str]: ...
    @property
    def body(self) -> bytes: ...

@final
class Verifier:
    def __new__(
        cls,
        provider: _ProviderId,
        secret: Optional[str] = None,
        *,
        secrets: Optional[Sequence[str]] = None,
        tolerance: Union[int, Literal[False], None] = None,
        username: Optional[str] = None,
        password: Optional[str] = None,
        hmac: Optional[_HmacOptions] = None,
        generation: Optional[Literal["legacy", "standard"]] = None,
    ) -> Self: ...
    @property
    def provider(self) -> str: ...
    @property
    def tolerance(self) -> Optional[int]: ...
    def verify(self, headers: _HeadersLike, body: _Body, now: Optional[int] = None) -> Verified: ...
    def parse(self, headers: _HeadersLike, body: _Body) -> Event: ...
    def verify_and_parse(self, headers: _HeadersLike, body: _Body, now: Optional[int] = None) -> Event: ...

def sign(
    provider: _ProviderId,
    payload: Union[str, _Body],
    *,
    secret: Optional[str] = None,
    secrets: Optional[Sequence[str]] = None,
    tolerance: Union[int, Literal[False], None] = None,
    username: Optional[str] = None,
    password: Optional[str] = None,
    hmac: Optional[_HmacOptions] = None,
    now: Optional[int] = None,
    id: Optional[str] = None,
    event_type: Optional[str] = None,
    generation: Optional[Literal["legacy", "standard"]] = None,
    administration_code: Optional[str] = None,
    triggered_by_id: Optional[str] = None,
) -> SignedRequest: ...
def parse(provider: _ProviderId, headers: _HeadersLike, body: _Body) -> Event: ...
def extend_echo_response(url_or_query: str) -> Optional[str]: ...
