import assert from 'node:assert/strict';
import http from 'node:http';
import http2 from 'node:http2';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import vm from 'node:vm';
import Koa from 'koa';
import { toBytes } from '../lib/api.mjs';
import { checkEveryProvider, loadApi, receivers, signOptions, tamper, withServer } from './helpers.mjs';

const api = await loadApi();
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const HEADERS = {
  'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  'webhook-timestamp': '1614265330',
  'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const BODY = '{"test": 2432232314}';
const NOW = { now: 1614265330 };
const v = new api.Verifier('standardwebhooks', { secret: SECRET });

test('header shapes: object, string[] values, Headers, pairs, rawHeaders', () => {
  assert.equal(v.verify(HEADERS, BODY, NOW).timestamp, 1614265330);
  assert.ok(v.verify(new Headers(HEADERS), BODY, NOW));
  assert.ok(v.verify(Object.entries(HEADERS), BODY, NOW));
  assert.ok(v.verify(Object.entries(HEADERS).flat(), BODY, NOW));
  const upper = Object.fromEntries(Object.entries(HEADERS).map(([k, x]) => [k.toUpperCase(), x]));
  assert.ok(v.verify(upper, BODY, NOW));
  const dup = { ...HEADERS, 'webhook-signature': [HEADERS['webhook-signature'], HEADERS['webhook-signature']] };
  assert.throws(() => v.verify(dup, BODY, NOW), { code: 'duplicate_header' });
});

test('body shapes: string, Buffer, Uint8Array, ArrayBuffer, DataView', () => {
  const bytes = new TextEncoder().encode(BODY);
  for (const b of [BODY, Buffer.from(BODY), bytes, bytes.buffer, new DataView(bytes.buffer)]) {
    assert.ok(v.verify(HEADERS, b, NOW));
  }
});

test('a parsed object body is refused with the raw-body explanation', () => {
  assert.throws(() => v.verify(HEADERS, JSON.parse(BODY), NOW), (e) => e instanceof api.WebhookVerificationError && e.code === 'invalid_payload' && /raw request bytes/.test(e.message));
  // It says how to get the bytes in each framework the READMEs show.
  assert.throws(() => v.verify(HEADERS, JSON.parse(BODY), NOW), (e) =>
    ['express.raw(', "parseAs: 'buffer'", 'request.arrayBuffer()'].every((fix) => e.message.includes(fix)));
  // No body at all is a body a framework never kept (NestJS without rawBody, say), and says so.
  // It is the receiver's wiring, not the sender's payload: 500, and not shown to the sender.
  for (const missing of [undefined, null]) {
    assert.throws(() => v.verifyAndParse(HEADERS, missing, NOW), (e) =>
      e.code === 'invalid_option' && e.message.includes(`no body was given (${missing})`) && !e.message.includes('parsed object') &&
      ['rawBody: true', "parseAs: 'buffer'", 'ctx.req into a Buffer'].every((fix) => e.message.includes(fix)) && e.status === 500 && !e.expose);
  }
});

test("errors carry the status frameworks' error handlers read (Fastify, Koa), shown nowhere else", async () => {
  const mismatch = (() => {
    try {
      v.verify(HEADERS, BODY + ' ', NOW);
    } catch (e) {
      return e;
    }
  })();
  assert.deepEqual([mismatch.status, mismatch.statusCode, mismatch.expose], [401, 401, true]);
  const config = new api.WebhookVerificationError('unconfigured_scheme', 'no secret');
  assert.deepEqual([config.status, config.statusCode, config.expose], [500, 500, false]);
  assert.deepEqual(Object.keys(mismatch).sort(), ['code', 'hint', 'hintCode', 'name']);
  // Handlers assign them too (Koa: `this.status = err.status = statusCode`, in strict code).
  (() => {
    'use strict';
    config.status = 503;
    config.expose = true;
  })();
  assert.deepEqual([config.status, config.statusCode, config.expose], [503, 503, true]);
  mismatch.statusCode = 418;
  assert.deepEqual([mismatch.status, mismatch.statusCode], [418, 418]);
  // A Fastify route that lets the error through: its default handler answers 401 with the code.
  const { default: Fastify } = await import('fastify');
  const app = Fastify();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) => done(null, body));
  app.post('/hook', async (request) => v.verifyAndParse(request.raw.rawHeaders, request.body, NOW).event_types);
  try {
    const tampered = await app.inject({ method: 'POST', url: '/hook', headers: { ...HEADERS, 'content-type': 'application/json' }, payload: BODY + ' ' });
    assert.equal(tampered.statusCode, 401);
    assert.equal(tampered.json().code, 'signature_mismatch');
  } finally {
    await app.close();
  }
});

test('errors carry code, hint and hintCode, and are WebhookVerificationError', () => {
  try {
    v.verify(HEADERS, BODY + ' ', NOW);
    assert.fail('verified a tampered body');
  } catch (e) {
    assert.ok(e instanceof api.WebhookVerificationError && e instanceof Error);
    assert.equal(e.code, 'signature_mismatch');
    assert.equal(e.hintCode, 'body_reserialised');
    assert.match(e.hint, /raw request bytes/);
    assert.equal(e.name, 'WebhookVerificationError');
  }
  assert.throws(() => v.verify(HEADERS, BODY, { now: 1614265330 + 301 }), { code: 'timestamp_too_old' });
  assert.throws(() => new api.Verifier('stripe', { secret: 'x' }), { code: 'unknown_provider' });
  assert.throws(() => new api.Verifier('centra', { secret: '' }), { code: 'empty_secret' });
});

test('only the headers the core reads are passed on, matched as the core matches names', () => {
  const ok = (headers, what) => assert.equal(v.verify(headers, BODY, NOW).timestamp, 1614265330, what);
  const missing = (headers, what) => assert.throws(() => v.verify(headers, BODY, NOW), { code: 'missing_header' }, what);
  const entries = Object.entries(HEADERS);
  const upper = entries.map(([k, x]) => [k.toUpperCase(), x]);
  ok(Object.fromEntries(upper), 'object, upper case');
  ok(upper.flat(), 'rawHeaders');
  ok(new Headers(entries), 'Headers');
  ok(entries.map(([k, x]) => [` ${k.replace('w', 'W')}\t`, x]), 'ASCII white space around a name');
  // Not a match to the core: \v is not HTTP white space, the Kelvin sign not an ASCII `k`.
  for (const name of ['\vwebhook-id', 'webhoo\u212a-id', 'WEBHOO\u212a-ID', 'webhook-id\0']) {
    missing(entries.map(([k, x]) => [k === 'webhook-id' ? name : k, x]), JSON.stringify(name));
  }
  // A long run of white space inside a name (no HTTP parser passes one on, but an app's own
  // header source may) is no match, and one around a name is trimmed: in linear time (a
  // trimming regex took seconds here, backtracking over the run at every position).
  const run = ' '.repeat(100000);
  missing(entries.map(([k, x]) => [k === 'webhook-id' ? ` w${run}x` : k, x]), 'white space inside a name');
  ok(entries.map(([k, x]) => [`${run}${k}\t${run}`, x]), 'a long run of white space around a name');
  const nul = entries.map(([k, x]) => (k === 'webhook-id' ? [`${run}${k}${run}`, 'v\0'] : [k, x]));
  assert.throws(() => v.verify(nul, BODY, NOW), { code: 'malformed_header', message: /^the `webhook-id` header is malformed/ });
  // Other headers are not read at all.
  const other = { ...HEADERS };
  Object.defineProperty(other, 'x-other', { enumerable: true, get: () => assert.fail('read') });
  ok(other, 'a header the core does not read');
  // A ShopCtrl verifier also reads its configured header, of any length.
  // (U+0085 is white space to the core's trim, not to JS's.)
  for (const header of ['X-Sig', `X-${'Long'.repeat(10)}`, 'X-Sig\u0085']) {
    const hmac = { header, algorithm: 'sha256', encoding: 'hex' };
    const signed = api.sign('shopctrl', { secret: 's', hmac }, '{}', { now: 1 });
    const shopctrl = new api.Verifier('shopctrl', { secret: 's', hmac });
    const [[name, value]] = Object.entries(signed.headers).filter(([k]) => k.toLowerCase() === header.toLowerCase().replace('\u0085', ''));
    for (const k of [name, name.toUpperCase(), name.toLowerCase(), ` ${name} `]) {
      assert.equal(shopctrl.verify([[k, value], ['content-type', 'application/json']], signed.body).secretIndex, 0, k);
    }
  }
});

