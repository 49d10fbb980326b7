// A real Deno (npm's `deno` package) runs every vector through the packed npm package,
// installed in a project as a user's would be and imported by its name: Deno resolves the
// package's `deno` export condition, the WebAssembly build.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { bin, installPacked, vectorTotal } from './workerd-harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');

test('every vector passes in Deno, through the package\'s deno condition', { timeout: 120000 }, async () => {
  const work = mkdtempSync(join(tmpdir(), 'hookproof-deno-'));
  try {
    const app = installPacked(work, join(repo, 'bindings-node'));
    const vectors = join(repo, 'tests', 'vectors');
    writeFileSync(join(app, 'main.mjs'), `
import * as api from 'hookproof';
import { runVectors } from ${JSON.stringify(pathToFileURL(join(here, 'vector-runner.mjs')).href)};
const read = (p) => JSON.parse(Deno.readTextFileSync(${JSON.stringify(vectors)} + '/' + p + '.json'));
const results = await runVectors(api, read);
console.log(JSON.stringify({ ...results, entry: import.meta.resolve('hookproof') }));
`);
    const { stdout: out } = await promisify(execFile)(bin('deno'), ['run', '--quiet', '--no-prompt', `--allow-read=${repo},${work}`, 'main.mjs'], {
      cwd: app,
      encoding: 'utf8',
      env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
      // Asynchronous, so that the test's own timeout can fire; this one ends a hung Deno.
      timeout: 110000,
      killSignal: 'SIGKILL',
    });
    const results = JSON.parse(out.trim().split('\n').pop());
    assert.match(results.entry, /\/wasm\/web\.mjs$/, 'Deno took the deno condition');
    assert.equal(results.implementation, 'wasm');
    assert.deepEqual(results.failed, []);
    assert.equal(results.cases, vectorTotal(), 'every vector case ran');
    console.log(`deno: ${results.passed} vectors passed`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
