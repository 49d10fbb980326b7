// Every case of tests/vectors/*.json. Runs against the native addon by default; the wasm run
// sets HOOKPROOF_FORCE_WASM=1 and HOOKPROOF_EXPECT=wasm.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bodyOf, expectedImplementation, loadApi, subset, vectorCases } from './helpers.mjs';

const api = await loadApi();
const cases = vectorCases();

test('the expected backend is loaded', () => {
  assert.equal(api.implementation, expectedImplementation);
  assert.ok(cases.length >= 100, `only ${cases.length} vectors`);
  // One vector file per provider the package offers (the browser and Deno runs go by the list).
  assert.deepEqual([...new Set(cases.map(([p]) => p))].sort(), [...api.providers].sort());
});

for (const [provider, c] of cases) {
  test(`${provider} / ${c.name}`, () => {
    const expect = c.expect;
    const options = { ...c.config };
    if (expect.config_error) {
      assert.throws(() => new api.Verifier(provider, options), (e) => e instanceof api.WebhookVerificationError && e.code === expect.config_error);
      return;
    }
    const verifier = new api.Verifier(provider, options);
    const body = bodyOf(c);
    check(verifier, c, c.headers, body);
    // As a fetch Headers too (read by name: see the Verifier's #headers), where it holds the
    // case as sent: no repeated name (Headers joins them) and no value it would trim.
    const fetchHeaders = asFetchHeaders(c.headers);
    if (fetchHeaders) check(verifier, c, fetchHeaders, body);
  });
}

function asFetchHeaders(pairs) {
  let h;
  try {
    h = new Headers(pairs);
  } catch {
    return null;
  }
  const names = new Set(pairs.map(([n]) => n.toLowerCase()));
  if (names.size !== pairs.length || pairs.some(([n, v]) => h.get(n) !== v)) return null;
  return h;
}

function check(verifier, c, headers, body) {
  const expect = c.expect;
  if (expect.error) {
    let err;
    try {
      verifier.verify(headers, body, { now: c.now });
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof api.WebhookVerificationError, `expected ${expect.error}, got ${err}`);
    assert.equal(err.code, expect.error, err.message);
    // No `hint` in the case: no hint expected.
    assert.equal(err.hintCode, expect.hint ?? null);
    if (expect.hint) assert.ok(err.message.includes(err.hint));
    for (const s of c.config.secrets ?? []) {
      if (s.trim().length >= 4) assert.ok(!`${err.message} ${err.stack}`.includes(s.trim()), 'secret in error');
    }
    return;
  }
  const v = verifier.verify(headers, body, { now: c.now });
  if ('secret_index' in expect) assert.equal(v.secretIndex, expect.secret_index);
  if ('timestamp' in expect) assert.equal(v.timestamp, expect.timestamp);
  if (c.parsed) subset(c.parsed, verifier.verifyAndParse(headers, body, { now: c.now }));
}
