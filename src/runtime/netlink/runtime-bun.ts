import type { DumpResult, NetlinkRuntime, NetlinkRuntimeResult, NetlinkStream, StreamOptions, StreamSink, Syscalls } from "../../ip/netlink/runtime-types.ts";
import { openEventSocket, runNetlinkLoop } from "../../ip/netlink/socket-loop.ts";
import { dumpRoutes } from "../../ip/netlink/route-dump.ts";
import { openLibcBun } from "./libc-bun.ts";
import { createStreamWait } from "./stream-wait-bun.ts";

/**
 * The Bun netlink runtime, on the main thread: libc through bun:ffi (libc-bun.ts), the event socket read by Bun's
 * event loop (stream-wait-bun.ts), the dumps on sockets of their own. Nothing Bun-specific is imported statically, so
 * Deno may load this file without calling it.
 */

/** A dump's answer is in the socket as soon as the request is sent (the kernel fills it in sendmsg and recvmsg);
 * should it not be, the wait is a poll with no timeout, retried on a short timer: the main thread never blocks. */
const DUMP_RETRY_MS = [1, 2, 5, 10, 20];

export function createNetlinkRuntime(options: { platform: string } = { platform: process.platform }): NetlinkRuntimeResult {
  if (options.platform !== "linux") return { unavailable: `netlink exists only on Linux (this is ${options.platform})` };
  const libc = openLibcBun();
  if (typeof libc === "string") return { unavailable: libc };
  const sys = withoutBlockingPoll(libc);
  let seq = 1;
  const runtime: NetlinkRuntime = {
    name: "bun",
    open: (streamOptions, sink) => openOnMainThread(sys, streamOptions, sink),
    dumpRoutes: ({ deadlineMs }): Promise<DumpResult> =>
      dumpRoutes(sys, { deadlineMs, now: () => performance.now(), seq: (seq += 16) }).catch((error: unknown) => ({
        ok: false as const,
        error: `the route dump failed: ${error instanceof Error ? error.message : String(error)}`,
      })),
  };
  return runtime;
}

/** `poll` that never blocks the thread: at once with timeout 0, then again after short sleeps until the timeout. */
export function withoutBlockingPoll(sys: Syscalls, sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))): Syscalls {
  return {
    ...sys,
    async poll(fds, count, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      for (let attempt = 0; ; attempt++) {
        const ready = await sys.poll(fds, count, 0);
        const left = deadline - performance.now();
        if (ready !== 0 || timeoutMs === 0 || (timeoutMs > 0 && left <= 0)) return ready;
        const step = DUMP_RETRY_MS[Math.min(attempt, DUMP_RETRY_MS.length - 1)]!;
        await sleep(timeoutMs < 0 ? step : Math.min(step, left));
      }
    },
  };
}

function openOnMainThread(sys: Syscalls, options: StreamOptions, sink: StreamSink): NetlinkStream {
  const socket = openEventSocket(sys, options);
  if (!socket.ok) {
    queueMicrotask(() => sink.error(socket.error, true));
    return { close: async () => {} };
  }
  const wait = createStreamWait({ open: () => openEventSocket(sys, options), close: (fd) => void sys.close(fd) }, socket.fd);
  const running = runNetlinkLoop(sys, wait, { ...options, now: () => performance.now() }, sink).catch((error: unknown) =>
    sink.error(`netlink loop crashed: ${error instanceof Error ? error.message : String(error)}`, true),
  );
  return {
    async close() {
      wait.stop();
      await running;
    },
  };
}