test('option values of the wrong type throw invalid_option from either backend', async () => {
  const invalid = (e) => e instanceof api.WebhookVerificationError && e.code === 'invalid_option';
  // A Date would otherwise reach the wasm build as milliseconds read as seconds.
  // Past 2^53 a number is no longer whole seconds; 2 ** 64 would saturate to the end of time.
  for (const now of [new Date(1614265330000), '1614265330', NaN, -1, Infinity, 2 ** 53, 2 ** 64]) {
    assert.throws(() => v.verify(HEADERS, BODY, { now }), invalid, String(now));
    assert.throws(() => v.verifyAndParse(HEADERS, BODY, { now }), invalid, String(now));
    await assert.rejects(v.verifyAsync(HEADERS, BODY, { now }), invalid, String(now));
    assert.throws(() => api.sign('standardwebhooks', { secret: SECRET }, BODY, { now }), invalid, String(now));
  }
  // ShopCtrl publishes no format: the digest and encoding are stated, never defaulted.
  for (const hmac of ['sha256', { header: 5 }, { header: 'x-sig', algorithm: 256 }, { algorithm: 'sha256' }, { header: 'x-sig' }, { header: 'x-sig', algorithm: 'sha1' }]) {
    assert.throws(() => new api.Verifier('shopctrl', { secret: 's', hmac }), invalid, JSON.stringify(hmac));
  }
  // A fraction of a second is dropped (`Date.now() / 1000`).
  assert.equal(v.verify(HEADERS, BODY, { now: 1614265330 + 300.9 }).timestamp, 1614265330);
  for (const tolerance of [2 ** 64, 1e300, 2 ** 53, 300.5, -1, NaN, '300']) {
    assert.throws(() => new api.Verifier('standardwebhooks', { secret: SECRET, tolerance }), invalid, String(tolerance));
  }
  assert.ok(new api.Verifier('standardwebhooks', { secret: SECRET, tolerance: 2 ** 53 - 1 }));
  // Each option is read once: the value checked is the value used.
  let reads = 0;
  const once = { get header() { return reads++ === 0 ? 'x-sig' : undefined; }, algorithm: 'sha1', encoding: 'hex' };
  assert.ok(new api.Verifier('shopctrl', { secret: 's', hmac: once }));
  // HTTP forbids NUL in fields (and headers cross joined by NUL): in a header the core reads
  // it is refused, as in Python; other headers are not passed on, so theirs do not matter.
  const entries = Object.entries(HEADERS);
  for (const withNul of [entries.map(([k, x]) => [k, k === 'webhook-id' ? `${x}\0` : x]), [...entries, [' Webhook-Id', 'a\0b']]]) {
    assert.throws(() => v.verify(withNul, BODY, NOW), (e) =>
      e.code === 'malformed_header' && /NUL character/.test(e.message) && !e.message.includes('\0'));
  }
  for (const extra of [['x-forwarded-for', 'a\0b'], ['x-odd\0name', 'v'], ['webhook-id\0', 'v']]) {
    assert.equal(v.verify([...entries, extra], BODY, NOW).timestamp, 1614265330, JSON.stringify(extra));
  }
  // A lone surrogate (only app code makes one) has no byte form a signer could have used: in a
  // value the core reads it is malformed, as in Python, and the message does not echo the value.
  const signature = HEADERS['webhook-signature'];
  assert.throws(() => v.verify({ ...HEADERS, 'webhook-signature': `${signature}\uD800` }, BODY, NOW), (e) =>
    e.code === 'malformed_header' && /`webhook-signature` header .* lone surrogate/.test(e.message) && !e.message.includes(signature));
  for (const extra of [['webhook-id\uD800', 'v'], ['x-forwarded-for', 'a\uDC00']]) {
    assert.equal(v.verify([...entries, extra], BODY, NOW).timestamp, 1614265330, JSON.stringify(extra));
  }
  // Headers of no header shape are the caller's mistake, not a bare TypeError.
  for (const headers of ['x-sig: 1', 5, true, [null], [{ 0: 'webhook-id', 1: 'x' }], [['webhook-id']], [['webhook-id', 'x', 'y']]]) {
    assert.throws(() => v.verify(headers, BODY, NOW), invalid, String(headers));
  }
  assert.ok(new api.Verifier('shopctrl', { secret: 's', hmac: { header: 'x-sig', algorithm: 'sha1', encoding: 'base64', prefix: null } }));
  // The time passed where the options go: `verify(headers, body, 1614265330)` would use the clock.
  for (const opts of [1614265330, '1614265330', true]) {
    assert.throws(() => v.verify(HEADERS, BODY, opts), invalid, String(opts));
    assert.throws(() => v.verifyAndParse(HEADERS, BODY, opts), invalid, String(opts));
    await assert.rejects(v.verifyAsync(HEADERS, BODY, opts), invalid, String(opts));
  }
  // The secret passed where the options go: `new Verifier('extend', process.env.SECRET)`.
  for (const options of ['s', 5, null]) {
    assert.throws(() => new api.Verifier('extend', options), invalid, String(options));
  }
});

