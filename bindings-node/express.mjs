// Express middleware: reads the raw body itself (or takes the Buffer from express.raw()),
// verifies it, puts the parsed event on `req.webhook` and the bytes on `req.rawBody`.
// Failures answer 401 (400 for an authentic request with an invalid payload or a sender gone
// mid-body, 413 for a body over the limit) with { error: code, message, hint }, after showing
// the error to `onError`.
import { WebhookVerificationError, statusFor } from './index.mjs';
import { ANSWERING_HELPER_KEYS, closeWhenAnswered, helperOptions, readNodeBody, tooLarge } from './lib/api.mjs';

// Answers with Node's own ServerResponse methods, which Express's `res` extends: the same
// middleware then serves a plain `http` server or a Next.js pages API route, where `res.status`
// or `res.set` is missing and calling it threw out of a stream listener (a crash per forged
// request).
function send(res, status, body) {
  // Answered already (a timeout middleware, say): setting a header now would throw out of a
  // stream listener.
  if (res.headersSent || res.writableEnded) return;
  const json = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(json);
}
const answer = (res, e) => send(res, statusFor(e), { error: e.code, message: e.message, hint: e.hint });
// Read already (by a parser that left req.body unset, too): no 'end' would ever come.
const consumed = () =>
  new WebhookVerificationError(
    'invalid_option',
    'a body parser (express.json() or express.urlencoded(); NestJS without rawBody: true; Next.js unless ' +
      'bodyParser: false) consumed the request before hookproof: mount the webhook route before it, use ' +
      'express.raw({ type: "*/*" }) on this route, or keep the bytes as req.rawBody in the parser\'s verify callback',
  );

export function webhook(verifier, options) {
  if (!verifier || typeof verifier.verifyAndParse !== 'function') {
    throw new TypeError('webhook(verifier): pass a hookproof Verifier built once at start-up');
  }
  // Checked when mounted: a bad `now` or `limit` would otherwise fail every request.
  const { limit, now, onError } = helperOptions(options, 'webhook()', ANSWERING_HELPER_KEYS);
  return function hookproofWebhook(req, res, next) {
    // The hook sees every refusal before it is answered (for logging: the answer goes to the
    // sender, not to the app's logs); a promise it returns is awaited, and what it throws goes
    // to next() like any unexpected error. `then` stops reading, once answered either way.
    const refuse = (e, then) => {
      const settle = () => {
        answer(res, e);
        then?.();
      };
      if (!onError) return settle();
      const hookFailed = (thrown) => {
        // Only an Error: next() with nothing would run the route for the refused request, and
        // next('route') another route.
        next(thrown instanceof Error ? thrown : new Error(`webhook(): onError threw ${String(thrown)}`, { cause: thrown }));
        then?.();
      };
      let seen;
      try {
        seen = onError(e, req);
      } catch (thrown) {
        return hookFailed(thrown);
      }
      // Through a real promise: a thenable whose `then` throws would otherwise throw out of a
      // stream listener (a crash), or settle twice.
      if (seen !== null && (typeof seen === 'object' || typeof seen === 'function')) Promise.resolve(seen).then(settle, hookFailed);
      else settle();
    };
    const finish = (body) => {
      let event;
      try {
        // rawHeaders keeps repeated headers apart, so duplicates are detected.
        event = verifier.verifyAndParse(req.rawHeaders ?? req.headers, body, { now: typeof now === 'function' ? now() : now });
      } catch (e) {
        if (!(e instanceof WebhookVerificationError)) return next(e);
        return refuse(e);
      }
      req.webhook = event;
      // A Buffer, as its type (and the usual `rawBody` declaration apps have) says.
      req.rawBody = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.length);
      next();
    };
    const tooBig = (then) => refuse(tooLarge(limit, 'webhook()'), then);
    const http2 = req.httpVersionMajor >= 2;
    // The bytes from express.raw(), from a body parser's `verify` callback that kept them as
    // req.rawBody (a common pattern), or from this middleware mounted twice.
    const given = [req.rawBody, req.body].find((b) => b instanceof Uint8Array);
    if (given) {
      if (given.length > limit) return tooBig();
      return finish(given);
    }
    // (An aborted HTTP/2 request reads as ended too: readNodeBody reports that.)
    if (req.readableEnded && !req.aborted) return refuse(consumed());
    // Refused before reading when the request states its size; on HTTP/1 the rest of the body
    // is discarded unread, and the connection closed after the answer.
    if (Number(req.headers?.['content-length']) > limit && !req.aborted) {
      if (http2) {
        // resume() would read and discard all the sender sends: the stream is reset instead.
        closeWhenAnswered(req);
      } else {
        // Not once answered (it throws). (HTTP/2 has no such header: Node warns.)
        if (!res.headersSent) res.setHeader('Connection', 'close');
        req.resume();
      }
      return tooBig();
    }
    // Read as verifyRequest reads a Node stream. A refusal (a body growing past the limit, a
    // text stream, a sender gone mid-body) is answered and the request destroyed: its rest is
    // not read, so the connection cannot serve another request.
    readNodeBody(req, limit, 'webhook()').then(
      (body) => finish(Buffer.from(body.buffer, body.byteOffset, body.length)),
      (e) => {
        if (!(e instanceof WebhookVerificationError)) return next(e);
        for (const [name, value] of Object.entries(e.headers ?? {})) if (!res.headersSent) res.setHeader(name, value);
        // (HTTP/2: destroy() would leave the stream open; readNodeBody resets it once answered.)
        refuse(e, () => (http2 ? undefined : req.destroy?.()));
      },
    );
  };
}

export default webhook;
