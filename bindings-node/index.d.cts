// The package's types, for both entries: index.d.ts (the ES module's) re-exports them.
/** Provider ids, the same in every hookproof binding. */
export type ProviderId = 'centra' | 'centrali' | 'orisha' | 'shopctrl' | 'extend' | 'standardwebhooks';

/** ShopCtrl's HMAC format (ShopCtrl does not publish it: state what your installation sends). */
export interface HmacOptions {
  header: string;
  algorithm: 'sha1' | 'sha256' | 'sha512';
  encoding: 'hex' | 'base64';
  prefix?: string | undefined;
}

export interface VerifierOptions {
  /** The endpoint secret. `whsec_` secrets (Standard Webhooks) are base64. */
  secret?: string | undefined;
  /** Several secrets during rotation: any may match (`secretIndex` says which). */
  secrets?: string[] | undefined;
  /** Seconds a signed timestamp may be off, past and future (default 300); `false` disables. */
  tolerance?: number | false | undefined;
  /** ShopCtrl Basic credentials of the "Call Webhook" action. */
  username?: string | undefined;
  password?: string | undefined;
  /** ShopCtrl HMAC format, with `secret`. */
  hmac?: HmacOptions | undefined;
  /**
   * Centrali: accept only this generation's scheme (default: each request's headers tell).
   * Pin it once the endpoint receives one generation: for a secret without `whsec_`, a captured
   * 6.1 delivery could otherwise be re-sent as a legacy one, which has no timestamp.
   */
  generation?: 'legacy' | 'standard' | undefined;
}

export interface VerifyOptions {
  /** Unix time in seconds to verify at (default: now). */
  now?: number | undefined;
}

/**
 * Headers as Node and fetch give them: Express/`http` IncomingHttpHeaders, Node's flat
 * `rawHeaders`, a WHATWG `Headers`, or [name, value] pairs. Names are case-insensitive.
 */
export type HeadersInput =
  | Record<string, string | string[] | undefined>
  | Headers
  | ReadonlyArray<readonly [string, string]>
  | ReadonlyArray<string>;

/** The raw request bytes. A parsed object is refused with `invalid_payload`. */
export type BodyInput = Uint8Array | ArrayBuffer | SharedArrayBuffer | ArrayBufferView | string;

export interface Verified {
  provider: ProviderId;
  /** Index of the configured secret that matched. */
  secretIndex: number;
  /** The signed timestamp (unix seconds) for schemes that sign one. */
  timestamp: number | null;
}

export interface Resource {
  type: string;
  /** Always a string, so ids beyond 2^53 stay exact. */
  id: string;
  action: string | null;
}

/**
 * A parsed webhook: the normalised view every provider shares (snake_case keys, the same in
 * every binding) and `detail`, the provider's own model. Numbers inside `detail` are JS
 * numbers; Centra ids are decimal strings, and `raw` keeps the exact JSON text. With the
 * native addon `detail` is an enumerable own accessor that converts the model on first read
 * and then becomes a plain data property (assignable; JSON.stringify and spread include it).
 */
export interface WebhookEvent<Detail = Record<string, unknown>> {
  provider: ProviderId;
  idempotency_key: string | null;
  event_types: string[];
  resources: Resource[];
  timestamp: number | null;
  raw: string;
  detail: Detail;
}

// The provider models of `detail`, as the core serialises them: every member is present, `null`
// when the request had none; `extra` holds members the model does not name, as sent. Type
// aliases rather than interfaces, so that each is also a `Record<string, unknown>`.

/** Centra's `detail`. */
export type CentraDetail = {
  /** Which Centra API the webhook was configured for. */
  api: 'checkout' | 'storefront' | 'integration';
  /** Checkout and Storefront: field name → ids, as Centra sends them. */
  ids: Record<string, string[]>;
  /** Integration API events. */
  events: CentraIntegrationEvent[];
  extra: Record<string, unknown>;
};

/** One Centra Integration API event. */
export type CentraIntegrationEvent = {
  /** `order`, `shipment`, `customer`, `account`, `return`, ... */
  type: string;
  /** `create`, `update`, `good_to_go`, ... */
  action: string;
  /** `YYYY-MM-DD HH:MM:SS.ffffff`, no zone, as sent. */
  date: string | null;
  /** A decimal string: exact beyond 2^53. */
  id: string;
  data: unknown;
  extra: Record<string, unknown>;
};