test('secrets must be strings: an unset variable is not the key "undefined"', () => {
  const body = '{"Id":"1","Notifications":[]}';
  for (const secret of ['undefined', 'null']) {
    const req = api.sign('extend', { secret }, body, { now: 1 });
    for (const options of [{ secrets: [undefined, 'real'] }, { secrets: [null, 'real'] }]) {
      assert.throws(() => new api.Verifier('extend', options).verify(req.headers, req.body), { code: 'empty_secret' }, secret);
    }
  }
  const invalid = { code: 'invalid_option' };
  // A string as `secrets` would be spread into one-character keys.
  assert.throws(() => new api.Verifier('extend', { secrets: 'abc' }), invalid);
  assert.throws(() => new api.Verifier('extend', { secret: 5 }), invalid);
  assert.throws(() => new api.Verifier('shopctrl', { username: 'u', password: 7 }), invalid);
  // A hole is a missing secret, not skipped: skipping it would shift every secretIndex.
  assert.throws(() => new api.Verifier('extend', { secrets: [, 'real'] }), { code: 'empty_secret' }); // eslint-disable-line no-sparse-arrays
  // A lone surrogate would become U+FFFD: 'key\uD800' would verify what 'key\uFFFD' signed.
  for (const options of [{ secret: 'key\uD800' }, { secrets: ['ok', '\uDC00key'] }]) {
    assert.throws(() => new api.Verifier('extend', options), { code: 'invalid_secret' });
  }
  assert.throws(() => new api.Verifier('shopctrl', { username: 'u', password: 'p\uD800' }), { code: 'invalid_secret' });
  assert.throws(() => new api.Verifier('shopctrl', { username: 'u\uDC00', password: 'p' }), { code: 'invalid_secret' });
  for (const hmac of [{ header: 'x-sig', algorithm: 'sha1', encoding: 'hex', prefix: 'p\uD800=' }, { header: 'x\uDC00', algorithm: 'sha1', encoding: 'hex' }]) {
    assert.throws(() => new api.Verifier('shopctrl', { secret: 's', hmac }), { code: 'invalid_option', message: /lone surrogate/ });
  }
  assert.ok(new api.Verifier('extend', { secret: 'key\uD83D\uDE00' }), 'a surrogate pair is a character');
  // null is "not given", as in Python.
  assert.throws(() => new api.Verifier('shopctrl', { username: 'u', password: null }), { code: 'invalid_option' });
  const req = api.sign('extend', { secret: 'real' }, body, { now: 1 });
  assert.equal(new api.Verifier('extend', { secret: null, secrets: ['real'] }).verify(req.headers, req.body).secretIndex, 0);
});

test('misspelt option keys are refused, not ignored', () => {
  const invalid = (key) => (e) => e instanceof api.WebhookVerificationError && e.code === 'invalid_option' && e.message.includes(key);
  assert.throws(() => new api.Verifier('extend', { secret: 's', tolerence: 600 }), invalid('tolerence'));
  assert.throws(() => new api.Verifier('shopctrl', { secret: 's', hmac: { header: 'X-Sig', algoritm: 'sha1' } }), invalid('algoritm'));
  assert.throws(() => api.sign('orisha', { secret: 's' }, '{}', { now: 1, event_type: 'item.created' }), invalid('event_type'));
});

test('sign options of the wrong type throw invalid_option from either backend', () => {
  for (const opts of [{ id: 5 }, { eventType: ['x'] }, { generation: 1 }, { administrationCode: {} }, { triggeredById: true }]) {
    assert.throws(() => api.sign('orisha', { secret: 's' }, '{}', { now: 1, ...opts }), (e) => e instanceof api.WebhookVerificationError && e.code === 'invalid_option', JSON.stringify(opts));
  }
  assert.ok(api.sign('orisha', { secret: 's' }, '{}', { now: 1, eventType: 'item.created', id: null }));
  // A lone surrogate would be sent as U+FFFD, a value nobody gave.
  for (const opts of [{ id: 'e\uD800' }, { eventType: '\uDC00item' }, { administrationCode: 'A\uD800' }, { triggeredById: 'u\uDFFF' }]) {
    assert.throws(() => api.sign('orisha', { secret: 's' }, '{}', { now: 1, eventType: 'item.created', ...opts }), { code: 'invalid_option', message: /lone surrogate/ }, JSON.stringify(opts));
  }
  assert.ok(api.sign('orisha', { secret: 's' }, '{}', { now: 1, eventType: 'item.\uD83D\uDE00' }), 'a surrogate pair is a character');
});

test('the provider is reported by its id, whatever the spelling it was named with', () => {
  const req = api.sign('extend', { secret: 's' }, '{"Id":"1","Notifications":[]}', { now: 1 });
  const ext = new api.Verifier(' Extend ', { secret: 's' });
  assert.equal(ext.provider, 'extend');
  assert.equal(ext.verify(req.headers, req.body).provider, 'extend');
  assert.equal(ext.verifyAndParse(req.headers, req.body).provider, 'extend');
  assert.throws(() => new api.Verifier('stripe', { secret: 's' }), { code: 'unknown_provider' });
});

test("sign sends Orisha's administration and trigger headers when given", () => {
  const opts = { eventType: 'item.created', administrationCode: 'ADM01', triggeredById: 'user-7' };
  const req = api.sign('orisha', { secret: 's' }, '{"ItemCode":"A"}', opts);
  assert.equal(req.headers['X-Administration-Code'], 'ADM01');
  assert.equal(req.headers['X-TriggeredBy-Id'], 'user-7');
  const e = new api.Verifier('orisha', { secret: 's' }).verifyAndParse(req.headers, req.body);
  assert.equal(e.detail.administration_code, 'ADM01');
  assert.equal(e.detail.triggered_by_id, 'user-7');
  // Nothing signs X-Event-Id, Orisha's idempotency key: a second copy is refused, not dropped.
  const twice = { ...req.headers, 'X-Event-Id': [req.headers['X-Event-Id'], 'other'] };
  assert.throws(() => new api.Verifier('orisha', { secret: 's' }).verifyAndParse(twice, req.body), { code: 'duplicate_header' });
});

test('CommonJS and ESM share one error class', () => {
  if (process.env.HOOKPROOF_PACKAGE) return;
  const cjs = createRequire(import.meta.url)('../index.cjs');
  assert.equal(cjs.WebhookVerificationError, api.WebhookVerificationError);
});

test('tolerance: number, false, default now', () => {
  const lenient = new api.Verifier('standardwebhooks', { secret: SECRET, tolerance: false });
  assert.ok(lenient.verify(HEADERS, BODY, { now: 1614265330 + 10 ** 7 }));
  const strict = new api.Verifier('standardwebhooks', { secret: SECRET, tolerance: 10 });
  assert.throws(() => strict.verify(HEADERS, BODY, { now: 1614265330 + 11 }), { code: 'timestamp_too_old' });
  const fresh = api.sign('standardwebhooks', { secret: SECRET }, '{"type":"x"}');
  assert.ok(v.verify(fresh.headers, fresh.body).timestamp > 1_700_000_000);
});

test('Centra ids beyond 2^53 stay exact', () => {
  const big = '9007199254740993';
  const req = api.sign('centra', { secret: 's' }, `{"events":[{"type":"order","action":"create","id":${big}}]}`, { now: 1763900000 });
  const event = new api.Verifier('centra', { secret: 's' }).verifyAndParse(req.headers, req.body, { now: 1763900000 });
  assert.deepEqual(event.resources, [{ type: 'order', id: big, action: 'create' }]);
  assert.equal(event.detail.events[0].id, big);
});

