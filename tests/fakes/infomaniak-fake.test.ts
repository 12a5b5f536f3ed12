import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { startFakeInfomaniak, type FakeInfomaniak } from "./infomaniak/fake-infomaniak.ts";

/** The Infomaniak fake is as strict as its header says: Bearer scopes, the envelope, strict bodies, TTL range. */
const TOKEN = "token-rw";
const READ = "token-r";
let fake: FakeInfomaniak;
beforeAll(async () => {
  fake = await startFakeInfomaniak({ tokens: { [TOKEN]: ["dns:read", "dns:write"], [READ]: ["dns:read"], nodns: ["domain:read"] }, zones: ["example.com"] });
});
afterAll(() => fake.stop());

async function call(method: string, path: string, body?: unknown, token: string | null = TOKEN) {
  const headers: Record<string, string> = {};
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${fake.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, json: (await response.json()) as any };
}
const www = (more: Record<string, unknown> = {}) => ({ source: "www", type: "A", target: "192.0.2.1", ttl: 300, ...more });

describe("the Infomaniak fake", () => {
  it.each([
    { name: "no token", token: null, status: 401, code: "not_authorized" },
    { name: "a wrong token", token: "wrong", status: 401, code: "not_authorized" },
    { name: "a token without dns scopes", token: "nodns", status: 403, code: "forbidden" },
    { name: "a read-only token", token: READ, status: 403, code: "forbidden" },
  ])("refuses a create with $name in Infomaniak's envelope", async ({ token, status, code }) => {
    expect(await call("POST", "/2/zones/example.com/records", www(), token)).toMatchObject({ status, json: { result: "error", error: { code } } });
    expect(fake.read("www.example.com", "A")).toEqual([]);
  });

  it.each([
    { name: "a TTL below 60", body: www({ ttl: 30 }) },
    { name: "an IPv6 address in an A record", body: www({ target: "2001:db8::1" }) },
    { name: "an absolute source", body: www({ source: "www.example.com." }) },
    { name: "an unknown field", body: www({ comment: "x" }) },
  ])("refuses a create with $name (422)", async ({ body }) => {
    expect(await call("POST", "/2/zones/example.com/records", body)).toMatchObject({ status: 422, json: { error: { code: "validation_failed" } } });
  });

  it("answers exists, creates, lists, changes and deletes records by id", async () => {
    expect((await call("GET", "/2/zones/example.com/exists")).json).toEqual({ result: "success", data: true });
    expect((await call("GET", "/2/zones/www.example.com/exists")).status).toBe(404);
    const created = await call("POST", "/2/zones/example.com/records", www());
    expect(created.json).toMatchObject({ result: "success", data: { source: "www", target: "192.0.2.1", ttl: 300 } });
    const id = created.json.data.id as number;
    expect((await call("GET", "/2/zones/example.com/records")).json.data.map((r: { id: number }) => r.id)).toEqual([id]);
    expect((await call("PUT", `/2/zones/example.com/records/${id}`, www({ target: "192.0.2.2" }))).status).toBe(200);
    expect(fake.read("www.example.com", "A")).toEqual(["192.0.2.2"]);
    expect((await call("DELETE", `/2/zones/example.com/records/${id}`)).json).toEqual({ result: "success", data: true });
    expect((await call("DELETE", `/2/zones/example.com/records/${id}`)).status).toBe(404);
  });
});
