"""FastAPI / Starlette integration: a dependency that yields the verified event.

    verify = WebhookDependency(Verifier("centra", secret=...))

    @app.post("/webhooks/centra")
    async def hook(event: Event = Depends(verify)) -> dict: ...

It reads the raw body with ``await request.body()`` and raises ``HTTPException(401)``
(400 for an authentic request with an invalid payload) whose detail is
``{"error": code, "message": ..., "hint": ...}``. To send the event itself back as JSON,
return ``event.to_dict()`` (FastAPI serialises dicts, not the ``Event`` class).
"""

from fastapi import HTTPException, Request

from . import Event, Verifier, WebhookVerificationError, _error_body, _status_for


class WebhookDependency:
    """Callable dependency; build it once per endpoint."""

    def __init__(self, verifier: Verifier) -> None:
        self.verifier = verifier

    async def __call__(self, request: Request) -> Event:
        body = await request.body()
        try:
            return self.verifier.verify_and_parse(request.headers, body)
        except WebhookVerificationError as e:
            raise HTTPException(status_code=_status_for(e), detail=_error_body(e)) from None
