"""The Python API around the core: inputs, errors, signing, and that the wheel is what runs."""

import copy
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


def test_no_body_is_named_as_missing() -> None:
    # A body a framework never kept: the receiver's wiring, not a parsed object from the sender.
    with pytest.raises(hookproof.ConfigurationError, match=r"no body was given \(None\)") as info:
        verifier().verify_and_parse(DOC_HEADERS, None, now=DOC_NOW)  # type: ignore[arg-type]
    assert info.value.code == "invalid_option"
    assert "parsed object" not in str(info.value)


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


def test_unset_secrets_are_configuration_errors_with_codes() -> None:
    # os.environ.get of an unset variable: alone it is "no secret", in a list an empty one.
    with pytest.raises(hookproof.ConfigurationError) as alone:
        hookproof.Verifier("centra", None)
    assert alone.value.code == "unconfigured_scheme"
    assert "is the variable holding it set?" in str(alone.value)
    with pytest.raises(hookproof.ConfigurationError) as listed:
        hookproof.Verifier("centra", secrets=["s", None])  # type: ignore[list-item]
    assert listed.value.code == "empty_secret"
    assert "missing (None): check that the environment variable" in str(listed.value)


def test_a_secret_with_a_lone_surrogate_is_refused_without_echoing_it() -> None:
    # os.environ decodes bytes that are not UTF-8 to lone surrogates: pyo3's own conversion
    # raised a UnicodeEncodeError whose args held the whole secret, shown by a logged repr(e).
    secret = "SUPERSECRET\udce9value"
    calls = [
        lambda: hookproof.Verifier("centra", secret),
        lambda: hookproof.Verifier("centra", secrets=["ok", secret]),
        lambda: hookproof.sign("centra", b"{}", secret=secret),
        lambda: hookproof.Verifier("shopctrl", username="u", password=secret),
    ]
    for call in calls:
        with pytest.raises(hookproof.ConfigurationError) as e:
            call()
        assert e.value.code == "invalid_secret"
        assert "lone surrogate" in str(e.value)
        assert "SUPERSECRET" not in repr(e.value) and "SUPERSECRET" not in repr(e.value.args)
        assert e.value.__cause__ is None and e.value.__context__ is None


def test_an_hmac_value_with_a_lone_surrogate_is_named_as_such() -> None:
    for hmac in [{"header": "x-sig", "algorithm": "sha1", "encoding": "hex", "prefix": "p\ud800="},
                 {"header": "x\udc00", "algorithm": "sha1", "encoding": "hex"}]:
        with pytest.raises(hookproof.ConfigurationError, match="lone surrogate") as e:
            hookproof.Verifier("shopctrl", secret="s", hmac=hmac)  # type: ignore[arg-type]
        assert e.value.code == "invalid_option"


def test_a_lone_surrogate_in_a_header_value_the_core_reads_is_malformed() -> None:
    # As the npm package answers it (pyo3's UnicodeEncodeError held the whole value).
    signature = DOC_HEADERS["webhook-signature"]
    with pytest.raises(hookproof.MalformedRequest) as e:
        verifier().verify({**DOC_HEADERS, "webhook-signature": signature + "\ud800"}, DOC_BODY, now=DOC_NOW)
    assert e.value.code == "malformed_header"
    assert "`webhook-signature` header is malformed: it contains a lone surrogate" in str(e.value)
    assert signature not in repr(e.value)
    # In a name, or in a header the core does not read, it does not matter.
    for extra in [("webhook-id\ud800", "v"), ("x-forwarded-for", "a\udc00")]:
        assert verifier().verify([*DOC_HEADERS.items(), extra], DOC_BODY, now=DOC_NOW).timestamp == DOC_NOW


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


def test_sign_orisha_sends_administration_and_trigger_headers() -> None:
    req = hookproof.sign("orisha", b'{"ItemCode":"A"}', secret="s", event_type="item.created",
                         administration_code="ADM01", triggered_by_id="user-7", now=1)
    assert req.headers["X-Administration-Code"] == "ADM01" and req.headers["X-TriggeredBy-Id"] == "user-7"
    event = hookproof.Verifier("orisha", "s").verify_and_parse(req.headers, req.body)
    assert event["detail"]["administration_code"] == "ADM01"
    assert event["detail"]["triggered_by_id"] == "user-7"
    # Nothing signs X-Event-Id, Orisha's idempotency key: a second copy is refused, not dropped.
    twice = [*req.headers.items(), ("X-Event-Id", "other")]
    with pytest.raises(hookproof.MalformedRequest) as info:
        hookproof.Verifier("orisha", "s").verify_and_parse(twice, req.body)
    assert info.value.code == "duplicate_header"


