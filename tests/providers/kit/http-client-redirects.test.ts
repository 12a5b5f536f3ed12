import { afterAll, beforeAll, beforeEach, describe, expect, it } from "bun:test";
import { createHttpClient } from "../../../src/providers/kit/http-client.ts";
import type { HttpMethod } from "../../../src/providers/kit/http-types.ts";
import { serveRoutes, type RoutesServer } from "../../fakes/routes-server.ts";

/**
 * Redirects: credentials never go to another origin; within the configured origin a few redirects are followed
 * by hand, with the same method and body. `other` is another origin (another port) that logs whatever reaches it.
 */
const KEY = "pdns-api-key-0123456789";

let api: RoutesServer;
let other: RoutesServer;
const to = (status: number, location: () => string) => () => new Response(null, { status, headers: { Location: location() } });

beforeAll(() => {
  other = serveRoutes({ "/api/v1/zones": () => Response.json([]) });
  api = serveRoutes({
    "/moved": to(301, () => "/final"),
    "/temporary": to(307, () => "/final"),
    "/permanent": to(308, () => `${api.origin}/final`),
    "/see-other": to(303, () => "/final"),
    "/elsewhere": to(307, () => `${other.origin}/api/v1/zones?api-key=${KEY}`),
    "/elsewhere-302": to(302, () => `${other.origin}/api/v1/zones`),
    "/https": to(301, () => api.origin.replace("http:", "https:") + "/final"),
    "/loop": to(302, () => "/loop"),
    "/no-location": () => new Response(null, { status: 302 }),
    "/final": async (req) => Response.json({ method: req.method, body: await req.text(), key: req.headers.get("x-api-key") }),
  });
});
afterAll(async () => {
  await api.stop();
  await other.stop();
});
beforeEach(() => {
  api.seen.length = 0;
  other.seen.length = 0;
});

const client = () =>
  createHttpClient({ fetch: globalThis.fetch, baseUrl: api.origin, userAgent: "ddnsd-test/1", timeoutMs: 2_000, headers: { "X-API-Key": KEY }, secrets: [KEY], now: Date.now });
const call = (path: string, method: HttpMethod = "GET", body?: object) => client().json(path, { method, body, signal: AbortSignal.timeout(10_000) });

describe("kit HTTP client: redirects within the configured origin", () => {
  it.each([
    { name: "301 for a GET", path: "/moved", method: "GET" as const },
    { name: "307 for a PATCH keeps method and body", path: "/temporary", method: "PATCH" as const, body: { rrsets: [] } },
    { name: "308 for a POST with an absolute Location", path: "/permanent", method: "POST" as const, body: { content: "x" } },
    { name: "303 for a GET", path: "/see-other", method: "GET" as const },
  ])("follows $name", async ({ path, method, body }) => {
    const result = await call(path, method, body);
    expect(result).toMatchObject({ ok: true, status: 200, json: { method, body: body === undefined ? "" : JSON.stringify(body), key: "[REDACTED]" } });
    expect(api.seen.map((s) => `${s.method} ${s.path}`)).toEqual([`${method} ${path}`, `${method} /final`]);
    expect(api.seen[1]?.headers.get("x-api-key")).toBe(KEY);
  });

  it("gives up after three redirects", async () => {
    const result = await call("/loop");
    expect(result).toMatchObject({ ok: false, failure: { reason: "redirect", redirect: "too-many", status: 302, location: `${api.origin}/loop`, mayHaveArrived: false } });
    expect(api.seen.length).toBe(4);
  });

  it("does not follow a 303 after a write, whose outcome is then unknown", async () => {
    const result = await call("/see-other", "POST", { content: "x" });
    expect(result).toMatchObject({ ok: false, failure: { reason: "redirect", redirect: "see-other", status: 303, mayHaveArrived: true } });
    expect(api.seen.length).toBe(1);
  });

  it("reports a redirect without a Location", async () => {
    expect(await call("/no-location")).toMatchObject({ ok: false, failure: { reason: "redirect", redirect: "no-location", status: 302 } });
  });
});

describe("kit HTTP client: redirects to another origin are never followed with credentials", () => {
  it.each([
    { name: "307 to another port", path: "/elsewhere", status: 307, location: () => `${other.origin}/api/v1/zones?…` },
    { name: "302 to another port", path: "/elsewhere-302", status: 302, location: () => `${other.origin}/api/v1/zones` },
    { name: "301 from http to https on the same host", path: "/https", status: 301, location: () => `${api.origin.replace("http:", "https:")}/final` },
  ])("$name", async ({ path, status, location }) => {
    const result = await call(path, "PATCH", { rrsets: [] });
    expect(result).toEqual({
      ok: false,
      failure: expect.objectContaining({ reason: "redirect", redirect: "other-origin", status, url: `${api.origin}${path}`, location: location(), mayHaveArrived: false }),
    });
    expect(other.seen).toEqual([]);
    expect(JSON.stringify(result)).not.toContain(KEY);
  });
});
