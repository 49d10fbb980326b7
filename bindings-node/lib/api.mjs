// The public API of the npm package, written once over a backend: the native addon or the
// WebAssembly build, which export the same low-level interface. No provider logic here:
// only input normalisation, option mapping and error conversion.

const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });

/** Thrown for every verification, parsing or configuration failure. `.code` is stable. */
export class WebhookVerificationError extends Error {
  constructor(code, message, hint = null, hintCode = null) {
    super(message);
    this.name = 'WebhookVerificationError';
    this.code = code;
    this.hint = hint;
    this.hintCode = hintCode;
  }

  // Where frameworks' own error handlers look (Fastify's `statusCode`, Koa's `status` and
  // `expose`): an error a route does not catch is then answered as `statusFor` says, not 500.
  // Getters, so that logging or serialising an error shows nothing new; and setters, since
  // handlers also assign them (Koa's `err.status = statusCode`, which throws in strict code
  // where a property has only a getter).
  get status() {
    return statusFor(this);
  }
  set status(value) {
    assigned(this, 'status', value);
    assigned(this, 'statusCode', value);
  }
  // The same value under the name other frameworks read (Fastify's).
  get statusCode() {
    return this.status;
  }
  set statusCode(value) {
    this.status = value;
  }
  /** Whether the message may go to the sender: not for a configuration error (a 500). */
  get expose() {
    return statusFor(this) < 500;
  }
  set expose(value) {
    assigned(this, 'expose', value);
  }
}

// An assigned value, as an ordinary property of the error that shadows the getter.
const assigned = (error, name, value) =>
  Object.defineProperty(error, name, { value, writable: true, enumerable: true, configurable: true });

/** The HTTP status a receiver should answer for an error. */
export function statusFor(error) {
  if (!(error instanceof WebhookVerificationError)) return 500;
  switch (error.code) {
    case 'invalid_payload':
    case 'request_aborted':
      return 400;
    case 'payload_too_large':
      return 413;
    case 'empty_secret':
    case 'invalid_secret':
    case 'unconfigured_scheme':
    case 'invalid_option':
    case 'unknown_provider':
      return 500;
    default:
      return 401;
  }
}

function fromBackend(e) {
  if (e && typeof e.message === 'string' && e.message.startsWith('{"code"')) {
    const d = JSON.parse(e.message);
    return new WebhookVerificationError(d.code, d.message, d.hint ?? null, d.hintCode ?? null);
  }
  return e;
}

function call(fn) {
  try {
    return fn();
  } catch (e) {
    throw fromBackend(e);
  }
}

const SIGN_PAYLOAD_MESSAGE =
  'the payload is invalid: sign takes the payload to send as a string or bytes (Buffer, Uint8Array), ' +
  'not an object: pass JSON.stringify(payload)';
const RAW_BODY_MESSAGE =
  'the payload is invalid: the body must be the raw request bytes (Buffer, Uint8Array or string), ' +
  'not a parsed object: signatures cover the exact bytes sent, and JSON.stringify of a parsed ' +
  'body does not reproduce them. In Express use express.raw({ type: "*/*" }) or hookproof/express; ' +
  "in Fastify a content-type parser with { parseAs: 'buffer' }; with fetch use await request.arrayBuffer()";

// A wiring slip in the receiver, not the sender's doing: `invalid_option` (500, and not
// shown to the sender by frameworks that read `expose`).
const MISSING_BODY_MESSAGE = (body) =>
  `invalid option: no body was given (${body}): pass the raw request bytes. Where a framework reads the ` +
  'body, have it keep them: express.raw({ type: "*/*" }) or hookproof/express; a Fastify content-type ' +
  "parser with { parseAs: 'buffer' }; NestJS rawBody: true and req.rawBody; Next.js pages bodyParser: " +
  'false; Koa: read ctx.req into a Buffer; with fetch await request.arrayBuffer()';

/**
 * Raw body bytes from a Buffer, a typed array, a DataView, an ArrayBuffer, a SharedArrayBuffer
 * or a string. Bytes another thread can write (a SharedArrayBuffer's) are copied once: the
 * core reads a body more than once (the MAC, then the parse) and must see the same bytes each
 * time, and WebCrypto refuses shared memory.
 */
export function toBytes(body, message = RAW_BODY_MESSAGE) {
  if (typeof body === 'string') return encoder.encode(body);
  let bytes;
  try {
    bytes = viewOf(body);
    // A view of a detached buffer, or past the end of a shrunk resizable one, has no bytes:
    // it would verify as an empty body. `at` validates the view (no species constructor).
    if (bytes !== null && bytes.byteLength === 0 && isTypedArray(body)) typedArrayAt.call(body, 0);
  } catch {
    // Such views (and a Proxy posing as a typed array) throw a bare TypeError when read.
    throw unreadable(body);
  }
  if (bytes === null) {
    // No body at all is a framework's body that was never kept, not a parsed object.
    const missing = message === RAW_BODY_MESSAGE && (body === undefined || body === null);
    if (missing) throw new WebhookVerificationError('invalid_option', MISSING_BODY_MESSAGE(body));
    throw new WebhookVerificationError('invalid_payload', message);
  }
  return bytes;
}

// A new view from the built-in getters unless the body is a plain Uint8Array or Buffer:
// wasm-bindgen's glue sizes its copy by the argument's `length`, which a subclass or an own
// property can misstate (reading past the body, or writing past the allocation).
function viewOf(body) {
  // The common case, a Uint8Array or Node Buffer as made, is passed as it is.
  if (body instanceof Uint8Array) {
    const proto = Object.getPrototypeOf(body);
    if ((proto === Uint8Array.prototype || proto === bufferPrototype) && !Object.hasOwn(body, 'length')) return unshared(body);
  }
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) {
    // A typed array (any realm), or a DataView.
    const bytes = isTypedArray(body)
      ? new Uint8Array(typedArrayBuffer.call(body), typedArrayOffset.call(body), typedArrayLength.call(body))
      : new Uint8Array(dataViewBuffer.call(body), dataViewOffset.call(body), dataViewLength.call(body));
    return unshared(bytes);
  }
  // A SharedArrayBuffer, or an ArrayBuffer from another realm (a vm context, Jest's test
  // environment), which `instanceof` does not recognise.
  if (isBuffer(body)) return unshared(new Uint8Array(body));
  return null;
}

