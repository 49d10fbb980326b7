#!/usr/bin/env python3
"""Writes tests/vectors/*.json: the shared cases every language's tests run.

Signatures are computed here with Python's hmac/hashlib, independently of the Rust code,
so the vectors check the implementation instead of echoing it. Run it after editing a case;
CI fails if the committed files differ from what it writes (`--check`).
"""
import base64
import hashlib
import hmac
import json
import sys
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOW = 1_763_900_000  # a fixed "now" for the cases (2025-11-23)


def hm(secret: bytes, msg: bytes, digest=hashlib.sha256) -> bytes:
    return hmac.new(secret, msg, digest).digest()


def php_form(payload: str) -> str:
    # PHP urlencode: alnum and -_. kept, space -> '+', rest %XX upper case.
    return "payload=" + urllib.parse.quote_plus(payload.encode(), safe="-_.").replace("~", "%7E")


def case(name, headers, body, now=NOW, config=None, expect=None, parsed=None, note=None, body_b64=False):
    c = {"name": name}
    if note:
        c["note"] = note
    c["config"] = config or {}
    c["headers"] = headers
    if body_b64:
        c["body_base64"] = base64.b64encode(body).decode()
    else:
        c["body"] = body.decode() if isinstance(body, bytes) else body
    c["now"] = now
    c["expect"] = expect or {"ok": True}
    if parsed is not None:
        c["parsed"] = parsed
    return c


def ok(secret_index=0, timestamp=None):
    e = {"ok": True, "secret_index": secret_index}
    if timestamp is not None:
        e["timestamp"] = timestamp
    return e


def err(code, hint=None):
    e = {"error": code}
    if hint:
        e["hint"] = hint
    return e


def config_err(code):
    return {"config_error": code}


