"""Real servers on 127.0.0.1 (Flask under werkzeug, FastAPI under uvicorn) and Django's test
client receive signed, tampered, stale and unsigned requests for every provider."""

import io
import itertools
import json
import threading
from typing import Any, Dict, Iterator

import pytest

import hookproof
from conftest import PROVIDER_SETUPS, django_settings, post, serve_asgi, signed_variants

PROVIDERS = list(PROVIDER_SETUPS)


def verifiers() -> Dict[str, hookproof.Verifier]:
    return {p: hookproof.Verifier(p, **s["options"]) for p, s in PROVIDER_SETUPS.items()}


def check_server(base: str, now: int, error_of: Any) -> None:
    seen = 0
    for provider in PROVIDERS:
        for label, headers, body, status, code in signed_variants(provider, now):
            got, payload = post(f"{base}/webhooks/{provider}", headers, body)
            assert got == status, f"{provider}/{label}: {got} {payload}"
            if status == 200:
                assert payload["provider"] == provider
                assert payload["raw"] == (body.decode() if provider != "centra" else payload["raw"])
                assert payload == hookproof.Verifier(provider, **PROVIDER_SETUPS[provider]["options"]).verify_and_parse(headers, body)
            else:
                assert error_of(payload)["error"] == code, f"{provider}/{label}: {payload}"
            seen += 1
    assert seen == 4 * len(PROVIDERS)


@pytest.fixture
def flask_server() -> Iterator[str]:
    from flask import Flask, g, jsonify
    from werkzeug.serving import make_server

    from hookproof.flask import verify_webhook

    app = Flask("hookproof-test")
    for provider, verifier in verifiers().items():
        @verify_webhook(verifier)
        def view() -> Any:
            return jsonify(g.webhook.to_dict())

        app.add_url_rule(f"/webhooks/{provider}", f"hook_{provider}", view, methods=["POST"])
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def test_flask(flask_server: str, now: int) -> None:
    check_server(flask_server, now, lambda p: p)


def test_flask_async_view(now: int) -> None:
    from flask import Flask, g, jsonify

    from hookproof.flask import verify_webhook, webhook_event

    app = Flask("hookproof-async")
    with app.test_request_context(), pytest.raises(RuntimeError, match="decorate the view"):
        webhook_event()
    # One app context around several requests (a common fixture) shares `g`: an undecorated
    # view must not get the event an earlier request left there.
    @app.post("/plain")
    def plain() -> Any:
        return jsonify(webhook_event().to_dict())
    setup = PROVIDER_SETUPS["standardwebhooks"]

    @app.post("/hook")
    @verify_webhook(hookproof.Verifier("standardwebhooks", **setup["options"]))
    async def view() -> Any:
        return jsonify(webhook_event().to_dict())

    client = app.test_client()
    for label, headers, body, status, code in signed_variants("standardwebhooks", now):
        resp = client.post("/hook", data=body, headers=headers)
        assert resp.status_code == status, f"{label}: {resp.status_code} {resp.data[:200]!r}"
        assert (resp.json or {}).get("provider" if status == 200 else "error") == ("standardwebhooks" if status == 200 else code)
    good = hookproof.sign("standardwebhooks", setup["payload"], now=now, **setup["options"])
    with app.app_context():
        assert client.post("/hook", data=good.body, headers=dict(good.headers)).status_code == 200
        # The view's RuntimeError: Flask's 500 (the app is not in testing mode).
        assert client.post("/plain", data=good.body, headers=dict(good.headers)).status_code == 500


