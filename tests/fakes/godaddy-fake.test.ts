import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { startFakeGoDaddy, type FakeGoDaddy } from "./godaddy/fake-godaddy.ts";

/** The GoDaddy fake is as strict as its header says: sso-key auth, set replacement, bodies, listing, the budget. */
let fake: FakeGoDaddy;
beforeAll(async () => {
  fake = await startFakeGoDaddy({ keys: { key: "secret" }, zones: ["example.com", "example.net"], rateLimit: { limit: 12, windowMs: 60_000 } });
});
afterAll(() => fake.stop());

async function call(method: string, path: string, body?: unknown, auth = "sso-key key:secret") {
  const headers: Record<string, string> = { Authorization: auth, ...(body === undefined ? {} : { "Content-Type": "application/json" }) };
  const response = await fetch(`${fake.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

describe("the GoDaddy fake", () => {
  it.each([
    { name: "a wrong secret", auth: "sso-key key:wrong" },
    { name: "a Bearer token", auth: "Bearer secret" },
  ])("refuses $name with 401 UNABLE_TO_AUTHENTICATE", async ({ auth }) => {
    expect(await call("GET", "/domains", undefined, auth)).toEqual({ status: 401, json: { code: "UNABLE_TO_AUTHENTICATE", message: "Unable to authenticate your request" } });
  });

  it.each([
    { name: "an empty set", body: [] },
    { name: "a TTL below 600", body: [{ data: "192.0.2.1", ttl: 300 }] },
    { name: "an unknown field", body: [{ data: "192.0.2.1", name: "x" }] },
    { name: "an A record holding an IPv6 address", body: [{ data: "2001:db8::1" }] },
  ])("refuses a PUT of $name (422 INVALID_BODY)", async ({ body }) => {
    const r = await call("PUT", "/domains/example.com/records/A/x", body);
    expect({ status: r.status, code: r.json.code }).toEqual({ status: 422, code: "INVALID_BODY" });
    expect(fake.read("x.example.com", "A")).toEqual([]);
  });

  it("replaces the whole set of (type, name), relative names and @ at the apex", async () => {
    fake.edit("www.example.com", "A", ["192.0.2.1", "192.0.2.2"]);
    expect((await call("PUT", "/domains/example.com/records/A/www", [{ data: "192.0.2.3", ttl: 600 }])).status).toBe(200);
    expect((await call("GET", "/domains/example.com/records/A/www")).json).toEqual([{ data: "192.0.2.3", name: "www", ttl: 600, type: "A" }]);
    expect((await call("PUT", "/domains/example.com/records/A/@", [{ data: "192.0.2.4" }])).status).toBe(200);
    expect(fake.store.find("example.com", "example.com", "A").map((r) => r.ttl)).toEqual([3600]);
  });

  it("answers 404 UNKNOWN_DOMAIN for a domain not in the account, and lists domains after the marker", async () => {
    expect((await call("GET", "/domains/example.org/records/A/www")).json.code).toBe("UNKNOWN_DOMAIN");
    expect((await call("GET", "/domains?limit=1&marker=example.com")).json.map((d: { domain: string }) => d.domain)).toEqual(["example.net"]);
    expect((await call("GET", "/domains?sort=x")).status).toBe(400);
  });

  it("spends a budget and answers 429 TOO_MANY_REQUESTS with retryAfterSec", async () => {
    let last = { status: 0, json: undefined as unknown };
    for (let i = 0; i < 12 && last.status !== 429; i++) last = await call("GET", "/domains");
    expect(last).toEqual({ status: 429, json: { code: "TOO_MANY_REQUESTS", message: "Too many requests received within interval", retryAfterSec: 30 } });
  });
});