def test_a_lone_surrogate_in_a_text_option_is_an_invalid_option() -> None:
    # pyo3's own conversion raised an uncoded UnicodeEncodeError (Node: invalid_option too).
    base = {"secret": "s", "event_type": "item.created", "now": 1}
    for extra in [{"id": "e\ud800"}, {"event_type": "\udc00item"}, {"administration_code": "A\ud800"},
                  {"triggered_by_id": "u\udfff"}]:
        with pytest.raises(hookproof.ConfigurationError, match="lone surrogate") as e:
            hookproof.sign("orisha", b"{}", **{**base, **extra})  # type: ignore[arg-type]
        assert e.value.code == "invalid_option", extra
    with pytest.raises(hookproof.ConfigurationError, match="lone surrogate") as e:
        hookproof.Verifier("centrali", "s", generation="legacy\ud800")  # type: ignore[arg-type]
    assert e.value.code == "invalid_option"
    assert hookproof.sign("orisha", b"{}", **{**base, "event_type": "item.\U0001f600"})  # type: ignore[arg-type]


def test_sign_refuses_an_object_payload_with_sign_advice() -> None:
    with pytest.raises(hookproof.InvalidPayload) as info:
        hookproof.sign("extend", {"Id": "k"}, secret="s", now=1)  # type: ignore[arg-type]
    assert "json.dumps(payload)" in str(info.value) and "request" not in str(info.value)
    # A str with a lone surrogate has no bytes to sign (pyo3 raised an uncoded UnicodeEncodeError).
    with pytest.raises(hookproof.InvalidPayload, match="lone surrogate"):
        hookproof.sign("extend", '{"Id": "k\ud800"}', secret="s", now=1)
    # The options are checked first, as the npm package checks them.
    with pytest.raises(hookproof.ConfigurationError) as config:
        hookproof.sign("extend", {"Id": "k"}, secret="s", now=-1)  # type: ignore[arg-type]
    assert config.value.code == "invalid_option"


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


def test_werkzeug_headers_keep_duplicates() -> None:
    from werkzeug.datastructures import Headers

    h = Headers(DOC_HEADERS)
    h.add("Webhook-Signature", DOC_HEADERS["webhook-signature"])
    with pytest.raises(hookproof.MalformedRequest) as info:
        verifier().verify(h, DOC_BODY, now=DOC_NOW)
    assert info.value.code == "duplicate_header"


def test_starlette_headers_from_a_scope() -> None:
    from starlette.datastructures import Headers

    scope = {"type": "http", "headers": [(k.title().encode(), v.encode()) for k, v in DOC_HEADERS.items()]}
    assert verifier().verify(Headers(scope=scope), DOC_BODY, now=DOC_NOW).timestamp == DOC_NOW


def test_headers_of_the_wrong_type() -> None:
    with pytest.raises(TypeError):
        verifier().verify(42, DOC_BODY, now=DOC_NOW)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        verifier().verify([("webhook-id", 1)], DOC_BODY, now=DOC_NOW)
    with pytest.raises(TypeError, match=r"\(name, value\) pair"):
        verifier().verify([("webhook-id",)], DOC_BODY, now=DOC_NOW)  # type: ignore[list-item]
    for pair in ["ab", b"ab", ("webhook-id", "x", "y")]:
        with pytest.raises(TypeError, match=r"\(name, value\) pair"):
            verifier().verify([pair], DOC_BODY, now=DOC_NOW)  # type: ignore[list-item]


@pytest.mark.parametrize(
    "extra",
    [("webhook-id", "a\0b"), (" Webhook-Id", "a\0b"), (b"webhook-id", b"a\0b")],
    ids=["str value", "padded name", "bytes value"],
)
def test_a_nul_in_a_header_the_core_reads_is_malformed(extra: Any) -> None:
    # HTTP forbids NUL in fields; the npm package refuses the same requests the same way.
    with pytest.raises(hookproof.MalformedRequest) as e:
        verifier().verify([*DOC_HEADERS.items(), extra], DOC_BODY, now=DOC_NOW)
    assert e.value.code == "malformed_header"
    assert "NUL character" in str(e.value)
    assert "\0" not in str(e.value)


