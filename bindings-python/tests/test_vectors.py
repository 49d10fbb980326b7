"""Every case of tests/vectors/*.json, through the installed wheel."""

from collections.abc import Mapping
import typing
from typing import Any, Dict, Optional

import pytest

import hookproof
from conftest import body_of, vector_cases

CASES = vector_cases()


def subset(expected: Any, actual: Any, path: str = "parsed") -> None:
    """The matching rules of tests/vectors/README.md."""
    if expected is None:
        assert actual is None, f"{path}: expected null, got {actual!r}"
    elif isinstance(expected, dict):
        # The event itself is a read-only Mapping (hookproof.Event); everything inside is dicts.
        assert isinstance(actual, Mapping), f"{path}: expected an object, got {actual!r}"
        for k, v in expected.items():
            subset(v, actual.get(k), f"{path}.{k}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{path}: {actual!r}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            subset(e, a, f"{path}[{i}]")
    else:
        assert expected == actual and type(expected) is type(actual) or (
            isinstance(expected, (int, float)) and not isinstance(expected, bool) and expected == actual
        ), f"{path}: expected {expected!r}, got {actual!r}"


def options(config: Dict[str, Any]) -> Dict[str, Any]:
    return {k: v for k, v in config.items()}


def test_vectors_found() -> None:
    assert len(CASES) >= 100


def test_every_hint_code_is_typed_and_has_a_vector() -> None:
    # Both ways: a hint the stubs lack fails test_vector, a stale one fails here.
    hinted = {c["expect"]["hint"] for _, c in CASES if "hint" in c["expect"]}
    assert hinted == set(typing.get_args(hookproof.HintCode))


@pytest.mark.parametrize("provider,case", CASES, ids=[f"{p}/{c['name']}" for p, c in CASES])
def test_vector(provider: str, case: Dict[str, Any]) -> None:
    expect = case["expect"]
    if "config_error" in expect:
        with pytest.raises(hookproof.ConfigurationError) as info:
            hookproof.Verifier(provider, **options(case["config"]))
        assert info.value.code == expect["config_error"]
        assert info.value.code in typing.get_args(hookproof.ErrorCode)
        return
    verifier = hookproof.Verifier(provider, **options(case["config"]))
    headers = [(n, v) for n, v in case["headers"]]
    body = body_of(case)
    now: int = case["now"]
    if "error" in expect:
        with pytest.raises(hookproof.WebhookVerificationError) as info:
            verifier.verify(headers, body, now=now)
        err = info.value
        assert err.code == expect["error"], str(err)
        assert err.code in typing.get_args(hookproof.ErrorCode)
        # No "hint" in the case: no hint expected.
        assert err.hint_code == expect.get("hint")
        assert err.hint_code is None or err.hint_code in typing.get_args(hookproof.HintCode)
        if "hint" in expect:
            assert err.hint and err.hint in str(err)
        for secret in case["config"].get("secrets", []):
            if len(secret.strip()) >= 4:
                assert secret.strip() not in f"{err} {err!r}"
        return
    verified = verifier.verify(headers, body, now=now)
    if "secret_index" in expect:
        assert verified.secret_index == expect["secret_index"]
    if "timestamp" in expect:
        assert verified.timestamp == expect["timestamp"]
    if "parsed" in case:
        event = verifier.verify_and_parse(headers, body, now=now)
        subset(case["parsed"], event)
