/** The part of Bun's FileSink used here (spelled out, so the file type-checks wherever Bun's types are absent). */
type Sink = { write(bytes: Uint8Array): number; flush(): number | Promise<number> };

/**
 * Bun's asynchronous write to fd 1: `Bun.stdout.writer()`, a FileSink that writes a pipe without blocking and
 * waits for it on the event loop, so a reader that stops reading holds back only this promise, never the loop (a
 * synchronous writeSync froze the daemon). Cheaper than node:fs `write`, whose thread-pool threads cost up to
 * ~4 MiB of RSS, and than process.stdout, a Node stream (~1 MiB). The writer resolves with the bytes taken and
 * rejects when the reader is gone (EPIPE). The sink is made at the first write: one-shot commands never make it.
 */
export function createStdoutWriterBun(): (bytes: Uint8Array) => Promise<number> {
  let sink: Sink | undefined;
  return async (bytes) => {
    sink ??= (globalThis as unknown as { Bun: { stdout: { writer(): Sink } } }).Bun.stdout.writer();
    sink.write(bytes);
    await sink.flush();
    return bytes.length;
  };
}
