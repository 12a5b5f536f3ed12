import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { startFakeHetzner, type FakeHetzner } from "./hetzner/fake-hetzner.ts";

/** The Hetzner fake is as strict as its header says: auth, read-only tokens, names, bodies, actions, pages. */
const TOKEN = "hcloud-fake-test-token-0123456789";
let fake: FakeHetzner;
beforeAll(async () => {
  fake = await startFakeHetzner({ tokens: { [TOKEN]: "read-write", "hcloud-reader": "read" }, zones: ["example.com", "b.example", { name: "sec.example", mode: "secondary" }], maxPerPage: 2 });
});
afterAll(() => fake.stop());

async function call(method: string, path: string, body?: unknown, token: string | null = TOKEN) {
  const headers: Record<string, string> = token === null ? {} : { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${fake.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, any> };
}
const create = (body: unknown, zone = "example.com", token?: string) => call("POST", `/zones/${zone}/rrsets`, body, token);

describe("the Hetzner fake", () => {
  it.each([
    { name: "no token", token: null, status: 401, code: "unauthorized", message: "unable to authenticate" },
    { name: "a wrong token", token: "hcloud-wrong", status: 401, code: "unauthorized", message: "unable to authenticate" },
    { name: "a Read-only token", token: "hcloud-reader", status: 403, code: "token_readonly", message: "The token is only allowed to perform GET requests" },
  ])("refuses a write with $name in Hetzner's envelope", async ({ token, status, code, message }) => {
    const r = await create({ name: "x", type: "A", records: [{ value: "192.0.2.1" }] }, "example.com", token as string);
    expect({ status: r.status, json: r.json }).toEqual({ status, json: { error: { code, message, details: {} } } });
    expect(fake.read("x.example.com", "A")).toEqual([]);
  });

  it.each([
    { name: "an unknown field", body: { name: "x", type: "A", records: [{ value: "192.0.2.1" }], comment: "hi" }, message: /comment/ },
    { name: "a TTL below 60", body: { name: "x", type: "A", ttl: 30, records: [{ value: "192.0.2.1" }] }, message: /at least 60/ },
    { name: "no records", body: { name: "x", type: "A", records: [] }, message: /must not be empty/ },
    { name: "the same value twice", body: { name: "x", type: "A", records: [{ value: "192.0.2.1" }, { value: "192.0.2.1" }] }, message: /distinct/ },
    { name: "an absolute name", body: { name: "x.example.com", type: "A", records: [{ value: "192.0.2.1" }] }, message: /relative to the zone/ },
    { name: "an IPv6 address in an A set", body: { name: "x", type: "A", records: [{ value: "2001:db8::1" }] }, message: /not a valid IPv4/ },
  ])("refuses a create with $name (400 invalid_input)", async ({ body, message }) => {
    const r = await create(body);
    expect({ status: r.status, code: r.json.error.code }).toEqual({ status: 400, code: "invalid_input" });
    expect(r.json.error.message).toMatch(message);
  });

  it("creates a set with a running action, which reports success when polled, and refuses it twice", async () => {
    const r = await create({ name: "www", type: "A", records: [{ value: "192.0.2.10", comment: "mine" }] }, "4711000");
    expect(r.status).toBe(201);
    expect(r.json.rrset).toMatchObject({ id: "www/A", name: "www", ttl: null, records: [{ value: "192.0.2.10", comment: "mine" }], zone: 4_711_000 });
    expect(r.json.action).toMatchObject({ command: "create_rrset", status: "running", error: null });
    expect((await call("GET", `/zones/actions/${r.json.action.id}`)).json.action).toMatchObject({ status: "success", progress: 100 });
    expect((await call("GET", "/zones/example.com/rrsets/www/A")).json.rrset.records).toEqual([{ value: "192.0.2.10", comment: "mine" }]);
    expect((await create({ name: "www", type: "A", records: [{ value: "192.0.2.11" }] })).json.error.code).toBe("uniqueness_error");
  });

  it("replaces the records and the TTL with actions, answers 404 for a set that does not exist, and refuses secondary zones", async () => {
    expect((await call("POST", "/zones/example.com/rrsets/www/A/actions/set_records", { records: [{ value: "192.0.2.12" }] })).status).toBe(201);
    expect((await call("POST", "/zones/example.com/rrsets/www/A/actions/change_ttl", { ttl: 120 })).status).toBe(201);
    expect(fake.set("www.example.com", "A")).toMatchObject({ ttl: 120, records: [{ value: "192.0.2.12" }] });
    expect((await call("GET", "/zones/example.com/rrsets/none/A")).json).toEqual({ error: { code: "not_found", message: "rrset not found", details: {} } });
    expect((await call("POST", "/zones/example.com/rrsets/none/A/actions/set_records", { records: [{ value: "192.0.2.1" }] })).status).toBe(404);
    expect((await create({ name: "x", type: "A", records: [{ value: "192.0.2.1" }] }, "sec.example")).json.error.code).toBe("incorrect_zone_mode");
  });

  it("holds actions running, or fails one without changing anything", async () => {
    fake.holdActions("forever");
    const held = await call("POST", "/zones/example.com/rrsets/www/A/actions/set_records", { records: [{ value: "192.0.2.13" }] });
    expect((await call("GET", `/zones/actions/${held.json.action.id}`)).json.action.status).toBe("running");
    fake.holdActions(0);
    fake.failNextAction("action_failed", "Action failed");
    const failed = await call("POST", "/zones/example.com/rrsets/www/A/actions/set_records", { records: [{ value: "192.0.2.14" }] });
    expect((await call("GET", `/zones/actions/${failed.json.action.id}`)).json.action).toMatchObject({ status: "error", error: { code: "action_failed", message: "Action failed" } });
    expect(fake.read("www.example.com", "A")).toEqual(["192.0.2.13"]);
  });

  it("pages the zone list with meta.pagination and its rate-limit headers", async () => {
    const first = await call("GET", "/zones?per_page=50");
    expect(first.json.zones.map((z: { name: string }) => z.name)).toEqual(["example.com", "b.example"]);
    expect(first.json.meta.pagination).toEqual({ page: 1, per_page: 2, previous_page: null, next_page: 2, last_page: 2, total_entries: 3 });
    expect((await call("GET", "/zones?page=2")).json.meta.pagination.next_page).toBeNull();
    expect((await call("GET", "/zones?limit=2")).status).toBe(400);
    expect(Number(first.headers.get("ratelimit-limit"))).toBe(3600);
    expect(Number(first.headers.get("ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000);
    expect(fake.requests.at(-1)).toMatchObject({ method: "GET", path: "/zones", status: 400 });
  });
});
