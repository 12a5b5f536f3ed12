import { openLibcBun } from "./libc-bun.ts";
import type { WorkerReply, WorkerRequest } from "./runtime-bun.ts";
import { openNetlinkLoop } from "../../ip/netlink/socket-loop.ts";
import { dumpRoutes } from "../../ip/netlink/route-dump.ts";

/**
 * The Bun Worker that owns the netlink socket. It blocks in `poll([netlink fd, eventfd], …)` (no CPU while idle),
 * posts raw message buffers to the main thread (transferred, not copied), and stops when the main thread writes
 * the eventfd. Asked for `routes` instead, it takes one links + routes dump (the router source's default gateway),
 * posts it and ends. Must be an extra entrypoint of `bun build --compile` (see package.json "build").
 */

declare const self: {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerReply, transfer?: ArrayBuffer[]): void;
  close(): void;
};

const post = (message: WorkerReply, transfer: ArrayBuffer[] = []) => self.postMessage(message, transfer);

async function start(request: Extract<WorkerRequest, { t: "start" }>) {
  const sys = openLibcBun();
  if (typeof sys === "string") return post({ t: "error", message: sys, fatal: true });
  const loop = openNetlinkLoop(sys, { ...request.options, now: () => performance.now() });
  if (!loop.ok) return post({ t: "error", message: loop.error, fatal: true });
  post({ t: "started", stopFd: loop.stopFd });
  const transfer = (messages: Uint8Array) =>
    messages.byteOffset === 0 && messages.byteLength === messages.buffer.byteLength ? messages : messages.slice();
  try {
    await loop.run({
      events: (messages) => {
        const own = transfer(messages);
        post({ t: "events", messages: own }, [own.buffer as ArrayBuffer]);
      },
      dump: (messages, cause) => {
        const own = transfer(messages);
        post({ t: "dump", messages: own, cause }, [own.buffer as ArrayBuffer]);
      },
      overflow: () => post({ t: "overflow" }),
      error: (message, fatal) => post({ t: "error", message, fatal }),
    });
  } catch (error) {
    post({ t: "error", message: `netlink loop crashed: ${error instanceof Error ? error.message : String(error)}`, fatal: true });
  }
}

async function routes(deadlineMs: number) {
  const sys = openLibcBun();
  if (typeof sys === "string") return post({ t: "routes", result: { ok: false, error: sys } });
  const result = await dumpRoutes(sys, { deadlineMs, now: () => performance.now(), seq: 1 }).catch((error: unknown) => ({
    ok: false as const,
    error: `the route dump failed: ${error instanceof Error ? error.message : String(error)}`,
  }));
  if (!result.ok) return post({ t: "routes", result });
  const own = result.messages.slice();
  post({ t: "routes", result: { ok: true, messages: own } }, [own.buffer as ArrayBuffer]);
}

self.onmessage = (event) => {
  const request = event.data;
  self.onmessage = null;
  void (request.t === "routes" ? routes(request.deadlineMs) : start(request)).finally(() => {
    post({ t: "stopped" });
    self.close();
  });
};
