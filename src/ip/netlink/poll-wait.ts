import { EAGAIN, EINTR, ENOBUFS, MSG_DONTWAIT, POLLFD_LEN, POLLIN, HOST_LITTLE_ENDIAN as LE, errnoText } from "./constants.ts";
import { concat } from "./dump.ts";
import type { EventWait, Syscalls, Wake } from "./runtime-types.ts";

/**
 * The watcher's wait where a thread may block or park a call: `poll` on [event socket, eventfd], then a drain of the
 * socket with `recv(MSG_DONTWAIT)` to EAGAIN. It owns the socket and closes it on `release`. An ENOBUFS anywhere in the drain makes the whole drain an overflow
 * (the messages read around it are older than the dump that follows). A write to the eventfd stops the loop.
 */

const MAX_RECVS_PER_DRAIN = 256;
const MAX_POLL_FAILURES = 100;

export function createPollWait(sys: Syscalls, fd: number, stopFd: number): EventWait {
  const buf = new Uint8Array(65536);
  const fds = new Uint8Array(2 * POLLFD_LEN);
  const view = new DataView(fds.buffer);
  view.setInt32(0, fd, LE);
  view.setInt32(POLLFD_LEN, stopFd, LE);
  let pollFailures = 0;
  return {
    async next(timeoutMs) {
      for (;;) {
        view.setInt16(4, POLLIN, LE);
        view.setInt16(6, 0, LE);
        view.setInt16(POLLFD_LEN + 4, POLLIN, LE);
        view.setInt16(POLLFD_LEN + 6, 0, LE);
        const ready = await sys.poll(fds, 2, timeoutMs);
        if (ready < 0) {
          if (++pollFailures > MAX_POLL_FAILURES) return { kind: "fatal", error: `poll() keeps failing: ${errnoText(-ready)}` };
          continue;
        }
        pollFailures = 0;
        if (view.getInt16(POLLFD_LEN + 6, LE) !== 0) return { kind: "stop" };
        if (ready === 0) return { kind: "timeout" };
        if (view.getInt16(6, LE) === 0) continue; // a spurious wake-up
        const woke = drain(sys, fd, buf);
        if (woke !== undefined) return woke;
      }
    },
    release: async () => {
      sys.close(fd);
    },
  };
}

/** One drain of the socket: its messages, an overflow, a fatal error, or `undefined` when it held nothing. */
function drain(sys: Syscalls, fd: number, buf: Uint8Array): Wake | undefined {
  const chunks: Uint8Array[] = [];
  let overflow = false;
  for (let i = 0; i < MAX_RECVS_PER_DRAIN; i++) {
    const n = sys.recv(fd, buf, MSG_DONTWAIT);
    if (n > 0) chunks.push(buf.slice(0, n));
    else if (n === -ENOBUFS) overflow = true;
    else if (n === -EINTR) continue;
    else if (n === 0 || n === -EAGAIN) break;
    else return { kind: "fatal", error: `recv() on the netlink socket failed: ${errnoText(-n)}` };
  }
  if (overflow) return { kind: "overflow" };
  return chunks.length > 0 ? { kind: "events", messages: concat(chunks) } : undefined;
}
