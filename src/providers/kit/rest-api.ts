import type { Answer, Problem } from "./answer.ts";
import { explainHttpFailure, observedOutcome, type ServiceWords } from "./explain-failure.ts";
import { createHttpClient, type HttpClientOptions, type HttpRequest } from "./http-client.ts";
import type { HttpFailure, HttpMethod } from "./http-types.ts";
import type { ProviderDeps } from "./types.ts";

/**
 * The glue every REST provider stands on: one configured HTTP client (http-client.ts), each call counted in the
 * request metrics, and each failure turned into the templates' `Problem` — the kit's generic words, unless the
 * provider's `explain` recognises its service's error body (an error code, a "zone not found" message). A write's
 * lost answer carries `mayHaveArrived`, so the template says "could not confirm".
 *
 *   const api = createRestApi(deps, { service: "DigitalOcean", baseUrl: s.apiUrl, headers: { Authorization: `Bearer ${s.token}` }, secrets: [s.token] });
 *   const zones = await api.call<{ domains: Domain[] }>("GET", "/domains", { query: { per_page: 200 } });
 */
export interface RestApiOptions extends ServiceWords {
  baseUrl: string;
  headers?: Record<string, string>;
  secrets: readonly string[];
  timeoutMs?: number;
  maxBytes?: number;
  /** The service's own reading of a failed answer (its error envelope), or undefined for the kit's generic one. */
  explain?: (failure: HttpFailure) => Partial<Problem> | undefined;
  /**
   * The service's error message out of its error envelope (`{"error": "…"}`), which the kit's generic wording quotes
   * in place of the whole body; undefined when the answer has none.
   */
  errorText?: (failure: HttpFailure) => string | undefined;
}

export interface RestCall {
  query?: HttpRequest["query"];
  body?: object;
  headers?: Record<string, string>;
  signal: AbortSignal;
  /**
   * A read of something that may not exist (one record set by name and type, a zone by name): a 404 answer is the
   * value `undefined`, not a problem. Only a real 404 from the service — an HTML page or a redirect stays a failure.
   */
  missingOk?: boolean;
}

export interface RestApi {
  /** A JSON call: the parsed body (undefined for an empty 2xx answer), or a problem. */
  call<T>(method: HttpMethod, path: string, init: RestCall): Promise<Answer<T | undefined>>;
  /** A plain-text call (XML, key=value answers). */
  text(method: HttpMethod, path: string, init: RestCall): Promise<Answer<string>>;
  /** The problem a failure is, in this service's words (for providers that read a 2xx body and find an error). */
  problem(failure: HttpFailure): Problem;
  redact(text: string): string;
}

export function createRestApi(deps: Pick<ProviderDeps, "fetch" | "now" | "userAgent" | "onRequest">, o: RestApiOptions): RestApi {
  const clientOptions: HttpClientOptions = {
    fetch: deps.fetch,
    baseUrl: o.baseUrl,
    userAgent: deps.userAgent,
    timeoutMs: o.timeoutMs ?? 10_000,
    secrets: o.secrets,
    now: deps.now,
    ...(o.headers ? { headers: o.headers } : {}),
    ...(o.maxBytes ? { maxBytes: o.maxBytes } : {}),
  };
  const client = createHttpClient(clientOptions);
  const words: ServiceWords = { service: o.service, ...(o.urlVariable ? { urlVariable: o.urlVariable } : {}), ...(o.secretVariable ? { secretVariable: o.secretVariable } : {}) };

  function problem(failure: HttpFailure): Problem {
    const said = o.errorText?.(failure);
    const generic = explainHttpFailure(said === undefined ? failure : { ...failure, body: said }, words);
    const own = o.explain?.(failure);
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
  });

  return {
    async call<T>(method: HttpMethod, path: string, init: RestCall): Promise<Answer<T | undefined>> {
      const result = await client.json<T>(path, request(method, init));
      const missing = !result.ok && init.missingOk === true && result.failure.reason === "http" && result.failure.status === 404;
      deps.onRequest(missing ? "ok" : observedOutcome(result));
      if (missing) return { ok: true, value: undefined };
      return result.ok ? { ok: true, value: result.json } : { ok: false, problem: problem(result.failure) };
    },
    async text(method, path, init) {
      const result = await client.text(path, request(method, init));
      deps.onRequest(observedOutcome(result));
      return result.ok ? { ok: true, value: result.text } : { ok: false, problem: problem(result.failure) };
    },
    problem,
    redact: client.redact,
  };
}
