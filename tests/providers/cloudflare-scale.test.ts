import { afterEach, describe, expect, it } from "bun:test";
import { startFakeCloudflare, type FakeCloudflare } from "../fakes/cloudflare/fake-cloudflare.ts";
import { A, harness, TOKEN } from "../fakes/cloudflare/provider-harness.ts";

let cf: FakeCloudflare | undefined;
afterEach(async () => {
  await cf?.stop();
  cf = undefined;
});

async function fake(extra: Partial<Parameters<typeof startFakeCloudflare>[0]> = {}) {
  cf = await startFakeCloudflare({ token: TOKEN, zones: ["example.com"], ...extra });
  return cf;
}

const calls = (f: FakeCloudflare) => f.requests().map((r) => `${r.method} ${r.path.replace(/[0-9a-f]{32}/g, "ID")}`);
const names = (n: number, prefix = "r") => Array.from({ length: n }, (_, i) => `${prefix}${i}.example.com`);

describe("cloudflare provider at scale: cached ids", () => {
  it("an address change for a known record costs one PATCH and no read", async () => {
    const f = await fake();
    const h = harness({ url: f.url });
    await h.setOne(A("www.example.com", "203.0.113.1"));
    f.clearRequests();
    const r = await h.setOne(A("www.example.com", "203.0.113.2"));
    expect(r).toMatchObject({ ok: true, outcome: "updated", previous: ["203.0.113.1"] });
    expect(calls(f)).toEqual(["PATCH /zones/ID/dns_records/ID"]);
    expect(f.contents("www.example.com", "A")).toEqual(["203.0.113.2"]);
  });

  it("a cached record said to be right is verified with a read (so a hand edit gets repaired)", async () => {
    const f = await fake();
    const h = harness({ url: f.url });
    await h.setOne(A("www.example.com", "203.0.113.1"));
    f.records({ name: "www.example.com" })[0]!.content = "192.0.2.99"; // edited by hand
    f.clearRequests();
    const r = await h.setOne(A("www.example.com", "203.0.113.1"));
    expect(r).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.99"] });
    expect(calls(f)).toEqual(["GET /zones/ID/dns_records", "PATCH /zones/ID/dns_records/ID"]);
  });

  it("a stale cached id (record deleted by hand) is dropped, read again once, and the record recreated", async () => {
    const f = await fake();
    const h = harness({ url: f.url });
    await h.setOne(A("www.example.com", "203.0.113.1"));
    f.remove(f.records({ name: "www.example.com" })[0]!.id);
    f.clearRequests();
    const r = await h.setOne(A("www.example.com", "203.0.113.2"));
    expect(r).toMatchObject({ ok: true, outcome: "created", previous: [] });
    expect(calls(f)).toEqual(["PATCH /zones/ID/dns_records/ID", "GET /zones/ID/dns_records", "POST /zones/ID/dns_records"]);
    expect(f.contents("www.example.com", "A")).toEqual(["203.0.113.2"]);
  });

  it("a stale id inside a batch: the batch fails whole, its records are retried one by one", async () => {
    const f = await fake();
    const h = harness({ url: f.url });
    await h.set([A("a.example.com", "203.0.113.1"), A("b.example.com", "203.0.113.1")]);
    f.remove(f.records({ name: "a.example.com" })[0]!.id); // deleted by hand: the cached id is stale
    f.clearRequests();
    const results = await h.set([A("a.example.com", "203.0.113.2"), A("b.example.com", "203.0.113.2")]);
    expect(results.map((r) => (r.ok ? r.outcome : r.message))).toEqual(["created", "updated"]);
    // After the failed batch the two records go one by one, concurrently: b one PATCH; a a PATCH (404), a read, a POST.
    expect(calls(f)[0]).toBe("POST /zones/ID/dns_records/batch");
    expect(calls(f).slice(1).sort()).toEqual([
      "GET /zones/ID/dns_records",
      "PATCH /zones/ID/dns_records/ID",
      "PATCH /zones/ID/dns_records/ID",
      "POST /zones/ID/dns_records",
    ]);
    expect(f.contents("a.example.com", "A")).toEqual(["203.0.113.2"]);
    expect(f.contents("b.example.com", "A")).toEqual(["203.0.113.2"]);
  });
});