@pytest.mark.parametrize(
    "extra",
    [("x-forwarded-for", "a\0b"), ("x-odd\0name", "v"), ("webhook-id\0", "v"), ("x-count", 1)],
    ids=["str value", "str name", "read name with NUL", "int value"],
)
def test_headers_the_core_does_not_read_are_not_read(extra: Any) -> None:
    # As in the npm package, which passes only those headers on.
    assert verifier().verify([*DOC_HEADERS.items(), extra], DOC_BODY, now=DOC_NOW).timestamp == DOC_NOW


def test_header_names_match_as_the_core_matches_them() -> None:
    items = list(DOC_HEADERS.items())
    for headers in (
        {k.upper(): v for k, v in items},
        [(f" {k.title()}\t", v) for k, v in items],
        [(k.encode(), v.encode()) for k, v in items],
    ):
        assert verifier().verify(headers, DOC_BODY, now=DOC_NOW).timestamp == DOC_NOW
    # Not a match: \v is not HTTP white space, the Kelvin sign is not an ASCII k.
    for name in ("\vwebhook-id", "webhoo\u212a-id"):
        renamed = [(name if k == "webhook-id" else k, v) for k, v in items]
        with pytest.raises(hookproof.MalformedRequest) as e:
            verifier().verify(renamed, DOC_BODY, now=DOC_NOW)
        assert e.value.code == "missing_header"
    # A ShopCtrl verifier also reads its configured HMAC header.
    signed = hookproof.sign("shopctrl", b"{}", secret="s", now=1, hmac={"header": "X-Sig", "algorithm": "sha1", "encoding": "hex"})
    shopctrl = hookproof.Verifier("shopctrl", secret="s", hmac={"header": "X-Sig", "algorithm": "sha1", "encoding": "hex"})
    value = {k.lower(): v for k, v in signed.headers.items()}["x-sig"]
    for name in ("X-Sig", "x-sig", " X-SIG "):
        assert shopctrl.verify([(name, value)], signed.body).secret_index == 0


def test_other_buffers_are_accepted() -> None:
    import array

    assert verifier().verify(DOC_HEADERS, array.array("B", DOC_BODY), now=DOC_NOW)  # type: ignore[arg-type]
    # A strided view: its bytes in order, not the underlying buffer.
    doubled = bytes(b for c in DOC_BODY for b in (c, 0))
    assert verifier().verify(DOC_HEADERS, memoryview(doubled)[::2], now=DOC_NOW)


def test_a_body_changed_after_the_call_does_not_matter() -> None:
    # bytearray bodies are copied: the result depends on the bytes at call time only.
    body = bytearray(DOC_BODY)
    assert verifier().verify(DOC_HEADERS, body, now=DOC_NOW)
    body[0:1] = b" "
    with pytest.raises(hookproof.SignatureMismatch):
        verifier().verify(DOC_HEADERS, body, now=DOC_NOW)


def test_sign_takes_the_verifier_options() -> None:
    options: Any = {"secret": "s", "tolerance": 60}
    req = hookproof.sign("centra", '{"events":[]}', now=DOC_NOW, **options)
    assert hookproof.Verifier("centra", **options).verify(req.headers, req.body, now=DOC_NOW + 59)
    with pytest.raises(hookproof.TimestampOutOfRange):
        hookproof.Verifier("centra", **options).verify(req.headers, req.body, now=DOC_NOW + 61)
    with pytest.raises(hookproof.ConfigurationError) as info:
        hookproof.sign("centrali", "{}", secret="s", generation="newest")  # type: ignore[arg-type]
    assert info.value.code == "invalid_option"
    with pytest.raises(hookproof.ConfigurationError) as info:
        hookproof.Verifier("centrali", "s", generation="newest")  # type: ignore[arg-type]
    assert info.value.code == "invalid_option"
    with pytest.raises(hookproof.ConfigurationError) as info:
        hookproof.Verifier("centra", "s", generation="legacy")
    assert "Centrali option" in str(info.value)


