import {
  AF_NETLINK, EFD_CLOEXEC, EFD_NONBLOCK, NETLINK_ROUTE, HOST_LITTLE_ENDIAN as LE, RTMGRP_DDNSD, SOCK_CLOEXEC,
  SOCK_NONBLOCK, SOCK_RAW, SOL_SOCKET, SO_RCVBUF, errnoText,
} from "./constants.ts";
import { dumpKernelState } from "./dump.ts";
import { encodeSockaddrNl } from "./encode.ts";
import { createPollWait } from "./poll-wait.ts";
import type { DumpCause, EventWait, StreamOptions, StreamSink, Syscalls } from "./runtime-types.ts";

/**
 * The watcher loop shared by every runtime: a dump first, then whatever the event socket's wait gives — events to
 * the sink; on an overflow a dump on a separate socket, after which reading carries on (the events queued meanwhile
 * replay on top of the dump). No timers of its own: the wait ends when something happens or the periodic re-check
 * is due. How it waits is the runtime's: `poll` (poll-wait.ts) or a stream of the runtime's event loop.
 */

const RETRY_DUMP_MS = 1000;

export type LoopOptions = StreamOptions & { now: () => number };

export type OpenedLoop = {
  ok: true;
  /** Write 8 bytes (a u64 ≥ 1) here to stop the loop. The caller closes it once `run` has settled. */
  stopFd: number;
  run(sink: StreamSink): Promise<void>;
};

/** The subscribed event socket (nonblocking, bound to the address and link groups), or why there is none. */
export function openEventSocket(sys: Syscalls, options: StreamOptions): { ok: true; fd: number } | { ok: false; error: string } {
  const fd = sys.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
  if (fd < 0) return { ok: false, error: `socket(AF_NETLINK, NETLINK_ROUTE) failed: ${errnoText(-fd)}` };
  const fail = (error: string) => {
    sys.close(fd);
    return { ok: false as const, error };
  };
  if (options.receiveBufferBytes !== undefined) {
    const size = new Uint8Array(4);
    new DataView(size.buffer).setInt32(0, options.receiveBufferBytes, LE);
    const rc = sys.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, size);
    if (rc < 0) return fail(`setsockopt(SO_RCVBUF) failed: ${errnoText(-rc)}`);
  }
  const bound = sys.bind(fd, encodeSockaddrNl(RTMGRP_DDNSD));
  if (bound < 0) return fail(`bind() to the address and link groups failed: ${errnoText(-bound)}`);
  return { ok: true, fd };
}

/** The loop on `poll` with an eventfd to stop it: Deno's main thread (a parked poll), or a thread that may block. */
export function openNetlinkLoop(sys: Syscalls, options: LoopOptions): OpenedLoop | { ok: false; error: string } {
  const stopFd = sys.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (stopFd < 0) return { ok: false, error: `eventfd() failed: ${errnoText(-stopFd)}` };
  const socket = openEventSocket(sys, options);
  if (!socket.ok) {
    sys.close(stopFd);
    return socket;
  }
  return { ok: true, stopFd, run: (sink) => runNetlinkLoop(sys, createPollWait(sys, socket.fd, stopFd), options, sink) };
}

/** Runs until the wait says stop or fails for good; then releases the wait (which closes its socket). */
export async function runNetlinkLoop(sys: Syscalls, wait: EventWait, options: LoopOptions, sink: StreamSink): Promise<void> {
  let pending: DumpCause | undefined = "initial";
  let dumpAt = options.now();
  let nextResync = Infinity;
  let seq = 1;
  try {
    for (;;) {
      if (pending === undefined && options.now() >= nextResync) {
        pending = "periodic";
        dumpAt = options.now();
      }
      if (pending !== undefined && options.now() >= dumpAt) {
        const dumped = await dumpKernelState(sys, { deadlineMs: options.dumpDeadlineMs, now: options.now, seq });
        seq += 16;
        if (dumped.ok) {
          sink.dump(dumped.messages, pending);
          pending = undefined;
          if (options.resyncMs > 0) nextResync = options.now() + options.resyncMs;
        } else {
          sink.error(`netlink dump (${pending}) failed, retrying in ${RETRY_DUMP_MS / 1000}s: ${dumped.error}`, false);
          dumpAt = options.now() + RETRY_DUMP_MS;
        }
      }
      const wakeAt = pending !== undefined ? dumpAt : nextResync;
      const woke = await wait.next(wakeAt === Infinity ? -1 : Math.max(0, Math.ceil(wakeAt - options.now())));
      if (woke.kind === "stop") return;
      if (woke.kind === "fatal") return sink.error(woke.error, true);
      if (woke.kind === "overflow") {
        sink.overflow();
        pending = "overflow";
        dumpAt = options.now();
      } else if (woke.kind === "events") sink.events(woke.messages);
    }
  } finally {
    await wait.release();
  }
}
