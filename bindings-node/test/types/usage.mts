// Compiled with `tsc --noEmit` in CI: the declarations describe what users write.
import express from 'express';
import { createServer } from 'node:http';
import { createServer as createHttp2Server } from 'node:http2';
import { Verifier, WebhookVerificationError, sign, parse, verifyRequest, extendEchoResponse, type EventOf, type ProviderId, type WebhookEvent } from 'hookproof';
import { webhook } from 'hookproof/express';

const centra = new Verifier('centra', { secret: 's', tolerance: 600 });
const rotated = new Verifier('standardwebhooks', { secrets: ['whsec_a', 'whsec_b'], tolerance: false });
const shop = new Verifier('shopctrl', { username: 'u', password: 'p', secret: 's', hmac: { header: 'X-Signature', algorithm: 'sha256', encoding: 'hex' } });

const app = express();
app.post('/hooks/centra', webhook(centra), (req, res) => {
  const event: WebhookEvent | undefined = req.webhook;
  res.json({ ids: event?.resources.map((r) => r.id) });
  // req.webhook is every provider's event: its `provider` narrows `detail`.
  if (req.webhook?.provider === 'centra') {
    const ids: string[] = req.webhook.detail.events.map((e) => e.id);
    void ids;
  }
  // @ts-expect-error not narrowed: `events` is Centra's alone
  void req.webhook?.detail.events;
});

// An unset environment variable is `undefined`, which options take (exactOptionalPropertyTypes
// is on here); the runtime answers it with `unconfigured_scheme`.
const fromEnv = new Verifier('extend', { secret: process.env.EXTEND_SECRET, tolerance: undefined });
declare const maybeLimit: number | undefined;
declare const maybeNow: number | undefined;
fromEnv.verify([], '', { now: maybeNow });
app.post('/hooks/env', webhook(fromEnv, { limit: maybeLimit, onError: undefined }), (req, res) => {
  // The bytes as a Buffer, also where the app declares `rawBody` itself (below).
  res.send(req.rawBody?.toString('utf8'));
});
declare global {
  namespace Express {
    interface Request {
      rawBody?: Buffer;
    }
  }
}

// A hook sees each refusal, typed; annotating `req` gives the framework's request.
app.post(
  '/hooks/logged',
  webhook(centra, {
    onError: (error, req: express.Request) => {
      const code: string = error.code;
      const hint: string | null = error.hint;
      void [code, hint, req.ip];
    },
  }),
);
webhook(centra, { onError: async (error, req) => void [error.status, req.url] });
// A logger's return value is fine; a hook taking other arguments is not.
webhook(centra, { onError: (error) => console.error(error.code) !== undefined });
// @ts-expect-error the hook gets the error first, not a string
webhook(centra, { onError: (message: string) => void message });
// @ts-expect-error a function, not a logger object
webhook(centra, { onError: console });

// verifyRequest takes a Node request stream too (Koa's ctx.req): the event is typed per verifier.
createServer(async (req, res) => {
  const { event, body } = await verifyRequest(req, centra, { limit: 1024 });
  const ids: string[] = event.detail.events.map((e) => e.id);
  res.end(JSON.stringify({ ids, size: body.length }));
});
// node:http2's compatibility request as well.
createHttp2Server(async (req, res) => res.end((await verifyRequest(req, centra)).event.idempotency_key ?? ''));
// @ts-expect-error a parsed body is not a request
void verifyRequest({ rawHeaders: [] }, centra);

// On a plain node:http server (or a Next.js pages route): Node's own req and res.
const plain = webhook(rotated);
createServer((req, res) =>
  plain(req, res, (err) => {
    if (err) return void res.writeHead(500).end();
    const event: WebhookEvent | undefined = (req as typeof req & { webhook?: WebhookEvent }).webhook;
    res.end(JSON.stringify(event?.event_types));
  }),
);

// A verifier's events have its provider's `detail`.
const centraEvent = centra.verifyAndParse([], '');
const api: 'checkout' | 'storefront' | 'integration' = centraEvent.detail.api;
const eventId: string = centraEvent.detail.events[0].id;
// @ts-expect-error Centra event ids are decimal strings
const eventIdNumber: number = centraEvent.detail.events[0].id;
// @ts-expect-error a Centra event has no `notifications` (Extend's)
void centraEvent.detail.notifications;
const order: string | null = parse('extend', [], '').detail.notifications[0].details.order?.order_number ?? null;
const generation: 'legacy' | 'standard' = new Verifier('centrali', { secret: 's' }).parse([], '').detail.generation;
// Still a WebhookEvent, for code written against the untyped event.
const untyped: WebhookEvent = centraEvent;
// Any provider, chosen at run time: a union that `provider` narrows.
declare const chosen: ProviderId;
const anyEvent: EventOf = new Verifier(chosen, { secret: 's' }).parse([], '');
if (anyEvent.provider === 'shopctrl') {
  const entity: Record<string, unknown> | null = anyEvent.detail.entity_data;
  void entity;
}
void [api, eventId, eventIdNumber, order, generation, untyped];

export async function handler(request: Request): Promise<Response> {
  try {
    const { event, body } = await verifyRequest(request, rotated, { limit: 64 * 1024 });
    const key: string | null = event.idempotency_key;
    const type: string | null = event.detail.type;
    void type;
    return new Response(`${key} ${body.byteLength}`);
  } catch (e) {
    if (e instanceof WebhookVerificationError) {
      const code: string = e.code;
      const tooLarge: boolean = e.code === 'payload_too_large';
      const status: number = e.statusCode === e.status ? e.status : 500;
      const shown: boolean = e.expose;
      void shown;
      return new Response(JSON.stringify({ error: code, hint: e.hint }), { status: tooLarge ? 413 : status });
    }
    throw e;
  }
}

const signed = sign('orisha', { secret: 's' }, '{"ItemCode":"A"}', { eventType: 'item.created', administrationCode: 'ADM01', triggeredById: 'user-7', now: 1 });
const verified = shop.verify(signed.headers, signed.body, { now: 1 });
// @ts-expect-error a parsed object is not a body
centra.verify({}, { a: 1 });
// Bytes shared with a worker thread are a body.
void shop.verifyAsync(signed.headers, new SharedArrayBuffer(8), { now: 1 });
const index: number = verified.secretIndex;
const echo: string | null = extendEchoResponse('/x?echo=1');
void index;
void echo;
const pinned = new Verifier('centrali', { secret: 'whsec_a', generation: 'standard' });
// @ts-expect-error generation is 'legacy' or 'standard'
new Verifier('centrali', { secret: 's', generation: '6.0' });
void pinned;
// @ts-expect-error limit is a number of bytes
void verifyRequest(new Request('http://x'), pinned, { limit: '1mb' });
// Errors made in user code (a test's stub verifier, say) take the same fields.
const made = new WebhookVerificationError('signature_mismatch', 'forged', null, null);
// @ts-expect-error the code comes first, and is one of ErrorCode
new WebhookVerificationError('the signature did not match');
void made;
// @ts-expect-error ShopCtrl publishes no HMAC format: the digest and encoding are stated
new Verifier('shopctrl', { secret: 's', hmac: { header: 'X-Sig' } });