def test_generation_pin() -> None:
    # `generation` pins the verifier, and sign() signs as the generation it is given.
    legacy = hookproof.sign("centrali", '{"event":"record.created"}', secret="s", generation="legacy", now=1)
    assert "X-Centrali-Signature" in legacy.headers
    assert hookproof.Verifier("centrali", "s").verify(legacy.headers, legacy.body, now=1)
    assert hookproof.Verifier("centrali", "s", generation="legacy").verify(legacy.headers, legacy.body, now=1)
    with pytest.raises(hookproof.MalformedRequest) as info:
        hookproof.Verifier("centrali", "s", generation="standard").verify(legacy.headers, legacy.body, now=1)
    assert info.value.hint_code == "other_generation"
    assert info.value.code == "missing_header"
    assert "forged or replayed" in (info.value.hint or "")


def test_hmac_option_is_checked() -> None:
    good = {"header": "X-Signature", "algorithm": "sha512", "encoding": "base64", "prefix": "sha512="}
    v = hookproof.Verifier("shopctrl", "k", hmac=good)  # type: ignore[arg-type]
    req = hookproof.sign("shopctrl", b'{"a":1}', secret="k", hmac=good, now=1)  # type: ignore[arg-type]
    assert req.headers["X-Signature"].startswith("sha512=")
    assert v.verify(req.headers, req.body, now=1)
    # ShopCtrl publishes no format: the digest and encoding are stated, never defaulted.
    for bad in ({"header": "X-Signature", "algoritm": "sha1"}, {"algorithm": "sha1"},
                {"header": "X-Signature", "algorithm": "md5"}, "X-Signature", {"header": "X-Signature"},
                {"header": "X-Signature", "encoding": "hex"}):
        with pytest.raises(hookproof.ConfigurationError) as info:
            hookproof.Verifier("shopctrl", "k", hmac=bad)  # type: ignore[arg-type]
        assert info.value.code == "invalid_option", bad
    with pytest.raises(hookproof.ConfigurationError) as info:
        hookproof.Verifier("shopctrl", username="u")
    assert info.value.code == "invalid_option"


def plain_data(value: Any, path: str = "event") -> None:
    """Only the types json.loads produces: exact dict/list/str/int/float/bool/None."""
    if isinstance(value, dict):
        assert type(value) is dict, path
        for k, v in value.items():
            assert type(k) is str, f"{path}: key {k!r}"
            plain_data(v, f"{path}.{k}")
    elif isinstance(value, list):
        assert type(value) is list, path
        for i, v in enumerate(value):
            plain_data(v, f"{path}[{i}]")
    else:
        assert value is None or type(value) in (str, int, float, bool), f"{path}: {type(value)}"


def test_events_are_plain_data_in_field_order() -> None:
    import json

    req = hookproof.sign("extend", b'{"Id":"a","Attempt":2,"Notifications":[{"Action":"OrderCreated","Details":{"OrderNumber":"1","Zone":3}},'
                         b'{"Action":"PickingStarted","Details":{"Order":{"OrderNumber":"2"},"Row":{"Position":1}}}]}', secret="k", now=1)
    v = hookproof.Verifier("extend", "k")
    first = v.verify_and_parse(req.headers, req.body)
    plain_data(first.to_dict())
    for key, value in first.items():
        plain_data(value, f"event.{key}")
    assert list(first) == ["provider", "idempotency_key", "event_types", "resources", "timestamp", "raw", "detail"]
    assert list(first.to_dict()) == list(first) == list(first.keys())
    assert first["detail"]["attempt"] == 2
    notes = first["detail"]["notifications"]
    assert notes[0]["details"]["order_number"] == "1" and notes[0]["details"]["extra"] == {"Zone": 3}
    assert notes[1]["details"]["order"]["order_number"] == "2" and notes[1]["details"]["row"] == {"Position": 1}
    assert json.loads(json.dumps(first.to_dict())) == first
    # Events share nothing: changing one leaves the next conversion (and the cache) alone.
    notes[0]["details"]["order_number"] = "changed"
    first["detail"].clear()
    again = v.verify_and_parse(req.headers, req.body)
    assert again["detail"]["notifications"][0]["details"]["order_number"] == "1"
    assert again["detail"]["notifications"][0]["details"]["extra"] == {"Zone": 3}