def test_a_body_read_before_the_helper_is_reported_not_mis_verified(now: int) -> None:
    """A hook that parsed Centra's form body, or a route that read the stream first, leaves
    the helper nothing to verify: a 500 saying so, not a `signature_mismatch` 401."""
    from fastapi import Depends, FastAPI, Request
    from flask import Flask, g, jsonify, request

    from hookproof.fastapi import WebhookDependency
    from hookproof.flask import verify_webhook

    setup = PROVIDER_SETUPS["centra"]
    verifier = hookproof.Verifier("centra", **setup["options"])
    req = hookproof.sign("centra", setup["payload"], now=now, **setup["options"])
    assert req.headers["content-type"] == "application/x-www-form-urlencoded"

    flask_app = Flask("hookproof-consumed")

    @flask_app.before_request
    def read_form() -> None:
        request.form.get("csrf_token")

    @flask_app.post("/hook")
    @verify_webhook(verifier)
    def flask_view() -> Any:
        return jsonify(g.webhook.to_dict())

    resp = flask_app.test_client().post("/hook", data=req.body, headers=dict(req.headers))
    assert resp.status_code == 500, resp.data
    assert resp.json is not None and resp.json["error"] == "invalid_option"
    assert "read before verify_webhook (request.form" in resp.json["message"]
    # A chunked body states no length: that the stream was read is what shows it.
    # (A before_request hook that returns anything but None is the response.)
    hooks = {
        "form": lambda: [request.form.get("csrf_token"), None][-1],
        "data": lambda: [request.data, None][-1],  # parses the form, and caches b""
        "stream": lambda: [request.stream.read(), None][-1],
    }
    for read, hook in hooks.items():
        app = Flask(f"hookproof-consumed-{read}")
        app.before_request(hook)
        app.post("/hook")(verify_webhook(verifier)(lambda: jsonify(g.webhook.to_dict())))
        resp = app.test_client().post(
            "/hook",
            headers={**dict(req.headers), "Transfer-Encoding": "chunked"},
            environ_overrides={"wsgi.input": io.BytesIO(req.body), "wsgi.input_terminated": True},
        )
        assert resp.status_code == 500 and resp.json is not None, (read, resp.data)
        assert "read before verify_webhook" in resp.json["message"], read

    fastapi_app = FastAPI()

    async def drain(request: Request) -> None:
        async for _ in request.stream():
            pass

    dep = WebhookDependency(verifier)

    @fastapi_app.post("/hook")
    async def fastapi_view(_: None = Depends(drain), event: hookproof.Event[Any] = Depends(dep)) -> Any:
        return event.to_dict()

    with serve_asgi(fastapi_app) as base:
        got, err = post(f"{base}/hook", dict(req.headers), req.body)
    assert got == 500, err
    assert err["detail"]["error"] == "invalid_option"
    assert "read before WebhookDependency" in err["detail"]["message"]


@pytest.fixture
def fastapi_server() -> Iterator[str]:
    from fastapi import Depends, FastAPI

    from hookproof.fastapi import WebhookDependency

    app = FastAPI()
    for provider, verifier in verifiers().items():
        dep = WebhookDependency(verifier)

        # A parameterised annotation, as the stubs infer it: FastAPI evaluates it at run time.
        async def view(event: hookproof.Event[Any] = Depends(dep)) -> Any:
            return event.to_dict()

        app.post(f"/webhooks/{provider}")(view)
    with serve_asgi(app) as base:
        yield base


def test_fastapi(fastapi_server: str, now: int) -> None:
    check_server(fastapi_server, now, lambda p: p["detail"])


def test_fastapi_large_body_in_the_thread_pool(fastapi_server: str, now: int) -> None:
    from hookproof.fastapi import THREAD_THRESHOLD

    setup = PROVIDER_SETUPS["standardwebhooks"]
    payload = json.dumps({"type": "big", "data": "x" * THREAD_THRESHOLD})
    req = hookproof.sign("standardwebhooks", payload, now=now, **setup["options"])
    got, event = post(f"{fastapi_server}/webhooks/standardwebhooks", dict(req.headers), req.body)
    assert got == 200 and event["event_types"] == ["big"], got
    got, err = post(f"{fastapi_server}/webhooks/standardwebhooks", dict(req.headers), req.body[:-2] + b" }")
    assert got == 401 and err["detail"]["error"] == "signature_mismatch", (got, err)


def test_django(now: int) -> None:
    django_settings(__name__)
    from django.http import JsonResponse
    from django.test import Client
    from django.urls import clear_url_caches, path

    from hookproof.django import verify_webhook, webhook_event

    with pytest.raises(RuntimeError, match="decorate the view"):
        webhook_event(object())

    def make_view(verifier: hookproof.Verifier) -> Any:
        @verify_webhook(verifier)
        def view(request: Any) -> Any:
            return JsonResponse(request.webhook.to_dict())

        return view

    def make_async_view(verifier: hookproof.Verifier) -> Any:
        @verify_webhook(verifier)
        async def view(request: Any) -> Any:
            return JsonResponse(webhook_event(request).to_dict())

        return view

    global urlpatterns
    urlpatterns = [path(f"webhooks/{p}", make_view(v)) for p, v in verifiers().items()]
    urlpatterns += [path(f"async/webhooks/{p}", make_async_view(v)) for p, v in verifiers().items()]
    clear_url_caches()
    # CSRF checks are on in the client: the decorator must exempt webhook views.
    client = Client(enforce_csrf_checks=True)
    for provider in PROVIDERS:
        for (label, headers, body, status, code), prefix in itertools.product(signed_variants(provider, now), ["", "async/"]):
            extra = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items() if k.lower() != "content-type"}
            resp = client.post(f"/{prefix}webhooks/{provider}", data=body,
                               content_type=headers.get("content-type", headers.get("Content-Type", "application/json")), **extra)
            assert resp.status_code == status, f"{provider}/{label}: {resp.status_code} {resp.content[:200]!r}"
            if status == 200:
                assert resp.json()["provider"] == provider
            else:
                assert resp.json()["error"] == code, f"{provider}/{label}: {resp.json()}"