test('verifyAsync agrees with verify on large bodies (the WebAssembly build MACs them with WebCrypto), with rotation', async () => {
  const now = 1763900000;
  for (const [provider, setup] of Object.entries(receivers)) {
    const payload = JSON.stringify({ note: 'x'.repeat(30000), n: 1 });
    const req = api.sign(provider, setup.options, payload, signOptions(setup, now));
    // The signing secret second of two: rotation picks index 1 on both paths.
    const { secret } = setup.options;
    const retired = secret?.startsWith('whsec_') ? 'whsec_cmV0aXJlZC1zZWNyZXQ' : 'retired-secret';
    const options = secret === undefined ? setup.options : { ...setup.options, secret: undefined, secrets: [retired, secret] };
    // First call on a fresh verifier (its WebCrypto keys are imported during the call): a
    // body buffer the caller reuses as soon as the call returns its promise is still MACed
    // as it was when passed.
    const reused = Buffer.from(req.body);
    const first = new api.Verifier(provider, options).verifyAsync(req.headers, reused, { now });
    reused.fill(0x20);
    const v = new api.Verifier(provider, options);
    const sync = v.verify(req.headers, req.body, { now });
    assert.deepEqual(await first, sync, provider);
    assert.deepEqual(await v.verifyAsync(req.headers, req.body, { now }), sync, provider);
    if (!setup.body_signed) {
      // Credentials only: a wrong one fails the same way on both paths.
      const wrong = new api.Verifier(provider, { ...options, ...(options.password ? { password: 'wrong' } : { secret: 'wrong', secrets: undefined }) });
      const code = (call) => call().then(() => 'ok', (e) => e.code);
      assert.equal(await code(async () => wrong.verify(req.headers, req.body, { now })), 'signature_mismatch', provider);
      assert.equal(await code(() => wrong.verifyAsync(req.headers, req.body, { now })), 'signature_mismatch', provider);
    }
    if (setup.body_signed) assert.equal(sync.secretIndex, 1, provider);
    // A changed body fails the same way on both paths, hint included (it needs the body).
    const tampered = req.body.replace('xxx', 'xyx');
    const outcome = async (call) => {
      try {
        return await call();
      } catch (e) {
        return { code: e.code, hintCode: e.hintCode };
      }
    };
    const expected = await outcome(() => v.verify(req.headers, tampered, { now }));
    assert.deepEqual(await outcome(() => v.verifyAsync(req.headers, tampered, { now })), expected, provider);
    if (setup.body_signed) assert.equal(expected.code, 'signature_mismatch', provider);
    // The hint too is of the body as passed, when the caller reuses a Buffer at once.
    const again = Buffer.from(tampered);
    const pending = outcome(() => v.verifyAsync(req.headers, again, { now }));
    again.fill(0x20);
    assert.deepEqual(await pending, expected, provider);
  }
});

test('a SharedArrayBuffer body, or a view of one, verifies on both paths (WebCrypto refuses shared views)', async () => {
  const now = 1763900000;
  const req = api.sign('extend', { secret: 's' }, JSON.stringify({ Id: 'a', note: 'x'.repeat(5000) }), { now });
  const bytes = new TextEncoder().encode(req.body);
  const view = new Uint8Array(new SharedArrayBuffer(bytes.length));
  view.set(bytes);
  const v = new api.Verifier('extend', { secret: 's' });
  const ok = { provider: 'extend', secretIndex: 0, timestamp: null };
  // Twice: the first call imports the verifier's WebCrypto keys, the second uses them.
  for (const body of [view, view, view.buffer, new DataView(view.buffer)]) {
    assert.deepEqual(await v.verifyAsync(req.headers, body, { now }), ok);
    assert.deepEqual(v.verify(req.headers, body, { now }), ok);
  }
  assert.equal(v.verifyAndParse(req.headers, view.buffer, { now }).idempotency_key, 'a');
  view[view.length - 2] ^= 1;
  await assert.rejects(v.verifyAsync(req.headers, view, { now }), { code: 'signature_mismatch' });
  // Shared bytes are copied once: the core reads a body twice (MAC, then parse), so another
  // thread writing between the reads would otherwise get unsigned content parsed.
  for (const body of [view, view.buffer, new DataView(view.buffer, 1)]) {
    const bytes = toBytes(body);
    assert.ok(bytes.buffer instanceof ArrayBuffer && bytes.byteLength === body.byteLength);
  }
  const plain = new Uint8Array(4);
  const same = toBytes(plain);
  assert.ok(same.buffer === plain.buffer && same.byteLength === 4, 'unshared bytes are not copied');
  // Its real buffer is checked, not what a subclass or an own property presents.
  class Posing extends Uint8Array {
    get buffer() {
      return new ArrayBuffer(this.length);
    }
  }
  const disguised = [new Posing(view.buffer), Object.defineProperty(new Uint8Array(view.buffer), 'buffer', { value: new ArrayBuffer(8) })];
  for (const body of disguised) assert.ok(toBytes(body) !== body && toBytes(body).buffer instanceof ArrayBuffer);
});

test('a polluted Object.prototype configures no verifier and runs no getter during sign', () => {
  const now = 1763900000;
  const setup = receivers.standardwebhooks;
  const req = api.sign('standardwebhooks', setup.options, setup.payload, { now });
  const year = { now: now + 365 * 86400 };
  const check = new api.Verifier('standardwebhooks', setup.options);
  for (const [key, value] of [['disableTolerance', true], ['tolerance', false], ['tolerance', 1e9], ['now', now]]) {
    Object.prototype[key] = value;
    try {
      const v = new api.Verifier('standardwebhooks', setup.options);
      assert.throws(() => v.verify(req.headers, req.body, year), { code: 'timestamp_too_old' }, key);
      // Without its own `now` the clock is used (this request is older than the tolerance).
      assert.throws(() => check.verify(req.headers, req.body, {}), { code: 'timestamp_too_old' }, key);
    } finally {
      delete Object.prototype[key];
    }
  }
  // The native addon borrows the payload while it converts the options: no JS may run then.
  const read = [];
  for (const key of ['triggeredById', 'administrationCode', 'hmac', 'generation']) {
    Object.defineProperty(Object.prototype, key, { get: () => read.push(key), configurable: true });
  }
  try {
    api.sign('orisha', { secret: 's' }, '{"ItemCode":"A"}', { eventType: 'item.created', now });
  } finally {
    for (const key of ['triggeredById', 'administrationCode', 'hmac', 'generation']) delete Object.prototype[key];
  }
  assert.deepEqual(read, []);
});

test('an ArrayBuffer from another realm is a body; an object posing as one is not', () => {
  const foreign = vm.runInNewContext('Uint8Array.from(bytes).buffer', { bytes: [...Buffer.from(BODY)] });
  assert.equal(foreign instanceof ArrayBuffer, false);
  assert.ok(v.verify(HEADERS, foreign, NOW));
  const fake = { [Symbol.toStringTag]: 'ArrayBuffer', byteLength: 20 };
  assert.throws(() => v.verify(HEADERS, fake, NOW), { code: 'invalid_payload' });
});

