/**
 * Reading a remote answer without trusting its size: every body ddnsd reads goes through `readCapped`, which counts
 * bytes while the body streams and stops (cancelling the stream) as soon as the cap is passed, so an endless or huge
 * answer costs at most the cap plus one network chunk.
 *
 * Compression is refused rather than undone. Requests say `Accept-Encoding: identity` and, on Bun, `decompress:
 * false` (Bun otherwise inflates a gzip, deflate, br or zstd body by itself, whatever the request asked for; Deno
 * leaves the body as sent once the request names its own Accept-Encoding). A body that still arrives with a
 * Content-Encoding other than identity is refused from its headers, before a single byte of it is read: no
 * decompression bomb can inflate anywhere, on either runtime. Runtimes that always decode by themselves (workerd)
 * are adapted where their fetch is made (src/runtime/runtime-decoded-fetch.ts).
 *
 * Neutral on purpose: the IP sources and the provider kit both read through it.
 */

/** Request headers that ask for the body as it is (no compression). */
export const IDENTITY_ENCODING: Readonly<Record<string, string>> = { "Accept-Encoding": "identity" };

/** Fetch init that keeps Bun from inflating a body by itself; other runtimes ignore the unknown member. */
export const RAW_BODY = { decompress: false } as const;

export type CappedBody =
  | { ok: true; bytes: Uint8Array }
  /** The body (counted as received, after any decoding the runtime did) passed `limit` bytes. */
  | { ok: false; reason: "too-large"; limit: number }
  /** The body is compressed although identity was asked for; nothing of it was read. */
  | { ok: false; reason: "encoding"; encoding: string }
  /** The stream failed while it was read (reset, timeout, abort): the error, for the caller to classify. */
  | { ok: false; reason: "broken"; error: unknown };

/** The body's Content-Encoding when it is one ddnsd did not ask for, else undefined. */
export function unrequestedEncoding(headers: Headers): string | undefined {
  const value = headers.get("content-encoding");
  if (value === null) return undefined;
  const codings = value.split(",").map((c) => c.trim().toLowerCase()).filter((c) => c !== "" && c !== "identity");
  return codings.length === 0 ? undefined : codings.join(", ");
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => {});
}

export async function readCapped(response: Response, maxBytes: number): Promise<CappedBody> {
  const encoding = unrequestedEncoding(response.headers);
  if (encoding !== undefined) {
    await discard(response);
    return { ok: false, reason: "encoding", encoding };
  }
  const announced = Number(response.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(announced) && announced > maxBytes) {
    await discard(response);
    return { ok: false, reason: "too-large", limit: maxBytes };
  }
  if (!response.body) return { ok: true, bytes: new Uint8Array(0) };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        return { ok: false, reason: "too-large", limit: maxBytes };
      }
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    return { ok: false, reason: "broken", error };
  }
  if (chunks.length === 1) return { ok: true, bytes: chunks[0]! };
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}

/** `512 KiB`, `4 KiB`, `1 MiB`, `100 bytes`: a cap as an operator reads it. */
export function describeSize(bytes: number): string {
  if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${bytes / (1 << 20)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