urlpatterns: Any = []


def test_django_body_limits_and_bodies_it_cannot_read(now: int) -> None:
    """The decorator's `limit` and Django's DATA_UPLOAD_MAX_MEMORY_SIZE answer 413; a body
    read as request.POST first, or sent chunked to Django under WSGI (which then reads
    nothing), answer 500 saying so, not a `signature_mismatch` 401."""
    django_settings(__name__)
    from django.http import JsonResponse
    from django.test import Client, override_settings
    from django.urls import clear_url_caches, path

    from hookproof.django import verify_webhook

    setup = PROVIDER_SETUPS["standardwebhooks"]
    verifier = hookproof.Verifier("standardwebhooks", **setup["options"])
    with pytest.raises(TypeError, match="limit is a number of bytes"):
        verify_webhook(verifier, limit="1mb")  # type: ignore[arg-type]

    @verify_webhook(verifier, limit=1000)
    def limited(request: Any) -> Any:
        return JsonResponse(request.webhook.to_dict())

    @verify_webhook(verifier)
    def plain(request: Any) -> Any:
        return JsonResponse(request.webhook.to_dict())

    def reads_post_first(request: Any) -> Any:
        request.POST.get("x")
        return plain(request)

    @verify_webhook(hookproof.Verifier("extend", "s"))
    def extend_view(request: Any) -> Any:
        return JsonResponse(request.webhook.to_dict())

    global urlpatterns
    urlpatterns = [path("limited", limited), path("plain", plain), path("post-first", reads_post_first), path("extend", extend_view)]
    clear_url_caches()  # test_django's patterns may be resolved and cached already
    client = Client()
    big = hookproof.sign("standardwebhooks", json.dumps({"type": "a.b", "data": "x" * 2000}), now=now, **setup["options"])
    small = hookproof.sign("standardwebhooks", setup["payload"], now=now, **setup["options"])

    def send(url: str, req: Any, **extra: Any) -> Any:
        headers = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in req.headers.items() if k.lower() != "content-type"}
        return client.generic("POST", url, req.body, content_type="application/json", **headers, **extra)

    resp = send("/limited", big)
    assert resp.status_code == 413 and resp.json()["error"] == "payload_too_large", resp.content
    assert "exceeds 1000 bytes: raise verify_webhook's `limit`" in resp.json()["message"]
    assert send("/limited", small).status_code == 200
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=500):
        resp = send("/plain", big)
    assert resp.status_code == 413, resp.content
    assert "exceeds 500 bytes: raise DATA_UPLOAD_MAX_MEMORY_SIZE" in resp.json()["message"]

    resp = client.post("/post-first", data={"x": "1"})  # multipart: request.POST reads the stream
    assert resp.status_code == 500, resp.content
    assert resp.json()["error"] == "invalid_option"
    assert "read before verify_webhook (request.POST" in resp.json()["message"]

    # Extend's registration check reaches the decorated URL: answered, as plain text.
    resp = client.get("/extend", {"echo": "<b>abc</b>"})
    assert resp.status_code == 200 and resp.content == b"<b>abc</b>", resp.content
    assert resp["Content-Type"].startswith("text/plain") and resp["X-Content-Type-Options"] == "nosniff"
    assert client.get("/extend").status_code == 401  # no echo: verified, and unsigned
    assert client.get("/plain", {"echo": "abc"}).status_code == 401  # other providers: verified

    resp = send("/plain", small, CONTENT_LENGTH="", HTTP_TRANSFER_ENCODING="chunked")
    assert resp.status_code == 500, resp.content
    assert resp.json()["error"] == "invalid_option" and "chunked" in resp.json()["message"]


