import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { startFakeDigitalOcean, type FakeDigitalOcean } from "./digitalocean/fake-digitalocean.ts";

/** The DigitalOcean fake is as strict as its header says: auth, scopes, bodies, filters, pages, envelopes, the log. */
const TOKEN = "dop_v1_fake-test-token";
let fake: FakeDigitalOcean;
beforeAll(async () => {
  fake = await startFakeDigitalOcean({ tokens: { [TOKEN]: "all", "dop_v1_reader": ["domain:read"] }, zones: ["example.com"], maxPerPage: 2 });
});
afterAll(() => fake.stop());

async function call(method: string, path: string, body?: unknown, token: string | null = TOKEN) {
  const headers: Record<string, string> = token === null ? {} : { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${fake.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : undefined };
}

describe("the DigitalOcean fake", () => {
  it.each([
    { name: "no token", token: null, status: 401, id: "unauthorized", message: "Unable to authenticate you" },
    { name: "a wrong token", token: "dop_v1_wrong", status: 401, id: "unauthorized", message: "Unable to authenticate you" },
    { name: "a token without domain:create", token: "dop_v1_reader", status: 403, id: "forbidden", message: "You are not authorized to perform this operation" },
  ])("refuses $name in DigitalOcean's envelope", async ({ token, status, id, message }) => {
    const r = await call("POST", "/domains/example.com/records", { type: "A", name: "x", data: "192.0.2.1" }, token);
    expect({ status: r.status, json: r.json }).toEqual({ status, json: { id, message } });
    expect(fake.store.read("x.example.com", "A")).toEqual([]);
  });

  it.each([
    { name: "an unknown field", body: { type: "A", name: "x", data: "192.0.2.1", comment: "hi" }, message: /comment/ },
    { name: "a TTL below 30", body: { type: "A", name: "x", data: "192.0.2.1", ttl: 10 }, message: /ttl must be at least 30/ },
    { name: "an A record holding an IPv6 address", body: { type: "A", name: "x", data: "2001:db8::1" }, message: /not a valid IPv4 address/ },
    { name: "a missing data field", body: { type: "A", name: "x" }, message: /data/ },
  ])("refuses a create with $name (422 unprocessable_entity)", async ({ body, message }) => {
    const r = await call("POST", "/domains/example.com/records", body);
    expect(r.status).toBe(422);
    expect(r.json.id).toBe("unprocessable_entity");
    expect(r.json.message).toMatch(message);
  });

  it("creates with the name relative to the domain, DigitalOcean's default TTL, and nulls for unused fields", async () => {
    const r = await call("POST", "/domains/example.com/records", { type: "A", name: "www", data: "192.0.2.10" });
    expect(r.status).toBe(201);
    expect(r.json.domain_record).toEqual({ id: expect.any(Number), type: "A", name: "www", data: "192.0.2.10", priority: null, port: null, ttl: 1800, weight: null, flags: null, tag: null });
    expect(fake.read("www.example.com", "A")).toEqual(["192.0.2.10"]);
  });

  it("filters by type and fully qualified name; a relative name matches nothing", async () => {
    expect((await call("GET", "/domains/example.com/records?type=A&name=www.example.com")).json.domain_records.map((r: { data: string }) => r.data)).toEqual(["192.0.2.10"]);
    expect((await call("GET", "/domains/example.com/records?type=A&name=www")).json).toMatchObject({ domain_records: [], meta: { total: 0 } });
    expect((await call("GET", "/domains/example.com/records?type=NS")).json.meta.total).toBe(3);
    expect((await call("GET", "/domains/example.com/records?type=PTR")).status).toBe(400);
    expect((await call("GET", "/domains/example.com/records?sort=name")).status).toBe(400);
  });

  it("serves pages no larger than its maximum, with only the links that make sense", async () => {
    const first = await call("GET", "/domains/example.com/records?per_page=200");
    expect(first.json.domain_records.length).toBe(2);
    expect(Object.keys(first.json.links.pages).sort()).toEqual(["last", "next"]);
    expect(first.json.meta.total).toBe(4);
    const next = new URL(first.json.links.pages.next);
    expect(next.searchParams.get("page")).toBe("2");
    const last = await call("GET", `/domains/example.com/records${next.search}`);
    expect(Object.keys(last.json.links.pages).sort()).toEqual(["first", "prev"]);
    expect((await call("GET", "/domains/example.com/records?page=0")).status).toBe(400);
  });

  it("updates by id with the type, refuses a change of type and an unknown id, deletes with 204", async () => {
    const id = fake.store.find("example.com", "www.example.com", "A")[0]!.id;
    expect((await call("PATCH", `/domains/example.com/records/${id}`, { type: "A", data: "192.0.2.11" })).json.domain_record.data).toBe("192.0.2.11");
    expect((await call("PATCH", `/domains/example.com/records/${id}`, { data: "192.0.2.12" })).status).toBe(422);
    expect((await call("PATCH", `/domains/example.com/records/${id}`, { type: "AAAA", data: "2001:db8::1" })).status).toBe(422);
    expect((await call("PATCH", "/domains/example.com/records/999999", { type: "A", data: "192.0.2.12" })).json).toEqual({ id: "not_found", message: "The resource you were accessing could not be found." });
    expect((await call("DELETE", `/domains/example.com/records/${id}`)).status).toBe(204);
    expect(fake.read("www.example.com", "A")).toEqual([]);
    expect({ PATCH: fake.writes("PATCH"), DELETE: fake.writes("DELETE"), POST: fake.writes("POST") }).toEqual({ PATCH: 1, DELETE: 1, POST: 1 });
  });

  it("carries its rate-limit headers on every answer and logs every request, refused ones included", async () => {
    const r = await call("GET", "/domains", undefined, null);
    expect(r.status).toBe(401);
    expect(Number(r.headers.get("ratelimit-limit"))).toBe(5000);
    expect(Number(r.headers.get("ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000);
    expect(fake.requests.at(-1)).toMatchObject({ method: "GET", path: "/domains", status: 401 });
    expect(fake.requests.filter((q) => q.status === 401).length).toBeGreaterThanOrEqual(3);
  });
});
