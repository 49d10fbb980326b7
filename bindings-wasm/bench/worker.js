// Benchmark Worker: POST /<mode>?n=N verifies the request N times in one of three ways.
// workerd does not advance clocks during execution, so run.mjs times requests from outside.
import { Verifier } from 'hookproof';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const verifier = new Verifier('standardwebhooks', { secret: SECRET });
const keyBytes = Uint8Array.from(atob(SECRET.slice(6)), (c) => c.charCodeAt(0));
const enc = new TextEncoder();

// What a Worker author writes with WebCrypto: import the key and verify, per request.
async function idiomatic(headers, body) {
  const id = headers.get('webhook-id');
  const ts = headers.get('webhook-timestamp');
  const sig = headers.get('webhook-signature').split(' ')[0].split(',')[1];
  if (Math.abs(Date.now() / 1000 - Number(ts)) > 300) throw new Error('stale');
  const key = await crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  const prefix = enc.encode(`${id}.${ts}.`);
  const msg = new Uint8Array(prefix.length + body.length);
  msg.set(prefix);
  msg.set(body, prefix.length);
  const ok = await crypto.subtle.verify('HMAC', key, Uint8Array.from(atob(sig), (c) => c.charCodeAt(0)), msg);
  if (!ok) throw new Error('bad signature');
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const n = Number(url.searchParams.get('n') ?? '1');
    const body = new Uint8Array(await request.arrayBuffer());
    const headers = request.headers;
    const mode = url.pathname.slice(1);
    // Each side reads the request's Headers on every verification, as a Worker does once per
    // request (reading workerd's Headers costs microseconds: hoisting it favoured us).
    for (let i = 0; i < n; i++) {
      if (mode === 'idiomatic') await idiomatic(headers, body);
      else if (mode === 'sync') verifier.verify(headers, body);
      else if (mode === 'async') await verifier.verifyAsync(headers, body);
      else return new Response('unknown mode', { status: 404 });
    }
    return new Response('ok');
  },
};
