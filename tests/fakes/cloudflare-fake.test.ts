import { afterEach, describe, expect, it } from "bun:test";
import { startFakeCloudflare, type FakeCloudflare, type FakeCloudflareOptions } from "./cloudflare/fake-cloudflare.ts";
import { FAKE_UNDOCUMENTED } from "./cloudflare/fake-errors.ts";
import { createIpEcho, startIpEcho } from "./ip-echo.ts";
import { FAKE_TOKEN, rawApi, READ_ONLY_TOKEN, recordsPath } from "./cloudflare/raw-api.ts";

const TOKEN = FAKE_TOKEN;
const RO = READ_ONLY_TOKEN;
const api = rawApi;
const records = (f: FakeCloudflare) => recordsPath(f);

let cf: FakeCloudflare | undefined;
afterEach(async () => {
  await cf?.stop();
  cf = undefined;
});

async function fake(extra: Partial<FakeCloudflareOptions> = {}) {
  cf = await startFakeCloudflare({ token: TOKEN, zones: ["example.com", "example.org"], readOnlyTokens: [RO], ...extra });
  return cf;
}

describe("fake Cloudflare: authentication", () => {
  it.each<{ name: string; auth: string | null; headers: Record<string, string>; status: number; codes: number[] }>([
    { name: "no Authorization header", auth: null, headers: {}, status: 400, codes: [9106] },
    { name: "not a Bearer header", auth: "Basic dXNlcjpwYXNz", headers: {}, status: 400, codes: [6003, 6111] },
    { name: "a wrong token", auth: "Bearer wrong-token", headers: {}, status: 403, codes: [9109] },
    { name: "a Global API Key instead of a token", auth: null, headers: { "X-Auth-Key": "k", "X-Auth-Email": "a@b.c" }, status: 403, codes: [9109] },
    { name: "the right token", auth: `Bearer ${TOKEN}`, headers: {}, status: 200, codes: [] },
    { name: "a read-only token reading", auth: `Bearer ${RO}`, headers: {}, status: 200, codes: [] },
  ])("GET /zones with $name", async ({ auth, headers, status, codes }) => {
    const f = await fake();
    const r = await api(f, "GET", "/zones", { auth, headers });
    expect({ status: r.status, codes: r.codes, success: r.json.success }).toEqual({ status, codes, success: status === 200 });
  });

  it("a read-only token may not write (10000)", async () => {
    const f = await fake();
    const r = await api(f, "POST", records(f), { auth: `Bearer ${RO}`, body: { type: "A", name: "x.example.com", content: "192.0.2.1" } });
    expect({ status: r.status, codes: r.codes }).toEqual({ status: 403, codes: [10000] });
    expect(f.records()).toEqual([]);
  });
});

