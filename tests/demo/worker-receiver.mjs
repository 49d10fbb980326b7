// Demo receiver: the example Worker (bindings-wasm/example-worker) in a real workerd, with
// the wasm build of the package and secrets from tests/receivers.json as env bindings.
// Usage: node worker-receiver.mjs PORT   (runs until terminated)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bindingsFor, bundle, serve } from '../../bindings-wasm/test/workerd-harness.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkgDir = join(repo, 'bindings-node');
const { providers } = JSON.parse(readFileSync(join(repo, 'tests', 'receivers.json'), 'utf8'));
const dist = mkdtempSync(join(tmpdir(), 'hookproof-demo-worker-'));
bundle(join(repo, 'bindings-wasm', 'example-worker', 'src', 'index.js'), dist, pkgDir);
const { child } = await serve(dist, join(pkgDir, 'wasm', 'hookproof_wasm_bg.wasm'), { port: Number(process.argv[2]), bindings: bindingsFor(providers) });
const stop = () => {
  child.kill();
  rmSync(dist, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
