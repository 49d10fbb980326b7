"""hookproof vs the idiomatic Python check, same run, ~2 KB Extend Commerce webhook.

    python bench/bench.py          (with the wheel installed)

Prints per-call times and ratios (idiomatic time / ours: above 1 means we are faster).
Absolute times on shared machines are noisy; compare the ratios.
"""

import hashlib
import hmac
import json
import timeit

import hookproof

SECRET = "secret123"


def make_body(size: int = 2048) -> bytes:
    notes = []
    i = 0
    while True:
        body = json.dumps({"Id": "6e249eebb818463086ae0dda6eeba7b2", "Attempt": 1,
                           "Properties": {"NotificationId": "3b3fd4a6-36d5-46fe-8a3f-e73532529db3"},
                           "Notifications": notes}, indent=2).replace("\n", "\r\n").encode()
        if len(body) >= size:
            return body
        notes.append({"Action": "OrderCreated", "Details": {"OrderNumber": str(3339887 + i), "OrderType": "NormalOrder"}})
        i += 1


BODY = make_body()
HEADERS = {"content-type": "application/json; charset=utf-8",
           "ms-signature": "sha256=" + hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest().upper()}
KEY = SECRET.encode()


def idiomatic_verify(headers: dict, body: bytes) -> bool:
    # What the provider docs show: recompute, compare in constant time.
    expected = "sha256=" + hmac.new(KEY, body, hashlib.sha256).hexdigest().upper()
    return hmac.compare_digest(expected, headers["ms-signature"])


def idiomatic_verify_and_parse(headers: dict, body: bytes) -> dict:
    if not idiomatic_verify(headers, body):
        raise ValueError("bad signature")
    return json.loads(body)


def main() -> None:
    verifier = hookproof.Verifier("extend", SECRET)
    assert idiomatic_verify(HEADERS, BODY)
    verifier.verify(HEADERS, BODY)
    n = 20000
    rows = [
        ("verify", lambda: idiomatic_verify(HEADERS, BODY), lambda: verifier.verify(HEADERS, BODY)),
        ("verify+parse", lambda: idiomatic_verify_and_parse(HEADERS, BODY), lambda: verifier.verify_and_parse(HEADERS, BODY)),
    ]
    print(f"body: {len(BODY)} bytes (Extend Commerce envelope), {n} calls, best of 5")
    print(f"{'':14}{'idiomatic':>12}{'hookproof':>12}{'ratio':>9}")
    for name, base, ours in rows:
        t_base = min(timeit.repeat(base, number=n, repeat=5)) / n * 1e6
        t_ours = min(timeit.repeat(ours, number=n, repeat=5)) / n * 1e6
        print(f"{name:14}{t_base:>10.2f}us{t_ours:>10.2f}us{t_base / t_ours:>8.2f}x")


if __name__ == "__main__":
    main()
