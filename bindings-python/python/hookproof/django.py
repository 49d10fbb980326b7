"""Django integration: ``@verify_webhook(verifier)`` on a view function.

Reads ``request.body`` (the raw bytes, at most ``limit``, 1 MiB by default: 413 beyond; and
Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``), verifies, sets ``request.webhook`` to the parsed
event and calls the view; on failure answers 401 (400 for an authentic request with an
invalid payload) with a JSON error. The view is exempt from CSRF checks: the signature is
what authenticates the sender. For an Extend Commerce verifier it also answers Extend's
``GET ?echo=`` registration check.
"""

import functools
from typing import Any, Callable, TypeVar, cast

from asgiref.sync import iscoroutinefunction  # a Django dependency; sees markcoroutinefunction

# Django ships no type information; the helper's own signature is typed below.
from django.core.exceptions import RequestDataTooBig  # type: ignore[import-untyped]
from django.http import HttpResponse, JsonResponse  # type: ignore[import-untyped]
from django.http.request import RawPostDataException  # type: ignore[import-untyped]
from django.views.decorators.csrf import csrf_exempt  # type: ignore[import-untyped]

from . import (
    _DEFAULT_LIMIT,
    Verifier,
    WebhookVerificationError,
    _check_limit,
    _consumed_body,
    _error_body,
    _status_for,
    _too_large_body,
    extend_echo_response,
)

F = TypeVar("F", bound=Callable[..., Any])

_CHUNKED_UNDER_WSGI = {
    "error": "invalid_option",
    "message": (
        "the body arrived chunked (no Content-Length), which Django under WSGI reads as empty: "
        "serve the webhook route under ASGI, or have the proxy in front buffer request bodies"
    ),
    "hint": None,
}


def _stated_length(request: Any) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def verify_webhook(verifier: Verifier, *, limit: int = _DEFAULT_LIMIT) -> Callable[[F], F]:
    """Decorates a Django view (a function or an ``async def``) so that it only runs for
    verified webhooks."""
    _check_limit(limit, "verify_webhook")

    def refusal(request: Any) -> Any:
        """Sets ``request.webhook``; returns the response instead of the view's if the
        request fails, or if it is Extend's registration check."""
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
            return JsonResponse(_too_large_body(limit, "verify_webhook"), status=413)
        if (
            "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
            and not request.META.get("CONTENT_LENGTH")
            and "wsgi.input" in request.META
        ):
            # WSGIRequest limits its input to CONTENT_LENGTH: 0 here, whatever was sent.
            return JsonResponse(_CHUNKED_UNDER_WSGI, status=500)
        try:
            body = request.body
        except RequestDataTooBig:
            # Imported here: a module-level `settings` is a lazy object that tools inspecting
            # this module (stubtest) would make read unconfigured settings.
            from django.conf import settings  # type: ignore[import-untyped]

            cap = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            return JsonResponse(_too_large_body(cap, "verify_webhook", "DATA_UPLOAD_MAX_MEMORY_SIZE"), status=413)
        except RawPostDataException:
            reader = "request.POST or request.FILES, in middleware or earlier code"
            return JsonResponse(_consumed_body("verify_webhook", reader), status=500)
        if len(body) > limit:
            # A chunked body under ASGI states no length: Django has read it already.
            return JsonResponse(_too_large_body(limit, "verify_webhook"), status=413)
        try:
            request.webhook = verifier.verify_and_parse(request.headers, body)
        except WebhookVerificationError as e:
            return JsonResponse(_error_body(e), status=_status_for(e))
        return None

    def decorate(view: F) -> F:
        # An async view needs an async wrapper: a sync one would hand Django the coroutine.
        if iscoroutinefunction(view):

            @functools.wraps(view)
            async def async_wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
                refused = refusal(request)
                return refused if refused is not None else await view(request, *args, **kwargs)

            # What csrf_exempt sets: before Django 5.0 it wraps in a sync function, which
            # would hide the coroutine function from Django.
            async_wrapper.csrf_exempt = True  # type: ignore[attr-defined]
            return cast(F, async_wrapper)

        @functools.wraps(view)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            refused = refusal(request)
            return refused if refused is not None else view(request, *args, **kwargs)

        return cast(F, csrf_exempt(wrapper))

    return decorate