test('a detached body is refused as such on every call and backend, not read as empty bytes', async () => {
  const detach = (buffer) => structuredClone(buffer, { transfer: [buffer] }) && buffer;
  const bytes = () => new TextEncoder().encode(BODY);
  const bodies = [
    detach(bytes().buffer),
    (() => { const b = bytes(); detach(b.buffer); return b; })(),
    (() => { const b = new Uint16Array(4); detach(b.buffer); return b; })(),
    (() => { const b = new DataView(bytes().buffer); detach(b.buffer); return b; })(),
  ];
  const detached = (e) => e instanceof api.WebhookVerificationError && e.code === 'invalid_payload' && /detached/.test(e.message);
  for (const body of bodies) {
    assert.equal((body.buffer ?? body).byteLength, 0);
    assert.throws(() => v.verify(HEADERS, body, NOW), detached);
    await assert.rejects(v.verifyAsync(HEADERS, body, NOW), detached);
    assert.throws(() => v.verifyAndParse(HEADERS, body, NOW), detached);
    assert.throws(() => api.parse('standardwebhooks', HEADERS, body), detached);
    assert.throws(() => api.sign('standardwebhooks', { secret: SECRET }, body, { now: 1 }), detached);
  }
  // Detached by a getter in the options or sign options, which run before the body is taken.
  const late = () => {
    const b = bytes();
    return [b, { get now() { detach(b.buffer); return NOW.now; } }];
  };
  for (const call of [
    () => { const [b, o] = late(); return v.verify(HEADERS, b, o); },
    () => { const [b, o] = late(); return v.verifyAndParse(HEADERS, b, o); },
    () => { const [b, o] = late(); return api.sign('standardwebhooks', { secret: SECRET }, b, o); },
    () => { const [b] = late(); return api.sign('standardwebhooks', { get secret() { detach(b.buffer); return SECRET; } }, b, { now: 1 }); },
  ]) assert.throws(call, detached);
  {
    const [b, o] = late();
    await assert.rejects(v.verifyAsync(HEADERS, b, o), detached);
  }
  // A view past the end of a shrunk resizable buffer reads as zero bytes too.
  const rab = new ArrayBuffer(16, { maxByteLength: 64 });
  const past = [new Uint8Array(rab, 0, 8), new Int16Array(rab, 8, 4), new DataView(rab, 0, 8)];
  rab.resize(4);
  for (const body of past) {
    const shrunk = (e) => e instanceof api.WebhookVerificationError && e.code === 'invalid_payload' && /resizable/.test(e.message);
    assert.throws(() => v.verify(HEADERS, body, NOW), shrunk);
    assert.throws(() => api.sign('standardwebhooks', { secret: SECRET }, body, { now: 1 }), shrunk);
  }
  // Objects posing as typed arrays are not bodies.
  for (const body of [new Proxy(bytes(), {}), Object.create(Uint8Array.prototype)]) {
    assert.throws(() => v.verify(HEADERS, body, NOW), (e) => e.code === 'invalid_payload' && /raw request bytes/.test(e.message));
  }
  // Empty bodies that are not detached are bodies: they fail verification as such.
  const resizable = new ArrayBuffer(4, { maxByteLength: 8 });
  const tracking = new Uint8Array(resizable);
  resizable.resize(0);
  for (const body of ['', new Uint8Array(0), new ArrayBuffer(0), new Uint8Array(new SharedArrayBuffer(0)), new DataView(new ArrayBuffer(4), 4), tracking]) {
    assert.throws(() => v.verify(HEADERS, body, NOW), { code: 'signature_mismatch' });
  }
});

test('a body is read by its real length: a misstated `length` neither reads past it nor writes past the copy', () => {
  const misstate = (bytes, length) => Object.defineProperty(bytes, 'length', { value: length });
  const signed = api.sign('extend', { secret: 's' }, misstate(new TextEncoder().encode('{"a":1}'), 200), { now: 1 });
  assert.equal(signed.body, '{"a":1}');
  class Short extends Uint8Array {
    get length() {
      return 3;
    }
  }
  const req = api.sign('extend', { secret: 's' }, 'x'.repeat(5000), { now: 1 });
  const extend = new api.Verifier('extend', { secret: 's' });
  for (const body of [misstate(new Uint8Array(Buffer.from(req.body)), 3), new Short(Buffer.from(req.body))]) {
    assert.equal(extend.verify(req.headers, body, { now: 1 }).provider, 'extend');
  }
  // The wasm heap is intact afterwards.
  assert.equal(new api.Verifier('centra', { secret: 's' }).provider, 'centra');
  assert.equal(extend.verify(req.headers, req.body, { now: 1 }).provider, 'extend');
});

test('verifyAsync gives the body hint past leading white space, from the bytes passed at the call', async () => {
  const extend = new api.Verifier('extend', { secret: 's' });
  const body = ' '.repeat(5000) + '{"Id":"k","Notifications":[]}';
  const { headers } = api.sign('extend', { secret: 'other' }, body, { now: 1 });
  assert.throws(() => extend.verify(headers, body, { now: 1 }), { code: 'signature_mismatch', hintCode: 'body_reserialised' });
  await assert.rejects(extend.verifyAsync(headers, body, { now: 1 }), { code: 'signature_mismatch', hintCode: 'body_reserialised' });
  // A buffer the caller reuses once the call has started does not change the answer.
  const bytes = new TextEncoder().encode(body);
  const pending = extend.verifyAsync(headers, bytes, { now: 1 });
  bytes.fill(0x78);
  await assert.rejects(pending, { code: 'signature_mismatch', hintCode: 'body_reserialised' });
  // CRLF indentation (Extend's sender) is no re-serialised body, on WebCrypto's path too.
  const crlf = '{\r\n  "Id": "k",\r\n' + '  \r\n'.repeat(600) + '  "Notifications": []\r\n}';
  assert.ok(crlf.length > 2048);
  const signed = api.sign('extend', { secret: 'other' }, crlf, { now: 1 });
  assert.throws(() => extend.verify(signed.headers, crlf, { now: 1 }), { code: 'signature_mismatch', hintCode: null });
  await assert.rejects(extend.verifyAsync(signed.headers, crlf, { now: 1 }), { code: 'signature_mismatch', hintCode: null });
  // An empty body (read by something else first) is named; a blank one, on either path, is not empty.
  for (const call of ['verify', 'verifyAsync']) {
    await assert.rejects(async () => extend[call](headers, '', { now: 1 }), { code: 'signature_mismatch', hintCode: 'body_empty' }, call);
    await assert.rejects(async () => extend[call](headers, ' '.repeat(4096), { now: 1 }), { code: 'signature_mismatch', hintCode: null }, call);
  }
});

test('verifyRequest reads a fetch Request once', async () => {
  const req = api.sign('extend', { secret: 'secret123' }, '{"Id":"abc","Notifications":[]}', { now: 1 });
  const request = new Request('http://127.0.0.1/hooks', { method: 'POST', headers: req.headers, body: req.body });
  const extend = new api.Verifier('extend', { secret: 'secret123' });
  const { event, body } = await api.verifyRequest(request, extend);
  assert.equal(event.idempotency_key, 'abc');
  assert.equal(new TextDecoder().decode(body), req.body);
  const bad = new Request('http://127.0.0.1/hooks', { method: 'POST', headers: req.headers, body: req.body + ' ' });
  await assert.rejects(api.verifyRequest(bad, extend), { code: 'signature_mismatch' });
  // Read by the scheme's own names first: a missing header still names another provider's.
  const centra = new Request('http://127.0.0.1/hooks', { method: 'POST', headers: { 'x-centra-signature': 't=1,v1=00' }, body: req.body });
  await assert.rejects(api.verifyRequest(centra, extend), { code: 'missing_header', hintCode: 'other_provider' });
});

