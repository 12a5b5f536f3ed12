import { afterEach, describe, expect, it } from "bun:test";
import { startFakeCloudflare, type FakeCloudflare } from "../fakes/cloudflare/fake-cloudflare.ts";
import type { ResultInfoField } from "../fakes/cloudflare/fake-lists.ts";
import { A, harness, TOKEN } from "../fakes/cloudflare/provider-harness.ts";

/**
 * Listings page until a short page or `total_count`: Cloudflare's schema documents `count`, `page`, `per_page` and
 * `total_count`, not `total_pages`, so no part of `result_info` may be needed to read every page.
 */
let cf: FakeCloudflare | undefined;
afterEach(async () => {
  await cf?.stop();
  cf = undefined;
});

const names = (n: number) => Array.from({ length: n }, (_, i) => `r${i}.example.com`);
const OMISSIONS: Array<{ name: string; omit: ResultInfoField[] }> = [
  { name: "every field", omit: [] },
  { name: "no total_pages", omit: ["total_pages"] },
  { name: "no total_pages or total_count", omit: ["total_pages", "total_count"] },
  { name: "only page and count", omit: ["total_pages", "total_count", "per_page"] },
];

describe("cloudflare provider: zone listing pages", () => {
  it.each(OMISSIONS)("reads the second page of 61 zones with $name in result_info", async ({ omit }) => {
    // example.com is the 61st zone: only on page 2 of 50.
    cf = await startFakeCloudflare({ token: TOKEN, zones: [...Array.from({ length: 60 }, (_, i) => `z${i}.test`), "example.com"], omitResultInfo: omit });
    const results = await harness({ url: cf.url }).set(names(10).map((n) => A(n, "203.0.113.5")));
    expect(results.map((r) => (r.ok ? r.outcome : r.message))).toEqual(names(10).map(() => "created"));
    expect(cf.requests().filter((r) => r.path === "/zones").map((r) => r.query)).toEqual([
      { per_page: "50", page: "1" },
      { per_page: "50", page: "2" },
    ]);
  });
});

describe("cloudflare provider: record listing pages", () => {
  it.each(OMISSIONS)("finds records past the first page of a zone-wide listing with $name in result_info", async ({ omit }) => {
    cf = await startFakeCloudflare({ token: TOKEN, zones: ["example.com"], omitResultInfo: omit });
    for (const n of names(12)) cf.seed({ name: n, type: "A", content: "203.0.113.5" });
    const results = await harness({ url: cf.url, tuning: { bulkPerPage: 5 } }).set(names(12).map((n) => A(n, "203.0.113.5")));
    expect(results.map((r) => (r.ok ? r.outcome : r.message))).toEqual(names(12).map(() => "unchanged"));
    expect(cf.writes()).toBe(0);
    expect(cf.requests().filter((r) => r.path.endsWith("/dns_records")).map((r) => r.query.page)).toEqual(["1", "2", "3"]);
  });

  it("finds duplicates of one name on a later page of an exact-name listing without total_pages", async () => {
    cf = await startFakeCloudflare({ token: TOKEN, zones: ["example.com"], omitResultInfo: ["total_pages"] });
    for (const content of ["192.0.2.1", "192.0.2.2", "192.0.2.3"]) cf.seed({ name: "www.example.com", type: "A", content });
    const result = await harness({ url: cf.url, tuning: { perPage: 2 } }).setOne(A("www.example.com", "203.0.113.9"));
    expect(result).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1", "192.0.2.2", "192.0.2.3"] });
    expect(cf.contents("www.example.com", "A")).toEqual(["203.0.113.9"]);
  });

  it("reads a zone of 5000 records in pages that each fit the answer cap", async () => {
    cf = await startFakeCloudflare({ token: TOKEN, zones: ["example.com"] });
    const comment = "managed by the operations team; see the runbook for this zone before changing anything here";
    for (let i = 0; i < 5000; i++) cf.seed({ name: `host-${i}.example.com`, type: "A", content: `198.51.100.${i % 250}`, comment, tags: ["team:ops"] });
    const wanted = Array.from({ length: 12 }, (_, i) => `host-${i * 400}.example.com`);
    const results = await harness({ url: cf.url }).set(wanted.map((n, i) => A(n, `198.51.100.${(i * 400) % 250}`)));
    expect(results.every((r) => r.ok && r.outcome === "unchanged")).toBe(true);
    expect(cf.requests().filter((r) => r.path.endsWith("/dns_records")).map((r) => r.query.page)).toEqual(["1", "2", "3", "4", "5"]);
    const page = await fetch(`${cf.url}/zones/${cf.zoneId("example.com")}/dns_records?type=A&per_page=1000&page=1`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    const bytes = (await page.arrayBuffer()).byteLength;
    expect(bytes).toBeGreaterThan(300 * 1024);
    expect(bytes).toBeLessThan(1024 * 1024);
  });
});
