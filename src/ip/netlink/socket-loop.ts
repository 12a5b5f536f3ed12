import {
  AF_NETLINK, EAGAIN, EFD_CLOEXEC, EFD_NONBLOCK, EINTR, ENOBUFS, MSG_DONTWAIT, NETLINK_ROUTE, POLLFD_LEN, POLLIN,
  HOST_LITTLE_ENDIAN as LE, RTMGRP_DDNSD, SOCK_CLOEXEC, SOCK_NONBLOCK, SOCK_RAW, SOL_SOCKET, SO_RCVBUF, errnoText,
} from "./constants.ts";
import { concat, dumpKernelState } from "./dump.ts";
import { encodeSockaddrNl } from "./encode.ts";
import type { DumpCause, StreamOptions, StreamSink, Syscalls } from "./runtime-types.ts";

/**
 * The watcher loop shared by both runtimes: `poll` on [event socket, eventfd]; drain the socket with
 * `recv(MSG_DONTWAIT)` to EAGAIN; on ENOBUFS finish the drain, dump on a separate socket, then carry on reading
 * (the events queued meanwhile replay on top of the dump). A write to the eventfd stops it. No timers: it sleeps
 * in the kernel until something happens or the periodic re-check is due.
 */

const RETRY_DUMP_MS = 1000;
const MAX_RECVS_PER_DRAIN = 256;
const MAX_POLL_FAILURES = 100;

export type OpenedLoop = {
  ok: true;
  /** Write 8 bytes (a u64 ≥ 1) here to stop the loop. The caller closes it once `run` has settled. */
  stopFd: number;
  run(sink: StreamSink): Promise<void>;
};

export function openNetlinkLoop(sys: Syscalls, options: StreamOptions & { now: () => number }): OpenedLoop | { ok: false; error: string } {
  const stopFd = sys.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (stopFd < 0) return { ok: false, error: `eventfd() failed: ${errnoText(-stopFd)}` };
  const fd = sys.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
  const fail = (error: string) => {
    if (fd >= 0) sys.close(fd);
    sys.close(stopFd);
    return { ok: false as const, error };
  };
  if (fd < 0) return fail(`socket(AF_NETLINK, NETLINK_ROUTE) failed: ${errnoText(-fd)}`);
  if (options.receiveBufferBytes !== undefined) {
    const size = new Uint8Array(4);
    new DataView(size.buffer).setInt32(0, options.receiveBufferBytes, LE);
    const rc = sys.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, size);
    if (rc < 0) return fail(`setsockopt(SO_RCVBUF) failed: ${errnoText(-rc)}`);
  }
  const bound = sys.bind(fd, encodeSockaddrNl(RTMGRP_DDNSD));
  if (bound < 0) return fail(`bind() to the address and link groups failed: ${errnoText(-bound)}`);
  return { ok: true, stopFd, run: (sink) => runLoop(sys, fd, stopFd, options, sink) };
}

type Drained = { chunks: Uint8Array[]; overflow: boolean; error?: string };

function drain(sys: Syscalls, fd: number, buf: Uint8Array): Drained {
  const result: Drained = { chunks: [], overflow: false };
  for (let i = 0; i < MAX_RECVS_PER_DRAIN; i++) {
    const n = sys.recv(fd, buf, MSG_DONTWAIT);
    if (n > 0) result.chunks.push(buf.slice(0, n));
    else if (n === -ENOBUFS) result.overflow = true;
    else if (n === -EINTR) continue;
    else if (n === 0 || n === -EAGAIN) break;
    else return { ...result, error: `recv() on the netlink socket failed: ${errnoText(-n)}` };
  }
  return result;
}

async function runLoop(sys: Syscalls, fd: number, stopFd: number, options: StreamOptions & { now: () => number }, sink: StreamSink) {
  const buf = new Uint8Array(65536);
  const fds = new Uint8Array(2 * POLLFD_LEN);
  const view = new DataView(fds.buffer);
  view.setInt32(0, fd, LE);
  view.setInt32(POLLFD_LEN, stopFd, LE);
  let pending: DumpCause | undefined = "initial";
  let dumpAt = options.now();
  let nextResync = Infinity;
  let seq = 1;
  let pollFailures = 0;
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
      const timeout = wakeAt === Infinity ? -1 : Math.max(0, Math.ceil(wakeAt - options.now()));
      view.setInt16(4, POLLIN, LE);
      view.setInt16(6, 0, LE);
      view.setInt16(POLLFD_LEN + 4, POLLIN, LE);
      view.setInt16(POLLFD_LEN + 6, 0, LE);
      const ready = await sys.poll(fds, 2, timeout);
      if (ready < 0) {
        if (++pollFailures > MAX_POLL_FAILURES) return sink.error(`poll() keeps failing: ${errnoText(-ready)}`, true);
        continue;
      }
      pollFailures = 0;
      if (view.getInt16(POLLFD_LEN + 6, LE) !== 0) return; // stop requested through the eventfd
      if (ready === 0 || view.getInt16(6, LE) === 0) continue; // a dump is due, or a spurious wake-up
      const drained = drain(sys, fd, buf);
      if (drained.error) return sink.error(drained.error, true);
      if (drained.overflow) {
        // Messages read around the overflow are older than the dump that follows: drop them.
        sink.overflow();
        pending = "overflow";
        dumpAt = options.now();
      } else if (drained.chunks.length > 0) {
        sink.events(concat(drained.chunks));
      }
    }
  } finally {
    sys.close(fd);
  }
}
