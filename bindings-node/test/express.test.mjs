// A real Express server on 127.0.0.1 receives signed, tampered, stale and unsigned requests
// for every provider over HTTP.
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import http2 from 'node:http2';
import { test } from 'node:test';
import express from 'express';
import { checkEveryProvider, loadApi, receivers, withServer } from './helpers.mjs';

const api = await loadApi();
const { webhook } = await import(process.env.HOOKPROOF_EXPRESS ?? '../express.mjs');

// A request as an emitter the test feeds chunks to (sockets would coalesce them).
const emitted = (headers) => Object.assign(new EventEmitter(), { headers, rawHeaders: Object.entries(headers).flat() });

function appFor(mode) {
  const app = express();
  for (const [provider, setup] of Object.entries(receivers)) {
    const verifier = new api.Verifier(provider, setup.options);
    const handlers = [webhook(verifier), (req, res) => res.json(req.webhook)];
    if (mode === 'raw') handlers.unshift(express.raw({ type: '*/*' }));
    app.post(`/webhooks/${provider}`, ...handlers);
  }
  return app;
}

for (const mode of ['stream', 'raw']) {
  test(`express (${mode === 'raw' ? 'after express.raw()' : 'reads the body itself'}): every provider`, async () => {
    await withServer(appFor(mode), (base) => checkEveryProvider(base, api));
  });
}

test('express.json() before the middleware is reported, not silently mis-verified', async () => {
  const app = express();
  const setup = receivers.standardwebhooks;
  app.post('/hook', express.json(), webhook(new api.Verifier('standardwebhooks', setup.options)), (req, res) => res.json(req.webhook));
  await withServer(app, async (base) => {
    const req = api.sign('standardwebhooks', setup.options, setup.payload);
    const res = await fetch(`${base}/hook`, { method: 'POST', headers: req.headers, body: req.body });
    assert.equal(res.status, 500);
    assert.match((await res.json()).message, /body parser/);
  });
});

test('the body limit: a number of bytes, enforced by Content-Length and while reading', async () => {
  const setup = receivers.standardwebhooks;
  const verifier = new api.Verifier('standardwebhooks', setup.options);
  // A string limit ('1kb', as body-parser takes) would compare false with every size.
  for (const limit of ['1kb', NaN, -1, 1.5]) assert.throws(() => webhook(verifier, { limit }), { code: 'invalid_option' }, String(limit));
  // Checked when mounted, not on every request: a bad `now`, a misspelt or misplaced key.
  for (const options of [{ now: '5' }, { limt: 10 }, { tolerance: 5 }, 5]) {
    assert.throws(() => webhook(verifier, options), { code: 'invalid_option' }, JSON.stringify(options));
  }
  assert.ok(webhook(verifier, null) && webhook(verifier, { now: () => 1, limit: null }));
  const app = express();
  app.post('/hook', webhook(verifier, { limit: 1000 }), (req, res) => res.json(req.webhook));
  await withServer(app, async (base) => {
    const req = api.sign('standardwebhooks', setup.options, JSON.stringify({ type: 'a.b', data: { x: 'y'.repeat(2000) } }));
    const stated = await fetch(`${base}/hook`, { method: 'POST', headers: req.headers, body: req.body });
    assert.equal(stated.status, 413);
    assert.deepEqual(await stated.json(), {
      error: 'payload_too_large',
      message: "the body exceeds 1000 bytes: raise webhook()'s `limit` option if such webhooks are expected",
      hint: null,
    });
    // Chunked (no Content-Length): refused once the bytes read pass the limit.
    const bytes = new TextEncoder().encode(req.body);
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < bytes.length; i += 500) c.enqueue(bytes.subarray(i, i + 500));
        c.close();
      },
    });
    const chunked = await fetch(`${base}/hook`, { method: 'POST', headers: req.headers, body: stream, duplex: 'half' });
    assert.equal(chunked.status, 413);
    assert.equal((await chunked.json()).error, 'payload_too_large');
    // Within the limit it verifies.
    const small = api.sign('standardwebhooks', setup.options, setup.payload);
    assert.equal((await fetch(`${base}/hook`, { method: 'POST', headers: small.headers, body: small.body })).status, 200);
  });
});

