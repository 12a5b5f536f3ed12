import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { startFakeIonos, type FakeIonos } from "./ionos/fake-ionos.ts";

/** The IONOS fake is as strict as its header says: the key, zone ids, names, set replacement by PATCH. */
const KEY = "0123456789abcdef.secretsecretsecret";
let fake: FakeIonos;
let zoneId: string;
beforeAll(async () => {
  fake = await startFakeIonos({ keys: [KEY], zones: ["example.com"] });
  zoneId = ((await (await fetch(`${fake.url}/zones`, { headers: { "X-API-Key": KEY } })).json()) as Array<{ id: string }>)[0]!.id;
});
afterAll(() => fake.stop());

async function call(method: string, path: string, body?: unknown, key: string | null = KEY) {
  const headers: Record<string, string> = key === null ? {} : { "X-API-Key": key };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${fake.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as any) : undefined };
}
const rec = (more: Record<string, unknown> = {}) => ({ name: "www.example.com", type: "A", content: "192.0.2.1", ttl: 3600, prio: 0, disabled: false, ...more });

describe("the IONOS fake", () => {
  it.each([
    { name: "no key", key: null },
    { name: "a wrong key", key: "0123456789abcdef.wrong" },
  ])("refuses a PATCH with $name (401 UNAUTHORIZED)", async ({ key }) => {
    const r = await call("PATCH", `/zones/${zoneId}`, [rec()], key);
    expect(r).toEqual({ status: 401, json: [{ code: "UNAUTHORIZED", message: "The customer is not authorized to do this operation." }] });
  });

  it.each([
    { name: "a relative name", body: [rec({ name: "www" })], code: "INVALID_RECORD" },
    { name: "a trailing dot", body: [rec({ name: "www.example.com." })], code: "INVALID_RECORD" },
    { name: "an IPv6 address in an A record", body: [rec({ content: "2001:db8::1" })], code: "INVALID_RECORD" },
    { name: "an unknown field", body: [rec({ comment: "x" })], code: "INVALID_REQUEST" },
  ])("refuses a PATCH with $name (400 $code)", async ({ body, code }) => {
    const r = await call("PATCH", `/zones/${zoneId}`, body);
    expect({ status: r.status, code: r.json[0].code }).toEqual({ status: 400, code });
  });

  it("replaces the records of each name and type a PATCH names, and filters reads by name and type", async () => {
    expect((await call("PATCH", `/zones/${zoneId}`, [rec(), rec({ content: "192.0.2.2" }), rec({ name: "mail.example.com" })])).status).toBe(200);
    expect(fake.read("www.example.com", "A")).toEqual(["192.0.2.1", "192.0.2.2"]);
    expect((await call("PATCH", `/zones/${zoneId}`, [rec({ content: "192.0.2.3", ttl: 600 })])).status).toBe(200);
    expect(fake.set("www.example.com", "A")).toMatchObject({ ttl: 600, records: [{ value: "192.0.2.3" }] });
    expect(fake.read("mail.example.com", "A")).toEqual(["192.0.2.1"]);
    const r = await call("GET", `/zones/${zoneId}?recordName=www.example.com&recordType=A`);
    expect(r.json.records.map((x: { name: string; content: string }) => [x.name, x.content])).toEqual([["www.example.com", "192.0.2.3"]]);
    expect((await call("GET", "/zones/nope")).json).toEqual([{ code: "ZONE_NOT_FOUND", message: "Zone not found." }]);
    expect((await call("GET", `/zones/${zoneId}?name=x`)).status).toBe(400);
  });
});
