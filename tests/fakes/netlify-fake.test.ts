import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { startFakeNetlify, type FakeNetlify } from "./netlify/fake-netlify.ts";

/** The Netlify fake is as strict as its header says: auth, zone ids, bodies, no update, managed records. */
let fake: FakeNetlify;
let zone: string;
beforeAll(async () => {
  fake = await startFakeNetlify({ tokens: ["nfp_good"], zones: ["example.com"] });
  zone = fake.zoneId("example.com");
});
afterAll(() => fake.stop());

async function call(method: string, path: string, body?: unknown, token: string | null = "nfp_good") {
  const headers: Record<string, string> = { ...(token === null ? {} : { Authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { "Content-Type": "application/json" }) };
  const response = await fetch(`${fake.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

describe("the Netlify fake", () => {
  it("refuses a wrong or missing token with 401 { code, message }", async () => {
    expect(await call("GET", "/dns_zones", undefined, "nfp_wrong")).toEqual({ status: 401, json: { code: 401, message: "Access Denied" } });
    expect((await call("GET", "/dns_zones", undefined, null)).status).toBe(401);
  });

  it("lists zones as a plain array and answers 404 for a zone id it does not know", async () => {
    expect((await call("GET", "/dns_zones")).json).toMatchObject([{ id: zone, name: "example.com" }]);
    expect(await call("GET", "/dns_zones/example.com/dns_records")).toEqual({ status: 404, json: { code: 404, message: "Not Found" } });
  });

  it.each([
    { name: "an unknown field", body: { type: "A", hostname: "x.example.com", value: "192.0.2.1", comment: "hi" } },
    { name: "a hostname outside the zone", body: { type: "A", hostname: "x.example.org", value: "192.0.2.1" } },
    { name: "an A record holding an IPv6 address", body: { type: "A", hostname: "x.example.com", value: "2001:db8::1" } },
  ])("refuses a create with $name (422)", async ({ body }) => {
    expect((await call("POST", `/dns_zones/${zone}/dns_records`, body)).status).toBe(422);
  });

  it("creates with 201 and the default TTL, has no update, deletes with 204 but never a managed record", async () => {
    const created = await call("POST", `/dns_zones/${zone}/dns_records`, { type: "A", hostname: "www.example.com", value: "192.0.2.10" });
    expect(created).toMatchObject({ status: 201, json: { hostname: "www.example.com", value: "192.0.2.10", ttl: 3600, type: "A", managed: false } });
    expect((await call("PUT", `/dns_zones/${zone}/dns_records/${created.json.id}`, { value: "192.0.2.11" })).status).toBe(405);
    const managed = fake.store.find("example.com", "example.com", "NS")[0]!.id;
    expect((await call("DELETE", `/dns_zones/${zone}/dns_records/${managed}`)).status).toBe(422);
    expect((await call("DELETE", `/dns_zones/${zone}/dns_records/${created.json.id}`)).status).toBe(204);
    expect((await call("DELETE", `/dns_zones/${zone}/dns_records/${created.json.id}`)).status).toBe(404);
    expect(fake.read("www.example.com", "A")).toEqual([]);
  });
});
