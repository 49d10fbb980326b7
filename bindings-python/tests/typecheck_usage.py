"""Type-checked with `mypy --strict` in CI: the stubs describe the API people use.

Not collected by pytest (no test_ prefix); mypy fails on any mismatch with the stubs."""

from typing import Any, Dict, ItemsView, KeysView, List, Mapping, Optional, Tuple, ValuesView, cast

from typing_extensions import assert_type

import hookproof
from hookproof import (
    CentraDetail,
    CentraliDetail,
    Event,
    EventDict,
    ExtendDetail,
    OrishaDetail,
    ProviderId,
    Resource,
    ShopCtrlDetail,
    StandardWebhooksDetail,
    Verified,
    Verifier,
    WebhookVerificationError,
)
from hookproof.django import verify_webhook as verify_django
from hookproof.django import webhook_event as django_event
from hookproof.fastapi import WebhookDependency
from hookproof.flask import verify_webhook as verify_flask
from hookproof.flask import webhook_event as flask_event


def handle(headers: "dict[str, str]", body: bytes) -> Optional[str]:
    verifier = Verifier("centra", "secret", tolerance=600)
    rotated = Verifier("standardwebhooks", secrets=["whsec_a", "whsec_b"], tolerance=False)
    shop = Verifier("shopctrl", username="u", password="p", secret="s",
                    hmac={"header": "X-Signature", "algorithm": "sha256", "encoding": "hex"})
    pinned = Verifier("centrali", "whsec_a", generation="standard")
    # `header` is required (the verifier raises without it); --strict fails on an unused ignore.
    headless = Verifier("shopctrl", secret="s", hmac={"algorithm": "sha1"})  # type: ignore[call-overload]
    # So are the digest and encoding: ShopCtrl publishes no format to default to.
    guessed = Verifier("shopctrl", secret="s", hmac={"header": "X-Sig"})  # type: ignore[call-overload]
    del rotated, shop, pinned, headless, guessed
    # A stand-in verifier's result, and its error, as a test builds them.
    assert_type(Verified("extend", 0, None), Verified)
    assert_type(hookproof.SignatureMismatch("forged").code, hookproof.ErrorCode)
    pairs: List[Tuple[str, str]] = list(headers.items())
    try:
        verified: Verified = verifier.verify(headers, body, now=1_763_900_000)
        index: int = verified.secret_index
        ts: Optional[int] = verified.timestamp
        del index, ts
        verifier.verify(pairs, bytearray(body))
        verifier.verify(headers, memoryview(body))
        event: Event = verifier.verify_and_parse(headers, body)
        unverified: Event = hookproof.parse("centra", headers, body)
        del unverified
    except hookproof.SignatureMismatch as e:
        return e.code
    except WebhookVerificationError as e:
        code: str = e.code
        hint: Optional[str] = e.hint
        hint_code: Optional[str] = e.hint_code
        # The codes are Literal types: a misspelt comparison is caught under --strict-equality.
        assert_type(e.code, hookproof.ErrorCode)
        assert_type(e.hint_code, Optional[hookproof.HintCode])
        if e.hint_code == "secret_unprefixed":
            return "add the whsec_ prefix"
        return f"{code} {hint} {hint_code}"
    resources: List[Resource] = event["resources"]
    key: Optional[str] = event["idempotency_key"]
    detail: Dict[str, Any] = event["detail"]
    same: List[Resource] = event.resources
    types: List[str] = event.event_types
    when: Optional[int] = event.timestamp
    plain: EventDict = event.to_dict()
    provider: str = plain["provider"]
    del detail, same, types, when, provider
    # `detail` narrowed to its provider's TypedDict once the provider is known.
    if event.provider == "centra":
        centra = cast(CentraDetail, event.detail)
        ids: List[str] = [e["id"] for e in centra["events"]]
        api: str = centra["api"]
        centra["notifications"]  # type: ignore[typeddict-item]
        del ids, api
    elif event.provider == "extend":
        extend = cast(ExtendDetail, event.detail)
        order = extend["notifications"][0]["details"]["order"]
        number: Optional[str] = order["order_number"] if order else None
        del number
    req = hookproof.sign("extend", b"{}", secret="s", now=1)
    req2 = hookproof.sign("centrali", "{}", secret="s", tolerance=60, id="msg_1",
                          event_type="record_created", generation="legacy")
    del req2
    header_map: "dict[str, str]" = req.headers
    raw: bytes = req.body
    method: str = req.method
    del header_map, raw, method
    echo: Optional[str] = hookproof.extend_echo_response("/x?echo=1")
    providers: Tuple[str, ...] = hookproof.PROVIDERS
    del providers
    return key or (resources[0]["id"] if resources else echo)


