"""Type stubs for the native module."""

from typing import Any, ClassVar, Dict, Generic, ItemsView, Iterator, KeysView, List, Literal, Mapping, Optional, Sequence, Tuple, Union, ValuesView, final, overload

from typing_extensions import Self, TypeVar

from ._types import (
    CentraDetail,
    CentraliDetail,
    ErrorCode,
    EventDict,
    ExtendDetail,
    HintCode,
    HmacOptions,
    OrishaDetail,
    ProviderId,
    Resource,
    ShopCtrlDetail,
    StandardWebhooksDetail,
)

# The type of `detail`: the provider's TypedDict when the provider is a literal
# (`Verifier("centra", ...)` is a `Verifier[CentraDetail]`), Any for a bare `Event`/`Verifier`
# (what `detail` was typed before, so annotations without a parameter keep checking).
_D = TypeVar("_D", covariant=True, default=Any)

_HeaderPairs = Sequence[Tuple[Union[str, bytes], Union[str, bytes]]]
_HeadersLike = Union[Mapping[str, Union[str, Sequence[str]]], _HeaderPairs, Any]
"""A dict, a list of (name, value) pairs, or a framework headers object with .items()."""
_Body = Union[bytes, bytearray, memoryview]
"""The raw request bytes; any other buffer-protocol object is accepted too (and copied)."""

PROVIDERS: Tuple[ProviderId, ...]
__version__: str

class WebhookVerificationError(Exception):
    """A webhook failed verification or parsing, or a verifier is misconfigured."""

    code: ErrorCode
    """Stable snake_case code (`signature_mismatch`, `timestamp_too_old`, ...). Set on every
    error hookproof raises; for errors made by hand (a test's stand-in verifier) each subclass
    has a default (`signature_mismatch`, `timestamp_too_old`, `malformed_header`,
    `invalid_payload`, `invalid_option`); the base class has none."""
    hint: Optional[str]
    """A likely cause and what to do, when one was spotted (also in str(error))."""
    hint_code: Optional[HintCode]
    """Stable code of the hint (`body_reserialised`, `secret_whitespace`, ...)."""

class SignatureMismatch(WebhookVerificationError): ...
class TimestampOutOfRange(WebhookVerificationError): ...
class MalformedRequest(WebhookVerificationError): ...
class InvalidPayload(WebhookVerificationError): ...
class ConfigurationError(WebhookVerificationError): ...

@final
class Verified:
    @property
    def provider(self) -> ProviderId: ...
    @property
    def secret_index(self) -> int: ...
    @property
    def timestamp(self) -> Optional[int]: ...
    def __new__(cls, provider: ProviderId, secret_index: int, timestamp: Optional[int]) -> Self:
        """What `verify` returns; built by hand for tests that stand in for a verifier."""
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Event(Mapping[str, Any], Generic[_D]):
    """A parsed webhook. Fields are attributes and also keys (`event["resources"]`); each is
    converted to Python objects on first read, then the same object is returned.
    `Event[CentraDetail]` is an event whose `detail` is a `CentraDetail`."""

    @property
    def provider(self) -> ProviderId: ...
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
    def detail(self) -> _D: ...
    @overload
    def __getitem__(self, key: Literal["provider"], /) -> ProviderId: ...
    @overload
    def __getitem__(self, key: Literal["raw"], /) -> str: ...
    @overload
    def __getitem__(self, key: Literal["idempotency_key"], /) -> Optional[str]: ...
    @overload
    def __getitem__(self, key: Literal["event_types"], /) -> List[str]: ...
    @overload
    def __getitem__(self, key: Literal["resources"], /) -> List[Resource]: ...
    @overload
    def __getitem__(self, key: Literal["timestamp"], /) -> Optional[int]: ...
    @overload
    def __getitem__(self, key: Literal["detail"], /) -> _D: ...
    @overload
    def __getitem__(self, key: str, /) -> Any: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[str]: ...
    def __contains__(self, key: object, /) -> bool: ...
    def keys(self) -> KeysView[str]: ...
    def values(self) -> ValuesView[Any]: ...
    def items(self) -> ItemsView[str, Any]: ...
    def get(self, key: str, default: Any = None) -> Any: ...
    def to_dict(self) -> EventDict:
        """The whole event as a new plain dict (for json.dumps, jsonify, JsonResponse)."""
    def __eq__(self, other: object, /) -> bool: ...
    # Equal to dicts, so not hashable; copies share the parse (pickling raises: use to_dict()).
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __copy__(self) -> Self: ...
    def __deepcopy__(self, memo: Any, /) -> Self: ...

@final
class SignedRequest:
    @property
    def method(self) -> str: ...
    @property
    def headers(self) -> Dict[str, str]: ...
    @property
    def body(self) -> bytes: ...

