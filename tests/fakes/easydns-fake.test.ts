import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { startFakeEasydns, type FakeEasydns } from "./easydns/fake-easydns.ts";

/** The easyDNS fake is as strict as its header says: Basic auth, format=json, strict bodies, TTL floor, string ids. */
const CREDENTIALS = "token0123:key0123456789";
let fake: FakeEasydns;
beforeAll(async () => {
  fake = await startFakeEasydns({ credentials: [CREDENTIALS], zones: ["example.com"] });
});
afterAll(() => fake.stop());

async function call(method: string, path: string, body?: unknown, credentials: string | null = CREDENTIALS, query = "?format=json") {
  const headers: Record<string, string> = {};
  if (credentials !== null) headers.Authorization = `Basic ${Buffer.from(credentials).toString("base64")}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${fake.url}${path}${query}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, json: (await response.json()) as any };
}
const www = (more: Record<string, unknown> = {}) => ({ domain: "example.com", host: "www", ttl: 300, prio: 0, type: "A", rdata: "192.0.2.1", ...more });

describe("the easyDNS fake", () => {
  it.each([
    { name: "no credentials", credentials: null, query: "?format=json", status: 420 },
    { name: "a wrong key", credentials: "token0123:wrong", query: "?format=json", status: 401 },
    { name: "no format=json", credentials: CREDENTIALS, query: "", status: 400 },
  ])("refuses a create with $name in easyDNS's error body", async ({ credentials, query, status }) => {
    const r = await call("PUT", "/zones/records/add/example.com/A", www(), credentials, query);
    expect(r).toMatchObject({ status, json: { error: { code: status } } });
    expect(fake.read("www.example.com", "A")).toEqual([]);
  });

  it.each([
    { name: "a TTL below 300", body: www({ ttl: 60 }) },
    { name: "an IPv6 address in an A record", body: www({ rdata: "2001:db8::1" }) },
    { name: "an absolute host", body: www({ host: "www.example.com." }) },
    { name: "a type that differs from the path", body: www({ type: "AAAA", rdata: "2001:db8::1" }) },
    { name: "an unknown field", body: www({ comment: "x" }) },
  ])("refuses a create with $name (400)", async ({ body }) => {
    expect((await call("PUT", "/zones/records/add/example.com/A", body)).status).toBe(400);
  });

  it("creates (201, string id and TTL), lists, changes and deletes records, and has no other domain", async () => {
    const created = await call("PUT", "/zones/records/add/example.com/A", www());
    expect(created).toMatchObject({ status: 201, json: { data: { host: "www", ttl: "300", type: "A", rdata: "192.0.2.1" } } });
    const id = created.json.data.id as string;
    expect(typeof id).toBe("string");
    expect((await call("GET", "/zones/records/all/example.com")).json.data.map((r: { id: string }) => r.id)).toEqual([id]);
    expect((await call("POST", `/zones/records/${id}`, { host: "www", ttl: 300, type: "A", rdata: "192.0.2.2" })).status).toBe(200);
    expect(fake.read("www.example.com", "A")).toEqual(["192.0.2.2"]);
    expect((await call("DELETE", `/zones/records/example.com/${id}`)).status).toBe(200);
    expect((await call("POST", `/zones/records/${id}`, { host: "www", ttl: 300, type: "A", rdata: "192.0.2.3" })).status).toBe(404);
    expect((await call("GET", "/zones/records/all/example.org")).status).toBe(404);
  });
});
