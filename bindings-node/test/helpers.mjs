import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = process.env.HOOKPROOF_REPO ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The package under test: the dev tree by default, or HOOKPROOF_PACKAGE (an installed copy). */
export async function loadApi() {
  const spec = process.env.HOOKPROOF_PACKAGE ?? '../index.mjs';
  return import(spec);
}

/** Which backend the suite must be testing (HOOKPROOF_EXPECT=wasm for the wasm run). */
export const expectedImplementation = process.env.HOOKPROOF_EXPECT ?? 'native';

/** A vector case's body: its text, or the bytes of `body_base64`. */
export const bodyOf = (c) => (c.body_base64 !== undefined ? Buffer.from(c.body_base64, 'base64') : c.body);

export function vectorCases() {
  const dir = join(repo, 'tests', 'vectors');
  const out = [];
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const doc = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    for (const c of doc.cases) out.push([doc.provider, c]);
  }
  return out;
}

export const receivers = JSON.parse(readFileSync(join(repo, 'tests', 'receivers.json'), 'utf8')).providers;

/** Options of tests/receivers.json's `sign` (snake_case) for the JS API (camelCase). */
export function signOptions(setup, now) {
  const s = setup.sign ?? {};
  return {
    now,
    eventType: s.event_type,
    id: s.id,
    generation: s.generation,
    administrationCode: s.administration_code,
    triggeredById: s.triggered_by_id,
  };
}

/** A forgery of a valid request: one body byte changed, or for Orisha, which signs nothing, a wrong shared secret. */
export function tamper(setup, headers, body) {
  if (setup.body_signed) {
    const tampered = body.replace('1', '2');
    if (tampered === body) throw new Error('tamper changed nothing');
    return [headers, tampered];
  }
  return [Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, k.toLowerCase() === 'x-secret' ? v + 'x' : v])), body];
}

/** [label, headers, body, expected status, expected error code] for valid, tampered, stale and unsigned requests. */
export function variants(api, provider, now) {
  const setup = receivers[provider];
  const good = api.sign(provider, setup.options, setup.payload, signOptions(setup, now));
  const out = [['valid', good.headers, good.body, 200, null]];
  out.push(['tampered', ...tamper(setup, good.headers, good.body), 401, 'signature_mismatch']);
  const stale = api.sign(provider, setup.options, setup.payload, signOptions(setup, now - 3600));
  out.push(['stale', stale.headers, stale.body, ...(setup.signs_time ? [401, 'timestamp_too_old'] : [200, null])]);
  out.push(['unsigned', { 'content-type': good.headers['content-type'] }, good.body, 401, 'missing_header']);
  return out;
}

/** Runs `fn(base)` against `app` (Express) listening on 127.0.0.1, then closes it. */
export async function withServer(app, fn) {
  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    return await fn(`http://127.0.0.1:${server.address().port}`);
  } finally {
    server.closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
  }
}

/**
 * Posts every provider's valid, tampered, stale and unsigned requests (tests/receivers.json)
 * to a receiver's `${base}/webhooks/<provider>` (Express, a Worker, a Next.js route): a valid
 * one must answer with the event `verifyAndParse` gives, the others with their status and
 * error code. `onValid(res)` adds checks of a 200. Returns the number of requests sent.
 */
export async function checkEveryProvider(base, api, onValid = () => {}) {
  const now = Math.floor(Date.now() / 1000);
  let count = 0;
  for (const provider of Object.keys(receivers)) {
    for (const [label, headers, body, status, code] of variants(api, provider, now)) {
      const res = await fetch(`${base}/webhooks/${provider}`, { method: 'POST', headers, body });
      const json = await res.json();
      assert.equal(res.status, status, `${provider}/${label}: ${JSON.stringify(json)}`);
      if (status === 200) {
        onValid(res);
        const expected = new api.Verifier(provider, receivers[provider].options).verifyAndParse(headers, body, { now });
        assert.deepEqual(json, expected, `${provider}/${label}: event changed on the way`);
      } else {
        assert.equal(json.error, code, `${provider}/${label}: ${JSON.stringify(json)}`);
      }
      count++;
    }
  }
  assert.equal(count, 4 * Object.keys(receivers).length);
  return count;
}

/** tests/vectors/README.md's matching rules. */
export function subset(expected, actual, path = 'parsed') {
  if (expected === null) {
    if (actual !== null && actual !== undefined) throw new Error(`${path}: expected null, got ${JSON.stringify(actual)}`);
  } else if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) throw new Error(`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    expected.forEach((e, i) => subset(e, actual[i], `${path}[${i}]`));
  } else if (typeof expected === 'object') {
    if (typeof actual !== 'object' || actual === null) throw new Error(`${path}: expected an object, got ${JSON.stringify(actual)}`);
    for (const [k, v] of Object.entries(expected)) subset(v, actual[k], `${path}.${k}`);
  } else if (expected !== actual) {
    throw new Error(`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}
