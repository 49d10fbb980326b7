// Demo receiver: an Express app using the npm package, one route per provider, configured
// from tests/receivers.json. Usage: node express-receiver.mjs PORT
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..', '..', 'bindings-node');
const require = createRequire(join(pkg, 'package.json'));
const express = require('express');
const { Verifier } = await import(join(pkg, 'index.mjs'));
const { webhook } = await import(join(pkg, 'express.mjs'));

const { providers } = JSON.parse(readFileSync(join(here, '..', 'receivers.json'), 'utf8'));
const app = express();
for (const [provider, setup] of Object.entries(providers)) {
  app.post(`/webhooks/${provider}`, webhook(new Verifier(provider, setup.options)), (req, res) => {
    res.json({ accepted: true, event_types: req.webhook.event_types, resources: req.webhook.resources });
  });
}
const server = app.listen(Number(process.argv[2]), '127.0.0.1', () => console.log(`express receiver on ${server.address().port}`));
