import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { startFakeLinode, type FakeLinode } from "./linode/fake-linode.ts";

/** The Linode fake is as strict as its header says: auth, scopes, bodies, filters, pages, TTL rounding, envelopes. */
const TOKEN = "linode-fake-test-token";
let fake: FakeLinode;
let records: string;
beforeAll(async () => {
  fake = await startFakeLinode({ tokens: { [TOKEN]: "all", reader: "domains:read_only" }, zones: ["example.com"], slaves: ["example.net"], maxPerPage: 2 });
  records = `/domains/${fake.domainId("example.com")}/records`;
});
afterAll(() => fake.stop());

async function call(method: string, path: string, body?: unknown, token: string | null = TOKEN, headers: Record<string, string> = {}) {
  const h: Record<string, string> = { ...headers, ...(token === null ? {} : { Authorization: `Bearer ${token}` }) };
  if (body !== undefined) h["Content-Type"] = "application/json";
  const response = await fetch(`${fake.url}${path}`, { method, headers: h, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

describe("the Linode fake", () => {
  it.each([
    { name: "no token", token: null, status: 401, reason: "Invalid Token" },
    { name: "a wrong token", token: "wrong", status: 401, reason: "Invalid Token" },
    { name: "a read-only token", token: "reader", status: 403, reason: "Your OAuth token is not authorized to use this endpoint." },
  ])("refuses a create with $name in Linode's envelope", async ({ token, status, reason }) => {
    const r = await call("POST", records, { type: "A", name: "x", target: "192.0.2.1" }, token);
    expect({ status: r.status, json: r.json }).toEqual({ status, json: { errors: [{ reason }] } });
    expect(fake.read("x.example.com", "A")).toEqual([]);
  });

  it.each([
    { name: "an unknown field", body: { type: "A", name: "x", target: "192.0.2.1", comment: "hi" }, field: "comment" },
    { name: "an A record holding an IPv6 address", body: { type: "A", name: "x", target: "2001:db8::1" }, field: "target" },
    { name: "a missing target", body: { type: "A", name: "x" }, field: "target" },
  ])("refuses a create with $name (400, naming the field)", async ({ body, field }) => {
    const r = await call("POST", records, body);
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.json.errors[0])).toContain(field);
  });

  it("stores names relative (an FQDN too), rounds a TTL up to a valid value, 0 is the domain's default", async () => {
    expect((await call("POST", records, { type: "A", name: "www.example.com", target: "192.0.2.10", ttl_sec: 600 })).json).toMatchObject({ name: "www", target: "192.0.2.10", ttl_sec: 3600 });
    expect((await call("POST", records, { type: "A", name: "", target: "192.0.2.11" })).json).toMatchObject({ name: "", ttl_sec: 0 });
    expect(fake.read("example.com", "A")).toEqual(["192.0.2.11"]);
  });

  it("narrows by X-Filter on name and type only, and pages with page_size 25…500", async () => {
    expect((await call("GET", records, undefined, TOKEN, { "X-Filter": JSON.stringify({ name: "www" }) })).json).toMatchObject({ data: [{ target: "192.0.2.10" }], results: 1 });
    expect((await call("GET", records, undefined, TOKEN, { "X-Filter": JSON.stringify({ target: "x" }) })).status).toBe(400);
    fake.edit("many.example.com", "A", ["192.0.2.1", "192.0.2.2", "192.0.2.3"]);
    const first = (await call("GET", `${records}?page_size=500`)).json;
    expect({ size: first.data.length, page: first.page, pages: first.pages, results: first.results }).toEqual({ size: 2, page: 1, pages: 3, results: 5 });
    expect((await call("GET", `${records}?page_size=10`)).status).toBe(400);
    expect((await call("GET", `${records}?sort=name`)).status).toBe(400);
  });

  it("updates by id with PUT, refuses a change of type, answers 404 for another domain's id, deletes with 200 {}", async () => {
    const id = fake.store.find("example.com", "www.example.com", "A")[0]!.id;
    expect((await call("PUT", `${records}/${id}`, { target: "192.0.2.12" })).json).toMatchObject({ target: "192.0.2.12", ttl_sec: 3600 });
    expect((await call("PUT", `${records}/${id}`, { type: "AAAA" })).status).toBe(400);
    expect((await call("PUT", `/domains/${fake.domainId("example.net")}/records/${id}`, { target: "192.0.2.13" })).status).toBe(400);
    expect((await call("PUT", `${records}/999`, { target: "192.0.2.13" })).json).toEqual({ errors: [{ reason: "Not found" }] });
    expect(await call("DELETE", `${records}/${id}`)).toEqual({ status: 200, json: {} });
    expect(fake.read("www.example.com", "A")).toEqual([]);
  });

  it("lists domains with their type, and logs every request", async () => {
    const r = await call("GET", "/domains");
    expect(r.json.data.map((d: { domain: string; type: string }) => [d.domain, d.type])).toEqual([["example.com", "master"], ["example.net", "slave"]]);
    expect(fake.requests.at(-1)).toMatchObject({ method: "GET", path: "/domains", status: 200 });
  });
});
