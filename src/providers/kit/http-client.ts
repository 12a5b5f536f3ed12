import { ofetch } from "ofetch";
import { displayUrl } from "../../net/display-url.ts";
import { IDENTITY_ENCODING, RAW_BODY, readCapped } from "../../net/read-capped.ts";
import { classifyTransportError } from "../../net/transport-error.ts";
import { classifyAnswer, mayHaveArrived } from "./classify-answer.ts";
import type { HttpFailure, HttpMethod, JsonResult, TextResult } from "./http-types.ts";
import { decideRedirect, DEFAULT_MAX_REDIRECTS, REDIRECT_STATUSES } from "./redirects.ts";
import { toSecretSet, type Secrets } from "./secret-set.ts";

/**
 * The one HTTP client of every HTTP provider, on ofetch (`ofetch.create` with the injected fetch): base URL and
 * query, JSON bodies, the User-Agent and the provider's credential headers, no automatic retries (the engine
 * retries), and around that what ofetch leaves to its caller:
 * - one deadline for the whole exchange — connecting, redirects, and a body that trickles in (ofetch's own
 *   `timeout` stops at the headers) — joined with the caller's signal;
 * - a byte cap on every body, counted while it streams, with compression refused (src/net/read-capped.ts);
 * - redirects by hand: never to another origin, a few within it (redirects.ts);
 * - every text it hands back — bodies, parsed JSON, URLs, transport details — redacted of the provider's secrets
 *   before anyone can quote or shorten it;
 * - one typed result: `{ ok: true, status, headers, text | json }` or `{ ok: false, failure }` (http-types.ts).
 * It never throws for a remote failure.
 */

/** Default byte cap for an API answer: far above any single-record answer, far below what could hurt. */
export const DEFAULT_MAX_BYTES = 512 * 1024;

export interface HttpClientOptions {
  fetch: typeof fetch;
  /** Paths are resolved against it (ofetch's `baseURL`); absolute URLs are taken as they are. */
  baseUrl?: string;
  userAgent: string;
  /** Deadline of one exchange, redirects and body included. */
  timeoutMs: number;
  /** Byte cap of one answer (default 512 KiB). */
  maxBytes?: number;
  /** Sent with every request: the provider's credentials (never sent to another origin: those are not followed). */
  headers?: Record<string, string>;
  /**
   * Values that must never appear in anything the client hands back (tokens, passwords, Basic credentials): a list,
   * or a set the provider adds a sign-in's token to (secret-set.ts).
   */
  secrets?: Secrets;
  /** Same-origin redirects followed (default 3; 0 follows none). */
  maxRedirects?: number;
  now: () => number;
}

export interface HttpRequest {
  method?: HttpMethod;
  query?: Record<string, string | number | undefined>;
  /** An object is sent as JSON; a string as it is (give its Content-Type in `headers`). */
  body?: object | string;
  headers?: Record<string, string>;
  /**
   * The call changes something at the service (default: any method but GET). Update URLs change records with a
   * GET: set it, so that a lost or unreadable answer is reported as possibly arrived ("could not confirm").
   */
  write?: boolean;
  signal: AbortSignal;
}

export interface HttpClient {
  json<T = unknown>(path: string, request: HttpRequest): Promise<JsonResult<T>>;
  text(path: string, request: HttpRequest): Promise<TextResult>;
  /** The client's redactor, for providers that build text of their own from a request. */
  redact(text: string): string;
}

const ACCEPT = { json: "application/json", text: "text/plain, */*;q=0.5" } as const;