# --------------------------------------------------------------------------- Centra
def centra():
    secret = "test123"
    cfg = {"secrets": [secret]}

    def signed(body: str, t=NOW, key=secret, extra=""):
        v1 = hmac.new(key.encode(), f"{t}.".encode() + body.encode(), hashlib.sha256).hexdigest()
        return f"t={t},v1={v1}{extra}"

    cases = []
    doc_body = "payload=%7B%22x%22%3A%22test%22%7D"
    cases.append(case(
        "doc example (Centra's documentation)",
        [["X-Centra-Signature", "t=12345678,v1=0b9cd84f5d583e5e1aadfb9f160aa8080b51d5b85ff85808d6b75bdac356c549"]],
        doc_body, now=12345678 + 30, config=cfg, expect=ok(0, 12345678),
        parsed={"event_types": [], "resources": [], "timestamp": 12345678, "raw": '{"x":"test"}',
                "detail": {"api": "checkout", "extra": {"x": "test"}}},
    ))
    integ = json.dumps({"events": [
        {"type": "order", "action": "update", "date": "2021-01-29 14:40:58.628033", "id": 2735},
        {"type": "shipment", "action": "create", "date": "2021-01-29 14:40:58.628119", "id": 1902},
        {"type": "shipment", "action": "good_to_go", "date": "2021-01-29 14:40:58.628239", "id": 1902},
    ]}, separators=(",", ":"))
    b = php_form(integ)
    cases.append(case(
        "integration api events (doc payload)", [["X-Centra-Signature", signed(b)]], b, config=cfg,
        expect=ok(0, NOW),
        parsed={"event_types": ["order.update", "shipment.create", "shipment.good_to_go"],
                "resources": [{"type": "order", "id": "2735", "action": "update"},
                              {"type": "shipment", "id": "1902", "action": "create"},
                              {"type": "shipment", "id": "1902", "action": "good_to_go"}],
                "detail": {"api": "integration", "events": [
                    {"type": "order", "action": "update", "id": "2735", "date": "2021-01-29 14:40:58.628033"},
                    {"type": "shipment", "action": "create", "id": "1902"},
                    {"type": "shipment", "action": "good_to_go", "id": "1902"}]}},
    ))
    big = 2**53 + 7  # beyond JavaScript's exact integers
    integ_big = '{"events":[{"type":"allocation_request","action":"insert","date":"2024-05-01 10:00:00.000001","id":%d,"data":{"warehouse":"W1"},"origin":"x"}]}' % big
    b = php_form(integ_big)
    cases.append(case(
        "integration api id beyond 2^53 stays exact", [["X-Centra-Signature", signed(b)]], b, config=cfg,
        expect=ok(0, NOW),
        parsed={"resources": [{"type": "allocation_request", "id": str(big), "action": "insert"}],
                "detail": {"events": [{"id": str(big), "data": {"warehouse": "W1"}, "extra": {"origin": "x"}}]}},
    ))
    checkout = '{"products":["1","6","7"],"categories":["1"],"anotherType":["1"]}'
    b = php_form(checkout)
    cases.append(case(
        "checkout api id map keeps unknown keys", [["X-Centra-Signature", signed(b)]], b, config=cfg,
        expect=ok(0, NOW),
        parsed={"event_types": ["anotherType", "categories", "products"],
                "detail": {"api": "checkout", "ids": {"products": ["1", "6", "7"], "categories": ["1"], "anotherType": ["1"]}}},
    ))
    # Field names are the installation's own: one named `events` holding ids is an ID list,
    # not Integration API events.
    named_events = '{"events":["3","5"],"products":["1"]}'
    b = php_form(named_events)
    cases.append(case(
        "checkout api field named events holds ids", [["X-Centra-Signature", signed(b)]], b, config=cfg,
        expect=ok(0, NOW),
        parsed={"event_types": ["events", "products"],
                "resources": [{"type": "events", "id": "3"}, {"type": "events", "id": "5"}, {"type": "products", "id": "1"}],
                "detail": {"api": "checkout", "ids": {"events": ["3", "5"], "products": ["1"]}, "events": []}},
    ))
    # Empty, it fits either format: beside other ID lists it is one of them.
    b = php_form('{"events":[],"products":["1"]}')
    cases.append(case(
        "checkout api field named events, empty", [["X-Centra-Signature", signed(b)]], b, config=cfg,
        expect=ok(0, NOW),
        parsed={"event_types": ["events", "products"], "resources": [{"type": "products", "id": "1"}],
                "detail": {"api": "checkout", "ids": {"events": [], "products": ["1"]}, "events": []}},
    ))
    b = php_form('{"events":[],"events":["3"],"products":[]}')
    cases.append(case(
        "checkout api field named events, repeated, empty first", [["X-Centra-Signature", signed(b)]], b,
        config=cfg, expect=ok(0, NOW),
        parsed={"resources": [{"type": "events", "id": "3"}],
                "detail": {"api": "checkout", "ids": {"events": ["3"], "products": []}, "events": []}},
    ))
    b = php_form('{"events":[]}')
    cases.append(case(
        "integration api with no events", [["X-Centra-Signature", signed(b)]], b, config=cfg,
        expect=ok(0, NOW),
        parsed={"event_types": [], "resources": [], "detail": {"api": "integration", "ids": {}, "events": []}},
    ))
    store = '{"DisplayItems":["52"],"Categories":["14","16"]}'
    b = php_form(store)
    cases.append(case(
        "storefront api PascalCase keys", [["X-Centra-Signature", signed(b)]], b, config=cfg,
        expect=ok(0, NOW),
        parsed={"detail": {"api": "storefront", "ids": {"DisplayItems": ["52"], "Categories": ["14", "16"]}}},
    ))
    # PHP json_encode escapes '/' as '\/' and non-ASCII as \uXXXX; '+' in the form is a space.
    php_json = '{"statics":["12"],"note":"caf\\u00e9 & cr\\u00e8me","url":"https:\\/\\/shop.example\\/a b"}'
    b = php_form(php_json)
    assert "+" in b
    cases.append(case(
        "PHP encodings: + as space, \\/ escapes, \\u escapes", [["X-Centra-Signature", signed(b)]], b, config=cfg,
        expect=ok(0, NOW),
        parsed={"raw": php_json, "detail": {"ids": {"statics": ["12"]},
                "extra": {"note": "café & crème", "url": "https://shop.example/a b"}}},
    ))
    utf8_json = '{"brands":["9"],"name":"Åsa – ☃"}'
    b = php_form(utf8_json)
    cases.append(case("raw UTF-8 in the form", [["X-Centra-Signature", signed(b)]], b, config=cfg,
                      expect=ok(0, NOW), parsed={"detail": {"extra": {"name": "Åsa – ☃"}}}))
    # A bare JSON body (a proxy in front of the receiver, or a test) is read as JSON, not as a
    # form: `%` and `&` in its strings are text.
    bare = '{"events":[{"type":"order","action":"update","id":42,"note":"100% & more"}]}'
    cases.append(case("bare JSON body with % and & in a string", [["X-Centra-Signature", signed(bare)]], bare,
                      config=cfg, expect=ok(0, NOW),
                      parsed={"resources": [{"type": "order", "id": "42", "action": "update"}],
                              "detail": {"events": [{"extra": {"note": "100% & more"}}]}}))
    cases.append(case("non-ASCII secret", [["X-Centra-Signature", signed(doc_body, key="sëcret✓")]], doc_body,
                      config={"secrets": ["sëcret✓"]}, expect=ok(0, NOW)))
    b = php_form(checkout)
    cases.append(case("tampered body", [["X-Centra-Signature", signed(b)]], b.replace("%226%22", "%228%22"),
                      config=cfg, expect=err("signature_mismatch")))
    cases.append(case("empty body (read by a parser first)", [["X-Centra-Signature", signed(b)]], "", config=cfg,
                      expect=err("signature_mismatch", "body_empty")))
    cases.append(case("wrong secret", [["X-Centra-Signature", signed(b, key="other")]], b, config=cfg,
                      expect=err("signature_mismatch")))
    cases.append(case("rotation: second secret matches", [["X-Centra-Signature", signed(b, key="new-secret")]], b,
                      config={"secrets": ["test123", "new-secret"]}, expect=ok(1, NOW)))
    wrong_v1 = "v1=" + "0" * 64
    good = signed(b)
    t_part, v_part = good.split(",")
    cases.append(case("several v1, one matches; spaces and unknown keys tolerated",
                      [["X-Centra-Signature", f" {t_part} , {wrong_v1} , v0=abc, {v_part} "]], b, config=cfg,
                      expect=ok(0, NOW)))
    # Every v1 counts toward the cap of 16, decodable or not.
    cases.append(case("more than 16 v1, one matches", [["X-Centra-Signature", f"{t_part},{'v1=zz,' * 16}{v_part}"]],
                      b, config=cfg, expect=err("malformed_header")))
    cases.append(case("16 v1, one matches", [["X-Centra-Signature", f"{t_part},{'v1=zz,' * 15}{v_part}"]],
                      b, config=cfg, expect=ok(0, NOW)))
    cases.append(case("upper-case hex accepted", [["X-Centra-Signature", f"{t_part},{v_part.upper().replace('V1', 'v1')}"]],
                      b, config=cfg, expect=ok(0, NOW)))
    cases.append(case("header name is case-insensitive", [["x-CENTRA-signature", good]], b, config=cfg, expect=ok(0, NOW)))
    cases.append(case("decoded JSON body instead of the form", [["X-Centra-Signature", signed(b)]], checkout,
                      config=cfg, expect=err("signature_mismatch", "centra_body_decoded")))
    cases.append(case("secret with surrounding white space", [["X-Centra-Signature", good]], b,
                      config={"secrets": [" test123\n"]}, expect=err("signature_mismatch", "secret_whitespace")))
    cases.append(case("missing header", [["Content-Type", "application/x-www-form-urlencoded"]], b, config=cfg,
                      expect=err("missing_header")))
    cases.append(case("missing header, Extend's header present", [["ms-signature", "sha256=" + "A" * 64]], b,
                      config=cfg, expect=err("missing_header", "other_provider")))
    cases.append(case("duplicate header", [["X-Centra-Signature", good], ["X-Centra-Signature", good]], b,
                      config=cfg, expect=err("duplicate_header")))
    for label, value, code in [
        ("malformed: no t", v_part, "malformed_header"),
        ("malformed: no v1", t_part, "malformed_header"),
        ("malformed: not key=value", f"{t_part},{v_part},garbage", "malformed_header"),
        ("malformed: t not a number", f"t=12a,{v_part}", "malformed_header"),
        ("malformed: negative t", f"t=-5,{v_part}", "malformed_header"),
        ("malformed: t twice", f"{t_part},{t_part},{v_part}", "malformed_header"),
        ("bad encoding: v1 too short", f"{t_part},{v_part[:-2]}", "bad_encoding"),
        ("bad encoding: v1 not hex", f"{t_part},v1={'g' * 64}", "bad_encoding"),
        ("empty header", "", "malformed_header"),
        # HTTP forbids NUL in a field: every binding and the CLI answer the same.
        ("NUL in the header", f"{good}\0", "malformed_header"),
    ]:
        cases.append(case(label, [["X-Centra-Signature", value]], b, config=cfg, expect=err(code)))
    cases.append(case("NUL in a second copy of the header", [["X-Centra-Signature", good], ["X-Centra-Signature", f"{good}\0"]],
                      b, config=cfg, expect=err("malformed_header")))
    # At most 16 `v1` candidates are tried (a cap on the work one request can cause).
    cases.append(case("16 v1 signatures, the last matching", [["X-Centra-Signature", ",".join(
                      [t_part] + [wrong_v1] * 15 + [v_part])]], b, config=cfg, expect=ok(0, NOW)))
    cases.append(case("17 v1 signatures refused", [["X-Centra-Signature", ",".join(
                      [t_part] + [wrong_v1] * 16 + [v_part])]], b, config=cfg, expect=err("malformed_header")))
    cases.append(case("stale timestamp", [["X-Centra-Signature", signed(b, t=NOW - 301)]], b, config=cfg,
                      expect=err("timestamp_too_old")))
    cases.append(case("timestamp in the future", [["X-Centra-Signature", signed(b, t=NOW + 301)]], b, config=cfg,
                      expect=err("timestamp_in_future")))
    cases.append(case("edge of tolerance accepted", [["X-Centra-Signature", signed(b, t=NOW - 300)]], b, config=cfg,
                      expect=ok(0, NOW - 300)))
    cases.append(case("custom tolerance", [["X-Centra-Signature", signed(b, t=NOW - 100)]], b,
                      config={"secrets": [secret], "tolerance": 60}, expect=err("timestamp_too_old")))
    cases.append(case("tolerance disabled for an old capture", [["X-Centra-Signature", signed(b, t=1_500_000_000)]], b,
                      config={"secrets": [secret], "tolerance": False}, expect=ok(0, 1_500_000_000)))
    cases.append(case("empty secret refused at construction", [["X-Centra-Signature", good]], b,
                      config={"secrets": [""]}, expect=config_err("empty_secret")))
    cases.append(case("no secret configured", [["X-Centra-Signature", good]], b,
                      config={"secrets": []}, expect=config_err("unconfigured_scheme")))
    return cases


