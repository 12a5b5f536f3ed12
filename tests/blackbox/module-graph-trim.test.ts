import { afterAll, afterEach, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { readFileSync, readlinkSync } from "node:fs";
import { fileReader, findElfSection } from "../../src/runtime/elf-section.ts";
import { parseSmaps, sectionSpans } from "../../src/runtime/executable-trim.ts";
import { dropFromPageCache } from "./binary.ts";
import { BINARY, spawnDaemon, type Daemon } from "./harness.ts";
import { startWorld, type TestWorld } from "./world.ts";

/**
 * dist/ddnsd's module graph (the `.bun` section: bytecode and source, 3+ MiB resident once loaded) sits in the
 * executable's writable data mapping; the memory upkeep drops its pages there too (src/runtime/executable-trim.ts).
 * Seen from outside, in the process's own pagemap: few of the section's pages stay resident, none was written, and
 * the daemon still works — its code is read again from those pages whenever a function runs for the first time.
 */
setDefaultTimeout(30_000);
let w: TestWorld;
beforeAll(async () => {
  w = await startWorld({ zones: ["example.com"], v4: "203.0.113.1" });
});
afterAll(() => w.stop());
const running: Daemon[] = [];
afterEach(() => running.splice(0).forEach((d) => d.kill("SIGKILL")));

/** Resident and written (anonymous) KiB of the section's whole pages in process `pid`. */
function sectionPages(pid: number, section: { offset: number; size: number }) {
  const exe = readlinkSync(`/proc/${pid}/exe`);
  const spans = sectionSpans(parseSmaps(readFileSync(`/proc/${pid}/smaps`, "utf8")), exe, [section]);
  let resident = 0;
  let written = 0;
  for (const span of spans) {
    const pages = Number((span.end - span.start) / 4096n);
    const map = new DataView(fileReader(`/proc/${pid}/pagemap`)(Number(span.start / 4096n) * 8, pages * 8).buffer);
    for (let i = 0; i < pages; i++) {
      const high = map.getUint32(i * 8 + 4, true);
      if (high & 0x80000000) resident += 4;
      if (high & 0x80000000 && !(high & 0x20000000)) written += 4;
    }
  }
  return { spans: spans.length, resident, written };
}

describe.skipIf(process.platform !== "linux")("the shipped binary's module graph pages", () => {
  it("leave the RSS after start-up, none of them written, and the daemon keeps working", async () => {
    const section = findElfSection(fileReader(BINARY), ".bun");
    if (typeof section === "string") throw new Error(`dist/ddnsd: ${section}`);
    expect(section.size).toBeGreaterThan(1024 * 1024);
    // Right after a build, 1.4–1.5 MiB of the section came back (large folios): from disk, as the benchmarks measure.
    await dropFromPageCache(BINARY);
    // Idle after its first round (a poll every hour, no HTTP endpoints): nothing reads the section again until SIGHUP.
    const d = spawnDaemon(["run"], w.env({ DDNS_RECORDS: "home.example.com", DDNS_IP_VERSIONS: "4", DDNS_POLL_INTERVAL: "1h" }));
    running.push(d);
    await d.waitForLine("INFO Created A record home.example.com → 203.0.113.1");
    await Bun.sleep(1500); // past the early trims (the first second)
    const pages = sectionPages(d.proc.pid, section);
    expect(pages.spans).toBe(1);
    expect(pages.written).toBe(0);
    // Untrimmed, 3.1 MiB of it stays resident (docs/memory.md); trimmed, what the upkeep's own timers read since the
    // last trim (256–640 KiB seen).
    expect(pages.resident).toBeLessThan(1024);
    w.ip.set({ v4: "203.0.113.2" });
    d.kill("SIGHUP");
    await d.waitForLine("INFO Updated A record home.example.com: 203.0.113.1 → 203.0.113.2");
    d.kill("SIGTERM");
    expect(await d.exited()).toBe(0);
  });
});
