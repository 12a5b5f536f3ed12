import { afterEach, describe, expect, it } from "bun:test";
import { startFakeCloudflare, type FakeCloudflare, type FakeCloudflareOptions } from "./fake-cloudflare.ts";
import { FAKE_UNDOCUMENTED } from "./fake-errors.ts";
import { FAKE_TOKEN, rawApi as api, recordsPath as records, type RawCall } from "./raw-api.ts";

let cf: FakeCloudflare | undefined;
afterEach(async () => {
  await cf?.stop();
  cf = undefined;
});

async function fake(extra: Partial<FakeCloudflareOptions> = {}) {
  cf = await startFakeCloudflare({ token: FAKE_TOKEN, zones: ["example.com"], ...extra });
  return cf;
}

const a = (content: string, more: object = {}) => ({ type: "A", name: "www.example.com", content, ttl: 1, proxied: false, ...more });

describe("fake Cloudflare: record bodies are validated", () => {
  it.each<{ name: string; call: RawCall; status: number; codes: number[] }>([
    { name: "a body that is not JSON", call: { raw: "{oops", headers: { "Content-Type": "application/json" } }, status: 400, codes: [9207] },
    { name: "a JSON body sent as text/plain", call: { raw: JSON.stringify(a("192.0.2.1")), headers: { "Content-Type": "text/plain" } }, status: 400, codes: [6003, 6105] },
    { name: "an unknown field", call: { body: a("192.0.2.1", { colour: "red" }) }, status: 400, codes: [9207] },
    { name: "no content", call: { body: { type: "A", name: "www.example.com" } }, status: 400, codes: [1004, FAKE_UNDOCUMENTED] },
    { name: "an IPv6 address in an A record", call: { body: a("2001:db8::1") }, status: 400, codes: [9005] },
    { name: "a short IPv4 form in an A record", call: { body: a("192.0.2") }, status: 400, codes: [9005] },
    { name: "spaces around the address", call: { body: a(" 192.0.2.1") }, status: 400, codes: [9005] },
    { name: "an IPv4 address in an AAAA record", call: { body: { ...a("192.0.2.1"), type: "AAAA" } }, status: 400, codes: [9006] },
    { name: "a TTL below 60", call: { body: a("192.0.2.1", { ttl: 30 }) }, status: 400, codes: [9021] },
    { name: "a TTL above 86400", call: { body: a("192.0.2.1", { ttl: 86401 }) }, status: 400, codes: [9021] },
    { name: "proxied as a string", call: { body: a("192.0.2.1", { proxied: "yes" }) }, status: 400, codes: [1004, FAKE_UNDOCUMENTED] },
    { name: "a proxied TXT record", call: { body: { type: "TXT", name: "t.example.com", content: "hello", proxied: true } }, status: 400, codes: [1004, FAKE_UNDOCUMENTED] },
    { name: "a valid A record", call: { body: a("192.0.2.1", { ttl: 300, comment: "c", tags: ["x:y"] }) }, status: 200, codes: [] },
  ])("POST with $name", async ({ call, status, codes }) => {
    const f = await fake();
    const r = await api(f, "POST", records(f), call);
    expect({ status: r.status, codes: r.codes }).toEqual({ status, codes });
    expect(f.records().length).toBe(status === 200 ? 1 : 0);
  });

  it.each<{ name: string; existing: { type: string; content: string }; body: object; codes: number[] }>([
    { name: "an identical record", existing: { type: "A", content: "192.0.2.1" }, body: a("192.0.2.1"), codes: [81058] },
    { name: "an A record where a CNAME is", existing: { type: "CNAME", content: "other.example.net" }, body: a("192.0.2.1"), codes: [81054] },
    { name: "a CNAME where an A record is", existing: { type: "A", content: "192.0.2.1" }, body: { type: "CNAME", name: "www.example.com", content: "x.example.net" }, codes: [81053] },
    { name: "a second A record with another address (allowed)", existing: { type: "A", content: "192.0.2.1" }, body: a("192.0.2.2"), codes: [] },
  ])("refuses conflicting records: $name", async ({ existing, body, codes }) => {
    const f = await fake();
    f.seed({ name: "www.example.com", ...existing });
    const r = await api(f, "POST", records(f), { body });
    expect(r.codes).toEqual(codes);
  });

  it("qualifies relative names and '@' like Cloudflare", async () => {
    const f = await fake();
    await api(f, "POST", records(f), { body: { type: "A", name: "www", content: "192.0.2.1" } });
    await api(f, "POST", records(f), { body: { type: "A", name: "@", content: "192.0.2.2" } });
    expect(f.records().map((r) => r.name)).toEqual(["www.example.com", "example.com"]);
  });
});