# --------------------------------------------------------------------------- Standard Webhooks
def swh_sig(key: bytes, msg_id: str, ts: int, body: bytes) -> str:
    return "v1," + base64.b64encode(hm(key, f"{msg_id}.{ts}.".encode() + body)).decode()


def whsec_key(secret: str) -> bytes:
    s = secret[len("whsec_"):]
    s += "=" * (-len(s) % 4)
    return base64.b64decode(s.replace("-", "+").replace("_", "/"))


def standardwebhooks():
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    key = whsec_key(secret)
    cfg = {"secrets": [secret]}
    cases = []
    doc = b'{"test": 2432232314}'
    doc_h = [["webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"], ["webhook-timestamp", "1614265330"],
             ["webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="]]
    cases.append(case("doc example (Standard Webhooks spec)", doc_h, doc, now=1614265330, config=cfg,
                      expect=ok(0, 1614265330),
                      parsed={"idempotency_key": "msg_p5jXN8AQM9LWM0D4loKWxJek", "timestamp": 1614265330,
                              "detail": {"extra": {"test": 2432232314}}}))
    body = json.dumps({"type": "invoice.paid", "timestamp": "2025-11-23T12:13:20Z",
                       "data": {"id": "inv_1", "amount": 1299}}).encode()

    def hdrs(msg_id="msg_1", ts=NOW, sig=None, k=key, b=body):
        return [["webhook-id", msg_id], ["webhook-timestamp", str(ts)],
                ["webhook-signature", sig if sig is not None else swh_sig(k, msg_id, ts, b)]]

    cases.append(case("valid", hdrs(), body, config=cfg, expect=ok(0, NOW),
                      parsed={"event_types": ["invoice.paid"], "idempotency_key": "msg_1", "timestamp": NOW,
                              "detail": {"id": "msg_1", "type": "invoice.paid", "data": {"id": "inv_1", "amount": 1299}}}))
    cases.append(case("tampered body", hdrs(), body.replace(b"1299", b"1"), config=cfg,
                      expect=err("signature_mismatch", "body_reserialised")))
    cases.append(case("tampered id", hdrs(sig=swh_sig(key, "msg_1", NOW, body), msg_id="msg_2"), body, config=cfg,
                      expect=err("signature_mismatch", "body_reserialised")))
    cases.append(case("wrong secret", hdrs(k=b"another key"), body, config=cfg,
                      expect=err("signature_mismatch", "body_reserialised")))
    cases.append(case("empty body (read by a parser first)", hdrs(), b"", config=cfg,
                      expect=err("signature_mismatch", "body_empty")))
    cases.append(case("blank body: not empty", hdrs(), b" \r\n", config=cfg, expect=err("signature_mismatch")))
    other = swh_sig(b"old key", "msg_1", NOW, body)
    cases.append(case("several signatures, v1a ignored, one v1 matches",
                      hdrs(sig=f"v1a,{base64.b64encode(b'x' * 64).decode()} {other} {swh_sig(key, 'msg_1', NOW, body)}"),
                      body, config=cfg, expect=ok(0, NOW)))
    cases.append(case("only asymmetric v1a signatures", hdrs(sig="v1a," + base64.b64encode(b"x" * 64).decode()),
                      body, config=cfg, expect=err("unsupported_scheme")))
    cases.append(case("only a later version's signature", hdrs(sig="v2," + base64.b64encode(b"x" * 32).decode()),
                      body, config=cfg, expect=err("unsupported_scheme")))
    cases.append(case("text that is not a version, beside a v1 signature, is ignored",
                      hdrs(sig=f"t={NOW},v1={hm(key, body).hex()} {swh_sig(key, 'msg_1', NOW, body)}"), body,
                      config=cfg, expect=ok(0, NOW)))
    cases.append(case("text without a comma, beside a v1 signature, is ignored",
                      hdrs(sig=f"sha256={hm(key, body).hex()} {swh_sig(key, 'msg_1', NOW, body)} junk"), body,
                      config=cfg, expect=ok(0, NOW)))
    cases.append(case("text without a comma only", hdrs(sig=f"sha256={hm(key, body).hex()}"), body,
                      config=cfg, expect=err("malformed_header")))
    cases.append(case("another scheme's signature (Stripe's form)",
                      hdrs(sig=f"t={NOW},v1={hm(key, body).hex()}"), body, config=cfg,
                      expect=err("malformed_header")))
    cases.append(case("rotation: second configured secret", hdrs(k=whsec_key("whsec_bmV3LXNlY3JldC1rZXktYnl0ZXM")), body,
                      config={"secrets": [secret, "whsec_bmV3LXNlY3JldC1rZXktYnl0ZXM"]}, expect=ok(1, NOW)))
    url_secret = "whsec_" + base64.urlsafe_b64encode(b"\xfb\xff\xfe key with url chars \xff").decode().rstrip("=")
    assert "-" in url_secret or "_" in url_secret[6:]
    cases.append(case("whsec_ secret in base64url without padding", hdrs(k=whsec_key(url_secret)), body,
                      config={"secrets": [url_secret]}, expect=ok(0, NOW)))
    std_secret = "whsec_" + base64.b64encode(b"\xfb\xff\xbf std alphabet, padded!").decode()
    assert std_secret.endswith("=") and ("+" in std_secret or "/" in std_secret)
    cases.append(case("whsec_ secret in standard base64 with padding", hdrs(k=whsec_key(std_secret)), body,
                      config={"secrets": [std_secret]}, expect=ok(0, NOW)))
    cases.append(case("secret without whsec_ prefix is its UTF-8 bytes", hdrs(k=b"plain-secret"), body,
                      config={"secrets": ["plain-secret"]}, expect=ok(0, NOW)))
    # The reference libraries base64-decode a bare secret; here it is its text, so a `whsec_`
    # secret copied without its prefix fails, and the hint says so when its decoding signed.
    bare = secret[len("whsec_"):]
    cases.append(case("whsec_ secret given without its prefix", hdrs(), body, config={"secrets": [bare]},
                      expect=err("signature_mismatch", "secret_unprefixed")))
    cases.append(case("without its prefix, beside a secret with white space", hdrs(), body,
                      config={"secrets": ["plain-secret\n", bare]},
                      expect=err("signature_mismatch", "secret_unprefixed")))
    cases.append(case("a hex text secret that did not sign: no prefix hint", hdrs(), body,
                      config={"secrets": ["0123456789abcdef0123456789abcdef"]},
                      expect=err("signature_mismatch", "body_reserialised")))
    cases.append(case("invalid whsec_ secret", hdrs(), body, config={"secrets": ["whsec_***"]},
                      expect=config_err("invalid_secret")))
    cases.append(case("empty secret", hdrs(), body, config={"secrets": [""]}, expect=config_err("empty_secret")))
    cases.append(case("the Centrali generation option", hdrs(), body,
                      config={"secrets": [secret], "generation": "standard"}, expect=config_err("invalid_option")))
    cases.append(case("stale", hdrs(ts=NOW - 301), body, config=cfg, expect=err("timestamp_too_old")))
    cases.append(case("future", hdrs(ts=NOW + 301), body, config=cfg, expect=err("timestamp_in_future")))
    cases.append(case("tolerance disabled", hdrs(ts=NOW - 86400 * 365), body,
                      config={"secrets": [secret], "tolerance": False}, expect=ok(0, NOW - 86400 * 365)))
    good = hdrs()
    cases.append(case("missing webhook-id", good[1:], body, config=cfg, expect=err("missing_header")))
    cases.append(case("missing webhook-timestamp", [good[0], good[2]], body, config=cfg, expect=err("missing_header")))
    cases.append(case("missing webhook-signature", good[:2], body, config=cfg, expect=err("missing_header")))
    cases.append(case("duplicate webhook-signature", good + [good[2]], body, config=cfg, expect=err("duplicate_header")))
    # Svix, the spec's reference sender, names the headers svix-* unless white-labelled; its
    # libraries read either set, so they are identical copies here.
    svix = [["svix-id", "msg_1"], ["svix-timestamp", str(NOW)], ["svix-signature", good[2][1]]]
    svix_parsed = {"event_types": ["invoice.paid"], "idempotency_key": "msg_1", "timestamp": NOW,
                   "detail": {"id": "msg_1", "type": "invoice.paid"}}
    cases.append(case("Svix's svix-* header names", svix, body, config=cfg, expect=ok(0, NOW), parsed=svix_parsed))
    cases.append(case("svix-* beside identical webhook-* headers", good + svix, body, config=cfg, expect=ok(0, NOW),
                      parsed=svix_parsed))
    cases.append(case("svix-* and webhook-* mixed", [svix[0], good[1], svix[2]], body, config=cfg, expect=ok(0, NOW),
                      parsed=svix_parsed))
    cases.append(case("svix-id differing from webhook-id", good + [["svix-id", "msg_2"]], body, config=cfg,
                      expect=err("malformed_header")))
    cases.append(case("svix-* without svix-timestamp", [svix[0], svix[2]], body, config=cfg,
                      expect=err("missing_header")))
    cases.append(case("duplicate svix-signature", svix + [svix[2]], body, config=cfg, expect=err("duplicate_header")))
    cases.append(case("timestamp in milliseconds", hdrs(ts=NOW * 1000), body, config=cfg,
                      expect=err("malformed_header")))
    cases.append(case("timestamp not a number", hdrs()[:1] + [["webhook-timestamp", "soon"]] + hdrs()[2:], body,
                      config=cfg, expect=err("malformed_header")))
    cases.append(case("signature without version", hdrs(sig="g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="), body,
                      config=cfg, expect=err("malformed_header")))
    cases.append(case("signature not base64", hdrs(sig="v1,!!!!"), body, config=cfg, expect=err("bad_encoding")))
    cases.append(case("empty webhook-id", hdrs(msg_id=""), body, config=cfg, expect=err("malformed_header")))
    cases.append(case("empty webhook-signature", hdrs(sig=""), body, config=cfg, expect=err("malformed_header")))
    wrong = swh_sig(b"old key", "msg_1", NOW, body)
    cases.append(case("16 v1 signatures, the last matching", hdrs(sig=" ".join([wrong] * 15 + [swh_sig(key, "msg_1", NOW, body)])),
                      body, config=cfg, expect=ok(0, NOW)))
    cases.append(case("17 v1 signatures refused", hdrs(sig=" ".join([wrong] * 16 + [swh_sig(key, "msg_1", NOW, body)])),
                      body, config=cfg, expect=err("malformed_header")))
    cases.append(case("signature truncated", hdrs(sig=swh_sig(key, "msg_1", NOW, body)[:-8]), body, config=cfg,
                      expect=err("bad_encoding")))
    return cases


