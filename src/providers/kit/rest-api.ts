import { displayUrl } from "../../net/display-url.ts";
import type { Answer, Problem } from "./answer.ts";
import { explainHttpFailure, observedOutcome, quoteBody, type ServiceWords } from "./explain-failure.ts";
import { createHttpClient, type HttpClientOptions, type HttpRequest } from "./http-client.ts";
import type { HttpFailure, HttpMethod, HttpResult } from "./http-types.ts";
import type { RateLimiter } from "./rate-limiter.ts";
import type { Secrets } from "./secret-set.ts";
import type { ProviderDeps } from "./types.ts";

/**
 * The glue every REST provider stands on: one configured HTTP client (http-client.ts), each call counted in the
 * request metrics, and each failure turned into the templates' `Problem` — the kit's generic words, unless the
 * provider's `explain` recognises its service's error body (an error code, a "zone not found" message). A write's
 * lost answer carries `mayHaveArrived`, so the template says "could not confirm". Two optional pieces for services
 * that need them: a client-side budget (`limiter`, rate-limiter.ts) every call waits for, and a `verdict` on 2xx
 * answers for services that say "no" inside an HTTP 200 (Cloudflare's `success: false` envelope).
 *
 *   const api = createRestApi(deps, { service: "DigitalOcean", baseUrl: s.apiUrl, headers: { Authorization: `Bearer ${s.token}` }, secrets: [s.token] });
 *   const zones = await api.call<{ domains: Domain[] }>("GET", "/domains", { query: { per_page: 200 } });
 */
export interface RestApiOptions extends ServiceWords {
  baseUrl: string;
  headers?: Record<string, string>;
  /** Redacted from every answer: the configured secrets, or a set that also learns a sign-in's token (secret-set.ts). */
  secrets: Secrets;
  timeoutMs?: number;
  maxBytes?: number;
  /**
   * The service's own reading of a failed answer (its error envelope), or undefined for the kit's generic one. Where
   * it knows the codes but not their meaning, it may give only `account` (`code 12345 "Something new"`): the kit
   * then sorts the answer by its status as usual and shows that account instead of the quoted body.
   */
  explain?: (failure: HttpFailure) => ServiceReading | undefined;
  /** Every call waits for this budget first (a held-back call is a `rate-limited` problem, never sent). */
  limiter?: RateLimiter;
  /**
   * What a 2xx JSON answer (undefined when empty) says: `refused` is the service's own no (then explained like an
   * error status: reason `http`, `failure.json` the body), `unreadable` an answer that is not the service's shape
   * (reason `invalid-json`; a write may have happened).
   */
  verdict?: (json: unknown) => "ok" | "refused" | "unreadable";
  /**
   * The service's error message out of its error envelope (`{"error": "…"}`), which the kit's generic wording quotes
   * in place of the whole body; undefined when the answer has none.
   */
  errorText?: (failure: HttpFailure) => string | undefined;
  /** What `reply` calls a body its reader cannot read: "… which is not <answerName>" (default "an answer ddnsd can read"). */
  answerName?: string;
}

/** What a provider's `explain` says about a failed answer: any part of the problem, and its own account of it. */
export type ServiceReading = Partial<Problem> & { account?: string };

export interface RestCall {
  query?: HttpRequest["query"];
  /** An object is sent as JSON; a string as it is (give its Content-Type in `headers`). */
  body?: object | string;
  headers?: Record<string, string>;
  /** A GET that changes something (update URLs): a lost answer may have arrived. See HttpRequest.write. */
  write?: boolean;
  signal: AbortSignal;
  /**
   * A read of something that may not exist (one record set by name and type, a zone by name): a 404 answer is the
   * value `undefined`, not a problem. Only a real 404 from the service — an HTML page or a redirect stays a failure.
   */
  missingOk?: boolean;
}

/** A body and the headers it came with. */
export interface Headed<T> {
  value: T;
  headers: Headers;
}

