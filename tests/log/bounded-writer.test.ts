import { describe, expect, it } from "bun:test";
import { createBoundedWriter } from "../../src/log/bounded-writer.ts";

/**
 * A fake fd 1: takes whatever it is given while open; while `stuck`, a write waits (as a write to a full pipe whose
 * reader does not read) until `resume()`; `fail()` makes the next writes reject as EPIPE would.
 */
function fakeOutput() {
  const decoder = new TextDecoder();
  let text = "";
  let stuck = false;
  let broken = false;
  let writes = 0;
  let release: (() => void) | undefined;
  const output = {
    text: () => text,
    lines: () => text.split("\n").filter((l) => l !== ""),
    writes: () => writes,
    block: () => void (stuck = true),
    resume: () => {
      stuck = false;
      release?.();
    },
    fail: () => void (broken = true),
    async writeChunk(bytes: Uint8Array): Promise<number> {
      writes++;
      if (stuck) await new Promise<void>((r) => (release = r));
      if (broken) throw Object.assign(new Error("EPIPE: broken pipe"), { code: "EPIPE" });
      text += decoder.decode(bytes);
      return bytes.length;
    },
  };
  return output;
}

const tick = () => new Promise((r) => setTimeout(r, 5));
const line = (i: number) => `INFO line ${String(i).padStart(4, "0")} ${"x".repeat(40)}\n`; // 56 bytes

describe("the log's bounded writer", () => {
  it("writes every line in order, coalescing a burst into few writes", async () => {
    const out = fakeOutput();
    const w = createBoundedWriter({ writeChunk: out.writeChunk });
    for (let i = 0; i < 500; i++) w.write(line(i));
    expect(await w.flush(1000)).toBe(true);
    expect(out.lines()).toEqual(Array.from({ length: 500 }, (_, i) => line(i).trimEnd()));
    expect(out.writes()).toBeLessThan(10);
    expect(w.dropped()).toBe(0);
  });

  it("keeps every line of a 1000-record change's burst (≈ 100 KB logged in one go) when the reader keeps up", async () => {
    // A 1000-record change logs one "Updated …" line per record while the loop is busy: nothing is written until
    // the burst ends. With a 64 KiB bound, 21 lines of each change were dropped behind a reader that read at once.
    const out = fakeOutput();
    const w = createBoundedWriter({ writeChunk: out.writeChunk });
    const updated = (i: number) => `INFO Updated A h${i}.zone${i % 10}.test -> 203.0.113.${1 + (i % 250)} (was 198.51.100.${i % 250}) ${"x".repeat(40)}\n`;
    let bytes = 0;
    for (let i = 0; i < 1000; i++) {
      bytes += updated(i).length;
      w.write(updated(i));
    }
    expect(bytes).toBeGreaterThan(100_000);
    expect(await w.flush(1000)).toBe(true);
    expect(w.dropped()).toBe(0);
    expect(out.lines()).toHaveLength(1000);
  });

  it("never blocks the caller while the output is stuck, drops past the bound and counts what it dropped", async () => {
    const out = fakeOutput();
    const w = createBoundedWriter({ writeChunk: out.writeChunk, maxBytes: 56 * 100 });
    out.block();
    const started = performance.now();
    for (let i = 0; i < 1000; i++) w.write(line(i));
    expect(performance.now() - started).toBeLessThan(200);
    expect(w.dropped()).toBe(900);
    expect(await w.flush(50)).toBe(false);
  });

  it("says once how many lines it dropped, after the lines it kept, when the output reads again", async () => {
    const out = fakeOutput();
    const notices: number[] = [];
    const w = createBoundedWriter({ writeChunk: out.writeChunk, maxBytes: 56 * 100 });
    w.onResume((n) => {
      notices.push(n);
      w.write(`WARN Dropped ${n} log line(s)\n`);
    });
    out.block();
    for (let i = 0; i < 1000; i++) w.write(line(i));
    await tick();
    expect(notices).toEqual([]);
    out.resume();
    expect(await w.flush(1000)).toBe(true);
    expect(notices).toEqual([900]);
    expect(out.lines()).toEqual([...Array.from({ length: 100 }, (_, i) => line(i).trimEnd()), "WARN Dropped 900 log line(s)"]);
    // Later lines flow again, and a quiet period after the notice says nothing more.
    w.write(line(2000));
    expect(await w.flush(1000)).toBe(true);
    expect(out.lines().at(-1)).toBe(line(2000).trimEnd());
    expect(notices).toEqual([900]);
    expect(w.dropped()).toBe(900);
  });

  it("at flush, a slow but living reader still gets the drop notice", async () => {
    const out = fakeOutput();
    const w = createBoundedWriter({ writeChunk: out.writeChunk, maxBytes: 56 * 10 });
    w.onResume((n) => w.write(`WARN Dropped ${n} log line(s)\n`));
    out.block();
    for (let i = 0; i < 20; i++) w.write(line(i));
    setTimeout(() => out.resume(), 20);
    expect(await w.flush(1000)).toBe(true);
    expect(out.lines().at(-1)).toBe("WARN Dropped 10 log line(s)");
  });

  it("retries a write that would block (0 bytes written) instead of losing it", async () => {
    let refusals = 3;
    let text = "";
    const w = createBoundedWriter({
      writeChunk: async (bytes) => {
        if (refusals-- > 0) return 0;
        text += new TextDecoder().decode(bytes.subarray(0, 3)); // a partial write
        return 3;
      },
    });
    w.write("INFO hello\n");
    expect(await w.flush(2000)).toBe(true);
    expect(text).toBe("INFO hello\n");
  });

  it("once the reader is gone (EPIPE), counts every further line as dropped and announces nothing", async () => {
    const out = fakeOutput();
    const notices: number[] = [];
    const w = createBoundedWriter({ writeChunk: out.writeChunk });
    w.onResume((n) => notices.push(n));
    out.fail();
    w.write(line(1));
    expect(await w.flush(1000)).toBe(true);
    for (let i = 0; i < 5; i++) w.write(line(i));
    expect(await w.flush(1000)).toBe(true);
    expect(w.dropped()).toBe(6);
    expect(notices).toEqual([]);
    expect(out.text()).toBe("");
  });

  it("after reserve(), a few more lines fit behind a full queue (the shutdown lines)", async () => {
    const out = fakeOutput();
    const w = createBoundedWriter({ writeChunk: out.writeChunk, maxBytes: 56 * 10 });
    out.block();
    for (let i = 0; i < 20; i++) w.write(line(i));
    w.write("INFO Shutting down daemon\n");
    expect(w.dropped()).toBe(11);
    w.reserve(4096);
    w.write("INFO Received shutdown signal: SIGTERM\n");
    w.write("INFO Shutdown complete\n");
    out.resume();
    expect(await w.flush(1000)).toBe(true);
    expect(out.lines().slice(-2)).toEqual(["INFO Received shutdown signal: SIGTERM", "INFO Shutdown complete"]);
    expect(w.dropped()).toBe(11);
  });
});
