/**
 * The log's way out: lines are queued and written asynchronously, one write at a time, so a reader that stops
 * reading (a full pipe, a stuck journald or `docker logs` consumer) never blocks the daemon's loop or its shutdown.
 * The queue is bounded; past it, lines are dropped and counted, and once the output drains again one notice says
 * how many were lost. At exit, `flush` waits for the queue with a deadline.
 */
export interface BoundedWriterDeps {
  /**
   * Writes some of `bytes` (the runtime's asynchronous write to fd 1, src/runtime/stdout-*.ts). Resolves with the
   * number of bytes written, 0 when the output would block (tried again shortly); rejects when it is gone (EPIPE).
   */
  writeChunk: (bytes: Uint8Array) => Promise<number>;
  /** Most bytes held while the output is slow (on top of what the pipe itself holds). */
  maxBytes?: number;
  timers?: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout };
}

export interface BoundedWriter {
  /** Queues one finished line (newline included). Never blocks, never throws; drops the line when the queue is full. */
  write(line: string): void;
  /** Lines dropped so far (ddns_log_lines_dropped_total). */
  dropped(): number;
  /** Called with the number of lines dropped since the last notice, once the output takes lines again. */
  onResume(notice: (dropped: number) => void): void;
  /**
   * Raises the bound by `bytes` from now on, e.g. when the shutdown begins: its few lines then still fit behind a
   * full queue and come out if the reader reads during the exit's flush.
   */
  reserve(bytes: number): void;
  /** Resolves true once every queued line is written, false when `timeoutMs` passes first. */
  flush(timeoutMs: number): Promise<boolean>;
}

/**
 * The bound is not only for a slow reader: a round logs synchronously, so a 1000-record change's ≈ 100 KB of
 * "Updated …" lines are all queued before the first write can start. At 64 KiB, 21 lines of each such change were
 * dropped behind a reader that kept up (docs/memory.md). 512 KiB holds a 5000-record change; what it costs is held
 * only while the output is slow or the burst is being written.
 */
export const DEFAULT_MAX_BYTES = 512 * 1024;
/** Queued lines are coalesced into writes of at most this size. */
const CHUNK_BYTES = 16 * 1024;
/** Pause before retrying a write that would block (a non-blocking fd 1). */
const RETRY_MS = 20;

export function createBoundedWriter(deps: BoundedWriterDeps): BoundedWriter {
  let maxBytes = deps.maxBytes ?? DEFAULT_MAX_BYTES;
  const timers = deps.timers ?? { setTimeout, clearTimeout };
  const encoder = new TextEncoder();
  let queue: Uint8Array[] = [];
  /** Bytes accepted and not yet written, including the chunk being written. */
  let pending = 0;
  let writing = false;
  let gone = false;
  let dropped = 0;
  let unannounced = 0;
  let notice: ((dropped: number) => void) | undefined;
  let idle: Array<() => void> = [];

  function drop(lines: number): void {
    dropped += lines;
    if (!gone) unannounced += lines;
  }

  function announce(): void {
    if (unannounced === 0 || !notice || gone || pending > maxBytes / 2) return;
    const count = unannounced;
    unannounced = 0;
    notice(count);
  }

  /** Takes up to CHUNK_BYTES of whole lines off the queue as one buffer (a single line may be longer). */
  function takeChunk(): { chunk: Uint8Array; lines: number } {
    let size = 0;
    let n = 0;
    while (n < queue.length && (n === 0 || size + queue[n]!.length <= CHUNK_BYTES)) size += queue[n++]!.length;
    const parts = queue.splice(0, n);
    if (parts.length === 1) return { chunk: parts[0]!, lines: 1 };
    const chunk = new Uint8Array(size);
    let at = 0;
    for (const part of parts) {
      chunk.set(part, at);
      at += part.length;
    }
    return { chunk, lines: parts.length };
  }

  async function pump(): Promise<void> {
    writing = true;
    let inFlight = 0;
    try {
      while (queue.length > 0) {
        const { chunk, lines } = takeChunk();
        inFlight = lines;
        let done = 0;
        while (done < chunk.length) {
          const n = await deps.writeChunk(done === 0 ? chunk : chunk.subarray(done));
          if (n > 0) done += n;
          else await new Promise<void>((r) => timers.setTimeout(r, RETRY_MS));
        }
        inFlight = 0;
        pending -= chunk.length;
        announce();
      }
    } catch {
      // The reader is gone (EPIPE, a closed fd): nothing can be written any more; count what is left as dropped.
      gone = true;
      drop(queue.length + inFlight);
      queue = [];
      pending = 0;
    } finally {
      writing = false;
      const waiting = idle;
      idle = [];
      for (const fn of waiting) fn();
    }
  }

  return {
    write(line) {
      if (gone) return drop(1);
      const bytes = encoder.encode(line);
      if (pending + bytes.length > maxBytes) return drop(1);
      queue.push(bytes);
      pending += bytes.length;
      if (!writing) void pump();
    },
    dropped: () => dropped,
    onResume(fn) {
      notice = fn;
    },
    reserve(bytes) {
      maxBytes += bytes;
    },
    flush(timeoutMs) {
      announce();
      if (!writing) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const timer = timers.setTimeout(() => resolve(false), timeoutMs);
        idle.push(() => {
          timers.clearTimeout(timer);
          resolve(true);
        });
      });
    },
  };
}