def test_json_values_keep_their_types() -> None:
    body = (b'{"type":"t","data":{"big":18446744073709551615,"neg":-9223372036854775808,"f":1.5,"e":1e300,'
            b'"t":true,"n":null,"s":"\\u00e9\\ud83d\\ude00","l":[1,[2,{"x":[]}]],"rep":[{"k":1},{"k":2}]}}')
    req = hookproof.sign("standardwebhooks", body, secret=SECRET, now=DOC_NOW)
    event = verifier().verify_and_parse(req.headers, req.body, now=DOC_NOW)
    plain_data(event.to_dict())
    assert event["raw"] == body.decode()
    import json

    assert event["detail"]["data"] == json.loads(body)["data"]
    rep = event["detail"]["data"]["rep"]
    assert [r["k"] for r in rep] == [1, 2]


def test_gil_is_released_for_large_bodies() -> None:
    # Several threads verify a large body at once; all get the right answer.
    import threading

    body = b'{"type":"big","data":"' + b"y" * 500_000 + b'"}'
    req = hookproof.sign("standardwebhooks", body, secret=SECRET, now=DOC_NOW)
    v = verifier()
    results: "list[object]" = []

    def work() -> None:
        for _ in range(5):
            results.append(v.verify_and_parse(req.headers, req.body, now=DOC_NOW)["detail"]["type"])

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert results == ["big"] * 20


def test_verified_and_signed_request_reprs() -> None:
    req = hookproof.sign("standardwebhooks", b"{}", secret=SECRET, now=DOC_NOW)
    r = repr(req)
    assert "webhook-signature" in r and req.headers["webhook-signature"] not in r
    verified = verifier().verify(req.headers, req.body, now=DOC_NOW)
    assert verified == verifier().verify(req.headers, req.body, now=DOC_NOW)
    assert "secret_index=0" in repr(verified)
    # Python's spelling, not Rust's `Some(..)`.
    assert repr(verified) == f"Verified(provider=\"standardwebhooks\", secret_index=0, timestamp={DOC_NOW})"
    assert repr(hookproof.Verifier("extend", "s", tolerance=False)) == 'Verifier(provider="extend", tolerance=None)'
    assert repr(verifier()) == 'Verifier(provider="standardwebhooks", tolerance=300)'
    assert hookproof.PROVIDERS == ("centra", "centrali", "orisha", "shopctrl", "extend", "standardwebhooks")


def test_version_matches_the_installed_distribution() -> None:
    # One version, the Cargo workspace's: pyproject reads it from there (dynamic).
    from importlib.metadata import version

    from packaging.version import Version  # (pytest's own dependency)

    # Compared as versions: maturin writes Cargo's 0.2.0-beta.1 as 0.2.0b1 in the metadata.
    assert Version(hookproof.__version__) == Version(version("hookproof"))


def test_other_threads_run_while_a_large_body_is_hashed() -> None:
    import threading
    import time

    body = b'{"type":"big","data":"' + b"z" * 80_000_000 + b'"}'
    req = hookproof.sign("standardwebhooks", body, secret=SECRET, now=DOC_NOW)
    v = verifier()
    ticks = [0]
    stop = threading.Event()

    def tick() -> None:
        # Each tick needs the GIL back after a 1 ms sleep: while a call holds the GIL for
        # the whole hash (~40 ms), at most one tick can happen.
        while not stop.is_set():
            ticks[0] += 1
            time.sleep(0.001)

    t = threading.Thread(target=tick)
    t.start()
    try:
        before = ticks[0]
        v.verify(req.headers, req.body, now=DOC_NOW)
        during = ticks[0] - before
    finally:
        stop.set()
        t.join(timeout=10)
    assert during >= 5, during