/** Centrali's `detail`, either generation. */
export type CentraliDetail = {
  generation: 'legacy' | 'standard';
  /** `record.created` (legacy), `record_created` (6.1+). */
  event: string | null;
  workspace: string | null;
  /** The body's `timestamp` text, as sent. */
  timestamp: string | null;
  structure: string | null;
  record_id: string | null;
  /** `data.record`. */
  record: unknown;
  /** The rest of `data`. */
  data: Record<string, unknown>;
  /** 6.1+: the message id. */
  id: string | null;
  /** 6.1+: `Centrali-Retry-Attempt` (not signed). */
  retry_attempt: number | null;
  /** 6.1+: `Centrali-Test-Event: true` (not signed). */
  test: boolean;
  extra: Record<string, unknown>;
};

/** Orisha Commerce Portal's `detail`: its headers, and the code fields read from the body. */
export type OrishaDetail = {
  event_id: string | null;
  event_type: string | null;
  administration_code: string | null;
  triggered_by_id: string | null;
  item_code: string | null;
  customer_code: string | null;
  price_list_code: string | null;
  contact_person_code: string | null;
  address_code: string | null;
  /** The JSON body as sent. */
  body: unknown;
};

/** ShopCtrl's `detail`. */
export type ShopCtrlDetail = {
  /** The default payload's `entityData` (`OrderId`, `ProductCode`, ...); null for a custom payload, or when
   * ShopCtrl sends it null (unknown at event time) or not an object. */
  entity_data: Record<string, unknown> | null;
  /** The body when it is JSON, else null (XML and text payloads: use `raw`). */
  body: unknown;
};

/** Extend Commerce's `detail`. */
export type ExtendDetail = {
  /** The same across retries. */
  id: string | null;
  /** Counts from 1. */
  attempt: number | null;
  properties: Record<string, unknown>;
  notifications: ExtendNotification[];
  extra: Record<string, unknown>;
};

/** One Extend notification. */
export type ExtendNotification = {
  /** `OrderCreated`, `BalanceChanged`, `PickingStarted`, ... */
  action: string;
  details: ExtendDetails;
  extra: Record<string, unknown>;
};

/** An Extend notification's `Details`. */
export type ExtendDetails = {
  order_number: string | null;
  order_type: string | null;
  warehouse: string | null;
  product_number: string | null;
  balance: number | null;
  available_balance: number | null;
  event_name: string | null;
  event_type: string | null;
  customer_number: string | null;
  invoice_number: string | null;
  offer_number: string | null;
  price_list_name: string | null;
  /** PickingStarted's `Order`. */
  order: ExtendDetails | null;
  /** `Row` (PickingStarted: on `details.order`). */
  row: unknown;
  extra: Record<string, unknown>;
};

/** Standard Webhooks' `detail`. */
export type StandardWebhooksDetail = {
  id: string | null;
  type: string | null;
  timestamp: string | null;
  data: unknown;
  extra: Record<string, unknown>;
};

/** Each provider's `detail`. */
export type EventDetails = {
  centra: CentraDetail;
  centrali: CentraliDetail;
  orisha: OrishaDetail;
  shopctrl: ShopCtrlDetail;
  extend: ExtendDetail;
  standardwebhooks: StandardWebhooksDetail;
};

/**
 * The event of provider `P`, with its typed `detail`. For several providers (the default: all)
 * a union that checking `event.provider` narrows.
 */
export type EventOf<P extends ProviderId = ProviderId> = P extends ProviderId
  ? WebhookEvent<EventDetails[P]> & { provider: P }
  : never;

export type ErrorCode =
  | 'missing_header'
  | 'duplicate_header'
  | 'malformed_header'
  | 'bad_encoding'
  | 'signature_mismatch'
  | 'timestamp_too_old'
  | 'timestamp_in_future'
  | 'empty_secret'
  | 'invalid_secret'
  | 'invalid_payload'
  /** The body exceeds a request helper's `limit` (verifyRequest, the Express middleware). */
  | 'payload_too_large'
  /** The sender went away before the body ended (verifyRequest on a Node stream, the Express middleware): 400. */
  | 'request_aborted'
  | 'unknown_provider'
  | 'unsupported_scheme'
  | 'unconfigured_scheme'
  | 'invalid_option';

export type HintCode =
  | 'secret_whitespace'
  /**
   * The request is signed with the base64 decoding of a configured Standard Webhooks (or Centrali
   * 6.1) secret given without `whsec_`, which is read as text: add the prefix. (`verifyAsync`
   * with WebCrypto, for bodies from 2 KB in the WebAssembly build, cannot tell.)
   */
  | 'secret_unprefixed'
  | 'other_provider'
  | 'centra_body_decoded'
  | 'body_reserialised'
  /** The body is empty: a body parser or earlier code read the request first. */
  | 'body_empty'
  | 'credential_mismatch'
  | 'other_generation';

