import base64
import contextlib
import json
import os
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest

REPO = Path(os.environ.get("HOOKPROOF_REPO", Path(__file__).resolve().parents[2]))
VECTORS = REPO / "tests" / "vectors"
NOW = 1_763_900_000


def body_of(case: Dict[str, Any]) -> bytes:
    """A vector case's body: its text as UTF-8, or the bytes of `body_base64`."""
    return base64.b64decode(case["body_base64"]) if "body_base64" in case else case["body"].encode()


def vector_cases() -> List[Tuple[str, Dict[str, Any]]]:
    cases = []
    for path in sorted(VECTORS.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for case in doc["cases"]:
            cases.append((doc["provider"], case))
    return cases


# One configuration per provider, shared with the Node tests and the demo.
PROVIDER_SETUPS: Dict[str, Dict[str, Any]] = json.loads((REPO / "tests" / "receivers.json").read_text(encoding="utf-8"))["providers"]


def tamper(setup: Dict[str, Any], headers: Dict[str, str], body: bytes) -> Tuple[Dict[str, str], bytes]:
    """A forgery of a valid request: one body byte changed, or for Orisha, which signs nothing,
    a wrong shared secret."""
    if setup["body_signed"]:
        tampered = body.replace(b"1", b"2", 1)
        assert tampered != body
        return headers, tampered
    return {k: (v + "x" if k.lower() == "x-secret" else v) for k, v in headers.items()}, body


def signed_variants(provider: str, now: int) -> Iterator[Tuple[str, Dict[str, str], bytes, int, Optional[str]]]:
    """(label, headers, body, expected status, expected error code) for a valid, tampered, stale
    and unsigned request."""
    import hookproof

    setup = PROVIDER_SETUPS[provider]
    opts = setup["options"]
    extra = setup.get("sign", {})
    good = hookproof.sign(provider, setup["payload"], now=now, **opts, **extra)
    yield "valid", dict(good.headers), good.body, 200, None
    yield "tampered", *tamper(setup, dict(good.headers), good.body), 401, "signature_mismatch"
    stale = hookproof.sign(provider, setup["payload"], now=now - 3600, **opts, **extra)
    if setup["signs_time"]:
        yield "stale", dict(stale.headers), stale.body, 401, "timestamp_too_old"
    else:
        yield "stale", dict(stale.headers), stale.body, 200, None
    yield "unsigned", {"Content-Type": good.headers.get("content-type", "application/json")}, good.body, 401, "missing_header"


@pytest.fixture
def now() -> int:
    return int(time.time())


@contextlib.contextmanager
def serve_asgi(app: Any) -> Iterator[str]:
    """Serves an ASGI app (FastAPI) with uvicorn on 127.0.0.1; yields its base URL."""
    import uvicorn

    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def django_settings(urlconf: str) -> None:
    """Configures Django once per process (CSRF checks on: webhook views must be exempt)."""
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(DEBUG=False, ALLOWED_HOSTS=["testserver"], SECRET_KEY="test-only",
                           MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"])
        django.setup()
    settings.ROOT_URLCONF = urlconf


def post(url: str, headers: Dict[str, str], body: bytes) -> Tuple[int, Any]:
    """POSTs `body`; returns the status and the JSON answer."""
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())
