import { afterEach, describe, expect, it } from "bun:test";
import { startFakeCloudflare, type FakeCloudflare } from "../fakes/cloudflare/fake-cloudflare.ts";
import { A, AAAA, harness, TOKEN } from "../fakes/cloudflare/provider-harness.ts";

let cf: FakeCloudflare | undefined;
afterEach(async () => {
  await cf?.stop();
  cf = undefined;
});

async function fake(zones = ["example.com"], extra: Partial<Parameters<typeof startFakeCloudflare>[0]> = {}) {
  cf = await startFakeCloudflare({ token: TOKEN, zones, ...extra });
  return cf;
}

const zoneLookups = (f: FakeCloudflare) => f.requests().filter((r) => r.path === "/zones").map((r) => r.query.name);
const calls = (f: FakeCloudflare) => f.requests().map((r) => `${r.method} ${r.path.replace(/[0-9a-f]{32}/g, "ID")}`);

describe("cloudflare provider: finding the zone", () => {
  it.each<{ name: string; zones: string[]; record: string; lookups: string[]; zone: string }>([
    { name: "a record at the zone apex", zones: ["example.com"], record: "example.com", lookups: ["example.com"], zone: "example.com" },
    { name: "a deep name walks its suffixes longest first", zones: ["example.com"], record: "a.b.example.com", lookups: ["a.b.example.com", "b.example.com", "example.com"], zone: "example.com" },
    { name: "a wildcard starts after the star", zones: ["example.com"], record: "*.a.example.com", lookups: ["a.example.com", "example.com"], zone: "example.com" },
    { name: "the longest zone wins over its parent", zones: ["example.com", "sub.example.com"], record: "www.sub.example.com", lookups: ["www.sub.example.com", "sub.example.com"], zone: "sub.example.com" },
  ])("$name", async ({ zones, record, lookups, zone }) => {
    const f = await fake(zones);
    const r = await harness({ url: f.url }).setOne(A(record, "203.0.113.1"));
    expect(r).toMatchObject({ ok: true, outcome: "created" });
    expect(zoneLookups(f)).toEqual(lookups);
    expect(f.records({ name: record })[0]?.zone_name).toBe(zone);
  });

  it("caches zone ids: a known record needs no zone lookup, a new name only its own", async () => {
    const f = await fake();
    const h = harness({ url: f.url });
    await h.setOne(A("www.example.com", "203.0.113.1"));
    f.clearRequests();
    await h.setOne(A("www.example.com", "203.0.113.2"));
    expect(zoneLookups(f)).toEqual([]);
    await h.setOne(A("api.example.com", "203.0.113.2"));
    expect(zoneLookups(f)).toEqual(["api.example.com"]);
  });

  it("reports a name no zone holds as a configuration failure, naming every suffix tried", async () => {
    const f = await fake(["example.com"]);
    const r = await harness({ url: f.url }).setOne(A("www.example.org", "203.0.113.1"));
    expect(r).toEqual({
      ok: false,
      request: A("www.example.org", "203.0.113.1"),
      kind: "config",
      message:
        'no Cloudflare zone holds "www.example.org" (tried "www.example.org", "example.org"); add the domain to this Cloudflare account, or give the API token the "Zone:Read" permission for it',
    });
  });
});

