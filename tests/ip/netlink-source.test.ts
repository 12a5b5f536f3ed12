import { describe, expect, it } from "bun:test";
import { createMemoryLogger } from "../../src/log/logger.ts";
import { createNetlinkSource } from "../../src/ip/netlink/netlink-source.ts";
import type { NetlinkRuntime, StreamOptions, StreamSink } from "../../src/ip/netlink/runtime-types.ts";
import type { Family } from "../../src/core/family.ts";
import { addressMessage, concatBytes, linkMessage } from "../netns/messages.ts";

/** A runtime whose stream the test drives by hand through the sink. */
function fakeRuntime() {
  const opened: Array<{ sink: StreamSink; options: StreamOptions; closed: boolean }> = [];
  const runtime: NetlinkRuntime = {
    name: "bun",
    open(options, sink) {
      const entry = { sink, options, closed: false };
      opened.push(entry);
      return { close: async () => void (entry.closed = true) };
    },
    dumpRoutes: async () => ({ ok: false, error: "the netlink source never dumps routes" }),
  };
  const sink = () => (opened.at(-1) as (typeof opened)[number]).sink;
  return { runtime, opened, sink };
}

function setup(options: { families?: Family[]; startTimeoutMs?: number } = {}) {
  const fake = fakeRuntime();
  const log = createMemoryLogger();
  const source = createNetlinkSource({ interfaceName: "eth0", allowPrivate: false, log, runtime: fake.runtime, now: () => 0, ...options });
  const changes: string[] = [];
  const signal = new AbortController().signal;
  const detect = async (family: Family) => {
    const d = await source.detect(family, signal);
    return d.ok ? d.address : d.error;
  };
  return { ...fake, log, source, changes, detect, watch: () => source.watch?.((reason) => changes.push(reason)) };
}

const eth0 = linkMessage({ index: 2, name: "eth0" });

