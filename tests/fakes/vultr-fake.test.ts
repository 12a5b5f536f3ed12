import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { startFakeVultr, type FakeVultr } from "./vultr/fake-vultr.ts";

/** The Vultr fake is as strict as its header says: auth, bodies, cursors, answers without bodies, the log. */
const KEY = "vultr-fake-test-key";
let fake: FakeVultr;
beforeAll(async () => {
  fake = await startFakeVultr({ keys: [KEY], zones: ["example.com"], maxPerPage: 2 });
});
afterAll(() => fake.stop());

async function call(method: string, path: string, body?: unknown, key: string | null = KEY) {
  const headers: Record<string, string> = key === null ? {} : { Authorization: `Bearer ${key}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${fake.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

describe("the Vultr fake", () => {
  it.each([
    { name: "no key", key: null },
    { name: "a wrong key", key: "wrong" },
  ])("refuses $name with 401 and its error body", async ({ key }) => {
    const r = await call("POST", "/domains/example.com/records", { type: "A", name: "x", data: "192.0.2.1" }, key);
    expect(r).toEqual({ status: 401, json: { error: "Invalid API token.", status: 401 } });
    expect(fake.read("x.example.com", "A")).toEqual([]);
  });

  it.each([
    { name: "an unknown field", body: { type: "A", name: "x", data: "192.0.2.1", comment: "hi" } },
    { name: "an A record holding an IPv6 address", body: { type: "A", name: "x", data: "2001:db8::1" } },
    { name: "a missing data field", body: { type: "A", name: "x" } },
    { name: "a TTL of 0", body: { type: "A", name: "x", data: "192.0.2.1", ttl: 0 } },
  ])("refuses a create with $name (400)", async ({ body }) => {
    expect((await call("POST", "/domains/example.com/records", body)).status).toBe(400);
  });

  it("creates with 201 { record }, the name relative, 300 as the TTL when none is given", async () => {
    const r = await call("POST", "/domains/example.com/records", { type: "A", name: "www", data: "192.0.2.10" });
    expect(r).toEqual({ status: 201, json: { record: { id: expect.any(String), type: "A", name: "www", data: "192.0.2.10", priority: -1, ttl: 300 } } });
    expect(fake.read("www.example.com", "A")).toEqual(["192.0.2.10"]);
  });

  it("pages by cursor, with an empty next on the last page, and refuses an unknown cursor", async () => {
    const first = (await call("GET", "/domains/example.com/records?per_page=500")).json;
    expect({ size: first.records.length, total: first.meta.total, prev: first.meta.links.prev }).toEqual({ size: 2, total: 2, prev: "" });
    expect(first.meta.links.next).toBe("");
    fake.edit("many.example.com", "A", ["192.0.2.1", "192.0.2.2"]);
    const again = (await call("GET", "/domains/example.com/records")).json;
    const second = (await call("GET", `/domains/example.com/records?cursor=${encodeURIComponent(again.meta.links.next)}`)).json;
    expect({ size: second.records.length, next: second.meta.links.next }).toEqual({ size: 2, next: "" });
    expect((await call("GET", "/domains/example.com/records?cursor=bogus")).status).toBe(400);
    expect((await call("GET", "/domains/example.com/records?name=www")).status).toBe(400);
  });

  it("updates and deletes with 204 and no body, 404 for an unknown record or domain", async () => {
    const id = fake.store.find("example.com", "www.example.com", "A")[0]!.id;
    expect(await call("PATCH", `/domains/example.com/records/${id}`, { data: "192.0.2.11" })).toEqual({ status: 204, json: undefined });
    expect(fake.read("www.example.com", "A")).toEqual(["192.0.2.11"]);
    expect((await call("PATCH", "/domains/example.com/records/unknown", { data: "192.0.2.12" })).status).toBe(404);
    expect((await call("GET", "/domains/example.org/records")).status).toBe(404);
    expect(await call("DELETE", `/domains/example.com/records/${id}`)).toEqual({ status: 204, json: undefined });
    expect(fake.writes()).toBe(3);
  });
});
