// A real Express server on 127.0.0.1 receives signed, tampered, stale and unsigned requests
// for every provider over HTTP.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import express from 'express';
import { checkEveryProvider, loadApi, receivers, withServer } from './helpers.mjs';

const api = await loadApi();
const { webhook } = await import(process.env.HOOKPROOF_EXPRESS ?? '../express.mjs');

function appFor(mode) {
  const app = express();
  for (const [provider, setup] of Object.entries(receivers)) {
    const verifier = new api.Verifier(provider, setup.options);
    const handlers = [webhook(verifier), (req, res) => res.json(req.webhook)];
    if (mode === 'raw') handlers.unshift(express.raw({ type: '*/*' }));
    app.post(`/webhooks/${provider}`, ...handlers);
  }
  return app;
}

for (const mode of ['stream', 'raw']) {
  test(`express (${mode === 'raw' ? 'after express.raw()' : 'reads the body itself'}): every provider`, async () => {
    await withServer(appFor(mode), (base) => checkEveryProvider(base, api));
  });
}

test('express.json() before the middleware is reported, not silently mis-verified', async () => {
  const app = express();
  const setup = receivers.standardwebhooks;
  app.post('/hook', express.json(), webhook(new api.Verifier('standardwebhooks', setup.options)), (req, res) => res.json(req.webhook));
  await withServer(app, async (base) => {
    const req = api.sign('standardwebhooks', setup.options, setup.payload);
    const res = await fetch(`${base}/hook`, { method: 'POST', headers: req.headers, body: req.body });
    assert.equal(res.status, 500);
    assert.match((await res.json()).message, /body parser/);
  });
});
