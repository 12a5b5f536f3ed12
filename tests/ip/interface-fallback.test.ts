import { describe, expect, it } from "bun:test";
import { createLocalSource, whyNetlinkUnavailable, type LocalSourceSettings } from "../../src/ip/local-source.ts";
import type { NetlinkRuntime, NetlinkRuntimeResult, StreamSink } from "../../src/ip/netlink/runtime-types.ts";
import { createNetlinkRuntime as createDenoNetlink } from "../../src/runtime/netlink/runtime-deno.ts";
import { createNetlinkRuntime as createBunNetlink } from "../../src/runtime/netlink/runtime-bun.ts";
import { createMemoryLogger } from "../../src/log/logger.ts";
import { addressMessage, concatBytes, linkMessage } from "../netns/messages.ts";

/** Choosing between netlink and the interface fallback, and saying why netlink is unavailable. */

const config = (kind: "netlink" | "interface"): LocalSourceSettings => ({ kind, interface: "eth0", families: [4], allowPrivate: false, resyncMs: 300_000 });

/** A runtime whose stream answers at once: with a dump holding eth0 = 192.0.2.1, or with a fatal error. */
const runtime = (behaviour: { dump: true } | { fatal: string } | { silent: true }): NetlinkRuntime => ({
  name: "bun",
  open(_options, sink: StreamSink) {
    queueMicrotask(() => {
      if ("dump" in behaviour) sink.dump(concatBytes(linkMessage({ index: 2, name: "eth0" }), addressMessage({ index: 2, address: "192.0.2.1" })), "initial");
      else if ("fatal" in behaviour) sink.error(behaviour.fatal, true);
    });
    return { close: async () => {} };
  },
  dumpRoutes: async () => ({ ok: false, error: "the local source never dumps routes" }),
});

const world = (netlink: NetlinkRuntimeResult) => ({
  createNetlinkRuntime: () => netlink,
  networkInterfaces: () => ({ eth0: [{ address: "203.0.113.3", family: "IPv4" }] }),
  now: () => 0,
});

describe("whyNetlinkUnavailable", () => {
  it.each([
    { name: "the runtime's own reason", netlink: { unavailable: "netlink exists only on Linux (this is darwin)" } as NetlinkRuntimeResult, expected: "netlink exists only on Linux (this is darwin)" },
    { name: "a socket the kernel refuses", netlink: runtime({ fatal: "socket(AF_NETLINK, NETLINK_ROUTE) failed: EACCES (errno 13)" }), expected: "socket(AF_NETLINK, NETLINK_ROUTE) failed: EACCES (errno 13)" },
    { name: "no answer at all", netlink: runtime({ silent: true }), expected: "the netlink socket gave no answer within 50 ms" },
    { name: "nothing when a dump arrives", netlink: runtime({ dump: true }), expected: undefined },
  ])("reports $name", async ({ netlink, expected }) => {
    expect(await whyNetlinkUnavailable(netlink, 50)).toBe(expected);
  });

  it.each([
    { name: "Bun, off Linux", create: () => createBunNetlink({ platform: "darwin" }) },
    { name: "Deno, off Linux", create: () => createDenoNetlink({ platform: "win32" }) },
  ])("knows netlink is Linux-only ($name)", ({ create }) => {
    expect(create()).toEqual({ unavailable: expect.stringContaining("netlink exists only on Linux") });
  });
});

describe("createLocalSource", () => {
  it("uses netlink when it works", async () => {
    const log = createMemoryLogger();
    const source = await createLocalSource(config("netlink"), log, world(runtime({ dump: true })));
    expect(source.type).toBe("netlink");
    expect(await source.detect(4, new AbortController().signal)).toEqual({ ok: true, family: 4, address: "192.0.2.1", source: "netlink:eth0" });
    expect(log.lines).toEqual([]);
  });

  it("falls back to the interface source with one warning that says why", async () => {
    const log = createMemoryLogger();
    const source = await createLocalSource(config("netlink"), log, world({ unavailable: "Deno runs without --allow-ffi (add it to the deno run command or the task)" }));
    expect(source.type).toBe("interface");
    expect(await source.detect(4, new AbortController().signal)).toMatchObject({ ok: true, address: "203.0.113.3" });
    expect(log.lines).toEqual([
      "WARN Netlink is unavailable (Deno runs without --allow-ffi (add it to the deno run command or the task)); falling back to the interface source, which polls the interface list and cannot see address flags interface=eth0",
    ]);
  });

  it("builds the interface source when it is configured", async () => {
    const source = await createLocalSource(config("interface"), createMemoryLogger(), world(runtime({ dump: true })));
    expect(source.type).toBe("interface");
  });
});
