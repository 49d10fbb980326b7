"""Every ```python example in the READMEs runs as written: signed with the secret it names, its
handler (Flask, FastAPI under uvicorn, a Django view, or plain code reading `request_headers`
and `raw_body`) accepts the request and hands on parts of the verified event, and refuses a
tampered one with the error code. Users copy these first; they must not drift from the API."""

import json
import re
from typing import Any, Callable, Dict, List, Tuple

import pytest

import hookproof
from conftest import PROVIDER_SETUPS, REPO, django_settings, post, serve_asgi, tamper

READMES = ("README.md", "bindings-python/README.md")
FENCE = re.compile(r"^```python\n(.*?)^```$", re.M | re.S)
VERIFIER = re.compile(r'Verifier\("(\w+)", "([^"]+)"\)')
ROUTE = re.compile(r'@app\.post\("([^"]+)"\)')
# What the examples hand the event to: names given to the example, calls recorded.
STUBS = ("print", "refresh", "handle")

Send = Callable[[Dict[str, str], bytes], Tuple[int, Any]]


def examples() -> List[Any]:
    out = []
    for name in READMES:
        text = (REPO / name).read_text(encoding="utf-8")
        found = list(FENCE.finditer(text))
        assert found, f"{name}: the fence pattern found no examples"
        for m in found:
            line = text.count("\n", 0, m.start()) + 2
            out.append(pytest.param(f"{name}:{line}", m.group(1), id=f"{name}:{line}"))
    return out


def handler_of(ns: Dict[str, Any], code: str) -> Send:
    """How to send a request to what the example defines."""
    app = ns.get("app")
    route = ROUTE.search(code)
    if app is not None and type(app).__name__ == "Flask":
        assert route, "a Flask example without @app.post"

        def flask_send(headers: Dict[str, str], body: bytes) -> Tuple[int, Any]:
            resp = app.test_client().post(route.group(1), data=body, headers=headers)
            return resp.status_code, resp.get_json(silent=True)

        return flask_send
    if app is not None and type(app).__name__ == "FastAPI":
        assert route, "a FastAPI example without @app.post"

        def fastapi_send(headers: Dict[str, str], body: bytes) -> Tuple[int, Any]:
            with serve_asgi(app) as base:
                status, answer = post(base + route.group(1), headers, body)
            # FastAPI wraps errors as its HTTPExceptions do.
            return status, answer["detail"] if status >= 400 else answer

        return fastapi_send
    views = [v for k, v in ns.items() if k.endswith("_hook") and callable(v)]
    if "django" in code and len(views) == 1:
        from django.test import RequestFactory

        def django_send(headers: Dict[str, str], body: bytes) -> Tuple[int, Any]:
            meta = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items() if k.lower() != "content-type"}
            request = RequestFactory().post("/hook", data=body, content_type=headers.get("content-type", "application/json"), **meta)
            resp = views[0](request)
            return resp.status_code, json.loads(resp.content) if resp.content else None

        return django_send
    raise AssertionError("the example defines no handler this test knows: teach test_readme.py")


@pytest.mark.parametrize("name,code", examples())
def test_readme_example_runs_as_written(name: str, code: str, now: int) -> None:
    found = VERIFIER.findall(code)
    assert len(found) == 1, f"expected one Verifier(provider, secret) in the example, found {found}"
    provider, secret = found[0]
    setup = PROVIDER_SETUPS[provider]
    signed = hookproof.sign(provider, setup["payload"], secret=secret, now=now, **setup.get("sign", {}))
    headers, body = dict(signed.headers), signed.body
    expected = hookproof.Verifier(provider, secret).verify_and_parse(headers, body, now=now)
    resources = expected.resources
    tampered_headers, tampered_body = tamper(setup, headers, body)

    def of_the_event(a: Any) -> bool:
        """A misspelt field would arrive as something else (an error, None, a method)."""
        if isinstance(a, hookproof.Event):
            return a.provider == provider and a.raw == expected.raw
        return (a is not None and a == expected.idempotency_key) or any(a in (r["id"], r["type"], r["action"]) for r in resources)

    calls: List[Tuple[str, Tuple[Any, ...]]] = []
    ns: Dict[str, Any] = {"__name__": "readme_example", "request_headers": headers, "raw_body": body}
    for stub in STUBS:
        ns[stub] = lambda *args, stub=stub: calls.append((stub, args))
    if "django" in code:
        django_settings(__name__)
    exec(compile(code, name, "exec"), ns)

    if "request_headers" in code:
        # Plain code: it verified the request itself; run it again on the tampered one.
        tampered_ns = {**ns, "request_headers": tampered_headers, "raw_body": tampered_body}
        with pytest.raises(hookproof.SignatureMismatch):
            exec(compile(code, name, "exec"), tampered_ns)
    else:
        send = handler_of(ns, code)
        status, answer = send(headers, body)
        assert status in (200, 204), (status, answer)
        if isinstance(answer, dict):
            values = [x for v in answer.values() for x in (v if isinstance(v, list) else [v])]
            assert values and all(of_the_event(v) for v in values), answer
        status, answer = send(tampered_headers, tampered_body)
        assert status == 401 and answer["error"] == "signature_mismatch", (status, answer)

    called = [s for s in STUBS if re.search(rf"\b{s}\(", code)]
    assert sorted({s for s, _ in calls}) == sorted(called), f"the example handed the event to {calls}"
    for stub, args in calls:
        assert args and all(of_the_event(a) for a in args), f"{stub}{args}"


urlpatterns: Any = []