describe("fake Cloudflare: single record operations", () => {
  it("PATCH changes only what it names", async () => {
    const f = await fake();
    const rec = f.seed({ name: "www.example.com", type: "A", content: "192.0.2.1", ttl: 300, comment: "keep", tags: ["a:b"] });
    const r = await api(f, "PATCH", `${records(f)}/${rec.id}`, { body: { content: "203.0.113.1" } });
    expect(r.status).toBe(200);
    expect(f.records()[0]).toMatchObject({ id: rec.id, content: "203.0.113.1", ttl: 300, proxied: false, comment: "keep", tags: ["a:b"] });
  });

  it.each<{ name: string; method: string; body: object | undefined; status: number; codes: number[] }>([
    { name: "PATCH of an unknown record", method: "PATCH", body: { content: "192.0.2.9" }, status: 404, codes: [81044] },
    { name: "DELETE of an unknown record", method: "DELETE", body: undefined, status: 404, codes: [81044] },
    { name: "PUT without all fields", method: "PUT", body: { content: "192.0.2.9" }, status: 400, codes: [1004, FAKE_UNDOCUMENTED] },
  ])("$name", async ({ method, body, status, codes }) => {
    const f = await fake();
    const rec = f.seed({ name: "www.example.com", type: "A", content: "192.0.2.1" });
    const id = method === "PUT" ? rec.id : "f".repeat(32);
    const r = await api(f, method, `${records(f)}/${id}`, { body });
    expect({ status: r.status, codes: r.codes }).toEqual({ status, codes });
  });

  it("DELETE answers the id and removes the record", async () => {
    const f = await fake();
    const rec = f.seed({ name: "www.example.com", type: "A", content: "192.0.2.1" });
    const r = await api(f, "DELETE", `${records(f)}/${rec.id}`);
    expect(r.json.result).toEqual({ id: rec.id });
    expect(f.records()).toEqual([]);
  });
});

describe("fake Cloudflare: batch", () => {
  it("runs deletes before posts: a record can be deleted and created again in one batch", async () => {
    const f = await fake();
    const rec = f.seed({ name: "www.example.com", type: "A", content: "192.0.2.1" });
    const r = await api(f, "POST", `${records(f)}/batch`, { body: { posts: [a("192.0.2.1")], deletes: [{ id: rec.id }] } });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json.result)).toEqual(["deletes", "patches", "puts", "posts"]);
    expect(f.records().map((x) => x.content)).toEqual(["192.0.2.1"]);
    expect(f.records()[0]?.id).not.toBe(rec.id);
  });

  it("runs patches before posts: an address can move from one record to a new one", async () => {
    const f = await fake();
    const rec = f.seed({ name: "www.example.com", type: "A", content: "192.0.2.1" });
    const r = await api(f, "POST", `${records(f)}/batch`, { body: { posts: [a("192.0.2.1")], patches: [{ id: rec.id, content: "192.0.2.2" }] } });
    expect(r.status).toBe(200);
    expect(f.records().map((x) => x.content)).toEqual(["192.0.2.2", "192.0.2.1"]);
  });

  it("is one transaction: a failing operation undoes the ones before it", async () => {
    const f = await fake();
    const rec = f.seed({ name: "www.example.com", type: "A", content: "192.0.2.1" });
    const r = await api(f, "POST", `${records(f)}/batch`, {
      body: { deletes: [{ id: rec.id }], posts: [{ ...a("192.0.2.5"), name: "ok.example.com" }, a("not-an-address")] },
    });
    expect({ status: r.status, codes: r.codes }).toEqual({ status: 400, codes: [9005] });
    expect(f.records().map((x) => x.id)).toEqual([rec.id]);
  });

  it.each([
    { name: "at the limit", count: 3, status: 200 },
    { name: "above the limit", count: 4, status: 400 },
  ])("limits the number of operations: $name", async ({ count, status }) => {
    const f = await fake({ batchLimit: 3 });
    const posts = Array.from({ length: count }, (_, i) => ({ ...a(`192.0.2.${i + 1}`) }));
    const r = await api(f, "POST", `${records(f)}/batch`, { body: { posts } });
    expect(r.status).toBe(status);
    expect(f.records().length).toBe(status === 200 ? count : 0);
  });

  it.each<{ name: string; body: object; codes: number[] }>([
    { name: "an unknown key", body: { creates: [] }, codes: [9207] },
    { name: "a delete without id", body: { deletes: [{}] }, codes: [9207] },
    { name: "no operation at all", body: {}, codes: [9207] },
  ])("refuses a malformed batch: $name", async ({ body, codes }) => {
    const f = await fake();
    expect((await api(f, "POST", `${records(f)}/batch`, { body })).codes).toEqual(codes);
  });

  it("does not exist when started with batch: false (an API without it)", async () => {
    const f = await fake({ batch: false });
    const r = await api(f, "POST", `${records(f)}/batch`, { body: { posts: [a("192.0.2.1")] } });
    expect({ status: r.status, codes: r.codes }).toEqual({ status: 400, codes: [7003, 7000] });
  });
});
