// A user's Next.js app (test/next-app, Next pinned in its own lock) with an edge route handler
// that imports the packed npm package by its name. Next resolves the `edge-light` condition:
// the .wasm must become a WebAssembly.Module binding of the edge function (the edge runtime
// forbids compiling bytes, as Workers do), not an asset fetched and compiled at run time. Built
// with Turbopack (Next's default) and with webpack, served by `next start` on 127.0.0.1, and
// sent signed, tampered, stale and unsigned requests for every provider.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkEveryProvider } from '../../bindings-node/test/helpers.mjs';
import { checkLargeBody, freePort, installPacked, untilAnswering } from './workerd-harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const pkgDir = join(repo, 'bindings-node');
const api = await import(join(pkgDir, 'index.mjs'));
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NO_COLOR: '1' };
// What Next prints when a route compiles WebAssembly at run time, or fetches the .wasm.
const DYNAMIC_WASM = /Dynamic WASM code generation|Dynamic Code Evaluation|instantiateStreaming|WebAssembly\.Module\(\)/;

let work;
let app;

before(() => {
  work = mkdtempSync(join(tmpdir(), 'hookproof-next-'));
  app = installPacked(work, pkgDir, join(here, 'next-app'));
  cpSync(join(repo, 'tests', 'receivers.json'), join(app, 'receivers.json'));
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const next = () => join(app, 'node_modules', '.bin', 'next');

async function start() {
  const port = await freePort();
  const child = spawn(next(), ['start', '-p', String(port), '-H', '127.0.0.1'], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  await untilAnswering(base, child, () => `next start did not answer:\n${log}`, 60000);
  return { base, child, log: () => log };
}

for (const builder of ['turbopack', 'webpack']) {
  test(`Next.js edge route (${builder}): the .wasm is a module binding; every provider, valid / tampered / stale / unsigned`, { timeout: 300000 }, async () => {
    rmSync(join(app, '.next'), { recursive: true, force: true });
    // Next prints its warnings on stderr.
    const build = spawnSync(next(), ['build', `--${builder}`], { cwd: app, env, encoding: 'utf8', timeout: 240000 });
    const built = `${build.stdout}${build.stderr}`;
    assert.equal(build.status, 0, built);
    assert.doesNotMatch(built, DYNAMIC_WASM, built);

    // What Vercel deploys: the function's WebAssembly bindings and its assets.
    const manifest = JSON.parse(readFileSync(join(app, '.next', 'server', 'middleware-manifest.json'), 'utf8'));
    const fn = manifest.functions['/webhooks/[provider]/route'];
    assert.ok(fn, `no edge function for the route: ${Object.keys(manifest.functions)}`);
    assert.equal(fn.wasm.length, 1, `one WebAssembly binding: ${JSON.stringify(fn.wasm)}`);
    assert.ok(Array.isArray(fn.assets), `the manifest lists the function's assets: ${JSON.stringify(fn)}`);
    assert.ok(!fn.assets.some((a) => a.name.endsWith('.wasm')), `no .wasm asset to fetch: ${JSON.stringify(fn.assets)}`);

    const server = await start();
    try {
      const count = await checkEveryProvider(server.base, api, (res) => assert.equal(res.headers.get('x-hookproof-implementation'), 'wasm'));
      await checkLargeBody(server.base, api);
      console.log(`next (${builder}): ${count + 2} requests answered by the edge route`);
    } finally {
      server.child.kill();
    }
    assert.doesNotMatch(server.log(), DYNAMIC_WASM, server.log());
  });
}