export class WebhookVerificationError extends Error {
  constructor(code: ErrorCode, message: string, hint?: string | null, hintCode?: HintCode | null);
  readonly code: ErrorCode;
  readonly hint: string | null;
  readonly hintCode: HintCode | null;
  /** `statusFor(this)`, for frameworks' error handlers (Koa's `status`, Fastify's `statusCode`), which may also assign it. */
  status: number;
  statusCode: number;
  /** Whether a framework may show the message to the sender: false for configuration errors (500). */
  expose: boolean;
  /**
   * Headers to answer with, which Koa's and Fastify's error handlers send: `{ Connection: 'close' }`
   * on `payload_too_large` from verifyRequest reading a Node stream, whose rest is left unread.
   */
  readonly headers?: Record<string, string>;
}

/** Built once per endpoint; `P` (inferred from `provider`) types the events' `detail`. */
export class Verifier<P extends ProviderId = ProviderId> {
  constructor(provider: P, options: VerifierOptions);
  readonly provider: P;
  verify(headers: HeadersInput, body: BodyInput, options?: VerifyOptions): Verified;
  verifyAsync(headers: HeadersInput, body: BodyInput, options?: VerifyOptions): Promise<Verified>;
  parse(headers: HeadersInput, body: BodyInput): EventOf<P>;
  verifyAndParse(headers: HeadersInput, body: BodyInput, options?: VerifyOptions): EventOf<P>;
}

export interface SignOptions {
  now?: number | undefined;
  /** The `webhook-id` of Standard Webhooks and Centrali 6.1+, or Orisha's X-Event-Id (derived from the payload
   * and `now` when absent). Other schemes send no id header: Extend's id is the payload's `Id`. */
  id?: string | undefined;
  /** Orisha's X-Event-Type (required there); Centrali 6.1+'s Centrali-Event-Type (default: the payload's event/type,
   * which parsing prefers as it is signed). Other schemes, legacy Centrali included, send no such header. */
  eventType?: string | undefined;
  /** Centrali generation to sign as (default: the verifier options' `generation`, else "standard", 6.1+). */
  generation?: 'legacy' | 'standard' | undefined;
  /** Orisha's X-Administration-Code, sent when given. */
  administrationCode?: string | undefined;
  /** Orisha's X-TriggeredBy-Id, sent when given. */
  triggeredById?: string | undefined;
}

export interface SignedRequest {
  method: 'POST';
  headers: Record<string, string>;
  /** The payload as signed, byte for byte (a BOM kept); `sign` refuses a payload that is not UTF-8. */
  body: string;
}

/** The request a provider would send for `payload` (first secret): for testing receivers. */
export function sign(provider: ProviderId, options: VerifierOptions, payload: BodyInput, signOptions?: SignOptions): SignedRequest;
/** Parses without verifying. */
export function parse<P extends ProviderId>(provider: P, headers: HeadersInput, body: BodyInput): EventOf<P>;
/**
 * The value to answer Extend Commerce's `GET ?echo=` registration check with, or null. Send it
 * as `text/plain`: it is the caller's text, which as HTML would be reflected script.
 */
export function extendEchoResponse(urlOrQuery: string): string | null;
/** The HTTP status a receiver should answer for an error (401, 400, 413 or 500). */
export function statusFor(error: unknown): number;

export interface VerifyRequestOptions extends VerifyOptions {
  /** Largest body read, in bytes (default 1 MiB); a larger one is `payload_too_large`. */
  limit?: number | null | undefined;
}

/**
 * A Node request stream, `http.IncomingMessage` (Koa's `ctx.req`, a plain `http` server's
 * `req`), described by what verifyRequest uses, so that these types need no `@types/node`.
 */
export interface NodeRequest {
  readonly rawHeaders: string[];
  readonly headers: Record<string, string | string[] | undefined>;
  readonly readableEnded: boolean;
  readonly destroyed: boolean;
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
  pause(): unknown;
  resume(): unknown;
}

/**
 * For fetch-style handlers (a `Request`) and Node request streams (Koa's `ctx.req`): reads the
 * body once (at most `limit` bytes), verifies, parses.
 */
export function verifyRequest<P extends ProviderId>(
  request: Request | NodeRequest,
  verifier: Verifier<P>,
  options?: VerifyRequestOptions,
): Promise<{ event: EventOf<P>; body: Uint8Array }>;

/** Which backend is in use. */
export const implementation: 'native' | 'wasm';
export const providers: ProviderId[];

declare const api: {
  Verifier: typeof Verifier;
  WebhookVerificationError: typeof WebhookVerificationError;
  sign: typeof sign;
  parse: typeof parse;
  extendEchoResponse: typeof extendEchoResponse;
  verifyRequest: typeof verifyRequest;
  statusFor: typeof statusFor;
  implementation: typeof implementation;
  providers: typeof providers;
};
export default api;