/** The origin every redirect must stay on; a URL that does not parse has none (no redirect is then followed). */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "";
  }
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const redact = toSecretSet(options.secrets).redact;
  const api = ofetch.create(
    {
      ...(options.baseUrl === undefined ? {} : { baseURL: options.baseUrl.replace(/\/+$/, "") }),
      retry: 0,
      ignoreResponseError: true,
      responseType: "stream",
      redirect: "manual",
      headers: { "User-Agent": options.userAgent, ...IDENTITY_ENCODING, ...options.headers },
    },
    { fetch: options.fetch },
  );

  /** Header values can quote the request too (a Location with a key in its query). */
  const redactHeaders = (headers: Headers) => new Headers([...headers].map(([name, value]) => [name, redact(value)]));

  async function exchange(mode: "json" | "text", path: string, request: HttpRequest): Promise<TextResult | JsonResult<unknown>> {
    const method = request.method ?? "GET";
    const isWrite = request.write ?? method !== "GET";
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signals = { caller: request.signal, timeout };
    const signal = AbortSignal.any([request.signal, timeout]);
    const headers = { Accept: ACCEPT[mode], ...request.headers };
    let target = path;
    let query = request.query;
    let origin: string | undefined;
    for (let hops = 0; ; hops++) {
      // ofetch resolves base URL and query after its request hooks; its response hooks see the final URL.
      let sent = target;
      const seen = (context: { request: unknown }) => void (sent = String(context.request));
      const base = () => ({ method, url: redact(displayUrl(sent)) });
      let response: Response;
      try {
        response = await api.raw(target, { method, query, body: request.body, headers, signal, ...RAW_BODY, onResponse: seen, onRequestError: seen });
      } catch (error) {
        const t = classifyTransportError(error, signals);
        const failure: HttpFailure = { ...base(), reason: t.reason, detail: redact(t.detail), mayHaveArrived: isWrite && t.reason !== "refused" };
        if (t.reason === "timeout") failure.timeoutMs = options.timeoutMs;
        if (t.reset !== undefined) failure.reset = t.reset;
        return { ok: false, failure };
      }
      origin ??= originOf(sent);
      const status = response.status;
      const answerHeaders = redactHeaders(response.headers);
      if (REDIRECT_STATUSES.has(status) || (response.type as string) === "opaqueredirect") {
        await response.body?.cancel().catch(() => {});
        const next = decideRedirect({ status, location: response.headers.get("location"), current: sent, origin, method, hops, maxRedirects });
        if (next.follow) {
          target = next.url;
          query = undefined;
          continue;
        }
        const failure: HttpFailure = { ...base(), reason: "redirect", status, headers: answerHeaders, redirect: next.problem, mayHaveArrived: isWrite && next.mayHaveArrived };
        if (next.location !== undefined) failure.location = redact(next.location);
        return { ok: false, failure };
      }
      const body = await readCapped(response, maxBytes);
      if (!body.ok) {
        const answered = { ...base(), status, headers: answerHeaders };
        if (body.reason === "too-large") return { ok: false, failure: { ...answered, reason: "too-large", limit: body.limit, mayHaveArrived: mayHaveArrived(isWrite, status) } };
        if (body.reason === "encoding") return { ok: false, failure: { ...answered, reason: "encoding", encoding: redact(body.encoding), mayHaveArrived: mayHaveArrived(isWrite, status) } };
        const t = classifyTransportError(body.error, signals);
        const reason = t.reason === "refused" ? "network" : t.reason;
        const failure: HttpFailure = { ...answered, reason, detail: redact(t.detail), mayHaveArrived: isWrite };
        if (reason === "timeout") failure.timeoutMs = options.timeoutMs;
        if (reason === "network") failure.reset = t.reset ?? true;
        return { ok: false, failure };
      }
      const raw = new TextDecoder().decode(body.bytes);
      return classifyAnswer({ mode, status, headers: answerHeaders, raw, redact, failureBase: base(), isWrite, now: options.now() });
    }
  }

  return {
    json: <T>(path: string, request: HttpRequest) => exchange("json", path, request) as Promise<JsonResult<T>>,
    text: (path, request) => exchange("text", path, request) as Promise<TextResult>,
    redact,
  };
}
