import { describe, expect, it } from "bun:test";
import type { Wake } from "../../src/ip/netlink/runtime-types.ts";
import { createStreamWait, type ChunkReader, type EventSocket } from "../../src/runtime/netlink/stream-wait-bun.ts";
import { addressMessage } from "../netns/messages.ts";

/**
 * The Bun main-thread wait (stream-wait-bun.ts) against readers this test controls: what each kind of read gives
 * the loop, that an ENOBUFS replaces the socket before the loop's dump, and that the reader is cancelled before its
 * fd is closed. The real kernel and Bun.file(fd).stream() are exercised by netlink-overflow.test.ts and the probes.
 */

const enobufs = () => Object.assign(new Error("ENOBUFS: no buffer space available, recv"), { code: "ENOBUFS" });

function world(options: { reopen?: "ok" | "fails" } = {}) {
  const calls: string[] = [];
  const controllers = new Map<number, ReadableStreamDefaultController<Uint8Array>>();
  let nextFd = 10;
  const socket: EventSocket = {
    open: () => {
      if (options.reopen === "fails") return { ok: false, error: "socket(AF_NETLINK, NETLINK_ROUTE) failed: EMFILE" };
      calls.push(`open ${++nextFd}`);
      return { ok: true, fd: nextFd };
    },
    close: (fd) => void calls.push(`close ${fd}`),
  };
  const openReader = (fd: number) => {
    calls.push(`reader ${fd}`);
    const stream = new ReadableStream<Uint8Array>({
      start: (c) => void controllers.set(fd, c),
      cancel: () => void calls.push(`cancel ${fd}`),
    });
    return stream.getReader() as unknown as ChunkReader;
  };
  const wait = createStreamWait(socket, 10, openReader);
  const on = (fd: number) => controllers.get(fd)!;
  return { wait, calls, on };
}

const add = addressMessage({ index: 2, address: "192.0.2.1" });

describe("the Bun stream wait", () => {
  const cases: Array<{ name: string; feed: (c: ReadableStreamDefaultController<Uint8Array>) => void; kind: Wake["kind"]; error?: string; calls: string[] }> = [
    { name: "a chunk of whole messages is events", feed: (c) => c.enqueue(add), kind: "events", calls: ["reader 10"] },
    { name: "a chunk that cuts a message is an overflow on the same socket", feed: (c) => c.enqueue(add.subarray(0, add.length - 3)), kind: "overflow", calls: ["reader 10"] },
    { name: "ENOBUFS replaces the socket before the loop dumps", feed: (c) => c.error(enobufs()), kind: "overflow", calls: ["reader 10", "close 10", "open 11"] },
    {
      name: "another read error is fatal and says what failed",
      feed: (c) => c.error(new Error("EBADF: bad file descriptor, read")),
      kind: "fatal",
      error: "reading the netlink socket failed: EBADF: bad file descriptor, read",
      calls: ["reader 10"],
    },
    { name: "a stream that ends is fatal", feed: (c) => c.close(), kind: "fatal", error: "the netlink socket's stream ended", calls: ["reader 10"] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const t = world();
      const woke = t.wait.next(-1);
      await Promise.resolve();
      c.feed(t.on(10));
      const got = await woke;
      expect(got.kind).toBe(c.kind);
      if (got.kind === "events") expect(got.messages).toEqual(add);
      if (got.kind === "fatal") expect(got.error).toBe(c.error!);
      expect(t.calls).toEqual(c.calls);
    });
  }

  it("after an ENOBUFS reads from the new socket only", async () => {
    const t = world();
    const first = t.wait.next(-1);
    await Promise.resolve();
    t.on(10).error(enobufs());
    expect((await first).kind).toBe("overflow");
    const second = t.wait.next(-1);
    await Promise.resolve();
    t.on(11).enqueue(add);
    expect((await second).kind).toBe("events");
    expect(t.calls).toEqual(["reader 10", "close 10", "open 11", "reader 11"]);
  });

  it("is fatal when no new socket can be opened after an overflow", async () => {
    const t = world({ reopen: "fails" });
    const woke = t.wait.next(-1);
    await Promise.resolve();
    t.on(10).error(enobufs());
    expect(await woke).toEqual({ kind: "fatal", error: "after an overflow, socket(AF_NETLINK, NETLINK_ROUTE) failed: EMFILE" });
    expect(await t.wait.next(-1)).toEqual({ kind: "stop" });
  });

  it("times out without losing the read it started: the next wait gets its data", async () => {
    const t = world();
    expect(await t.wait.next(5)).toEqual({ kind: "timeout" });
    t.on(10).enqueue(add);
    const got = await t.wait.next(-1);
    expect(got.kind).toBe("events");
    expect(t.calls).toEqual(["reader 10"]);
  });

  it("stops a wait in progress, then cancels the reader before it closes the socket", async () => {
    const t = world();
    const woke = t.wait.next(-1);
    t.wait.stop();
    expect(await woke).toEqual({ kind: "stop" });
    expect(await t.wait.next(-1)).toEqual({ kind: "stop" });
    await t.wait.release();
    expect(t.calls).toEqual(["reader 10", "cancel 10", "close 10"]);
  });

  it("keeps no chunk once the loop has it (no reaction left on a promise that outlives the wait)", async () => {
    const t = world();
    const seen: Array<WeakRef<Uint8Array>> = [];
    for (let i = 0; i < 50; i++) {
      const woke = t.wait.next(60_000); // a timer per wait, as the loop's periodic re-check sets one
      await Promise.resolve();
      t.on(10).enqueue(add.slice());
      const got = await woke;
      if (got.kind !== "events") throw new Error(`wait ${i} gave ${got.kind}`);
      seen.push(new WeakRef(got.messages));
    }
    await Bun.sleep(0);
    Bun.gc(true);
    await Bun.sleep(0);
    Bun.gc(true);
    expect(seen.filter((r) => r.deref() !== undefined).length).toBeLessThanOrEqual(2);
  });
});
