"""The Python API around the core: inputs, errors, signing, and that the wheel is what runs."""

import os
import pickle
from typing import Any

import pytest

import hookproof

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
DOC_HEADERS = {
    "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
    "webhook-timestamp": "1614265330",
    "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
}
DOC_BODY = b'{"test": 2432232314}'
DOC_NOW = 1614265330


def test_runs_the_installed_wheel() -> None:
    # The suite must exercise the built wheel, not the source tree.
    assert "site-packages" in hookproof.__file__, hookproof.__file__
    assert hookproof._hookproof.__file__.endswith((".so", ".pyd"))


def verifier() -> hookproof.Verifier:
    return hookproof.Verifier("standardwebhooks", SECRET)


@pytest.mark.parametrize(
    "headers",
    [
        DOC_HEADERS,
        list(DOC_HEADERS.items()),
        tuple(DOC_HEADERS.items()),
        {k.upper(): v for k, v in DOC_HEADERS.items()},
        [(k.encode(), v.encode()) for k, v in DOC_HEADERS.items()],
    ],
    ids=["dict", "list", "tuple", "upper-case names", "bytes pairs"],
)
def test_header_shapes(headers: Any) -> None:
    assert verifier().verify(headers, DOC_BODY, now=DOC_NOW).timestamp == DOC_NOW


def test_werkzeug_headers() -> None:
    from werkzeug.datastructures import EnvironHeaders, Headers

    assert verifier().verify(Headers(DOC_HEADERS), DOC_BODY, now=DOC_NOW)
    environ = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in DOC_HEADERS.items()}
    assert verifier().verify(EnvironHeaders(environ), DOC_BODY, now=DOC_NOW)


def test_starlette_headers_keep_duplicates() -> None:
    from starlette.datastructures import Headers

    raw = [(k.encode(), v.encode()) for k, v in DOC_HEADERS.items()]
    assert verifier().verify(Headers(raw=raw), DOC_BODY, now=DOC_NOW)
    dup = raw + [(b"webhook-signature", DOC_HEADERS["webhook-signature"].encode())]
    with pytest.raises(hookproof.MalformedRequest) as info:
        verifier().verify(Headers(raw=dup), DOC_BODY, now=DOC_NOW)
    assert info.value.code == "duplicate_header"


def test_django_headers() -> None:
    from django.http.request import HttpHeaders

    meta = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in DOC_HEADERS.items()}
    assert verifier().verify(HttpHeaders(meta), DOC_BODY, now=DOC_NOW)


def test_dict_with_list_values_keeps_each_value() -> None:
    headers: Any = dict(DOC_HEADERS)
    headers["webhook-signature"] = [DOC_HEADERS["webhook-signature"]] * 2
    with pytest.raises(hookproof.MalformedRequest) as info:
        verifier().verify(headers, DOC_BODY, now=DOC_NOW)
    assert info.value.code == "duplicate_header"


@pytest.mark.parametrize("body", [DOC_BODY, bytearray(DOC_BODY), memoryview(DOC_BODY)], ids=["bytes", "bytearray", "memoryview"])
def test_body_buffers(body: Any) -> None:
    assert verifier().verify(DOC_HEADERS, body, now=DOC_NOW)


@pytest.mark.parametrize("body", [DOC_BODY.decode(), {"test": 2432232314}], ids=["str", "dict"])
def test_body_must_be_raw_bytes(body: Any) -> None:
    with pytest.raises(hookproof.InvalidPayload) as info:
        verifier().verify(DOC_HEADERS, body, now=DOC_NOW)
    assert info.value.code == "invalid_payload"
    assert "raw request bytes" in str(info.value)


def test_exception_families() -> None:
    v = verifier()
    with pytest.raises(hookproof.SignatureMismatch) as e1:
        v.verify(DOC_HEADERS, DOC_BODY + b" ", now=DOC_NOW)
    assert isinstance(e1.value, hookproof.WebhookVerificationError)
    assert e1.value.code == "signature_mismatch" and e1.value.hint_code == "body_reserialised"
    with pytest.raises(hookproof.TimestampOutOfRange) as e2:
        v.verify(DOC_HEADERS, DOC_BODY, now=DOC_NOW + 301)
    assert e2.value.code == "timestamp_too_old" and e2.value.hint is None
    with pytest.raises(hookproof.MalformedRequest):
        v.verify({}, DOC_BODY, now=DOC_NOW)
    with pytest.raises(hookproof.ConfigurationError) as e3:
        hookproof.Verifier("stripe", "x")  # type: ignore[arg-type]
    assert e3.value.code == "unknown_provider"
    with pytest.raises(hookproof.ConfigurationError):
        hookproof.Verifier("centra", "")


def test_tolerance_option() -> None:
    assert hookproof.Verifier("centra", "s").tolerance == 300
    assert hookproof.Verifier("centra", "s", tolerance=60).tolerance == 60
    lenient = hookproof.Verifier("standardwebhooks", SECRET, tolerance=False)
    assert lenient.tolerance is None
    assert lenient.verify(DOC_HEADERS, DOC_BODY, now=DOC_NOW + 10**6)
    with pytest.raises(hookproof.ConfigurationError):
        hookproof.Verifier("centra", "s", tolerance=True)


def test_now_defaults_to_the_clock() -> None:
    req = hookproof.sign("standardwebhooks", b'{"type":"x"}', secret=SECRET)
    assert verifier().verify(req.headers, req.body).timestamp is not None


def test_repr_hides_secrets() -> None:
    v = hookproof.Verifier("orisha", "very-secret-value")
    assert "very-secret-value" not in repr(v)
    req = hookproof.sign("orisha", b"{}", secret="very-secret-value", event_type="item.created", now=1)
    assert "very-secret-value" not in repr(req)


def test_sign_parse_round_trip_large_ids() -> None:
    big = 2**63 + 5
    payload = '{"events":[{"type":"order","action":"create","id":%d}]}' % big
    req = hookproof.sign("centra", payload, secret="s", now=1_763_900_000)
    assert req.method == "POST" and req.body.startswith(b"payload=%7B")
    event = hookproof.Verifier("centra", "s").verify_and_parse(req.headers, req.body, now=1_763_900_000)
    assert event["resources"] == [{"type": "order", "id": str(big), "action": "create"}]
    assert event["detail"]["events"][0]["id"] == str(big)


def test_parse_function_and_echo() -> None:
    event = hookproof.parse("standardwebhooks", DOC_HEADERS, DOC_BODY)
    assert event["idempotency_key"] == "msg_p5jXN8AQM9LWM0D4loKWxJek"
    assert event["detail"]["extra"]["test"] == 2432232314
    assert hookproof.extend_echo_response("/hook?echo=hello") == "hello"
    assert hookproof.extend_echo_response("/hook") is None


def test_large_body_releases_the_gil() -> None:
    # Bodies above the threshold are hashed without the GIL; the result must be the same.
    body = b'{"type":"big","data":"' + b"x" * 200_000 + b'"}'
    req = hookproof.sign("standardwebhooks", body, secret=SECRET, now=1_763_900_000)
    assert verifier().verify(req.headers, req.body, now=1_763_900_000)
    with pytest.raises(hookproof.SignatureMismatch):
        verifier().verify(req.headers, req.body[:-2] + b"y}", now=1_763_900_000)


def test_exceptions_pickle() -> None:
    try:
        verifier().verify(DOC_HEADERS, DOC_BODY + b"x", now=DOC_NOW)
    except hookproof.WebhookVerificationError as e:
        again = pickle.loads(pickle.dumps(e))
        assert type(again) is hookproof.SignatureMismatch
        assert str(again) == str(e)