describe("cloudflare provider: a zone deleted and added again (its id went stale)", () => {
  const byZone = (f: FakeCloudflare, oldId: string, newId: string) =>
    f.requests().map((r) => `${r.method} ${r.path.replace(oldId, "OLD").replace(newId, "NEW").replace(/[0-9a-f]{32}/g, "ID")}${r.query.name ? `?name=${r.query.name}` : ""}`);

  it("a known record: the PATCH fails with 7003, the zone is looked up again and the record created in it", async () => {
    const f = await fake();
    const h = harness({ url: f.url });
    await h.setOne(A("www.example.com", "203.0.113.1"));
    const oldId = f.zoneId("example.com");
    const newId = f.readdZone("example.com");
    f.clearRequests();
    const r = await h.setOne(A("www.example.com", "203.0.113.2"));
    expect(r).toEqual({ ok: true, request: A("www.example.com", "203.0.113.2"), outcome: "created", previous: [] });
    expect(byZone(f, oldId, newId)).toEqual([
      "PATCH /zones/OLD/dns_records/ID",
      "GET /zones?name=example.com",
      "GET /zones/NEW/dns_records",
      "POST /zones/NEW/dns_records",
    ]);
    expect(f.records({ name: "www.example.com" }).map((x) => [x.zone_id, x.content])).toEqual([[newId, "203.0.113.2"]]);
    f.clearRequests();
    expect(await h.setOne(A("www.example.com", "203.0.113.3"))).toMatchObject({ ok: true, outcome: "updated" });
    expect(byZone(f, oldId, newId)).toEqual(["PATCH /zones/NEW/dns_records/ID"]);
  });

  it("many names: the zone-wide listing fails with 7003; the zones are listed again, then one listing and one batch in the new zone", async () => {
    const f = await fake();
    const h = harness({ url: f.url });
    const wanted = names(10).map((n) => A(n, "203.0.113.5"));
    expect((await h.set(wanted)).every((r) => r.ok && r.outcome === "created")).toBe(true);
    const oldId = f.zoneId("example.com");
    const newId = f.readdZone("example.com");
    f.clearRequests();
    const results = await h.set(wanted);
    expect(results.map((r) => r.ok && r.outcome)).toEqual(wanted.map(() => "created"));
    expect(f.records().every((x) => x.zone_id === newId)).toBe(true);
    expect(f.records().length).toBe(10);
    expect(byZone(f, oldId, newId)).toEqual(["GET /zones/OLD/dns_records", "GET /zones", "GET /zones/NEW/dns_records", "POST /zones/NEW/dns_records/batch"]);
  });
});

describe("cloudflare provider at scale: bulk reads for many names", () => {
  it("lists the token's zones once instead of walking each of many names", async () => {
    const f = await fake({ zones: ["example.com", "sub.example.com", "example.org"] });
    const wanted = [...names(8), "a.sub.example.com", "b.sub.example.com", "www.example.org"];
    const results = await harness({ url: f.url }).set(wanted.map((n) => A(n, "203.0.113.5")));
    expect(results.every((r) => r.ok && r.outcome === "created")).toBe(true);
    expect(f.requests().filter((r) => r.path === "/zones").map((r) => r.query)).toEqual([{ per_page: "50", page: "1" }]);
    expect(f.records({ name: "a.sub.example.com" })[0]?.zone_name).toBe("sub.example.com");
    expect(f.records({ name: "r0.example.com" })[0]?.zone_name).toBe("example.com");
  });

  it("says 'no zone' for a name outside every listed zone without asking per suffix", async () => {
    const f = await fake();
    const results = await harness({ url: f.url }).set([...names(10), "www.example.net"].map((n) => A(n, "203.0.113.5")));
    expect(results.at(-1)).toMatchObject({ ok: false, kind: "config", message: 'no Cloudflare zone holds "www.example.net" (tried "www.example.net", "example.net"); add the domain to this Cloudflare account, or give the API token the "Zone:Read" permission for it' });
    expect(f.requests().filter((r) => r.path === "/zones").length).toBe(1);
  });

  it("walks the suffixes after all when the zone list is too long to read", async () => {
    const f = await fake({ zones: ["example.com", ...Array.from({ length: 500 }, (_, i) => `z${i}.test`)] });
    const results = await harness({ url: f.url }).set(names(10).map((n) => A(n, "203.0.113.5")));
    expect(results.every((r) => r.ok)).toBe(true);
    const lookups = f.requests().filter((r) => r.path === "/zones");
    expect(lookups.filter((r) => r.query.page !== undefined).length).toBe(10);
    expect(lookups.filter((r) => r.query.name !== undefined).length).toBe(11); // ten names, then example.com once
  });

  it("reads many records of one type with one zone-wide listing", async () => {
    const f = await fake();
    for (const n of names(12)) f.seed({ name: n, type: "A", content: "203.0.113.5" });
    f.seed({ name: "other.example.com", type: "A", content: "192.0.2.1" });
    const h = harness({ url: f.url });
    const results = await h.set(names(12).map((n) => A(n, "203.0.113.5")));
    expect(results.every((r) => r.ok && r.outcome === "unchanged")).toBe(true);
    const lists = f.requests().filter((r) => r.path.endsWith("/dns_records"));
    expect(lists.map((r) => r.query)).toEqual([{ type: "A", per_page: "1000", page: "1" }]);
    expect(f.writes()).toBe(0);
  });

  it("a failed zone-wide listing fails those reads once, without a request per name", async () => {
    const f = await fake();
    f.faults.add({ kind: "status", status: 503, method: "GET", path: "/zones/*/dns_records", errors: [{ code: 10001, message: "busy" }] });
    const results = await harness({ url: f.url }).set(names(12).map((n) => A(n, "203.0.113.5")));
    expect(results[3]).toEqual({
      ok: false,
      request: A("r3.example.com", "203.0.113.5"),
      kind: "transient",
      message: 'while reading the records, Cloudflare failed (HTTP 503, code 10001 "busy")',
    });
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(f.requests().filter((r) => r.path.endsWith("/dns_records")).length).toBe(1);
  });
});

