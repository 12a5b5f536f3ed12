import { describe, expect, it } from "bun:test";
import { createKernelMirror } from "../../src/ip/netlink/mirror.ts";
import { parseMessages } from "../../src/ip/netlink/parse.ts";
import type { StreamSink } from "../../src/ip/netlink/runtime-types.ts";
import { openNetlinkLoop } from "../../src/ip/netlink/socket-loop.ts";
import { FakeKernel } from "../netns/fake-kernel.ts";

/** Runs the loop against a FakeKernel, mirroring what it delivers and logging the sink calls in order. */
function start(kernel: FakeKernel, options: { resyncMs?: number; dumpDeadlineMs?: number } = {}) {
  const mirror = createKernelMirror();
  const calls: string[] = [];
  let waiters: Array<() => void> = [];
  const record = (call: string) => {
    calls.push(call);
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  const sink: StreamSink = {
    events: (m) => {
      mirror.apply(parseMessages(m).events, 0);
      record("events");
    },
    dump: (m, cause) => {
      mirror.replace(parseMessages(m).events, 0);
      record(`dump:${cause}`);
    },
    overflow: () => record("overflow"),
    error: (message, fatal) => record(`${fatal ? "fatal" : "error"}:${message}`),
  };
  const loop = openNetlinkLoop(kernel, { resyncMs: options.resyncMs ?? 0, dumpDeadlineMs: options.dumpDeadlineMs ?? 1000, now: () => performance.now() });
  if (!loop.ok) throw new Error(loop.error);
  const running = loop.run(sink);
  const until = async (predicate: () => boolean, ms = 2000) => {
    const deadline = performance.now() + ms;
    while (!predicate()) {
      if (performance.now() > deadline) throw new Error(`timed out; calls: ${calls.join(", ")}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 20);
      });
    }
  };
  const stop = async () => {
    kernel.write(loop.stopFd);
    await running;
  };
  const v4 = () => mirror.addresses("eth0", 4).map((a) => a.address).sort();
  return { calls, mirror, until, stop, running, v4 };
}

describe("the netlink socket loop", () => {
  it("loads a dump first, then applies events in order", async () => {
    const kernel = new FakeKernel();
    kernel.links.set(2, "eth0");
    kernel.addresses.set("2/192.0.2.1", { index: 2, address: "192.0.2.1" });
    const t = start(kernel);
    await t.until(() => t.calls.includes("dump:initial"));
    expect(t.v4()).toEqual(["192.0.2.1"]);
    kernel.add({ index: 2, address: "192.0.2.2" });
    kernel.remove(2, "192.0.2.1");
    await t.until(() => t.v4().join() === "192.0.2.2");
    await t.stop();
    expect(t.calls[0]).toBe("dump:initial");
  });

  it("after ENOBUFS, drains, dumps on a separate socket and replays what follows: the end state is right", async () => {
    const kernel = new FakeKernel();
    kernel.capacity = 8;
    kernel.links.set(2, "eth0");
    const t = start(kernel);
    await t.until(() => t.calls.includes("dump:initial"));
    for (let i = 1; i <= 200; i++) kernel.add({ index: 2, address: `198.51.100.${i}` });
    for (let i = 1; i <= 200; i += 2) kernel.remove(2, `198.51.100.${i}`);
    await t.until(() => t.calls.includes("dump:overflow"));
    kernel.add({ index: 2, address: "203.0.113.1" }); // after the dump: must be replayed on top of it
    const expected = [...Array.from({ length: 100 }, (_, i) => `198.51.100.${2 * i + 2}`), "203.0.113.1"].sort();
    await t.until(() => t.v4().join() === expected.join());
    expect(t.calls.indexOf("overflow")).toBeLessThan(t.calls.indexOf("dump:overflow"));
    expect(kernel.dumpsServed).toBeGreaterThanOrEqual(4); // two requests (links, addresses) per dump
    await t.stop();
  });

  it("repeats a dump the kernel marks NLM_F_DUMP_INTR", async () => {
    const kernel = new FakeKernel();
    kernel.links.set(2, "eth0");
    kernel.addresses.set("2/192.0.2.1", { index: 2, address: "192.0.2.1" });
    kernel.interruptDumps = 2;
    const t = start(kernel);
    await t.until(() => t.calls.includes("dump:initial"));
    expect(kernel.dumpsServed).toBe(6);
    expect(t.calls).toEqual(["dump:initial"]);
    await t.stop();
  });

  it("abandons a dump at its deadline and says so (not fatal)", async () => {
    const kernel = new FakeKernel();
    kernel.silentDumps = true;
    const t = start(kernel, { dumpDeadlineMs: 50 });
    await t.until(() => t.calls.length > 0);
    expect(t.calls[0]).toBe("error:netlink dump (initial) failed, retrying in 1s: the dump did not finish before its deadline");
    await t.stop();
  });

  it("re-dumps periodically as a safety net", async () => {
    const kernel = new FakeKernel();
    const t = start(kernel, { resyncMs: 30 });
    await t.until(() => t.calls.filter((c) => c === "dump:periodic").length >= 2);
    await t.stop();
  });

  it("stops when the eventfd is written, closing the event socket but leaving the eventfd to its owner", async () => {
    const kernel = new FakeKernel();
    const t = start(kernel);
    await t.until(() => t.calls.includes("dump:initial"));
    await t.stop();
    expect(kernel.closed).toContain(kernel.eventSocket);
    expect(kernel.closed).not.toContain(kernel.stopSocket);
  });

  it("reports a recv failure as fatal and ends", async () => {
    const kernel = new FakeKernel();
    const t = start(kernel);
    await t.until(() => t.calls.includes("dump:initial"));
    kernel.failRecv = 9;
    kernel.link(3, "eth1");
    await t.running;
    expect(t.calls.at(-1)).toBe("fatal:recv() on the netlink socket failed: EBADF (errno 9)");
  });
});
