import { afterEach, describe, expect, it } from "bun:test";
import { startFakeCloudflare, type FakeCloudflare } from "../fakes/cloudflare/fake-cloudflare.ts";
import type { FaultRule } from "../fakes/cloudflare/fake-faults.ts";
import type { CfError } from "../fakes/cloudflare/fake-errors.ts";
import { A, deadPort, harness, TOKEN } from "../fakes/cloudflare/provider-harness.ts";
import type { FailureKind } from "../../src/providers/kit/types.ts";

let cf: FakeCloudflare | undefined;
afterEach(async () => {
  await cf?.stop();
  cf = undefined;
});

/** A fake holding www.example.com A 192.0.2.1. */
async function fakeWithRecord(extra: Partial<Parameters<typeof startFakeCloudflare>[0]> = {}) {
  cf = await startFakeCloudflare({ token: TOKEN, zones: ["example.com"], ...extra });
  cf.seed({ name: "www.example.com", type: "A", content: "192.0.2.1" });
  return cf;
}

/** A message is the reason only (the engine names the record); it starts with the step that failed. */
const UPDATE = "while updating the record, ";
const ZONE = "while looking up the zone, ";
const TOKEN_FIX = 'give the API token the permissions "Zone:Read" and "DNS:Edit" for this zone';

