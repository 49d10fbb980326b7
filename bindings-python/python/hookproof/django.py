"""Django integration: ``@verify_webhook(verifier)`` on a view function.

Reads ``request.body`` (the raw bytes), verifies, sets ``request.webhook`` to the parsed
event and calls the view; on failure answers 401 (400 for an authentic request with an
invalid payload) with a JSON error. The view is exempt from CSRF checks: the signature is
what authenticates the sender.
"""

import functools
from typing import Any, Callable, TypeVar, cast

from asgiref.sync import iscoroutinefunction  # a Django dependency; sees markcoroutinefunction

# Django ships no type information; the helper's own signature is typed below.
from django.http import JsonResponse  # type: ignore[import-untyped]
from django.views.decorators.csrf import csrf_exempt  # type: ignore[import-untyped]

from . import Verifier, WebhookVerificationError, _error_body, _status_for

F = TypeVar("F", bound=Callable[..., Any])


def verify_webhook(verifier: Verifier) -> Callable[[F], F]:
    """Decorates a Django view (a function or an ``async def``) so that it only runs for
    verified webhooks."""

    def refusal(request: Any) -> Any:
        """Sets ``request.webhook``; returns the error response if the request fails."""
        try:
            request.webhook = verifier.verify_and_parse(request.headers, request.body)
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
