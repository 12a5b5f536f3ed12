import { createFetch, FetchError } from "ofetch";
import type { RequestObserver } from "../types.ts";
import { createRedactor } from "../../log/redact.ts";
import { parseRetryAfter } from "../shared/retry-after.ts";

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

/** Why a call failed: an HTTP status with the server's error text, or no answer at all. */
export type ApiFailure =
  | { reason: "http"; status: number; detail: string; retryAfterMs?: number }
  | { reason: "timeout" | "aborted" | "network" | "unexpected"; detail: string };

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
}

function serverText(data: unknown, fallback: string): string {
  if (data && typeof data === "object" && "error" in data && typeof data.error === "string") return data.error;
  if (typeof data === "string" && data.trim() !== "") return data.trim().slice(0, 300);
  return fallback;
}

/** ofetch-based client: `X-API-Key` on every request, no automatic retries (the engine retries), one timeout each. */
export function createPowerDnsApi(deps: PowerDnsApiDeps): PowerDnsApi {
  const root = deps.baseUrl.replace(/\/+$/, "").replace(/\/api\/v1$/, "");
  const $fetch = createFetch({ fetch: deps.fetch });
  const server = `/api/v1/servers/${encodeURIComponent(deps.serverId)}`;
  /** Error texts come from the server (or a proxy in front of it), which may echo the request's X-API-Key. */
  const redact = createRedactor([deps.apiKey]);

  async function call<T>(path: string, signal: AbortSignal, init: { method?: "GET" | "PATCH"; body?: object; query?: Record<string, string> } = {}): Promise<ApiResult<T>> {
    try {
      const value = await $fetch<T>(path, {
        baseURL: root,
        method: init.method ?? "GET",
        body: init.body,
        query: init.query,
        headers: { "X-API-Key": deps.apiKey, Accept: "application/json" },
        retry: 0,
        signal: AbortSignal.any([signal, AbortSignal.timeout(deps.timeoutMs)]),
      });
      deps.onRequest("ok");
      return { ok: true, value };
    } catch (error) {
      const failure = classify(error, signal);
      deps.onRequest(failure.reason === "timeout" ? "timeout" : failure.reason === "http" && failure.status === 429 ? "rate-limited" : "error");
      return { ok: false, failure };
    }
  }

  function classify(error: unknown, signal: AbortSignal): ApiFailure {
    if (signal.aborted) return { reason: "aborted", detail: "the request was cancelled" };
    if (error instanceof FetchError && error.status !== undefined) {
      const status = error.status;
      return { reason: "http", status, detail: redact(serverText(error.data, error.statusText ?? "")), retryAfterMs: parseRetryAfter(error.response?.headers.get("retry-after"), deps.now()) };
    }
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const name = cause instanceof Error ? cause.name : "";
    if (name === "TimeoutError" || name === "AbortError") return { reason: "timeout", detail: `no answer within ${deps.timeoutMs} ms` };
    const detail = redact(cause instanceof Error ? cause.message : String(cause));
    return { reason: "network", detail };
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
