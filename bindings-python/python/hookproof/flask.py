"""Flask integration: ``@verify_webhook(verifier)`` on a view.

The decorator reads the raw body (``request.get_data()``, at most ``limit`` bytes, 1 MiB by
default: 413 beyond), verifies it, stores the parsed
event on ``flask.g.webhook`` (``webhook_event()`` gives it typed) and calls the view; on failure it answers 401 (400 for an
authentic request with an invalid payload or a sender gone mid-body) with ``{"error": code, "message": ..., "hint": ...}``,
after showing the error to ``on_error(error, request)`` if given (for logging: the answer goes
to the sender). ``async def`` views and hooks work too (with ``flask[async]``). For an Extend
Commerce verifier it also answers Extend's ``GET ?echo=`` registration check, on a route that
allows GET.
"""

import functools
import inspect
from typing import Any, Callable, Optional, TypeVar, cast

from flask import Request, current_app, g, jsonify, request
from werkzeug.exceptions import ClientDisconnected, RequestEntityTooLarge

from . import (
    _DEFAULT_LIMIT,
    Event,
    Verifier,
    WebhookVerificationError,
    _aborted,
    _check_limit,
    _awaited,
    _check_on_error,
    _consumed,
    _error_body,
    _status_for,
    _too_large,
    extend_echo_response,
)

F = TypeVar("F", bound=Callable[..., Any])

_ENVIRON_KEY = "hookproof.webhook"

# Flask 3.1 made `request.max_content_length` settable per request; before, a chunked body
# (no Content-Length) could only be capped app-wide, so the limit would not hold.
_PER_REQUEST_CAP = getattr(inspect.getattr_static(Request, "max_content_length", None), "fset", None) is not None


