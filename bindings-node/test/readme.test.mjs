// Every ```js example in the READMEs runs as written: its `hookproof` imports resolve to the
// package under test (its other imports from this package's node_modules), the secret comes
// from the environment variable or Worker binding it reads, and the handler it defines answers
// a signed request (2xx, and the function it hands the event to sees that event) and a
// tampered one (401 with the error code). Users copy these first; they must not drift from
// the API.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { loadApi, receivers, repo, signOptions, tamper, withServer } from './helpers.mjs';

const api = await loadApi();
const READMES = ['README.md', 'bindings-node/README.md', 'bindings-wasm/README.md'];
// What the examples hand an event to: defined as globals, recorded here.
const STUBS = ['queue', 'refetch', 'enqueue'];
// Where the package under test is (the dev tree, or an installed copy: see pack.sh).
const PACKAGE = {
  hookproof: process.env.HOOKPROOF_PACKAGE ?? new URL('../index.mjs', import.meta.url).href,
  'hookproof/express': process.env.HOOKPROOF_EXPRESS ?? new URL('../express.mjs', import.meta.url).href,
};

const dir = mkdtempSync(join(tmpdir(), 'hookproof-readme-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let handedOver = [];
for (const name of STUBS) globalThis[name] = (...args) => handedOver.push([name, ...args]);

function examples(file) {
  const text = readFileSync(join(repo, file), 'utf8');
  return [...text.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => ({
    name: `${file}:${text.slice(0, m.index).split('\n').length + 1}`,
    code: m[1],
  }));
}

/** The example as a module file here: import specifiers resolved, an Express, Fastify or Koa `app` exported. */
async function load({ name, code }) {
  let source = code.replace(/^(import .* from )'([^']+)'/gm, (_, head, spec) => `${head}'${PACKAGE[spec] ?? import.meta.resolve(spec)}'`);
  if (/^const app = (express\(|Fastify\(|new Koa\()\);$/m.test(source)) source += '\nexport { app };\n';
  const file = join(dir, `${name.replace(/[^\w]+/g, '-')}.mjs`);
  writeFileSync(file, source);
  return import(pathToFileURL(file).href);
}

/** A `send(headers, body)` that reaches the example's handler, and how to stop it. */
async function handlerOf(mod, code, env) {
  const route = code.match(/\.post\('([^']+)'|ctx\.path !== '([^']+)'/)?.slice(1).find(Boolean) ?? '/webhooks';
  const request = (headers, body) => new Request(`http://127.0.0.1${route}`, { method: 'POST', headers, body });
  if (typeof mod.POST === 'function') return (h, b) => mod.POST(request(h, b));
  if (typeof mod.default?.fetch === 'function') return (h, b) => mod.default.fetch(request(h, b), env);
  assert.ok(mod.app, 'the example defines no handler this test knows (POST, a Worker fetch, an Express, Fastify or Koa app): teach readme.test.mjs');
  if (typeof mod.app.inject === 'function') {
    // Fastify: a real socket, so the handler sees Node's rawHeaders as a client sent them.
    const base = await mod.app.listen({ port: 0, host: '127.0.0.1' });
    after(() => mod.app.close());
    return (h, b) => fetch(`${base}${route}`, { method: 'POST', headers: h, body: b });
  }
  return async (h, b) => withServer(mod.app, (base) => fetch(`${base}${route}`, { method: 'POST', headers: h, body: b }));
}

for (const file of READMES) {
  const found = examples(file);
  test(`${file} has js examples`, () => assert.ok(found.length > 0, 'the fence pattern found none'));
  for (const example of found) {
    test(`README example ${example.name} runs as written`, async () => {
      const { code } = example;
      const provider = code.match(/new Verifier\('(\w+)'/)?.[1];
      const envName = code.match(/env\.([A-Z_]+)/)?.[1];
      const secret = receivers[provider]?.options.secret;
      // Before the import: an example may build its verifier at module level.
      if (envName) process.env[envName] = secret;
      const mod = await load(example);
      if (!provider) {
        // An import-only example: it must at least import what it names.
        assert.doesNotMatch(code, /Verifier\(|export /, 'an example with a handler but no Verifier');
        assert.ok(code.includes('import {'), 'an example with neither a handler nor an import');
        return;
      }
      assert.ok(envName, 'the example reads its secret from neither process.env nor a Worker binding');
      const setup = receivers[provider];
      const send = await handlerOf(mod, code, { [envName]: secret });

      const now = Math.floor(Date.now() / 1000);
      const signed = api.sign(provider, { secret }, setup.payload, signOptions(setup, now));
      const expected = new api.Verifier(provider, { secret }).verifyAndParse(signed.headers, signed.body, { now });
      handedOver = [];
      const ok = await send(signed.headers, signed.body);
      const text = await ok.text();
      assert.ok(ok.status === 200 || ok.status === 204, `a signed request got ${ok.status}: ${text}`);
      const received = text ? JSON.parse(text).received : undefined;
      if (received !== undefined) {
        assert.ok(received === expected.resources.length || received === expected.idempotency_key, `received: ${received}`);
      }
      const called = STUBS.filter((s) => new RegExp(`\\b${s}\\(`).test(code));
      assert.deepEqual([...new Set(handedOver.map(([name]) => name))], called, 'the example did not hand the event on');
      // Each argument must be something of the event: a misspelt field arrives as undefined.
      const ofTheEvent = (a) =>
        (a !== undefined && a === expected.idempotency_key) ||
        a?.provider === provider ||
        expected.resources.some((r) => a === r.id || a === r.type);
      for (const [name, ...args] of handedOver) {
        assert.ok(args.length > 0 && args.every(ofTheEvent), `${name}(${args.map((a) => JSON.stringify(a)?.slice(0, 80)).join(', ')})`);
      }

      const bad = await send(...tamper(setup, signed.headers, signed.body));
      assert.equal(bad.status, 401);
      assert.equal((await bad.json()).error, 'signature_mismatch');

      if (code.includes('extendEchoResponse(')) {
        // Extend's registration check: GET ?echo=<text> answers <text>, as plain text.
        assert.ok(mod.app, 'an echo example this test cannot reach: teach readme.test.mjs');
        const route = code.match(/\.get\('([^']+)'/)?.[1];
        await withServer(mod.app, async (base) => {
          const echo = await fetch(`${base}${route}?echo=${encodeURIComponent('a <b> & ü')}`);
          assert.equal(echo.status, 200);
          assert.match(echo.headers.get('content-type'), /^text\/plain/);
          assert.equal(echo.headers.get('x-content-type-options'), 'nosniff');
          assert.equal(await echo.text(), 'a <b> & ü');
          assert.equal((await fetch(`${base}${route}`)).status, 400);
        });
      }

      if (/\?\?= new Verifier/.test(code)) {
        // Built on the first request: an unset secret is answered (500 with its code), not an
        // exception thrown out of the handler on every request.
        delete process.env[envName];
        try {
          const fresh = await load({ name: `${example.name}-unset`, code });
          const unset = await (await handlerOf(fresh, code, {}))(signed.headers, signed.body);
          assert.equal(unset.status, 500);
          assert.equal((await unset.json()).error, 'unconfigured_scheme');
        } finally {
          process.env[envName] = secret;
        }
      }
    });
  }
}
