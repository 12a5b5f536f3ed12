import { createBrotliCompress, createDeflate, createGzip, createZstdCompress } from "node:zlib";
import type { Transform } from "node:stream";

/**
 * Answers a hostile or broken server gives, for the fakes and the HTTP tests (Bun-only): decompression bombs
 * (megabytes of zeros compressed to a few kilobytes, served with their Content-Encoding), endless bodies, bodies
 * that trickle one byte at a time, and a body whose connection breaks off.
 */

export type BombEncoding = "gzip" | "deflate" | "br" | "zstd";

const MiB = 1 << 20;
const compressors: Record<BombEncoding, () => Transform> = {
  gzip: () => createGzip({ level: 9 }),
  deflate: () => createDeflate({ level: 9 }),
  br: () => createBrotliCompress(),
  zstd: () => createZstdCompress(),
};
const bombs = new Map<string, Promise<Uint8Array>>();

/** `mib` MiB of zeros compressed with `encoding` (cached per process; 1 GiB of gzip is about 1 MiB). */
export function compressedZeros(encoding: BombEncoding, mib: number): Promise<Uint8Array> {
  const key = `${encoding}/${mib}`;
  let bomb = bombs.get(key);
  if (!bomb) {
    bomb = new Promise<Uint8Array>((resolve, reject) => {
      const z = compressors[encoding]();
      const out: Buffer[] = [];
      z.on("data", (c: Buffer) => out.push(c));
      z.on("end", () => resolve(new Uint8Array(Buffer.concat(out))));
      z.on("error", reject);
      const zeros = Buffer.alloc(MiB);
      let left = mib;
      const pump = () => {
        while (left > 0) {
          left--;
          if (!z.write(zeros)) return void z.once("drain", pump);
        }
        z.end();
      };
      pump();
    });
    bombs.set(key, bomb);
  }
  return bomb;
}

/** A decompression bomb as a server sends it: the compressed bytes with their Content-Encoding. */
export async function bombResponse(encoding: BombEncoding, mib: number, contentType = "application/json"): Promise<Response> {
  return new Response(await compressedZeros(encoding, mib), { headers: { "Content-Encoding": encoding, "Content-Type": contentType } });
}

/** A body that never ends (64 KiB chunks of `fill` as fast as the client reads); `sent()` counts bytes handed out. */
export function endlessResponse(fill = "0".charCodeAt(0), contentType = "application/json"): { response: Response; sent: () => number } {
  let sent = 0;
  const chunk = new Uint8Array(64 * 1024).fill(fill);
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { response: new Response(body, { headers: { "Content-Type": contentType } }), sent: () => sent };
}

/** `text`, one byte every `intervalMs` (a server that keeps the connection alive without ever finishing). */
export function trickleResponse(text: string, intervalMs: number, contentType = "application/json"): Response {
  const bytes = new TextEncoder().encode(text);
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await Bun.sleep(intervalMs);
      if (i >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(i, ++i));
    },
  });
  return new Response(body, { headers: { "Content-Type": contentType } });
}

/** Headers, then part of a body, then the connection breaks off (the stream errors: Bun closes the socket). */
export function brokenOffResponse(prefix: string): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(prefix));
    },
    async pull(controller) {
      await Bun.sleep(20);
      controller.error(undefined);
    },
  });
  return new Response(body, { headers: { "Content-Type": "application/json" } });
}

/** The connection closes without any answer. */
export function resetResponse(): Response {
  return new Response(new ReadableStream({ start: (c) => c.error(undefined) }));
}
