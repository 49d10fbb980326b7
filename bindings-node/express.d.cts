import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventOf, Verifier, WebhookVerificationError } from './index.cjs';

export interface WebhookMiddlewareOptions<Req extends IncomingMessage = IncomingMessage> {
  /** Largest body read, in bytes (default 1 MiB). */
  limit?: number | null | undefined;
  /** Unix seconds to verify at, or a function giving it (default: now). */
  now?: number | (() => number) | null | undefined;
  /**
   * Sees each refused request before it is answered, for logging or metrics (the answer's
   * `error`, `message` and `hint` go to the sender, not to your logs): a failed verification,
   * a body over the limit (`payload_too_large`), one a parser read first (`invalid_option`),
   * or a sender gone before its body ended (`request_aborted`, answered 400 to nobody).
   * A promise it returns is awaited; what it throws or rejects with goes to `next(err)`.
   * Annotate `req` as your framework's request type (`express.Request`) to read its fields.
   */
  onError?: ((error: WebhookVerificationError, req: Req) => unknown) | null | undefined;
}

/**
 * Express middleware (Node's own `req` and `res` are enough: a plain `http` server or a Next.js
 * pages route can call it too): verifies, then sets `req.webhook` (the event) and `req.rawBody`,
 * and calls `next()`; a failure is answered, and an unexpected error goes to `next(err)`.
 */
export function webhook<Req extends IncomingMessage = IncomingMessage>(
  verifier: Verifier,
  options?: WebhookMiddlewareOptions<Req>,
): WebhookHandler;
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
      /** The bytes verified. A Buffer, as apps that keep raw bodies commonly declare it. */
      rawBody?: Buffer;
    }
  }
}
