"""Flask integration: ``@verify_webhook(verifier)`` on a view.

The decorator reads the raw body (``request.get_data()``, at most ``limit`` bytes, 1 MiB by
default: 413 beyond), verifies it, stores the parsed
event on ``flask.g.webhook`` and calls the view; on failure it answers 401 (400 for an
authentic request with an invalid payload) with ``{"error": code, "message": ..., "hint": ...}``.
``async def`` views work too (with ``flask[async]``).
"""

import functools
import inspect
from typing import Any, Callable, TypeVar, cast

from flask import Request, current_app, g, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from . import (
    _DEFAULT_LIMIT,
    Verifier,
    WebhookVerificationError,
    _check_limit,
    _consumed_body,
    _error_body,
    _status_for,
    _too_large_body,
)

F = TypeVar("F", bound=Callable[..., Any])

# Flask 3.1 made `request.max_content_length` settable per request; before, a chunked body
# (no Content-Length) could only be capped app-wide, so the limit would not hold.
_PER_REQUEST_CAP = getattr(inspect.getattr_static(Request, "max_content_length", None), "fset", None) is not None


def verify_webhook(verifier: Verifier, *, limit: int = _DEFAULT_LIMIT) -> Callable[[F], F]:
    """Decorates a Flask view so that it only runs for verified webhooks."""
    _check_limit(limit, "verify_webhook")
    if not _PER_REQUEST_CAP:
        raise RuntimeError(
            "hookproof.flask needs Flask 3.1 or later (pip install 'hookproof[flask]'): older Flask "
            "cannot cap a chunked body per request, so the body limit would not hold"
        )

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            def too_large() -> Any:
                return jsonify(_too_large_body(limit, "verify_webhook")), 413

            if (request.content_length or 0) > limit:
                return too_large()
            # Caps a body without Content-Length (chunked) too; an app's own lower limit stays.
            # Werkzeug cuts such a body at the cap without an error, hence one byte more than
            # the limit: a longer body is then seen as one. Per request needs Flask 3.1.
            cap = request.max_content_length
            if cap is None or cap > limit:
                request.max_content_length = limit + 1
            try:
                body = request.get_data(cache=True)
            except RequestEntityTooLarge:
                if cap is not None and cap <= limit:
                    # The app's own MAX_CONTENT_LENGTH applied: raising `limit` would not help.
                    return jsonify(_too_large_body(cap, "verify_webhook", "MAX_CONTENT_LENGTH")), 413
                return too_large()
            if len(body) > limit:
                return too_large()
            chunked = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
            if not body and ((request.content_length or 0) > 0 or (chunked and "form" in request.__dict__)):
                # Werkzeug gives b"" once the form was parsed (a before_request hook, say); a
                # chunked body states no length, but the parsed form shows it was read.
                return jsonify(_consumed_body("verify_webhook", "request.form, in a hook or extension")), 500
            try:
                g.webhook = verifier.verify_and_parse(request.headers, body)
            except WebhookVerificationError as e:
                return jsonify(_error_body(e)), _status_for(e)
            # An `async def` view returns a coroutine: Flask's ensure_sync runs it (flask[async]).
            return current_app.ensure_sync(view)(*args, **kwargs)

        return cast(F, wrapper)

    return decorate
