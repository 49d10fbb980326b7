// The example Worker, bundled from the packed npm package the way a user's project gets it,
// runs in a real workerd on 127.0.0.1 and receives signed, tampered, stale and unsigned
// requests for every provider over HTTP.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkEveryProvider, receivers } from '../../bindings-node/test/helpers.mjs';
import { bindingsFor, bundle, checkLargeBody, installPacked, serve } from './workerd-harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const wasmDir = join(here, '..');
const pkgDir = join(wasmDir, '..', 'bindings-node');
const api = await import(join(pkgDir, 'index.mjs'));

let work;
let workerd;
let base;
let app;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'hookproof-worker-'));
  app = installPacked(work, pkgDir);
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
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.match(res.headers.get('content-type'), /^text\/plain/);
  assert.equal((await fetch(`${base}/webhooks/extend?echo=abc123`, { method: 'HEAD' })).status, 200, 'HEAD mirrors GET');
  // Other methods get 405 with the methods the route takes (RFC 9110: Allow is required).
  for (const [path, allow] of [['extend', 'GET, HEAD, POST'], ['centra', 'POST']]) {
    const put = await fetch(`${base}/webhooks/${path}`, { method: 'PUT', body: '{}' });
    assert.equal(put.status, 405);
    assert.equal(put.headers.get('allow'), allow);
  }
});

test('the example Worker answers a provider it cannot configure with 500 and the code', async () => {
  // Its module, run in Node against the same installed package: env is a plain object here.
  const worker = (await import(pathToFileURL(join(app, 'src', 'index.js')).href)).default;
  const post = (provider) => new Request(`http://127.0.0.1/webhooks/${provider}`, { method: 'POST', body: '{}' });
  for (const [provider, env, code] of [
    ['shopctrl', { SHOPCTRL_SECRET: 's', SHOPCTRL_HMAC: '{header: X-Zq-Custom' }, 'invalid_option'],
    ['extend', {}, 'unconfigured_scheme'],
  ]) {
    const res = await worker.fetch(post(provider), env);
    assert.equal(res.status, 500, provider);
    const answer = await res.json();
    assert.equal(answer.error, code, provider);
    assert.ok(!JSON.stringify(answer).includes('X-Zq-Custom'), 'the misconfigured value is not echoed');
  }
});

// What each runtime's bundler or loader asks the installed package for: a wrong `exports`
// entry (say `browser` -> the Node build) would otherwise pass every suite that imports a
// build by its path.
test('each runtime\'s export conditions resolve the installed package to its build', async () => {
  const { build } = await import('esbuild');
  const runtimes = [
    ['workerd (wrangler)', 'neutral', ['workerd', 'worker', 'browser'], 'wasm/workerd.mjs'],
    ['edge-light (Next.js, Vercel)', 'neutral', ['edge-light', 'worker', 'browser'], 'wasm/edge-light.mjs'],
    ['worker (webpack Web Worker)', 'neutral', ['worker', 'browser'], 'wasm/web.mjs'],
    ['browser (bundlers)', 'browser', [], 'wasm/web.mjs'],
    ['deno', 'neutral', ['deno'], 'wasm/web.mjs'],
    ['default (no known condition)', 'neutral', [], 'wasm/web.mjs'],
    ['node', 'node', [], 'index.mjs'],
  ];
  for (const [name, platform, conditions, entry] of runtimes) {
    const { metafile } = await build({
      stdin: { contents: "export * from 'hookproof';", resolveDir: app, loader: 'js' },
      absWorkingDir: app, bundle: true, write: false, metafile: true, format: 'esm', platform, conditions,
      mainFields: ['module', 'main'], external: ['*.wasm', '*.wasm?module', '*.node'], logLevel: 'silent',
    });
    const inputs = Object.keys(metafile.inputs);
    assert.ok(inputs.includes(`node_modules/hookproof/${entry}`), `${name}: ${inputs.join(', ')}`);
  }
});

// A user starts from the example's own files: its package.json must ask for the package as it
// is now (a version bump would leave it asking for an older one) and run wrangler on the
// wrangler.toml beside it, whose `main` is the module the tests above copy and run.
test('the example Worker\'s package.json and wrangler.toml name this package and its entry', () => {
  const example = join(wasmDir, 'example-worker');
  const pkg = JSON.parse(readFileSync(join(example, 'package.json'), 'utf8'));
  const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  assert.equal(pkg.dependencies.hookproof, `^${version}`);
  assert.ok(pkg.devDependencies.wrangler, 'wrangler bundles and deploys it');
  assert.equal(pkg.type, 'module');
  const main = readFileSync(join(example, 'wrangler.toml'), 'utf8').match(/^main = "(.+)"$/m)?.[1];
  assert.equal(main, 'src/index.js');
  assert.ok(existsSync(join(example, main)), main);
});
