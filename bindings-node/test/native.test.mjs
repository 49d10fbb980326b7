// The native addon's own transport: the split event form (flat or JSON head, raw, lazily parsed
// detail JSON) checked against the addon's whole-event JSON, the packed verify result, and the
// verifier table. (The wasm build returns the same split form, built by the same core function,
// through the API and vector suites.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { headerBlock } from '../lib/api.mjs';
import { bodyOf, expectedImplementation, loadApi, vectorCases } from './helpers.mjs';

const api = await loadApi();
const require = createRequire(import.meta.url);
const native = require('../native.cjs');

test('this suite runs against the native addon', () => {
  assert.equal(expectedImplementation, 'native', 'native.test.mjs is for the native backend only');
  assert.equal(api.implementation, 'native');
  assert.ok(native.raw, `no native addon: ${native.errors.join('; ')}`);
});

test('split events equal serde_json::to_value(&event) for every parseable vector', () => {
  let n = 0;
  for (const [provider, c] of vectorCases()) {
    if (!c.expect.ok) continue;
    const body = bodyOf(c);
    let whole;
    try {
      whole = JSON.parse(native.raw.parseJson(provider, headerBlock(c.headers), Buffer.from(body)));
    } catch {
      // Verifies but does not parse (e.g. a non-JSON body): the parse error path is tested
      // by the vectors; the split and whole forms have nothing to compare.
      assert.throws(() => api.parse(provider, c.headers, body), api.WebhookVerificationError);
      continue;
    }
    const event = api.parse(provider, c.headers, body);
    // Keys and their order, before and after the lazy `detail` is read.
    assert.deepEqual(Object.keys(event), Object.keys(whole), `${provider} / ${c.name}`);
    assert.equal(JSON.stringify(event), JSON.stringify(whole), `${provider} / ${c.name}`);
    const verifier = new api.Verifier(provider, c.config);
    const fresh = verifier.verifyAndParse(c.headers, body, { now: c.now });
    // A verifier pinned to a Centrali generation reads the request as that generation's, which
    // the free parse (no pin) may not: its own parse is the reference then.
    const expected = c.config.generation ? JSON.parse(JSON.stringify(verifier.parse(c.headers, body))) : whole;
    assert.deepStrictEqual(structuredClone(fresh), expected);
    assert.deepStrictEqual({ ...fresh }, expected);
    n++;
  }
  assert.ok(n >= 40, `only ${n} parseable vectors`);
});

test('flat heads: control characters fall back to JSON; empty, null and non-ASCII values survive', () => {
  const bodies = [
    // \u0000 and \u0001 would be ambiguous in the flat form: the head comes as JSON instead.
    '{"Id":"a\\u0001b","Notifications":[{"Action":"OrderCreated","Details":{"OrderNumber":"1"}}]}',
    '{"Id":"k","Notifications":[{"Action":"OrderCreated","Details":{"OrderNumber":"x\\u0000y"}}]}',
    // Empty strings, no notifications, non-ASCII text (raw then crosses as UTF-8).
    '{"Id":"","Notifications":[]}',
    '{"Id":"ü€😀","Notifications":[{"Action":"Ünknown","Details":{"OrderNumber":""}}]}',
  ];
  for (const body of bodies) {
    const whole = JSON.parse(native.raw.parseJson('extend', '', Buffer.from(body)));
    const [head] = native.raw.parse('extend', '', Buffer.from(body));
    assert.equal(head.startsWith('{'), /\\u000[01]/.test(body), `head form for ${body}`);
    const event = api.parse('extend', {}, body);
    assert.equal(JSON.stringify(event), JSON.stringify(whole), body);
    assert.equal(event.raw, body);
  }
  const cases = [
    ['a\u0001b', '1'],
    ['k', 'x\u0000y'],
  ];
  for (const [i, [key, id]] of cases.entries()) {
    const event = api.parse('extend', {}, bodies[i]);
    assert.equal(event.idempotency_key, key);
    assert.equal(event.resources[0].id, id);
  }
  // A null idempotency key, a null action and a timestamp (Standard Webhooks without id
  // cannot parse, so use Centra's ID map: no key, no action, a signed timestamp).
  const centra = api.sign('centra', { secret: 's' }, '{"products":["1","2"]}', { now: 1763900000 });
  const e = new api.Verifier('centra', { secret: 's' }).verifyAndParse(centra.headers, centra.body, { now: 1763900000 });
  assert.equal(e.idempotency_key, null);
  assert.deepEqual(e.resources, [
    { type: 'products', id: '1', action: null },
    { type: 'products', id: '2', action: null },
  ]);
  assert.equal(e.timestamp, 1763900000);
});

