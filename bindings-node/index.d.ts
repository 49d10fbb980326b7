// The types of the ES module entry. They are declared once, in index.d.cts (the CommonJS
// entry's), so that a CommonJS TypeScript project on `--module node16` can `require` the package
// (TypeScript refuses to let a CommonJS file import an ES module's types, but allows the
// opposite), and a class is the same type whichever entry a project loads.
export * from './index.cjs';
declare const api: Omit<typeof import('./index.cjs'), 'default'>;
export default api;