function unreadable(body) {
  let buffer = body;
  try {
    if (ArrayBuffer.isView(body)) buffer = (isTypedArray(body) ? typedArrayBuffer : dataViewBuffer).call(body);
  } catch {
    // not a real view
  }
  if (isDetached(buffer)) {
    return new WebhookVerificationError(
      'invalid_payload',
      "the body's ArrayBuffer is detached (it was transferred, e.g. with postMessage): verify the bytes " +
        'before transferring them, or pass a copy',
    );
  }
  if (isResizable(buffer)) {
    return new WebhookVerificationError(
      'invalid_payload',
      "the body's view lies past the end of its resizable ArrayBuffer, which was shrunk: pass the bytes " +
        'before resizing the buffer, or a copy',
    );
  }
  return new WebhookVerificationError('invalid_payload', RAW_BODY_MESSAGE);
}

// The built-in getters, not the properties: a subclass or an own `buffer` property could
// otherwise present a SharedArrayBuffer's view as unshared.
const getter = (proto, name) => Object.getOwnPropertyDescriptor(proto, name).get;
const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
const typedArrayBuffer = getter(TypedArrayPrototype, 'buffer');
const typedArrayOffset = getter(TypedArrayPrototype, 'byteOffset');
const typedArrayLength = getter(TypedArrayPrototype, 'byteLength');
const dataViewBuffer = getter(DataView.prototype, 'buffer');
const dataViewOffset = getter(DataView.prototype, 'byteOffset');
const dataViewLength = getter(DataView.prototype, 'byteLength');
const typedArrayTag = getter(TypedArrayPrototype, Symbol.toStringTag);
// A typed array (any realm) has a tag from this getter; a DataView has none.
const isTypedArray = (view) => typedArrayTag.call(view) !== undefined;

// Not `instanceof SharedArrayBuffer`: that misses another realm's, and pages that are not
// cross-origin isolated hide the constructor while a shared WebAssembly.Memory still has one.
// (Another realm's plain ArrayBuffer is copied too: rare, and only a copy.)
const unshared = (view) => (typedArrayBuffer.call(view) instanceof ArrayBuffer ? view : new Uint8Array(view));

const typedArrayAt = TypedArrayPrototype.at;
// Node's Buffer.prototype adds methods only (checked, in case something redefined `length`).
const bufferPrototype = Object.hasOwn(globalThis.Buffer?.prototype ?? {}, 'length') ? undefined : globalThis.Buffer?.prototype;

// `ArrayBuffer.prototype.detached` is newer than Node 20; there, slice throws on a detached
// buffer. (Only asked once reading a view failed.)
const arrayBufferLength = getter(ArrayBuffer.prototype, 'byteLength');
const detachedGetter = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'detached')?.get;
const arrayBufferSlice = ArrayBuffer.prototype.slice;
function isDetached(buffer) {
  try {
    if (arrayBufferLength.call(buffer) !== 0) return false;
  } catch {
    return false; // not an ArrayBuffer (a SharedArrayBuffer cannot be detached)
  }
  if (detachedGetter) return detachedGetter.call(buffer);
  try {
    arrayBufferSlice.call(buffer, 0, 0);
    return false;
  } catch {
    return true;
  }
}
const resizableGetter = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'resizable')?.get;
function isResizable(buffer) {
  try {
    return resizableGetter?.call(buffer) === true;
  } catch {
    return false; // not an ArrayBuffer (a growable SharedArrayBuffer never shrinks)
  }
}

// The byteLength getters check the real type (Symbol.toStringTag can be set on any object).
const byteLengthGetters = [ArrayBuffer, globalThis.SharedArrayBuffer]
  .filter((C) => typeof C === 'function')
  .map((C) => Object.getOwnPropertyDescriptor(C.prototype, 'byteLength').get);
function isBuffer(x) {
  if (x === null || typeof x !== 'object') return false;
  for (const get of byteLengthGetters) {
    try {
      get.call(x);
      return true;
    } catch {
      // not this type
    }
  }
  return false;
}

/**
 * Headers as one string, `name\0value\0name\0value\0...`, from: an array of [name, value]
 * pairs, Node's flat rawHeaders array, a WHATWG Headers, or IncomingHttpHeaders (string or
 * string[] values). One string crosses into the backend instead of two per header (each
 * crossing is a conversion). Repeated headers stay separate entries so the core can refuse
 * ambiguous duplicates. With `names` (a HeaderNames), only the headers the core reads are
 * passed. NUL never occurs in HTTP headers; a header passed with one is refused, since it
 * would shift the pairs.
 */
export function headerBlock(headers, names) {
  if (headers == null) return ''; // no headers: the core reports the missing signature header
  // Concatenation, not parts.join('\0'): the backend reads the rope in one pass, and the
  // array costs more (0.1 us of a 1.9 us verify, 2 and 12 headers alike).
  let block = '';
  if (Array.isArray(headers)) {
    if (headers.length > 0 && typeof headers[0] === 'string') {
      for (let i = 0; i + 1 < headers.length; i += 2) {
        if (names === undefined || names.reads(headers[i])) block += entry(headers[i], headers[i + 1]);
      }
    } else {
      for (const pair of headers) {
        // Not a bare TypeError from destructuring, nor a short pair read as a missing value.
        if (!Array.isArray(pair) || pair.length !== 2) throw badHeaders();
        const [k, v] = pair;
        if (names === undefined || names.reads(k)) block += entry(k, v);
      }
    }
  } else if (typeof headers.get === 'function' && typeof headers.forEach === 'function') {
    headers.forEach((v, k) => {
      if (names === undefined || names.reads(k)) block += entry(k, v);
    });
  } else if (typeof headers === 'object') {
    const keys = Object.keys(headers);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (names === undefined || names.reads(k)) block += entry(k, headers[k]);
    }
  } else {
    throw badHeaders();
  }
  return block;
}

