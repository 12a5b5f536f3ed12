import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { startFakeHostinger, type FakeHostinger } from "./hostinger/fake-hostinger.ts";

/** The Hostinger fake is as strict as its header says: auth, bodies, names, TTLs, overwrite and unknown zones. */
const TOKEN = "hostinger-fake-token-0123456789";
let fake: FakeHostinger;
beforeAll(async () => {
  fake = await startFakeHostinger({ tokens: [TOKEN], zones: ["example.com"] });
});
afterAll(() => fake.stop());

async function call(method: string, path: string, body?: unknown, token: string | null = TOKEN) {
  const headers: Record<string, string> = token === null ? {} : { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${fake.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, json: (await response.json()) as any };
}
const put = (body: unknown, zone = "example.com", token?: string | null) => call("PUT", `/api/dns/v1/zones/${zone}`, body, token);
const www = (content: string, more: object = {}) => ({ name: "www", type: "A", ttl: 300, records: [{ content }], ...more });

describe("the Hostinger fake", () => {
  it.each([
    { name: "no token", token: null },
    { name: "a wrong token", token: "nope" },
  ])("refuses $name with 401 and Hostinger's error body", async ({ token }) => {
    const r = await put({ overwrite: true, zone: [www("192.0.2.1")] }, "example.com", token);
    expect(r).toMatchObject({ status: 401, json: { message: "Unauthenticated." } });
    expect(typeof r.json.correlation_id).toBe("string");
    expect(fake.read("www.example.com", "A")).toEqual([]);
  });

  it.each([
    { name: "an unknown field", body: { overwrite: true, zone: [www("192.0.2.1", { comment: "x" })] } },
    { name: "an absolute name", body: { overwrite: true, zone: [www("192.0.2.1", { name: "www.example.com" })] } },
    { name: "a TTL below 60", body: { overwrite: true, zone: [www("192.0.2.1", { ttl: 59 })] } },
    { name: "an IPv6 address in an A set", body: { overwrite: true, zone: [www("2001:db8::1")] } },
    { name: "no sets", body: { overwrite: true, zone: [] } },
  ])("refuses $name with 422", async ({ body }) => {
    const r = await put(body);
    expect(r.status).toBe(422);
    expect(typeof r.json.message).toBe("string");
  });

  it("replaces a set with overwrite, appends without it, and answers 404 for a zone it does not hold", async () => {
    expect(await put({ overwrite: true, zone: [www("192.0.2.1")] })).toEqual({ status: 200, json: { message: "Request accepted" } });
    expect(await put({ overwrite: false, zone: [www("192.0.2.2")] })).toMatchObject({ status: 200 });
    expect(fake.read("www.example.com", "A")).toEqual(["192.0.2.1", "192.0.2.2"]);
    expect(await put({ overwrite: true, zone: [www("192.0.2.3")] })).toMatchObject({ status: 200 });
    expect((await call("GET", "/api/dns/v1/zones/example.com")).json).toEqual([{ name: "www", records: [{ content: "192.0.2.3", is_disabled: false }], ttl: 300, type: "A" }]);
    expect(await call("GET", "/api/dns/v1/zones/example.org")).toMatchObject({ status: 404, json: { message: "DNS zone not found." } });
  });
});