def test_event_is_a_read_only_mapping_with_attributes() -> None:
    from collections.abc import Mapping

    req = hookproof.sign("extend", b'{"Id":"a","Notifications":[{"Action":"OrderCreated","Details":{"OrderNumber":"7"}}]}',
                         secret="k", now=1)
    v = hookproof.Verifier("extend", "k")
    event = v.verify_and_parse(req.headers, req.body, now=1)
    assert isinstance(event, hookproof.Event) and isinstance(event, Mapping)
    assert event.provider == event["provider"] == "extend"
    assert event.idempotency_key == event.get("idempotency_key") == "a"
    assert event.resources == event["resources"] == [{"type": "order", "id": "7", "action": "OrderCreated"}]
    assert event.timestamp is None and event.raw == req.body.decode()
    # Converted once, then the same object on every read (attribute or key).
    assert event.detail is event["detail"] and event.resources is event.get("resources")
    assert len(event) == 7 and "detail" in event and "nope" not in event and 1 not in event  # type: ignore[comparison-overlap]
    assert event.get("nope") is None and event.get("nope", 5) == 5
    with pytest.raises(KeyError):
        event["nope"]
    assert dict(event) == event.to_dict() == event and event == v.parse(req.headers, req.body)
    # A dict's views: live, set-like keys and items, in the fields' order.
    from collections.abc import ItemsView, KeysView, ValuesView
    fields = ["provider", "idempotency_key", "event_types", "resources", "timestamp", "raw", "detail"]
    keys, values, items = event.keys(), event.values(), event.items()
    assert isinstance(keys, KeysView) and isinstance(values, ValuesView) and isinstance(items, ItemsView)
    assert list(keys) == fields and len(keys) == 7 and keys == set(fields) and "raw" in keys
    assert list(items) == list(zip(fields, values)) and ("provider", "extend") in items
    assert next(iter(values)) == "extend" and list(items) == list(event.to_dict().items())
    assert keys & {"detail", "x"} == {"detail"}
    assert event != {"provider": "extend"} and event != "extend"
    # to_dict shares nothing with the event's own objects.
    d = event.to_dict()
    d["detail"]["notifications"].clear()
    assert event.detail["notifications"][0]["details"]["order_number"] == "7"
    with pytest.raises(AttributeError):
        event.provider = "x"  # type: ignore[misc]
    assert "extend" in repr(event) and req.body.decode() not in repr(event)


def test_now_must_be_whole_seconds_as_an_int() -> None:
    v = hookproof.Verifier("standardwebhooks", SECRET)
    bad: Any
    # True would otherwise be 1 (bool is an int subclass): verified as of 1970.
    for bad in (1614265330.5, -1, "1614265330", True, False):
        for call in (v.verify, v.verify_and_parse):
            with pytest.raises(hookproof.ConfigurationError) as e:
                call(DOC_HEADERS, DOC_BODY, now=bad)
            assert e.value.code == "invalid_option" and "int(time.time())" in str(e.value)
        with pytest.raises(hookproof.ConfigurationError):
            hookproof.sign("standardwebhooks", DOC_BODY, secret=SECRET, now=bad)
    assert v.verify(DOC_HEADERS, DOC_BODY, now=1614265330).timestamp == 1614265330


def test_generic_classes_subscript_at_run_time() -> None:
    # The stubs make Verifier and Event generic in `detail`; annotations evaluated at run
    # time (FastAPI, pydantic, get_type_hints) subscript the real classes.
    import typing

    alias = hookproof.Verifier[hookproof.CentraDetail]
    assert typing.get_origin(alias) is hookproof.Verifier
    assert typing.get_args(alias) == (hookproof.CentraDetail,)
    assert typing.get_origin(hookproof.Event[Any]) is hookproof.Event

    def handler(event: "hookproof.Event[hookproof.ExtendDetail]") -> None: ...

    hints = typing.get_type_hints(handler)
    assert typing.get_args(hints["event"]) == (hookproof.ExtendDetail,)
    # The alias makes the verifier it names.
    assert isinstance(alias("centra", "s"), hookproof.Verifier)


def test_provider_id_lists_the_providers() -> None:
    import typing

    assert typing.get_args(hookproof.ProviderId) == hookproof.PROVIDERS


def test_is_provider() -> None:
    event = verifier().parse(DOC_HEADERS, DOC_BODY)
    assert hookproof.is_provider(event, "standardwebhooks")
    assert not hookproof.is_provider(event, "centra")