describe("cloudflare provider: Cloudflare error codes become a kind and a message that says what to fix", () => {
  it.each<{ name: string; status: number; errors: CfError[]; kind: FailureKind; message: string }>([
    { name: "9109 invalid token", status: 403, errors: [{ code: 9109, message: "Invalid access token" }], kind: "auth",
      message: `${UPDATE}Cloudflare refused the API token (HTTP 403, code 9109 "Invalid access token"); check DDNS_PROVIDER_API_TOKEN: the token may be mistyped, expired, revoked or limited to other client addresses` },
    { name: "10000 not allowed", status: 403, errors: [{ code: 10000, message: "Authentication error" }], kind: "auth",
      message: `${UPDATE}Cloudflare refused the request (HTTP 403, code 10000 "Authentication error"); ${TOKEN_FIX}` },
    { name: "9106 no token", status: 400, errors: [{ code: 9106, message: "Missing X-Auth-Key, X-Auth-Email or Authorization headers" }], kind: "auth",
      message: `${UPDATE}Cloudflare received no API token (HTTP 400, code 9106 "Missing X-Auth-Key, X-Auth-Email or Authorization headers"); set DDNS_PROVIDER_API_TOKEN or DDNS_PROVIDER_API_TOKEN_FILE` },
    { name: "6003/6111 unreadable token", status: 400, errors: [{ code: 6003, message: "Invalid request headers", error_chain: [{ code: 6111, message: "Invalid format for Authorization header" }] }], kind: "auth",
      message: `${UPDATE}Cloudflare could not read the API token (HTTP 400, code 6003 "Invalid request headers" (6111 "Invalid format for Authorization header")); check DDNS_PROVIDER_API_TOKEN for stray characters, and use an API token, not the Global API Key` },
    { name: "1000 invalid API token", status: 400, errors: [{ code: 1000, message: "Invalid API Token" }], kind: "auth",
      message: `${UPDATE}Cloudflare rejected the API token (HTTP 400, code 1000 "Invalid API Token"); create a user API token and ${TOKEN_FIX}` },
    { name: "1001 unsupported token", status: 400, errors: [{ code: 1001, message: "endpoint does not support account owned tokens." }], kind: "auth",
      message: `${UPDATE}Cloudflare rejected the API token (HTTP 400, code 1001 "endpoint does not support account owned tokens."); create a user API token and ${TOKEN_FIX}` },
    { name: "81053 CNAME on the name", status: 400, errors: [{ code: 81053, message: "An A, AAAA, or CNAME record with that host already exists." }], kind: "config",
      message: `${UPDATE}Cloudflare refused because a CNAME record holds this name (HTTP 400, code 81053 "An A, AAAA, or CNAME record with that host already exists."); delete the CNAME record or remove the name from DDNS_RECORDS` },
    { name: "81057 record exists", status: 400, errors: [{ code: 81057, message: "The record already exists." }], kind: "transient",
      message: `${UPDATE}Cloudflare reports that the record already exists (HTTP 400, code 81057 "The record already exists."); someone else probably created it at the same moment (it is read back before the next write)` },
    { name: "81058 identical record", status: 400, errors: [{ code: 81058, message: "An identical record already exists." }], kind: "transient",
      message: `${UPDATE}Cloudflare reports that the record already exists (HTTP 400, code 81058 "An identical record already exists."); someone else probably created it at the same moment (it is read back before the next write)` },
    { name: "81044 stale record", status: 404, errors: [{ code: 81044, message: "Record does not exist." }], kind: "transient",
      message: `${UPDATE}the record no longer exists at Cloudflare (HTTP 404, code 81044 "Record does not exist."); it was probably deleted by hand (the records are read again before the next write)` },
    { name: "7003 unknown identifier", status: 400, errors: [{ code: 7003, message: "Could not route to /x, perhaps your object identifier is invalid?" }, { code: 7000, message: "No route for that URI" }], kind: "transient",
      message: `${UPDATE}Cloudflare does not know the zone or record (HTTP 400, code 7003 "Could not route to /x, perhaps your object identifier is invalid?"; 7000 "No route for that URI"); the zone may have been removed or added again (it is looked up again before the next write); if this persists, check DDNS_PROVIDER_API_URL` },
    { name: "1003 invalid zone id", status: 400, errors: [{ code: 1003, message: "Invalid or missing zone id." }], kind: "transient",
      message: `${UPDATE}Cloudflare does not know the zone or record (HTTP 400, code 1003 "Invalid or missing zone id."); the zone may have been removed or added again (it is looked up again before the next write); if this persists, check DDNS_PROVIDER_API_URL` },
    { name: "9005 refused IPv4 content", status: 400, errors: [{ code: 9005, message: "Content for A record must be a valid IPv4 address." }], kind: "config",
      message: `${UPDATE}Cloudflare refused the address (HTTP 400, code 9005 "Content for A record must be a valid IPv4 address."); if the address is a valid public address, please report this as a ddnsd bug` },
    { name: "1004 with a TTL error in its chain", status: 400, errors: [{ code: 1004, message: "DNS Validation Error", error_chain: [{ code: 9021, message: "Invalid TTL" }] }], kind: "config",
      message: `${UPDATE}Cloudflare refused the record's TTL (HTTP 400, code 1004 "DNS Validation Error" (9021 "Invalid TTL")); set DDNS_RECORD_TTL to auto or to a number of seconds Cloudflare accepts (60 to 86400)` },
    { name: "9041 cannot be proxied", status: 400, errors: [{ code: 9041, message: "Invalid proxied mode. Record cannot be proxied" }], kind: "config",
      message: `${UPDATE}Cloudflare cannot proxy this record (HTTP 400, code 9041 "Invalid proxied mode. Record cannot be proxied"); set DDNS_RECORD_PROXIED=false` },
    { name: "1004 other validation", status: 400, errors: [{ code: 1004, message: "DNS Validation Error", error_chain: [{ code: 9000, message: "DNS name is invalid." }] }], kind: "config",
      message: `${UPDATE}Cloudflare refused the record as invalid (HTTP 400, code 1004 "DNS Validation Error" (9000 "DNS name is invalid.")); check the record name and DDNS_RECORD_TTL / DDNS_RECORD_PROXIED` },
    { name: "an unknown 4xx code", status: 400, errors: [{ code: 12345, message: "Something new" }], kind: "config",
      message: `${UPDATE}Cloudflare refused the request (HTTP 400, code 12345 "Something new"); check the records and DDNS_PROVIDER_API_URL` },
    { name: "a 5xx with a code", status: 503, errors: [{ code: 10001, message: "service unavailable" }], kind: "transient",
      message: `${UPDATE}Cloudflare failed (HTTP 503, code 10001 "service unavailable")` },
    { name: "a 401 without any code", status: 401, errors: [], kind: "auth",
      message: `${UPDATE}Cloudflare refused the credentials (HTTP 401); check DDNS_PROVIDER_API_TOKEN` },
  ])("$name", async ({ status, errors, kind, message }) => {
    const f = await fakeWithRecord();
    // Twice: codes that warrant one fresh read and one more try fail that try too.
    f.faults.add({ kind: "status", method: "PATCH", status, errors, times: 2 });
    const r = await harness({ url: f.url }).setOne(A("www.example.com", "203.0.113.1"));
    expect(r).toEqual({ ok: false, request: A("www.example.com", "203.0.113.1"), kind, message });
  });

  it("429 with Retry-After and code 971 is rate-limited, with retryAfterMs", async () => {
    const f = await fakeWithRecord();
    f.faults.add({ kind: "rate-limit", path: "/zones", retryAfter: 42 });
    const r = await harness({ url: f.url }).setOne(A("www.example.com", "203.0.113.1"));
    expect(r).toEqual({
      ok: false,
      request: A("www.example.com", "203.0.113.1"),
      kind: "rate-limited",
      retryAfterMs: 42_000,
      message: `${ZONE}Cloudflare is rate-limiting requests (HTTP 429, code 971 "Please wait and consider throttling your request speed"); every client of this Cloudflare user shares 1200 requests per 5 minutes`,
    });
  });
});