def _read_capped(stream: Any, bound: int) -> bytes:
    """At most `bound` + 1 bytes of `stream` (reads may come short)."""
    chunks = []
    size = 0
    while size <= bound:
        chunk = stream.read(bound + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _echo(query: str) -> Any:
    """Extend's registration answer, or None: the caller's text, as plain text that no
    browser may sniff as HTML (Flask would send a returned str as text/html)."""
    text = extend_echo_response(query)
    if text is None:
        return None
    response = current_app.response_class(text, mimetype="text/plain")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def verify_webhook(
    verifier: Verifier,
    *,
    limit: int = _DEFAULT_LIMIT,
    on_error: Optional[Callable[[WebhookVerificationError, Request], object]] = None,
) -> Callable[[F], F]:
    """Decorates a Flask view so that it only runs for verified webhooks. `on_error` sees each
    refused request (a failed verification, `payload_too_large`, a body read before) before
    the answer; what it raises goes to Flask's error handling."""
    _check_limit(limit, "verify_webhook")
    _check_on_error(on_error, "verify_webhook")
    if inspect.iscoroutinefunction(on_error) or inspect.iscoroutinefunction(getattr(on_error, "__call__", None)):
        # Checked now, not at the first refusal (which would answer Flask's 500 page).
        try:
            import asgiref.sync  # noqa: F401  # what Flask's ensure_sync runs coroutines with
        except ImportError:
            raise RuntimeError(
                "verify_webhook: an async def on_error needs Flask's async support: pip install 'flask[async]'"
            ) from None
    if not _PER_REQUEST_CAP:
        raise RuntimeError(
            "hookproof.flask needs Flask 3.1 or later (pip install 'hookproof[flask]'): older Flask "
            "cannot cap a chunked body per request, so the body limit would not hold"
        )

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            def refuse(error: WebhookVerificationError) -> Any:
                if on_error is not None:
                    # The request itself, not the proxy, so that a hook may keep it.
                    seen = on_error(error, request._get_current_object())  # type: ignore[attr-defined]
                    if inspect.isawaitable(seen):
                        current_app.ensure_sync(_awaited)(seen)  # flask[async]'s bridge
                return jsonify(_error_body(error)), _status_for(error)

            def too_large() -> Any:
                return refuse(_too_large(limit, "verify_webhook"))

            if verifier.provider == "extend" and request.method in ("GET", "HEAD"):
                # Extend checks the URL with `GET ?echo=` (the route must allow GET).
                echo = _echo(request.query_string.decode("latin-1"))
                if echo is not None:
                    return echo
            if (request.content_length or 0) > limit:
                return too_large()
            # Caps a body without Content-Length (chunked) too. Werkzeug cuts such a body at
            # the cap without an error, hence one byte more than the bound: a longer body is
            # then seen as one. An app's own lower MAX_CONTENT_LENGTH is the bound then, and
            # the answer names it. Per request needs Flask 3.1.
            cap = request.max_content_length
            app_cap = cap is not None and cap <= limit
            bound = cast(int, cap) if app_cap else limit

            def over() -> Any:
                if app_cap:
                    # Raising `limit` would not help.
                    return refuse(_too_large(bound, "verify_webhook", "MAX_CONTENT_LENGTH"))
                return too_large()

            # A hook that touched `request.stream` or `request.form` made the stream already,
            # with the cap of that time: it is read here, bounded, and kept where get_data()
            # finds it for the view. (One that called get_data() left the bytes cached.)
            made = "stream" in request.__dict__ and "_cached_data" not in request.__dict__
            gone: Optional[ClientDisconnected] = None
            try:
                if made:
                    body = _read_capped(request.stream, bound)
                    request._cached_data = body
                else:
                    request.max_content_length = bound + 1
                    body = request.get_data(cache=True)
            except RequestEntityTooLarge:
                return over()
            except ClientDisconnected as e:
                # Short of its Content-Length (Werkzeug's own stream, without a server that
                # ends the input): the sender went away. Anyone can cause it: a 400.
                gone = e
            if gone is not None:
                # Outside the `except`: what the hook raises is not chained to the cause.
                return refuse(_aborted(gone))
            if len(body) > bound:
                return over()
            stated = request.content_length or 0
            chunked = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
            read_before = made or "form" in request.__dict__
            if not body and read_before and (stated > 0 or chunked):
                # The body was read before (a before_request hook that parsed the form, say):
                # Werkzeug gives b"". A chunked body states no length, but the stream read or
                # the form parsed shows it.
                reader = "request.form, request.data or request.stream, in a hook or extension"
                return refuse(_consumed("verify_webhook", reader))
            if len(body) < stated:
                # Short of its Content-Length behind a server that ends the input (gunicorn):
                # the sender went away, or something outside Flask read `wsgi.input` first.
                return refuse(
                    _aborted(
                        note=f"{len(body)} of the {stated} bytes stated arrived (if every request gets this, "
                        "something read wsgi.input before verify_webhook: a WSGI middleware, say)"
                    )
                )
            refused: Optional[WebhookVerificationError] = None
            try:
                event = verifier.verify_and_parse(request.headers, body)
            except WebhookVerificationError as e:
                refused = e
            if refused is not None:
                # Outside the `except`: what the hook raises is not chained to the error.
                return refuse(refused)
            g.webhook = event
            # Also in the request's own environ, which webhook_event reads: `g` belongs to the
            # app context, which a test may keep around several requests.
            request.environ[_ENVIRON_KEY] = event
            # An `async def` view returns a coroutine: Flask's ensure_sync runs it (flask[async]).
            return current_app.ensure_sync(view)(*args, **kwargs)

        return cast(F, wrapper)

    return decorate


def webhook_event() -> Event:
    """The current request's verified event (what ``g.webhook`` holds), typed for checkers,
    to which ``g`` attributes are ``Any``. Only inside a view under ``verify_webhook``."""
    event = request.environ.get(_ENVIRON_KEY)
    if not isinstance(event, Event):
        raise RuntimeError("webhook_event(): no verified webhook here: decorate the view with @verify_webhook(verifier)")
    return event