def test_flask_names_the_cap_that_applied_and_needs_flask_3_1(now: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from flask import Flask, g, jsonify

    import hookproof.flask
    from hookproof.flask import verify_webhook

    setup = PROVIDER_SETUPS["standardwebhooks"]
    verifier = hookproof.Verifier("standardwebhooks", **setup["options"])
    app = Flask("hookproof-cap")
    app.config["MAX_CONTENT_LENGTH"] = 100

    @app.post("/hook")
    @verify_webhook(verifier)
    def view() -> Any:
        return jsonify(g.webhook.to_dict())

    req = hookproof.sign("standardwebhooks", json.dumps({"type": "a.b", "data": "x" * 500}), now=now, **setup["options"])
    resp = app.test_client().post("/hook", data=req.body, headers=dict(req.headers))
    assert resp.status_code == 413 and resp.json is not None, resp.data
    # The app's own cap applied: raising the helper's `limit` would not help.
    assert "exceeds 100 bytes: raise MAX_CONTENT_LENGTH" in resp.json["message"]
    # Chunked (no Content-Length) too: Werkzeug would cut the body at the cap, unseen.
    chunked = {**dict(req.headers), "Transfer-Encoding": "chunked"}
    resp = app.test_client().post(
        "/hook", headers=chunked, environ_overrides={"wsgi.input": io.BytesIO(req.body), "wsgi.input_terminated": True}
    )
    assert resp.status_code == 413 and resp.json is not None, resp.data
    assert "exceeds 100 bytes: raise MAX_CONTENT_LENGTH" in resp.json["message"]
    small = hookproof.sign("standardwebhooks", json.dumps({"type": "a.b"}), now=now, **setup["options"])
    assert len(small.body) <= 100
    resp = app.test_client().post(
        "/hook",
        headers={**dict(small.headers), "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input": io.BytesIO(small.body), "wsgi.input_terminated": True},
    )
    assert resp.status_code == 200, resp.data

    # Before Flask 3.1 the cap could not be set per request: refused, not silently unbounded.
    monkeypatch.setattr(hookproof.flask, "_PER_REQUEST_CAP", False)
    with pytest.raises(RuntimeError, match="needs Flask 3.1"):
        verify_webhook(verifier)


def test_body_limit_flask_and_fastapi(now: int) -> None:
    """A stated Content-Length over the limit, or a chunked body that grows past it: 413."""
    import socket
    import urllib.error
    import urllib.parse
    import urllib.request

    from fastapi import Depends, FastAPI
    from flask import Flask, g, jsonify
    from werkzeug.serving import make_server

    from hookproof.fastapi import WebhookDependency
    from hookproof.flask import verify_webhook

    setup = PROVIDER_SETUPS["standardwebhooks"]
    verifier = hookproof.Verifier("standardwebhooks", **setup["options"])
    for bad in ["1mb", -1, 1.5, True]:
        with pytest.raises(TypeError, match="limit is a number of bytes"):
            verify_webhook(verifier, limit=bad)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="limit is a number of bytes"):
            WebhookDependency(verifier, limit=bad)  # type: ignore[arg-type]

    flask_app = Flask("hookproof-limit")

    @flask_app.post("/hook")
    @verify_webhook(verifier, limit=1000)
    def flask_view() -> Any:
        return jsonify(g.webhook.to_dict())

    fastapi_app = FastAPI()
    dep = WebhookDependency(verifier, limit=1000)

    @fastapi_app.post("/hook")
    async def fastapi_view(event: hookproof.Event[Any] = Depends(dep)) -> Any:
        return event.to_dict()

    big = hookproof.sign("standardwebhooks", json.dumps({"type": "a.b", "data": "x" * 2000}), now=now, **setup["options"])
    small = hookproof.sign("standardwebhooks", setup["payload"], now=now, **setup["options"])

    def status(url: str, body: bytes, headers: Dict[str, str]) -> int:
        req = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return int(resp.status)
        except urllib.error.HTTPError as e:
            answer = json.loads(e.read())
            answer = answer.get("detail", answer)  # FastAPI's HTTPException shape
            assert answer["error"] == "payload_too_large", answer
            assert answer["message"].startswith("the body exceeds 1000 bytes: raise "), answer
            return e.code

    def chunked_status(url: str, headers: Dict[str, str], body: bytes) -> int:
        """POSTs `body` as two chunks, the whole request in one write: a server that refuses
        it early has nothing left unread to reset the connection over."""
        u = urllib.parse.urlsplit(url)
        head = f"POST {u.path} HTTP/1.1\r\nHost: {u.netloc}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        chunks = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in (body[:1000], body[1000:]) if p) + b"0\r\n\r\n"
        answer = b""
        with socket.create_connection((u.hostname or "", u.port or 80), timeout=10) as conn:
            conn.sendall(head.encode("latin-1") + chunks)
            while True:
                data = conn.recv(65536)
                if not data:
                    break
                answer += data
        code = int(answer.split(b" ", 2)[1])
        if code == 413:
            assert b'"payload_too_large"' in answer, answer
        return code

    server = make_server("127.0.0.1", 0, flask_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with serve_asgi(fastapi_app) as fastapi_base:
            for url in [f"http://127.0.0.1:{server.server_port}/hook", f"{fastapi_base}/hook"]:
                headers = dict(big.headers)
                assert status(url, big.body, headers) == 413, url
                # Chunked, without Content-Length: refused once the bytes read pass the limit.
                assert chunked_status(url, headers, big.body) == 413, url
                assert status(url, small.body, dict(small.headers)) == 200, url
                assert chunked_status(url, dict(small.headers), small.body) == 200, url
    finally:
        server.shutdown()
        thread.join(timeout=10)


def test_extend_echo_in_flask_and_fastapi(now: int) -> None:
    """Extend's `GET ?echo=` answered as plain text that no browser sniffs as HTML: the value is
    the caller's text (Flask would send a returned str as HTML, FastAPI as a JSON string)."""
    import urllib.error
    import urllib.request

    from fastapi import FastAPI
    from flask import Flask, g, jsonify

    from hookproof.fastapi import extend_echo
    from hookproof.flask import verify_webhook

    setup = PROVIDER_SETUPS["extend"]
    flask_app = Flask("hookproof-echo")

    @flask_app.route("/hook", methods=["GET", "POST"])
    @verify_webhook(hookproof.Verifier("extend", **setup["options"]))
    def view() -> Any:
        return jsonify(g.webhook.to_dict())

    @flask_app.route("/other", methods=["GET", "POST"])
    @verify_webhook(hookproof.Verifier("centra", "s"))
    def other() -> Any:
        return jsonify(g.webhook.to_dict())

    client = flask_app.test_client()
    resp = client.get("/hook?echo=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert resp.status_code == 200 and resp.data == b"<script>alert(1)</script>", resp.data
    assert resp.headers["Content-Type"].startswith("text/plain")
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/hook").status_code == 401  # no echo: verified, and unsigned
    assert client.get("/other?echo=abc").status_code == 401  # other providers: verified
    req = hookproof.sign("extend", setup["payload"], now=now, **setup["options"])
    assert client.post("/hook", data=req.body, headers=dict(req.headers)).status_code == 200

    fastapi_app = FastAPI()
    fastapi_app.get("/hook")(extend_echo)
    with serve_asgi(fastapi_app) as base:
        with urllib.request.urlopen(f"{base}/hook?echo=%3Cb%3Eabc%3C%2Fb%3E", timeout=10) as answer:
            assert answer.status == 200 and answer.read() == b"<b>abc</b>"
            assert answer.headers["Content-Type"].startswith("text/plain")
            assert answer.headers["X-Content-Type-Options"] == "nosniff"
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"{base}/hook", timeout=10)
        assert missing.value.code == 404


def test_flask_hook_that_made_the_stream_without_reading_it(now: int) -> None:
    """A hook that touched `request.form` on a JSON body made Werkzeug's stream, with no cap of
    ours, without reading it: the helper reads it, bounded, and leaves the bytes to the view."""
    from flask import Flask, g, jsonify, request

    from hookproof.flask import verify_webhook

    class Counted(io.BytesIO):
        taken = 0

        def read(self, size: "int | None" = -1) -> bytes:
            data = super().read(size)
            Counted.taken += len(data)
            return data

        def readinto(self, buffer: Any) -> int:
            n = super().readinto(buffer)
            Counted.taken += n
            return n

    setup = PROVIDER_SETUPS["standardwebhooks"]
    app = Flask("hookproof-made-stream")
    app.before_request(lambda: [request.form.get("csrf_token"), None][-1])

    @app.post("/hook")
    @verify_webhook(hookproof.Verifier("standardwebhooks", **setup["options"]), limit=1000)
    def view() -> Any:
        return jsonify(same=request.get_data() == request.environ["test.body"], event=g.webhook.event_types)

    small = hookproof.sign("standardwebhooks", setup["payload"], now=now, **setup["options"])
    big = hookproof.sign("standardwebhooks", json.dumps({"type": "a.b", "data": "x" * 50000}), now=now, **setup["options"])
    client = app.test_client()
    for req, chunked, status in [(small, False, 200), (small, True, 200), (big, True, 413)]:
        Counted.taken = 0
        headers = dict(req.headers)
        environ: Dict[str, Any] = {"test.body": req.body}
        if chunked:
            headers["Transfer-Encoding"] = "chunked"
            environ.update({"wsgi.input": Counted(req.body), "wsgi.input_terminated": True})
            resp = client.post("/hook", headers=headers, environ_overrides=environ)
        else:
            resp = client.post("/hook", data=req.body, headers=headers, environ_overrides=environ)
        assert resp.status_code == status, (chunked, resp.data)
        if status == 200:
            assert resp.json is not None and resp.json["same"] is True
        else:
            assert Counted.taken <= 1001, Counted.taken  # not the whole 50 KB body

    # An empty body with a Content-Length (ShopCtrl Basic) is not taken for one read before.
    basic = hookproof.Verifier("shopctrl", username="u", password="p")
    empty = hookproof.sign("shopctrl", b"", username="u", password="p")
    app2 = Flask("hookproof-empty")
    app2.before_request(lambda: [request.form.get("csrf_token"), None][-1])
    app2.post("/hook")(verify_webhook(basic)(lambda: jsonify(ok=True)))
    resp = app2.test_client().post("/hook", data=b"", headers={**dict(empty.headers), "Content-Length": "0"})
    assert resp.status_code == 200, resp.data


def test_on_error_sees_each_refusal_before_the_answer(now: int) -> None:
    """Every helper shows each refused request to `on_error` (sync or `async def`), with the
    framework's request, then answers as without it; what the hook raises is not swallowed,
    and the view never runs for that request."""
    django_settings(__name__)
    from django.http import JsonResponse
    from django.test import Client
    from django.urls import clear_url_caches, path
    from fastapi import Depends, FastAPI
    from flask import Flask, g, jsonify

    import hookproof.django
    import hookproof.fastapi
    import hookproof.flask

    setup = PROVIDER_SETUPS["extend"]
    verifier = hookproof.Verifier("extend", **setup["options"])
    good = hookproof.sign("extend", setup["payload"], now=now, **setup["options"])
    headers = dict(good.headers)
    tampered = good.body + b" "
    big = b"x" * 2000
    seen: list = []

    def log(error: hookproof.WebhookVerificationError, request: Any) -> None:
        assert isinstance(error, hookproof.WebhookVerificationError)
        seen.append((error.code, type(request).__name__))

    async def alog(error: hookproof.WebhookVerificationError, request: Any) -> None:
        log(error, request)

    def calls_alog(error: hookproof.WebhookVerificationError, request: Any) -> Any:
        return alog(error, request)  # an awaitable from a plain function: run all the same

    def broken(error: hookproof.WebhookVerificationError, request: Any) -> None:
        raise LookupError("log sink down")

    expected = [("signature_mismatch", 401), ("payload_too_large", 413)]

    # Flask (its test client re-raises what a view raises, as the app is testing).
    for hook in (log, alog, calls_alog):
        app = Flask("hookproof-on-error")
        app.testing = True
        app.post("/hook")(hookproof.flask.verify_webhook(verifier, limit=1000, on_error=hook)(lambda: jsonify(g.webhook.to_dict())))
        client = app.test_client()
        assert client.post("/hook", data=good.body, headers=headers).status_code == 200
        for body, (code, status) in zip([tampered, big], expected):
            resp = client.post("/hook", data=body, headers=headers)
            assert resp.status_code == status and resp.json is not None and resp.json["error"] == code, resp.data
        assert seen == [(code, "Request") for code, _ in expected], hook
        seen.clear()
    app = Flask("hookproof-on-error-broken")
    app.testing = True
    app.post("/hook")(hookproof.flask.verify_webhook(verifier, on_error=broken)(lambda: "view ran"))
    with pytest.raises(LookupError, match="log sink down") as raised:
        app.test_client().post("/hook", data=tampered, headers=headers)
    assert raised.value.__context__ is None, "chained to the verification error"

    # Django, sync and async views, each with a sync and an async hook.
    def django_view(hook: Any, is_async: bool) -> Any:
        if is_async:
            async def view(request: Any) -> Any:
                return JsonResponse(request.webhook.to_dict())
        else:
            def view(request: Any) -> Any:  # type: ignore[misc]
                return JsonResponse(request.webhook.to_dict())
        return hookproof.django.verify_webhook(verifier, limit=1000, on_error=hook)(view)

    global urlpatterns
    urlpatterns = [
        path(f"{name}/{kind}", django_view(hook, kind == "async"))
        for name, hook in [("log", log), ("alog", alog), ("calls_alog", calls_alog), ("broken", broken)]
        for kind in ["sync", "async"]
    ]
    clear_url_caches()
    client = Client()
    extra = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items() if k.lower() != "content-type"}
    for name in [f"{hook}/{kind}" for hook in ["log", "alog", "calls_alog"] for kind in ["sync", "async"]]:
        assert client.post(f"/{name}", data=good.body, content_type="application/json", **extra).status_code == 200
        for body, (code, status) in zip([tampered, big], expected):
            resp = client.post(f"/{name}", data=body, content_type="application/json", **extra)
            assert resp.status_code == status and resp.json()["error"] == code, (name, resp.content)
        assert [c for c, _ in seen] == [c for c, _ in expected] and all("Request" in t for _, t in seen), (name, seen)
        seen.clear()
    for name in ["broken/sync", "broken/async"]:
        with pytest.raises(LookupError, match="log sink down"):
            client.post(f"/{name}", data=tampered, content_type="application/json", **extra)

    # FastAPI, over a real server: the hook runs before the HTTPException.
    fastapi_app = FastAPI()
    for name, hook in [("log", log), ("alog", alog), ("calls_alog", calls_alog), ("broken", broken)]:
        dep = hookproof.fastapi.WebhookDependency(verifier, limit=1000, on_error=hook)

        async def fastapi_view(event: hookproof.Event[Any] = Depends(dep)) -> Any:
            return event.to_dict()

        fastapi_app.post(f"/{name}")(fastapi_view)
    with serve_asgi(fastapi_app) as base:
        for name in ["log", "alog", "calls_alog"]:
            assert post(f"{base}/{name}", headers, good.body)[0] == 200
            for body, (code, status) in zip([tampered, big], expected):
                got, err = post(f"{base}/{name}", headers, body)
                assert got == status and err["detail"]["error"] == code, (name, got, err)
            assert seen == [(code, "Request") for code, _ in expected], (name, seen)
            seen.clear()
        try:
            got, _ = post(f"{base}/broken", headers, tampered)
        except json.JSONDecodeError:  # Starlette's plain-text 500
            got = 500
        assert got == 500

    for make in (
        lambda: hookproof.flask.verify_webhook(verifier, on_error="log"),  # type: ignore[arg-type]
        lambda: hookproof.django.verify_webhook(verifier, on_error=1),  # type: ignore[arg-type]
        lambda: hookproof.fastapi.WebhookDependency(verifier, on_error={}),  # type: ignore[arg-type]
    ):
        with pytest.raises(TypeError, match="on_error is a function"):
            make()