@final
class Verifier(Generic[_D]):
    """Checks webhook requests for one provider; `Verifier[CentraDetail]` for Centra's."""

    # One overload per provider: the map from a literal id to its detail type. Each spells out
    # the keyword parameters, as stubtest cannot match `**options: Unpack[...]` to the
    # runtime's keyword-only ones.

    @overload
    def __new__(
        cls,
        provider: Literal["centra"],
        secret: Optional[str] = None,
        *,
        secrets: Optional[Sequence[str]] = None,
        tolerance: Union[int, Literal[False], None] = None,
        username: Optional[str] = None,
        password: Optional[str] = None,
        hmac: Optional[HmacOptions] = None,
        generation: Optional[Literal["legacy", "standard"]] = None,
    ) -> Verifier[CentraDetail]: ...
    @overload
    def __new__(
        cls,
        provider: Literal["centrali"],
        secret: Optional[str] = None,
        *,
        secrets: Optional[Sequence[str]] = None,
        tolerance: Union[int, Literal[False], None] = None,
        username: Optional[str] = None,
        password: Optional[str] = None,
        hmac: Optional[HmacOptions] = None,
        generation: Optional[Literal["legacy", "standard"]] = None,
    ) -> Verifier[CentraliDetail]: ...
    @overload
    def __new__(
        cls,
        provider: Literal["orisha"],
        secret: Optional[str] = None,
        *,
        secrets: Optional[Sequence[str]] = None,
        tolerance: Union[int, Literal[False], None] = None,
        username: Optional[str] = None,
        password: Optional[str] = None,
        hmac: Optional[HmacOptions] = None,
        generation: Optional[Literal["legacy", "standard"]] = None,
    ) -> Verifier[OrishaDetail]: ...
    @overload
    def __new__(
        cls,
        provider: Literal["shopctrl"],
        secret: Optional[str] = None,
        *,
        secrets: Optional[Sequence[str]] = None,
        tolerance: Union[int, Literal[False], None] = None,
        username: Optional[str] = None,
        password: Optional[str] = None,
        hmac: Optional[HmacOptions] = None,
        generation: Optional[Literal["legacy", "standard"]] = None,
    ) -> Verifier[ShopCtrlDetail]: ...
    @overload
    def __new__(
        cls,
        provider: Literal["extend"],
        secret: Optional[str] = None,
        *,
        secrets: Optional[Sequence[str]] = None,
        tolerance: Union[int, Literal[False], None] = None,
        username: Optional[str] = None,
        password: Optional[str] = None,
        hmac: Optional[HmacOptions] = None,
        generation: Optional[Literal["legacy", "standard"]] = None,
    ) -> Verifier[ExtendDetail]: ...
    @overload
    def __new__(
        cls,
        provider: Literal["standardwebhooks"],
        secret: Optional[str] = None,
        *,
        secrets: Optional[Sequence[str]] = None,
        tolerance: Union[int, Literal[False], None] = None,
        username: Optional[str] = None,
        password: Optional[str] = None,
        hmac: Optional[HmacOptions] = None,
        generation: Optional[Literal["legacy", "standard"]] = None,
    ) -> Verifier[StandardWebhooksDetail]: ...
    @overload
    def __new__(
        cls,
        provider: ProviderId,
        secret: Optional[str] = None,
        *,
        secrets: Optional[Sequence[str]] = None,
        tolerance: Union[int, Literal[False], None] = None,
        username: Optional[str] = None,
        password: Optional[str] = None,
        hmac: Optional[HmacOptions] = None,
        generation: Optional[Literal["legacy", "standard"]] = None,
    ) -> Verifier[Any]: ...
    @property
    def provider(self) -> ProviderId: ...
    @property
    def tolerance(self) -> Optional[int]: ...
    def verify(self, headers: _HeadersLike, body: _Body, now: Optional[int] = None) -> Verified: ...
    def parse(self, headers: _HeadersLike, body: _Body) -> Event[_D]: ...
    def verify_and_parse(self, headers: _HeadersLike, body: _Body, now: Optional[int] = None) -> Event[_D]: ...
    # Immutable: copies are the verifier itself (pickling raises: it holds secrets).
    def __copy__(self) -> Self: ...
    def __deepcopy__(self, memo: Any, /) -> Self: ...

def sign(
    provider: ProviderId,
    payload: Union[str, _Body],
    *,
    secret: Optional[str] = None,
    secrets: Optional[Sequence[str]] = None,
    tolerance: Union[int, Literal[False], None] = None,
    username: Optional[str] = None,
    password: Optional[str] = None,
    hmac: Optional[HmacOptions] = None,
    now: Optional[int] = None,
    id: Optional[str] = None,
    event_type: Optional[str] = None,
    generation: Optional[Literal["legacy", "standard"]] = None,
    administration_code: Optional[str] = None,
    triggered_by_id: Optional[str] = None,
) -> SignedRequest: ...
@overload
def parse(provider: Literal["centra"], headers: _HeadersLike, body: _Body) -> Event[CentraDetail]: ...
@overload
def parse(provider: Literal["centrali"], headers: _HeadersLike, body: _Body) -> Event[CentraliDetail]: ...
@overload
def parse(provider: Literal["orisha"], headers: _HeadersLike, body: _Body) -> Event[OrishaDetail]: ...
@overload
def parse(provider: Literal["shopctrl"], headers: _HeadersLike, body: _Body) -> Event[ShopCtrlDetail]: ...
@overload
def parse(provider: Literal["extend"], headers: _HeadersLike, body: _Body) -> Event[ExtendDetail]: ...
@overload
def parse(provider: Literal["standardwebhooks"], headers: _HeadersLike, body: _Body) -> Event[StandardWebhooksDetail]: ...
@overload
def parse(provider: ProviderId, headers: _HeadersLike, body: _Body) -> Event[Any]: ...
def extend_echo_response(url_or_query: str) -> Optional[str]:
    """The value to answer Extend Commerce's ``GET ?echo=`` registration check with, or None.
    Send it as ``text/plain``: it is the caller's text, which as HTML would be reflected script."""