describe("fake Cloudflare: routes", () => {
  it.each<{ name: string; method: string; path: (f: FakeCloudflare) => string; status: number; codes: number[] }>([
    { name: "the zone list", method: "GET", path: () => "/zones", status: 200, codes: [] },
    { name: "ddclient's /zones/ spelling", method: "GET", path: () => "/zones/", status: 200, codes: [] },
    { name: "one zone", method: "GET", path: (f: FakeCloudflare) => `/zones/${f.zoneId("example.com")}`, status: 200, codes: [] },
    { name: "an unknown route", method: "GET", path: () => "/zone", status: 400, codes: [7003, 7000] },
    { name: "a zone name where the id belongs", method: "GET", path: () => "/zones/example.com/dns_records", status: 400, codes: [7003, 7000] },
    { name: "an unknown zone id", method: "GET", path: () => `/zones/${"a".repeat(32)}/dns_records`, status: 400, codes: [7003, 7000] },
    { name: "a method the route does not have", method: "DELETE", path: () => "/zones", status: 405, codes: [FAKE_UNDOCUMENTED] },
    { name: "PUT on the record list", method: "PUT", path: records, status: 405, codes: [FAKE_UNDOCUMENTED] },
  ])("$name", async ({ method, path, status, codes }) => {
    const f = await fake();
    const r = await api(f, method, path(f));
    expect({ status: r.status, codes: r.codes }).toEqual({ status, codes });
  });

  it("a zone deleted and added again has a new id, no records, and its old id is unknown (7003)", async () => {
    const f = await fake();
    f.seed({ name: "www.example.com", type: "A", content: "192.0.2.1" });
    const old = f.zoneId("example.com");
    const fresh = f.readdZone("example.com");
    expect(fresh).not.toBe(old);
    expect(f.zoneId("example.com")).toBe(fresh);
    expect(f.records({ name: "www.example.com" })).toEqual([]);
    const stale = await api(f, "GET", `/zones/${old}/dns_records`);
    expect({ status: stale.status, codes: stale.codes }).toEqual({ status: 400, codes: [7003, 7000] });
    const listed = await api(f, "GET", "/zones?name=example.com");
    expect(listed.json.result.map((z: { id: string }) => z.id)).toEqual([fresh]);
  });

  it("answers with the documented envelope", async () => {
    const f = await fake();
    const list = await api(f, "GET", "/zones");
    expect(Object.keys(list.json)).toEqual(["success", "errors", "messages", "result", "result_info"]);
    const failure = await api(f, "GET", "/zone");
    expect(Object.keys(failure.json)).toEqual(["success", "errors", "messages", "result"]);
    expect(failure.json).toMatchObject({ success: false, result: null, messages: [] });
  });
});

describe("fake Cloudflare: lists, filters and pagination", () => {
  it("pages through records with result_info", async () => {
    const f = await fake();
    for (let i = 1; i <= 5; i++) f.seed({ name: "www.example.com", type: "A", content: `192.0.2.${i}` });
    const r = await api(f, "GET", `${records(f)}?per_page=2&page=3`);
    expect(r.json.result.map((x: { content: string }) => x.content)).toEqual(["192.0.2.5"]);
    expect(r.json.result_info).toEqual({ page: 3, per_page: 2, count: 1, total_count: 5, total_pages: 3 });
    expect((await api(f, "GET", records(f))).json.result_info.per_page).toBe(100);
    expect((await api(f, "GET", "/zones")).json.result_info.per_page).toBe(20);
  });

  it.each([
    { name: "records per_page 0", path: (f: FakeCloudflare) => `${records(f)}?per_page=0` },
    { name: "records per_page above 5000000", path: (f: FakeCloudflare) => `${records(f)}?per_page=5000001` },
    { name: "records page 0", path: (f: FakeCloudflare) => `${records(f)}?page=0` },
    { name: "zones per_page 4 (minimum 5)", path: () => "/zones?per_page=4" },
    { name: "zones per_page 51 (maximum 50)", path: () => "/zones?per_page=51" },
  ])("refuses out-of-range paging: $name", async ({ path }) => {
    const f = await fake();
    const r = await api(f, "GET", path(f));
    expect({ status: r.status, codes: r.codes }).toEqual({ status: 400, codes: [FAKE_UNDOCUMENTED] });
  });

  it.each<{ name: string; query: string; expected: string[] }>([
    { name: "type", query: "type=AAAA", expected: ["www.example.com AAAA 2001:db8::1"] },
    { name: "name (exact)", query: "name=www.example.com", expected: ["www.example.com A 192.0.2.1", "www.example.com AAAA 2001:db8::1"] },
    { name: "name.exact and type", query: "name.exact=api.example.com&type=A", expected: ["api.example.com A 192.0.2.2"] },
    { name: "name.contains", query: "name.contains=pi.", expected: ["api.example.com A 192.0.2.2"] },
    { name: "name.endswith", query: "name.endswith=.example.com&type=A", expected: ["www.example.com A 192.0.2.1", "api.example.com A 192.0.2.2"] },
    { name: "content", query: "content=192.0.2.2", expected: ["api.example.com A 192.0.2.2"] },
    { name: "match=any", query: "content=192.0.2.2&name=www.example.com&match=any", expected: ["www.example.com A 192.0.2.1", "api.example.com A 192.0.2.2", "www.example.com AAAA 2001:db8::1"] },
  ])("filters records by $name", async ({ query, expected }) => {
    const f = await fake();
    f.seed({ name: "www.example.com", type: "A", content: "192.0.2.1" });
    f.seed({ name: "api.example.com", type: "A", content: "192.0.2.2" });
    f.seed({ name: "www.example.com", type: "AAAA", content: "2001:db8::1" });
    f.seed({ name: "www.example.org", type: "A", content: "192.0.2.3" });
    const r = await api(f, "GET", `${records(f)}?${query}`);
    expect(r.json.result.map((x: { name: string; type: string; content: string }) => `${x.name} ${x.type} ${x.content}`)).toEqual(expected);
  });

  it.each<{ name: string; query: string; expected: string[] }>([
    { name: "exact name", query: "name=example.org", expected: ["example.org"] },
    { name: "contains:", query: "name=contains:exam", expected: ["example.com", "example.org"] },
    { name: "no such zone", query: "name=www.example.com", expected: [] },
    { name: "status", query: "status=active", expected: ["example.com", "example.org"] },
  ])("filters zones by $name", async ({ query, expected }) => {
    const f = await fake();
    const r = await api(f, "GET", `/zones?${query}`);
    expect(r.json.result.map((z: { name: string }) => z.name)).toEqual(expected);
  });
});