test('bytes another middleware kept (express.raw, a parser\'s verify callback, webhook() mounted twice) are used, within the limit', async () => {
  const setup = receivers.standardwebhooks;
  const verifier = new api.Verifier('standardwebhooks', setup.options);
  const app = express();
  const ok = (req, res) => res.json(req.webhook);
  app.post('/raw', express.raw({ type: '*/*', limit: 5000 }), webhook(verifier, { limit: 1000 }), ok);
  const keep = (req, _res, buf) => {
    req.rawBody = buf;
  };
  app.post('/json', express.json({ type: '*/*', verify: keep }), webhook(verifier), ok);
  app.post('/twice', webhook(verifier), webhook(verifier), ok);
  // A plain Uint8Array is used too, and req.rawBody is a Buffer (over the same bytes) after.
  const plainBytes = (req, _res, next) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      req.body = new Uint8Array(Buffer.concat(chunks));
      next();
    });
  };
  app.post('/uint8array', plainBytes, webhook(verifier), (req, res) => {
    assert.ok(Buffer.isBuffer(req.rawBody) && req.rawBody.buffer === req.body.buffer);
    ok(req, res);
  });
  await withServer(app, async (base) => {
    const small = api.sign('standardwebhooks', setup.options, setup.payload);
    for (const path of ['/raw', '/json', '/twice', '/uint8array']) {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers: small.headers, body: small.body });
      assert.equal(res.status, 200, `${path}: ${await res.clone().text()}`);
      assert.equal((await res.json()).provider, 'standardwebhooks');
    }
    const big = api.sign('standardwebhooks', setup.options, JSON.stringify({ type: 'a.b', data: { x: 'y'.repeat(2000) } }));
    const res = await fetch(`${base}/raw`, { method: 'POST', headers: big.headers, body: big.body });
    assert.equal(res.status, 413);
    assert.equal((await res.json()).error, 'payload_too_large');
  });
});

test('a request body read by earlier middleware that left req.body unset is reported, not waited for', async () => {
  const app = express();
  const setup = receivers.standardwebhooks;
  const drain = (req, _res, next) => {
    req.on('data', () => {});
    req.on('end', next);
  };
  app.post('/hook', drain, webhook(new api.Verifier('standardwebhooks', setup.options)), (req, res) => res.json(req.webhook));
  await withServer(app, async (base) => {
    const req = api.sign('standardwebhooks', setup.options, setup.payload);
    const res = await fetch(`${base}/hook`, { method: 'POST', headers: req.headers, body: req.body, signal: AbortSignal.timeout(5000) });
    assert.equal(res.status, 500);
    assert.match((await res.json()).message, /body parser/);
  });
});

test('a body in many small chunks is copied as each arrives, into one buffer', async () => {
  // Sockets coalesce what a client sends, so the request is an emitter here: 200 KB in 7-byte
  // chunks, each in the same Buffer (as a pooled reader may reuse one). Keeping the chunks
  // to join at the end held an object per chunk (~440 MB for 1 MiB in 1-byte chunks).
  const setup = receivers.standardwebhooks;
  const verifier = new api.Verifier('standardwebhooks', setup.options);
  const signed = api.sign('standardwebhooks', setup.options, JSON.stringify({ type: 'a.b', data: { x: 'y'.repeat(200000) } }));
  const bytes = Buffer.from(signed.body);
  const req = emitted(signed.headers);
  const seen = new Promise((resolve, reject) => {
    const res = { status: () => ({ json: (body) => reject(new Error(JSON.stringify(body))) }), set() {} };
    webhook(verifier)(req, res, (e) => (e ? reject(e) : resolve(req)));
  });
  const reused = Buffer.alloc(7);
  for (let at = 0; at < bytes.length; at += reused.length) {
    const n = bytes.copy(reused, 0, at, at + reused.length);
    req.emit('data', n === reused.length ? reused : reused.subarray(0, n));
  }
  req.emit('end');
  const done = await seen;
  assert.deepEqual(done.webhook.event_types, ['a.b']);
  assert.ok(Buffer.isBuffer(done.rawBody));
  assert.deepEqual(done.rawBody, bytes);
});

test('a request stream paused by earlier middleware is read all the same', async () => {
  const setup = receivers.extend;
  const app = express();
  const pause = (req, _res, next) => {
    req.pause();
    setTimeout(next, 10);
  };
  app.post('/hook', pause, webhook(new api.Verifier('extend', setup.options)), (req, res) => res.json(req.webhook));
  await withServer(app, async (base) => {
    const req = api.sign('extend', setup.options, setup.payload);
    const res = await fetch(`${base}/hook`, { method: 'POST', headers: req.headers, body: req.body, signal: AbortSignal.timeout(5000) });
    assert.equal(res.status, 200);
  });
});

