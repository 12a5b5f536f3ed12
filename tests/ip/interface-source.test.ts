import { describe, expect, it } from "bun:test";
import { networkInterfaces } from "node:os";
import { createInterfaceSource, type InterfaceEntry } from "../../src/ip/interface/interface-source.ts";
import { createMemoryLogger } from "../../src/log/logger.ts";
import type { Family } from "../../src/core/family.ts";

const signal = new AbortController().signal;

function setup(initial: Record<string, InterfaceEntry[] | undefined>, pollMs = 10) {
  let table = initial;
  const source = createInterfaceSource({
    interfaceName: "eth0",
    allowPrivate: false,
    log: createMemoryLogger(),
    networkInterfaces: () => table,
    pollMs,
  });
  const detect = async (family: Family) => {
    const d = await source.detect(family, signal);
    return d.ok ? d.address : d.error;
  };
  return { source, detect, set: (next: typeof table) => (table = next) };
}

const v4 = (address: string): InterfaceEntry => ({ address, family: "IPv4", internal: false });
const v6 = (address: string): InterfaceEntry => ({ address, family: "IPv6", internal: false });

describe("the interface source", () => {
  it.each<{ name: string; entries: InterfaceEntry[]; family: Family; expected: string }>([
    { name: "a public IPv4 address", entries: [v4("10.0.0.2"), v4("192.0.2.4")], family: 4, expected: "192.0.2.4" },
    { name: "IPv6 past link-local and ULA", entries: [v6("fe80::1"), v6("fd00::2"), v6("2001:db8::9")], family: 6, expected: "2001:db8::9" },
    { name: "the numeric family of older Node versions", entries: [{ address: "198.51.100.3", family: 4 }], family: 4, expected: "198.51.100.3" },
    { name: "an address with a zone index", entries: [v6("2001:db8::5%eth0")], family: 6, expected: "2001:db8::5" },
    { name: "no public address", entries: [v4("192.168.1.2")], family: 4, expected: "no public IPv4 address on eth0" },
  ])("detects $name", async ({ entries, family, expected }) => {
    const t = setup({ eth0: entries, eth1: [v4("203.0.113.1")] });
    expect(await t.detect(family)).toBe(expected);
  });

  it("says when the interface does not exist", async () => {
    expect(await setup({ eth1: [v4("203.0.113.1")] }).detect(4)).toBe('interface "eth0" does not exist');
  });

  it("keeps the current address while it is listed (no flapping between two)", async () => {
    const t = setup({ eth0: [v4("203.0.113.9")] });
    expect(await t.detect(4)).toBe("203.0.113.9");
    t.set({ eth0: [v4("192.0.2.1"), v4("203.0.113.9")] });
    expect(await t.detect(4)).toBe("203.0.113.9");
  });

  it("calls onChange when a poll finds another address, and stops polling on close", async () => {
    const t = setup({ eth0: [v4("192.0.2.1")] });
    const changes: string[] = [];
    await t.source.watch?.((reason) => changes.push(reason));
    t.set({ eth0: [v4("192.0.2.2")] });
    await Bun.sleep(50);
    expect(changes).toEqual(["IPv4 address on eth0: 192.0.2.1 → 192.0.2.2"]);
    await t.source.close?.();
    t.set({ eth0: [v4("192.0.2.3")] });
    await Bun.sleep(50);
    expect(changes).toHaveLength(1);
  });

  it("works with the real os.networkInterfaces() (loopback has nothing publishable)", async () => {
    const source = createInterfaceSource({ interfaceName: "lo", allowPrivate: false, log: createMemoryLogger(), networkInterfaces });
    expect(await source.detect(4, signal)).toEqual({ ok: false, family: 4, error: "no public IPv4 address on lo", wantsFallback: true });
  });
});