describe("fake 'what is my IP' service", () => {
  it.each([
    { name: "bare IPv4", path: "/v4", body: "203.0.113.7\n" },
    { name: "bare IPv6", path: "/v6", body: "2001:db8::7\n" },
  ])("answers $name", async ({ path, body }) => {
    const echo = startIpEcho();
    try {
      expect(await (await fetch(`${echo.url}${path}`)).text()).toBe(body);
    } finally {
      await echo.stop();
    }
  });

  it.each([
    { name: "/cdn-cgi/trace (IPv4)", path: "/cdn-cgi/trace", ip: "ip=198.51.100.4" },
    { name: "/v4/cdn-cgi/trace", path: "/v4/cdn-cgi/trace", ip: "ip=198.51.100.4" },
    { name: "/v6/cdn-cgi/trace", path: "/v6/cdn-cgi/trace", ip: "ip=2001:db8::44" },
  ])("answers Cloudflare's trace form at $name, after PUT /_control/ip", async ({ path, ip }) => {
    const echo = startIpEcho();
    try {
      const set = await fetch(`${echo.url}/_control/ip?v4=198.51.100.4&v6=2001:db8::44`, { method: "PUT" });
      expect(await set.json()).toEqual({ v4: "198.51.100.4", v6: "2001:db8::44", hits: 0 });
      const lines = (await (await fetch(`${echo.url}${path}`)).text()).split("\n");
      expect(lines).toContain(ip);
      expect(lines).toContain("visit_scheme=http");
      expect(echo.hits()).toBe(1);
    } finally {
      await echo.stop();
    }
  });

  it("answers 503 while an address is set empty", async () => {
    const echo = startIpEcho();
    try {
      echo.set({ v4: "" });
      expect((await fetch(`${echo.url}/v4`)).status).toBe(503);
      expect((await fetch(`${echo.url}/v6`)).status).toBe(200);
    } finally {
      await echo.stop();
    }
  });

  it("shares the Cloudflare fake's port when mounted, leaving the API and its control alone", async () => {
    const echo = createIpEcho({ v4: "192.0.2.55" });
    const f = await fake({ extraHandler: (req) => echo.handle(req) });
    expect(await (await fetch(`${f.origin}/v4`)).text()).toBe("192.0.2.55\n");
    expect((await api(f, "GET", "/zones")).status).toBe(200);
    await fetch(`${f.origin}/_control/ip?v4=192.0.2.56`, { method: "PUT" });
    expect(await (await fetch(`${f.origin}/v4/cdn-cgi/trace`)).text()).toContain("ip=192.0.2.56\n");
    expect((await fetch(`${f.origin}/_control/records`)).status).toBe(200);
  });
});
