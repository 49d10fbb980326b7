import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventOf, Verifier } from './index.cjs';

export interface WebhookMiddlewareOptions {
  /** Largest body read, in bytes (default 1 MiB). */
  limit?: number | null;
  /** Unix seconds to verify at, or a function giving it (default: now). */
  now?: number | (() => number) | null;
}

/**
 * Express middleware (Node's own `req` and `res` are enough: a plain `http` server or a Next.js
 * pages route can call it too): verifies, then sets `req.webhook` (the event) and `req.rawBody`,
 * and calls `next()`; a failure is answered, and an unexpected error goes to `next(err)`.
 */
export function webhook(verifier: Verifier, options?: WebhookMiddlewareOptions): WebhookHandler;
export type WebhookHandler = (
  req: IncomingMessage & { webhook?: EventOf; rawBody?: Uint8Array; body?: unknown },
  res: ServerResponse,
  next: (err?: unknown) => void,
) => void;
export default webhook;

declare global {
  namespace Express {
    interface Request {
      /** The event, typed per provider once `webhook.provider` is checked. */
      webhook?: EventOf;
      rawBody?: Uint8Array;
    }
  }
}