describe("cloudflare provider at scale: batches", () => {
  it("two or more writes in one zone go out as one batch request", async () => {
    const f = await fake();
    const results = await harness({ url: f.url }).set(names(3).map((n) => A(n, "203.0.113.5")));
    expect(results.map((r) => r.ok && r.outcome)).toEqual(["created", "created", "created"]);
    const writes = f.requests().filter((r) => r.method !== "GET");
    expect(writes.map((w) => w.path.replace(/[0-9a-f]{32}/, "ID"))).toEqual(["/zones/ID/dns_records/batch"]);
    expect(writes[0]?.body).toEqual({
      posts: names(3).map((name) => ({ type: "A", name, content: "203.0.113.5", ttl: 1, proxied: false })),
    });
  });

  it("a batch carries patches with the content only", async () => {
    const f = await fake();
    const h = harness({ url: f.url });
    await h.set(names(2).map((n) => A(n, "203.0.113.5")));
    f.clearRequests();
    await h.set(names(2).map((n) => A(n, "203.0.113.6")));
    const ids = names(2).map((n) => f.records({ name: n })[0]!.id);
    expect(f.requests().map((r) => r.body)).toEqual([{ patches: ids.map((id) => ({ id, content: "203.0.113.6" })) }]);
  });

  it("is chunked at 200 operations per batch, never splitting a record", async () => {
    const f = await fake();
    const results = await harness({ url: f.url }).set(names(450).map((n) => A(n, "203.0.113.5")));
    expect(results.every((r) => r.ok && r.outcome === "created")).toBe(true);
    const batches = f.requests().filter((r) => r.path.endsWith("/batch"));
    expect(batches.map((b) => (b.body as { posts: unknown[] }).posts.length)).toEqual([200, 200, 50]);
    expect(f.records().length).toBe(450);
  });

  it("falls back to single calls when the batch endpoint is refused, and leaves it alone for a while", async () => {
    const f = await fake({ batch: false });
    const h = harness({ url: f.url });
    const first = await h.set(names(3).map((n) => A(n, "203.0.113.5")));
    expect(first.map((r) => r.ok && r.outcome)).toEqual(["created", "created", "created"]);
    expect(calls(f).filter((c) => !c.startsWith("GET"))).toEqual([
      "POST /zones/ID/dns_records/batch",
      "POST /zones/ID/dns_records",
      "POST /zones/ID/dns_records",
      "POST /zones/ID/dns_records",
    ]);
    f.clearRequests();
    await h.set(names(3).map((n) => A(n, "203.0.113.6")));
    expect(calls(f)).toEqual(["PATCH /zones/ID/dns_records/ID", "PATCH /zones/ID/dns_records/ID", "PATCH /zones/ID/dns_records/ID"]);
    expect(names(3).flatMap((n) => f.contents(n, "A"))).toEqual(["203.0.113.6", "203.0.113.6", "203.0.113.6"]);
  });

  it("a batch rejected for one bad record still writes the others", async () => {
    const f = await fake();
    const results = await harness({ url: f.url }).set([A("a.example.com", "203.0.113.1"), A("b.example.com", "not-an-address"), A("c.example.com", "203.0.113.3")]);
    expect(results.map((r) => (r.ok ? r.outcome : r.kind))).toEqual(["created", "config", "created"]);
    expect(calls(f).filter((c) => !c.startsWith("GET"))).toEqual([
      "POST /zones/ID/dns_records/batch",
      "POST /zones/ID/dns_records",
      "POST /zones/ID/dns_records",
      "POST /zones/ID/dns_records",
    ]);
  });

  it("a lost batch answer leaves every record of the batch unconfirmed", async () => {
    const f = await fake();
    f.faults.add({ kind: "reset", path: "/zones/*/dns_records/batch", afterApply: true });
    const results = await harness({ url: f.url }).set(names(2).map((n) => A(n, "203.0.113.5")));
    expect(results.map((r) => !r.ok && r.unconfirmed)).toEqual([true, true]);
    expect(results[0]).toMatchObject({
      kind: "transient",
      message: "while creating the record, the connection to Cloudflare failed (connection reset); the record is read back before it is written again",
    });
  });
});

