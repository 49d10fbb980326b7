import type { RequestHandler } from 'express';
import type { Verifier, WebhookEvent } from './index.js';

export interface WebhookMiddlewareOptions {
  /** Largest body read, in bytes (default 1 MiB). */
  limit?: number;
  /** Unix seconds to verify at, or a function giving it (default: now). */
  now?: number | (() => number);
}

/** Express middleware: verifies, then sets `req.webhook` (the event) and `req.rawBody`. */
export function webhook(verifier: Verifier, options?: WebhookMiddlewareOptions): RequestHandler;
export default webhook;

declare global {
  namespace Express {
    interface Request {
      webhook?: WebhookEvent;
      rawBody?: Uint8Array;
    }
  }
}
