// Bundles a Worker that imports "hookproof" and serves it with a real workerd on 127.0.0.1,
// installs the packed package as a user's project would, and checks a receiver's WebCrypto
// path: shared by the Worker, Deno, browser and Next.js tests, the benchmark and the end-to-end
// demo.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { receivers, vectorCases } from '../../bindings-node/test/helpers.mjs';

const wasmDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const bin = (name) => join(wasmDir, 'node_modules', '.bin', name);

/** How many cases runVectors must run: every case in tests/vectors. */
export const vectorTotal = () => vectorCases().length;

export function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * A user's project in `work`/app with the packed npm package installed from its tarball, the
 * way a user's project gets it: an empty one, or a copy of `fixture` with its own locked
 * dependencies installed first. Returns the app directory.
 */
export function installPacked(work, packageDir, fixture) {
  // Time limits: a blocking call that hangs also stops the test's own timer from firing.
  const limit = { timeout: 600000, killSignal: 'SIGKILL' };
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: packageDir, encoding: 'utf8', ...limit }).trim().split('\n').pop();
  const app = join(work, 'app');
  const npm = (...args) => execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund', ...args], { cwd: app, ...limit });
  if (fixture) {
    cpSync(fixture, app, { recursive: true });
    npm();
    npm('--no-save', join(work, tarball));
  } else {
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{"name":"hookproof-user","private":true,"type":"module"}');
    npm(join(work, tarball));
  }
  return app;
}

/**
 * Bundles `entry` into `outDir` as wrangler does for Workers (workerd/worker conditions, the
 * .wasm kept as a module). `packageDir` is the installed hookproof package to resolve, or
 * omit it to resolve "hookproof" from the entry's own node_modules.
 */
export function bundle(entry, outDir, packageDir) {
  mkdirSync(outDir, { recursive: true });
  const args = [entry, '--bundle', '--format=esm', '--platform=neutral', '--conditions=workerd,worker,browser',
    '--main-fields=module,main', '--external:*.wasm', '--log-level=warning', `--outfile=${join(outDir, 'worker.js')}`];
  if (packageDir) args.push(`--alias:hookproof=${join(packageDir, 'wasm', 'workerd.mjs')}`);
  execFileSync(bin('esbuild'), args, { cwd: dirname(entry) });
  return join(outDir, 'worker.js');
}

/** Writes config.capnp for the bundle and starts workerd; resolves once it answers. */
export async function serve(outDir, wasmFile, { port, bindings = {} } = {}) {
  cpSync(wasmFile, join(outDir, 'hookproof_wasm_bg.wasm'));
  port ??= await freePort();
  const texts = Object.entries(bindings).map(([k, v]) => `(name = ${JSON.stringify(k)}, text = ${JSON.stringify(v)})`);
  writeFileSync(join(outDir, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "hookproof_wasm_bg.wasm", wasm = embed "hookproof_wasm_bg.wasm"),
  ],
  compatibilityDate = "2025-11-01",
  bindings = [${texts.join(', ')}],
);
`);
  const child = spawn(bin('workerd'), ['serve', join(outDir, 'config.capnp')], { stdio: ['ignore', 'inherit', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  await untilAnswering(base, child, () => 'workerd did not start');
  return { base, child };
}

/**
 * Resolves once `base` answers HTTP. If `child` exits first, or `ms` pass, kills it and throws
 * `message()`.
 */
export async function untilAnswering(base, child, message, ms = 30000) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await fetch(`${base}/`);
      return;
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill();
        throw new Error(message());
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** A 20 KB Standard Webhooks body (verifyAsync MACs it with WebCrypto): accepted, and refused once altered. */
export async function checkLargeBody(base, api) {
  const setup = receivers.standardwebhooks;
  const payload = JSON.stringify({ type: 'big', data: 'x'.repeat(20000) });
  const req = api.sign('standardwebhooks', setup.options, payload);
  const ok = await fetch(`${base}/webhooks/standardwebhooks`, { method: 'POST', headers: req.headers, body: req.body });
  assert.equal(ok.status, 200);
  const bad = await fetch(`${base}/webhooks/standardwebhooks`, { method: 'POST', headers: req.headers, body: req.body.replace('xx', 'xy') });
  assert.equal(bad.status, 401);
  assert.equal((await bad.json()).error, 'signature_mismatch');
  // Over verifyRequest's default limit (1 MiB): 413, whether the length is stated or the body
  // comes chunked.
  const huge = api.sign('standardwebhooks', setup.options, JSON.stringify({ type: 'big', data: 'x'.repeat(1024 * 1024) }));
  const stated = await fetch(`${base}/webhooks/standardwebhooks`, { method: 'POST', headers: huge.headers, body: huge.body });
  assert.equal(stated.status, 413);
  assert.equal((await stated.json()).error, 'payload_too_large');
  const bytes = new TextEncoder().encode(huge.body);
  const stream = new ReadableStream({
    start(c) {
      for (let i = 0; i < bytes.length; i += 64 * 1024) c.enqueue(bytes.subarray(i, i + 64 * 1024));
      c.close();
    },
  });
  const chunked = await fetch(`${base}/webhooks/standardwebhooks`, { method: 'POST', headers: huge.headers, body: stream, duplex: 'half' });
  assert.equal(chunked.status, 413);
  assert.equal((await chunked.json()).error, 'payload_too_large');
}

/** The example Worker's env bindings for a tests/receivers.json setup. */
export function bindingsFor(receivers) {
  const out = {};
  for (const [provider, setup] of Object.entries(receivers)) {
    const name = provider.toUpperCase();
    const o = setup.options;
    if (o.secret) out[`${name}_SECRET`] = o.secret;
    if (o.username) Object.assign(out, { [`${name}_USERNAME`]: o.username, [`${name}_PASSWORD`]: o.password });
    if (o.hmac) out[`${name}_HMAC`] = JSON.stringify(o.hmac);
  }
  return out;
}