def test_flask_async_on_error_needs_flask_async(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refused when decorating, not at the first refused request (Flask's 500 page then)."""
    import sys

    from hookproof.flask import verify_webhook

    async def hook(error: hookproof.WebhookVerificationError, request: Any) -> None: ...

    verifier = hookproof.Verifier("extend", "s")
    monkeypatch.setitem(sys.modules, "asgiref.sync", None)  # as if flask[async] were not installed
    with pytest.raises(RuntimeError, match=r"flask\[async\]"):
        verify_webhook(verifier, on_error=hook)
    assert verify_webhook(verifier, on_error=lambda e, r: None)


def test_a_sender_gone_mid_body_is_request_aborted(now: int) -> None:
    """A body that ends before its Content-Length (the sender went away) is `request_aborted`,
    400, for the hook: not a 500 saying the app is misconfigured, nor a traceback."""
    import asyncio

    from fastapi import Depends, FastAPI
    from flask import Flask, g, jsonify

    from hookproof.fastapi import WebhookDependency
    from hookproof.flask import verify_webhook

    setup = PROVIDER_SETUPS["extend"]
    verifier = hookproof.Verifier("extend", **setup["options"])
    req = hookproof.sign("extend", setup["payload"], now=now, **setup["options"])
    seen: list = []

    def log(error: hookproof.WebhookVerificationError, request: Any) -> None:
        seen.append(error.code)

    app = Flask("hookproof-aborted")
    app.post("/hook")(verify_webhook(verifier, on_error=log)(lambda: jsonify(g.webhook.to_dict())))
    client = app.test_client()
    # None of it, or half; behind a server that ends the input (gunicorn: Werkzeug reads what
    # came) and one that does not (Werkzeug's stream stops at Content-Length, and raises).
    for sent, terminated in itertools.product([0, len(req.body) // 2], [True, False]):
        environ = {"wsgi.input": io.BytesIO(req.body[:sent]), "CONTENT_LENGTH": str(len(req.body))}
        if terminated:
            environ["wsgi.input_terminated"] = True
        resp = client.post("/hook", headers=dict(req.headers), environ_overrides=environ)
        assert resp.status_code == 400 and resp.json is not None, (sent, terminated, resp.data)
        assert resp.json["error"] == "request_aborted", resp.json
        assert resp.json["message"].startswith("request aborted: the request ended before its body did")
    assert seen == ["request_aborted"] * 4
    seen.clear()

    # FastAPI: the sender disconnects after part of the body (Starlette's ClientDisconnect).
    fastapi_app = FastAPI()

    @fastapi_app.post("/hook")
    async def hook(event: hookproof.Event[Any] = Depends(WebhookDependency(verifier, on_error=log))) -> Any:
        return event.to_dict()

    async def call() -> list:
        messages = [{"type": "http.request", "body": req.body[:10], "more_body": True}]
        sent: list = []

        async def receive() -> Dict[str, Any]:
            return messages.pop(0) if messages else {"type": "http.disconnect"}

        async def send(message: Dict[str, Any]) -> None:
            sent.append(message)

        headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in req.headers.items()]
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
            "scheme": "http", "path": "/hook", "raw_path": b"/hook", "query_string": b"", "root_path": "",
            "headers": [*headers, (b"content-length", str(len(req.body)).encode())],
            "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
        }
        await fastapi_app(scope, receive, send)
        return sent

    sent = asyncio.run(call())
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 400, sent
    assert json.loads(sent[1]["body"])["detail"]["error"] == "request_aborted"
    assert seen == ["request_aborted"]


def test_django_under_asgi_reads_an_unstated_body_only_to_the_limit(now: int) -> None:
    """Under ASGI, Django spools a chunked body (no Content-Length) before the view, and
    `request.body` would load all of it: the decorator reads one byte past its limit instead."""
    import socket
    import urllib.parse

    django_settings(__name__)
    from django.core.handlers.asgi import ASGIHandler
    from django.http import JsonResponse
    from django.urls import clear_url_caches, path

    from hookproof.django import verify_webhook

    setup = PROVIDER_SETUPS["standardwebhooks"]
    verifier = hookproof.Verifier("standardwebhooks", **setup["options"])
    loaded: list = []

    def log(error: hookproof.WebhookVerificationError, request: Any) -> None:
        # Whether `request.body` was built (the whole body, in memory).
        loaded.append((error.code, hasattr(request, "_body")))

    @verify_webhook(verifier, limit=1000, on_error=log)
    def limited(request: Any) -> Any:
        assert request.body == request.read() == small.body  # the bytes, again
        return JsonResponse(request.webhook.to_dict())

    @verify_webhook(verifier, limit=1000, on_error=log)
    async def limited_async(request: Any) -> Any:
        return JsonResponse({"body": request.body.decode()})

    global urlpatterns
    urlpatterns = [path("limited", limited), path("limited-async", limited_async)]
    clear_url_caches()
    big = hookproof.sign("standardwebhooks", json.dumps({"type": "a.b", "data": "x" * 300_000}), now=now, **setup["options"])
    small = hookproof.sign("standardwebhooks", setup["payload"], now=now, **setup["options"])

    def chunked(url: str, req: Any) -> "tuple[int, bytes]":
        u = urllib.parse.urlsplit(url)
        # `Host` as Django's test settings allow it.
        head = f"POST {u.path} HTTP/1.1\r\nHost: testserver\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in req.headers.items()) + "\r\n"
        parts = [req.body[i : i + 8192] for i in range(0, len(req.body), 8192)]
        chunks = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"
        answer = b""
        with socket.create_connection((u.hostname or "", u.port or 80), timeout=10) as conn:
            conn.sendall(head.encode("latin-1") + chunks)
            while data := conn.recv(65536):
                answer += data
        head_bytes, _, body = answer.partition(b"\r\n\r\n")
        return int(head_bytes.split(b" ", 2)[1]), body

    with serve_asgi(ASGIHandler()) as base:
        for url in [f"{base}/limited", f"{base}/limited-async"]:
            status, body = chunked(url, big)
            # (The answer may come chunked: the code is looked for, not parsed.)
            assert status == 413 and b'"error": "payload_too_large"' in body, (url, body[:300])
            status, body = chunked(url, small)
            assert status == 200, (url, body[:300])
    assert loaded == [("payload_too_large", False)] * 2
