import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { spawnDaemon } from "./harness.ts";
import { startWorld, until, type TestWorld } from "./world.ts";

/**
 * A 1000-record change logs one line per record while the round runs, ≈ 100 KB before the first write can start.
 * Behind a reader that keeps up, every one of those lines must come out: with the log queue bounded at 64 KiB, 21 of
 * each change's lines were dropped, and the notice blamed the reader.
 */
setDefaultTimeout(60_000);
const ZONES = Array.from({ length: 10 }, (_, i) => `zone${i}.test`);
const NAMES = Array.from({ length: 1000 }, (_, i) => `h${i}.${ZONES[i % ZONES.length]}`);
/** A record name in a log line. */
const RECORD_NAME = /\bh\d+\.zone\d\.test\b/;
let w: TestWorld;
beforeAll(async () => {
  w = await startWorld({ zones: ZONES, v4: "203.0.113.1" });
});
afterAll(() => w.stop());

describe("a 1000-record change behind a reader that keeps up", () => {
  it("logs a line for every record of every change and drops none", async () => {
    const d = spawnDaemon(["run"], w.env({ DDNS_RECORDS: NAMES.join(","), DDNS_IP_VERSIONS: "4" }));
    const linesFor = (address: string) => d.lines.filter((l) => l.includes(address) && RECORD_NAME.test(l));
    await until(() => linesFor("203.0.113.1").length, (n) => n >= NAMES.length, 30_000, "the first round's lines");
    for (const address of ["203.0.113.2", "203.0.113.3"]) {
      w.ip.set({ v4: address });
      await until(() => w.cf.records({ type: "A" }).every((r) => r.content === address), (ok) => ok, 30_000, `every record on ${address}`);
      const named = () => new Set(linesFor(address).map((l) => RECORD_NAME.exec(l)![0])).size;
      expect(await until(named, (n) => n >= NAMES.length, 10_000, `a line per record for ${address} (records named)`)).toBe(NAMES.length);
    }
    d.kill("SIGTERM");
    expect(await d.exited()).toBe(0);
    expect(d.lines.filter((l) => l.includes("Dropped"))).toEqual([]);
  });
});
