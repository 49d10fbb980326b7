// `prepack`: npm packs what is on disk, and the addon (`*.node`) and `wasm/` are build outputs
// that git does not track. Refuse a package without both backends, or with one older than the
// sources it is built from (a build, then a pull or an edit). `npm publish` rebuilds both
// first (`prepublishOnly`).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
const repo = join(here, '..');
const problems = [];

// Newest modification time of a file, or under a directory (0 when absent: a package unpacked
// outside the repo).
function newest(path) {
  if (!existsSync(path)) return 0;
  if (statSync(path).isFile()) return statSync(path).mtimeMs;
  return readdirSync(path, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .reduce((t, e) => Math.max(t, statSync(join(e.parentPath ?? e.path, e.name)).mtimeMs), 0);
}
function check(outputs, sources, build) {
  const missing = outputs.filter((f) => !existsSync(join(here, f)));
  if (missing.length > 0) return problems.push(`${missing.join(', ')} missing: run ${build}`);
  const built = Math.min(...outputs.map((f) => statSync(join(here, f)).mtimeMs));
  const changed = sources.filter((d) => newest(join(repo, d)) > built);
  if (changed.length > 0) problems.push(`${changed.join(', ')} changed after ${outputs[0]} was built: run ${build}`);
}

const addons = readdirSync(here).filter((f) => f.endsWith('.node'));
// Code, and what decides how it builds: dependencies (the lock), profiles, features.
const manifests = ['Cargo.lock', 'Cargo.toml', 'core/Cargo.toml'];
check(
  addons.length > 0 ? addons : ['hookproof.<platform>.node'],
  ['core/src', 'bindings-node/src', 'bindings-node/build.rs', 'bindings-node/Cargo.toml', ...manifests],
  'npm run build',
);
check(
  ['wasm/hookproof_wasm_bg.wasm', 'wasm/web.mjs', 'wasm/node.cjs', 'wasm/node/hookproof_wasm.js'],
  ['core/src', 'bindings-wasm/src', 'bindings-wasm/js', 'bindings-wasm/build.sh', 'bindings-wasm/Cargo.toml', ...manifests],
  'npm run build:wasm',
);
if (problems.length > 0) {
  console.error(`hookproof: not packing:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
