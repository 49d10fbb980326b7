// A CommonJS TypeScript file, checked under `--module node16` (tsconfig.node16.json) as well
// as nodenext: TypeScript lets a CommonJS file import a package's types only if the `require`
// condition gives CommonJS declarations (index.d.cts).
import hookproof = require('hookproof');
import { Verifier, WebhookVerificationError, type EventOf, type ErrorCode } from 'hookproof';
import express = require('express');
import { webhook } from 'hookproof/express';
import expressEntry = require('hookproof/express');

const extend = new Verifier('extend', { secret: 's' });
const signed = hookproof.sign('extend', { secret: 's' }, '{"Id":"1"}');
const event: EventOf<'extend'> = extend.verifyAndParse(signed.headers, signed.body);
const impl: 'native' | 'wasm' = hookproof.implementation;
// The ES module's default export is the same API object; require() gives it as `default`.
const sameApi: typeof hookproof.Verifier = hookproof.default.Verifier;

try {
  extend.verify({}, '');
} catch (e) {
  if (e instanceof WebhookVerificationError) {
    const code: ErrorCode = e.code;
    void code;
  }
}

const app = express();
app.post('/hooks/extend', webhook(extend), (req, res) => {
  if (req.webhook?.provider === 'extend') res.json({ key: req.webhook.idempotency_key });
});
const sameMiddleware: typeof webhook = expressEntry.default;
void [event, impl, sameApi, sameMiddleware];
