import { describe, expect, it } from "bun:test";
import { describeSize, readCapped, unrequestedEncoding } from "../../src/net/read-capped.ts";

/** The capped reader on its own: bodies built in memory, streamed in chunks, counted as they arrive. */
const chunked = (sizes: number[], headers: Record<string, string> = {}) =>
  new Response(new ReadableStream({ start(c) { for (const n of sizes) c.enqueue(new Uint8Array(n).fill(97)); c.close(); } }), { headers });

describe("readCapped", () => {
  it.each<{ name: string; response: () => Response; read?: number }>([
    { name: "an empty body", response: () => new Response(null), read: 0 },
    { name: "a body of exactly the cap in chunks", response: () => chunked([40, 40, 20]), read: 100 },
    { name: "one byte over the cap", response: () => chunked([40, 40, 21]) },
    { name: "a Content-Length over the cap, before any byte", response: () => new Response("a".repeat(10), { headers: { "Content-Length": "101" } }) },
    { name: "Content-Encoding identity", response: () => chunked([10], { "Content-Encoding": "identity" }), read: 10 },
  ])("$name", async ({ response, read }) => {
    const body = await readCapped(response(), 100);
    if (read === undefined) expect(body).toEqual({ ok: false, reason: "too-large", limit: 100 });
    else expect(body.ok ? body.bytes.byteLength : body.reason).toBe(read);
  });

  it("refuses a compressed body without reading it", async () => {
    let pulled = 0;
    const stream = new ReadableStream({ pull(c) { pulled++; c.enqueue(new Uint8Array(10)); } }, { highWaterMark: 0 });
    const body = await readCapped(new Response(stream, { headers: { "Content-Encoding": "gzip" } }), 100);
    expect(body).toEqual({ ok: false, reason: "encoding", encoding: "gzip" });
    expect(pulled).toBe(0);
  });

  it("hands back a stream failure for the caller to classify", async () => {
    const stream = new ReadableStream({ start(c) { c.enqueue(new Uint8Array(5)); }, pull(c) { c.error(new Error("reset")); } });
    const body = await readCapped(new Response(stream), 100);
    expect(body.ok ? "read" : body.reason).toBe("broken");
  });

  it.each([
    { name: "none", value: undefined, expected: undefined },
    { name: "identity", value: "identity", expected: undefined },
    { name: "gzip", value: "gzip", expected: "gzip" },
    { name: "stacked, in any case", value: "identity, GZIP, br", expected: "gzip, br" },
  ])("unrequested encoding: $name", ({ value, expected }) => {
    expect(unrequestedEncoding(new Headers(value === undefined ? {} : { "Content-Encoding": value }))).toBe(expected as never);
  });

  it.each([
    { bytes: 512 * 1024, text: "512 KiB" },
    { bytes: 4096, text: "4 KiB" },
    { bytes: 2 * 1024 * 1024, text: "2 MiB" },
    { bytes: 100, text: "100 bytes" },
  ])("describes $bytes bytes as $text", ({ bytes, text }) => {
    expect(describeSize(bytes)).toBe(text);
  });
});
