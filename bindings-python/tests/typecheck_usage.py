"""Type-checked with `mypy --strict` in CI: the stubs describe the API people use."""

from typing import List, Optional

import hookproof
from hookproof import Event, Resource, Verifier, WebhookVerificationError


def handle(headers: "dict[str, str]", body: bytes) -> Optional[str]:
    verifier = Verifier("centra", "secret", tolerance=600)
    rotated = Verifier("standardwebhooks", secrets=["whsec_a", "whsec_b"], tolerance=False)
    shop = Verifier("shopctrl", username="u", password="p", secret="s",
                    hmac={"header": "X-Signature", "algorithm": "sha256", "encoding": "hex"})
    del rotated, shop
    try:
        verified = verifier.verify(headers, body, now=1_763_900_000)
        index: int = verified.secret_index
        ts: Optional[int] = verified.timestamp
        del index, ts
        event: Event = verifier.verify_and_parse(headers, body)
    except WebhookVerificationError as e:
        code: str = e.code
        hint: Optional[str] = e.hint
        return f"{code} {hint}"
    resources: List[Resource] = event["resources"]
    key: Optional[str] = event["idempotency_key"]
    req = hookproof.sign("extend", b"{}", secret="s", now=1)
    header_map: "dict[str, str]" = req.headers
    raw: bytes = req.body
    del header_map, raw
    echo: Optional[str] = hookproof.extend_echo_response("/x?echo=1")
    return key or (resources[0]["id"] if resources else echo)
