import json
import os
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest

REPO = Path(os.environ.get("HOOKPROOF_REPO", Path(__file__).resolve().parents[2]))
VECTORS = REPO / "tests" / "vectors"
NOW = 1_763_900_000


def vector_cases() -> List[Tuple[str, Dict[str, Any]]]:
    cases = []
    for path in sorted(VECTORS.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for case in doc["cases"]:
            cases.append((doc["provider"], case))
    return cases


# One configuration per provider, shared with the Node tests and the demo.
PROVIDER_SETUPS: Dict[str, Dict[str, Any]] = json.loads((REPO / "tests" / "receivers.json").read_text(encoding="utf-8"))["providers"]


def signed_variants(provider: str, now: int) -> Iterator[Tuple[str, Dict[str, str], bytes, int, Optional[str]]]:
    """(label, headers, body, expected status, expected error code) for a valid, tampered, stale
    and unsigned request."""
    import hookproof

    setup = PROVIDER_SETUPS[provider]
    opts = setup["options"]
    extra = setup.get("sign", {})
    good = hookproof.sign(provider, setup["payload"], now=now, **opts, **extra)
    yield "valid", dict(good.headers), good.body, 200, None
    if setup["body_signed"]:
        tampered = good.body.replace(b"1", b"2", 1)
        assert tampered != good.body
        yield "tampered", dict(good.headers), tampered, 401, "signature_mismatch"
    else:
        # Orisha signs nothing: a wrong shared secret is its forgery.
        headers = {k: (v + "x" if k.lower() == "x-secret" else v) for k, v in good.headers.items()}
        yield "tampered", headers, good.body, 401, "signature_mismatch"
    stale = hookproof.sign(provider, setup["payload"], now=now - 3600, **opts, **extra)
    if setup["signs_time"]:
        yield "stale", dict(stale.headers), stale.body, 401, "timestamp_too_old"
    else:
        yield "stale", dict(stale.headers), stale.body, 200, None
    yield "unsigned", {"Content-Type": good.headers.get("content-type", "application/json")}, good.body, 401, "missing_header"


@pytest.fixture
def now() -> int:
    import time

    return int(time.time())
