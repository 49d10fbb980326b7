// A user's Next.js app (test/next-app, Next pinned in its own lock) with an edge route handler
// that imports the packed npm package by its name. Next resolves the `edge-light` condition:
// the .wasm must become a WebAssembly.Module binding of the edge function (the edge runtime
// forbids compiling bytes, as Workers do), not an asset fetched and compiled at run time. Built
// with Turbopack (Next's default) and with webpack, served by `next start` on 127.0.0.1, and
// sent signed, tampered, stale and unsigned requests for every provider.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { receivers, variants } from '../../bindings-node/test/helpers.mjs';
import { freePort } from './workerd-harness.mjs';

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
  app = join(work, 'app');
  cpSync(join(here, 'next-app'), app, { recursive: true });
  cpSync(join(repo, 'tests', 'receivers.json'), join(app, 'receivers.json'));
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: pkgDir, encoding: 'utf8' }).trim().split('\n').pop();
  execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund'], { cwd: app, env });
  execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund', '--no-save', join(work, tarball)], { cwd: app, env });
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
  const deadline = Date.now() + 60000;
  for (;;) {
    try {
      await fetch(`${base}/`);
      return { base, child, log: () => log };
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill();
        throw new Error(`next start did not answer:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
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
      const now = Math.floor(Date.now() / 1000);
      let count = 0;
      for (const provider of Object.keys(receivers)) {
        for (const [label, headers, body, status, code] of variants(api, provider, now)) {
          const res = await fetch(`${server.base}/webhooks/${provider}`, { method: 'POST', headers, body });
          const json = await res.json();
          assert.equal(res.status, status, `${provider}/${label}: ${JSON.stringify(json)}`);
          if (status === 200) {
            assert.equal(res.headers.get('x-hookproof-implementation'), 'wasm');
            const expected = new api.Verifier(provider, receivers[provider].options).verifyAndParse(headers, body, { now });
            assert.deepEqual(json, JSON.parse(JSON.stringify(expected)), `${provider}/${label}`);
          } else {
            assert.equal(json.error, code, `${provider}/${label}: ${JSON.stringify(json)}`);
          }
          count++;
        }
      }
      assert.equal(count, 4 * Object.keys(receivers).length);
      // A body from 2 KB goes through verifyAsync's WebCrypto path.
      const setup = receivers.standardwebhooks;
      const req = api.sign('standardwebhooks', setup.options, JSON.stringify({ type: 'big', data: 'x'.repeat(20000) }));
      const ok = await fetch(`${server.base}/webhooks/standardwebhooks`, { method: 'POST', headers: req.headers, body: req.body });
      assert.equal(ok.status, 200);
      const bad = await fetch(`${server.base}/webhooks/standardwebhooks`, { method: 'POST', headers: req.headers, body: req.body.replace('xx', 'xy') });
      assert.equal((await bad.json()).error, 'signature_mismatch');
      console.log(`next (${builder}): ${count + 2} requests answered by the edge route`);
    } finally {
      server.child.kill();
    }
    assert.doesNotMatch(server.log(), DYNAMIC_WASM, server.log());
  });
}