/** A fetch `Headers` as [name, value] pairs; other forms as given. */
function headerPairs(headers) {
  if (headers == null || typeof headers.get !== 'function' || typeof headers.forEach !== 'function') return headers;
  const pairs = [];
  headers.forEach((v, k) => pairs.push([k, v]));
  return pairs;
}

function badHeaders() {
  return new WebhookVerificationError(
    'invalid_option',
    "invalid option: headers are an object, a Headers instance, an array of [name, value] pairs or Node's rawHeaders",
  );
}

/** One header's `name\0value\0` (one per value of a string[]; nothing for a missing value). */
function entry(k, v) {
  if (typeof v !== 'string') {
    if (v === undefined || v === null) return '';
    if (Array.isArray(v)) {
      let out = '';
      for (const x of v) out += entry(k, x);
      return out;
    }
    v = String(v);
  }
  const name = typeof k === 'string' ? k : String(k);
  // The same errors as the Python binding's. HTTP forbids NUL in fields; a lone surrogate only
  // app code makes (HTTP gives latin-1 text), and it has no byte form a signer could have used.
  if (name.includes('\0') || v.includes('\0')) throw malformedHeader(name, 'it contains a NUL character, which HTTP does not allow');
  if (!isWellFormed(v)) {
    throw malformedHeader(name, 'it contains a lone surrogate, which HTTP does not allow: pass the headers as the framework gave them');
  }
  return name + '\0' + v + '\0';
}

/** `malformed_header` naming the header as the core does: trimmed, lower case. */
function malformedHeader(name, reason) {
  const shown = trimBy(name, NAME_SPACE).toLowerCase().replaceAll('\0', '\\0');
  return new WebhookVerificationError('malformed_header', `the \`${shown}\` header is malformed: ${reason}`);
}

// What `names.reads` needs: HTTP's white space (the core trims ASCII white space around a
// name), and a name the core could match (the names it reads are ASCII).
const NAME_SPACE = /[\t\n\f\r ]/;
const ASCII_NAME = /^[\x21-\x7e]+$/;
const WHITE_SPACE = /\p{White_Space}/u;

/**
 * `s` without the leading and trailing characters that `space` matches (white space is in
 * the BMP: one code unit each). Not `replace(/^x+|x+$/g)`: that backtracks over every run of
 * them inside `s`, quadratic in a header name an app's own header source could pass on.
 */
function trimBy(s, space) {
  let start = 0;
  let end = s.length;
  while (start < end && space.test(s[start])) start++;
  while (end > start && space.test(s[end - 1])) end--;
  return s.slice(start, end);
}

/**
 * The header names the core reads (`hookproof::Verifier::header_names`: the backend's
 * `headerNames`, plus a ShopCtrl verifier's configured header). A request carries a
 * dozen other headers or more, and copying those into the backend cost more than the MAC of
 * a small body (0.9 us of 2.7 us for eleven headers and a 2 KB body); the core would not
 * look at them.
 */
class HeaderNames {
  #names = new Set();
  // Bit n: a name of n characters (31: of 31 or more), which rejects most others cheaply.
  #lengths = 0;

  constructor(list) {
    this.list = list;
    for (const name of list) {
      this.#names.add(name.toLowerCase());
      this.#lengths |= 1 << Math.min(name.length, 31);
    }
  }

