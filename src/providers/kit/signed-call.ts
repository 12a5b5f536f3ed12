import type { Answer } from "./answer.ts";
import type { HttpMethod } from "./http-types.ts";
import type { RestApi } from "./rest-api.ts";

/**
 * Calls for APIs that sign each request (OVH, Tencent Cloud, Alibaba Cloud, Huawei Cloud): the signature covers the
 * exact URL, query and body bytes, so they are fixed here once — the query serialised in the order given (sorted
 * where `sortQuery`), the body serialised to JSON text — and the signer sees exactly what goes on the wire. Its
 * headers join the call's own. The signer may be asynchronous (a server clock fetched once).
 */
export interface SignInput {
  method: HttpMethod;
  /** The full URL as sent: base URL, path and query. */
  url: string;
  /** The path below the base URL, without the query. */
  path: string;
  /** The query string as sent, without "?" ("" when none). */
  query: string;
  /** The body as sent ("" when none). */
  body: string;
}

export type Signer = (input: SignInput) => Record<string, string> | Promise<Record<string, string>>;

export interface SignedCall {
  query?: Record<string, string | number | undefined>;
  body?: object;
  signal: AbortSignal;
  missingOk?: boolean;
}

/** RFC 3986 percent-encoding (what the signed APIs expect: only unreserved characters stay). */
export const encodeRfc3986 = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function queryString(query: Record<string, string | number | undefined> | undefined, sortQuery = false): string {
  const pairs = Object.entries(query ?? {}).filter((e): e is [string, string | number] => e[1] !== undefined).map(([k, v]) => [encodeRfc3986(k), encodeRfc3986(String(v))] as const);
  if (sortQuery) pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

export function createSignedCall(api: RestApi, baseUrl: string, sign: Signer, o: { sortQuery?: boolean; contentType?: string } = {}) {
  const base = baseUrl.replace(/\/+$/, "");
  return async function call<T>(method: HttpMethod, path: string, init: SignedCall): Promise<Answer<T | undefined>> {
    const query = queryString(init.query, o.sortQuery);
    const body = init.body === undefined ? "" : JSON.stringify(init.body);
    const target = `${path}${query ? `?${query}` : ""}`;
    const headers = { ...(body ? { "Content-Type": o.contentType ?? "application/json" } : {}), ...(await sign({ method, url: `${base}${target}`, path, query, body })) };
    return api.call<T>(method, target, { signal: init.signal, headers, ...(body ? { body } : {}), ...(init.missingOk ? { missingOk: true } : {}) });
  };
}
