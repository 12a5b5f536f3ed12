import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createNetns, netnsUnavailable, type Netns } from "../netns/netns.ts";
import { startProbe, type Probe, type ProbeLine } from "../netns/probe-client.ts";

/**
 * The netlink source on Bun against a real kernel: a namespace with a veth pair, addresses changed with `ip addr`,
 * the source (tests/netns/probe.ts) running inside the namespace and reporting what it detects and when.
 */

const skip = netnsUnavailable();
// Proves the source is event-driven (its poll interval is far longer), not how fast it is: bench/reaction.ts measures that.
const LATENCY_LIMIT_MS = 1500;
const epochMs = () => performance.timeOrigin + performance.now();

describe.skipIf(skip !== undefined)("netlink source on Bun, in a network namespace", () => {
  let ns: Netns;
  let probe: Probe;

  /** Runs one `ip` change and waits for the change line it should cause; returns that line and the latency. */
  const change = async (args: string[], expect: (line: ProbeLine) => boolean, timeoutMs = 5000) => {
    const t0 = epochMs();
    ns.ip(...args);
    const line = await probe.next((l) => l.change !== undefined && expect(l), timeoutMs);
    return { line, latencyMs: (line.at ?? Infinity) - t0 };
  };

  beforeAll(async () => {
    ns = createNetns("bun");
    // Present before the source starts: found by the initial dump.
    ns.ip("addr", "add", "203.0.113.10/24", "dev", "va");
    ns.ip("addr", "add", "fd00:1::1/64", "dev", "va", "nodad"); // ULA
    ns.ip("addr", "add", "2001:db8:d::1/64", "dev", "va", "nodad", "preferred_lft", "0", "valid_lft", "3600"); // deprecated
    probe = startProbe(ns.exec("bun", "tests/netns/probe.ts", "bun", "va"));
    await probe.next((l) => l.ready === true, 10_000);
  });

  afterAll(() => {
    probe?.kill();
    ns?.remove();
  });

  it("starts from the initial dump: the global IPv4, and no IPv6 past ULA, deprecated and link-local", () => {
    expect(probe.lines[0]).toEqual({ ready: true, runtime: "bun", v4: "203.0.113.10", v6: "no public IPv6 address on va" });
  });

  it("reports an IPv4 add within milliseconds, and does not flap when more addresses come", async () => {
    ns.ip("addr", "del", "203.0.113.10/24", "dev", "va");
    await probe.next((l) => l.v4 === "no public IPv4 address on va");
    const added = await change(["addr", "add", "198.51.100.20/24", "dev", "va"], (l) => l.v4 === "198.51.100.20");
    expect(added.line.change).toBe("IPv4 address on va: none → 198.51.100.20");
    expect(added.latencyMs).toBeLessThan(LATENCY_LIMIT_MS);
    const before = probe.lines.length;
    ns.ip("addr", "add", "192.0.2.200/24", "dev", "va"); // sorts first, but the current address stays
    ns.ip("addr", "add", "198.51.100.21/24", "dev", "va"); // SECONDARY (flag 0x01 on IPv4): still publishable
    probe.send("detect");
    const state = await probe.next((l) => l.detect === true);
    expect(state.addresses4).toEqual(["192.0.2.200/24", "198.51.100.20/24", "198.51.100.21/24"]);
    expect(state.v4).toBe("198.51.100.20");
    expect(probe.lines.slice(before).filter((l) => l.change !== undefined)).toEqual([]);
    // Deleting a primary also deletes its secondaries (promote_secondaries is off): 192.0.2.200 is left.
    const removed = await change(["addr", "del", "198.51.100.20/24", "dev", "va"], (l) => l.v4 !== "198.51.100.20");
    expect(removed.line.v4).toBe("192.0.2.200");
    expect(ns.addresses("va", 4)).toEqual(["192.0.2.200/24"]);
  });

  it("reports an IPv6 address once, when duplicate address detection has finished", async () => {
    const before = probe.lines.length;
    const t0 = epochMs();
    ns.ip("addr", "add", "2001:db8:1::20/64", "dev", "va"); // with DAD: tentative first
    const line = await probe.next((l) => l.v6 === "2001:db8:1::20", 10_000);
    expect(line.change).toBe("IPv6 address on va: none → 2001:db8:1::20");
    expect((line.at ?? 0) - t0).toBeGreaterThan(50); // not at the tentative event
    expect(probe.lines.slice(before).filter((l) => l.change?.includes("IPv6"))).toHaveLength(1);
  }, 15_000);

  it("moves away from an address that becomes deprecated (preferred_lft 0)", async () => {
    ns.ip("addr", "add", "2001:db8:2::30/64", "dev", "va", "nodad", "preferred_lft", "600", "valid_lft", "1200");
    const deprecated = await change(["addr", "change", "2001:db8:1::20/64", "dev", "va", "preferred_lft", "0"], (l) => l.v6 !== "2001:db8:1::20");
    expect(deprecated.line.v6).toBe("2001:db8:2::30");
    expect(deprecated.latencyMs).toBeLessThan(LATENCY_LIMIT_MS);
  });

  it("never publishes a temporary (privacy) address the kernel makes, even once it is valid", async () => {
    Bun.spawnSync(ns.exec("sysctl", "-qw", "net.ipv6.conf.va.use_tempaddr=2"));
    ns.ip("addr", "del", "2001:db8:2::30/64", "dev", "va");
    await probe.next((l) => l.v6 === "no public IPv6 address on va");
    await change(["addr", "add", "2001:db8:3::40/64", "dev", "va", "nodad", "mngtmpaddr", "preferred_lft", "600", "valid_lft", "1200"], (l) => l.v6 === "2001:db8:3::40");
    // The kernel derives a temporary address from the prefix; wait until the source has seen it pass DAD.
    const deadline = performance.now() + 8000;
    let temporary: [string, number] | undefined;
    let state: Awaited<ReturnType<Probe["next"]>> | undefined;
    while (!temporary && performance.now() < deadline) {
      await Bun.sleep(100);
      probe.send("detect");
      state = await probe.next((l) => l.detect === true);
      temporary = Object.entries(state.flags6 ?? {}).find(([a, f]) => a.startsWith("2001:db8:3:") && a !== "2001:db8:3::40" && (f & 0x40) === 0);
    }
    expect(temporary).toBeDefined();
    expect((temporary?.[1] ?? 0) & 0x01).toBe(0x01); // IFA_F_TEMPORARY reached the mirror
    expect(state?.v6).toBe("2001:db8:3::40");
  }, 15_000);

  it("follows the interface when it is deleted and recreated with a new index", async () => {
    await change(["link", "del", "va"], (l) => l.v4 === 'interface "va" does not exist' || l.v4 === "no public IPv4 address on va");
    ns.ip("link", "add", "va", "type", "veth", "peer", "name", "vb");
    ns.ip("link", "set", "va", "up");
    const back = await change(["addr", "add", "203.0.113.77/24", "dev", "va"], (l) => l.v4 === "203.0.113.77");
    expect(back.latencyMs).toBeLessThan(LATENCY_LIMIT_MS);
  });

  it("behind NAT, reports a change of the private address at once (the hint for the http fallback)", async () => {
    ns.ip("addr", "del", "203.0.113.77/24", "dev", "va");
    await probe.next((l) => l.v4 === "no public IPv4 address on va");
    const renewed = await change(["addr", "add", "10.20.0.5/24", "dev", "va"], (l) => l.change?.includes("private addresses changed") === true);
    expect(renewed.line.change).toBe("IPv4 on va has no public address; its private addresses changed: none → 10.20.0.5");
    expect(renewed.line.v4).toBe("no public IPv4 address on va");
    expect(renewed.latencyMs).toBeLessThan(LATENCY_LIMIT_MS);
  });

  it("stops promptly through the eventfd on close", async () => {
    probe.send("close");
    const closed = await probe.next((l) => l.closed !== undefined);
    expect(closed.closed).toBeLessThan(100);
    expect(await probe.exited).toBe(0);
  });
});