test('verifyRequest verifies and parses one copy of the headers', async () => {
  // A Request built in code has mutable headers: a change while the body streams in (or while
  // WebCrypto computes the MAC) must not reach either call.
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const payload = JSON.stringify({ type: 'x', pad: 'p'.repeat(4096) });
  const req = api.sign('standardwebhooks', { secret }, payload, { now: 1, id: 'msg_signed' });
  let request;
  const stream = new ReadableStream({
    pull(controller) {
      request.headers.set('webhook-id', 'msg_NOT_SIGNED');
      controller.enqueue(new TextEncoder().encode(payload));
      controller.close();
    },
  });
  request = new Request('http://127.0.0.1/hooks', { method: 'POST', headers: req.headers, body: stream, duplex: 'half' });
  const verifier = new api.Verifier('standardwebhooks', { secret });
  const { event } = await api.verifyRequest(request, verifier, { now: 1 });
  assert.equal(request.headers.get('webhook-id'), 'msg_NOT_SIGNED', 'the test changed the headers');
  assert.equal(event.idempotency_key, 'msg_signed');
});

test('a header added while verifyRequest reads the body is not verified', async () => {
  // A missing header makes the wrapper read every header again for the hint: not to accept.
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const payload = JSON.stringify({ type: 'x', pad: 'p'.repeat(4096) });
  const req = api.sign('standardwebhooks', { secret }, payload, { now: 1 });
  const { 'webhook-signature': signature, ...unsigned } = req.headers;
  let request;
  const stream = new ReadableStream({
    pull(controller) {
      request.headers.set('webhook-signature', signature);
      controller.enqueue(new TextEncoder().encode(payload));
      controller.close();
    },
  });
  request = new Request('http://127.0.0.1/hooks', { method: 'POST', headers: unsigned, body: stream, duplex: 'half' });
  const verifier = new api.Verifier('standardwebhooks', { secret });
  await assert.rejects(api.verifyRequest(request, verifier, { now: 1 }), { code: 'missing_header' });
  assert.equal(request.headers.get('webhook-signature'), signature, 'the test added the header');
});

test('verifyRequest calls a Verifier subclass\'s own methods', async () => {
  const calls = [];
  class Logged extends api.Verifier {
    verifyAsync(...args) {
      calls.push('verifyAsync');
      return super.verifyAsync(...args);
    }
    parse(...args) {
      calls.push('parse');
      return super.parse(...args);
    }
  }
  const req = api.sign('extend', { secret: 's' }, '{"Id":"abc","Notifications":[]}', { now: 1 });
  const request = new Request('http://127.0.0.1/hooks', { method: 'POST', headers: req.headers, body: req.body });
  const { event } = await api.verifyRequest(request, new Logged('extend', { secret: 's' }), { now: 1 });
  assert.equal(event.idempotency_key, 'abc');
  assert.deepEqual(calls, ['verifyAsync', 'parse']);
});

test('a fetch Headers gives what its entries give, Set-Cookie as the HMAC header too', () => {
  // Headers.get joins repeated Set-Cookie values, which forEach gives apart.
  const options = { secret: 's', hmac: { header: 'Set-Cookie', algorithm: 'sha256', encoding: 'hex' } };
  const req = api.sign('shopctrl', options, '{}', { now: 1 });
  const value = req.headers['Set-Cookie'] ?? req.headers['set-cookie'];
  const headers = new Headers([['set-cookie', value], ['set-cookie', value]]);
  const v = new api.Verifier('shopctrl', options);
  assert.throws(() => v.verify(headers, req.body), { code: 'duplicate_header' });
  assert.throws(() => v.verify([...headers], req.body), { code: 'duplicate_header' });
  assert.equal(v.verify(new Headers([['set-cookie', value]]), req.body).secretIndex, 0);
});