describe("cloudflare provider: reading and writing records", () => {
  it("follows result_info pagination across pages", async () => {
    const f = await fake();
    for (const content of ["192.0.2.1", "192.0.2.2", "192.0.2.3", "203.0.113.9", "192.0.2.5"]) f.seed({ name: "www.example.com", type: "A", content });
    const r = await harness({ url: f.url, tuning: { perPage: 2 } }).setOne(A("www.example.com", "203.0.113.9"));
    const pages = f.requests().filter((q) => q.path.endsWith("/dns_records")).map((q) => q.query.page);
    expect(pages).toEqual(["1", "2", "3"]);
    expect(r).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1", "192.0.2.2", "192.0.2.3", "203.0.113.9", "192.0.2.5"] });
    expect(f.contents("www.example.com", "A")).toEqual(["203.0.113.9"]);
  });

  it("lists by exact name and type", async () => {
    const f = await fake();
    await harness({ url: f.url }).setOne(AAAA("www.example.com", "2001:db8::1"));
    const list = f.requests().find((q) => q.path.endsWith("/dns_records") && q.method === "GET");
    expect(list?.query).toEqual({ type: "AAAA", "name.exact": "www.example.com", per_page: "100", page: "1" });
  });

  it("PATCHes only the content, leaving ttl, proxied, comment and tags as the operator set them", async () => {
    const f = await fake();
    f.seed({ name: "www.example.com", type: "A", content: "192.0.2.1", ttl: 300, proxied: false, comment: "hand-made", tags: ["team:web"] });
    const r = await harness({ url: f.url }).setOne({ ...A("www.example.com", "203.0.113.7"), ttl: 60, proxied: true });
    expect(r).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1"] });
    const patch = f.requests().find((q) => q.method === "PATCH");
    expect(patch?.body).toEqual({ content: "203.0.113.7" });
    expect(f.records({ name: "www.example.com" })[0]).toMatchObject({ content: "203.0.113.7", ttl: 300, proxied: false, comment: "hand-made", tags: ["team:web"] });
  });

  it.each<{ name: string; ttl: "auto" | number; proxied: boolean; body: { ttl: number; proxied: boolean } }>([
    { name: "ttl auto becomes 1 (automatic)", ttl: "auto", proxied: false, body: { ttl: 1, proxied: false } },
    { name: "a ttl in seconds is sent as is", ttl: 300, proxied: false, body: { ttl: 300, proxied: false } },
    { name: "proxied records are created proxied", ttl: "auto", proxied: true, body: { ttl: 1, proxied: true } },
  ])("creates a missing record: $name", async ({ ttl, proxied, body }) => {
    const f = await fake();
    const request = { ...A("new.example.com", "203.0.113.3"), ttl, proxied };
    const r = await harness({ url: f.url }).setOne(request);
    expect(r).toEqual({ ok: true, request, outcome: "created", previous: [] });
    const post = f.requests().find((q) => q.method === "POST");
    expect(post?.body).toEqual({ type: "A", name: "new.example.com", content: "203.0.113.3", ...body });
    expect(f.records({ name: "new.example.com" })[0]).toMatchObject(body);
  });

  it.each<{ name: string; held: string[]; body: object; stored: object }>([
    { name: "a create carries it", held: [], body: { type: "A", name: "www.example.com", content: "203.0.113.7", ttl: 1, proxied: false, comment: "ddnsd: home router" }, stored: { comment: "ddnsd: home router" } },
    { name: "a PATCH carries it with the content", held: ["192.0.2.1"], body: { content: "203.0.113.7", comment: "ddnsd: home router" }, stored: { comment: "ddnsd: home router", ttl: 300 } },
  ])("writes the request's comment: $name", async ({ held, body, stored }) => {
    const f = await fake();
    for (const content of held) f.seed({ name: "www.example.com", type: "A", content, ttl: 300, comment: "hand-made" });
    const r = await harness({ url: f.url }).setOne({ ...A("www.example.com", "203.0.113.7"), comment: "ddnsd: home router" });
    expect(r).toMatchObject({ ok: true, outcome: held.length ? "updated" : "created" });
    expect(f.requests().filter((q) => q.method !== "GET").map((q) => q.body)).toEqual([body]);
    expect(f.records({ name: "www.example.com" })[0]).toMatchObject({ content: "203.0.113.7", ...stored });
  });

  it("a batch carries each request's TTL, proxy flag and comment in its posts, and the comment in its patches", async () => {
    const f = await fake();
    f.seed({ name: "old.example.com", type: "A", content: "192.0.2.1", ttl: 300, proxied: true });
    const requests = [
      { ...A("old.example.com", "203.0.113.7"), ttl: 120, proxied: false, comment: "ddnsd" },
      { ...A("new.example.com", "203.0.113.7"), ttl: 120, proxied: true, comment: "ddnsd" },
      { ...A("auto.example.com", "203.0.113.7"), ttl: "auto" as const },
    ];
    const results = await harness({ url: f.url }).set(requests);
    expect(results.map((r) => r.ok && r.outcome)).toEqual(["updated", "created", "created"]);
    const batch = f.requests().find((q) => q.path.endsWith("/batch"));
    expect(batch?.body).toEqual({
      patches: [{ id: f.records({ name: "old.example.com" })[0]!.id, content: "203.0.113.7", comment: "ddnsd" }],
      posts: [
        { type: "A", name: "new.example.com", content: "203.0.113.7", ttl: 120, proxied: true, comment: "ddnsd" },
        { type: "A", name: "auto.example.com", content: "203.0.113.7", ttl: 1, proxied: false },
      ],
    });
    expect(f.records({ name: "old.example.com" })[0]).toMatchObject({ ttl: 1, proxied: true, comment: "ddnsd" });
  });

  it.each<{ name: string; batch: boolean; held: string[]; want: string; writes: string[]; outcome: string }>([
    { name: "keeps the duplicate already right and deletes the others (batch)", batch: true, held: ["192.0.2.1", "203.0.113.5", "192.0.2.2"], want: "203.0.113.5", writes: ["POST /zones/ID/dns_records/batch"], outcome: "updated" },
    { name: "patches the first and deletes the others when none is right (batch)", batch: true, held: ["192.0.2.1", "192.0.2.2"], want: "203.0.113.5", writes: ["POST /zones/ID/dns_records/batch"], outcome: "updated" },
    { name: "keeps the duplicate already right and deletes the others (single calls)", batch: false, held: ["192.0.2.1", "203.0.113.5", "192.0.2.2"], want: "203.0.113.5", writes: ["POST /zones/ID/dns_records/batch", "DELETE /zones/ID/dns_records/ID", "DELETE /zones/ID/dns_records/ID"], outcome: "updated" },
    { name: "patches the first, then deletes the others (single calls)", batch: false, held: ["192.0.2.1", "192.0.2.2"], want: "203.0.113.5", writes: ["POST /zones/ID/dns_records/batch", "PATCH /zones/ID/dns_records/ID", "DELETE /zones/ID/dns_records/ID"], outcome: "updated" },
  ])("cleans up duplicates: $name", async ({ batch, held, want, writes, outcome }) => {
    const f = await fake(["example.com"], { batch });
    const ids = held.map((content) => f.seed({ name: "www.example.com", type: "A", content }).id);
    const r = await harness({ url: f.url }).setOne(A("www.example.com", want));
    expect(r).toMatchObject({ ok: true, outcome, previous: held });
    expect(f.contents("www.example.com", "A")).toEqual([want]);
    const kept = f.records({ name: "www.example.com" })[0]?.id;
    expect(kept).toBe(held.includes(want) ? ids[held.indexOf(want)] : ids[0]);
    expect(calls(f).filter((c) => !c.startsWith("GET"))).toEqual(writes);
  });

  it("writes nothing when the record already holds the address, whatever its spelling", async () => {
    const f = await fake();
    f.seed({ name: "www.example.com", type: "AAAA", content: "2001:0db8:0:0::0001" });
    const r = await harness({ url: f.url }).setOne(AAAA("www.example.com", "2001:db8::1"));
    expect(r).toMatchObject({ ok: true, outcome: "unchanged", previous: ["2001:0db8:0:0::0001"] });
    expect(f.writes()).toBe(0);
  });

  it.each<{ name: string; held: string[]; want: string; outcome: "planned" | "unchanged"; previous: string[] }>([
    { name: "a change is planned, not written", held: ["192.0.2.1"], want: "203.0.113.1", outcome: "planned", previous: ["192.0.2.1"] },
    { name: "a missing record is planned, not created", held: [], want: "203.0.113.1", outcome: "planned", previous: [] },
    { name: "duplicates are planned away, not deleted", held: ["203.0.113.1", "192.0.2.1"], want: "203.0.113.1", outcome: "planned", previous: ["203.0.113.1", "192.0.2.1"] },
    { name: "a record already right stays unchanged", held: ["203.0.113.1"], want: "203.0.113.1", outcome: "unchanged", previous: ["203.0.113.1"] },
  ])("dry run reads but never writes: $name", async ({ held, want, outcome, previous }) => {
    const f = await fake();
    for (const content of held) f.seed({ name: "www.example.com", type: "A", content });
    const h = harness({ url: f.url });
    const r = await h.setOne(A("www.example.com", want), { dryRun: true });
    expect(r).toEqual({ ok: true, request: A("www.example.com", want), outcome, previous });
    expect(f.writes()).toBe(0);
    expect(f.contents("www.example.com", "A")).toEqual(held);
  });

  it("dry run reads what Cloudflare holds instead of trusting a cached id", async () => {
    const f = await fake();
    const h = harness({ url: f.url });
    await h.setOne(A("www.example.com", "203.0.113.1"));
    f.records({ name: "www.example.com" })[0]!.content = "203.0.113.2"; // edited by hand since
    f.clearRequests();
    const r = await h.setOne(A("www.example.com", "203.0.113.2"), { dryRun: true });
    expect(r).toMatchObject({ ok: true, outcome: "unchanged", previous: ["203.0.113.2"] });
    expect(calls(f)).toEqual(["GET /zones/ID/dns_records"]);
  });

  it("keeps A and AAAA of one name apart", async () => {
    const f = await fake();
    f.seed({ name: "www.example.com", type: "A", content: "192.0.2.1" });
    const results = await harness({ url: f.url }).set([A("www.example.com", "203.0.113.1"), AAAA("www.example.com", "2001:db8::1")]);
    expect(results.map((r) => (r.ok ? r.outcome : r.message))).toEqual(["updated", "created"]);
    expect(f.contents("www.example.com", "A")).toEqual(["203.0.113.1"]);
    expect(f.contents("www.example.com", "AAAA")).toEqual(["2001:db8::1"]);
  });
});
