import type { NetlinkRuntime, NetlinkRuntimeResult, NetlinkStream, StreamOptions, StreamSink, Syscalls } from "../../ip/netlink/runtime-types.ts";
import { openNetlinkLoop } from "../../ip/netlink/socket-loop.ts";
import { dumpRoutes } from "../../ip/netlink/route-dump.ts";

/**
 * The Deno netlink runtime: libc through `Deno.dlopen` (needs --allow-ffi) and the shared socket loop, waiting in
 * `poll` on the main thread (poll-wait.ts): `poll` is declared `nonblocking: true`, so Deno parks it on a helper thread and
 * resolves a Promise; every other call is synchronous and reads errno right after, on the same thread. The router
 * source's one-off route dump runs the same way. The Deno namespace is used only inside functions, so Bun may load
 * this file without calling it.
 */

const LIBC_NAMES = ["libc.so.6", "libc.musl-x86_64.so.1", "libc.musl-aarch64.so.1", "libc.so"];
const EINTR = 4;

const SYMBOLS = {
  socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
  bind: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  setsockopt: { parameters: ["i32", "i32", "i32", "buffer", "u32"], result: "i32" },
  sendto: { parameters: ["i32", "buffer", "usize", "i32", "buffer", "u32"], result: "isize" },
  recv: { parameters: ["i32", "buffer", "usize", "i32"], result: "isize" },
  poll: { parameters: ["buffer", "u64", "i32"], result: "i32", nonblocking: true },
  eventfd: { parameters: ["u32", "i32"], result: "i32" },
  read: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  write: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  close: { parameters: ["i32"], result: "i32" },
  __errno_location: { parameters: [], result: "pointer" },
} as const;

type Int = number | bigint;
/** The symbols as this file calls them (Deno's own types are stricter about `bigint` for 64-bit values). */
interface Libc {
  socket(domain: number, type: number, protocol: number): number;
  bind(fd: number, address: Uint8Array, length: number): number;
  setsockopt(fd: number, level: number, name: number, value: Uint8Array, length: number): number;
  sendto(fd: number, data: Uint8Array, length: Int, flags: number, address: Uint8Array, addressLength: number): Int;
  recv(fd: number, into: Uint8Array, length: Int, flags: number): Int;
  poll(fds: Uint8Array, count: Int, timeoutMs: number): Promise<number>;
  eventfd(initial: number, flags: number): number;
  read(fd: number, into: Uint8Array, length: Int): Int;
  write(fd: number, data: Uint8Array, length: Int): Int;
  close(fd: number): number;
  __errno_location(): Deno.PointerValue;
}

/** The Syscalls, or why libc could not be loaded (no --allow-ffi, no such library). */
function openLibcDeno(): Syscalls | string {
  const failures: string[] = [];
  for (const name of LIBC_NAMES) {
    try {
      const c = Deno.dlopen(name, SYMBOLS).symbols as unknown as Libc;
      const errnoPointer = c.__errno_location();
      const result = (value: Int): number => {
        const n = Number(value);
        if (n >= 0) return n;
        return errnoPointer === null ? -1 : -new Deno.UnsafePointerView(errnoPointer).getInt32(0);
      };
      return {
        socket: (domain, type, protocol) => result(c.socket(domain, type, protocol)),
        bind: (fd, address) => result(c.bind(fd, address, address.length)),
        setsockopt: (fd, level, name, value) => result(c.setsockopt(fd, level, name, value, value.length)),
        sendto: (fd, data, flags, address) => result(c.sendto(fd, data, data.length, flags, address, address.length)),
        recv: (fd, into, flags) => result(c.recv(fd, into, into.length, flags)),
        // errno of a nonblocking call belongs to Deno's helper thread: report a failed poll as EINTR (retried).
        poll: async (fds, count, timeoutMs) => {
          const n = await c.poll(fds, count, timeoutMs);
          return n < 0 ? -EINTR : n;
        },
        eventfd: (initial, flags) => result(c.eventfd(initial, flags)),
        read: (fd, into) => result(c.read(fd, into, into.length)),
        write: (fd, data) => result(c.write(fd, data, data.length)),
        close: (fd) => result(c.close(fd)),
      };
    } catch (error) {
      failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return `could not load the C library (${failures.join("; ")})`;
}

/** Why this Deno process cannot use netlink, or the Syscalls. */
function loadLibc(platform: string): Syscalls | string {
  if (platform !== "linux") return `netlink exists only on Linux (this is ${platform})`;
  if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") {
    return "Deno runs without --allow-ffi (add it to the deno run command or the task)";
  }
  return openLibcDeno();
}

export function createNetlinkRuntime(options?: { platform: string }): NetlinkRuntimeResult {
  const sys = loadLibc(options?.platform ?? Deno.build.os);
  if (typeof sys === "string") return { unavailable: sys };
  let seq = 1;
  const runtime: NetlinkRuntime = {
    name: "deno",
    open: (streamOptions, sink) => openOnMainThread(sys, streamOptions, sink),
    dumpRoutes: ({ deadlineMs }) =>
      dumpRoutes(sys, { deadlineMs, now: () => performance.now(), seq: (seq += 16) }).catch((error: unknown) => ({
        ok: false as const,
        error: `the route dump failed: ${error instanceof Error ? error.message : String(error)}`,
      })),
  };
  return runtime;
}

function openOnMainThread(sys: Syscalls, options: StreamOptions, sink: StreamSink): NetlinkStream {
  const loop = openNetlinkLoop(sys, { ...options, now: () => performance.now() });
  if (!loop.ok) {
    queueMicrotask(() => sink.error(loop.error, true));
    return { close: async () => {} };
  }
  let finished = false;
  const running = loop
    .run(sink)
    .catch((error: unknown) => sink.error(`netlink loop crashed: ${error instanceof Error ? error.message : String(error)}`, true))
    .finally(() => {
      finished = true;
      sys.close(loop.stopFd);
    });
  return {
    async close() {
      if (!finished) sys.write(loop.stopFd, new Uint8Array(new BigUint64Array([1n]).buffer));
      await running;
    },
  };
}
