// Bundles a Worker that imports "hookproof" and serves it with a real workerd on 127.0.0.1,
// and installs the packed package as a user's project would: shared by the Worker and Deno
// tests, the benchmark and the end-to-end demo.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const wasmDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const bin = (name) => join(wasmDir, 'node_modules', '.bin', name);

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
 * way a user's project gets it. Returns the app directory.
 */
export function installPacked(work, packageDir) {
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: packageDir, encoding: 'utf8' }).trim().split('\n').pop();
  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), '{"name":"hookproof-user","private":true,"type":"module"}');
  execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund', join(work, tarball)], { cwd: app });
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
  const deadline = Date.now() + 30000;
  for (;;) {
    try {
      await fetch(`${base}/`);
      return { base, child };
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill();
        throw new Error('workerd did not start');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
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
