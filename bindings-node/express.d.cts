import type { RequestHandler } from 'express';
import type { EventOf, Verifier } from './index.cjs';

export interface WebhookMiddlewareOptions {
  /** Largest body read, in bytes (default 1 MiB). */
  limit?: number | null;
  /** Unix seconds to verify at, or a function giving it (default: now). */
  now?: number | (() => number) | null;
}

/** Express middleware: verifies, then sets `req.webhook` (the event) and `req.rawBody`. */
export function webhook(verifier: Verifier, options?: WebhookMiddlewareOptions): RequestHandler;
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
