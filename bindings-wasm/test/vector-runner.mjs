// Every vector through a WebAssembly build of the package, plus its WebCrypto path, with the
// Node suites' rules; shared by the Chromium page and the Deno test. `api` is the package as
// the runtime imports it; `readDoc(provider)` returns tests/vectors/<provider>.json, parsed.
// The Node side requires `cases` to be every case of every vector file, and `failed` empty.

function subset(expected, actual, path) {
  if (expected === null) {
    if (actual !== null && actual !== undefined) throw new Error(`${path}: expected null`);
  } else if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) throw new Error(`${path}: array differs`);
    expected.forEach((e, i) => subset(e, actual[i], `${path}[${i}]`));
  } else if (typeof expected === 'object') {
    if (typeof actual !== 'object' || actual === null) throw new Error(`${path}: expected an object`);
    for (const [k, v] of Object.entries(expected)) subset(v, actual[k], `${path}.${k}`);
  } else if (expected !== actual) {
    throw new Error(`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

function b64(s) {
  return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
}

async function runCase(api, provider, c) {
  const e = c.expect;
  if (e.config_error) {
    try {
      new api.Verifier(provider, c.config);
    } catch (err) {
      if (err instanceof api.WebhookVerificationError && err.code === e.config_error) return;
      throw err;
    }
    throw new Error('config accepted');
  }
  const v = new api.Verifier(provider, c.config);
  const body = c.body_base64 !== undefined ? b64(c.body_base64) : c.body;
  if (e.error) {
    for (const call of [() => v.verify(c.headers, body, { now: c.now }), () => v.verifyAsync(c.headers, body, { now: c.now })]) {
      try {
        await call();
      } catch (err) {
        if (!(err instanceof api.WebhookVerificationError) || err.code !== e.error) throw new Error(`got ${err.code ?? err}`);
        if (err.hintCode !== (e.hint ?? null)) throw new Error(`hint ${err.hintCode}`);
        continue;
      }
      throw new Error(`verified, expected ${e.error}`);
    }
    return;
  }
  for (const r of [v.verify(c.headers, body, { now: c.now }), await v.verifyAsync(c.headers, body, { now: c.now })]) {
    if ('secret_index' in e && r.secretIndex !== e.secret_index) throw new Error('secret index');
    if ('timestamp' in e && r.timestamp !== e.timestamp) throw new Error('timestamp');
  }
  if (c.parsed) subset(c.parsed, v.verifyAndParse(c.headers, body, { now: c.now }), 'parsed');
}

export async function runVectors(api, readDoc) {
  const results = { implementation: api.implementation, cases: 0, passed: 0, failed: [] };
  for (const p of api.providers) {
    const doc = await readDoc(p);
    for (const c of doc.cases) {
      results.cases++;
      try {
        await runCase(api, p, c);
        results.passed++;
      } catch (err) {
        results.failed.push(`${p} / ${c.name}: ${err.message}`);
      }
    }
  }
  // A large body takes the WebCrypto path of verifyAsync.
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const big = api.sign('standardwebhooks', { secret }, JSON.stringify({ data: 'x'.repeat(50000) }));
  const ver = new api.Verifier('standardwebhooks', { secret });
  try {
    await ver.verifyAsync(big.headers, big.body);
    results.passed++;
  } catch (err) {
    results.failed.push(`webcrypto path: ${err.message}`);
  }
  // A failure there still carries the hint, which needs the body (copied in only then).
  const tampered = big.body.replace('"xx', '"xy');
  for (const call of [() => ver.verify(big.headers, tampered), () => ver.verifyAsync(big.headers, tampered)]) {
    try {
      await call();
      results.failed.push('webcrypto path: a tampered body verified');
    } catch (err) {
      if (err.code === 'signature_mismatch' && err.hintCode === 'body_reserialised') results.passed++;
      else results.failed.push(`webcrypto path: got ${err.code} / ${err.hintCode}`);
    }
  }
  return results;
}
