// Compiled with `tsc --noEmit` in CI: the declarations describe what users write.
import express from 'express';
import { Verifier, WebhookVerificationError, sign, verifyRequest, extendEchoResponse, type WebhookEvent } from 'hookproof';
import { webhook } from 'hookproof/express';

const centra = new Verifier('centra', { secret: 's', tolerance: 600 });
const rotated = new Verifier('standardwebhooks', { secrets: ['whsec_a', 'whsec_b'], tolerance: false });
const shop = new Verifier('shopctrl', { username: 'u', password: 'p', secret: 's', hmac: { header: 'X-Signature', algorithm: 'sha256', encoding: 'hex' } });

const app = express();
app.post('/hooks/centra', webhook(centra), (req, res) => {
  const event: WebhookEvent | undefined = req.webhook;
  res.json({ ids: event?.resources.map((r) => r.id) });
});

export async function handler(request: Request): Promise<Response> {
  try {
    const { event, body } = await verifyRequest(request, rotated);
    const key: string | null = event.idempotency_key;
    return new Response(`${key} ${body.byteLength}`);
  } catch (e) {
    if (e instanceof WebhookVerificationError) {
      const code: string = e.code;
      return new Response(JSON.stringify({ error: code, hint: e.hint }), { status: 401 });
    }
    throw e;
  }
}

const signed = sign('orisha', { secret: 's' }, '{"ItemCode":"A"}', { eventType: 'item.created', administrationCode: 'ADM01', triggeredById: 'user-7', now: 1 });
const verified = shop.verify(signed.headers, signed.body, { now: 1 });
// @ts-expect-error a parsed object is not a body
centra.verify({}, { a: 1 });
const index: number = verified.secretIndex;
const echo: string | null = extendEchoResponse('/x?echo=1');
void index;
void echo;
const pinned = new Verifier('centrali', { secret: 'whsec_a', generation: 'standard' });
// @ts-expect-error generation is 'legacy' or 'standard'
new Verifier('centrali', { secret: 's', generation: '6.0' });
void pinned;