# --------------------------------------------------------------------------- Centrali
def centrali():
    secret = "your-webhook-secret"
    cfg = {"secrets": [secret]}
    cases = []
    body = json.dumps({"event": "record.created", "workspace": "my-workspace", "timestamp": "2025-01-15T10:30:00Z",
                       "data": {"structure": "orders", "recordId": "rec_abc123",
                                "record": {"id": "rec_abc123", "customer": "John Doe", "total": 99.99,
                                           "status": "pending"}}}, indent=2).encode()
    legacy = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    cases.append(case("legacy X-Centrali-Signature", [["X-Centrali-Signature", legacy]], body, config=cfg,
                      expect=ok(0),
                      parsed={"event_types": ["record.created"], "timestamp": 1736937000,
                              "resources": [{"type": "orders", "id": "rec_abc123", "action": "created"}],
                              "detail": {"generation": "legacy", "event": "record.created", "workspace": "my-workspace",
                                         "record_id": "rec_abc123", "structure": "orders",
                                         "record": {"customer": "John Doe", "total": 99.99}}}))
    cases.append(case("legacy X-Signature name", [["X-Signature", legacy]], body, config=cfg, expect=ok(0)))
    cases.append(case("legacy upper-case hex", [["X-Centrali-Signature", "SHA256=" + legacy[7:].upper()]], body,
                      config=cfg, expect=ok(0)))
    compact = json.dumps(json.loads(body), separators=(",", ":")).encode()
    cases.append(case("legacy: re-serialised body (what JSON.stringify(req.body) produces)",
                      [["X-Centrali-Signature", legacy]], compact, config=cfg,
                      expect=err("signature_mismatch", "body_reserialised")))
    cases.append(case("legacy: wrong secret", [["X-Centrali-Signature", legacy]], body, config={"secrets": ["nope"]},
                      expect=err("signature_mismatch", "body_reserialised")))
    cases.append(case("legacy: no sha256= prefix", [["X-Centrali-Signature", legacy[7:]]], body, config=cfg,
                      expect=err("malformed_header")))
    cases.append(case("legacy: short hex", [["X-Centrali-Signature", legacy[:-1]]], body, config=cfg,
                      expect=err("bad_encoding")))
    cases.append(case("legacy: both names with different values",
                      [["X-Centrali-Signature", legacy], ["X-Signature", "sha256=" + "0" * 64]], body, config=cfg,
                      expect=err("malformed_header")))
    cases.append(case("legacy: X-Centrali-Signature twice", [["X-Centrali-Signature", legacy]] * 2, body, config=cfg,
                      expect=err("duplicate_header")))
    cases.append(case("no signature header at all", [["Content-Type", "application/json"]], body, config=cfg,
                      expect=err("missing_header")))

    whsec = "whsec_" + base64.urlsafe_b64encode(b"centrali-6.1-signing-key~~>>??").decode().rstrip("=")
    key = whsec_key(whsec)
    body61 = json.dumps({"event": "record_created", "workspace": "acme", "timestamp": "2025-11-23T12:13:20Z",
                         "data": {"structure": "orders", "recordId": "rec_9", "record": {"id": "rec_9"}}}).encode()
    sig = swh_sig(key, "evt_123", NOW, body61)
    full = [["webhook-id", "evt_123"], ["webhook-timestamp", str(NOW)], ["webhook-signature", sig],
            ["Centrali-Id", "evt_123"], ["Centrali-Timestamp", str(NOW)], ["Centrali-Signature", sig],
            ["Centrali-Event-Type", "record_created"], ["Centrali-Retry-Attempt", "2"], ["Centrali-Test-Event", "true"]]
    cases.append(case("6.1 Standard Webhooks with Centrali copies", full, body61, config={"secrets": [whsec]},
                      expect=ok(0, NOW),
                      parsed={"idempotency_key": "evt_123", "event_types": ["record_created"], "timestamp": NOW,
                              "resources": [{"type": "orders", "id": "rec_9", "action": "created"}],
                              "detail": {"generation": "standard", "id": "evt_123", "retry_attempt": 2, "test": True}}))
    # The body's event name is signed, Centrali-Event-Type is not: the body's wins.
    relabelled = full[:6] + [["Centrali-Event-Type", "record_deleted"]]
    cases.append(case("6.1: the signed body's event name over Centrali-Event-Type", relabelled, body61,
                      config={"secrets": [whsec]}, expect=ok(0, NOW),
                      parsed={"event_types": ["record_created"],
                              "resources": [{"type": "orders", "id": "rec_9", "action": "created"}],
                              "detail": {"generation": "standard", "event": "record_created"}}))
    cases.append(case("6.1 with only the Centrali-* copies", full[3:], body61, config={"secrets": [whsec]},
                      expect=ok(0, NOW)))
    cases.append(case("6.1 whsec_ secret given without its prefix", full, body61,
                      config={"secrets": [whsec[len("whsec_"):]]},
                      expect=err("signature_mismatch", "secret_unprefixed")))
    legacy_text = base64.urlsafe_b64decode(whsec[len("whsec_"):] + "==")
    cases.append(case("legacy request with a 6.1 secret given without its prefix: not probed",
                      [["X-Centrali-Signature", "sha256=" + hmac.new(legacy_text, body, hashlib.sha256).hexdigest()]],
                      body, config={"secrets": [whsec[len("whsec_"):]]},
                      expect=err("signature_mismatch", "body_reserialised")))
    cases.append(case("6.1 copies that differ", full[:3] + [["Centrali-Id", "evt_999"]], body61,
                      config={"secrets": [whsec]}, expect=err("malformed_header")))
    old_sig = swh_sig(whsec_key("whsec_b2xkLWtleQ"), "evt_123", NOW, body61)
    rot = [["webhook-id", "evt_123"], ["webhook-timestamp", str(NOW)], ["webhook-signature", f"{old_sig} {sig}"]]
    cases.append(case("6.1 rotation: signed with old and new secret", rot, body61, config={"secrets": [whsec]},
                      expect=ok(0, NOW)))
    cases.append(case("6.1 rotation: old secret configured second", [rot[0], rot[1], ["webhook-signature", old_sig]],
                      body61, config={"secrets": [whsec, "whsec_b2xkLWtleQ"]}, expect=ok(1, NOW)))
    cases.append(case("6.1 stale", [["webhook-id", "evt_123"], ["webhook-timestamp", str(NOW - 600)],
                                    ["webhook-signature", swh_sig(key, "evt_123", NOW - 600, body61)]],
                      body61, config={"secrets": [whsec]}, expect=err("timestamp_too_old")))
    cases.append(case("6.1 future", [["webhook-id", "evt_123"], ["webhook-timestamp", str(NOW + 600)],
                                     ["webhook-signature", swh_sig(key, "evt_123", NOW + 600, body61)]],
                      body61, config={"secrets": [whsec]}, expect=err("timestamp_in_future")))
    cases.append(case("6.1 tampered", full, body61.replace(b"rec_9", b"rec_8"), config={"secrets": [whsec]},
                      expect=err("signature_mismatch", "body_reserialised")))
    cases.append(case("6.1 webhook-signature twice", full[:3] + [full[2]], body61, config={"secrets": [whsec]},
                      expect=err("duplicate_header")))
    cases.append(case("6.1 missing timestamp", [full[0], full[2]], body61, config={"secrets": [whsec]},
                      expect=err("missing_header")))

    # The `generation` option pins a verifier to one scheme.
    cases.append(case("pinned to standard: a 6.1 request", full, body61,
                      config={"secrets": [whsec], "generation": "standard"}, expect=ok(0, NOW)))
    cases.append(case("pinned to standard: a legacy request", [["X-Centrali-Signature", legacy]], body,
                      config={"secrets": [secret], "generation": "standard"},
                      expect=err("missing_header", "other_generation")))
    cases.append(case("pinned to legacy: a legacy request", [["X-Signature", legacy]], body,
                      config={"secrets": [secret], "generation": "legacy"}, expect=ok(0)))
    cases.append(case("pinned to legacy: a 6.1 request", full, body61,
                      config={"secrets": [whsec], "generation": "legacy"},
                      expect=err("missing_header", "other_generation")))
    # Legacy signs the body alone: 6.1 headers added to a legacy request are not read.
    cases.append(case("pinned to legacy: 6.1 headers beside the legacy signature are not read",
                      [["X-Centrali-Signature", legacy], ["webhook-id", "evt_forged"],
                       ["webhook-timestamp", str(NOW)], ["Centrali-Event-Type", "record_deleted"],
                       ["Centrali-Test-Event", "true"]], body,
                      config={"secrets": [secret], "generation": "legacy"}, expect=ok(0),
                      parsed={"idempotency_key": None, "event_types": ["record.created"], "timestamp": 1736937000,
                              "detail": {"generation": "legacy", "id": None, "test": False}}))
    cases.append(case("pinned to legacy: a whsec_ secret is taken as it is", [["X-Centrali-Signature", "sha256=" +
                      hmac.new(b"whsec_not*base64", body, hashlib.sha256).hexdigest()]], body,
                      config={"secrets": ["whsec_not*base64"], "generation": "legacy"}, expect=ok(0)))
    # What pinning is for: with a secret without `whsec_`, both generations use the same key
    # bytes, so a captured 6.1 delivery re-sent as legacy (body `id.ts.body`, its MAC in hex)
    # verifies on a verifier that tells the generation from the headers, with no timestamp.
    plain = "centrali-plain-secret"
    forged_body = f"evt_7.{NOW}.".encode() + body61
    forged = [["X-Centrali-Signature",
               "sha256=" + base64.b64decode(swh_sig(plain.encode(), "evt_7", NOW, body61)[3:]).hex()]]
    cases.append(case("6.1 delivery re-sent as legacy: verifies when not pinned", forged, forged_body,
                      config={"secrets": [plain]}, expect=ok(0),
                      note="the reason for the generation option: pin it once the endpoint is on 6.1"))
    cases.append(case("6.1 delivery re-sent as legacy: refused when pinned to standard", forged, forged_body,
                      config={"secrets": [plain], "generation": "standard"},
                      expect=err("missing_header", "other_generation")))
    return cases


