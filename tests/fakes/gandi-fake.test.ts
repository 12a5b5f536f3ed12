import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { startFakeGandi, type FakeGandi } from "./gandi/fake-gandi.ts";

/** The Gandi fake is as strict as its header says: auth, permissions, names, bodies, TTL range, 404s. */
const TOKEN = "pat_fake-test-token-0123456789";
let fake: FakeGandi;
beforeAll(async () => {
  fake = await startFakeGandi({ tokens: { [TOKEN]: "manage", pat_reader: "read" }, zones: ["example.com"] });
});
afterAll(() => fake.stop());

async function call(method: string, path: string, body?: unknown, token: string | null = TOKEN) {
  const headers: Record<string, string> = token === null ? {} : { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${fake.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, json: (await response.json()) as any };
}
const put = (body: unknown, name = "www", token?: string) => call("PUT", `/domains/example.com/records/${name}/A`, body, token);

describe("the Gandi fake", () => {
  it.each([
    { name: "no token", token: null, status: 401, cause: "Unauthorized" },
    { name: "a token that does not exist", token: "pat_wrong", status: 403, cause: "Forbidden" },
    { name: "a token without the permission", token: "pat_reader", status: 403, cause: "Forbidden" },
  ])("refuses a write with $name in Gandi's error body", async ({ token, status, cause }) => {
    const r = await put({ rrset_values: ["192.0.2.1"] }, "www", token as string);
    expect(r).toMatchObject({ status, json: { code: status, cause, object: `HTTP${cause}` } });
    expect(typeof r.json.message).toBe("string");
    expect(fake.read("www.example.com", "A")).toEqual([]);
  });

  it.each([
    { name: "a TTL below 300", body: { rrset_values: ["192.0.2.1"], rrset_ttl: 299 }, path: "www", field: "rrset_ttl" },
    { name: "a TTL above 30 days", body: { rrset_values: ["192.0.2.1"], rrset_ttl: 2_592_001 }, path: "www", field: "rrset_ttl" },
    { name: "an IPv6 address in an A set", body: { rrset_values: ["2001:db8::1"] }, path: "www", field: "rrset_values" },
    { name: "an absolute name", body: { rrset_values: ["192.0.2.1"] }, path: "www.example.com", field: "rrset_name" },
    { name: "an unknown field", body: { rrset_values: ["192.0.2.1"], rrset_comment: "x" }, path: "www", field: "body" },
    { name: "no values", body: { rrset_values: [] }, path: "www", field: "body" },
  ])("refuses $name with 400 and the field", async ({ body, path, field }) => {
    const r = await put(body, path);
    expect({ status: r.status, message: r.json.message, field: r.json.errors?.[0]?.name }).toEqual({ status: 400, message: "Validation error", field });
  });

  it("replaces a set with PUT (201, the default TTL 10800), reads it back, and answers 404 for one that does not exist", async () => {
    expect(await put({ rrset_values: ["192.0.2.1"] })).toEqual({ status: 201, json: { message: "DNS Record Created" } });
    expect((await call("GET", "/domains/example.com/records/www/A")).json).toMatchObject({ rrset_name: "www", rrset_type: "A", rrset_ttl: 10_800, rrset_values: ["192.0.2.1"] });
    expect(await put({ rrset_values: ["192.0.2.2"], rrset_ttl: 300 }, "@")).toMatchObject({ status: 201 });
    expect(fake.set("example.com", "A")).toMatchObject({ ttl: 300, records: [{ value: "192.0.2.2" }] });
    expect((await call("GET", "/domains/example.com/records/none/A")).json).toMatchObject({ code: 404, cause: "Not Found" });
  });

  it("knows its domains, and nothing else", async () => {
    expect((await call("GET", "/domains")).json.map((d: { fqdn: string }) => d.fqdn)).toEqual(["example.com"]);
    expect((await call("GET", "/domains/example.com")).json).toMatchObject({ fqdn: "example.com" });
    expect((await call("GET", "/domains/www.example.com")).status).toBe(404);
    expect((await call("PUT", "/domains/example.org/records/www/A", { rrset_values: ["192.0.2.1"] })).status).toBe(404);
    expect((await call("GET", "/domains/example.com?sharing_id=x")).status).toBe(400);
  });
});