/** One answer of a protocol that puts its verdict in the body, whatever the HTTP status (update URLs). */
export interface Reply {
  status: number;
  /** Redacted of the provider's secrets. */
  text: string;
}

export interface RestApi {
  /** A JSON call: the parsed body (undefined for an empty 2xx answer), or a problem. */
  call<T>(method: HttpMethod, path: string, init: RestCall): Promise<Answer<T | undefined>>;
  /**
   * `call`, with the headers of the answer (redacted) beside its body — for services that say something on a 2xx
   * answer only in headers (`Link: <…>; rel="next"` pages, link-header.ts). A `missingOk` 404 has the 404's headers.
   */
  callWithHeaders<T>(method: HttpMethod, path: string, init: RestCall): Promise<Answer<Headed<T | undefined>>>;
  /** A plain-text call (XML, key=value answers). */
  text(method: HttpMethod, path: string, init: RestCall): Promise<Answer<string>>;
  /**
   * A plain-text call whose every answer with a body goes to `read` first, whatever its status (DynDNS2 answers
   * `badauth` with 401). `read` returns its reading, or undefined when the text is no answer of the service: then a
   * 2xx is "not <answerName>" (possibly arrived, for a write) and anything else gets the kit's explanation (429 with
   * Retry-After, 5xx, 404…). Transport failures, redirects and oversized answers never reach `read`. A read answer
   * counts as `ok` for a 2xx, `error` otherwise, unless `outcomeOf` says (DynDNS2 refuses with a 200 `nohost`).
   */
  reply<T>(method: HttpMethod, path: string, init: RestCall, read: (reply: Reply) => T | undefined, outcomeOf?: (value: T) => "ok" | "error"): Promise<Answer<T>>;
  /** The problem a failure is, in this service's words (for providers that read a 2xx body and find an error). */
  problem(failure: HttpFailure): Problem;
  redact(text: string): string;
}

