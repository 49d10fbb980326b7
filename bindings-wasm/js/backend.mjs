// Wraps the wasm-bindgen module as the backend interface of lib/api.mjs, adding verifyAsync:
// small bodies are MACed in wasm (no async round trip), large ones with WebCrypto (native
// SHA-256) using keys imported once per verifier; the core compares in constant time.

// Below this size the synchronous wasm HMAC beats WebCrypto's per-call async cost.
const WEBCRYPTO_MIN_BYTES = 2048;
const NO_BODY = new Uint8Array(0);

export function makeBackend(wasm) {
  const subtle = globalThis.crypto?.subtle;

  class Verifier {
    #w;
    #keys = null;

    constructor(provider, options) {
      this.#w = new wasm.Verifier(provider, options);
    }
    verify(headers, body, now) {
      return this.#w.verify(headers, body, now);
    }
    parse(headers, body) {
      return this.#w.parse(headers, body);
    }
    verifyAndParse(headers, body, now) {
      return this.#w.verifyAndParse(headers, body, now);
    }
    detail(headers, raw) {
      return this.#w.detail(headers, raw);
    }
    #cryptoKeys() {
      this.#keys ??= Promise.all(
        this.#w.macKeys().map(({ hash, key }) => subtle.importKey('raw', key, { name: 'HMAC', hash }, false, ['sign'])),
      ).then((keys) => (this.#keys = keys));
      return this.#keys;
    }
    async verifyAsync(headers, body, now) {
      if (!subtle || body.length < WEBCRYPTO_MIN_BYTES) return this.#w.verify(headers, body, now);
      // The MAC plan (keys, prefix) and the verdict come from the headers and MACs alone; the
      // body only feeds a failure's hint (`Verifier::prepare` in the core). So the body is
      // copied into wasm memory (20 KB: ~1 us) only to explain a failure.
      const plan = this.#w.prepare(headers, NO_BODY, now);
      if (plan.keys.length === 0) return this.#w.verify(headers, body, now);
      // Imported once per verifier; afterwards the array itself, so no await round trip.
      const keys = Array.isArray(this.#keys) ? this.#keys : await this.#cryptoKeys();
      let message = body;
      if (plan.prefix.length) {
        message = new Uint8Array(plan.prefix.length + body.length);
        message.set(plan.prefix);
        message.set(body, plan.prefix.length);
      }
      let flat;
      if (plan.keys.length === 1) {
        flat = new Uint8Array(await subtle.sign('HMAC', keys[plan.keys[0]], message));
      } else {
        const macs = await Promise.all(plan.keys.map((i) => subtle.sign('HMAC', keys[i], message)));
        flat = new Uint8Array(macs.reduce((n, m) => n + m.byteLength, 0));
        let at = 0;
        for (const m of macs) {
          flat.set(new Uint8Array(m), at);
          at += m.byteLength;
        }
      }
      try {
        return this.#w.finish(headers, NO_BODY, now, flat);
      } catch {
        // Only a failure's hint depends on the body (see prepare above): copy it in then.
        return this.#w.finish(headers, body, now, flat);
      }
    }
  }

  return {
    Verifier,
    sign: (provider, options, payload, signOptions) => wasm.sign(provider, options, payload, signOptions),
    parse: (provider, headers, body) => wasm.parse(provider, headers, body),
    parseDetail: (provider, headers, raw) => wasm.parseDetail(provider, headers, raw),
    extendEchoResponse: (s) => wasm.extendEchoResponse(s),
  };
}
