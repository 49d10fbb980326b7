"""Django integration: ``@verify_webhook(verifier)`` on a view function.

Reads ``request.body`` (the raw bytes), verifies, sets ``request.webhook`` to the parsed
event and calls the view; on failure answers 401 (400 for an authentic request with an
invalid payload) with a JSON error. The view is exempt from CSRF checks: the signature is
what authenticates the sender.
"""

import functools
from typing import Any, Callable, TypeVar, cast

# Django ships no type information; the helper's own signature is typed below.
from django.http import JsonResponse  # type: ignore[import-untyped]
from django.views.decorators.csrf import csrf_exempt  # type: ignore[import-untyped]

from . import Verifier, WebhookVerificationError, _error_body, _status_for

F = TypeVar("F", bound=Callable[..., Any])


def verify_webhook(verifier: Verifier) -> Callable[[F], F]:
    """Decorates a Django view so that it only runs for verified webhooks."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                event = verifier.verify_and_parse(request.headers, request.body)
            except WebhookVerificationError as e:
                return JsonResponse(_error_body(e), status=_status_for(e))
            request.webhook = event
            return view(request, *args, **kwargs)

        return cast(F, csrf_exempt(wrapper))

    return decorate
