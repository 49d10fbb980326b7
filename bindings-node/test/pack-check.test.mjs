// The `prepack` check (scripts/check-pack.mjs) in a scratch copy of the layout it reads: it
// refuses a package without a backend, or with one built before its sources last changed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const script = join(dirname(fileURLToPath(import.meta.url)), '..', 'scripts', 'check-pack.mjs');
const outputs = ['hookproof.linux-x64-gnu.node', 'wasm/hookproof_wasm_bg.wasm', 'wasm/web.mjs', 'wasm/node.cjs', 'wasm/node/hookproof_wasm.js'];
const sources = ['core/src/lib.rs', 'bindings-node/src/lib.rs', 'bindings-wasm/src/lib.rs', 'bindings-wasm/js/backend.mjs', 'Cargo.lock'];

function layout(t) {
  const root = mkdtempSync(join(tmpdir(), 'hookproof-pack-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const put = (file, seconds) => {
    const path = join(root, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, '');
    utimesSync(path, seconds, seconds);
  };
  mkdirSync(join(root, 'bindings-node/scripts'), { recursive: true });
  copyFileSync(script, join(root, 'bindings-node/scripts/check-pack.mjs'));
  for (const f of sources) put(f, 1_000);
  for (const f of outputs) put(join('bindings-node', f), 2_000);
  const run = () => spawnSync(process.execPath, [join(root, 'bindings-node/scripts/check-pack.mjs')], { encoding: 'utf8' });
  return { root, put, run };
}

test('packs when both backends were built after their sources', (t) => {
  const r = layout(t).run();
  assert.equal(r.status, 0, r.stderr);
});

test('refuses a missing backend, naming the build to run', (t) => {
  const { root, run } = layout(t);
  rmSync(join(root, 'bindings-node/hookproof.linux-x64-gnu.node'));
  rmSync(join(root, 'bindings-node/wasm/web.mjs'));
  const r = run();
  assert.equal(r.status, 1);
  assert.match(r.stderr, /hookproof\.<platform>\.node missing: run npm run build\n/);
  assert.match(r.stderr, /wasm\/web\.mjs missing: run npm run build:wasm/);
});

test('refuses a backend older than a source it is built from', (t) => {
  const { put, run } = layout(t);
  put('bindings-wasm/js/backend.mjs', 3_000);
  let r = run();
  assert.equal(r.status, 1);
  assert.match(r.stderr, /bindings-wasm\/js changed after wasm\/hookproof_wasm_bg\.wasm was built: run npm run build:wasm/);
  assert.doesNotMatch(r.stderr, /npm run build\n/, 'the addon does not read the wasm glue');
  put('core/src/lib.rs', 3_000);
  r = run();
  assert.match(r.stderr, /core\/src changed after hookproof\.linux-x64-gnu\.node was built: run npm run build\n/);
});

test('a dependency change (the lock) after a build refuses both', (t) => {
  const { put, run } = layout(t);
  put('Cargo.lock', 3_000);
  const r = run();
  assert.equal(r.status, 1);
  assert.match(r.stderr, /Cargo\.lock changed after hookproof\.linux-x64-gnu\.node was built: run npm run build\n/);
  assert.match(r.stderr, /Cargo\.lock changed after wasm\/hookproof_wasm_bg\.wasm was built: run npm run build:wasm/);
});
