import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { startFakeDnsimple, type FakeDnsimple } from "./dnsimple/fake-dnsimple.ts";

/** The DNSimple fake is as strict as its header says: auth, accounts, identity, bodies, filters, pages. */
let fake: FakeDnsimple;
beforeAll(async () => {
  fake = await startFakeDnsimple({ tokens: { acct: { account: 1010 }, user: { account: 1010, user: true } }, zones: ["example.com"], maxPerPage: 2 });
});
afterAll(() => fake.stop());

async function call(method: string, path: string, body?: unknown, token: string | null = "acct") {
  const headers: Record<string, string> = { ...(token === null ? {} : { Authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { "Content-Type": "application/json" }) };
  const response = await fetch(`${fake.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

describe("the DNSimple fake", () => {
  it("refuses a wrong or missing token with 401 and another account's path with 404", async () => {
    expect(await call("GET", "/whoami", undefined, "wrong")).toEqual({ status: 401, json: { message: "Authentication failed" } });
    expect((await call("GET", "/whoami", undefined, null)).status).toBe(401);
    expect((await call("GET", "/2020/zones")).status).toBe(404);
  });

  it("names the account of an account token and none for a user token", async () => {
    expect((await call("GET", "/whoami")).json.data.account.id).toBe(1010);
    expect((await call("GET", "/whoami", undefined, "user")).json.data.account).toBeNull();
  });

  it.each([
    { name: "an unknown field", body: { type: "A", name: "x", content: "192.0.2.1", comment: "hi" }, errors: undefined },
    { name: "a TTL below 60", body: { type: "A", name: "x", content: "192.0.2.1", ttl: 30 }, errors: { ttl: ["must be at least 60"] } },
    { name: "an A record holding an IPv6 address", body: { type: "A", name: "x", content: "2001:db8::1" }, errors: { content: ["is not a valid IPv4 address"] } },
  ])("refuses a create with $name (400)", async ({ body, errors }) => {
    const r = await call("POST", "/1010/zones/example.com/records", body);
    expect(r.status).toBe(400);
    if (errors) expect(r.json).toEqual({ message: "Validation failed", errors });
  });

  it("creates relative names with 201 { data }, filters by exact name and type, pages at most 100", async () => {
    const created = await call("POST", "/1010/zones/example.com/records", { type: "A", name: "www", content: "192.0.2.10" });
    expect(created).toMatchObject({ status: 201, json: { data: { name: "www", content: "192.0.2.10", ttl: 3600, type: "A" } } });
    fake.edit("www2.example.com", "A", ["192.0.2.1", "192.0.2.2", "192.0.2.3"]);
    expect((await call("GET", "/1010/zones/example.com/records?name=www&type=A")).json.data.map((r: { content: string }) => r.content)).toEqual(["192.0.2.10"]);
    expect((await call("GET", "/1010/zones/example.com/records?name=www.example.com")).json.data).toEqual([]);
    expect((await call("GET", "/1010/zones/example.com/records?per_page=100")).json.pagination).toEqual({ current_page: 1, per_page: 2, total_entries: 4, total_pages: 2 });
    expect((await call("GET", "/1010/zones/example.com/records?zone=x")).status).toBe(400);
  });

  it("updates by PATCH, deletes with 204, and answers 404 for an unknown record", async () => {
    const id = fake.store.find("example.com", "www.example.com", "A")[0]!.id;
    expect((await call("PATCH", `/1010/zones/example.com/records/${id}`, { content: "192.0.2.11" })).json.data.content).toBe("192.0.2.11");
    expect((await call("PATCH", "/1010/zones/example.com/records/1", { content: "192.0.2.12" })).status).toBe(404);
    expect((await call("DELETE", `/1010/zones/example.com/records/${id}`)).status).toBe(204);
    expect(fake.read("www.example.com", "A")).toEqual([]);
  });
});
