// Size of the optimised .wasm that ships in the npm package (every provider and JSON parsing).
// The budget is 150 KB raw / 60 KB gzipped; the build is over it (see the README), so
// this guards against growth from the current size while the budget stays an open item.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const TARGET = { raw: 150 * 1024, gzip: 60 * 1024 };
const CEILING = { raw: 270 * 1024, gzip: 115 * 1024 };

test('wasm size', () => {
  const wasm = readFileSync(join(here, '..', '..', 'bindings-node', 'wasm', 'hookproof_wasm_bg.wasm'));
  const gz = gzipSync(wasm, { level: 9 }).length;
  console.log(`wasm: ${wasm.length} bytes raw, ${gz} bytes gzipped (target ${TARGET.raw} / ${TARGET.gzip})`);
  assert.ok(wasm.length <= CEILING.raw, `raw ${wasm.length} > ${CEILING.raw}`);
  assert.ok(gz <= CEILING.gzip, `gzip ${gz} > ${CEILING.gzip}`);
});
