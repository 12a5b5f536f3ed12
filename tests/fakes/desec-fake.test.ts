import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { startFakeDesec, type FakeDesec } from "./desec/fake-desec.ts";

/** The deSEC fake is as strict as its header says: auth, token policies, trailing slashes, bulk writes. */
const TOKEN = "desec-fake-test-token-0123456789";
let fake: FakeDesec;
beforeAll(async () => {
  fake = await startFakeDesec({ tokens: { [TOKEN]: "write", "desec-reader": "read" }, zones: ["example.com", { name: "low.example", minimumTtl: 60 }, "lab.example.com"], maxPerPage: 2 });
});
afterAll(() => fake.stop());

async function call(method: string, path: string, body?: unknown, token: string | null = TOKEN) {
  const headers: Record<string, string> = token === null ? {} : { Authorization: `Token ${token}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${fake.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, headers: response.headers, json: (await response.json()) as any };
}
const put = (body: unknown, zone = "example.com", token?: string) => call("PUT", `/domains/${zone}/rrsets/`, body, token);
const www = (more: Record<string, unknown> = {}) => ({ subname: "www", type: "A", ttl: 3600, records: ["192.0.2.1"], ...more });

describe("the deSEC fake", () => {
  it.each([
    { name: "no token", token: null, status: 401, detail: "Authentication credentials were not provided." },
    { name: "a wrong token", token: "desec-wrong", status: 401, detail: "Invalid token." },
    { name: "a token without perm_write", token: "desec-reader", status: 403, detail: "Insufficient token permissions." },
  ])("refuses a write with $name as Django REST Framework does", async ({ token, status, detail }) => {
    const r = await put([www()], "example.com", token as string);
    expect({ status: r.status, json: r.json }).toEqual({ status, json: { detail } });
    expect(fake.read("www.example.com", "A")).toEqual([]);
  });

  it.each([
    { name: "a TTL below the domain's minimum", body: [www({ ttl: 60 })], errors: [{ ttl: ["Ensure this value is greater than or equal to 3600."] }] },
    { name: "a TTL above a day", body: [www({ ttl: 86_401 })], errors: [{ ttl: ["Ensure this value is less than or equal to 86400."] }] },
    { name: "an IPv6 address in an A set", body: [www({ records: ["2001:db8::1"] })], errors: [{ records: ["Record content for type A malformed: 2001:db8::1"] }] },
    { name: "'@' for the apex", body: [www({ subname: "@" })], errors: [{ subname: [expect.stringMatching(/^Subname can only use/)] }] },
    { name: "one good part and the same set twice", body: [www(), www({ subname: "ok" }), www()], errors: [{}, {}, { non_field_errors: ["Same subname and type as another RRset in this request."] }] },
  ])("refuses a bulk write with $name, all of it, with positional errors", async ({ body, errors }) => {
    const r = await put(body);
    expect({ status: r.status, json: r.json }).toEqual({ status: 400, json: errors });
    expect(fake.read("ok.example.com", "A")).toEqual([]);
  });

  it.each([
    { name: "a missing ttl", body: [{ subname: "www", type: "A", records: ["192.0.2.1"] }] },
    { name: "an unknown field", body: [www({ comment: "hi" })] },
    { name: "a lower-case type", body: [www({ type: "a" })] },
  ])("refuses a bulk write with $name (400)", async ({ body }) => {
    expect((await put(body)).status).toBe(400);
  });

  it("writes sets atomically, canonicalises IPv6, deletes a set written empty, and reads one back by subname or '@'", async () => {
    const r = await put([www(), { subname: "", type: "AAAA", ttl: 3600, records: ["2001:DB8:0::1"] }]);
    expect(r.status).toBe(200);
    expect(r.json.map((s: { name: string; records: string[] }) => [s.name, s.records])).toEqual([["www.example.com.", ["192.0.2.1"]], ["example.com.", ["2001:db8::1"]]]);
    expect((await call("GET", "/domains/example.com/rrsets/@/AAAA/")).json).toMatchObject({ subname: "", ttl: 3600, records: ["2001:db8::1"] });
    expect((await call("GET", "/domains/example.com/rrsets/www/A/")).json.records).toEqual(["192.0.2.1"]);
    expect((await put([www({ records: [] })])).json).toEqual([]);
    expect(await call("GET", "/domains/example.com/rrsets/www/A/")).toMatchObject({ status: 404, json: { detail: "Not found." } });
  });

  it("answers 404 without the trailing slash and for a domain not in the account", async () => {
    expect((await call("GET", "/domains/example.com/rrsets/www/A")).status).toBe(404);
    expect((await put([www()], "example.org")).status).toBe(404);
  });

  it("names the domain responsible for a name (owns_qname), and wants a cursor past the page size", async () => {
    expect((await call("GET", "/domains/?owns_qname=nas.lab.example.com")).json.map((d: { name: string }) => d.name)).toEqual(["lab.example.com"]);
    expect((await call("GET", "/domains/?owns_qname=home.low.example")).json).toEqual([expect.objectContaining({ name: "low.example", minimum_ttl: 60 })]);
    expect((await call("GET", "/domains/?owns_qname=example.org")).json).toEqual([]);
    expect((await call("GET", "/domains/")).status).toBe(400);
    expect((await call("GET", "/domains/?name=x")).status).toBe(400);
  });

  it("throttles with Retry-After", async () => {
    const limited = await startFakeDesec({ tokens: { [TOKEN]: "write" }, zones: ["example.com"], rateLimit: { limit: 1, windowMs: 30_000 } });
    try {
      const ask = () => fetch(`${limited.url}/domains/?owns_qname=example.com`, { headers: { Authorization: `Token ${TOKEN}` } });
      expect((await ask()).status).toBe(200);
      const refused = await ask();
      expect({ status: refused.status, body: await refused.json() }).toEqual({ status: 429, body: { detail: "Request was throttled. Expected available in 60 seconds." } });
      expect(Number(refused.headers.get("retry-after"))).toBeWithin(25, 31);
    } finally {
      await limited.stop();
    }
  });
});
