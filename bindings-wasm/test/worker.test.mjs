// The example Worker, bundled from the packed npm package the way a user's project gets it,
// runs in a real workerd on 127.0.0.1 and receives signed, tampered, stale and unsigned
// requests for every provider over HTTP.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkEveryProvider, receivers } from '../../bindings-node/test/helpers.mjs';
import { bindingsFor, bundle, checkLargeBody, installPacked, serve } from './workerd-harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const wasmDir = join(here, '..');
const pkgDir = join(wasmDir, '..', 'bindings-node');
const api = await import(join(pkgDir, 'index.mjs'));

let work;
let workerd;
let base;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'hookproof-worker-'));
  const app = installPacked(work, pkgDir);
  cpSync(join(wasmDir, 'example-worker', 'src'), join(app, 'src'), { recursive: true });
  const dist = join(app, 'dist');
  const script = bundle(join(app, 'src', 'index.js'), dist);
  const code = readFileSync(script, 'utf8');
  assert.ok(code.includes('hookproof_wasm_bg.wasm'), 'the bundle imports the wasm module');
  assert.ok(!code.includes('.node'), 'the native addon is not in the Worker bundle');
  ({ base, child: workerd } = await serve(dist, join(app, 'node_modules', 'hookproof', 'wasm', 'hookproof_wasm_bg.wasm'), { bindings: bindingsFor(receivers) }));
});

after(() => {
  workerd?.kill();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('workerd: every provider, valid / tampered / stale / unsigned', async () => {
  await checkEveryProvider(base, api);
});

test('workerd: a large body goes through the WebCrypto path and still verifies', async () => {
  await checkLargeBody(base, api);
});

test('workerd: the Extend registration echo', async () => {
  const res = await fetch(`${base}/webhooks/extend?echo=abc123`);
  assert.equal(await res.text(), 'abc123');
});