# --------------------------------------------------------------------------- Orisha
def orisha():
    secret = "3f9a0c7e-orisha-webhook-secret"
    cfg = {"secrets": [secret]}
    base = [["X-Event-Id", "0b6d1f5e-6a9f-4a0e-9d0f-1f2e3d4c5b6a"], ["X-Event-Type", "customer.address.updated"],
            ["X-Administration-Code", "ADM01"], ["X-TriggeredBy-Id", "user-7"]]
    body = '{"customerCode": "C-1001", "AddressCode": "A-2"}'
    cases = [
        case("valid shared secret", base + [["X-Secret", secret]], body, config=cfg, expect=ok(0),
             parsed={"idempotency_key": "0b6d1f5e-6a9f-4a0e-9d0f-1f2e3d4c5b6a",
                     "event_types": ["customer.address.updated"],
                     "resources": [{"type": "customer", "id": "C-1001", "action": None},
                                   {"type": "address", "id": "A-2", "action": "updated"}],
                     "detail": {"customer_code": "C-1001", "address_code": "A-2", "administration_code": "ADM01",
                                "triggered_by_id": "user-7"}}),
        case("item.created", [["X-Event-Id", "e1"], ["X-Event-Type", "item.created"], ["x-secret", secret]],
             '{"ItemCode":"SKU-77"}', config=cfg, expect=ok(0),
             parsed={"resources": [{"type": "item", "id": "SKU-77", "action": "created"}],
                     "detail": {"item_code": "SKU-77"}}),
        case("pricelist.created", [["X-Event-Id", "e3"], ["X-Event-Type", "pricelist.created"], ["X-Secret", secret]],
             '{"PriceListCode":"PL-1"}', config=cfg, expect=ok(0),
             parsed={"resources": [{"type": "pricelist", "id": "PL-1", "action": "created"}],
                     "detail": {"price_list_code": "PL-1", "item_code": None, "customer_code": None}}),
        case("customer.contactperson.created",
             [["X-Event-Id", "e4"], ["X-Event-Type", "customer.contactperson.created"], ["X-Secret", secret]],
             '{"CustomerCode":"C-1","ContactPersonCode":"CP-2"}', config=cfg, expect=ok(0),
             parsed={"resources": [{"type": "customer", "id": "C-1", "action": None},
                                   {"type": "contactperson", "id": "CP-2", "action": "created"}],
                     "detail": {"customer_code": "C-1", "contact_person_code": "CP-2", "address_code": None}}),
        case("event type in another case keeps its action",
             [["X-Event-Id", "e2"], ["X-Event-Type", "Item.Created"], ["X-Secret", secret]],
             '{"ItemCode":"SKU-78"}', config=cfg, expect=ok(0),
             parsed={"event_types": ["Item.Created"],
                     "resources": [{"type": "item", "id": "SKU-78", "action": "Created"}]}),
        case("wrong secret", base + [["X-Secret", secret + "x"]], body, config=cfg,
             expect=err("signature_mismatch", "credential_mismatch")),
        case("secret with different case", base + [["X-Secret", secret.upper()]], body, config=cfg,
             expect=err("signature_mismatch", "credential_mismatch")),
        case("missing X-Secret", base, body, config=cfg, expect=err("missing_header")),
        case("duplicate X-Secret", base + [["X-Secret", secret], ["X-Secret", secret]], body, config=cfg,
             expect=err("duplicate_header")),
        case("rotation", base + [["X-Secret", "new-orisha-secret"]], body,
             config={"secrets": [secret, "new-orisha-secret"]}, expect=ok(1)),
        case("empty secret refused", base + [["X-Secret", secret]], body, config={"secrets": [""]},
             expect=config_err("empty_secret")),
        case("secret with trailing newline configured", base + [["X-Secret", secret]], body,
             config={"secrets": [secret + "\n"]}, expect=err("signature_mismatch", "secret_whitespace")),
    ]
    return cases