describe("the netlink source", () => {
  it("answers detect from the initial dump, waiting for it", async () => {
    const t = setup();
    const answer = t.detect(4);
    t.sink().dump(concatBytes(eth0, addressMessage({ index: 2, address: "192.0.2.10", flags: 0x80 })), "initial");
    expect(await answer).toBe("192.0.2.10");
  });

  it.each([
    { name: "only a private IPv4 address", messages: [eth0, addressMessage({ index: 2, address: "10.0.0.2" })], family: 4 as Family, expected: "no public IPv4 address on eth0" },
    { name: "only link-local and ULA IPv6", messages: [eth0, addressMessage({ index: 2, address: "fe80::1" }), addressMessage({ index: 2, address: "fd12::1" })], family: 6 as Family, expected: "no public IPv6 address on eth0" },
    { name: "no such interface", messages: [linkMessage({ index: 3, name: "eth1" })], family: 4 as Family, expected: 'interface "eth0" does not exist' },
  ])("says so distinctly with $name", async ({ messages, family, expected }) => {
    const t = setup();
    const answer = t.detect(family);
    t.sink().dump(concatBytes(...messages), "initial");
    expect(await answer).toBe(expected);
  });

  it("fires onChange once for DAD (tentative, then valid), at the valid event, with no timer", async () => {
    const t = setup();
    const watching = t.watch();
    t.sink().dump(eth0, "initial");
    await watching;
    t.sink().events(addressMessage({ index: 2, address: "2001:db8::1", flags: 0x40 | 0x80 }));
    expect(t.changes).toEqual([]);
    t.sink().events(addressMessage({ index: 2, address: "2001:db8::1", flags: 0x80 }));
    expect(t.changes).toEqual(["IPv6 address on eth0: none → 2001:db8::1"]);
  });

  it("fires onChange synchronously for an IPv4 add, and for its removal", async () => {
    const t = setup();
    const watching = t.watch();
    t.sink().dump(eth0, "initial");
    await watching;
    t.sink().events(addressMessage({ index: 2, address: "203.0.113.5" }));
    expect(t.changes).toEqual(["IPv4 address on eth0: none → 203.0.113.5"]);
    t.sink().events(addressMessage({ op: "del", index: 2, address: "203.0.113.5" }));
    expect(t.changes.at(-1)).toBe("IPv4 address on eth0: 203.0.113.5 → none");
  });

  it.each([
    { name: "a second address while the current stays", event: addressMessage({ index: 2, address: "192.0.2.1", flags: 0x01 | 0x80 }) },
    { name: "a lifetime refresh of the current address", event: addressMessage({ index: 2, address: "198.51.100.9", preferredLft: 3000, validLft: 6000 }) },
    { name: "a private address", event: addressMessage({ index: 2, address: "10.1.1.1" }) },
    { name: "an address on another interface", event: concatBytes(linkMessage({ index: 3, name: "eth1" }), addressMessage({ index: 3, address: "192.0.2.99" })) },
  ])("stays quiet for $name", async ({ event }) => {
    const t = setup();
    const watching = t.watch();
    t.sink().dump(concatBytes(eth0, addressMessage({ index: 2, address: "198.51.100.9" })), "initial");
    await watching;
    t.sink().events(event);
    expect(t.changes).toEqual([]);
    expect(await t.detect(4)).toBe("198.51.100.9");
  });

  it("behind NAT (nothing publishable), fires onChange when the private address changes, not for link-local or DAD", async () => {
    const t = setup();
    const watching = t.watch();
    t.sink().dump(concatBytes(eth0, addressMessage({ index: 2, address: "192.168.1.5" })), "initial");
    await watching;
    t.sink().events(concatBytes(addressMessage({ op: "del", index: 2, address: "192.168.1.5" }), addressMessage({ index: 2, address: "192.168.1.6" })));
    t.sink().events(addressMessage({ index: 2, address: "fe80::1" }));
    t.sink().events(addressMessage({ index: 2, address: "fd00::1", flags: 0x40 }));
    expect(t.changes).toEqual(["IPv4 on eth0 has no public address; its private addresses changed: 192.168.1.5 → 192.168.1.6"]);
    expect(await t.detect(4)).toBe("no public IPv4 address on eth0");
  });

  it("ignores families it does not manage", async () => {
    const t = setup({ families: [4] });
    const watching = t.watch();
    t.sink().dump(eth0, "initial");
    await watching;
    t.sink().events(addressMessage({ index: 2, address: "2001:db8::1" }));
    expect(t.changes).toEqual([]);
  });

  it("reports a change found by an overflow dump, but not the first load", async () => {
    const t = setup();
    const watching = t.watch();
    t.sink().dump(concatBytes(eth0, addressMessage({ index: 2, address: "192.0.2.1" })), "initial");
    await watching;
    expect(t.changes).toEqual([]);
    t.sink().overflow();
    t.sink().dump(concatBytes(eth0, addressMessage({ index: 2, address: "192.0.2.2" })), "overflow");
    expect(t.changes).toEqual(["IPv4 address on eth0: 192.0.2.1 → 192.0.2.2"]);
    expect(t.log.lines).toContain("INFO Netlink events were dropped (receive buffer overflow); reloading the address list interface=eth0");
  });

  it("after a fatal stream error, answers with the reason, then restarts on the next detect", async () => {
    const t = setup();
    const first = t.detect(4);
    t.sink().dump(concatBytes(eth0, addressMessage({ index: 2, address: "192.0.2.1" })), "initial");
    await first;
    t.sink().error("recv() on the netlink socket failed: EBADF (errno 9)", true);
    const second = t.detect(4);
    expect(t.opened).toHaveLength(2);
    t.sink().error("socket(AF_NETLINK, NETLINK_ROUTE) failed: EACCES (errno 13)", true);
    expect(await second).toBe("netlink: socket(AF_NETLINK, NETLINK_ROUTE) failed: EACCES (errno 13)");
    const third = t.detect(4);
    t.sink().dump(concatBytes(eth0, addressMessage({ index: 2, address: "192.0.2.1" })), "initial");
    expect(await third).toBe("192.0.2.1");
  });

  it("gives up waiting for the first dump after startTimeoutMs", async () => {
    const t = setup({ startTimeoutMs: 20 });
    expect(await t.detect(4)).toBe("netlink: the kernel's address list has not loaded yet");
  });

  it("passes the safety re-check period and closes its stream", async () => {
    const fake = fakeRuntime();
    const source = createNetlinkSource({ interfaceName: "eth0", allowPrivate: false, log: createMemoryLogger(), runtime: fake.runtime, now: () => 0, resyncIntervalMs: 60_000 });
    const watching = source.watch?.(() => {});
    fake.sink().dump(eth0, "initial");
    await watching;
    expect(fake.opened[0]?.options.resyncMs).toBe(60_000);
    await source.close?.();
    expect(fake.opened[0]?.closed).toBe(true);
    expect(await source.detect(4, new AbortController().signal)).toEqual({ ok: false, family: 4, error: "the netlink source is closed" });
  });
});
