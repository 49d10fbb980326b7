"""hookproof vs the idiomatic Python check, same run, ~2 KB bodies (one run; not a test).

    python bench/bench.py          (with the wheel installed)

For each provider: `verify` against hmac.new + hmac.compare_digest as the provider docs show
it, and `verify+parse` against that plus json.loads (Centra: plus urllib form decoding). Prints
per-call times and ratios (idiomatic time / ours: above 1 means hookproof is faster), and the
cost of `parse` alone. The core parses and validates the whole payload in `verify_and_parse`;
the event's fields become Python objects when first read, so the rows `+ resources` (what a
receiver typically reads) and `+ all fields` (every field, `detail` included) show that cost.
`+12 headers` is `verify` with the other headers a receiver behind a proxy gets. Absolute times on shared machines are noisy; compare the ratios.

The idiomatic functions below spell out each provider's header names: they are the baselines
people write by hand, not part of the binding.
"""

import base64
import hashlib
import hmac
import json
import time
import timeit
import urllib.parse
from typing import Any, Callable, Dict, List, Tuple

import hookproof

# Signed now, so that both sides check a fresh timestamp: ours reads the clock itself, as
# receivers call it (`verify(headers, body)`). (Passing `now=` by keyword costs ~0.15 us more
# on abi3-py39 builds: pyo3 copies each keyword name to match it on the limited API < 3.10.)
NOW = int(time.time())
N = 20_000


def sized(make: Callable[[int], bytes], size: int = 2048) -> bytes:
    i = 1
    while len(make(i)) < size:
        i += 1
    return make(i)


# --- Extend Commerce: ms-signature = sha256=<HEX> over the body --------------------------------

EXTEND_KEY = b"secret123"


def extend_body(n: int) -> bytes:
    notes = [{"Action": "OrderCreated", "Details": {"OrderNumber": str(3339887 + i), "OrderType": "NormalOrder"}} for i in range(n)]
    doc = {"Id": "6e249eebb818463086ae0dda6eeba7b2", "Attempt": 1,
           "Properties": {"NotificationId": "3b3fd4a6-36d5-46fe-8a3f-e73532529db3"}, "Notifications": notes}
    return json.dumps(doc, indent=2).replace("\n", "\r\n").encode()


def extend_verify(headers: Dict[str, str], body: bytes) -> bool:
    expected = "sha256=" + hmac.new(EXTEND_KEY, body, hashlib.sha256).hexdigest().upper()
    return hmac.compare_digest(expected, headers["ms-signature"])


def extend_verify_and_parse(headers: Dict[str, str], body: bytes) -> Any:
    if not extend_verify(headers, body):
        raise ValueError("bad signature")
    return json.loads(body)


# --- Standard Webhooks: v1,<base64> of HMAC(id.timestamp.body), timestamp within 5 min ----------

SW_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SW_KEY = base64.b64decode(SW_SECRET[len("whsec_"):])


def sw_body(n: int) -> bytes:
    lines = [{"sku": f"SKU-{i:05d}", "quantity": i % 7 + 1, "price": {"amount": 1999 + i, "currency": "EUR"}} for i in range(n)]
    return json.dumps({"type": "order.created", "timestamp": "2025-11-23T12:00:00Z",
                       "data": {"id": "ord_1", "customer": {"id": "cus_1", "email": "a@example.com"}, "lines": lines}}).encode()


