import type { FakeCloudflare } from "./fake-cloudflare.ts";

/** Raw HTTP calls to the fake, for tests of the fake itself: status, parsed envelope, every error code. */

export const FAKE_TOKEN = "fake-token-0123456789abcdefghijklmnopqrstu";
export const READ_ONLY_TOKEN = "read-only-0123456789abcdefghijklmnopqrst";

export interface RawCall {
  /** The Authorization header; undefined = `Bearer FAKE_TOKEN`, null = none. */
  auth?: string | null;
  /** Sent as JSON with `Content-Type: application/json` (unless `headers` says otherwise). */
  body?: unknown;
  /** Sent as is. */
  raw?: string;
  headers?: Record<string, string>;
}

export interface RawAnswer {
  status: number;
  /** The envelope, inspected loosely by tests. */
  json: { success?: boolean; errors?: Array<{ code: number; message: string; error_chain?: Array<{ code: number }> }>; messages?: unknown[]; result?: any; result_info?: any };
  text: string;
  headers: Headers;
  /** Every error code, chains included. */
  codes: number[];
}

export async function rawApi(f: FakeCloudflare, method: string, path: string, call: RawCall = {}): Promise<RawAnswer> {
  const headers: Record<string, string> = { ...call.headers };
  const auth = call.auth === undefined ? `Bearer ${FAKE_TOKEN}` : call.auth;
  if (auth !== null) headers.Authorization = auth;
  let body: string | undefined = call.raw;
  if (call.body !== undefined) {
    body = JSON.stringify(call.body);
    headers["Content-Type"] ??= "application/json";
  }
  const res = await fetch(`${f.url}${path}`, { method, headers, body });
  const text = await res.text();
  let json: RawAnswer["json"] = {};
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: the test looks at `text`
  }
  const codes = (json.errors ?? []).flatMap((e) => [e.code, ...(e.error_chain ?? []).map((c) => c.code)]);
  return { status: res.status, json, text, headers: res.headers, codes };
}

export const recordsPath = (f: FakeCloudflare, zone = "example.com") => `/zones/${f.zoneId(zone)}/dns_records`;
