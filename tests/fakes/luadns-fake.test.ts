import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { startFakeLuadns, type FakeLuadns } from "./luadns/fake-luadns.ts";

/** The LuaDNS fake is as strict as its header says: Basic auth, Accept, restricted keys, names, TTLs. */
const GLOBAL = "me@example.net:0123456789abcdef";
const SCOPED = "me@example.net:restricted-to-b";
let fake: FakeLuadns;
beforeAll(async () => {
  fake = await startFakeLuadns({ keys: { [GLOBAL]: "global", [SCOPED]: "b.example" }, zones: ["example.com", "b.example"] });
});
afterAll(() => fake.stop());

async function call(method: string, path: string, body?: unknown, credentials: string | null = GLOBAL, accept = "application/json") {
  const headers: Record<string, string> = { Accept: accept };
  if (credentials !== null) headers.Authorization = `Basic ${Buffer.from(credentials).toString("base64")}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${fake.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, json: (await response.json()) as any };
}
const www = (more: Record<string, unknown> = {}) => ({ name: "www.example.com.", type: "A", content: "192.0.2.1", ttl: 300, ...more });

describe("the LuaDNS fake", () => {
  it.each([
    { name: "no credentials", credentials: null, accept: "application/json", status: 401 },
    { name: "a wrong API key", credentials: "me@example.net:wrong", accept: "application/json", status: 401 },
    { name: "a key restricted to another zone", credentials: SCOPED, accept: "application/json", status: 403 },
    { name: "no Accept: application/json", credentials: GLOBAL, accept: "*/*", status: 400 },
  ])("refuses a create with $name in LuaDNS's error body", async ({ credentials, accept, status }) => {
    const r = await call("POST", "/zones/1/records", www(), credentials, accept);
    expect(r.status).toBe(status);
    expect(Object.keys(r.json).sort()).toEqual(["message", "request_id", "status"]);
    expect(fake.read("www.example.com", "A")).toEqual([]);
  });

  it.each([
    { name: "a name without the trailing dot", body: www({ name: "www.example.com" }) },
    { name: "a name outside the zone", body: www({ name: "www.example.org." }) },
    { name: "a TTL below 300", body: www({ ttl: 60 }) },
    { name: "an IPv6 address in an A record", body: www({ content: "2001:db8::1" }) },
    { name: "an unknown field", body: www({ comment: "x" }) },
  ])("refuses a create with $name (422)", async ({ body }) => {
    expect((await call("POST", "/zones/1/records", body)).status).toBe(422);
  });

  it("creates, lists, replaces and deletes records by id, and shows a restricted key only its zone", async () => {
    const created = await call("POST", "/zones/1/records", www());
    expect(created).toMatchObject({ status: 200, json: { name: "www.example.com.", type: "A", content: "192.0.2.1", ttl: 300, zone_id: 1 } });
    const id = created.json.id as number;
    expect((await call("GET", "/zones/1/records")).json.map((r: { id: number }) => r.id)).toEqual([id]);
    expect((await call("PUT", `/zones/1/records/${id}`, www({ content: "192.0.2.2" }))).json).toMatchObject({ id, content: "192.0.2.2" });
    expect((await call("PUT", `/zones/2/records/${id}`, www({ name: "www.b.example." }))).status).toBe(404);
    expect((await call("DELETE", `/zones/1/records/${id}`)).status).toBe(200);
    expect(fake.read("www.example.com", "A")).toEqual([]);
    expect((await call("GET", "/zones", undefined, SCOPED)).json.map((z: { name: string }) => z.name)).toEqual(["b.example"]);
    expect((await call("GET", "/zones/9/records")).status).toBe(404);
  });
});
