import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { startFakeNamecom, type FakeNamecom } from "./namecom/fake-namecom.ts";

/** The Name.com fake is as strict as its header says: Basic auth, bodies, PUT replacing, pages. */
let fake: FakeNamecom;
beforeAll(async () => {
  fake = await startFakeNamecom({ users: { alice: "tok", bob: "tok2" }, blocked: ["bob"], zones: ["example.com"], maxPerPage: 2 });
});
afterAll(() => fake.stop());

async function call(method: string, path: string, body?: unknown, auth: string | null = "alice:tok") {
  const headers: Record<string, string> = { ...(auth === null ? {} : { Authorization: `Basic ${btoa(auth)}` }), ...(body === undefined ? {} : { "Content-Type": "application/json" }) };
  const response = await fetch(`${fake.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

describe("the Name.com fake", () => {
  it("refuses a wrong token with 401, no credentials with 401, a user without API access with 403", async () => {
    expect(await call("GET", "/domains", undefined, "alice:wrong")).toEqual({ status: 401, json: { message: "Unauthenticated" } });
    expect((await call("GET", "/domains", undefined, null)).status).toBe(401);
    expect(await call("GET", "/domains", undefined, "bob:tok2")).toMatchObject({ status: 403, json: { message: "Permission Denied" } });
  });

  it.each([
    { name: "an unknown field", body: { type: "A", host: "x", answer: "192.0.2.1", comment: "hi" } },
    { name: "a TTL below 300", body: { type: "A", host: "x", answer: "192.0.2.1", ttl: 60 } },
    { name: "an A record holding an IPv6 address", body: { type: "A", host: "x", answer: "2001:db8::1" } },
  ])("refuses a create with $name (400 Invalid Argument)", async ({ body }) => {
    expect(await call("POST", "/domains/example.com/records", body)).toMatchObject({ status: 400, json: { message: "Invalid Argument" } });
  });

  it("creates relative hosts with the default TTL 300, pages with nextPage, replaces with PUT, deletes", async () => {
    const created = await call("POST", "/domains/example.com/records", { type: "A", host: "www", answer: "192.0.2.10" });
    expect(created).toMatchObject({ status: 200, json: { host: "www", fqdn: "www.example.com.", answer: "192.0.2.10", ttl: 300 } });
    fake.edit("www2.example.com", "A", ["192.0.2.1", "192.0.2.2"]);
    const first = await call("GET", "/domains/example.com/records?perPage=1000");
    expect(first.json).toMatchObject({ nextPage: 2, lastPage: 2, totalCount: 3 });
    expect((await call("GET", "/domains/example.com/records?page=2")).json.nextPage).toBeUndefined();
    expect((await call("GET", "/domains/example.com/records?type=A")).status).toBe(400);
    const id = created.json.id;
    expect((await call("PUT", `/domains/example.com/records/${id}`, { type: "A", host: "www", answer: "192.0.2.11", ttl: 600 })).json).toMatchObject({ answer: "192.0.2.11", ttl: 600 });
    expect((await call("PUT", `/domains/example.com/records/${id}`, { type: "AAAA", host: "www", answer: "2001:db8::1" })).status).toBe(400);
    expect(await call("DELETE", `/domains/example.com/records/${id}`)).toEqual({ status: 200, json: {} });
    expect(await call("DELETE", `/domains/example.com/records/${id}`)).toEqual({ status: 404, json: { message: "Not Found" } });
  });
});
