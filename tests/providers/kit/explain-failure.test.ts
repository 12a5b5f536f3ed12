import { describe, expect, it } from "bun:test";
import { explainHttpFailure, observedOutcome, quoteBody } from "../../../src/providers/kit/explain-failure.ts";
import type { HttpFailure } from "../../../src/providers/kit/http-types.ts";
import type { FailureKind } from "../../../src/providers/kit/types.ts";

/** The generic operator words for each way a call can fail; providers override where their service says better. */
const URL = "https://dns.example.net/api/v1/zones";
const base = { method: "GET" as const, url: URL, mayHaveArrived: false };
const words = { service: "the Example API" };

describe("kit: what a failed call means", () => {
  it.each<{ name: string; failure: HttpFailure; kind: FailureKind; reason: string; unconfirmed?: boolean; retryAfterMs?: number }>([
    { name: "timeout of a write", failure: { ...base, method: "PATCH", reason: "timeout", timeoutMs: 10_000, mayHaveArrived: true }, kind: "transient", unconfirmed: true,
      reason: "the Example API did not answer within 10 s" },
    { name: "timeout below a second, shown in tenths", failure: { ...base, reason: "timeout", timeoutMs: 300 }, kind: "transient",
      reason: "the Example API did not answer within 0.3 s" },
    { name: "cancelled", failure: { ...base, reason: "aborted" }, kind: "transient",
      reason: "the request to the Example API was cancelled before it finished (shutdown or the round's deadline)" },
    { name: "connection refused", failure: { ...base, reason: "refused", detail: "ECONNREFUSED: Unable to connect" }, kind: "transient",
      reason: `could not connect to the Example API at "${URL}" (connection refused); check DDNS_PROVIDER_API_URL and the network` },
    { name: "connection reset", failure: { ...base, reason: "network", reset: true, detail: "ECONNRESET: closed" }, kind: "transient",
      reason: "the connection to the Example API failed (connection reset)" },
    { name: "another network failure", failure: { ...base, reason: "network", reset: false, detail: "ENOTFOUND: getaddrinfo" }, kind: "transient",
      reason: 'the connection to the Example API failed ("ENOTFOUND: getaddrinfo")' },
    { name: "too large", failure: { ...base, reason: "too-large", status: 200, limit: 512 * 1024 }, kind: "transient",
      reason: "the Example API answered HTTP 200 with more than 512 KiB; ddnsd reads no more than that; if this persists, check DDNS_PROVIDER_API_URL" },
    { name: "compressed", failure: { ...base, reason: "encoding", status: 200, encoding: "gzip" }, kind: "transient",
      reason: 'the Example API answered HTTP 200 compressed (Content-Encoding "gzip"); ddnsd asks for uncompressed answers and does not inflate one; check DDNS_PROVIDER_API_URL, or the proxy in front of the service' },
    { name: "a redirect to another origin", failure: { ...base, reason: "redirect", redirect: "other-origin", status: 307, location: "https://other.example.net/api/v1/zones?…" }, kind: "config",
      reason: `the Example API at "${URL}" redirected to "https://other.example.net/api/v1/zones?…" (HTTP 307); ddnsd does not follow redirects to another origin with credentials: set DDNS_PROVIDER_API_URL to the final address` },
    { name: "a redirect loop", failure: { ...base, reason: "redirect", redirect: "too-many", status: 302, location: URL }, kind: "config",
      reason: `the Example API at "${URL}" kept redirecting (last to "${URL}", HTTP 302); set DDNS_PROVIDER_API_URL to the final address` },
    { name: "303 after a write", failure: { ...base, method: "POST", reason: "redirect", redirect: "see-other", status: 303, location: URL, mayHaveArrived: true }, kind: "transient", unconfirmed: true,
      reason: `the Example API at "${URL}" answered the POST with a redirect to "${URL}" (HTTP 303), so its outcome is unknown` },
    { name: "an HTML outage page", failure: { ...base, reason: "html", status: 502, body: "<html>" }, kind: "transient",
      reason: "the Example API answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" },
    { name: "an HTML login page", failure: { ...base, reason: "html", status: 401, body: "<html>" }, kind: "auth",
      reason: "the Example API refused the credentials (HTTP 401); check DDNS_PROVIDER_API_TOKEN" },
    { name: "not JSON", failure: { ...base, reason: "invalid-json", status: 200, body: "{" }, kind: "transient",
      reason: "the Example API answered HTTP 200 with something that is not JSON; if this persists, check DDNS_PROVIDER_API_URL" },
    { name: "401 with a body", failure: { ...base, reason: "http", status: 401, body: "Unauthorized\n" }, kind: "auth",
      reason: 'the Example API refused the credentials (HTTP 401: "Unauthorized"); check DDNS_PROVIDER_API_TOKEN' },
    { name: "429 with Retry-After", failure: { ...base, reason: "http", status: 429, body: "", retryAfterMs: 7000 }, kind: "rate-limited", retryAfterMs: 7000,
      reason: "the Example API asked ddnsd to slow down (HTTP 429)" },
    { name: "503 with Retry-After", failure: { ...base, reason: "http", status: 503, body: "busy", retryAfterMs: 2000 }, kind: "transient", retryAfterMs: 2000,
      reason: 'the Example API failed (HTTP 503: "busy")' },
    { name: "422 from the service", failure: { ...base, reason: "http", status: 422, body: "RRset x. IN A: conflicts with CNAME" }, kind: "config",
      reason: 'the Example API refused the request (HTTP 422: "RRset x. IN A: conflicts with CNAME"); check the records and DDNS_PROVIDER_API_URL' },
  ])("$name", ({ failure, kind, reason, unconfirmed, retryAfterMs }) => {
    const e = explainHttpFailure(failure, words);
    expect({ kind: e.kind, reason: e.reason, unconfirmed: e.unconfirmed, retryAfterMs: e.retryAfterMs }).toEqual({ kind, reason, unconfirmed: unconfirmed ?? false, retryAfterMs });
  });

  it.each<{ name: string; status: number; account: string; kind: FailureKind; reason: string }>([
    { name: "a 5xx with the service's error code", status: 503, account: 'code 10001 "busy"', kind: "transient", reason: 'the Example API failed (HTTP 503, code 10001 "busy")' },
    { name: "a 4xx with an unknown code", status: 400, account: 'code 12345 "Something new"', kind: "config",
      reason: 'the Example API refused the request (HTTP 400, code 12345 "Something new"); check the records and DDNS_PROVIDER_API_URL' },
    { name: "a 401 whose envelope says nothing more", status: 401, account: "", kind: "auth", reason: "the Example API refused the credentials (HTTP 401); check DDNS_PROVIDER_API_TOKEN" },
    { name: "a no inside HTTP 200 (an envelope's success: false)", status: 200, account: 'code 10013 "try again"', kind: "transient", reason: 'the Example API reported a failure (HTTP 200, code 10013 "try again")' },
  ])("words the service's own account of an answer in place of its body: $name", ({ status, account, kind, reason }) => {
    const e = explainHttpFailure({ ...base, reason: "http", status, body: '{"success":false,"errors":[]}' }, words, account);
    expect({ kind: e.kind, reason: e.reason }).toEqual({ kind, reason });
  });

  it("names the variables a provider uses", () => {
    const e = explainHttpFailure({ ...base, reason: "http", status: 403, body: "" }, { service: "Example", secretVariable: "DDNS_PROVIDER_API_KEY" });
    expect(e.reason).toBe("Example refused the credentials (HTTP 403); check DDNS_PROVIDER_API_KEY");
  });

  it("quotes the first line of a body, cut after redaction", () => {
    expect(quoteBody(`${"a".repeat(200)}\nsecond line`, 10)).toBe('"aaaaaaaaaa…"');
  });

  it.each([
    { name: "a success", result: { ok: true as const, status: 200, headers: new Headers() }, outcome: "ok" },
    { name: "a timeout", result: { ok: false as const, failure: { ...base, reason: "timeout" as const } }, outcome: "timeout" },
    { name: "a 429", result: { ok: false as const, failure: { ...base, reason: "http" as const, status: 429 } }, outcome: "rate-limited" },
    { name: "a 500", result: { ok: false as const, failure: { ...base, reason: "http" as const, status: 500 } }, outcome: "error" },
  ])("counts $name as $outcome", ({ result, outcome }) => {
    expect(observedOutcome(result)).toBe(outcome as never);
  });
});