test('verifyRequest reads at most `limit` bytes: by Content-Length before reading, or as a stream grows', async () => {
  const extend = new api.Verifier('extend', { secret: 'secret123' });
  const payload = JSON.stringify({ Id: 'abc', Notifications: [], pad: 'x'.repeat(5000) });
  const req = api.sign('extend', { secret: 'secret123' }, payload);
  const post = (body, headers = req.headers) => new Request('http://127.0.0.1/hooks', { method: 'POST', headers, body, duplex: 'half' });
  // A stream that records how much of it was pulled.
  const chunked = (text, size) => {
    const bytes = new TextEncoder().encode(text);
    const state = { pulled: 0 };
    const stream = new ReadableStream({
      pull(c) {
        if (state.pulled >= bytes.length) return c.close();
        c.enqueue(bytes.slice(state.pulled, state.pulled + size));
        state.pulled += size;
      },
    });
    return { stream, state };
  };
  const tooLarge = (e) => e instanceof api.WebhookVerificationError && e.code === 'payload_too_large' && /exceeds 4096 bytes/.test(e.message) && api.statusFor(e) === 413;

  // Within the limit, stated or streamed: verified and parsed.
  assert.equal((await api.verifyRequest(post(req.body), extend)).event.idempotency_key, 'abc');
  const { stream } = chunked(req.body, 1000);
  const streamed = await api.verifyRequest(post(stream), extend);
  assert.equal(new TextDecoder().decode(streamed.body), req.body);
  assert.equal((await api.verifyRequest(post(req.body), extend, { limit: req.body.length })).body.length, req.body.length);

  // Over it: refused by the stated length without reading, and a stream is cancelled soon
  // after the limit rather than read to its end.
  const stated = post(req.body, { ...req.headers, 'content-length': String(req.body.length) });
  await assert.rejects(api.verifyRequest(stated, extend, { limit: 4096 }), tooLarge);
  const big = chunked(req.body + ' '.repeat(100000), 1000);
  await assert.rejects(api.verifyRequest(post(big.stream), extend, { limit: 4096 }), tooLarge);
  assert.ok(big.state.pulled < 10000, `read ${big.state.pulled} bytes`);
  // A Content-Length that understates the stream (a Request built in code) does not lift it.
  const understated = chunked(req.body + ' '.repeat(100000), 1000);
  await assert.rejects(api.verifyRequest(post(understated.stream, { ...req.headers, 'content-length': '10' }), extend, { limit: 4096 }), tooLarge);
  assert.ok(understated.state.pulled < 10000, `read ${understated.state.pulled} bytes`);
  // Chunks that are not bytes have no length to count: refused, not buffered past the limit.
  for (const chunk of [new ArrayBuffer(2048), 'x'.repeat(2048)]) {
    let pulled = 0;
    const odd = new ReadableStream({ pull(c) { pulled++ < 100 ? c.enqueue(chunk) : c.close(); } });
    await assert.rejects(api.verifyRequest(post(odd), extend, { limit: 4096 }), (e) => e.code === 'invalid_option' && /not a Uint8Array/.test(e.message));
    assert.ok(pulled < 5, `pulled ${pulled} chunks`);
  }
  // A stream that fails mid-body (a sender's reset connection, as Node's fetch Request, Bun
  // and Deno report it) is request_aborted, a 400, not the stream's own error (a 500).
  const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  const failing = new ReadableStream({
    start(c) {
      c.enqueue(new TextEncoder().encode(req.body.slice(0, 100)));
      c.error(reset);
    },
  });
  await assert.rejects(
    api.verifyRequest(post(failing), extend),
    (e) => e instanceof api.WebhookVerificationError && e.code === 'request_aborted' && e.cause === reset && api.statusFor(e) === 400,
  );
  // The body returned is the helper's own copy, not the producer's (pooled) memory.
  const pooled = Buffer.from(req.body);
  const own = await api.verifyRequest(post(new ReadableStream({ start(c) { c.enqueue(pooled); c.close(); } })), extend);
  assert.notEqual(own.body.buffer, pooled.buffer);
  assert.equal(own.body.byteLength, own.body.buffer.byteLength);
  // A body sent in many small chunks is copied as each arrives (one growing buffer, not an
  // object kept per chunk): right even when the producer reuses its chunk's memory.
  const long = api.sign('extend', { secret: 'secret123' }, JSON.stringify({ Id: 'long', Notifications: [], pad: 'x'.repeat(200000) }));
  const longBytes = new TextEncoder().encode(long.body);
  const reused = new Uint8Array(7);
  let at = 0;
  const trickle = new ReadableStream({
    pull(c) {
      if (at >= longBytes.length) return c.close();
      const piece = longBytes.subarray(at, at + reused.length);
      reused.set(piece);
      c.enqueue(piece.length === reused.length ? reused : reused.slice(0, piece.length));
      at += piece.length;
    },
  });
  const trickled = await api.verifyRequest(post(trickle, long.headers), extend);
  assert.equal(trickled.event.idempotency_key, 'long');
  assert.deepEqual(trickled.body, longBytes);
  assert.equal(trickled.body.byteLength, trickled.body.buffer.byteLength);
  // The default is 1 MiB.
  const huge = chunked(req.body + ' '.repeat(1024 * 1024), 64 * 1024);
  await assert.rejects(api.verifyRequest(post(huge.stream), extend), (e) => e.code === 'payload_too_large' && /exceeds 1048576 bytes/.test(e.message));

  const invalid = { code: 'invalid_option' };
  for (const limit of ['1mb', -1, 1.5, Infinity]) {
    await assert.rejects(api.verifyRequest(post(req.body), extend, { limit }), invalid, String(limit));
  }
  // null is "not given"; a misspelt or misplaced key is refused, not ignored.
  assert.ok(await api.verifyRequest(post(req.body), extend, { limit: null }));
  for (const opts of [{ limt: 10 }, { tolerance: 5 }]) {
    await assert.rejects(api.verifyRequest(post(req.body), extend, opts), invalid, Object.keys(opts)[0]);
  }
  // A body read already is named as such (the fetch API throws a bare TypeError).
  const used = post(req.body);
  await used.text();
  await assert.rejects(api.verifyRequest(used, extend), (e) => e.code === 'invalid_option' && /already read/.test(e.message));
  const twice = post(req.body);
  await api.verifyRequest(twice, extend);
  await assert.rejects(api.verifyRequest(twice, extend), (e) => e.code === 'invalid_option' && /already read/.test(e.message));
  // `now` is still checked, and applies.
  await assert.rejects(api.verifyRequest(post(req.body), extend, 1700000000), { code: 'invalid_option' });
  // A function `now` is the Express middleware's: refused before the body is read.
  const early = post(req.body);
  await assert.rejects(api.verifyRequest(early, extend, { now: () => 1 }), (e) => e.code === 'invalid_option' && /Express/.test(e.message));
  assert.equal(early.bodyUsed, false);
  const old = api.sign('centra', { secret: 's' }, '{"order":["1"]}', { now: 1000 });
  const centra = new api.Verifier('centra', { secret: 's' });
  await assert.rejects(api.verifyRequest(post(old.body, old.headers), centra), { code: 'timestamp_too_old' });
  assert.ok(await api.verifyRequest(post(old.body, old.headers), centra, { now: 1000, limit: 100 }));
});

test('a signed request prints its header names, not their values', async () => {
  const { inspect } = await import('node:util');
  const req = api.sign('orisha', { secret: 'very-secret-value' }, '{}', { eventType: 'item.created', now: 1 });
  const shown = inspect(req);
  assert.match(shown, /^SignedRequest \{ method: 'POST', headers: <content-type, X-Event-Id, X-Event-Type, X-Secret>, body: <2 bytes> \}$/);
  assert.ok(!shown.includes('very-secret-value'));
  // Still a plain object to send: the values are there, and the hook is not an own key.
  assert.equal(req.headers['X-Secret'], 'very-secret-value');
  assert.deepEqual(Object.keys(req), ['method', 'headers', 'body']);
});

test('sign returns the body it signed, byte for byte, or refuses', () => {
  const extend = new api.Verifier('extend', { secret: 's1' });
  for (const payload of ['\uFEFF{"Id":"k","Notifications":[]}', new TextEncoder().encode('\uFEFF{"Id":"k"}')]) {
    const r = api.sign('extend', { secret: 's1' }, payload, { now: 1 });
    assert.ok(r.body.startsWith('\uFEFF'), 'the BOM is kept');
    assert.equal(extend.verify(r.headers, r.body, { now: 1 }).provider, 'extend');
  }
  // Bytes that are not UTF-8 have no string form that is the same bytes.
  const latin1 = Buffer.concat([Buffer.from('{"Id":"k","Note":"'), Buffer.from([0xe9]), Buffer.from('"}')]);
  assert.throws(() => api.sign('extend', { secret: 's1' }, latin1, { now: 1 }), (e) => e.code === 'invalid_payload' && /not UTF-8/.test(e.message));
  // An object is the payload to send, not a request body: the advice is about sign.
  assert.throws(() => api.sign('extend', { secret: 's1' }, { Id: 'k' }, { now: 1 }), (e) =>
    e.code === 'invalid_payload' && e.message.includes('JSON.stringify(payload)') && !e.message.includes('express.raw'));
});

test('parse, sign options and the Extend echo helper', () => {
  const orisha = api.sign('orisha', { secret: 'sh' }, '{"ItemCode":"A"}', { eventType: 'item.created', id: 'e-1', now: 1 });
  assert.equal(orisha.headers['X-Event-Id'], 'e-1');
  const event = api.parse('orisha', orisha.headers, orisha.body);
  assert.deepEqual(event.resources, [{ type: 'item', id: 'A', action: 'created' }]);
  const legacy = api.sign('centrali', { secret: 's' }, '{"event":"record.created"}', { generation: 'legacy', now: 1 });
  assert.ok('X-Centrali-Signature' in legacy.headers);
  // `generation` pins a verifier; sign follows the pin unless its own options say otherwise.
  const pinned = api.sign('centrali', { secret: 's', generation: 'legacy' }, '{"event":"record.created"}', { now: 1 });
  assert.deepEqual(pinned.headers, legacy.headers);
  assert.throws(() => new api.Verifier('centrali', { secret: 's', generation: 'standard' }).verify(legacy.headers, legacy.body, { now: 1 }),
    (e) => e.code === 'missing_header' && e.hintCode === 'other_generation' && e.hint.includes('pinned to 6.1+') && e.hint.includes('forged or replayed'));
  assert.throws(() => api.sign('centrali', { secret: 's', generation: 'standard' }, '{}', { generation: 'legacy', now: 1 }), { code: 'invalid_option' });
  for (const generation of ['newest', 6.1]) {
    assert.throws(() => new api.Verifier('centrali', { secret: 's', generation }), { code: 'invalid_option' });
  }
  assert.throws(() => new api.Verifier('centra', { secret: 's', generation: 'legacy' }), { code: 'invalid_option' });
  assert.equal(api.extendEchoResponse('/hooks?echo=hi%20there'), 'hi there');
  assert.equal(api.extendEchoResponse('/hooks'), null);
});