def test_errors_made_by_hand_have_the_fields() -> None:
    """A test's stand-in verifier raises errors it made: each family has a default code, so
    the framework helpers answer them as they answer raised ones."""
    from hookproof import _error_body, _status_for

    for cls, code in [
        (hookproof.SignatureMismatch, "signature_mismatch"),
        (hookproof.TimestampOutOfRange, "timestamp_too_old"),
        (hookproof.MalformedRequest, "malformed_header"),
        (hookproof.InvalidPayload, "invalid_payload"),
        (hookproof.ConfigurationError, "invalid_option"),
    ]:
        e = cls("made by hand")
        assert (e.code, e.hint, e.hint_code) == (code, None, None)
        assert _error_body(e) == {"error": code, "message": "made by hand", "hint": None}
    base = hookproof.WebhookVerificationError("made by hand")
    assert _error_body(base)["error"] is None and _status_for(base) == 401
    # A raised error's own fields are not the class's.
    with pytest.raises(hookproof.TimestampOutOfRange) as info:
        hookproof.Verifier("standardwebhooks", SECRET).verify(DOC_HEADERS, DOC_BODY, now=1)
    assert info.value.code == "timestamp_in_future"
    assert hookproof.TimestampOutOfRange.code == "timestamp_too_old"


def test_verified_is_a_plain_value_and_events_copy_but_do_not_pickle() -> None:
    verified = verifier().verify(DOC_HEADERS, DOC_BODY, now=DOC_NOW)
    made = hookproof.Verified("StandardWebhooks", 0, DOC_NOW)
    assert made == verified and hash(made) == hash(verified) and len({made, verified}) == 1
    assert made.provider == "standardwebhooks"
    assert hash(hookproof.Verified("extend", 1, None)) != hash(hookproof.Verified("extend", 0, None))
    for again in (pickle.loads(pickle.dumps(verified)), copy.copy(verified), copy.deepcopy(verified)):
        assert again == verified and type(again) is hookproof.Verified
    with pytest.raises(hookproof.ConfigurationError):
        hookproof.Verified("stripe", 0, None)

    event = verifier().verify_and_parse(DOC_HEADERS, DOC_BODY, now=DOC_NOW)
    assert copy.copy(event) is event
    deep = copy.deepcopy(event)
    assert deep == event and deep is not event and deep.detail is not event.detail
    with pytest.raises(TypeError, match="to_dict"):
        pickle.dumps(event)
    with pytest.raises(TypeError):
        hash(event)

    # Immutable: a copy of settings holding a verifier shares it; pickling would carry secrets.
    v = verifier()
    assert copy.copy(v) is v and copy.deepcopy({"v": v})["v"] is v
    with pytest.raises(TypeError, match="holds secrets") as info:
        pickle.dumps(v)
    assert SECRET not in str(info.value)


def test_a_field_read_while_it_is_being_converted_gets_an_answer() -> None:
    # Converting `detail` can run the GC (on allocation up to 3.11; from 3.12 in the Python code
    # of json.loads, which converts `data`), which can run a finalizer that reads the same
    # field: the first read's once-cell init was re-entered and blocked forever (both checked).
    import gc
    import json
    import threading

    payload = json.dumps({"type": "x", "data": [{"b": i} for i in range(200)]})
    req = hookproof.sign("standardwebhooks", payload, secret=SECRET, now=DOC_NOW, id="msg_1")
    event = verifier().verify_and_parse(req.headers, req.body, now=DOC_NOW)
    seen: list[Any] = []

    class Job:
        def __init__(self) -> None:
            self.me = self  # a cycle: only the GC frees it

        def __del__(self) -> None:
            seen.append(event.detail)

    def read() -> None:
        gc.collect()
        gc.disable()
        Job()
        threshold = gc.get_threshold()
        gc.set_threshold(1)
        gc.enable()
        try:
            seen.append(event.detail)
        finally:
            gc.set_threshold(*threshold)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(30)
    assert not thread.is_alive(), "reading detail from a finalizer during its conversion hung"
    assert len(seen) == 2 and seen[0] is seen[1] is event.detail


def test_a_headers_value_list_that_changes_the_dict_is_read_without_running_it() -> None:
    # A list subclass's __iter__ that changes the headers dict made pyo3's dict iteration
    # panic (a PanicException, which `except Exception` does not catch).
    class Changing(list):  # type: ignore[type-arg]
        def __iter__(self) -> Any:
            headers["x-added"] = "y"
            return super().__iter__()

    headers: dict[str, Any] = {"x-other": Changing(["1"]), **DOC_HEADERS}
    assert verifier().verify(headers, DOC_BODY, now=DOC_NOW).secret_index == 0
    listed: dict[str, Any] = {**DOC_HEADERS, "webhook-id": Changing([DOC_HEADERS["webhook-id"]])}
    assert verifier().verify(listed, DOC_BODY, now=DOC_NOW).secret_index == 0
