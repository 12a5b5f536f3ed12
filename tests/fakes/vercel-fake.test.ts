import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { startFakeVercel, type FakeVercel } from "./vercel/fake-vercel.ts";

/** The Vercel fake is as strict as its header says: tokens and teams, bodies, time-based pages, versioned paths. */
let fake: FakeVercel;
beforeAll(async () => {
  fake = await startFakeVercel({ tokens: { tok: ["", "team_a"] }, zones: { "example.com": "", "team.example": "team_a" }, maxPerPage: 2 });
});
afterAll(() => fake.stop());

async function call(method: string, path: string, body?: unknown, token: string | null = "tok") {
  const headers: Record<string, string> = { ...(token === null ? {} : { Authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { "Content-Type": "application/json" }) };
  const response = await fetch(`${fake.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

describe("the Vercel fake", () => {
  it("refuses an unknown token with 403 invalidToken, another team with 403, and a team's domain without teamId with 404", async () => {
    expect(await call("GET", "/v5/domains", undefined, "nope")).toEqual({ status: 403, json: { error: { code: "forbidden", message: "Not authorized", invalidToken: true } } });
    expect(await call("GET", "/v5/domains?teamId=team_b")).toEqual({ status: 403, json: { error: { code: "forbidden", message: "Not authorized" } } });
    expect((await call("GET", "/v5/domains/team.example/records")).status).toBe(404);
    expect((await call("GET", "/v5/domains/team.example/records?teamId=team_a")).status).toBe(200);
    expect((await call("GET", "/v5/domains?teamId=team_a")).json.domains.map((d: { name: string }) => d.name)).toEqual(["team.example"]);
  });

  it.each([
    { name: "an unknown field", body: { type: "A", name: "x", value: "192.0.2.1", proxied: true } },
    { name: "a TTL below 60", body: { type: "A", name: "x", value: "192.0.2.1", ttl: 30 } },
    { name: "an A record holding an IPv6 address", body: { type: "A", name: "x", value: "2001:db8::1" } },
  ])("refuses a create with $name (400)", async ({ body }) => {
    expect((await call("POST", "/v2/domains/example.com/records", body)).status).toBe(400);
  });

  it("creates with { uid }, pages newest first by until, updates by PATCH /v1, deletes by /v2", async () => {
    const created = await call("POST", "/v2/domains/example.com/records", { type: "A", name: "www", value: "192.0.2.10", comment: "ddnsd" });
    expect({ status: created.status, keys: Object.keys(created.json) }).toEqual({ status: 200, keys: ["uid", "updated"] });
    fake.edit("www2.example.com", "A", ["192.0.2.1", "192.0.2.2"]);
    const first = await call("GET", "/v5/domains/example.com/records?limit=100");
    expect(first.json.records).toHaveLength(2);
    expect(first.json.pagination.next).toEqual(expect.any(Number));
    const second = await call("GET", `/v5/domains/example.com/records?limit=100&until=${first.json.pagination.next}`);
    expect(second.json).toMatchObject({ records: [{ name: "www", value: "192.0.2.10", ttl: 60, comment: "ddnsd" }], pagination: { next: null } });
    expect((await call("PATCH", `/v1/domains/records/${created.json.uid}`, { value: "192.0.2.11" })).json).toMatchObject({ value: "192.0.2.11", recordType: "A" });
    expect((await call("PUT", `/v1/domains/records/${created.json.uid}`, { value: "192.0.2.12" })).status).toBe(405);
    expect(await call("DELETE", `/v2/domains/example.com/records/${created.json.uid}`)).toEqual({ status: 200, json: {} });
    expect((await call("DELETE", `/v2/domains/example.com/records/${created.json.uid}`)).status).toBe(404);
  });
});
