"""Type stubs for the native module."""

from typing import Any, Dict, List, Literal, Mapping, Optional, Sequence, Tuple, TypedDict, Union, final

from typing_extensions import Self

from ._types import Event

_ProviderId = Literal["centra", "centrali", "orisha", "shopctrl", "extend", "standardwebhooks"]

class _HmacOptions(TypedDict, total=False):
    header: str
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
) -> SignedRequest: ...
def parse(provider: _ProviderId, headers: _HeadersLike, body: _Body) -> Event: ...
def extend_echo_response(url_or_query: str) -> Optional[str]: ...
