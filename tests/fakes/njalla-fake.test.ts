import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { startFakeNjalla, type FakeNjalla } from "./njalla/fake-njalla.ts";

/** The Njalla fake is as strict as its header says: the token header, the endpoint, methods, params, ids and TTLs. */
const TOKEN = "njalla-fake-token-0123456789";
let fake: FakeNjalla;
beforeAll(async () => {
  fake = await startFakeNjalla({ tokens: [TOKEN], zones: ["example.com"] });
});
afterAll(() => fake.stop());

async function rpc(method: string, params: unknown, auth = `Njalla ${TOKEN}`, url = `${fake.url}/`) {
  const response = await fetch(url, { method: "POST", headers: { Authorization: auth, "Content-Type": "application/json" }, body: JSON.stringify({ method, params }) });
  return { status: response.status, json: (await response.json().catch(() => undefined)) as any };
}
const add = (more: object = {}) => rpc("add-record", { domain: "example.com", type: "A", name: "www", content: "192.0.2.1", ttl: 300, ...more });

describe("the Njalla fake", () => {
  it.each([
    { name: "a wrong token", auth: "Njalla nope" },
    { name: "a Bearer token", auth: `Bearer ${TOKEN}` },
  ])("refuses $name with error 403 in HTTP 200", async ({ auth }) => {
    expect(await rpc("list-domains", {}, auth)).toEqual({ status: 200, json: { jsonrpc: "2.0", error: { code: 403, message: "Invalid token." } } });
  });

  it.each([
    { name: "a TTL Njalla does not take", more: { ttl: 120 } },
    { name: "an unknown param", more: { comment: "x" } },
    { name: "an absolute name", more: { name: "www.example.com" } },
    { name: "an IPv6 address in an A record", more: { content: "2001:db8::1" } },
  ])("refuses $name with error 400", async ({ more }) => {
    expect((await add(more)).json).toMatchObject({ error: { code: 400 } });
  });

  it("adds, lists, edits by integer id and removes; unknown domains, ids and methods are errors", async () => {
    const { json } = await add();
    const id = json.result.id as number;
    expect({ ...json.result, id: typeof id }).toEqual({ name: "www", type: "A", content: "192.0.2.1", ttl: 300, id: "number" });
    expect((await rpc("list-records", { domain: "example.com" })).json.result.records).toEqual([{ id, name: "www", type: "A", content: "192.0.2.1", ttl: 300 }]);
    expect((await rpc("edit-record", { domain: "example.com", id: String(id), content: "192.0.2.2" })).json).toMatchObject({ error: { code: 400 } });
    expect((await rpc("edit-record", { domain: "example.com", id, content: "192.0.2.2" })).json.result).toMatchObject({ content: "192.0.2.2", ttl: 300 });
    expect((await rpc("remove-record", { domain: "example.com", id })).json).toEqual({ jsonrpc: "2.0", result: {} });
    expect((await rpc("remove-record", { domain: "example.com", id })).json).toEqual({ jsonrpc: "2.0", error: { code: 404, message: "Record not found." } });
    expect((await rpc("list-records", { domain: "example.org" })).json).toEqual({ jsonrpc: "2.0", error: { code: 404, message: "Domain not found." } });
    expect((await rpc("drop-everything", {})).json).toMatchObject({ error: { code: 400 } });
    expect((await rpc("list-domains", {}, undefined, fake.url)).json).toMatchObject({ error: { code: 404 } });
  });
});