test('event.detail: converted on first read, then a plain data property; assignable', () => {
  const req = api.sign('extend', { secret: 's' }, '{"Id":"1","Notifications":[{"Action":"ProductChanged","Details":{"ProductNumber":"P1"}}]}', { now: 1 });
  const v = new api.Verifier('extend', { secret: 's' });
  const e = v.verifyAndParse(req.headers, req.body, { now: 1 });
  assert.equal(typeof Object.getOwnPropertyDescriptor(e, 'detail').get, 'function');
  const d = e.detail;
  assert.equal(d.notifications[0].details.product_number, 'P1');
  assert.equal(e.detail, d, 'the same object on every read');
  assert.equal(Object.getOwnPropertyDescriptor(e, 'detail').value, d);
  const e2 = v.verifyAndParse(req.headers, req.body, { now: 1 });
  // One getter for every event (a fresh one per object would put it in V8's slow mode).
  assert.equal(Object.getOwnPropertyDescriptor(e2, 'detail').get, Object.getOwnPropertyDescriptor(v.parse(req.headers, req.body), 'detail').get);
  assert.deepEqual(Object.getOwnPropertySymbols(e2).map((k) => Object.getOwnPropertyDescriptor(e2, k).enumerable), [false]);
  e2.detail = null;
  assert.equal(e2.detail, null);
  assert.ok(Object.keys(e2).includes('detail'));
});

test('packed verify results: rotation index, no timestamp, timestamps and indexes too big to pack', () => {
  const rotated = api.sign('extend', { secret: 'new' }, '{}', { now: 1 });
  assert.deepEqual(new api.Verifier('extend', { secrets: ['old', 'new'] }).verify(rotated.headers, rotated.body, { now: 1 }), { provider: 'extend', secretIndex: 1, timestamp: null });
  // The core accepts at most 12 digits (below 2^45, so every valid timestamp packs).
  for (const t of [0, 1, 1763900000, 999999999999]) {
    const req = api.sign('standardwebhooks', { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }, '{}', { now: t });
    const v = new api.Verifier('standardwebhooks', { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', tolerance: false });
    assert.deepEqual(v.verify(req.headers, req.body, { now: t }), { provider: 'standardwebhooks', secretIndex: 0, timestamp: t });
  }
  const secrets = Array.from({ length: 300 }, (_, i) => `secret-${i}`);
  const last = api.sign('centra', { secret: secrets[299] }, 'payload=%7B%7D', { now: 1763900000 });
  const v = new api.Verifier('centra', { secrets });
  assert.deepEqual(v.verify(last.headers, last.body, { now: 1763900000 }), { provider: 'centra', secretIndex: 299, timestamp: 1763900000 });
  const mid = api.sign('centra', { secret: secrets[255] }, 'payload=%7B%7D', { now: 1763900000 });
  assert.equal(v.verify(mid.headers, mid.body, { now: 1763900000 }).secretIndex, 255);
  // Not packed and no timestamp signed: null, as from a packed result (not left out).
  const unsigned = api.sign('extend', { secret: secrets[299] }, '{}', { now: 1 });
  assert.deepEqual(new api.Verifier('extend', { secrets }).verify(unsigned.headers, unsigned.body), { provider: 'extend', secretIndex: 299, timestamp: null });
});

test('header blocks: NUL is refused, many headers (beyond the stack fast path) work', () => {
  const req = api.sign('orisha', { secret: 'sh' }, '{"ItemCode":"A"}', { eventType: 'item.created', id: 'e-1', now: 1 });
  const v = new api.Verifier('orisha', { secret: 'sh' });
  assert.throws(() => v.verify({ ...req.headers, 'X-Event-Id': 'a\0b' }, req.body), { code: 'malformed_header' });
  // The API passes only the headers the core reads; the addon itself takes any number, past
  // its stack space for pairs (16).
  const many = { ...req.headers };
  for (let i = 0; i < 100; i++) many[`x-extra-${i}`] = 'v'.repeat(200);
  const inner = new native.addon.Verifier('orisha', { secrets: ['sh'] });
  assert.equal(inner.verify(headerBlock(many), Buffer.from(req.body), 1), -1, 'secret 0, no timestamp');
  assert.equal(v.verifyAndParse(many, req.body).idempotency_key, 'e-1');
});

test('collected verifiers free their slot in the native table', () => {
  // A child with --expose-gc: build many verifiers, drop them, collect, and check that new
  // ones reuse low ids instead of growing the table.
  const script = `
    const native = require(${JSON.stringify(require.resolve('../native.cjs'))});
    (async () => {
      for (let i = 0; i < 2000; i++) new native.addon.Verifier('centra', { secrets: ['s'] });
      for (let i = 0; i < 5; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 10)); }
      const id = native.raw.verifierNew('centra', { secrets: ['s'] });
      if (id >= 2000) { console.error('slot not reused: id ' + id); process.exit(1); }
      console.log('reused id ' + id);
    })();`;
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8', timeout: 30000 });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /reused id \d+/);
});

test('the addon works in worker threads (a verifier table per thread)', async () => {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     import(${JSON.stringify(new URL('../index.mjs', import.meta.url).href)}).then((api) => {
       const req = api.sign('extend', { secret: 'w' }, '{"Id":"from-worker"}', { now: 1 });
       const e = new api.Verifier('extend', { secret: 'w' }).verifyAndParse(req.headers, req.body, { now: 1 });
       parentPort.postMessage([api.implementation, e.idempotency_key]);
     });`,
    { eval: true },
  );
  const [impl, key] = await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  assert.deepEqual([impl, key], ['native', 'from-worker']);
});