def sw_verify(headers: Dict[str, str], body: bytes) -> bool:
    msg_id, ts = headers["webhook-id"], headers["webhook-timestamp"]
    if abs(NOW - int(ts)) > 300:
        return False
    mac = hmac.new(SW_KEY, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()
    expected = base64.b64encode(mac).decode()
    return any(hmac.compare_digest(sig.partition(",")[2], expected)
               for sig in headers["webhook-signature"].split() if sig.startswith("v1,"))


def sw_verify_and_parse(headers: Dict[str, str], body: bytes) -> Any:
    if not sw_verify(headers, body):
        raise ValueError("bad signature")
    return json.loads(body)


# --- Centra: t=<ts>,v1=<hex> of HMAC(t.body), the body a form field `payload` of JSON -----------

CENTRA_KEY = b"centra-secret"


def centra_payload(n: int) -> bytes:
    events = [{"type": "order", "action": "update", "id": 100000 + i} for i in range(n)]
    return json.dumps({"events": events, "products": [str(i) for i in range(n)]}).encode()


def centra_verify(headers: Dict[str, str], body: bytes) -> bool:
    fields = dict(p.strip().split("=", 1) for p in headers["x-centra-signature"].split(","))
    if abs(NOW - int(fields["t"])) > 300:
        return False
    expected = hmac.new(CENTRA_KEY, fields["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields.get("v1", ""))


def centra_verify_and_parse(headers: Dict[str, str], body: bytes) -> Any:
    if not centra_verify(headers, body):
        raise ValueError("bad signature")
    return json.loads(urllib.parse.parse_qs(body.decode())["payload"][0])


def cases() -> List[Tuple[str, hookproof.Verifier, Dict[str, str], bytes, Callable[..., Any], Callable[..., Any]]]:
    out = []
    body = sized(extend_body)
    req = hookproof.sign("extend", body, secret=EXTEND_KEY.decode(), now=NOW)
    out.append(("extend", hookproof.Verifier("extend", EXTEND_KEY.decode()), req.headers, req.body,
                extend_verify, extend_verify_and_parse))
    body = sized(sw_body)
    req = hookproof.sign("standardwebhooks", body, secret=SW_SECRET, now=NOW)
    out.append(("standardwebhooks", hookproof.Verifier("standardwebhooks", SW_SECRET), req.headers, req.body,
                sw_verify, sw_verify_and_parse))
    payload = sized(lambda n: urllib.parse.urlencode({"payload": centra_payload(n)}).encode())
    payload = urllib.parse.parse_qs(payload.decode())["payload"][0].encode()
    req = hookproof.sign("centra", payload, secret=CENTRA_KEY.decode(), now=NOW)
    out.append(("centra", hookproof.Verifier("centra", CENTRA_KEY.decode()), req.headers, req.body,
                centra_verify, centra_verify_and_parse))
    return out


# What a receiver behind a proxy also gets: headers the idiomatic code never looks at, and the
# binding must not pay for either (it converts only the ones the core reads).
PROXY_HEADERS = {
    "host": "shop.example.com",
    "user-agent": "Webhooks/2.0",
    "accept": "*/*",
    "accept-encoding": "gzip, deflate",
    "content-length": "2048",
    "connection": "close",
    "x-forwarded-for": "203.0.113.7",
    "x-forwarded-proto": "https",
    "x-forwarded-host": "shop.example.com",
    "x-real-ip": "203.0.113.7",
    "x-request-id": "3b3fd4a6-36d5-46fe-8a3f-e73532529db3",
    "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
}


def per_call(f: Callable[[], Any]) -> float:
    return min(timeit.repeat(f, number=N, repeat=5)) / N * 1e6


def main() -> None:
    print(f"{N} calls per timing, best of 5; ratio = idiomatic / hookproof (>1: hookproof faster)")
    print(f"{'provider':18}{'body':>7}  {'step':13}{'idiomatic':>11}{'hookproof':>11}{'ratio':>8}")
    for name, verifier, signed_headers, body, verify, verify_and_parse in cases():
        # Lower-case names, as a WSGI/ASGI framework would hand them over.
        headers = {k.lower(): v for k, v in signed_headers.items()}
        # Both sides accept the request and agree on the data before anything is timed.
        assert verify(headers, body), name
        verifier.verify(headers, body)
        event = verifier.verify_and_parse(headers, body)
        assert event["provider"] == name
        proxied = {**PROXY_HEADERS, **headers}
        rows = [
            ("verify", lambda: verify(headers, body), lambda: verifier.verify(headers, body)),
            ("+12 headers", lambda: verify(proxied, body), lambda: verifier.verify(proxied, body)),
            ("verify+parse", lambda: verify_and_parse(headers, body),
             lambda: verifier.verify_and_parse(headers, body)),
            # The event's fields become Python objects on first read: also time reading what a
            # receiver reads (types and resources), and everything (the provider model too).
            ("+ resources", lambda: verify_and_parse(headers, body),
             lambda: verifier.verify_and_parse(headers, body).resources),
            ("+ all fields", lambda: verify_and_parse(headers, body),
             # list(): `values()` is a lazy view since Event became a Mapping.
             lambda: list(verifier.verify_and_parse(headers, body).values())),
        ]
        for step, base, ours in rows:
            t_base, t_ours = per_call(base), per_call(ours)
            print(f"{name:18}{len(body):>6}B  {step:13}{t_base:>9.2f}us{t_ours:>9.2f}us{t_base / t_ours:>7.2f}x")
        t_parse = per_call(lambda: verifier.parse(headers, body))
        print(f"{'':27}{'(parse alone)':13}{'':11}{t_parse:>9.2f}us")


if __name__ == "__main__":
    main()
