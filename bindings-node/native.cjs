'use strict';
// Loads the native addon built for this platform: { addon, errors }, with addon null when
// none matches, so the entry point can fall back to the WebAssembly build.
const { join } = require('node:path');

function libc() {
  if (process.platform !== 'linux') return '';
  const report = typeof process.report?.getReport === 'function' ? process.report.getReport() : null;
  const glibc = report && report.header && report.header.glibcVersionRuntime;
  return glibc ? '-gnu' : '-musl';
}

function load() {
  const triple = `${process.platform}-${process.arch}${libc()}`;
  const candidates = [join(__dirname, `hookproof.${triple}.node`), `@hookproof/${triple}`];
  const errors = [];
  for (const c of candidates) {
    try {
      return { addon: require(c), errors };
    } catch (e) {
      errors.push(`${c}: ${e.message.split('\n')[0]}`);
    }
  }
  return { addon: null, errors };
}

module.exports = load();
