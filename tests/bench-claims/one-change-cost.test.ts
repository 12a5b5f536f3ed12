import { afterEach, describe, expect, it } from "bun:test";
import { startFakeCloudflare, type FakeCloudflare } from "../fakes/cloudflare/fake-cloudflare.ts";
import { A, AAAA, harness, TOKEN } from "../fakes/cloudflare/provider-harness.ts";
import type { RecordRequest } from "../../src/providers/kit/types.ts";

/**
 * The scale claim of docs/performance.md, proven on the provider against the fake (the bench measures the same on
 * dist/ddnsd): once the records are known, one address change costs at most one request per zone per 200 records
 * (Cloudflare's batch limit on the Free plan), and no reads at all.
 */

let cf: FakeCloudflare | undefined;
afterEach(async () => {
  await cf?.stop();
  cf = undefined;
});

const ZONES = Array.from({ length: 10 }, (_, i) => `zone${i}.test`);

/** `count` names, zone by zone as `zoneOf(i)` says. */
const spread = (count: number, zoneOf: (i: number) => number) => Array.from({ length: count }, (_, i) => `h${i}.${ZONES[zoneOf(i)]}`);

describe("one address change at scale", () => {
  it.each([
    { name: "1000 A records over 10 zones", names: spread(1000, (i) => i % 10), families: [A] },
    { name: "1000 A records in one zone", names: spread(1000, () => 0), families: [A] },
    { name: "1000 names × A and AAAA over 10 zones", names: spread(1000, (i) => i % 10), families: [A, AAAA] },
    { name: "1000 A records, 550 in one zone and 50 in each other", names: spread(1000, (i) => (i < 550 ? 0 : 1 + (i % 9))), families: [A] },
    { name: "201 A records in one zone (one over a batch)", names: spread(201, () => 0), families: [A] },
  ])("$name: at most one request per zone per 200 records, no reads", async ({ names, families }) => {
    const f = (cf = await startFakeCloudflare({ token: TOKEN, zones: ZONES, batchLimit: 200 }));
    const h = harness({ url: f.url, tuning: { timeoutMs: 30_000 } });
    const requests = (v4: string, v6: string): RecordRequest[] =>
      names.flatMap((n) => families.map((make) => (make === A ? A(n, v4) : AAAA(n, v6))));
    const first = await h.set(requests("203.0.113.1", "2001:db8::1"), { signal: AbortSignal.timeout(60_000) });
    expect(first.every((r) => r.ok)).toBe(true);
    f.clearRequests();

    const results = await h.set(requests("203.0.113.2", "2001:db8::2"), { signal: AbortSignal.timeout(60_000) });

    expect(results.every((r) => r.ok && r.outcome === "updated")).toBe(true);
    const log = f.requests();
    expect(log.filter((r) => r.method === "GET")).toEqual([]);
    const perZone = new Map<string, number>();
    for (const r of log) {
      const id = /^\/zones\/([0-9a-f]{32})\//.exec(r.path)?.[1] ?? "none";
      perZone.set(id, (perZone.get(id) ?? 0) + 1);
    }
    for (const zone of ZONES) {
      const held = names.filter((n) => n.endsWith(`.${zone}`)).length * families.length;
      expect({ zone, requests: perZone.get(f.zoneId(zone)) ?? 0 }).toEqual({ zone, requests: Math.ceil(held / 200) });
    }
    expect(perZone.has("none")).toBe(false);
    expect(f.records().filter((r) => r.content === "203.0.113.2" || r.content === "2001:db8::2").length).toBe(names.length * families.length);
  }, 60_000);
});