test('a stream read by earlier code (req.setEncoding, a \'readable\' listener) is reported, not mis-verified', async () => {
  const setup = receivers.extend;
  const app = express();
  const text = (req, res, next) => {
    req.setEncoding('utf8');
    next();
  };
  // A 'readable' listener stops the flow 'data' needs: without the check, no answer at all.
  const readable = (req, res, next) => {
    req.on('readable', () => {});
    next();
  };
  const verified = webhook(new api.Verifier('extend', setup.options));
  app.post('/text', text, verified, (req, res) => res.json(req.webhook));
  app.post('/readable', readable, verified, (req, res) => res.json(req.webhook));
  await withServer(app, async (base) => {
    const req = api.sign('extend', setup.options, setup.payload);
    for (const [path, named] of [['/text', /setEncoding/], ['/readable', /'readable' listener.*webhook\(\)/]]) {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers: req.headers, body: req.body, signal: AbortSignal.timeout(5000) });
      assert.equal(res.status, 500, path);
      const body = await res.json();
      assert.equal(body.error, 'invalid_option');
      assert.match(body.message, named);
    }
  });
});

test('on a plain node:http server (no Express res helpers): every provider, and the 413 before reading', async () => {
  // Next.js pages API routes (bodyParser: false) and bare servers hand over Node's own req and
  // res: a forged request there threw `res.status is not a function` out of a stream listener.
  const middleware = Object.fromEntries(
    Object.entries(receivers).map(([provider, setup]) => [provider, webhook(new api.Verifier(provider, setup.options), { limit: 64 * 1024 })]),
  );
  const server = http.createServer((req, res) => {
    const provider = req.url.split('/')[2];
    middleware[provider](req, res, (e) => {
      if (e) {
        res.statusCode = 500;
        return res.end(String(e));
      }
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(req.webhook));
    });
  });
  await withServer(server, async (base) => {
    await checkEveryProvider(base, api);
    const setup = receivers.standardwebhooks;
    const big = api.sign('standardwebhooks', setup.options, JSON.stringify({ type: 'a.b', data: { x: 'y'.repeat(70000) } }));
    const res = await fetch(`${base}/webhooks/standardwebhooks`, { method: 'POST', headers: big.headers, body: big.body });
    assert.equal(res.status, 413);
    assert.equal(res.headers.get('connection'), 'close');
    assert.equal((await res.json()).error, 'payload_too_large');
  });
});

test('a request answered already (a timeout middleware, say) is left as it is', async () => {
  const setup = receivers.extend;
  const signed = api.sign('extend', setup.options, setup.payload);
  const req = emitted(signed.headers);
  const res = {
    headersSent: true,
    setHeader() {
      throw new Error('ERR_HTTP_HEADERS_SENT');
    },
    end() {
      throw new Error('written after the answer');
    },
  };
  const seen = [];
  const middleware = webhook(new api.Verifier('extend', setup.options), { onError: (e) => seen.push(e.code) });
  middleware(req, res, () => assert.fail('a tampered body verified'));
  req.emit('data', Buffer.from(signed.body + ' '));
  req.emit('end');
  // Refused by its stated length, before reading: the Connection header would have thrown.
  const big = Object.assign(emitted({ ...signed.headers, 'content-length': String(2 * 1024 * 1024) }), { resume() {} });
  middleware(big, res, () => assert.fail('an oversized body went on'));
  // The body is answered after a tick: writing the 401 would have thrown then (an unhandled
  // rejection, which fails the run).
  await new Promise(setImmediate);
  assert.deepEqual(seen.sort(), ['payload_too_large', 'signature_mismatch']);
});