def typed_detail(headers: "dict[str, str]", body: bytes) -> None:
    """A literal provider gives a verifier, and its events, that provider's `detail` type."""
    centra = Verifier("centra", "secret")
    assert_type(centra, Verifier[CentraDetail])
    event = centra.verify_and_parse(headers, body)
    assert_type(event, Event[CentraDetail])
    assert_type(event.detail, CentraDetail)
    assert_type(event["detail"], CentraDetail)
    assert_type(event.provider, ProviderId)
    assert_type(event["provider"], ProviderId)
    assert_type(centra.parse(headers, body).detail["events"][0]["id"], str)
    event.detail["notifications"]  # type: ignore[typeddict-item]
    assert_type(Verifier("centrali", "whsec_a", generation="standard"), Verifier[CentraliDetail])
    assert_type(Verifier("orisha", "s", tolerance=60), Verifier[OrishaDetail])
    assert_type(Verifier("shopctrl", username="u", password="p"), Verifier[ShopCtrlDetail])
    assert_type(Verifier("extend", secrets=["a", "b"]), Verifier[ExtendDetail])
    assert_type(Verifier("standardwebhooks", "whsec_a", tolerance=False), Verifier[StandardWebhooksDetail])
    assert_type(hookproof.parse("extend", headers, body).detail, ExtendDetail)
    Verifier("centra", "s", tolerance="60")  # type: ignore[call-overload]
    # A provider only known at run time: `detail` is Any, as is a bare `Event`'s.
    some: ProviderId = "orisha" if body else "centra"
    assert_type(Verifier(some, "s").parse(headers, body).detail, Any)
    bare: Event = event
    assert_type(bare.detail, Any)
    # Covariant: an event of one provider is an Event like any other.
    events: List[Event] = [event, hookproof.parse("orisha", headers, body)]
    del events
    # A read-only Mapping, with a dict's views.
    as_mapping: Mapping[str, Any] = event
    assert_type(event.keys(), KeysView[str])
    assert_type(event.items(), ItemsView[str, Any])
    assert_type(event.values(), ValuesView[Any])
    plain: Dict[str, Any] = dict(event)
    event["detail"] = {}  # type: ignore[index]
    del as_mapping, plain
    # Narrowing an event whose provider is known only at run time.
    if hookproof.is_provider(bare, "extend"):
        assert_type(bare, Event[ExtendDetail])
        assert_type(bare.detail["notifications"][0]["action"], str)
    elif hookproof.is_provider(bare, "standardwebhooks"):
        assert_type(bare.detail["type"], Optional[str])
        bare.detail["events"]  # type: ignore[typeddict-item]
    hookproof.is_provider(bare, "shopify")  # type: ignore[call-overload]
    assert_type(hookproof.is_provider(bare, some), bool)
    dependency = WebhookDependency(Verifier("extend", "s"))
    assert_type(dependency, WebhookDependency[ExtendDetail])
    untyped: WebhookDependency = dependency
    del untyped
    # ShopCtrl's HMAC format built ahead (an unannotated dict is dict[str, str] to a checker).
    fmt: hookproof.HmacOptions = {"header": "X-Signature", "algorithm": "sha256", "encoding": "hex"}
    Verifier("shopctrl", "s", hmac=fmt)
    hookproof.sign("shopctrl", b"{}", secret="s", hmac=fmt)
    bad: hookproof.HmacOptions = {"header": "X", "algorithm": "md5", "encoding": "hex"}  # type: ignore[typeddict-item]
    # The Flask and Django helpers' event, typed (g and HttpRequest attributes are not).
    assert_type(flask_event(), Event[Any])
    assert_type(django_event(object()).resources, List[Resource])
    # A logging hook: sync or async, any return value; the error comes first.
    def log(error: WebhookVerificationError, request: Any) -> bool:
        return error.code == "payload_too_large"

    async def alog(error: WebhookVerificationError, request: Any) -> None: ...

    WebhookDependency(Verifier("extend", "s"), on_error=alog)
    verify_flask(centra, on_error=log)
    verify_django(centra, limit=10, on_error=alog)
    def wrong(message: str) -> None: ...

    WebhookDependency(Verifier("extend", "s"), on_error=wrong)  # type: ignore[arg-type]
    # Several providers in one mapping: a bare annotation gives `detail: Any` (without it mypy
    # joins the TypedDicts into one with no keys).
    by_provider: Dict[str, Verifier] = {"centra": centra, "orisha": Verifier("orisha", "s")}
    assert_type(by_provider["orisha"].parse(headers, body).detail, Any)