# --------------------------------------------------------------------------- ShopCtrl
def shopctrl():
    user, pw = "shopctrl-hook", "p@ss:wörd"
    basic = "Basic " + base64.b64encode(f"{user}:{pw}".encode()).decode()
    cfg = {"username": user, "password": pw}
    body = json.dumps({"entityData": {"ParcelId": 5512, "TrackingCode": "3S123", "OrderShipmentId": 88,
                                      "OrderShipmentCode": "SH-88", "OrderId": 1001, "OrderCode": "ORD-1001"}})
    parsed = {"resources": [{"type": "Order", "id": "1001", "action": None},
                            {"type": "OrderShipment", "id": "88", "action": None},
                            {"type": "Parcel", "id": "5512", "action": None}],
              "detail": {"entity_data": {"TrackingCode": "3S123", "OrderId": 1001}}}
    hmac_cfg = {"header": "X-ShopCtrl-Signature", "algorithm": "sha256", "encoding": "hex", "prefix": "sha256="}
    sig = "sha256=" + hmac.new(b"hmac-secret", body.encode(), hashlib.sha256).hexdigest()
    sig1 = base64.b64encode(hm(b"hmac-secret", body.encode(), hashlib.sha1)).decode()
    sig512 = hmac.new(b"hmac-secret", body.encode(), hashlib.sha512).hexdigest().upper()
    return [
        case("basic auth", [["Authorization", basic]], body, config=cfg, expect=ok(0), parsed=parsed),
        case("basic auth scheme case-insensitive", [["authorization", "basic " + basic[6:]]], body, config=cfg,
             expect=ok(0)),
        case("wrong password", [["Authorization", "Basic " + base64.b64encode(f"{user}:nope".encode()).decode()]],
             body, config=cfg, expect=err("signature_mismatch", "credential_mismatch")),
        case("missing Authorization", [], body, config=cfg, expect=err("missing_header")),
        case("bearer instead of basic", [["Authorization", "Bearer abc"]], body, config=cfg,
             expect=err("malformed_header")),
        case("basic credentials not base64", [["Authorization", "Basic %%%"]], body, config=cfg,
             expect=err("bad_encoding")),
        case("hmac sha256 hex with prefix", [["X-ShopCtrl-Signature", sig]], body,
             config={"secrets": ["hmac-secret"], "hmac": hmac_cfg}, expect=ok(0)),
        # A header the scheme reads anyway (Basic credentials), configured for the HMAC instead.
        case("hmac in the Authorization header, no Basic credentials", [["Authorization", sig]], body,
             config={"secrets": ["hmac-secret"], "hmac": {**hmac_cfg, "header": "Authorization"}}, expect=ok(0)),
        case("hmac sha1 base64, no prefix", [["X-Hmac", sig1]], body,
             config={"secrets": ["hmac-secret"], "hmac": {"header": "x-hmac", "algorithm": "sha1", "encoding": "base64"}},
             expect=ok(0)),
        case("hmac sha512 upper-case hex", [["X-Hmac", sig512]], body,
             config={"secrets": ["hmac-secret"], "hmac": {"header": "X-Hmac", "algorithm": "sha512", "encoding": "hex"}},
             expect=ok(0)),
        case("NUL in the configured hmac header", [["X-ShopCtrl-Signature", sig + "\0"]], body,
             config={"secrets": ["hmac-secret"], "hmac": hmac_cfg}, expect=err("malformed_header")),
        case("hmac header name configured with spaces around it", [["X-ShopCtrl-Signature", sig]], body,
             config={"secrets": ["hmac-secret"], "hmac": {**hmac_cfg, "header": " X-ShopCtrl-Signature "}},
             expect=ok(0)),
        case("hmac header configured as a whole header line", [["X-ShopCtrl-Signature", sig]], body,
             config={"secrets": ["hmac-secret"], "hmac": {**hmac_cfg, "header": "X-ShopCtrl-Signature: sha256="}},
             expect=config_err("invalid_option")),
        # ShopCtrl does not publish its format: the digest and encoding are stated, not guessed.
        case("hmac format without digest and encoding", [["X-ShopCtrl-Signature", sig]], body,
             config={"secrets": ["hmac-secret"], "hmac": {"header": "X-ShopCtrl-Signature"}},
             expect=config_err("invalid_option")),
        case("hmac of the wrong digest length", [["X-Hmac", sig512[:64]]], body,
             config={"secrets": ["hmac-secret"], "hmac": {"header": "X-Hmac", "algorithm": "sha512", "encoding": "hex"}},
             expect=err("bad_encoding")),
        case("hmac tampered body", [["X-ShopCtrl-Signature", sig]], body.replace("1001", "1002"),
             config={"secrets": ["hmac-secret"], "hmac": hmac_cfg}, expect=err("signature_mismatch", "body_reserialised")),
        case("Authorization twice", [["Authorization", basic], ["Authorization", basic]], body, config=cfg,
             expect=err("duplicate_header")),
        case("hmac header missing", [["Content-Type", "application/json"]], body,
             config={"secrets": ["hmac-secret"], "hmac": hmac_cfg}, expect=err("missing_header")),
        case("hmac header twice", [["X-ShopCtrl-Signature", sig], ["x-shopctrl-signature", sig]], body,
             config={"secrets": ["hmac-secret"], "hmac": hmac_cfg}, expect=err("duplicate_header")),
        case("hmac rotation: second secret matches", [["X-ShopCtrl-Signature", sig]], body,
             config={"secrets": ["new-hmac-secret", "hmac-secret"], "hmac": hmac_cfg}, expect=ok(1)),
        case("hmac missing prefix", [["X-ShopCtrl-Signature", sig[7:]]], body,
             config={"secrets": ["hmac-secret"], "hmac": hmac_cfg}, expect=err("malformed_header")),
        case("basic and hmac: both must pass (hmac wrong)",
             [["Authorization", basic], ["X-ShopCtrl-Signature", "sha256=" + "0" * 64]], body,
             config={"username": user, "password": pw, "secrets": ["hmac-secret"], "hmac": hmac_cfg},
             expect=err("signature_mismatch", "body_reserialised")),
        case("basic and hmac: both must pass (password wrong)",
             [["Authorization", "Basic " + base64.b64encode(f"{user}:nope".encode()).decode()],
              ["X-ShopCtrl-Signature", sig]], body,
             config={"username": user, "password": pw, "secrets": ["hmac-secret"], "hmac": hmac_cfg},
             expect=err("signature_mismatch", "credential_mismatch")),
        # An empty body fails the HMAC whatever the secret; Basic credentials are checked without it.
        case("hmac, empty body (read by a parser first)", [["X-ShopCtrl-Signature", sig]], "",
             config={"secrets": ["hmac-secret"], "hmac": hmac_cfg}, expect=err("signature_mismatch", "body_empty")),
        case("basic and hmac, password wrong and empty body: the credential",
             [["Authorization", "Basic " + base64.b64encode(f"{user}:nope".encode()).decode()],
              ["X-ShopCtrl-Signature", sig]], "",
             config={"username": user, "password": pw, "secrets": ["hmac-secret"], "hmac": hmac_cfg},
             expect=err("signature_mismatch", "credential_mismatch")),
        case("basic and hmac: both pass", [["Authorization", basic], ["X-ShopCtrl-Signature", sig]], body,
             config={"username": user, "password": pw, "secrets": ["hmac-secret"], "hmac": hmac_cfg}, expect=ok(0)),
        case("custom XML payload", [["Authorization", basic]], "<order><id>1001</id></order>", config=cfg,
             expect=ok(0), parsed={"resources": [], "raw": "<order><id>1001</id></order>", "detail": {"body": None}}),
        # Text payloads with merge fields may start like JSON: text, not an error.
        case("custom text payload starting with [", [["Authorization", basic]], "[ORD-1001] shipped", config=cfg,
             expect=ok(0), parsed={"resources": [], "raw": "[ORD-1001] shipped",
                                   "detail": {"entity_data": None, "body": None}}),
        case("nothing configured", [["Authorization", basic]], body, config={}, expect=config_err("unconfigured_scheme")),
        case("hmac secret without a format", [["Authorization", basic]], body, config={"secrets": ["s"]},
             expect=config_err("unconfigured_scheme")),
        case("empty password", [["Authorization", basic]], body, config={"username": user, "password": ""},
             expect=config_err("empty_secret")),
    ]


