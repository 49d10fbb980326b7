"""Flask integration: ``@verify_webhook(verifier)`` on a view.

The decorator reads the raw body (``request.get_data()``), verifies it, stores the parsed
event on ``flask.g.webhook`` and calls the view; on failure it answers 401 (400 for an
authentic request with an invalid payload) with ``{"error": code, "message": ..., "hint": ...}``.
``async def`` views work too (with ``flask[async]``).
"""

import functools
from typing import Any, Callable, TypeVar, cast

from flask import current_app, g, jsonify, request

from . import Verifier, WebhookVerificationError, _error_body, _status_for

F = TypeVar("F", bound=Callable[..., Any])


def verify_webhook(verifier: Verifier) -> Callable[[F], F]:
    """Decorates a Flask view so that it only runs for verified webhooks."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            body = request.get_data(cache=True)
            try:
                g.webhook = verifier.verify_and_parse(request.headers, body)
            except WebhookVerificationError as e:
                return jsonify(_error_body(e)), _status_for(e)
            # An `async def` view returns a coroutine: Flask's ensure_sync runs it (flask[async]).
            return current_app.ensure_sync(view)(*args, **kwargs)

        return cast(F, wrapper)

    return decorate
