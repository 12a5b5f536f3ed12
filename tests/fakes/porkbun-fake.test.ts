import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { startFakePorkbun, type FakePorkbun } from "./porkbun/fake-porkbun.ts";

/** The Porkbun fake is as strict as its header says: keys in the body, POST only, refusals, names, edits. */
const KEYS = { apikey: "pk1_fake", secretapikey: "sk1_fake" };
let fake: FakePorkbun;
beforeAll(async () => {
  fake = await startFakePorkbun({ keys: { [KEYS.apikey]: KEYS.secretapikey }, zones: ["example.com", "example.net"], optedOut: ["example.net"] });
});
afterAll(() => fake.stop());

async function call(path: string, body: object = {}, keys: object = KEYS, method = "POST") {
  const response = await fetch(`${fake.url}${path}`, { method, headers: { "Content-Type": "application/json" }, ...(method === "POST" ? { body: JSON.stringify({ ...keys, ...body }) } : {}) });
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text) };
}

describe("the Porkbun fake", () => {
  it.each([
    { name: "a wrong secret key", keys: { apikey: "pk1_fake", secretapikey: "sk1_wrong" } },
    { name: "an unknown API key", keys: { apikey: "pk1_other", secretapikey: "sk1_fake" } },
  ])("refuses $name with HTTP 400 and Porkbun's message", async ({ keys }) => {
    const r = await call("/dns/create/example.com", { type: "A", name: "x", content: "192.0.2.1" }, keys);
    expect(r).toEqual({ status: 400, json: { status: "ERROR", message: "Invalid API key. (002)" } });
    expect(fake.read("x.example.com", "A")).toEqual([]);
  });

  it.each([
    { name: "a GET", path: "/ping", method: "GET", status: 405 },
    { name: "a subdomain as the domain", path: "/dns/retrieve/www.example.com", method: "POST", status: 400 },
    { name: "a domain with API access off", path: "/dns/retrieve/example.net", method: "POST", status: 400 },
  ])("refuses $name", async ({ path, method, status }) => {
    expect((await call(path, {}, KEYS, method)).status).toBe(status);
  });

  it.each([
    { name: "a TTL below 600", body: { type: "A", name: "x", content: "192.0.2.1", ttl: "300" } },
    { name: "a TTL as a number", body: { type: "A", name: "x", content: "192.0.2.1", ttl: 900 } },
    { name: "an unknown field", body: { type: "A", name: "x", content: "192.0.2.1", comment: "hi" } },
    { name: "an A record holding an IPv6 address", body: { type: "A", name: "x", content: "2001:db8::1" } },
  ])("refuses a create with $name (400 ERROR)", async ({ body }) => {
    const r = await call("/dns/create/example.com", body);
    expect({ status: r.status, status2: r.json.status }).toEqual({ status: 400, status2: "ERROR" });
  });

  it("creates with a relative name, answers the id, shows names fully qualified and numbers as strings", async () => {
    const r = await call("/dns/create/example.com", { type: "A", name: "www", content: "192.0.2.10", notes: "n" });
    expect(r.json).toEqual({ status: "SUCCESS", id: expect.any(Number) });
    const found = await call("/dns/retrieveByNameType/example.com/A/www");
    expect(found.json.records).toEqual([{ id: String(r.json.id), name: "www.example.com", type: "A", content: "192.0.2.10", ttl: "600", prio: "0", notes: "n" }]);
  });

  it("resets the TTL and notes an edit is not sent, refuses an unknown id, deletes", async () => {
    const id = fake.store.find("example.com", "www.example.com", "A")[0]!.id;
    fake.store.update(id, { ttl: 3600 });
    expect((await call(`/dns/edit/example.com/${id}`, { type: "A", name: "www", content: "192.0.2.11" })).json).toEqual({ status: "SUCCESS" });
    expect(fake.store.byId(id)).toMatchObject({ content: "192.0.2.11", ttl: 600, extra: { notes: "" } });
    expect((await call("/dns/edit/example.com/1", { type: "A", name: "www", content: "192.0.2.12" })).json).toEqual({ status: "ERROR", message: "Invalid record ID." });
    expect((await call(`/dns/delete/example.com/${id}`)).json).toEqual({ status: "SUCCESS" });
    expect(fake.read("www.example.com", "A")).toEqual([]);
  });

  it("lists domains from start, 1000 at a time", async () => {
    expect((await call("/domain/listAll", { start: "0" })).json.domains.map((d: { domain: string }) => d.domain)).toEqual(["example.com", "example.net"]);
    expect((await call("/domain/listAll", { start: "1000" })).json.domains).toEqual([]);
  });
});
