"""Verify and parse commerce webhooks with one fuzzed Rust core.

Build a :class:`Verifier` once per endpoint, then call :meth:`Verifier.verify` on the raw
request bytes, :meth:`Verifier.parse`, or :meth:`Verifier.verify_and_parse`.
"""

from collections.abc import Mapping as _Mapping
from typing import TYPE_CHECKING, Any, Callable, Literal, overload

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
    __version__,
    extend_echo_response,
    parse,
    sign,
)
from ._types import (
    CentraDetail,
    CentraIntegrationEvent,
    CentraliDetail,
    ErrorCode,
    EventDict,
    ExtendDetail,
    ExtendDetails,
    ExtendNotification,
    HintCode,
    HmacOptions,
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
    "ErrorCode",
    "Event",
    "EventDict",
    "ExtendDetail",
    "ExtendDetails",
    "ExtendNotification",
    "HintCode",
    "HmacOptions",
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
    "is_provider",
    "parse",
    "sign",
]

if TYPE_CHECKING:
    # Not needed at run time (typing_extensions is not a dependency of the wheel).
    from typing_extensions import TypeGuard


@overload
def is_provider(event: Event, provider: Literal["centra"]) -> "TypeGuard[Event[CentraDetail]]": ...
@overload
def is_provider(event: Event, provider: Literal["centrali"]) -> "TypeGuard[Event[CentraliDetail]]": ...
@overload
def is_provider(event: Event, provider: Literal["orisha"]) -> "TypeGuard[Event[OrishaDetail]]": ...
@overload
def is_provider(event: Event, provider: Literal["shopctrl"]) -> "TypeGuard[Event[ShopCtrlDetail]]": ...
@overload
def is_provider(event: Event, provider: Literal["extend"]) -> "TypeGuard[Event[ExtendDetail]]": ...
@overload
def is_provider(
    event: Event, provider: Literal["standardwebhooks"]
) -> "TypeGuard[Event[StandardWebhooksDetail]]": ...
@overload
def is_provider(event: Event, provider: ProviderId) -> bool: ...
def is_provider(event: Event, provider: ProviderId) -> bool:
    """Whether `event` came from `provider`; to a type checker, also that its `detail` is that
    provider's TypedDict (`if is_provider(event, "centra"): event.detail["events"]`), where
    comparing `event.provider` and casting `detail` would not be checked."""
    return event.provider == provider


def _status_for(error: WebhookVerificationError) -> int:
    """HTTP status a receiver should answer: 401 for a request that is not authentic,
    400 for an authentic request with an invalid payload or a sender gone mid-body, 413 for a
    body over a helper's limit, 500 for our own misconfiguration."""
    if isinstance(error, ConfigurationError):
        return 500
    code = getattr(error, "code", None)
    if isinstance(error, InvalidPayload) or code == "request_aborted":
        return 400
    if code == "payload_too_large":
        return 413
    return 401


def _error_body(error: WebhookVerificationError) -> "dict[str, object]":
    # getattr: an error made by hand from the base class has no code.
    return {"error": getattr(error, "code", None), "message": str(error), "hint": error.hint}


# The framework helpers' default body limit (as the npm package's Express middleware's).
_DEFAULT_LIMIT = 1024 * 1024

# A framework helper's `on_error`: sees each refused request (the error, then the framework's
# request) before the helper answers it.
_OnError = Callable[[WebhookVerificationError, Any], object]


def _check_limit(limit: int, helper: str) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise TypeError(f"{helper}: limit is a number of bytes, such as 1024 * 1024")
    return limit


def _check_on_error(on_error: "_OnError | None", helper: str) -> "_OnError | None":
    if on_error is not None and not callable(on_error):
        raise TypeError(f"{helper}: on_error is a function (error, request) called for each refused request")
    return on_error


async def _awaited(value: Any) -> None:
    """What a sync helper hands its framework's async bridge: an `on_error` may return an
    awaitable (an `async def`, or a lambda calling one), which only runs when awaited."""
    await value


def _made(error: WebhookVerificationError, code: ErrorCode) -> WebhookVerificationError:
    """An error the helpers raise themselves, with the attributes the core's errors carry."""
    error.code = code
    error.hint = None
    error.hint_code = None
    return error


def _consumed(helper: str, reader: str) -> WebhookVerificationError:
    """The 500 when something read the body before the helper (as the Express middleware's):
    verifying the empty rest would only say `signature_mismatch`."""
    return _made(
        ConfigurationError(
            f"the request body was read before {helper} ({reader}): the signature covers the raw "
            f"bytes, so let {helper} read them first and take the fields from the event"
        ),
        "invalid_option",
    )


def _aborted(cause: "BaseException | None" = None, note: str = "") -> WebhookVerificationError:
    """The 400 for a sender that went away before its body ended (`request_aborted`, as the npm
    package's request helpers'): anyone can cause it, so it is no server error. `note` says
    more, where the helper knows it."""
    message = "request aborted: the request ended before its body did (the sender went away): nothing to verify"
    error = _made(WebhookVerificationError(f"{message}; {note}" if note else message), "request_aborted")
    error.__cause__ = cause
    return error


def _too_large(limit: int, helper: str, setting: "str | None" = None) -> WebhookVerificationError:
    """The 413 for a body over the limit (`payload_too_large`, as the npm package's request
    helpers'). `setting` names the framework's own cap when that one applied."""
    raise_what = setting or f"{helper}'s `limit`"
    return _made(
        WebhookVerificationError(f"the body exceeds {limit} bytes: raise {raise_what} if such webhooks are expected"),
        "payload_too_large",
    )
