// A Next.js edge route handler, as a user would write one: `hookproof` resolves through the
// package's `edge-light` condition. Options per provider come from receivers.json, which the
// test copies in from tests/.
import { Verifier, verifyRequest, WebhookVerificationError, statusFor, implementation } from 'hookproof';
import receivers from '../../../receivers.json';

export const runtime = 'edge';

const verifiers = new Map(); // built once per isolate, per provider

export async function POST(request, { params }) {
  const { provider } = await params;
  const setup = receivers.providers[provider];
  if (!setup) return new Response('not found', { status: 404 });
  try {
    // Inside the try, as the README advises: a bad option is then a 500 with its code.
    if (!verifiers.has(provider)) verifiers.set(provider, new Verifier(provider, setup.options));
    const { event } = await verifyRequest(request, verifiers.get(provider));
    return Response.json(event, { headers: { 'x-hookproof-implementation': implementation } });
  } catch (e) {
    if (e instanceof WebhookVerificationError) {
      return Response.json({ error: e.code, message: e.message, hint: e.hint }, { status: statusFor(e) });
    }
    throw e;
  }
}
