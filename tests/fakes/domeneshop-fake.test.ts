import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { startFakeDomeneshop, type FakeDomeneshop } from "./domeneshop/fake-domeneshop.ts";

/** The Domeneshop fake is as strict as its header says: Basic auth, bodies, TTLs, hosts, DNS-less domains and ids. */
const AUTH = `Basic ${Buffer.from("tok:sec-ret").toString("base64")}`;
let fake: FakeDomeneshop;
beforeAll(async () => {
  fake = await startFakeDomeneshop({ clients: { tok: "sec-ret" }, zones: ["example.com"], elsewhere: ["example.org"] });
});
afterAll(() => fake.stop());

async function call(method: string, path: string, body?: unknown, auth = AUTH) {
  const headers: Record<string, string> = { Authorization: auth };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${fake.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, location: response.headers.get("location"), json: response.status === 204 ? undefined : ((await response.json()) as any) };
}
const www = (more: object = {}) => ({ host: "www", ttl: 300, type: "A", data: "192.0.2.1", ...more });

describe("the Domeneshop fake", () => {
  it("refuses wrong credentials with 401 and {code, help}", async () => {
    expect(await call("GET", "/domains", undefined, `Basic ${Buffer.from("tok:nope").toString("base64")}`)).toMatchObject({ status: 401, json: { code: "auth:invalid", help: "Invalid API credentials." } });
  });

  it.each([
    { name: "a TTL that is not whole minutes", body: www({ ttl: 90 }) },
    { name: "a TTL above a week", body: www({ ttl: 604_860 }) },
    { name: "an absolute host", body: www({ host: "www.example.com" }) },
    { name: "an IPv6 address in an A record", body: www({ data: "2001:db8::1" }) },
    { name: "an unknown field", body: www({ priority: 10 }) },
  ])("refuses $name with 400", async ({ body }) => {
    expect((await call("POST", "/domains/1/dns", body)).status).toBe(400);
  });

  it("creates (201, id and Location), replaces (204), deletes (204); DNS-less domains and unknown ids are 404", async () => {
    const created = await call("POST", "/domains/1/dns", www());
    const id = created.json?.id as number;
    expect({ status: created.status, location: created.location, id: typeof id }).toEqual({ status: 201, location: `/v0/domains/1/dns/${id}`, id: "number" });
    expect((await call("GET", "/domains/1/dns?type=A")).json).toEqual([{ id, host: "www", ttl: 300, type: "A", data: "192.0.2.1" }]);
    expect((await call("PUT", `/domains/1/dns/${id}`, www({ data: "192.0.2.2" }))).status).toBe(204);
    expect(fake.read("www.example.com", "A")).toEqual(["192.0.2.2"]);
    expect((await call("DELETE", `/domains/1/dns/${id}`)).status).toBe(204);
    expect(await call("DELETE", `/domains/1/dns/${id}`)).toMatchObject({ status: 404, json: { code: "dns:recordNotFound" } });
    expect(await call("POST", "/domains/2/dns", www())).toMatchObject({ status: 404, json: { code: "domain:notFound" } });
    expect((await call("GET", "/domains")).json.map((d: any) => [d.domain, d.services.dns])).toEqual([["example.com", true], ["example.org", false]]);
  });
});