describe("cloudflare provider at scale: concurrency and rate limits", () => {
  it("handles zones concurrently, at most four at a time", async () => {
    const zones = Array.from({ length: 8 }, (_, i) => `zone${i}.test`);
    const f = await fake({ zones });
    f.faults.add({ kind: "hang", path: "/zones", delayMs: 40, probability: 1 });
    const results = await harness({ url: f.url }).set(zones.map((z) => A(z, "203.0.113.5")));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(f.maxInFlight()).toBe(4);
  });

  it("stops sending once its own budget is spent and says when to come back (retryAfterMs, which the engine states)", async () => {
    const f = await fake();
    f.seed({ name: "www.example.com", type: "A", content: "203.0.113.1" });
    const h = harness({ url: f.url, tuning: { rateLimit: { limit: 3, windowMs: 60_000 }, maxQueueWaitMs: 0 } });
    // Three requests: two zone lookups (www.example.com, example.com) and one list.
    expect(await h.setOne(A("www.example.com", "203.0.113.1"))).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(f.requests().length).toBe(3);
    const r = await h.setOne(A("www.example.com", "203.0.113.1"));
    expect(f.requests().length).toBe(3);
    expect(r).toMatchObject({ ok: false, kind: "rate-limited" });
    if (!r.ok) {
      expect(r.retryAfterMs).toBeGreaterThan(55_000);
      expect(r.message).toBe("while reading the records, ddnsd held the request back to stay within Cloudflare's rate limit");
    }
  });

  it("honours Retry-After: after a 429, nothing is sent until it has passed", async () => {
    const f = await fake({ rateLimit: { limit: 2, windowSeconds: 120 } });
    const h = harness({ url: f.url });
    const first = await h.setOne(A("www.example.com", "203.0.113.1"));
    expect(first).toMatchObject({ ok: false, kind: "rate-limited" });
    const sent = f.requests().length;
    const second = await h.setOne(A("www.example.com", "203.0.113.1"));
    expect(f.requests().length).toBe(sent);
    expect(second).toMatchObject({ ok: false, kind: "rate-limited" });
    if (!second.ok) expect(second.retryAfterMs).toBeGreaterThan(100_000);
  });

  it("waits out a short pause announced by the Ratelimit header instead of failing", async () => {
    const f = await fake({ rateLimit: { limit: 3, windowSeconds: 1 } });
    const h = harness({ url: f.url, tuning: { maxQueueWaitMs: 3_000 } });
    const started = Date.now();
    const r = await h.setOne(A("www.example.com", "203.0.113.1"));
    expect(r).toMatchObject({ ok: true, outcome: "created" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(f.requests().every((q) => q.status !== 429)).toBe(true);
  });
});
