import { openLibcBun } from "./libc-bun.ts";
import type { WorkerReply, WorkerRequest } from "./runtime-bun.ts";
import { openNetlinkLoop } from "../../ip/netlink/socket-loop.ts";

/**
 * The Bun Worker that owns the netlink socket. It blocks in `poll([netlink fd, eventfd], …)` (no CPU while idle),
 * posts raw message buffers to the main thread (transferred, not copied), and stops when the main thread writes
 * the eventfd. Must be an extra entrypoint of `bun build --compile` (see package.json "build").
 */

declare const self: {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerReply, transfer?: ArrayBuffer[]): void;
  close(): void;
};

const post = (message: WorkerReply, transfer: ArrayBuffer[] = []) => self.postMessage(message, transfer);

async function start(request: WorkerRequest) {
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

self.onmessage = (event) => {
  if (event.data.t !== "start") return;
  self.onmessage = null;
  void start(event.data).finally(() => {
    post({ t: "stopped" });
    self.close();
  });
};