test('onError sees every refusal before it is answered, and the answer is unchanged', async () => {
  const setup = receivers.extend;
  const verifier = new api.Verifier('extend', setup.options);
  const seen = [];
  const onError = (error, req) => {
    assert.ok(error instanceof api.WebhookVerificationError);
    seen.push([error.code, req.url]);
  };
  const app = express();
  const route = (req, res) => res.json({ ok: req.webhook.provider });
  app.post('/hook', webhook(verifier, { onError, limit: 4096 }), route);
  app.post('/parsed', express.json(), webhook(verifier, { onError }), route);
  // A promise is awaited before the answer: the log line is written when the sender hears.
  let logged = false;
  const slow = () => new Promise((resolve) => setTimeout(() => resolve((logged = true)), 50));
  app.post('/slow', webhook(verifier, { onError: slow }), route);
  await withServer(app, async (base) => {
    const signed = api.sign('extend', setup.options, setup.payload);
    const post = (path, body = signed.body, headers = signed.headers) => fetch(`${base}${path}`, { method: 'POST', headers, body });
    const ok = await post('/hook');
    assert.equal(ok.status, 200);
    assert.deepEqual(seen, [], 'a verified request is no error');
    const tampered = await post('/hook', `${signed.body} `);
    assert.equal(tampered.status, 401);
    assert.equal((await tampered.json()).error, 'signature_mismatch');
    const big = await post('/hook', 'x'.repeat(5000));
    assert.equal(big.status, 413);
    const parsed = await post('/parsed');
    assert.equal(parsed.status, 500);
    assert.deepEqual(seen, [
      ['signature_mismatch', '/hook'],
      ['payload_too_large', '/hook'],
      ['invalid_option', '/parsed'],
    ]);
    const late = await post('/slow', `${signed.body} `);
    assert.equal(logged, true);
    assert.equal(late.status, 401);
  });
});

test('what onError throws goes to next(err): the route never runs for the refused request', async () => {
  const setup = receivers.extend;
  const verifier = new api.Verifier('extend', setup.options);
  const app = express();
  const route = (_req, res) => res.json({ reached: true });
  // `throw undefined` too: next() with nothing would have run the route.
  const hooks = {
    '/throws': () => {
      throw new Error('log sink down');
    },
    '/nothing': () => {
      throw undefined;
    },
    // Express's signal to skip to the next route, not an error.
    '/route': () => {
      throw 'route';
    },
    '/rejects': () => Promise.reject(new Error('log sink down')),
    '/rejects-nothing': () => Promise.reject(null),
    // Called from a stream listener: its throw was a crash.
    '/then-throws': () => ({
      then() {
        throw new Error('log sink down');
      },
    }),
  };
  for (const [path, onError] of Object.entries(hooks)) app.post(path, webhook(verifier, { onError }), route);
  app.post('*splat', route);
  const errors = [];
  app.use((err, _req, res, _next) => {
    errors.push(err.message);
    res.status(503).json({ handled: true });
  });
  await withServer(app, async (base) => {
    const signed = api.sign('extend', setup.options, setup.payload);
    for (const path of Object.keys(hooks)) {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers: signed.headers, body: `${signed.body} ` });
      assert.equal(res.status, 503, path);
      assert.deepEqual(await res.json(), { handled: true }, path);
    }
  });
  assert.deepEqual(errors, [
    'log sink down',
    'webhook(): onError threw undefined',
    'webhook(): onError threw route',
    'log sink down',
    'webhook(): onError threw null',
    'log sink down',
  ]);
  // A body over the limit is cut off also when the hook fails: Express's own error handler
  // waits for the request to end, which an endless upload never did.
  const cut = express();
  cut.set('env', 'test'); // its handler logs otherwise
  cut.post('/big', webhook(verifier, { limit: 10, onError: hooks['/throws'] }), route);
  await withServer(cut, async (base) => {
    // node:http, not fetch: Node 20's fetch spins on an endless body once the server resets.
    const outcome = await new Promise((resolve) => {
      const req = http.request(`${base}/big`, { method: 'POST' });
      const timer = setTimeout(() => resolve('no answer and no end'), 5000);
      const done = (how) => {
        clearTimeout(timer);
        req.destroy();
        resolve(how);
      };
      req.on('response', (res) => done(res.statusCode));
      req.on('error', () => done('reset'));
      const chunk = Buffer.alloc(16 * 1024);
      const write = () => {
        while (!req.destroyed && req.write(chunk));
      };
      req.on('drain', write);
      write();
    });
    assert.ok(outcome === 'reset' || outcome === 500, outcome);
  });
  // Checked when mounted; verifyRequest answers nothing itself, so it has no hook.
  for (const onError of ['log', {}, 1]) assert.throws(() => webhook(verifier, { onError }), { code: 'invalid_option', message: /onError/ });
  assert.ok(webhook(verifier, { onError: null }));
  await assert.rejects(api.verifyRequest(new Request('http://x/', { method: 'POST', body: '' }), verifier, { onError() {} }), {
    code: 'invalid_option',
  });
});

