"""Django integration: ``@verify_webhook(verifier)`` on a view function.

Reads ``request.body`` (the raw bytes, at most ``limit``, 1 MiB by default: 413 beyond; and
Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``), verifies, sets ``request.webhook`` to the parsed
event (``webhook_event(request)`` gives it typed) and calls the view; on failure answers 401
(400 for an authentic request with an invalid payload) with a JSON error, after showing the error to ``on_error(error, request)`` if
given (for logging: the answer goes to the sender; an ``async def`` hook is awaited). The view
is exempt from CSRF checks: the signature is what authenticates the sender. For an Extend
Commerce verifier it also answers Extend's ``GET ?echo=`` registration check.
"""

import functools
import inspect
import io
from typing import Any, Callable, Optional, TypeVar, Union, cast

# Django dependencies; iscoroutinefunction sees markcoroutinefunction.
from asgiref.sync import async_to_sync, iscoroutinefunction

# Django ships no type information; the helper's own signature is typed below.
from django.core.exceptions import RequestDataTooBig  # type: ignore[import-untyped]
from django.http import HttpResponse, JsonResponse  # type: ignore[import-untyped]
from django.http.request import RawPostDataException  # type: ignore[import-untyped]
from django.views.decorators.csrf import csrf_exempt  # type: ignore[import-untyped]

from . import (
    _DEFAULT_LIMIT,
    ConfigurationError,
    Event,
    Verifier,
    WebhookVerificationError,
    _check_limit,
    _awaited,
    _check_on_error,
    _consumed,
    _error_body,
    _made,
    _status_for,
    _too_large,
    extend_echo_response,
)

F = TypeVar("F", bound=Callable[..., Any])


def _chunked_under_wsgi() -> WebhookVerificationError:
    return _made(
        ConfigurationError(
            "the body arrived chunked (no Content-Length), which Django under WSGI reads as empty: "
            "serve the webhook route under ASGI, or have the proxy in front buffer request bodies"
        ),
        "invalid_option",
    )


def _stated_length(request: Any) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _unstated_asgi_body(request: Any, limit: int) -> Optional[bytes]:
    """Under ASGI, a body that states no length (chunked): at most one byte over `limit`, kept
    where ``request.body`` finds it. Django has spooled all of it (to disk past
    FILE_UPLOAD_MAX_MEMORY_SIZE), and ``request.body`` would load it whole before any limit
    applied: Django checks DATA_UPLOAD_MAX_MEMORY_SIZE against Content-Length alone. None
    for other requests (``request.body`` then)."""
    if request.META.get("CONTENT_LENGTH") or "wsgi.input" in request.META or hasattr(request, "_body"):
        return None
    if request._read_started:
        # What `request.body` raises for a stream read before (request.POST, say).
        raise RawPostDataException()
    body: bytes = request.read(limit + 1)
    if len(body) <= limit:
        # As Django's own `body` keeps it: request.body, request.POST and a later read() see it.
        request._body = body
        request._stream = io.BytesIO(body)
    return body


def verify_webhook(
    verifier: Verifier,
    *,
    limit: int = _DEFAULT_LIMIT,
    on_error: Optional[Callable[[WebhookVerificationError, Any], object]] = None,
) -> Callable[[F], F]:
    """Decorates a Django view (a function or an ``async def``) so that it only runs for
    verified webhooks. `on_error` sees each refused request (a failed verification,
    `payload_too_large`, a body read before) before the answer; what it raises goes to
    Django's error handling."""
    _check_limit(limit, "verify_webhook")
    _check_on_error(on_error, "verify_webhook")

    def answer(error: WebhookVerificationError) -> Any:
        return JsonResponse(_error_body(error), status=_status_for(error))

    def refusal(request: Any) -> Union[WebhookVerificationError, Any]:
        """Sets ``request.webhook``; returns the error if the request fails, or the response
        instead of the view's if it is Extend's registration check."""
        if verifier.provider == "extend" and request.method in ("GET", "HEAD"):
            # Extend checks the URL with `GET ?echo=`: a Django view sees every method, so the
            # user could not answer it on the decorated URL.
            echo = extend_echo_response(request.META.get("QUERY_STRING", ""))
            if echo is not None:
                # The caller's text: plain text that no browser may sniff as HTML.
                response = HttpResponse(echo, content_type="text/plain; charset=utf-8")
                response["X-Content-Type-Options"] = "nosniff"
                return response
        if _stated_length(request) > limit:
            return _too_large(limit, "verify_webhook")
        if (
            "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
            and not request.META.get("CONTENT_LENGTH")
            and "wsgi.input" in request.META
        ):
            # WSGIRequest limits its input to CONTENT_LENGTH: 0 here, whatever was sent.
            return _chunked_under_wsgi()
        try:
            body = _unstated_asgi_body(request, limit)
            if body is None:
                body = request.body
        except RequestDataTooBig:
            # Imported here: a module-level `settings` is a lazy object that tools inspecting
            # this module (stubtest) would make read unconfigured settings.
            from django.conf import settings  # type: ignore[import-untyped]

            cap = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            return _too_large(cap, "verify_webhook", "DATA_UPLOAD_MAX_MEMORY_SIZE")
        except RawPostDataException:
            reader = "request.POST or request.FILES, in middleware or earlier code"
            return _consumed("verify_webhook", reader)
        if len(body) > limit:
            return _too_large(limit, "verify_webhook")
        try:
            request.webhook = verifier.verify_and_parse(request.headers, body)
        except WebhookVerificationError as e:
            return e
        return None

    def decorate(view: F) -> F:
        # An async view needs an async wrapper: a sync one would hand Django the coroutine.
        if iscoroutinefunction(view):

            @functools.wraps(view)
            async def async_wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
                refused = refusal(request)
                if isinstance(refused, WebhookVerificationError):
                    if on_error is not None:
                        seen = on_error(refused, request)
                        if inspect.isawaitable(seen):
                            await seen
                    return answer(refused)
                return refused if refused is not None else await view(request, *args, **kwargs)

            # What csrf_exempt sets: before Django 5.0 it wraps in a sync function, which
            # would hide the coroutine function from Django.
            async_wrapper.csrf_exempt = True  # type: ignore[attr-defined]
            return cast(F, async_wrapper)

        @functools.wraps(view)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            refused = refusal(request)
            if isinstance(refused, WebhookVerificationError):
                if on_error is not None:
                    seen = on_error(refused, request)
                    if inspect.isawaitable(seen):
                        # A sync view runs in a thread of its own under ASGI, where this works.
                        async_to_sync(_awaited)(seen)
                return answer(refused)
            return refused if refused is not None else view(request, *args, **kwargs)

        return cast(F, csrf_exempt(wrapper))

    return decorate


def webhook_event(request: Any) -> Event:
    """The request's verified event (what ``request.webhook`` holds), typed for checkers: with
    django-stubs, ``request.webhook`` is no attribute of ``HttpRequest``. Only for a request a
    ``verify_webhook`` view received."""
    event = getattr(request, "webhook", None)
    if not isinstance(event, Event):
        raise RuntimeError(
            "webhook_event(request): no verified webhook on this request: decorate the view with @verify_webhook(verifier)"
        )
    return event
