// Wraps the wasm-bindgen module as the backend interface of lib/api.mjs, adding verifyAsync:
// small bodies are MACed in wasm (no async round trip), large ones with WebCrypto (native
// SHA-256) using keys imported once per verifier; the core compares in constant time.

// Below this size the synchronous wasm HMAC beats WebCrypto's per-call async cost.
const WEBCRYPTO_MIN_BYTES = 2048;
const NO_BODY = new Uint8Array(0);
// What a failed check's hint reads of the body: its first non-blank byte and the one after
// (`reserialised_hint` in the core: a JSON opening bracket, then a CR or not), taken before any
// await so a caller reusing its buffer cannot change them.
function hintBytes(body) {
  for (let i = 0; i < body.length; i++) {
    const b = body[i];
    // Not ASCII white space (u8::is_ascii_whitespace: space, tab, LF, FF, CR).
    // Uint8Array's slice, a copy: a Buffer's own slice is a view of the caller's memory.
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d) return Uint8Array.prototype.slice.call(body, i, i + 2);
  }
  return NO_BODY;
}
// The header block crosses as UTF-8 bytes, written by TextEncoder.encodeInto (native code)
// into a reused buffer. A string argument would be copied in by wasm-bindgen's JS loop one
// character at a time, and encode() allocates: either cost about 0.7 us for a Worker
// request's dozen headers (encodeInto: 0.1 us), more than the HMAC of a small body. The
// buffer is only valid until the next call, which copies it into wasm memory first.
const encoder = new TextEncoder();
let scratch = new Uint8Array(2048);
function utf8(block) {
  const most = block.length * 3; // UTF-8 bytes per UTF-16 unit, at most
  if (most > 65536) return encoder.encode(block);
  if (most > scratch.length) scratch = new Uint8Array(most);
  return scratch.subarray(0, encoder.encodeInto(block, scratch).written);
}

export function makeBackend(wasm) {
  const subtle = globalThis.crypto?.subtle;

  class Verifier {
    #w;
    #keys = null;

    constructor(provider, options) {
      this.#w = new wasm.Verifier(provider, options);
    }
    verify(headers, body, now) {
      return this.#w.verify(utf8(headers), body, now);
    }
    parse(headers, body) {
      return this.#w.parse(utf8(headers), body);
    }
    verifyAndParse(headers, body, now) {
      return this.#w.verifyAndParse(utf8(headers), body, now);
    }
    detail(headers, raw) {
      return this.#w.detail(utf8(headers), raw);
    }
    #cryptoKeys() {
      this.#keys ??= Promise.all(
        this.#w.macKeys().map(({ hash, key }) => subtle.importKey('raw', key, { name: 'HMAC', hash }, false, ['sign'])),
      ).then(
        (keys) => (this.#keys = keys),
        // Not cached: a failed import would otherwise fail every later call on this verifier.
        (e) => {
          this.#keys = null;
          throw e;
        },
      );
      return this.#keys;
    }
    async verifyAsync(block, body, now) {
      if (!subtle || body.length < WEBCRYPTO_MIN_BYTES) return this.verify(block, body, now);
      // A copy: other calls would overwrite the scratch buffer during the awaits.
      const headers = utf8(block).slice();
      const hint = hintBytes(body);
      // The MAC plan (keys, prefix) and the verdict come from the headers and MACs alone; the
      // body only feeds a failure's hint (`Verifier::prepare` in the core). So the body is
      // copied into wasm memory (20 KB: ~1 us) only to explain a failure. The checked request
      // stays in wasm memory until `conclude` consumes it.
      let pending = this.#w.prepare(headers, NO_BODY, now);
      try {
        const start = pending.keyStart;
        const end = pending.keyEnd;
        if (start === end) {
          // Credentials only (no MAC): compared without the body, so it is not copied in.
          const checked = pending;
          pending = null;
          return this.#w.conclude(checked, NO_BODY);
        }
        const prefix = pending.prefix;
        let message = body;
        if (prefix.length) {
          message = new Uint8Array(prefix.length + body.length);
          message.set(prefix);
          message.set(body, prefix.length);
        }
        // Imported once per verifier; afterwards the array itself, so no await round trip.
        let keys = this.#keys;
        if (!Array.isArray(keys)) {
          // subtle.sign copies the message when called, which is after this await: copy the
          // body now, so that a caller reusing its buffer meanwhile cannot change what is MACed.
          // (`new Uint8Array(body)` copies; a Node Buffer's slice() would share its memory. A
          // SharedArrayBuffer's bytes, which WebCrypto refuses, are copied by toBytes.)
          if (message === body) message = new Uint8Array(body);
          keys = await this.#cryptoKeys();
        }
        let flat;
        if (end - start === 1) {
          flat = new Uint8Array(await subtle.sign('HMAC', keys[start], message));
        } else {
          const signing = [];
          for (let i = start; i < end; i++) signing.push(subtle.sign('HMAC', keys[i], message));
          const macs = await Promise.all(signing);
          flat = new Uint8Array(macs.reduce((n, m) => n + m.byteLength, 0));
          let at = 0;
          for (const m of macs) {
            flat.set(new Uint8Array(m), at);
            at += m.byteLength;
          }
        }
        const checked = pending;
        pending = null; // conclude takes it over, whatever its outcome
        try {
          return this.#w.conclude(checked, flat);
        } catch {
          // Only a failure's hint depends on the body (see prepare above), and only on its
          // first two non-blank bytes: copy in those, not a large unauthenticated body (wasm
          // memory grows to the largest copy and never shrinks).
          return this.#w.conclude(this.#w.prepare(headers, hint, now), flat);
        }
      } finally {
        pending?.free();
      }
    }
  }

  return {
    Verifier,
    sign: (provider, options, payload, signOptions) => wasm.sign(provider, options, payload, signOptions),
    parse: (provider, headers, body) => wasm.parse(provider, utf8(headers), body),
    parseDetail: (provider, headers, raw) => wasm.parseDetail(provider, utf8(headers), raw),
    extendEchoResponse: (s) => wasm.extendEchoResponse(s),
    providerId: (provider) => wasm.providerId(provider),
    headerNames: () => wasm.headerNames().split('\n').slice(0, -1).map((line) => line.split('\0')),
  };
}
