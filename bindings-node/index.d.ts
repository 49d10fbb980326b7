/** Provider ids, the same in every hookproof binding. */
export type ProviderId = 'centra' | 'centrali' | 'orisha' | 'shopctrl' | 'extend' | 'standardwebhooks';

/** ShopCtrl's HMAC format (ShopCtrl does not publish it: state what your installation sends). */
export interface HmacOptions {
  header: string;
  algorithm?: 'sha1' | 'sha256' | 'sha512';
  encoding?: 'hex' | 'base64';
  prefix?: string;
}

export interface VerifierOptions {
  /** The endpoint secret. `whsec_` secrets (Standard Webhooks) are base64. */
  secret?: string;
  /** Several secrets during rotation: any may match (`secretIndex` says which). */
  secrets?: string[];
  /** Seconds a signed timestamp may be off, past and future (default 300); `false` disables. */
  tolerance?: number | false;
  /** ShopCtrl Basic credentials of the "Call Webhook" action. */
  username?: string;
  password?: string;
  /** ShopCtrl HMAC format, with `secret`. */
  hmac?: HmacOptions;
  /**
   * Centrali: accept only this generation's scheme (default: each request's headers tell).
   * Pin it once the endpoint receives one generation: for a secret without `whsec_`, a captured
   * 6.1 delivery could otherwise be re-sent as a legacy one, which has no timestamp.
   */
  generation?: 'legacy' | 'standard';
}

export interface VerifyOptions {
  /** Unix time in seconds to verify at (default: now). */
  now?: number;
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
export type BodyInput = Uint8Array | ArrayBuffer | ArrayBufferView | string;

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
  | 'unknown_provider'
  | 'unsupported_scheme'
  | 'unconfigured_scheme'
  | 'invalid_option';

export type HintCode =
  | 'secret_whitespace'
  | 'other_provider'
  | 'centra_body_decoded'
  | 'body_reserialised'
  | 'credential_mismatch'
  | 'other_generation';

export class WebhookVerificationError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | null;
  readonly hintCode: HintCode | null;
}

export class Verifier {
  constructor(provider: ProviderId, options: VerifierOptions);
  readonly provider: ProviderId;
  verify(headers: HeadersInput, body: BodyInput, options?: VerifyOptions): Verified;
  verifyAsync(headers: HeadersInput, body: BodyInput, options?: VerifyOptions): Promise<Verified>;
  parse(headers: HeadersInput, body: BodyInput): WebhookEvent;
  verifyAndParse(headers: HeadersInput, body: BodyInput, options?: VerifyOptions): WebhookEvent;
}

export interface SignOptions {
  now?: number;
  /** Message / event id (derived from the payload when absent). */
  id?: string;
  /** Orisha's X-Event-Type (required there); Centrali 6.1+'s Centrali-Event-Type (default: the payload's event/type,
   * which parsing prefers as it is signed). Other schemes, legacy Centrali included, send no such header. */
  eventType?: string;
  /** Centrali generation to sign as (default: the verifier options' `generation`, else "standard", 6.1+). */
  generation?: 'legacy' | 'standard';
  /** Orisha's X-Administration-Code, sent when given. */
  administrationCode?: string;
  /** Orisha's X-TriggeredBy-Id, sent when given. */
  triggeredById?: string;
}

export interface SignedRequest {
  method: 'POST';
  headers: Record<string, string>;
  body: string;
}

/** The request a provider would send for `payload` (first secret): for testing receivers. */
export function sign(provider: ProviderId, options: VerifierOptions, payload: BodyInput, options2?: SignOptions): SignedRequest;
/** Parses without verifying. */
export function parse(provider: ProviderId, headers: HeadersInput, body: BodyInput): WebhookEvent;
/** The value to answer Extend Commerce's `GET ?echo=` registration check with, or null. */
export function extendEchoResponse(urlOrQuery: string): string | null;
/** The HTTP status a receiver should answer for an error (401, 400 or 500). */
export function statusFor(error: unknown): number;

/** For fetch-style handlers: reads the body once, verifies, parses. */
export function verifyRequest(
  request: Request,
  verifier: Verifier,
  options?: VerifyOptions,
): Promise<{ event: WebhookEvent; body: Uint8Array }>;

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