describe("cloudflare provider: answers that are not Cloudflare answers", () => {
  it.each([
    { name: "success:false on HTTP 200", fault: { kind: "success-false", errors: [{ code: 10013, message: "try again" }] } as FaultRule,
      message: `${ZONE}Cloudflare reported a failure (HTTP 200, code 10013 "try again")` },
    { name: "an HTML error page", fault: { kind: "html", status: 502 } as FaultRule,
      message: `${ZONE}Cloudflare answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)` },
    { name: "an HTML page with HTTP 200 (a captive portal)", fault: { kind: "html", status: 200 } as FaultRule,
      message: `${ZONE}Cloudflare answered HTTP 200 with an HTML page instead of JSON (an outage, or a proxy in the way)` },
    { name: "a body that is not JSON", fault: { kind: "invalid-json" } as FaultRule,
      message: `${ZONE}Cloudflare answered HTTP 200 with something that is not a JSON API answer; if this persists, check DDNS_PROVIDER_API_URL` },
    { name: "a connection reset", fault: { kind: "reset" } as FaultRule,
      message: `${ZONE}the connection to Cloudflare failed (connection reset)` },
    { name: "no answer before the timeout", fault: { kind: "hang" } as FaultRule,
      message: `${ZONE}Cloudflare did not answer within 0.3 s` },
  ])("$name is transient", async ({ fault, message }) => {
    const f = await fakeWithRecord();
    f.faults.add({ ...fault, path: "/zones" });
    const r = await harness({ url: f.url, tuning: { timeoutMs: 300 } }).setOne(A("www.example.com", "203.0.113.1"));
    expect(r).toEqual({ ok: false, request: A("www.example.com", "203.0.113.1"), kind: "transient", message });
  });
});

describe("cloudflare provider: writes whose outcome is unknown", () => {
  it.each([
    { name: "the connection resets after the PATCH was applied", fault: { kind: "reset", method: "PATCH", afterApply: true } as FaultRule, held: "203.0.113.1",
      message: 'while updating the record, the connection to Cloudflare failed (connection reset); the record is read back before it is written again' },
    { name: "the PATCH answer never comes", fault: { kind: "hang", method: "PATCH", afterApply: true } as FaultRule, held: "203.0.113.1",
      message: 'while updating the record, Cloudflare did not answer within 0.3 s; the record is read back before it is written again' },
    { name: "an HTML 502 answers the PATCH", fault: { kind: "html", method: "PATCH" } as FaultRule, held: "192.0.2.1",
      message: 'while updating the record, Cloudflare answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way); the record is read back before it is written again' },
  ])("$name: could not confirm, then the next call reads before writing", async ({ fault, held, message }) => {
    const f = await fakeWithRecord();
    const h = harness({ url: f.url, tuning: { timeoutMs: 300 } });
    await h.setOne(A("www.example.com", "192.0.2.1")); // learn the id
    f.faults.add(fault);
    const r = await h.setOne(A("www.example.com", "203.0.113.1"));
    expect(r).toEqual({ ok: false, request: A("www.example.com", "203.0.113.1"), kind: "transient", unconfirmed: true, message });
    expect(f.contents("www.example.com", "A")).toEqual([held]);
    f.clearRequests();
    const again = await h.setOne(A("www.example.com", "203.0.113.1"));
    expect(again).toMatchObject({ ok: true, outcome: held === "203.0.113.1" ? "unchanged" : "updated" });
    expect(f.requests()[0]?.method).toBe("GET");
  });

  it("a definite refusal of a write is not 'unconfirmed'", async () => {
    const f = await fakeWithRecord();
    f.faults.add({ kind: "status", method: "PATCH", status: 500, errors: [{ code: 10001, message: "oops" }] });
    const r = await harness({ url: f.url }).setOne(A("www.example.com", "203.0.113.1"));
    expect(r.ok).toBe(false);
    expect(r).not.toHaveProperty("unconfirmed");
  });
});

