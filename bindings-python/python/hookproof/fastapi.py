"""FastAPI / Starlette integration: a dependency that yields the verified event.

    verify = WebhookDependency(Verifier("centra", secret=...))

    @app.post("/webhooks/centra")
    async def hook(event: Event[CentraDetail] = Depends(verify)) -> dict: ...

It reads the raw body (at most ``limit`` bytes, 1 MiB by default: 413 beyond) and raises
``HTTPException(401)`` (400 for an authentic request with an invalid payload) whose detail is
``{"error": code, "message": ..., "hint": ...}``. ``await request.body()`` gives the bytes
again afterwards. To send the event itself back as JSON,
return ``event.to_dict()`` (FastAPI serialises dicts, not the ``Event`` class).
Extend Commerce checks the URL with ``GET ?echo=``: ``app.get("/webhooks/extend")(extend_echo)``.
"""

from typing import Any, Generic

from fastapi import HTTPException, Request, Response
from starlette.concurrency import run_in_threadpool
from typing_extensions import TypeVar  # a FastAPI dependency; `default` (PEP 696) before 3.13

from . import (
    _DEFAULT_LIMIT,
    Event,
    Verifier,
    WebhookVerificationError,
    _check_limit,
    _consumed_body,
    _error_body,
    _status_for,
    _too_large_body,
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
    `detail` type (`WebhookDependency(Verifier("centra", ...))` yields `Event[CentraDetail]`)."""

    def __init__(self, verifier: Verifier[_D], *, limit: int = _DEFAULT_LIMIT) -> None:
        self.verifier = verifier
        self.limit = _check_limit(limit, "WebhookDependency")

    def _too_large(self) -> HTTPException:
        return HTTPException(status_code=413, detail=_too_large_body(self.limit, "WebhookDependency"))

    async def _body(self, request: Request) -> bytes:
        """The body, read up to the limit (Starlette's `body()` reads any size)."""
        stated = request.headers.get("content-length", "")
        if stated.isdigit() and int(stated) > self.limit:
            raise self._too_large()
        chunks = []
        size = 0
        try:
            async for chunk in request.stream():
                size += len(chunk)
                if size > self.limit:
                    raise self._too_large()
                chunks.append(chunk)
        except RuntimeError as e:
            # Starlette's "Stream consumed": `request.form()` (a `Form(...)` parameter of the
            # route) or a middleware read the stream without keeping the bytes.
            if "consumed" not in str(e):
                raise
            raise HTTPException(
                status_code=500,
                detail=_consumed_body("WebhookDependency", "a Form(...) parameter or a middleware"),
            ) from None
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
            raise HTTPException(status_code=_status_for(e), detail=_error_body(e)) from None


async def extend_echo(request: Request) -> Response:
    """Answers Extend Commerce's ``GET ?echo=`` registration check; register it as the webhook
    URL's GET route. The caller's text goes back as plain text that no browser may sniff as
    HTML (a returned str would be sent as JSON, which Extend does not accept); 404 without
    ``echo``."""
    text = extend_echo_response(request.url.query)
    if text is None:
        return Response(status_code=404)
    return Response(text, media_type="text/plain", headers={"X-Content-Type-Options": "nosniff"})
