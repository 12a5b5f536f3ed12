/** The sliver of Deno's API used here, typed locally (tsc knows Bun's types, not Deno's). */
type DenoStdout = { Deno: { stdout: { write(bytes: Uint8Array): Promise<number> } } };

/**
 * Deno's asynchronous write to fd 1: `Deno.stdout.write` does not hold the event loop while the reader is not
 * reading (node:fs `write` does, on Deno). The writer resolves with the bytes written, 0 when fd 1 would block,
 * and rejects when the reader is gone (BrokenPipe).
 */
export function createStdoutWriterDeno(): (bytes: Uint8Array) => Promise<number> {
  return async (bytes) => {
    try {
      return await (globalThis as unknown as DenoStdout).Deno.stdout.write(bytes);
    } catch (error) {
      if ((error as Error).name === "WouldBlock") return 0;
      throw error;
    }
  };
}
