"""FastAPI / Starlette integration: a dependency that yields the verified event.

    verify = WebhookDependency(Verifier("centra", secret=...))

    @app.post("/webhooks/centra")
    async def hook(event: Event[CentraDetail] = Depends(verify)) -> dict: ...

It reads the raw body (at most ``limit`` bytes, 1 MiB by default: 413 beyond) and raises
``HTTPException(401)`` (400 for an authentic request with an invalid payload or a sender gone
mid-body) whose detail is
``{"error": code, "message": ..., "hint": ...}``, after showing the error to
``on_error(error, request)`` if given (for logging: the answer goes to the sender; an
``async def`` hook is awaited). ``await request.body()`` gives the bytes
again afterwards. To send the event itself back as JSON,
return ``event.to_dict()`` (FastAPI serialises dicts, not the ``Event`` class).
Extend Commerce checks the URL with ``GET ?echo=``: ``app.get("/webhooks/extend")(extend_echo)``.
"""

import inspect
from typing import Any, Callable, Generic, NoReturn, Optional

from fastapi import HTTPException, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect
from typing_extensions import TypeVar  # a FastAPI dependency; `default` (PEP 696) before 3.13

from . import (
    _DEFAULT_LIMIT,
    Event,
    Verifier,
    WebhookVerificationError,
    _aborted,
    _check_limit,
    _check_on_error,
    _consumed,
    _error_body,
    _status_for,
    _too_large,
    extend_echo_response,
)

# Above this size the check (~2 ms per MB) runs in Starlette's thread pool, so that other
# requests on the event loop are not held up; below it the hop would cost more than the work.
# The wheel releases the GIL for large bodies, so the thread runs in parallel.
THREAD_THRESHOLD = 256 * 1024

# Any by default, as for the stubs' Verifier and Event: a bare `WebhookDependency` annotation
# still checks under --strict.
_D = TypeVar("_D", default=Any)


class WebhookDependency(Generic[_D]):
    """Callable dependency; build it once per endpoint. Its events have the verifier's
    `detail` type (`WebhookDependency(Verifier("centra", ...))` yields `Event[CentraDetail]`).
    `on_error` sees each refused request (a failed verification, `payload_too_large`, a body read
    before) before the `HTTPException` is raised; what it raises propagates instead."""

    verifier: Verifier[_D]
    limit: int
    on_error: Optional[Callable[[WebhookVerificationError, Request], object]]

    def __init__(
        self,
        verifier: Verifier[_D],
        *,
        limit: int = _DEFAULT_LIMIT,
        on_error: Optional[Callable[[WebhookVerificationError, Request], object]] = None,
    ) -> None:
        self.verifier = verifier
        self.limit = _check_limit(limit, "WebhookDependency")
        self.on_error = _check_on_error(on_error, "WebhookDependency")

    async def _refuse(self, error: WebhookVerificationError, request: Request) -> NoReturn:
        if self.on_error is not None:
            seen = self.on_error(error, request)
            if inspect.isawaitable(seen):
                await seen
        raise HTTPException(status_code=_status_for(error), detail=_error_body(error))

    async def _body(self, request: Request) -> bytes:
        """The body, read up to the limit (Starlette's `body()` reads any size)."""
        stated = request.headers.get("content-length", "")
        if stated.isdigit() and int(stated) > self.limit:
            await self._refuse(_too_large(self.limit, "WebhookDependency"), request)
        chunks = []
        size = 0
        refused: Optional[WebhookVerificationError] = None
        try:
            async for chunk in request.stream():
                size += len(chunk)
                if size > self.limit:
                    refused = _too_large(self.limit, "WebhookDependency")
                    break
                chunks.append(chunk)
        except ClientDisconnect as e:
            # The sender went away mid-body: a 400 for the hook, not an error of the app's
            # (which Starlette would log with its traceback, as anyone can cause it).
            refused = _aborted(e)
        except RuntimeError as e:
            # Starlette's "Stream consumed": `request.form()` (a `Form(...)` parameter of the
            # route) or a middleware read the stream without keeping the bytes.
            if "consumed" not in str(e):
                raise
            refused = _consumed("WebhookDependency", "a Form(...) parameter or a middleware")
        # Outside the `try`: what the hook raises is its own, and not chained to the cause.
        if refused is not None:
            await self._refuse(refused, request)
        body = b"".join(chunks)
        # Where `request.body()` keeps it, so the route can read the bytes again.
        request._body = body
        return body

    async def __call__(self, request: Request) -> Event[_D]:
        body = await self._body(request)
        try:
            if len(body) > THREAD_THRESHOLD:
                return await run_in_threadpool(self.verifier.verify_and_parse, request.headers, body)
            return self.verifier.verify_and_parse(request.headers, body)
        except WebhookVerificationError as e:
            refused = e
        # Outside the `except`: the HTTPException is not chained to the verification error.
        await self._refuse(refused, request)


async def extend_echo(request: Request) -> Response:
    """Answers Extend Commerce's ``GET ?echo=`` registration check; register it as the webhook
    URL's GET route. The caller's text goes back as plain text that no browser may sniff as
    HTML (a returned str would be sent as JSON, which Extend does not accept); 404 without
    ``echo``."""
    text = extend_echo_response(request.url.query)
    if text is None:
        return Response(status_code=404)
    return Response(text, media_type="text/plain", headers={"X-Content-Type-Options": "nosniff"})
