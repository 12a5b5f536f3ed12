import type { RequestObserver } from "../kit/types.ts";
import { observedOutcome } from "../kit/explain-failure.ts";
import { createHttpClient } from "../kit/http-client.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import { DEFAULT_USER_AGENT } from "../kit/user-agent.ts";

/** The parts of the PowerDNS Authoritative HTTP API (v1) the provider uses. */
export interface PdnsZone {
  id: string;
  name: string;
}
export interface PdnsRecord {
  content: string;
  disabled: boolean;
}
export interface PdnsRrset {
  name: string;
  type: string;
  ttl: number;
  records: PdnsRecord[];
}

/**
 * Why a call failed: an HTTP status with the server's error text, no answer at all, or an answer the kit's client
 * refused (`kit`: too large, compressed, a redirect, HTML, not JSON), which the kit explains from `http`.
 */
export type ApiFailure =
  | { reason: "http"; status: number; detail: string; retryAfterMs?: number }
  | { reason: "timeout" | "aborted" | "network" | "unexpected"; detail: string }
  | { reason: "kit"; detail: string; http: HttpFailure };

export type ApiResult<T> = { ok: true; value: T } | { ok: false; failure: ApiFailure };

export interface PowerDnsApi {
  listZones(signal: AbortSignal): Promise<ApiResult<PdnsZone[]>>;
  /** The rrsets of `zoneId` filtered to (name, type); the server may ignore the filter, the caller filters again. */
  getRrsets(zoneId: string, name: string, type: string, signal: AbortSignal): Promise<ApiResult<PdnsRrset[]>>;
  replaceRrset(zoneId: string, rrset: PdnsRrset, signal: AbortSignal): Promise<ApiResult<void>>;
}

export interface PowerDnsApiDeps {
  fetch: typeof fetch;
  /** e.g. `http://127.0.0.1:8081` (a trailing `/api/v1` is accepted too). */
  baseUrl: string;
  apiKey: string;
  serverId: string;
  timeoutMs: number;
  onRequest: RequestObserver;
  now: () => number;
  userAgent?: string;
}

/** The server's error text: `{"error": "…"}` or a plain body, already redacted by the client (so cut after it). */
function serverText(failure: HttpFailure): string {
  const data = failure.json;
  if (data && typeof data === "object" && "error" in data && typeof data.error === "string") return data.error;
  const body = (failure.body ?? "").trim();
  return body === "" ? "" : body.slice(0, 300);
}

function toApiFailure(f: HttpFailure, timeoutMs: number): ApiFailure {
  switch (f.reason) {
    case "http":
      return { reason: "http", status: f.status ?? 0, detail: serverText(f), ...(f.retryAfterMs === undefined ? {} : { retryAfterMs: f.retryAfterMs }) };
    case "aborted":
      return { reason: "aborted", detail: "the request was cancelled" };
    case "timeout":
      return { reason: "timeout", detail: `no answer within ${timeoutMs} ms` };
    case "refused":
    case "network":
      return { reason: "network", detail: f.detail ?? "" };
    case "html":
      // An error status with an HTML page (the webserver's own, or a proxy's) means what its status means.
      if (f.status !== undefined && f.status >= 300) return { reason: "http", status: f.status, detail: "", ...(f.retryAfterMs === undefined ? {} : { retryAfterMs: f.retryAfterMs }) };
      return { reason: "kit", detail: f.reason, http: f };
    default:
      return { reason: "kit", detail: f.reason, http: f };
  }
}

/** On the kit's client: `X-API-Key` on every request, no automatic retries (the engine retries), one timeout each. */
export function createPowerDnsApi(deps: PowerDnsApiDeps): PowerDnsApi {
  const root = deps.baseUrl.replace(/\/+$/, "").replace(/\/api\/v1$/, "");
  const server = `/api/v1/servers/${encodeURIComponent(deps.serverId)}`;
  // Error texts come from the server (or a proxy in front of it), which may echo the request's X-API-Key: the
  // client redacts them before this file cuts them.
  const http = createHttpClient({
    fetch: deps.fetch,
    baseUrl: root,
    userAgent: deps.userAgent ?? DEFAULT_USER_AGENT,
    timeoutMs: deps.timeoutMs,
    headers: { "X-API-Key": deps.apiKey },
    secrets: [deps.apiKey],
    now: deps.now,
  });

  async function call<T>(path: string, signal: AbortSignal, init: { method?: "GET" | "PATCH"; body?: object; query?: Record<string, string> } = {}): Promise<ApiResult<T>> {
    const result = await http.json<T>(path, { method: init.method ?? "GET", body: init.body, query: init.query, signal });
    deps.onRequest(observedOutcome(result));
    return result.ok ? { ok: true, value: result.json as T } : { ok: false, failure: toApiFailure(result.failure, deps.timeoutMs) };
  }

  return {
    async listZones(signal) {
      const result = await call<unknown>(`${server}/zones`, signal);
      if (!result.ok) return result;
      if (!Array.isArray(result.value)) return { ok: false, failure: { reason: "unexpected", detail: "the zone list is not a JSON array" } };
      const zones = result.value.filter((z): z is PdnsZone => typeof z?.id === "string" && typeof z?.name === "string");
      return { ok: true, value: zones };
    },
    async getRrsets(zoneId, name, type, signal) {
      const query = { rrset_name: name, rrset_type: type };
      const result = await call<{ rrsets?: unknown }>(`${server}/zones/${encodeURIComponent(zoneId)}`, signal, { query });
      if (!result.ok) return result;
      const rrsets = result.value?.rrsets;
      if (!Array.isArray(rrsets)) return { ok: false, failure: { reason: "unexpected", detail: "the zone has no rrsets list" } };
      return { ok: true, value: rrsets as PdnsRrset[] };
    },
    async replaceRrset(zoneId, rrset, signal) {
      const body = { rrsets: [{ ...rrset, changetype: "REPLACE" }] };
      const result = await call<unknown>(`${server}/zones/${encodeURIComponent(zoneId)}`, signal, { method: "PATCH", body });
      return result.ok ? { ok: true, value: undefined } : result;
    },
  };
}
