"""The end-to-end demo: starts the receivers (Express, FastAPI, the example Worker in workerd), delivers a valid, a tampered and a stale webhook
of every provider to each with `hookproof send`, prints who accepted what, and exits 1 if
any receiver accepts a bad request or rejects a good one.

Usage: python run_demo.py HOOKPROOF_BIN PYTHON (the interpreter that runs the FastAPI receiver;
see .ci/demo.sh)"""

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Tuple

HERE = Path(__file__).resolve().parent
PROVIDERS = json.loads((HERE.parent / "receivers.json").read_text())["providers"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, proc: subprocess.Popen, name: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{name} exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{name} did not start on port {port}")


def send_args(provider: str, setup: Dict, env: Dict[str, str], payload: Path) -> List[str]:
    """The `hookproof send` flags for a receivers.json setup; secrets go through env vars."""
    opts = setup["options"]
    args = ["--provider", provider, "--payload", str(payload)]
    if "secret" in opts:
        env[f"DEMO_{provider.upper()}_SECRET"] = opts["secret"]
        args += ["--secret-env", f"DEMO_{provider.upper()}_SECRET"]
    if "username" in opts:
        env[f"DEMO_{provider.upper()}_PASSWORD"] = opts["password"]
        args += ["--username", opts["username"], "--password-env", f"DEMO_{provider.upper()}_PASSWORD"]
    if "hmac" in opts:
        h = opts["hmac"]
        args += ["--hmac-header", h["header"], "--hmac-algorithm", h["algorithm"], "--hmac-encoding", h["encoding"]]
        if h.get("prefix"):
            args += ["--hmac-prefix", h["prefix"]]
    for key, value in setup.get("sign", {}).items():
        args += ["--" + key.replace("_", "-"), value]
    return args


WANT_CODE = {"tampered": "signature_mismatch", "stale": "timestamp_too_old"}


def error_code(body: str) -> str:
    """The `error` code of a receiver's JSON error body (`{"error": ...}`, or FastAPI's
    `{"detail": {"error": ...}}`); matched, not parsed: `send --json` cuts bodies at 300 chars."""
    m = re.search(r'"error": ?"([a-z_]+)"', body)
    return m.group(1) if m else "(no error code)"


def main() -> int:
    hookproof_bin = sys.argv[1]
    python = sys.argv[2]
    receivers: List[Tuple[str, List[str]]] = [
        ("express (npm)", ["node", str(HERE / "express-receiver.mjs")]),
        ("fastapi (wheel)", [python, str(HERE / "fastapi_receiver.py")]),
        ("worker (workerd)", ["node", str(HERE / "worker-receiver.mjs")]),
    ]
    procs = []
    rows = []
    failures = 0
    env = dict(os.environ)
    try:
        urls = {}
        for name, cmd in receivers:
            port = free_port()
            p = subprocess.Popen(cmd + [str(port)], stdout=subprocess.DEVNULL)
            procs.append(p)
            wait_for(port, p, name)
            urls[name] = f"http://127.0.0.1:{port}"
        with tempfile.TemporaryDirectory() as tmp:
            for provider, setup in PROVIDERS.items():
                payload = Path(tmp) / f"{provider}.json"
                payload.write_text(setup["payload"], encoding="utf-8")
                base = send_args(provider, setup, env, payload)
                variants = [("valid", [], 200), ("tampered", ["--tamper"], 401),
                            ("stale", ["--stale"], 401 if setup["signs_time"] else 200)]
                for variant, flags, want in variants:
                    cells = []
                    for name, url in urls.items():
                        out = subprocess.run([hookproof_bin, "send", "--json", *base, *flags, f"{url}/webhooks/{provider}"],
                                             env=env, capture_output=True, text=True, timeout=60)
                        if out.returncode != 0:
                            cells.append(f"error: {out.stderr.strip()[:60]}")
                            failures += 1
                            continue
                        sent = json.loads(out.stdout)
                        status = sent["status"]
                        code = error_code(sent["body"])
                        verdict = "accepted" if status == 200 else f"rejected {status} {code}"
                        # A rejection for the right reason: a tampered request that failed as
                        # `missing_header` would mean --tamper broke it, not that it was caught.
                        ok = status == want and (status == 200 or code == WANT_CODE[variant])
                        failures += 0 if ok else 1
                        cells.append(verdict + ("" if ok else "  <-- WRONG"))
                    rows.append((provider, variant, "accept" if want == 200 else "reject", cells))
    finally:
        for p in procs:
            p.terminate()
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
    names = list(urls)
    widths = [18, 10, 8] + [max(32, len(n) + 2) for n in names]
    header = ["provider", "request", "expect"] + names
    print("".join(h.ljust(w) for h, w in zip(header, widths)))
    print("-" * sum(widths))
    for provider, variant, expect, cells in rows:
        print("".join(c.ljust(w) for c, w in zip([provider, variant, expect] + cells, widths)))
    print()
    print("stale requests are accepted where the provider signs no timestamp (orisha, shopctrl, extend): "
          "deduplicate on the event id where there is one (Extend's signed Id, Orisha's X-Event-Id; "
          "ShopCtrl sends none). See README, Replay.")
    checks = len(rows) * len(names)
    print(f"demo: {checks - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