describe("cloudflare provider: tokens, reachability, cancellation", () => {
  it.each([
    { name: "a wrong token", token: "wrong-token-0123456789abcdefghijklmnop",
      message: `${ZONE}Cloudflare refused the API token (HTTP 403, code 9109 "Invalid access token"); check DDNS_PROVIDER_API_TOKEN: the token may be mistyped, expired, revoked or limited to other client addresses` },
    { name: "a token with a line break", token: "abc\ndef",
      message: `${ZONE}the API token contains spaces, line breaks or other characters an HTTP header cannot carry; check DDNS_PROVIDER_API_TOKEN (or the file named by DDNS_PROVIDER_API_TOKEN_FILE)` },
    { name: "an empty token", token: "",
      message: `${ZONE}the API token contains spaces, line breaks or other characters an HTTP header cannot carry; check DDNS_PROVIDER_API_TOKEN (or the file named by DDNS_PROVIDER_API_TOKEN_FILE)` },
  ])("$name is an auth failure", async ({ token, message }) => {
    const f = await fakeWithRecord();
    const r = await harness({ url: f.url, token }).setOne(A("www.example.com", "203.0.113.1"));
    expect(r).toEqual({ ok: false, request: A("www.example.com", "203.0.113.1"), kind: "auth", message });
  });

  it("a token allowed to read but not to edit DNS fails the write as auth", async () => {
    const f = await fakeWithRecord({ readOnlyTokens: ["read-only-token-0123456789abcdefghij"] });
    const r = await harness({ url: f.url, token: "read-only-token-0123456789abcdefghij" }).setOne(A("www.example.com", "203.0.113.1"));
    expect(r).toEqual({ ok: false, request: A("www.example.com", "203.0.113.1"), kind: "auth", message: `${UPDATE}Cloudflare refused the request (HTTP 403, code 10000 "Authentication error"); ${TOKEN_FIX}` });
  });

  it("an API URL where nothing listens is transient", async () => {
    const port = await deadPort();
    const r = await harness({ url: `http://127.0.0.1:${port}/client/v4` }).setOne(A("www.example.com", "203.0.113.1"));
    expect(r).toEqual({
      ok: false,
      request: A("www.example.com", "203.0.113.1"),
      kind: "transient",
      message: `${ZONE}could not connect to Cloudflare at "http://127.0.0.1:${port}/client/v4/zones?…" (connection refused); check DDNS_PROVIDER_API_URL and the network`,
    });
  });

  it("aborting options.signal ends in-flight requests at once", async () => {
    const f = await fakeWithRecord();
    f.faults.add({ kind: "hang", path: "/zones" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const r = await harness({ url: f.url, tuning: { timeoutMs: 5_000 } }).setOne(A("www.example.com", "203.0.113.1"), { signal: controller.signal });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(r).toEqual({
      ok: false,
      request: A("www.example.com", "203.0.113.1"),
      kind: "transient",
      message: `${ZONE}the request to Cloudflare was cancelled before it finished (shutdown or the round's deadline)`,
    });
  });

  it("never puts the token in a message, even when Cloudflare echoes it", async () => {
    const f = await fakeWithRecord();
    f.faults.add({ kind: "status", status: 400, path: "/zones", errors: [{ code: 12345, message: `bad token ${TOKEN}` }] });
    const r = await harness({ url: f.url }).setOne(A("www.example.com", "203.0.113.1"));
    expect(r.ok ? "" : r.message).toContain("[REDACTED]");
    expect(JSON.stringify(r)).not.toContain(TOKEN);
  });
});

describe("cloudflare provider: reporting and isolation", () => {
  it("reports every request through onRequest by outcome", async () => {
    const f = await fakeWithRecord();
    f.faults.add({ kind: "rate-limit", path: "/zones", retryAfter: 0 });
    f.faults.add({ kind: "hang", path: "/zones" });
    f.faults.add({ kind: "status", status: 500, path: "/zones" });
    const h = harness({ url: f.url, tuning: { timeoutMs: 200 } });
    for (let i = 0; i < 4; i++) await h.setOne(A("www.example.com", "192.0.2.1"));
    // The last round: two zone lookups (www.example.com, example.com) and one list.
    expect(h.outcomes).toEqual(["rate-limited", "timeout", "error", "ok", "ok", "ok"]);
  });

  it("one failing record does not block the others (zone missing, address refused)", async () => {
    const f = await fakeWithRecord();
    const results = await harness({ url: f.url }).set([
      A("www.example.org", "203.0.113.1"),
      A("bad.example.com", "2001:db8::1"),
      A("good.example.com", "203.0.113.2"),
      A("www.example.com", "203.0.113.3"),
    ]);
    expect(results.map((r) => (r.ok ? r.outcome : r.kind))).toEqual(["config", "config", "created", "updated"]);
    expect(f.contents("good.example.com", "A")).toEqual(["203.0.113.2"]);
    expect(f.contents("www.example.com", "A")).toEqual(["203.0.113.3"]);
    expect(f.contents("bad.example.com", "A")).toEqual([]);
  });
});
