import { splitMessages } from "../../ip/netlink/parse.ts";
import type { EventWait, Wake } from "../../ip/netlink/runtime-types.ts";

/**
 * The watcher's wait on Bun's main thread: the nonblocking event socket read by Bun's own event loop through
 * `Bun.file(fd).stream()` — no Worker (a second JavaScript VM, ≈ 6–10 MiB; issue 19) and no timer. Measured with
 * bench/netlink-fd-wait.ts (Bun 1.4.5): an event arrives ≈ 0.35 ms after `ip` returns, a chunk holds whole
 * datagrams (Bun may join several reads into one), an idle wait costs no CPU, and a full receive buffer surfaces as
 * the stream's `ENOBUFS` error. Bun reads a duplicate of the fd and closes that itself; a second stream on the same
 * socket after an error stalled in tests/ip/netlink-overflow.test.ts, so an overflow replaces the socket: the new
 * one is bound before the loop's dump, which therefore covers every event the old one lost.
 */

/** What the wait uses of a stream's reader. */
export interface ChunkReader {
  read(): Promise<{ done: true; value?: undefined } | { done: false; value: Uint8Array }>;
  cancel(): Promise<void>;
}
export type OpenReader = (fd: number) => ChunkReader;
export interface EventSocket {
  open(): { ok: true; fd: number } | { ok: false; error: string };
  close(fd: number): void;
}

const bunReader: OpenReader = (fd) =>
  (globalThis as unknown as { Bun: { file(fd: number): Blob } }).Bun.file(fd).stream().getReader() as unknown as ChunkReader;

export function createStreamWait(socket: EventSocket, firstFd: number, openReader: OpenReader = bunReader): EventWait & { stop(): void } {
  let fd: number | undefined = firstFd;
  let reader: ChunkReader | undefined;
  let reading = false;
  let ready: Wake | undefined; // a read that finished after its wait timed out, for the next wait
  let waiter: ((woke: Wake) => void) | undefined;
  let stopped = false;
  // No Promise.race against a long-lived promise: every race would leave a reaction on it holding that wait's
  // result (an events chunk) until the promise settles — a leak of every chunk read (measured: +160 000 objects
  // over 30 000 events). One promise per wait, settled by whichever comes first, holds nothing afterwards.
  const deliver = (woke: Wake) => {
    const settle = waiter;
    waiter = undefined;
    if (settle) settle(woke);
    else ready = woke;
  };

  const read = (from: ChunkReader) => {
    reading = true;
    void from
      .read()
      .then(
        (r): Wake => (r.done ? { kind: "fatal", error: "the netlink socket's stream ended" } : wakeOf(r.value)),
        (error: unknown): Wake => {
          if ((error as { code?: string }).code !== "ENOBUFS") {
            return { kind: "fatal", error: `reading the netlink socket failed: ${error instanceof Error ? error.message : String(error)}` };
          }
          reader = undefined; // the errored stream has let go of its duplicate fd
          if (fd !== undefined) socket.close(fd);
          const fresh = socket.open();
          fd = fresh.ok ? fresh.fd : undefined;
          return fresh.ok ? { kind: "overflow" } : { kind: "fatal", error: `after an overflow, ${fresh.error}` };
        },
      )
      .then((woke) => {
        reading = false;
        if (!stopped) deliver(woke);
      });
  };

  return {
    next(timeoutMs) {
      if (stopped || fd === undefined) return Promise.resolve({ kind: "stop" });
      if (ready !== undefined) {
        const woke = ready;
        ready = undefined;
        return Promise.resolve(woke);
      }
      reader ??= openReader(fd);
      if (!reading) read(reader);
      return new Promise<Wake>((resolve) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        waiter = (woke) => {
          clearTimeout(timer);
          resolve(woke);
        };
        if (timeoutMs >= 0) {
          timer = setTimeout(() => {
            waiter = undefined; // the read stays in progress; what it gives goes to the next wait
            resolve({ kind: "timeout" });
          }, timeoutMs);
        }
      });
    },
    stop() {
      stopped = true;
      const settle = waiter;
      waiter = undefined;
      settle?.({ kind: "stop" });
    },
    async release() {
      const current = reader;
      reader = undefined;
      await current?.cancel().catch(() => {});
      if (fd !== undefined) socket.close(fd);
      fd = undefined;
    },
  };
}

/** A chunk of whole messages is events; one that cuts a message (a datagram truncated by a short read) is treated as lost events: the loop re-dumps. */
function wakeOf(chunk: Uint8Array): Wake {
  return splitMessages(chunk).error === undefined ? { kind: "events", messages: chunk } : { kind: "overflow" };
}