# --------------------------------------------------------------------------- Extend
def extend():
    secret = "secret123"
    cfg = {"secrets": [secret]}

    def sig(b: bytes, key=secret):
        return "sha256=" + hmac.new(key.encode(), b, hashlib.sha256).hexdigest().upper()

    # The ASP.NET sender writes indented JSON with CRLF line ends.
    envelope = ('{\r\n  "Id": "6e249eebb818463086ae0dda6eeba7b2",\r\n  "Attempt": 1,\r\n  "Properties": {\r\n'
                '    "NotificationId": "3b3fd4a6-36d5-46fe-8a3f-e73532529db3"\r\n  },\r\n  "Notifications": [\r\n'
                '    {\r\n      "Action": "PurchasePartiallyDelivered",\r\n      "Details": {\r\n'
                '        "OrderNumber": "RP-101",\r\n        "Warehouse": "GreenWarehouse"\r\n      }\r\n    }\r\n  ]\r\n}')
    eb = envelope.encode()
    picking = json.dumps({"Id": "13f078bcbe2243dc997655ed2cdbbdf7", "Attempt": 2,
                          "Properties": {"NotificationId": "90c6340b-1f5c-49e0-9cee-45df5dd145c2"},
                          "Notifications": [
                              {"Action": "PickingStarted", "Details": {"Order": {"OrderNumber": "802624", "Warehouse": "ADR-1",
                               "Row": {"Position": 10, "SubPosition": 0, "ProductNumber": "4340-001", "Unit": {"Quantity": 1}}}}},
                              {"Action": "BalanceChanged", "Details": {"ProductNumber": "7495", "Warehouse": "YX", "Balance": 43,
                               "EventName": "ItemChangeST", "EventType": "BalanceAdjustment"}}]}, indent=4).encode()
    # The documented Details members that the cases above leave out, one notification each.
    documented = json.dumps({"Id": "a1b2", "Attempt": 1, "Properties": {}, "Notifications": [
        {"Action": "OrderCreated", "Details": {"OrderNumber": "1001", "OrderType": "Webshop"}},
        {"Action": "AvailableBalanceChanged", "Details": {"ProductNumber": "7495", "Warehouse": "YX",
                                                          "AvailableBalance": 12.5}},
        {"Action": "CustomerInvoiceCreated", "Details": {"InvoiceNumber": "F-77"}},
        {"Action": "OfferCreated", "Details": {"OfferNumber": "O-9"}},
        {"Action": "PriceListWebHook", "Details": {"PriceListName": "Retail SEK"}}]}, indent=2).encode()
    return [
        case("doc example (Extend's documentation)",
             [["ms-signature", "sha256=25FB6994568A75CD233E04BA1C653AF1BF476041CC543AF04F82CAAC482C201A"]],
             "{'test':'test2'}", config=cfg, expect=ok(0)),
        case("indented CRLF envelope", [["ms-signature", sig(eb)]], eb, config=cfg, expect=ok(0),
             parsed={"idempotency_key": "6e249eebb818463086ae0dda6eeba7b2", "event_types": ["PurchasePartiallyDelivered"],
                     "resources": [{"type": "purchase", "id": "RP-101", "action": "PurchasePartiallyDelivered"}],
                     "detail": {"attempt": 1, "properties": {"NotificationId": "3b3fd4a6-36d5-46fe-8a3f-e73532529db3"},
                                "notifications": [{"action": "PurchasePartiallyDelivered",
                                                   "details": {"order_number": "RP-101", "warehouse": "GreenWarehouse"}}]}}),
        case("PickingStarted and BalanceChanged", [["MS-Signature", sig(picking)]], picking, config=cfg, expect=ok(0),
             parsed={"event_types": ["PickingStarted", "BalanceChanged"],
                     "resources": [{"type": "order", "id": "802624", "action": "PickingStarted"},
                                   {"type": "product", "id": "7495", "action": "BalanceChanged"}],
                     "detail": {"attempt": 2, "notifications": [
                         {"action": "PickingStarted", "details": {"order": {"order_number": "802624", "warehouse": "ADR-1",
                                                                            "row": {"Position": 10, "Unit": {"Quantity": 1}}}}},
                         {"action": "BalanceChanged", "details": {"balance": 43, "event_type": "BalanceAdjustment"}}]}}),
        case("documented Details members", [["ms-signature", sig(documented)]], documented, config=cfg, expect=ok(0),
             parsed={"event_types": ["OrderCreated", "AvailableBalanceChanged", "CustomerInvoiceCreated", "OfferCreated",
                                     "PriceListWebHook"],
                     "resources": [{"type": "order", "id": "1001", "action": "OrderCreated"},
                                   {"type": "product", "id": "7495", "action": "AvailableBalanceChanged"},
                                   {"type": "invoice", "id": "F-77", "action": "CustomerInvoiceCreated"},
                                   {"type": "offer", "id": "O-9", "action": "OfferCreated"},
                                   {"type": "pricelist", "id": "Retail SEK", "action": "PriceListWebHook"}],
                     "detail": {"notifications": [
                         {"details": {"order_number": "1001", "order_type": "Webshop"}},
                         {"details": {"product_number": "7495", "warehouse": "YX", "available_balance": 12.5,
                                      "balance": None}},
                         {"details": {"invoice_number": "F-77"}},
                         {"details": {"offer_number": "O-9"}},
                         {"details": {"price_list_name": "Retail SEK"}}]}}),
        case("lower-case hex and prefix", [["ms-signature", sig(eb).lower()]], eb, config=cfg, expect=ok(0)),
        # CRLF indentation, which JSON.stringify and json.dumps never write: no re-serialised hint.
        case("tampered body", [["ms-signature", sig(eb)]], eb.replace(b"RP-101", b"RP-102"), config=cfg,
             expect=err("signature_mismatch")),
        case("re-serialised compact body", [["ms-signature", sig(eb)]],
             json.dumps(json.loads(envelope), separators=(",", ":")), config=cfg,
             expect=err("signature_mismatch", "body_reserialised")),
        case("LF instead of CRLF", [["ms-signature", sig(eb)]], eb.replace(b"\r\n", b"\n"), config=cfg,
             expect=err("signature_mismatch", "body_reserialised")),
        case("wrong secret", [["ms-signature", sig(eb, "secret1234")]], eb, config=cfg, expect=err("signature_mismatch")),
        case("empty body (read by a parser first)", [["ms-signature", sig(eb)]], "", config=cfg,
             expect=err("signature_mismatch", "body_empty")),
        case("empty body beside a secret with white space: the body first", [["ms-signature", sig(eb)]], "",
             config={"secrets": [secret + " "]}, expect=err("signature_mismatch", "body_empty")),
        case("rotation", [["ms-signature", sig(eb, "rotated")]], eb, config={"secrets": [secret, "rotated"]},
             expect=ok(1)),
        case("missing prefix", [["ms-signature", sig(eb)[7:]]], eb, config=cfg, expect=err("malformed_header")),
        case("short hex", [["ms-signature", sig(eb)[:-2]]], eb, config=cfg, expect=err("bad_encoding")),
        case("missing header", [], eb, config=cfg, expect=err("missing_header")),
        case("missing header, Centra's present", [["X-Centra-Signature", "t=1,v1=00"]], eb, config=cfg,
             expect=err("missing_header", "other_provider")),
        case("missing header, a Svix request's present", [["svix-id", "msg_1"], ["svix-signature", "v1,AA=="]], eb,
             config=cfg, expect=err("missing_header", "other_provider")),
        case("duplicate header", [["ms-signature", sig(eb)], ["MS-SIGNATURE", sig(eb)]], eb, config=cfg,
             expect=err("duplicate_header")),
        case("non-ASCII body and secret", [["ms-signature", sig("{\"Id\":\"x\",\"Notifications\":[{\"Action\":\"CustomerCreated\",\"Details\":{\"CustomerNumber\":\"Ö-1\"}}]}".encode(), "hemlig-nyckel-åäö")]],
             "{\"Id\":\"x\",\"Notifications\":[{\"Action\":\"CustomerCreated\",\"Details\":{\"CustomerNumber\":\"Ö-1\"}}]}",
             config={"secrets": ["hemlig-nyckel-åäö"]}, expect=ok(0),
             parsed={"resources": [{"type": "customer", "id": "Ö-1", "action": "CustomerCreated"}]}),
        case("binary body that is not UTF-8", [["ms-signature", sig(b"\xff\xfe\x00binary")]], b"\xff\xfe\x00binary",
             config=cfg, expect=ok(0), body_b64=True),
    ]


FILES = {
    "centra": centra, "centrali": centrali, "orisha": orisha,
    "shopctrl": shopctrl, "extend": extend, "standardwebhooks": standardwebhooks,
}


def render(provider: str) -> str:
    doc = {"provider": provider, "schema": "see README.md in this folder", "cases": FILES[provider]()}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    check = "--check" in sys.argv
    stale = []
    for provider in FILES:
        path = HERE / f"{provider}.json"
        text = render(provider)
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print("vectors out of date, run tests/vectors/generate.py:", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
