// hookproof vs the idiomatic node:crypto check, same run, ~2 KB Extend Commerce webhook.
//   node bench/bench.mjs
// Prints per-call times and ratios (idiomatic time / ours: above 1 means we are faster).
// Not a test: timings on shared machines swing; compare ratios from one run.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Verifier, implementation } from '../index.mjs';

const SECRET = 'secret123';
function makeBody(size = 2048) {
  const notifications = [];
  for (let i = 0; ; i++) {
    const body = JSON.stringify({ Id: '6e249eebb818463086ae0dda6eeba7b2', Attempt: 1, Properties: { NotificationId: '3b3fd4a6-36d5-46fe-8a3f-e73532529db3' }, Notifications: notifications }, null, 2).replace(/\n/g, '\r\n');
    if (body.length >= size) return Buffer.from(body);
    notifications.push({ Action: 'OrderCreated', Details: { OrderNumber: String(3339887 + i), OrderType: 'NormalOrder' } });
  }
}
const body = makeBody();
const headers = { 'content-type': 'application/json', 'ms-signature': 'sha256=' + createHmac('sha256', SECRET).update(body).digest('hex').toUpperCase() };
// What a receiver behind a proxy gets in Express's req.headers: a dozen more headers, which
// the idiomatic code never looks at and the binding must not pay for (it passes on only the
// ones the core reads).
const requestHeaders = {
  host: 'shop.example.com',
  'user-agent': 'Extend-Webhooks/2.0',
  accept: '*/*',
  'accept-encoding': 'gzip, deflate',
  'content-length': String(body.length),
  connection: 'close',
  'x-forwarded-for': '203.0.113.7',
  'x-forwarded-proto': 'https',
  'x-forwarded-host': 'shop.example.com',
  'x-real-ip': '203.0.113.7',
  'x-request-id': '3b3fd4a6-36d5-46fe-8a3f-e73532529db3',
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  ...headers,
};

// What the providers' docs show, done right: HMAC the raw body, constant-time compare.
function idiomaticVerify(h, b) {
  const expected = Buffer.from('sha256=' + createHmac('sha256', SECRET).update(b).digest('hex').toUpperCase());
  const got = Buffer.from(h['ms-signature']);
  return got.length === expected.length && timingSafeEqual(got, expected);
}
function idiomaticVerifyAndParse(h, b) {
  if (!idiomaticVerify(h, b)) throw new Error('bad signature');
  return JSON.parse(b.toString('utf8'));
}

const verifier = new Verifier('extend', { secret: SECRET });
const now = { now: Math.floor(Date.now() / 1000) };
if (!idiomaticVerify(headers, body)) throw new Error('baseline broken');
verifier.verify(headers, body, now);

// Best of several rounds, the two sides alternating, so that load from other processes on
// the machine hits both alike.
function compare(base, ours, { rounds = 9, n = 20000 } = {}) {
  for (let i = 0; i < 5000; i++) {
    base();
    ours();
  }
  let b = Infinity;
  let o = Infinity;
  const run = (fn) => {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    return Number(process.hrtime.bigint() - t) / n / 1000;
  };
  for (let r = 0; r < rounds; r++) {
    b = Math.min(b, run(base));
    o = Math.min(o, run(ours));
  }
  return [b, o];
}

// Reads what a receiver typically uses: the normalised fields (not `detail`).
const useEvent = (e) => e.event_types.length + e.resources.length + (e.idempotency_key ? 1 : 0);
// Also reads the provider model, which the native event converts on first access.
const useDetail = (e) => useEvent(e) + Object.keys(e.detail).length;

console.log(`body: ${body.length} bytes (Extend Commerce envelope), backend: ${implementation}, best of 9 alternating rounds`);
console.log(`${''.padEnd(26)}${'idiomatic'.padStart(12)}${'hookproof'.padStart(12)}${'ratio'.padStart(9)}  target`);
for (const [name, base, ours, target] of [
  ['verify', () => idiomaticVerify(headers, body), () => verifier.verify(headers, body, now), 1.8],
  ['verify, 14 headers', () => idiomaticVerify(requestHeaders, body), () => verifier.verify(requestHeaders, body, now), null],
  ['verify+parse', () => idiomaticVerifyAndParse(headers, body), () => verifier.verifyAndParse(headers, body, now), 1.2],
  ['verify+parse, fields read', () => idiomaticVerifyAndParse(headers, body).Notifications.length, () => useEvent(verifier.verifyAndParse(headers, body, now)), null],
  ['verify+parse, detail read', () => idiomaticVerifyAndParse(headers, body).Notifications.length, () => useDetail(verifier.verifyAndParse(headers, body, now)), null],
]) {
  const [b, o] = compare(base, ours);
  const ratio = b / o;
  const verdict = target === null ? '' : `  ${target}x ${ratio >= target ? 'met' : 'MISSED'}`;
  console.log(`${name.padEnd(26)}${b.toFixed(2).padStart(10)}us${o.toFixed(2).padStart(10)}us${ratio.toFixed(2).padStart(8)}x${verdict}`);
}