test('Verifier does not reveal its secret', () => {
  const o = new api.Verifier('orisha', { secret: 'very-secret-value' });
  assert.ok(!String(o).includes('very-secret-value'));
  assert.ok(!JSON.stringify(o).includes('very-secret-value'));
});

test('verifyRequest reads a Node request stream (Koa\'s ctx.req, a plain http server)', { timeout: 60000 }, async () => {
  const verifiers = Object.fromEntries(Object.entries(receivers).map(([p, setup]) => [p, new api.Verifier(p, setup.options)]));
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const answer = (status, value) => {
      res.statusCode = status;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(value));
    };
    const verifying = async () => {
      if (url.searchParams.has('text')) req.setEncoding('utf8');
      if (url.searchParams.has('drained')) for await (const _ of req);
      if (url.searchParams.has('readable')) req.on('readable', () => {});
      if (url.searchParams.has('paused')) {
        req.pause(); // as earlier middleware may leave it
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // The sender goes away while earlier middleware awaits: settled, not pending forever.
      if (url.searchParams.has('gone')) await new Promise((resolve) => req.once('close', resolve));
      const { event, body } = await api.verifyRequest(req, verifiers[url.pathname.split('/')[2]], { limit: 64 * 1024 });
      assert.ok(body instanceof Uint8Array);
      return event;
    };
    try {
      answer(200, await verifying());
    } catch (e) {
      settled.push(e.code);
      for (const [name, value] of Object.entries(e.headers ?? {})) res.setHeader(name, value);
      answer(api.statusFor(e), { error: e.code, message: e.message });
    }
  });
  const settled = [];
  // A request sent in part, then dropped by the sender.
  const dropped = (base, query) =>
    new Promise((resolve) => {
      const req = http.request(`${base}/webhooks/extend${query}`, { method: 'POST', headers: { 'content-length': '1000' } });
      req.on('error', () => {});
      req.write('{"Id": "1", ', () => setTimeout(() => resolve(req.destroy()), 50));
    });
  const until = async (n) => {
    for (let i = 0; i < 200 && settled.length < n; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  };
  await withServer(server, async (base) => {
    await checkEveryProvider(base, api);
    const setup = receivers.extend;
    const signed = api.sign('extend', setup.options, setup.payload);
    const post = async (query, body = signed.body, extra = {}) => {
      // A stream nothing reads would leave the request pending: failed here, not hung.
      const signal = AbortSignal.timeout(5000);
      const res = await fetch(`${base}/webhooks/extend${query}`, { method: 'POST', headers: signed.headers, body, signal, ...extra });
      return [res.status, await res.json()];
    };
    const big = 'x'.repeat(70 * 1024);
    const statedRes = await fetch(`${base}/webhooks/extend`, { method: 'POST', headers: signed.headers, body: big });
    assert.deepEqual([statedRes.status, (await statedRes.json()).error], [413, 'payload_too_large']);
    // The rest is not read, so the connection must not be kept for another request.
    assert.equal(statedRes.headers.get('connection'), 'close');
    // No stated length: counted as it arrives.
    const chunked = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(big));
        c.close();
      },
    });
    const [counted, countedBody] = await post('', chunked, { duplex: 'half' });
    assert.deepEqual([counted, countedBody.error], [413, 'payload_too_large']);
    const [text, textBody] = await post('?text');
    assert.deepEqual([text, textBody.error], [500, 'invalid_option']);
    assert.match(textBody.message, /setEncoding/);
    const [drained, drainedBody] = await post('?drained');
    assert.deepEqual([drained, drainedBody.error], [500, 'invalid_option']);
    assert.match(drainedBody.message, /already read/);
    assert.equal((await post('?paused'))[0], 200);
    const [readable, readableBody] = await post('?readable');
    assert.deepEqual([readable, readableBody.error], [500, 'invalid_option']);
    settled.length = 0;
    await dropped(base, '');
    await dropped(base, '?gone');
    await until(2);
    assert.deepEqual(settled, ['request_aborted', 'request_aborted']);
  });
  // Koa's ctx.request (or ctx) is neither a Request nor a stream: said so, not a TypeError.
  const koaRequest = { headers: { 'content-type': 'application/json' }, req: {} };
  await assert.rejects(api.verifyRequest(koaRequest, verifiers.extend), { code: 'invalid_option', message: /ctx\.req/ });
});

test('verifyRequest on node:http2\'s compatibility request: a sender gone before the call is request_aborted', { timeout: 60000 }, async () => {
  // node:http2 ends an aborted request's stream: it read as "already read by a body parser".
  const extend = new api.Verifier('extend', receivers.extend.options);
  const seen = [];
  const server = http2.createServer(async (req, res) => {
    await new Promise((resolve) => (req.aborted ? resolve() : req.once('aborted', resolve)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    seen.push(await api.verifyRequest(req, extend).then(() => 'verified', (e) => e.code));
    if (!res.stream.destroyed) res.end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const client = http2.connect(`http://127.0.0.1:${server.address().port}`);
    client.on('error', () => {});
    const stream = client.request({ ':method': 'POST', ':path': '/', 'content-length': '1000' });
    stream.on('error', () => {});
    stream.write('{"Id": "1", ');
    await new Promise((resolve) => setTimeout(resolve, 50));
    stream.close(http2.constants.NGHTTP2_CANCEL);
    for (let i = 0; i < 200 && seen.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    client.close();
    assert.deepEqual(seen, ['request_aborted']);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test("Koa's own error handler answers verifyRequest's refusals: status, message, Connection: close", { timeout: 60000 }, async () => {
  // What the README says Koa does with an error a route lets through (expose, status, headers).
  const setup = receivers.extend;
  const verifier = new api.Verifier('extend', setup.options);
  const app = new Koa();
  app.silent = true; // Koa logs only 5xx; none is expected, and the test output stays clean
  app.use(async (ctx) => {
    const { event } = await api.verifyRequest(ctx.req, verifier, { limit: 1024 });
    ctx.body = { id: event.idempotency_key };
  });
  await withServer(app, async (base) => {
    const signed = api.sign('extend', setup.options, setup.payload);
    const post = (body, headers = signed.headers) =>
      fetch(`${base}/webhooks`, { method: 'POST', headers, body, signal: AbortSignal.timeout(5000) });
    const ok = await post(signed.body);
    assert.equal(ok.status, 200);
    assert.ok((await ok.json()).id);
    const [headers, body] = tamper(setup, signed.headers, signed.body);
    const forged = await post(body, headers);
    assert.equal(forged.status, 401);
    assert.match(await forged.text(), /signature/);
    const big = await post('x'.repeat(2048));
    assert.equal(big.status, 413);
    assert.equal(big.headers.get('connection'), 'close');
    assert.match(await big.text(), /1024 bytes/);
  });
});