export function createRestApi(deps: Pick<ProviderDeps, "fetch" | "now" | "userAgent" | "onRequest" | "timeoutMs">, o: RestApiOptions): RestApi {
  const clientOptions: HttpClientOptions = {
    fetch: deps.fetch,
    baseUrl: o.baseUrl,
    userAgent: deps.userAgent,
    timeoutMs: deps.timeoutMs ?? o.timeoutMs ?? 10_000,
    secrets: o.secrets,
    now: deps.now,
    ...(o.headers ? { headers: o.headers } : {}),
    ...(o.maxBytes ? { maxBytes: o.maxBytes } : {}),
  };
  const client = createHttpClient(clientOptions);
  const words: ServiceWords = { service: o.service, ...(o.urlVariable ? { urlVariable: o.urlVariable } : {}), ...(o.secretVariable ? { secretVariable: o.secretVariable } : {}) };

  function problem(failure: HttpFailure): Problem {
    const said = o.errorText?.(failure);
    const own = o.explain?.(failure);
    const generic = explainHttpFailure(said === undefined ? failure : { ...failure, body: said }, words, own?.account);
    const p: Problem = { kind: own?.kind ?? generic.kind, reason: own?.reason ?? generic.reason, mayHaveArrived: own?.mayHaveArrived ?? generic.unconfirmed };
    const retryAfterMs = own?.retryAfterMs ?? generic.retryAfterMs;
    if (retryAfterMs !== undefined) p.retryAfterMs = retryAfterMs;
    if (own?.tag) p.tag = own.tag;
    return p;
  }

  const request = (method: HttpMethod, init: RestCall): HttpRequest => ({
    method,
    signal: init.signal,
    ...(init.query ? { query: init.query } : {}),
    ...(init.body ? { body: init.body } : {}),
    ...(init.headers ? { headers: init.headers } : {}),
    ...(init.write !== undefined ? { write: init.write } : {}),
  });

  /** A 2xx answer its reader could not read: the outcome of a write is unknown. */
  const unreadable = (status: number, text: string, write: boolean): Problem => ({
    kind: "transient",
    reason: `${o.service} answered HTTP ${status} with ${text.trim() === "" ? "an empty body" : quoteBody(text, 80)}, which is not ${o.answerName ?? "an answer ddnsd can read"}`,
    mayHaveArrived: write,
  });

  /** The URL of a call as a failure shows it (no query). */
  const shown = (path: string) => client.redact(displayUrl(/^https?:/i.test(path) ? path : `${o.baseUrl.replace(/\/+$/, "")}${path}`));

  /** Waits for the budget; a problem when the call must not be sent now. */
  async function admit(method: HttpMethod, path: string, signal: AbortSignal): Promise<Problem | undefined> {
    const admission = await o.limiter?.acquire(signal);
    if (!admission || admission.ok) return undefined;
    if ("aborted" in admission) return problem({ reason: "aborted", method, url: shown(path), mayHaveArrived: false });
    return { kind: "rate-limited", reason: `ddnsd held the request back to stay within ${o.service}'s rate limit`, retryAfterMs: admission.retryAfterMs };
  }

  function observe(result: HttpResult<object>): void {
    const answered = result.ok ? result : result.failure;
    if (answered.headers && answered.status !== undefined) o.limiter?.observe(answered.headers, answered.status);
  }

  /** A 2xx answer the service's verdict turns into a failure. */
  function judged<T>(method: HttpMethod, path: string, result: HttpResult<{ json: T | undefined }>): HttpResult<{ json: T | undefined }> {
    if (!result.ok || !o.verdict) return result;
    const verdict = o.verdict(result.json);
    if (verdict === "ok") return result;
    const base = { method, url: shown(path), status: result.status, headers: result.headers };
    if (verdict === "refused") return { ok: false, failure: { ...base, reason: "http", json: result.json, mayHaveArrived: false } };
    return { ok: false, failure: { ...base, reason: "invalid-json", mayHaveArrived: method !== "GET" } };
  }

  async function callWithHeaders<T>(method: HttpMethod, path: string, init: RestCall): Promise<Answer<Headed<T | undefined>>> {
    const held = await admit(method, path, init.signal);
    if (held) return { ok: false, problem: held };
    const result = judged(method, path, await client.json<T>(path, request(method, init)));
    observe(result);
    const missing = !result.ok && init.missingOk === true && result.failure.reason === "http" && result.failure.status === 404;
    deps.onRequest(missing ? "ok" : observedOutcome(result));
    if (missing) return { ok: true, value: { value: undefined, headers: result.failure.headers ?? new Headers() } };
    return result.ok ? { ok: true, value: { value: result.json, headers: result.headers } } : { ok: false, problem: problem(result.failure) };
  }

  return {
    async call<T>(method: HttpMethod, path: string, init: RestCall): Promise<Answer<T | undefined>> {
      const answer = await callWithHeaders<T>(method, path, init);
      return answer.ok ? { ok: true, value: answer.value.value } : answer;
    },
    callWithHeaders,
    async text(method, path, init) {
      const held = await admit(method, path, init.signal);
      if (held) return { ok: false, problem: held };
      const result = await client.text(path, request(method, init));
      observe(result);
      deps.onRequest(observedOutcome(result));
      return result.ok ? { ok: true, value: result.text } : { ok: false, problem: problem(result.failure) };
    },
    async reply(method, path, init, read, outcomeOf) {
      const result = await client.text(path, request(method, init));
      const write = init.write ?? method !== "GET";
      const answered = result.ok ? { status: result.status, text: result.text } : result.failure.reason === "http" ? { status: result.failure.status ?? 0, text: result.failure.body ?? "" } : undefined;
      const value = answered ? read(answered) : undefined;
      if (value !== undefined) {
        deps.onRequest(outcomeOf?.(value) ?? (result.ok ? "ok" : "error"));
        return { ok: true, value };
      }
      deps.onRequest(result.ok ? "error" : observedOutcome(result));
      return { ok: false, problem: result.ok ? unreadable(result.status, result.text, write) : problem(result.failure) };
    },
    problem,
    redact: client.redact,
  };
}
