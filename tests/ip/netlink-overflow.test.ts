import { afterAll, describe, expect, it } from "bun:test";
import { createNetns, netnsUnavailable, type Netns } from "../netns/netns.ts";
import { startProbe, type Probe, type ProbeLine } from "../netns/probe-client.ts";

/**
 * ENOBUFS for real: the source runs with the smallest receive buffer the kernel allows while hundreds of addresses
 * are added and removed in bursts. Events are lost; the source must notice, re-dump, replay, and end with exactly
 * the kernel's state.
 */

const skip = netnsUnavailable();

describe.skipIf(skip !== undefined)("netlink source under event overflow", () => {
  const cleanup: Array<() => void> = [];
  afterAll(() => {
    for (const f of cleanup.reverse()) f();
  });

  /** Asks the probe for its state until it matches the kernel's (or the time is up); returns the last answer. */
  async function settle(probe: Probe, ns: Netns, ms: number): Promise<ProbeLine> {
    const deadline = performance.now() + ms;
    for (;;) {
      probe.send("detect");
      const state = await probe.next((l) => l.detect === true);
      const same = JSON.stringify([state.addresses4, state.addresses6]) === JSON.stringify([ns.addresses("va", 4), ns.addresses("va", 6)]);
      if (same || performance.now() > deadline) return state;
      await Bun.sleep(100);
    }
  }

  it("ends with the kernel's exact address list after bursts of hundreds of changes", async () => {
    const ns = createNetns("overflow");
    cleanup.push(() => ns.remove());
    const probe = startProbe(ns.exec("bun", "tests/netns/probe.ts", "bun", "va", "1"));
    cleanup.push(() => probe.kill());
    await probe.next((l) => l.ready === true, 10_000);

    const v6 = Array.from({ length: 300 }, (_, i) => `2001:db8:e::${(i + 1).toString(16)}/64`);
    const v4 = Array.from({ length: 200 }, (_, i) => `198.51.${100 + (i >> 7)}.${(i & 127) + 1}/32`);
    ns.batch([...v6.map((a) => `addr add ${a} dev va nodad`), ...v4.map((a) => `addr add ${a} dev va`)]);
    ns.batch([...v6.filter((_, i) => i % 3 === 0).map((a) => `addr del ${a} dev va`), ...v4.filter((_, i) => i % 2 === 0).map((a) => `addr del ${a} dev va`)]);
    ns.batch(["addr add 203.0.113.250/32 dev va"]);

    const state = await settle(probe, ns, 10_000);
    expect(state.addresses6).toEqual(ns.addresses("va", 6));
    expect(state.addresses4).toEqual(ns.addresses("va", 4));
    expect(state.addresses4).toHaveLength(101);
    expect(state.addresses6?.filter((a) => a.startsWith("2001:db8:e:"))).toHaveLength(200);
    expect(state.v4 && ns.addresses("va", 4).includes(`${state.v4}/32`)).toBe(true);
    expect(probe.stderr()).toContain("Netlink events were dropped (receive buffer overflow); reloading the address list");
  }, 30_000);
});
