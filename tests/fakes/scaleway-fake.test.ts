import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { startFakeScaleway, type FakeScaleway } from "./scaleway/fake-scaleway.ts";

/** The Scaleway fake is as strict as its header says: auth, permissions, atomic PATCHes, names, pages. */
const KEY = "scw-secret-0123456789";
let fake: FakeScaleway;
beforeAll(async () => {
  fake = await startFakeScaleway({ keys: { [KEY]: "write", "scw-reader": "read" }, zones: ["example.com", "lab.example.com", "b.example"], maxPerPage: 2 });
});
afterAll(() => fake.stop());

async function call(method: string, path: string, body?: unknown, key: string | null = KEY) {
  const headers: Record<string, string> = key === null ? {} : { "X-Auth-Token": key };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${fake.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, json: (await response.json()) as any };
}
const rec = (more: Record<string, unknown> = {}) => ({ data: "192.0.2.1", name: "www", priority: 0, ttl: 3600, type: "A", ...more });
const patch = (changes: readonly unknown[], key?: string) => call("PATCH", "/dns-zones/example.com/records", { changes, disallow_new_zone_creation: true }, key);

describe("the Scaleway fake", () => {
  it.each([
    { name: "no key", key: null, status: 401, type: "denied_authentication" },
    { name: "an unknown key", key: "scw-wrong", status: 401, type: "denied_authentication" },
    { name: "a key that may only read", key: "scw-reader", status: 403, type: "permissions_denied" },
  ])("refuses a write with $name in Scaleway's error body", async ({ key, status, type }) => {
    const r = await patch([{ add: { records: [rec()] } }], key as string);
    expect({ status: r.status, type: r.json.type, message: typeof r.json.message }).toEqual({ status, type, message: "string" });
    expect(fake.read("www.example.com", "A")).toEqual([]);
  });

  it.each([
    { name: "a TTL below 60", changes: [{ add: { records: [rec({ ttl: 30 })] } }], argument: "ttl" },
    { name: "an absolute name", changes: [{ add: { records: [rec({ name: "www.example.com" })] } }], argument: "name" },
    { name: "'@' for the apex", changes: [{ add: { records: [rec({ name: "@" })] } }], argument: "name" },
    { name: "an IPv6 address in an A record", changes: [{ add: { records: [rec({ data: "2001:db8::1" })] } }], argument: "data" },
    { name: "an unknown field, with a good change before it", changes: [{ add: { records: [rec({ name: "ok" })] } }, { add: { records: [rec({ proxied: true })] } }], argument: "body" },
  ])("refuses a PATCH with $name, all of it", async ({ changes, argument }) => {
    const r = await patch(changes);
    expect({ status: r.status, type: r.json.type, argument: r.json.details?.[0]?.argument_name }).toEqual({ status: 400, type: "invalid_arguments", argument });
    expect(fake.read("ok.example.com", "A")).toEqual([]);
  });

  it("adds a set, replaces it by name and type, refuses to set one that does not exist, and lists it by name", async () => {
    expect((await patch([{ add: { records: [rec({ comment: "mine" })] } }])).status).toBe(200);
    expect((await patch([{ set: { id_fields: { name: "www", type: "A" }, records: [rec({ data: "192.0.2.2", ttl: 600 })] } }])).json.records).toEqual([expect.objectContaining({ data: "192.0.2.2", ttl: 600 })]);
    expect((await patch([{ set: { id_fields: { name: "none", type: "A" }, records: [rec({ name: "none" })] } }])).status).toBe(404);
    expect((await call("GET", "/dns-zones/example.com/records?name=www&type=A")).json).toMatchObject({ records: [{ name: "www", data: "192.0.2.2" }], total_count: 1 });
    expect((await call("GET", "/dns-zones/example.org/records")).json).toMatchObject({ type: "not_found", resource: "dns_zone" });
  });

  it("pages the zone list and names a subdomain zone by its parts", async () => {
    const first = await call("GET", "/dns-zones?page=1&page_size=100");
    expect(first.json).toMatchObject({ total_count: 3, dns_zones: [{ domain: "example.com", subdomain: "" }, { domain: "example.com", subdomain: "lab" }] });
    expect((await call("GET", "/dns-zones?page=2&page_size=100")).json.dns_zones).toEqual([expect.objectContaining({ domain: "b.example" })]);
    expect((await call("GET", "/dns-zones?limit=2")).status).toBe(400);
  });
});
