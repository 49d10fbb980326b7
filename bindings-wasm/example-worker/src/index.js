// Receives webhooks at /webhooks/<provider> and answers with the normalised event (200) or
// the error's code, message and hint (401; 400 for an authentic request with an invalid
// payload), as the Express helper does: the sender's delivery log then says what to fix.
// None of them holds a secret or a full signature.
// Secrets come from Worker env bindings: CENTRA_SECRET, CENTRALI_SECRET, ORISHA_SECRET,
// EXTEND_SECRET, STANDARDWEBHOOKS_SECRET, and for ShopCtrl SHOPCTRL_USERNAME,
// SHOPCTRL_PASSWORD, SHOPCTRL_SECRET and SHOPCTRL_HMAC (JSON). CENTRALI_GENERATION
// (`legacy` or `standard`) pins the Centrali generation the endpoint accepts: pin it once
// deliveries come in one generation (see the main README).
import { Verifier, verifyRequest, WebhookVerificationError, statusFor, extendEchoResponse, providers } from 'hookproof';

const verifiers = new Map(); // built once per isolate, per provider

function options(provider, env) {
  const name = provider.toUpperCase();
  const o = {};
  if (env[`${name}_SECRET`]) o.secret = env[`${name}_SECRET`];
  if (env[`${name}_USERNAME`]) o.username = env[`${name}_USERNAME`];
  if (env[`${name}_PASSWORD`]) o.password = env[`${name}_PASSWORD`];
  if (env[`${name}_HMAC`]) {
    try {
      o.hmac = JSON.parse(env[`${name}_HMAC`]);
    } catch {
      // Answered as the other configuration errors are: a 500 with its code.
      throw new WebhookVerificationError('invalid_option', `invalid option: ${name}_HMAC is not JSON such as {"header":"X-Signature","algorithm":"sha256","encoding":"hex"}`);
    }
  }
  if (env[`${name}_GENERATION`]) o.generation = env[`${name}_GENERATION`];
  return o;
}

function verifierFor(provider, env) {
  if (!verifiers.has(provider)) verifiers.set(provider, new Verifier(provider, options(provider, env)));
  return verifiers.get(provider);
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const match = url.pathname.match(/^\/webhooks\/([a-z]+)$/);
    if (!match || !providers.includes(match[1])) return new Response('not found', { status: 404 });
    const provider = match[1];
    if ((request.method === 'GET' || request.method === 'HEAD') && provider === 'extend') {
      // Extend Commerce's registration check.
      const echo = extendEchoResponse(request.url);
      if (echo === null) return new Response('missing echo', { status: 400 });
      // The caller's text: plain text that no browser may sniff as HTML.
      return new Response(echo, { headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' } });
    }
    if (request.method !== 'POST') {
      return new Response('method not allowed', { status: 405, headers: { allow: provider === 'extend' ? 'GET, HEAD, POST' : 'POST' } });
    }
    try {
      const { event } = await verifyRequest(request, verifierFor(provider, env));
      return Response.json(event);
    } catch (e) {
      if (e instanceof WebhookVerificationError) {
        return Response.json({ error: e.code, message: e.message, hint: e.hint }, { status: statusFor(e) });
      }
      throw e;
    }
  },
};