  /** Whether the core may read a header named `k`: exactly as it matches names (headers.rs). */
  reads(k) {
    if (typeof k !== 'string') k = String(k);
    if (this.#names.has(k)) return true; // the common case: a lower-case name
    const n = k.length;
    if (n > 0 && k.charCodeAt(0) > 32 && k.charCodeAt(n - 1) > 32) {
      if (((this.#lengths >>> Math.min(n, 31)) & 1) === 0) return false;
      const lower = k.toLowerCase();
      // ASCII only: toLowerCase maps some other letters to ASCII (the Kelvin sign to `k`).
      return lower !== k && this.#names.has(lower) && ASCII_NAME.test(k);
    }
    const trimmed = trimBy(k, NAME_SPACE);
    return ASCII_NAME.test(trimmed) && this.#names.has(trimmed.toLowerCase());
  }
}

const OPTION_KEYS = ['secret', 'secrets', 'tolerance', 'username', 'password', 'hmac', 'generation'];
const HMAC_KEYS = ['header', 'algorithm', 'encoding', 'prefix'];
const SIGN_KEYS = ['now', 'id', 'eventType', 'generation', 'administrationCode', 'triggeredById'];

const invalidOption = (message) => new WebhookVerificationError('invalid_option', `invalid option: ${message}`);

// A misspelt key (`tolerence`) would otherwise be ignored and its default used in silence.
function knownKeys(object, keys, what) {
  for (const k of Object.keys(object)) {
    if (!keys.includes(k)) throw invalidOption(`unknown key \`${k}\` in ${what} (${keys.join(', ')})`);
  }
}

// `null` and `undefined` are "not given" for every option, as in the Python binding.
const given = (v) => v !== undefined && v !== null;

// Options are read from the object's own properties only, and the objects handed to the
// backend have no prototype: otherwise a polluted Object.prototype (`disableTolerance`,
// `tolerance`, `secret`) would configure every verifier that leaves the option out.
const own = (object, key) => (Object.hasOwn(object, key) ? object[key] : undefined);

// Secrets must be strings: `String()` would turn an unset environment variable into the key
// "undefined" that anyone can sign with, and spread a string given as `secrets` into
// one-character keys.
function secretList(secret, secrets) {
  const list = [];
  const add = (s) => {
    if (typeof s === 'string') list.push(wellFormed(s));
    else if (!given(s)) {
      throw new WebhookVerificationError(
        'empty_secret',
        'a configured secret is missing (undefined or null): check that the environment variable or setting holding it is set',
      );
    } else throw invalidOption('secrets are strings');
  };
  if (given(secret)) add(secret);
  if (given(secrets)) {
    if (!Array.isArray(secrets)) throw invalidOption('secrets is an array of strings');
    // An index loop: forEach skips holes (`[, 'new']`), which would shift every secretIndex.
    for (let i = 0; i < secrets.length; i++) add(secrets[i]);
  }
  return list;
}

// Node's (and Bun's) util.inspect hook, without importing node:util (this module runs in browsers).
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

// A lone UTF-16 surrogate has no UTF-8 form: it would become U+FFFD on the way to the core,
// so 'key\uD800' would verify what 'key\uFFFD' signed.
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
function isWellFormed(text) {
  return typeof text.isWellFormed === 'function' ? text.isWellFormed() : !loneSurrogate.test(text);
}

function wellFormed(secret) {
  if (isWellFormed(secret)) return secret;
  throw new WebhookVerificationError(
    'invalid_secret',
    'a configured secret is invalid: it contains a lone UTF-16 surrogate, which has no byte form: check how the secret was read or decoded',
  );
}

function optionalString(value, message) {
  if (!given(value)) return undefined;
  if (typeof value !== 'string') throw invalidOption(message);
  return value;
}

function backendOptions(options = {}) {
  if (options === null || typeof options !== 'object') {
    throw invalidOption('options must be an object such as { secret: "..." }');
  }
  knownKeys(options, OPTION_KEYS, 'the verifier options');
  const [secret, secrets, tolerance, username, password, hmac, generation] = OPTION_KEYS.map((k) => own(options, k));
  const out = { __proto__: null };
  const list = secretList(secret, secrets);
  if (list.length) out.secrets = list;
  if (tolerance === false) out.disableTolerance = true;
  else if (given(tolerance)) {
    // Whole seconds up to 2^53: a larger number would saturate to "no limit" in silence.
    if (!Number.isSafeInteger(tolerance) || tolerance < 0) {
      throw invalidOption('tolerance is a whole number of seconds, or false to disable the check');
    }
    out.tolerance = tolerance;
  }
  const user = optionalString(username, 'username is a string');
  const pass = optionalString(password, 'password is a string');
  if (user !== undefined) out.username = wellFormed(user);
  if (pass !== undefined) out.password = wellFormed(pass);
  if (given(hmac)) out.hmac = hmacOptions(hmac);
  const gen = optionalString(generation, 'generation is "legacy" or "standard"');
  if (gen !== undefined) out.generation = gen;
  return out;
}

// Checked here so that both backends throw the same WebhookVerificationError: the native
// addon's own object conversion would throw a plain TypeError without a code.
function hmacOptions(hmac) {
  const message = 'hmac is { header, algorithm, encoding, prefix? }, each a string';
  // Each option is read once: a getter could answer differently the second time.
  const header = typeof hmac === 'object' ? own(hmac, 'header') : undefined;
  if (typeof header !== 'string') throw invalidOption(message);
  knownKeys(hmac, HMAC_KEYS, 'hmac');
  const out = { __proto__: null, header };
  for (const f of HMAC_KEYS.slice(1)) {
    const v = optionalString(own(hmac, f), message);
    if (v !== undefined) out[f] = v;
  }
  // As in Python: it would become U+FFFD, a prefix or name no sender writes.
  if (!Object.values(out).every(isWellFormed)) {
    throw invalidOption('an hmac value contains a lone surrogate, which no header can carry: check how it was read');
  }
  return out;
}

// The same check for `sign`'s options: the native addon would throw a TypeError without a code.
function signOptionsOf(signOptions) {
  if (signOptions === null || typeof signOptions !== 'object') throw invalidOption('sign options are an object');
  knownKeys(signOptions, SIGN_KEYS, 'the sign options');
  const out = { __proto__: null, now: resolveNow(signOptions) };
  for (const f of SIGN_KEYS.slice(1)) {
    const v = optionalString(own(signOptions, f), `${f} is a string`);
    if (v === undefined) continue;
    // It would be sent as U+FFFD, a value nobody gave (Python refuses it too).
    if (!isWellFormed(v)) throw invalidOption(`${f} contains a lone surrogate, which no header can carry: check how it was read`);
    out[f] = v;
  }
  return out;
}

/**
 * A backend's verify result: an object { secretIndex, timestamp }, or one number (the native
 * addon, which saves the N-API calls of building an object): -(secretIndex + 1) when no
 * timestamp is signed, else timestamp * 256 + secretIndex.
 */
function unpackVerified(v) {
  if (typeof v !== 'number') return v;
  if (v < 0) return { secretIndex: -v - 1, timestamp: null };
  const secretIndex = v % 256;
  return { secretIndex, timestamp: (v - secretIndex) / 256 };
}

/**
 * A backend's parsed event, [head, raw] from either backend: `head` holds the normalised fields
 * (`Event::head_text` in the core: flat text, or JSON when a value cannot be written flat),
 * `raw` the payload text. It becomes a plain object whose `detail` is an enumerable own accessor
 * (see DETAIL_ACCESSOR) that, on first read, gets the provider model from the backend (`detailOf(raw)`, which parses
 * `raw` again) and replaces itself with the value, so an event whose `detail` is never read
 * skips most of the conversion cost. JSON.stringify, spread, structuredClone and deepEqual see
 * the full event.
 */
function eventFrom(result, detailOf) {
  const head = result[0];
  const raw = result[1];
  if (head.charCodeAt(0) === 123) {
    // JSON when a value could not be written flat (see `Event::head_text` in the core).
    const h = JSON.parse(head);
    return event(h.provider, h.idempotency_key, h.event_types, h.resources, h.timestamp, raw, detailOf);
  }
  // The flat form: `provider, idempotency_key, timestamp, n, n event types`, then runs of
  // resources that share a type and an action, `type, action, k, k ids`, `\0`-separated;
  // `\x01` is a null string, an empty timestamp null. Building the objects here costs a
  // fifth of JSON.parse on the same fields.
  const p = head.split('\0');
  const n = +p[3];
  const resources = [];
  for (let i = 4 + n; i + 2 < p.length; ) {
    const type = p[i];
    const action = p[i + 1] === NULL ? null : p[i + 1];
    const end = i + 3 + +p[i + 2];
    for (i += 3; i < end; i++) resources.push({ type, id: p[i], action });
  }
  const key = p[1];
  const ts = p[2];
  return event(p[0], key === NULL ? null : key, p.slice(4, 4 + n), resources, ts === '' ? null : +ts, raw, detailOf);
}

const NULL = '\x01';

// `detail` is an accessor defined with one shared descriptor: objects that get the same
// getter and setter functions share V8's hidden class. An object literal with `get detail()`
// makes new functions per event and leaves the object in slow dictionary mode, which cost
// ~2 us per event (more than parsing the fields). What the getter needs sits under a
// non-enumerable symbol, which JSON.stringify, spread, structuredClone and deepEqual skip.
const DETAIL = Symbol('hookproof.detail');
const DETAIL_ACCESSOR = {
  get() {
    return define(this, JSON.parse(call(this[DETAIL])));
  },
  set(value) {
    define(this, value);
  },
  enumerable: true,
  configurable: true,
};

function event(provider, idempotency_key, event_types, resources, timestamp, raw, detailOf) {
  const e = { provider, idempotency_key, event_types, resources, timestamp, raw };
  Object.defineProperty(e, DETAIL, { value: () => detailOf(raw) });
  return Object.defineProperty(e, 'detail', DETAIL_ACCESSOR);
}

function define(event, detail) {
  Object.defineProperty(event, 'detail', { value: detail, writable: true, enumerable: true, configurable: true });
  return detail;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

function resolveNow(opts) {
  if (opts !== undefined && opts !== null && typeof opts !== 'object') {
    // verify(headers, body, 1700000000) would otherwise read no `now` and use the clock.
    throw new WebhookVerificationError(
      'invalid_option',
      'invalid option: the last argument is options, { now } with unix seconds, not the time itself',
    );
  }
  const now = opts ? own(opts, 'now') : undefined;
  if (now === undefined || now === null) return nowSeconds();
  // A Date or a numeric string would be coerced differently by each backend (a Date as
  // milliseconds read as seconds): refuse anything but a number of seconds.
  // Past 2^53 a number is no longer a whole count of seconds (2 ** 64 would saturate to the
  // end of time, which with `tolerance: false` verifies anything). A fraction is dropped:
  // `Date.now() / 1000` is common and the signed times are whole seconds.
  if (typeof now !== 'number' || !(now >= 0 && now <= Number.MAX_SAFE_INTEGER)) {
    throw new WebhookVerificationError(
      'invalid_option',
      'invalid option: now is unix time in seconds, a number (from a Date: Math.floor(date.getTime() / 1000))',
    );
  }
  return Math.floor(now);
}

// The request helpers' default body limit (Express webhook(), verifyRequest, and the Python
// framework helpers alike): webhook bodies are kilobytes, and the body is read before anything
// says whether the sender is who it claims to be.
const DEFAULT_LIMIT = 1024 * 1024;

/** A `limit` option: a number of bytes (a string such as '1mb' would compare false: no limit). */
function checkLimit(limit, helper) {
  if (limit === undefined || limit === null) return DEFAULT_LIMIT; // not given, as everywhere
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw invalidOption(`${helper}: limit is a number of bytes, such as 1024 * 1024`);
  }
  return limit;
}

/**
 * A request helper's `{ now, limit }`, checked when it is called or mounted: a misspelt key
 * (`limt`, or `tolerance`, which belongs to the Verifier) would otherwise be ignored. `now`
 * may also be a function (Express: called per request).
 */
export function helperOptions(opts, helper, keys = HELPER_KEYS) {
  if (opts === undefined || opts === null) return { now: undefined, limit: DEFAULT_LIMIT, onError: undefined };
  if (typeof opts !== 'object') resolveNow(opts); // throws: the time passed where the options go
  knownKeys(opts, keys, `${helper}'s options (tolerance and secrets belong to the Verifier)`);
  const now = own(opts, 'now');
  if (given(now) && typeof now !== 'function') resolveNow({ now }); // the same checks and message as verify's
  const onError = own(opts, 'onError');
  if (given(onError) && typeof onError !== 'function') {
    throw invalidOption(`${helper}'s onError is a function (error, req) called for each refused request`);
  }
  return { now, limit: checkLimit(own(opts, 'limit'), helper), onError: given(onError) ? onError : undefined };
}
const HELPER_KEYS = ['now', 'limit'];
/** The options of a helper that answers refusals itself, and so offers a hook to see them. */
export const ANSWERING_HELPER_KEYS = [...HELPER_KEYS, 'onError'];

/** A request stream that gives text (after `req.setEncoding()`), whose bytes are gone. */
export const textStream = (reader) =>
  invalidOption(
    `the request stream gives text, not bytes: remove the req.setEncoding() call that runs before ${reader}, ` +
      'as the signature covers the bytes sent',
  );

/** The error for a body over a helper's limit (answered 413 by statusFor). */
export function tooLarge(limit, helper) {
  return new WebhookVerificationError(
    'payload_too_large',
    `the body exceeds ${limit} bytes: raise ${helper}'s \`limit\` option if such webhooks are expected`,
  );
}

/**
 * A request body gathered as it arrives, each chunk copied into one buffer that doubles as
 * needed, up to `limit` bytes. Keeping the chunks to join at the end held an object (and
 * backing store) per chunk: a 1 MiB body sent a byte per chunk took ~440 MB in Express.
 * A sender states a length for free, so it is trusted only so far: nothing is allocated
 * before the first byte, a stated length up to 16 KiB (most webhooks) is the first buffer,
 * and a larger one only stops the doubling from overshooting it.
 */
export class BodySink {
  #bytes = new Uint8Array(0);
  #size = 0;
  #stated;
  #limit;

  constructor(stated, limit) {
    const n = stated === null || stated === undefined || stated === '' ? NaN : Number(stated);
    this.#stated = Number.isSafeInteger(n) && n >= 0 ? n : Infinity;
    this.#limit = limit;
  }

  /** Copies `chunk` (bytes) in; false, and nothing kept, if the body would exceed the limit. */
  push(chunk) {
    const size = this.#size + chunk.length;
    if (size > this.#limit) return false;
    if (size > this.#bytes.length) {
      const first = this.#stated <= TRUSTED_LENGTH ? this.#stated : 0;
      let capacity = Math.max(size, 2 * this.#bytes.length, first);
      if (this.#stated >= size) capacity = Math.min(capacity, this.#stated);
      const grown = new Uint8Array(Math.min(capacity, this.#limit));
      grown.set(this.#bytes.subarray(0, this.#size));
      this.#bytes = grown;
    }
    this.#bytes.set(chunk, this.#size);
    this.#size = size;
    return true;
  }

  /**
   * The body, once at the end: memory of its own (the producer may reuse its chunks), exactly
   * its length (without a copy when the stated length was right).
   */
  bytes() {
    return this.#size === this.#bytes.length ? this.#bytes : this.#bytes.slice(0, this.#size);
  }
}
const TRUSTED_LENGTH = 16 * 1024;

// Reads a fetch Request's body, refusing one over `limit` bytes: by its Content-Length before
// reading, or once the stream grows past it (chunked bodies state no length), so an
// unauthenticated sender cannot make the receiver buffer an arbitrary amount.
async function readBody(request, limit) {
  if (request.bodyUsed || request.body?.locked) {
    throw new WebhookVerificationError(
      'invalid_option',
      'invalid option: the request body was already read (request.json(), request.text(), or an earlier ' +
        'verifyRequest): verify first and take the event and the bytes from its result, or verify the bytes ' +
        'a framework kept with verifier.verifyAndParse(request.headers, bytes) (Hono: await c.req.arrayBuffer())',
    );
  }
  const stated = request.headers.get('content-length');
  if (stated !== null && Number(stated) > limit) {
    request.body?.cancel().catch(() => {});
    throw tooLarge(limit, 'verifyRequest');
  }
  if (request.body === null) return new Uint8Array(0);
  // Counted as it arrives even with a Content-Length: a Request built in code (a proxy that
  // decompresses, say) may carry more than its header states.
  const reader = request.body.getReader();
  const sink = new BodySink(stated, limit);
  for (;;) {
    let chunk;
    try {
      chunk = await reader.read();
    } catch (e) {
      // The stream failed: the sender went away mid-body (a reset connection in Node, Bun or
      // Deno). Anyone can cause that, so it is the 400 of the Node stream path, not a 500.
      throw aborted(e);
    }
    const { done, value } = chunk;
    if (done) break;
    if (!(value instanceof Uint8Array)) {
      // Fetch bodies are bytes; another chunk has no byte length to hold to `limit`.
      reader.cancel().catch(() => {});
      throw new WebhookVerificationError(
        'invalid_option',
        'invalid option: the request body stream gave a chunk that is not a Uint8Array: build the Request with bytes',
      );
    }
    if (!sink.push(value)) {
      reader.cancel().catch(() => {});
      throw tooLarge(limit, 'verifyRequest');
    }
  }
  // Copied even when it came in one chunk: that chunk is the producer's memory (a pooled
  // Buffer, say), which could change between the verification and the parse.
  return sink.bytes();
}

/** A Node request stream (`http.IncomingMessage`: Koa's `ctx.req`, a plain server's `req`). */
const isNodeRequest = (request) =>
  typeof request?.on === 'function' && Array.isArray(request.rawHeaders) && typeof request.headers?.get !== 'function';

/**
 * Reads a Node request stream as a body parser would, within `limit`: refused by its stated
 * length before reading, or once it grows past the limit; a text stream (after setEncoding)
 * has lost its bytes; an abort is `request_aborted`. On a refusal nothing more is read.
 * `helper` names the caller in messages. Shared by verifyRequest and the Express middleware.
 */
export async function readNodeBody(req, limit, helper = 'verifyRequest') {
  // Gone before we began (an earlier middleware awaited): no event would ever come. Checked
  // first: node:http2 ends an aborted request's stream, which would read as "already read".
  if (req.aborted) throw aborted();
  if (req.readableEnded) {
    throw invalidOption(
      req.body instanceof Uint8Array
        ? 'the request body was already read, and kept in req.body (express.raw()): verify those bytes with ' +
            'verifier.verifyAndParse(req.rawHeaders, req.body)'
        : 'the request body was already read by a body parser (koa-bodyparser, express.json(), NestJS without ' +
            'rawBody: true, Next.js unless bodyParser: false): call verifyRequest before it runs, or verify the bytes ' +
            "it kept with verifier.verifyAndParse(req.rawHeaders, bytes) (Fastify: a content type parser with parseAs: 'buffer')",
    );
  }
  // Destroyed unread, with no abort seen (by a timeout, say): as gone. (Read whole, it is
  // destroyed too, and ended: said above.)
  if (req.destroyed) throw aborted();
  if (req.listenerCount?.('readable') > 0) {
    throw invalidOption(`the request stream is read by a 'readable' listener already: call ${helper} before that reader`);
  }
  const stated = req.headers?.['content-length'];
  if (Number(stated) > limit) {
    closeWhenAnswered(req);
    throw overLimit(limit, req, helper);
  }
  return new Promise((resolve, reject) => {
    const sink = new BodySink(stated, limit);
    const settle = (how, value) => {
      req.off('data', data);
      req.off('end', end);
      req.off('error', failed);
      req.off('close', failed);
      how(value);
    };
    const refuse = (e) => {
      req.pause?.();
      closeWhenAnswered(req);
      settle(reject, e);
    };
    const data = (chunk) => {
      if (!(chunk instanceof Uint8Array)) {
        refuse(textStream(helper));
      } else if (!sink.push(chunk)) refuse(overLimit(limit, req, helper));
    };
    const end = () => settle(resolve, sink.bytes());
    // An error or a close before the end: the sender went away mid-body.
    const failed = (e) => settle(reject, aborted(e));
    req.on('data', data);
    req.on('end', end);
    req.on('error', failed);
    req.on('close', failed);
    // A stream paused before (by earlier middleware) would not start for a 'data' listener.
    req.resume?.();
  });
}
/**
 * HTTP/2: the stream of a request refused unread stays open while its sender goes on sending
 * (paused, its window full; destroy() leaves it so too), so once the answer is sent it is reset
 * with NO_ERROR, which RFC 9113 (8.1) allows after a complete response. (HTTP/1 closes the
 * connection instead: `Connection: close` in the error's `headers`.)
 */
export function closeWhenAnswered(req) {
  const stream = req.stream;
  if (!(req.httpVersionMajor >= 2) || typeof stream?.close !== 'function' || stream.closed) return;
  if (stream.writableFinished) stream.close();
  else stream.once('finish', () => stream.close());
}
// A 400 that frameworks neither log as a failure of theirs nor hide (Koa logs a 500 per abort),
// with a code of its own: anyone can cause it, unlike an authentic request's invalid_payload.
function aborted(cause) {
  const e = new WebhookVerificationError(
    'request_aborted',
    'request aborted: the request ended before its body did (the sender went away): nothing to verify',
  );
  if (cause instanceof Error) Object.defineProperty(e, 'cause', { value: cause, configurable: true, writable: true });
  return e;
}
// Over the limit while reading a Node stream: the rest is not read, so the connection cannot
// serve another request. `headers`, which Koa's and Fastify's error handlers send, closes it
// (left open, Node would read and discard a stated length of any size). HTTP/2 has no such
// header (Node warns and drops it): closeWhenAnswered ends the stream there.
function overLimit(limit, req, helper) {
  const e = tooLarge(limit, helper);
  if (!(req.httpVersionMajor >= 2)) {
    Object.defineProperty(e, 'headers', { value: { Connection: 'close' }, configurable: true, writable: true });
  }
  return e;
}
/** Builds the public API over a backend (native addon or WebAssembly). */
export function createApi(backend, { implementation = 'native' } = {}) {
  const FROM_REQUEST = Symbol('verifyRequest');
  // The header names any scheme reads, and each provider's own, asked of the backend on first
  // use (`[id, ...names]` per provider).
  let names;
  let namesById;
  const anyNames = () => {
    if (names === undefined) {
      const groups = backend.headerNames();
      namesById = new Map(groups.map(([id, ...list]) => [id, list]));
      names = new HeaderNames([...new Set(groups.flatMap(([, ...list]) => list))]);
    }
    return names;
  };

  class Verifier {
    #inner;
    #provider;
    #names;
    #ownNames;

    constructor(provider, options = {}) {
      // The core reads names case-insensitively; results carry its id ('Extend' -> 'extend').
      this.#provider = call(() => backend.providerId(String(provider)));
      const checked = backendOptions(options);
      this.#inner = call(() => new backend.Verifier(this.#provider, checked));
      // A ShopCtrl verifier also reads its configured HMAC header, trimmed as the core trims
      // it (Rust's str::trim: White_Space, which differs from JS trim in U+0085 and U+FEFF).
      const header = checked.hmac?.header;
      const custom = header == null ? undefined : trimBy(header, WHITE_SPACE);
      this.#names = custom === undefined ? anyNames() : new HeaderNames([...anyNames().list, custom]);
      const ownNames = namesById.get(this.#provider);
      const extra = custom?.toLowerCase();
      // `Headers.get` joins repeated Set-Cookie values, which `forEach` gives apart.
      if (extra !== 'set-cookie') {
        this.#ownNames = extra === undefined || ownNames.includes(extra) ? ownNames : [...ownNames, extra];
      }
    }

    /**
     * From a fetch `Headers`, the block of only the headers this verifier's scheme reads
     * (`Provider::header_names`), each by `get`: in workerd that costs less than walking a
     * request's dozen headers (~0.3 us each). Otherwise undefined.
     */
    #cut(headers) {
      if (typeof headers?.get !== 'function' || this.#ownNames === undefined) return undefined;
      if (typeof Headers !== 'function' || !(headers instanceof Headers)) return undefined;
      let block = '';
      for (const name of this.#ownNames) {
        const v = headers.get(name);
        if (v !== null) block += entry(name, v);
      }
      return block;
    }

    /**
     * The error to throw for backend error `e` (a promise of it when `run` is async). After a
     * `missing_header` from a cut block, `run` on every header the core may read gives the
     * same error with the hint that can name another provider's header; a different outcome
     * there means the headers changed since they were read, and the first error stands.
     */
    #hinted(e, cut, headers, run) {
      const error = fromBackend(e);
      if (cut === undefined || error.code !== 'missing_header') return error;
      const pick = (again) => {
        const hinted = fromBackend(again);
        return hinted.code === 'missing_header' ? hinted : error;
      };
      try {
        const result = run(headerBlock(headers, this.#names));
        return typeof result?.then === 'function' ? result.then(() => error, pick) : error;
      } catch (again) {
        return pick(again);
      }
    }

    get provider() {
      return this.#provider;
    }

    /** Verifies the raw body; returns { provider, secretIndex, timestamp } or throws. */
    verify(headers, body, opts) {
      // The body is taken last: a getter in the headers or options could detach it.
      const cut = this.#cut(headers);
      const block = cut ?? headerBlock(headers, this.#names);
      const now = opts === undefined ? nowSeconds() : resolveNow(opts);
      const bytes = toBytes(body);
      let v;
      try {
        v = this.#inner.verify(block, bytes, now);
      } catch (e) {
        throw this.#hinted(e, cut, headers, (whole) => this.#inner.verify(whole, bytes, now));
      }
      if (typeof v === 'number') {
        // The native addon's packed form (see unpackVerified), decoded inline: this is the
        // hot path.
        if (v < 0) return { provider: this.#provider, secretIndex: -v - 1, timestamp: null };
        const secretIndex = v % 256;
        return { provider: this.#provider, secretIndex, timestamp: (v - secretIndex) / 256 };
      }
      // `?? null`: the addon leaves out an absent timestamp (napi's Option).
      return { provider: this.#provider, secretIndex: v.secretIndex, timestamp: v.timestamp ?? null };
    }

    /** Like verify, as a promise; the WebAssembly build computes the MAC with WebCrypto. */
    async verifyAsync(headers, body, opts) {
      const inner = this.#inner;
      if (typeof inner.verifyAsync === 'function') {
        const cut = this.#cut(headers);
        const block = cut ?? headerBlock(headers, this.#names);
        const now = resolveNow(opts);
        const bytes = toBytes(body);
        let v;
        try {
          v = unpackVerified(await inner.verifyAsync(block, bytes, now));
        } catch (e) {
          throw await this.#hinted(e, cut, headers, (whole) => inner.verifyAsync(whole, bytes, now));
        }
        return { provider: this.#provider, secretIndex: v.secretIndex, timestamp: v.timestamp };
      }
      return this.verify(headers, body, opts);
    }

    /** Parses without verifying (verify first). */
    parse(headers, body) {
      const cut = this.#cut(headers);
      const block = cut ?? headerBlock(headers, this.#names);
      const bytes = toBytes(body);
      const inner = this.#inner;
      let event;
      try {
        event = inner.parse(block, bytes);
      } catch (e) {
        throw this.#hinted(e, cut, headers, (whole) => inner.parse(whole, bytes));
      }
      return eventFrom(event, (raw) => inner.detail(block, raw));
    }

    /** Verifies the raw body, then parses it; returns the event or throws. */
    verifyAndParse(headers, body, opts) {
      const cut = this.#cut(headers);
      const block = cut ?? headerBlock(headers, this.#names);
      const now = resolveNow(opts);
      const bytes = toBytes(body);
      const inner = this.#inner;
      let event;
      try {
        event = inner.verifyAndParse(block, bytes, now);
      } catch (e) {
        throw this.#hinted(e, cut, headers, (whole) => inner.verifyAndParse(whole, bytes, now));
      }
      return eventFrom(event, (raw) => inner.detail(block, raw));
    }

    /**
     * verifyRequest's: reads the headers once, before the body (a Request built in code has
     * mutable headers), verifies and parses that reading. After a missing header the whole
     * request is read again for the hint only (see #hinted).
     */
    async [FROM_REQUEST](request, limit, now) {
      const { headers } = request;
      const cut = this.#cut(headers);
      const block = cut ?? headerBlock(headers, this.#names);
      const body = await readBody(request, limit);
      const at = resolveNow({ now });
      const bytes = toBytes(body);
      const inner = this.#inner;
      try {
        if (typeof inner.verifyAsync === 'function') await inner.verifyAsync(block, bytes, at);
        else inner.verify(block, bytes, at);
      } catch (e) {
        const run = (whole) => (typeof inner.verifyAsync === 'function' ? inner.verifyAsync(whole, bytes, at) : inner.verify(whole, bytes, at));
        throw await this.#hinted(e, cut, headers, run);
      }
      const event = eventFrom(call(() => inner.parse(block, bytes)), (raw) => inner.detail(block, raw));
      return { event, body };
    }

    get [Symbol.toStringTag]() {
      return `Verifier(${this.#provider})`;
    }
  }

  /** The request a provider would send for `payload` (first secret), for tests. */
  function sign(provider, options, payload, signOptions = {}) {
    // The payload is taken last: a getter in the options could detach it.
    const id = String(provider);
    const checked = backendOptions(options);
    const extra = signOptionsOf(signOptions);
    const bytes = toBytes(payload, SIGN_PAYLOAD_MESSAGE);
    const req = call(() => backend.sign(id, checked, bytes, extra));
    const headers = {};
    for (const [k, v] of req.headers) headers[k] = v;
    // The body as signed: a BOM kept, and bytes that are not UTF-8 refused rather than
    // replaced (either change would give a body its own signature does not cover).
    let body;
    try {
      body = strictUtf8.decode(req.body);
    } catch {
      throw new WebhookVerificationError(
        'invalid_payload',
        'the payload is invalid: sign returns the body as text, and this payload is not UTF-8: pass UTF-8 bytes',
      );
    }
    const signed = { method: req.method, headers, body };
    // Header values carry signatures, shared secrets and credentials: console.log
    // shows the names only, as the core's Debug and Python's repr do (`headers` still has them).
    const size = req.body.length;
    Object.defineProperty(signed, INSPECT, {
      value: () => `SignedRequest { method: '${signed.method}', headers: <${Object.keys(signed.headers).join(', ')}>, body: <${size} bytes> }`,
    });
    return signed;
  }

  /** Parses without verifying. */
  function parse(provider, headers, body) {
    const block = headerBlock(headers, anyNames());
    const id = String(provider);
    return eventFrom(call(() => backend.parse(id, block, toBytes(body))), (raw) => backend.parseDetail(id, block, raw));
  }

  /** The value to answer Extend Commerce's `?echo=` registration check with, or null. */
  function extendEchoResponse(urlOrQuery) {
    return backend.extendEchoResponse(String(urlOrQuery)) ?? null;
  }

  /**
   * For fetch-style handlers (Hono, Next.js route handlers, Workers, Deno), and Node request
   * streams (Koa's `ctx.req`, a plain `http` server): reads the body once (at most `limit`
   * bytes), verifies it, parses it. Returns { event, body }; throws WebhookVerificationError
   * (`payload_too_large` over the limit: statusFor gives 413).
   */
  async function verifyRequest(request, verifier, opts) {
    const { now, limit } = helperOptions(opts, 'verifyRequest');
    if (typeof now === 'function') {
      throw invalidOption('verifyRequest: now is unix time in seconds (a function is for the Express middleware)');
    }
    if (isNodeRequest(request)) {
      // rawHeaders keeps repeated headers apart, so duplicates are detected; copied, as the
      // body arrives after.
      const headers = [...request.rawHeaders];
      const body = await readNodeBody(request, limit);
      return { event: verifier.verifyAndParse(headers, body, { now }), body };
    }
    if (typeof request?.headers?.get !== 'function') {
      throw invalidOption('verifyRequest takes a fetch Request or a Node request stream (in Koa ctx.req, not ctx.request)');
    }
    // One reading of the headers for both calls: a Request built in code has mutable headers,
    // which could change while the body is read or the MAC is computed.
    // A subclass may override verifyAsync or parse: it takes the general path.
    if (Object.getPrototypeOf(verifier) === Verifier.prototype) return verifier[FROM_REQUEST](request, limit, now);
    const headers = headerPairs(request.headers);
    const body = await readBody(request, limit);
    await verifier.verifyAsync(headers, body, { now });
    return { event: verifier.parse(headers, body), body };
  }

  return {
    Verifier,
    WebhookVerificationError,
    sign,
    parse,
    extendEchoResponse,
    verifyRequest,
    statusFor,
    implementation,
    providers: ['centra', 'centrali', 'orisha', 'shopctrl', 'extend', 'standardwebhooks'],
  };
}
