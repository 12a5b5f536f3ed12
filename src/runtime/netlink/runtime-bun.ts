import { closeSync, existsSync, readdirSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { DumpCause, DumpResult, NetlinkRuntime, NetlinkRuntimeResult, NetlinkStream, StreamOptions, StreamSink } from "../../ip/netlink/runtime-types.ts";

/**
 * The Bun netlink runtime: the socket lives in a Worker (bun-worker.ts, the only file that touches `bun:ffi`), so
 * this file imports nothing Bun-specific and is safe to load under Deno. Stopping writes the Worker's eventfd. The
 * router source's one-off route dump runs in a short-lived Worker of its own (started, answers, ends).
 */

export type WorkerRequest = { t: "start"; options: StreamOptions } | { t: "routes"; deadlineMs: number };
export type WorkerReply =
  | { t: "routes"; result: DumpResult }
  | { t: "started"; stopFd: number }
  | { t: "events"; messages: Uint8Array }
  | { t: "dump"; messages: Uint8Array; cause: DumpCause }
  | { t: "overflow" }
  | { t: "error"; message: string; fatal: boolean }
  | { t: "stopped" };

const STOP_TIMEOUT_MS = 2000;
const WORKER_SUFFIX = /(^|\/)runtime\/netlink\/bun-worker\.(js|ts)$/;

/**
 * Where the worker is: next to this file when running from source; inside a `bun build --compile` executable it is
 * embedded under the executable's virtual root at its path relative to the entry points' common folder.
 */
export function findWorker(moduleUrl: string = import.meta.url): URL | undefined {
  const beside = new URL("./bun-worker.ts", moduleUrl);
  if (existsSync(fileURLToPath(beside))) return beside;
  if (!moduleUrl.includes("/$bunfs/")) return undefined;
  const root = dirname(fileURLToPath(moduleUrl));
  try {
    const found = readdirSync(root, { recursive: true }).map(String).find((p) => WORKER_SUFFIX.test(p));
    return found === undefined ? undefined : new URL(`file://${root}/${found}`);
  } catch {
    return undefined;
  }
}

export function createNetlinkRuntime(options: { platform: string } = { platform: process.platform }): NetlinkRuntimeResult {
  if (options.platform !== "linux") return { unavailable: `netlink exists only on Linux (this is ${options.platform})` };
  const workerUrl = findWorker();
  if (!workerUrl) {
    return { unavailable: "the netlink worker is missing from this build (add src/runtime/netlink/bun-worker.ts to bun build --compile)" };
  }
  const runtime: NetlinkRuntime = {
    name: "bun",
    open: (streamOptions, sink) => openWorker(workerUrl, streamOptions, sink),
    dumpRoutes: ({ deadlineMs }) => dumpInWorker(workerUrl, deadlineMs),
  };
  return runtime;
}

/** One route dump in a Worker that ends after answering; a Worker that does not answer in time is terminated. */
function dumpInWorker(url: URL, deadlineMs: number): Promise<DumpResult> {
  return new Promise((resolve) => {
    const worker = new Worker(url);
    const finish = (result: DumpResult) => {
      clearTimeout(timer);
      worker.onmessage = null;
      worker.terminate();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ ok: false, error: `the netlink worker gave no route dump within ${deadlineMs / 1000}s` }), deadlineMs + STOP_TIMEOUT_MS);
    worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      const m = event.data;
      if (m.t === "routes") finish(m.result);
      else if (m.t === "error") finish({ ok: false, error: m.message });
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      finish({ ok: false, error: `the netlink worker failed: ${event.message}` });
    };
    (worker as Worker & { unref?: () => void }).unref?.();
    worker.postMessage({ t: "routes", deadlineMs } satisfies WorkerRequest);
  });
}

function openWorker(url: URL, options: StreamOptions, sink: StreamSink): NetlinkStream {
  const worker = new Worker(url);
  let stopFd: number | undefined;
  let stopping = false;
  let finished = false;
  let settle: () => void = () => {};
  const done = new Promise<void>((resolve) => (settle = resolve));

  const signalStop = () => {
    if (stopFd === undefined || finished) return;
    const one = new Uint8Array(new BigUint64Array([1n]).buffer);
    try {
      writeSync(stopFd, one);
    } catch {
      // The worker is gone already; `finish` follows.
    }
  };
  const finish = () => {
    if (finished) return;
    finished = true;
    if (stopFd !== undefined) {
      try {
        closeSync(stopFd);
      } catch {
        // Already closed.
      }
    }
    worker.terminate();
    settle();
  };

  worker.onmessage = (event: MessageEvent<WorkerReply>) => {
    const m = event.data;
    if (m.t === "started") {
      stopFd = m.stopFd;
      if (stopping) signalStop();
    } else if (m.t === "events") sink.events(m.messages);
    else if (m.t === "dump") sink.dump(m.messages, m.cause);
    else if (m.t === "overflow") sink.overflow();
    else if (m.t === "error") sink.error(m.message, m.fatal);
    else finish();
  };
  worker.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    sink.error(`the netlink worker failed: ${event.message}`, true);
    finish();
  };
  (worker as Worker & { unref?: () => void }).unref?.(); // Bun: a forgotten close() must not keep the process alive
  worker.postMessage({ t: "start", options } satisfies WorkerRequest);

  return {
    async close() {
      stopping = true;
      signalStop();
      const timer = setTimeout(finish, STOP_TIMEOUT_MS);
      await done;
      clearTimeout(timer);
    },
  };
}
