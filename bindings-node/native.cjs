'use strict';
// Loads the native addon built for this platform: { addon, errors }, with addon null when
// none matches, so the entry point can fall back to the WebAssembly build. `addon` is the
// backend interface of lib/api.mjs (the one the wasm build exports too).
const { join } = require('node:path');

// The addon keeps verifiers in a table and takes their id (cheaper per call than a native
// class); this class gives them the backend's Verifier shape and frees the slot when the
// object is collected.
function backend(native) {
  const release = new FinalizationRegistry((id) => native.verifierDrop(id));
  class Verifier {
    #id;
    constructor(provider, options) {
      this.#id = native.verifierNew(provider, options);
      release.register(this, this.#id);
    }
    verify(headers, body, now) {
      return native.verifierVerify(this.#id, headers, body, now);
    }
    parse(headers, body) {
      return native.verifierParse(this.#id, headers, body);
    }
    verifyAndParse(headers, body, now) {
      return native.verifierVerifyAndParse(this.#id, headers, body, now);
    }
    detail(headers, raw) {
      return native.verifierDetail(this.#id, headers, raw);
    }
  }
  return {
    Verifier,
    sign: (provider, options, payload, signOptions) => native.sign(provider, options, signOptions, payload),
    parse: native.parse,
    parseDetail: native.parseDetail,
    parseJson: native.parseJson,
    extendEchoResponse: native.extendEchoResponse,
    providerId: native.providerId,
    headerNames: native.headerNames,
  };
}

// The ABI suffix of napi-rs's platform names (`napi build --platform`, and its per-platform
// packages): linux-x64-gnu, linux-arm-musleabihf, win32-x64-msvc, darwin-arm64.
function abi() {
  if (process.platform === 'win32') return '-msvc';
  if (process.platform !== 'linux') return '';
  const report = typeof process.report?.getReport === 'function' ? process.report.getReport() : null;
  const glibc = report && report.header && report.header.glibcVersionRuntime;
  const eabihf = process.arch === 'arm' ? 'eabihf' : '';
  return (glibc ? '-gnu' : '-musl') + eabihf;
}

function load() {
  const triple = `${process.platform}-${process.arch}${abi()}`;
  const candidates = [join(__dirname, `hookproof.${triple}.node`), `hookproof-${triple}`];
  const errors = [];
  for (const c of candidates) {
    try {
      const raw = require(c);
      return { addon: backend(raw), raw, errors };
    } catch (e) {
      errors.push(`${c}: ${e.message.split('\n')[0]}`);
    }
  }
  return { addon: null, raw: null, errors };
}

module.exports = load();
