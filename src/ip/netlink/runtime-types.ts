/**
 * The seam between the netlink source (pure TypeScript, both runtimes) and the FFI adapters: `Syscalls` is the
 * handful of libc calls the socket loop makes; `NetlinkRuntime` runs that loop on the main thread (Bun: the socket read
 * by Bun's event loop; Deno: a nonblocking `poll`) and reports what it reads to a `StreamSink`.
 */

/** libc calls; every one returns the C result, or `-errno` when the call failed (errno read on the same thread). */
export interface Syscalls {
  socket(domain: number, type: number, protocol: number): number;
  bind(fd: number, address: Uint8Array): number;
  setsockopt(fd: number, level: number, name: number, value: Uint8Array): number;
  sendto(fd: number, data: Uint8Array, flags: number, address: Uint8Array): number;
  recv(fd: number, into: Uint8Array, flags: number): number;
  /** `poll(2)` on an array of `struct pollfd`; may be a Promise (Deno parks it off-thread; Bun polls with timeout 0 between short sleeps). */
  poll(fds: Uint8Array, count: number, timeoutMs: number): number | Promise<number>;
  eventfd(initial: number, flags: number): number;
  read(fd: number, into: Uint8Array): number;
  write(fd: number, data: Uint8Array): number;
  close(fd: number): number;
}

/** Why a full dump was taken: the first load, after an ENOBUFS overflow, or the periodic safety re-check. */
export type DumpCause = "initial" | "overflow" | "periodic";

export interface StreamSink {
  /** Raw messages from the subscribed socket, in kernel order (one drain of the socket). */
  events(messages: Uint8Array): void;
  /** A complete link + address dump; replaces the mirror. Events delivered after it are newer than it. */
  dump(messages: Uint8Array, cause: DumpCause): void;
  /** The kernel dropped events (ENOBUFS); a dump follows. */
  overflow(): void;
  /** `fatal`: the stream has stopped and will deliver nothing more. */
  error(message: string, fatal: boolean): void;
}

export interface StreamOptions {
  /** Full dump every this many ms as a safety net (DDNS_POLL_INTERVAL); 0 = never. */
  resyncMs: number;
  /** SO_RCVBUF for the event socket; the kernel default when absent. Tests use a small one to force ENOBUFS. */
  receiveBufferBytes?: number;
  /** How long one dump may take before it is abandoned. */
  dumpDeadlineMs: number;
}

/** What one wait on the event socket gave the watcher loop (src/ip/netlink/socket-loop.ts). */
export type Wake =
  | { kind: "events"; messages: Uint8Array }
  | { kind: "overflow" }
  | { kind: "timeout" }
  | { kind: "stop" }
  | { kind: "fatal"; error: string };

/**
 * How the watcher loop waits on its event socket: `poll` on [socket, eventfd] (poll-wait.ts: Deno, and any thread
 * that may block), or a stream the runtime's own event loop reads (Bun's main thread). `timeoutMs` −1 = no limit.
 */
export interface EventWait {
  next(timeoutMs: number): Promise<Wake>;
  /** Stops reading and closes the event socket (a stream's reader first: it must not read a closed, maybe reused, fd). */
  release(): Promise<void>;
}

export interface NetlinkStream {
  /** Stops the watcher (an eventfd or the stream's stop) and resolves once it has released its sockets. */
  close(): Promise<void>;
}

/** A one-off dump's answer: whole netlink messages in request order, or why there is none. */
export type DumpResult = { ok: true; messages: Uint8Array } | { ok: false; error: string };

export interface NetlinkRuntime {
  readonly name: "bun" | "deno";
  open(options: StreamOptions, sink: StreamSink): NetlinkStream;
  /**
   * One dump of the links and the IPv4 routes (RTM_GETLINK, RTM_GETROUTE; src/ip/netlink/route-dump.ts) on a socket
   * of its own, within `deadlineMs`: the router source's default gateway. Never rejects.
   */
  dumpRoutes(options: { deadlineMs: number }): Promise<DumpResult>;
}

/** What `createNetlinkRuntime()` returns: a runtime, or why netlink cannot be used here at all. */
export type NetlinkRuntimeResult = NetlinkRuntime | { unavailable: string };
