import { afterAll, describe, expect, it } from "bun:test";
import { assertNoSecretLeaked } from "../blackbox/harness.ts";
import { runSoak, writtenContents } from "./soak-run.ts";
import { httpSoakWorld, netlinkSoakWorld, netlinkUnavailable } from "./soak-worlds.ts";

/**
 * The bounded fault-injection soak (bench/soak.ts runs 1000+ changes): dist/ddnsd keeps running while about 30 % of
 * provider requests fail with every fault kind and the address keeps changing — with the netlink source in a
 * network namespace (a change every 650 ms) and with the http source (every 1.1 s, its 1 s poll). At the end the
 * records hold the last address, no write ever carried an address the source did not give as good, no duplicate
 * exists, and RSS stayed within warm-up + 10 %.
 */
afterAll(assertNoSecretLeaked);

const netlinkSkip = netlinkUnavailable();
/** Bounded runs (about 40 s each); the warm-up is the share of steps before RSS is held to +10 %. */
export const SUITE = [
  { name: "netlink", changes: 60, warmupFraction: 0.25, make: netlinkSoakWorld, skip: netlinkSkip !== undefined },
  { name: "http", changes: 25, warmupFraction: 0.4, make: httpSoakWorld, skip: false },
];

describe("fault-injection soak", () => {
  for (const { name, changes, warmupFraction, make, skip } of SUITE) {
    it.skipIf(skip)(`${name} source: ${changes} address changes under ~30 % random provider faults: right records, no garbage, no duplicates, flat memory`, async () => {
      const f = await runSoak(await make(), { changes, seed: 11, warmupFraction });
      expect(f.garbageWrites).toEqual([]);
      expect(f.daemonExited).toBeNull();
      expect(f.fellBack).toBe(false);
      expect(f.tail).toEqual([]);
      expect(f.finalMatches).toBe(true);
      expect(f.duplicates).toBe(0);
      expect(f.changes).toBe(changes);
      expect(f.garbageSteps).toBeGreaterThan(0);
      expect(f.faultsInjected / f.requests).toBeGreaterThan(0.15);
      expect(f.faultsInjected / f.requests).toBeLessThan(0.45);
      expect(f.rssGrowthPct).toBeLessThanOrEqual(10);
    }, 120_000);
  }
});

describe("what the soak counts as a write", () => {
  it.each([
    { name: "a single POST", body: { type: "A", name: "a.example.com", content: "203.0.113.1", ttl: 1 }, expected: [{ type: "A", content: "203.0.113.1" }] },
    { name: "a PATCH with content only", body: { content: "2001:db8::5" }, expected: [{ type: "AAAA", content: "2001:db8::5" }] },
    {
      name: "a batch",
      body: { deletes: [{ id: "x" }], patches: [{ id: "y", content: "198.51.100.4" }], posts: [{ type: "AAAA", name: "b.example.com", content: "2001:db8::6" }] },
      expected: [{ type: "AAAA", content: "2001:db8::6" }, { type: "A", content: "198.51.100.4" }],
    },
    { name: "a DELETE without a body", body: undefined, expected: [] },
  ] as Array<{ name: string; body: unknown; expected: Array<{ type: string; content: string }> }>)("reads the addresses of $name", ({ body, expected }) => {
    expect(writtenContents(body)).toEqual(expected);
  });
});
