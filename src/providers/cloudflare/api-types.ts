import type { HttpFailure } from "../kit/http-types.ts";

/**
 * The parts of the Cloudflare v4 API the provider speaks, and how one call can end.
 * Every answer is an envelope `{ success, errors: [{ code, message, error_chain? }], messages, result, result_info? }`.
 */

export interface CfError {
  code: number;
  message: string;
  error_chain?: CfError[];
}

/** Pagination as Cloudflare documents it (`count`, `page`, `per_page`, `total_count`); any part may be missing. */
export interface CfResultInfo {
  page?: number;
  per_page?: number;
  count?: number;
  total_count?: number;
  total_pages?: number;
}

export interface CfZone {
  id: string;
  name: string;
  status?: string;
}

export interface CfRecord {
  id: string;
  type: string;
  name: string;
  content: string;
}

/** The body of `POST /zones/{zone_id}/dns_records/batch`; Cloudflare runs deletes, patches, puts, then posts. */
export interface CfBatchBody {
  deletes?: Array<{ id: string }>;
  patches?: Array<{ id: string; content: string }>;
  posts?: Array<{ type: string; name: string; content: string; ttl: number; proxied: boolean }>;
}

export interface CfBatchResult {
  deletes?: CfRecord[];
  patches?: CfRecord[];
  puts?: CfRecord[];
  posts?: CfRecord[];
}

/** Why a call did not succeed. */
export type FailureReason =
  /** The answer passed the client's byte cap, was compressed, or was a redirect ddnsd does not follow
   *  (explained by the kit, from `http`). */
  | "too-large"
  | "encoding"
  | "redirect"
  /** Cloudflare answered with an envelope saying `success: false` (any HTTP status, 200 included). */
  | "api"
  /** An HTTP error status without a usable envelope (e.g. an empty 502). */
  | "http"
  /** An HTML page instead of JSON (an edge error page, a captive portal, a proxy). */
  | "html"
  /** A body that is not JSON, or JSON that is not an API envelope. */
  | "invalid-json"
  | "timeout"
  /** `options.signal` was aborted (shutdown or the engine's deadline). */
  | "aborted"
  /** The connection was refused: nothing was sent. */
  | "refused"
  /** Any other transport failure (reset, DNS, TLS): the request may have reached Cloudflare. */
  | "network"
  /** Held back by ddnsd's own limiter: nothing was sent. */
  | "local-rate-limit"
  /** The token holds characters an HTTP header cannot carry: nothing was sent. */
  | "bad-token";

export interface ApiFailure {
  reason: FailureReason;
  /** HTTP status when there was an answer. */
  status?: number;
  errors: CfError[];
  /** Milliseconds to wait, from `Retry-After` or the local limiter. */
  retryAfterMs?: number;
  /** True when the request may have reached Cloudflare but its answer was lost or unreadable. */
  mayHaveArrived: boolean;
  /** Short transport detail for logs and messages (never a secret). */
  detail?: string;
  /** The kit client's failure, for the reasons the kit explains (too-large, encoding, redirect). */
  http?: HttpFailure;
}

export type ApiAnswer<T> =
  | { ok: true; result: T; resultInfo?: CfResultInfo }
  | { ok: false; failure: ApiFailure };

/** Knobs with production defaults; tests shrink them. */
export interface CloudflareTuning {
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  /** Zones handled at the same time (default 4). */
  concurrency?: number;
  /** Operations per batch request (default 200, the Free plan's limit). */
  batchLimit?: number;
  /** `per_page` when listing records (default 100). */
  perPage?: number;
  /** `per_page` of zone-wide record listings (default 1000; each page must fit in `maxBytes`). */
  bulkPerPage?: number;
  /** Byte cap of one API answer (default 2 MiB: a page of 1000 records is about 0.5 MiB). */
  maxBytes?: number;
  /** User-Agent of every request (the registry passes ddnsd's versioned one). */
  userAgent?: string;
  /** Client-side budget (default 1200 requests per 5 minutes, Cloudflare's documented limit). */
  rateLimit?: { limit: number; windowMs: number };
  /** Longest the limiter waits in line before answering `rate-limited` instead (default 5 s). */
  maxQueueWaitMs?: number;
  /** How long to avoid the batch endpoint after it was refused (default 1 h). */
  batchRetryMs?: number;
  /** From this many unknown names, list all zones once; from this many reads of one type in a zone, list the
   *  zone's records of that type once (default 10). Below it, one request per name, as the API intends. */
  bulkThreshold?: number;
}

export const DEFAULT_API_URL = "https://api.cloudflare.com/client/v4";