test('a sender gone mid-body, or before the middleware ran, is request_aborted for onError, not an error for Express', async () => {
  const setup = receivers.extend;
  const verifier = new api.Verifier('extend', setup.options);
  const app = express();
  const seen = [];
  let heard;
  const heardAll = new Promise((resolve) => (heard = resolve));
  const onError = (error, req) => {
    seen.push([error.code, req.url]);
    if (seen.length === 3) heard();
  };
  const errors = [];
  const route = (_req, res) => res.json({ reached: true });
  app.post('/hook', webhook(verifier, { onError }), route);
  // Waits until the sender has gone (an auth lookup that outlived it, say).
  const late = (req, res, next) => res.once('close', () => next());
  app.post('/late', late, webhook(verifier, { onError }), route);
  // Gone, and stating more than the limit: gone is what happened.
  app.post('/late-limit', late, webhook(verifier, { onError, limit: 100 }), route);
  app.use((err, _req, res, _next) => {
    errors.push(err);
    res.status(500).end();
  });
  await withServer(app, async (base) => {
    const signed = api.sign('extend', setup.options, setup.payload);
    for (const path of ['/hook', '/late', '/late-limit']) {
      // Half the stated body, then gone.
      const req = http.request(`${base}${path}`, { method: 'POST', headers: { ...signed.headers, 'content-length': 1000 } });
      req.on('error', () => {});
      req.write(signed.body.slice(0, 10), () => setTimeout(() => req.destroy(), 20));
    }
    let timer;
    const late = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`onError saw ${JSON.stringify(seen)}`)), 5000)));
    await Promise.race([heardAll, late]).finally(() => clearTimeout(timer));
  });
  assert.deepEqual(
    seen.sort(([, a], [, b]) => a.localeCompare(b)),
    [
      ['request_aborted', '/hook'],
      ['request_aborted', '/late'],
      ['request_aborted', '/late-limit'],
    ],
  );
  assert.deepEqual(errors, []);
});

test('on HTTP/2, a refused body its sender goes on sending is not read: the stream is reset once answered', { timeout: 60000 }, async () => {
  // The middleware, and verifyRequest answered as the README's plain-server recipe does.
  const setup = receivers.extend;
  const verifier = new api.Verifier('extend', setup.options);
  const middleware = webhook(verifier, { limit: 1024 });
  const server = http2.createServer((req, res) => {
    if (req.url === '/middleware') return middleware(req, res, () => res.end('reached'));
    api.verifyRequest(req, verifier, { limit: 1024 }).then(
      () => res.end('reached'),
      (e) => {
        res.writeHead(api.statusFor(e), { 'content-type': 'application/json', ...(e.headers ?? {}) });
        res.end(JSON.stringify({ error: e.code }));
      },
    );
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = http2.connect(`http://127.0.0.1:${server.address().port}`);
  client.on('error', () => {});
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  try {
    for (const path of ['/middleware', '/verifyRequest']) {
      // Stated over the limit (refused before reading), or unstated and growing past it.
      for (const stated of [true, false]) {
        const what = `${path}, ${stated ? 'stated' : 'unstated'} length`;
        const stream = client.request({ ':method': 'POST', ':path': path, ...(stated ? { 'content-length': String(64 << 20) } : {}) });
        stream.on('error', () => {});
        stream.resume();
        const status = new Promise((resolve) => stream.once('response', (h) => resolve(h[':status'])));
        // Reset by the server: Node's client says so with 'aborted' (a write it still holds,
        // which can never go, keeps it from 'close').
        let isClosed = false;
        const closed = new Promise((resolve) => {
          stream.once('aborted', resolve);
          stream.once('close', resolve);
        }).then(() => (isClosed = true));
        // Sends while the server takes it: a server that discards what it reads would let
        // all 16 MiB through; one that stops reading leaves the window full ("stuck").
        const chunk = Buffer.alloc(16 * 1024, 0x20);
        let written = 0;
        while (!isClosed && written < 16 << 20) {
          written += chunk.length;
          if (!stream.write(chunk)) {
            const next = await Promise.race([once(stream, 'drain').catch(() => 'failed'), closed, sleep(3000).then(() => 'stuck')]);
            if (next === 'stuck') break;
          }
        }
        assert.equal(await status, 413, what);
        await Promise.race([closed, sleep(3000)]);
        assert.ok(isClosed, `${what}: the stream is still open after ${written} bytes`);
        assert.equal(stream.rstCode, http2.constants.NGHTTP2_NO_ERROR, what);
        assert.ok(written < 1 << 20, `${what}: ${written} bytes were taken`);
      }
    }
  } finally {
    // Not close(): it waits for the streams, and Node's client keeps one it holds a write for.
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});
