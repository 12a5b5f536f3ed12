import { describe, expect, it } from "bun:test";
import { readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { parseSmaps, trimmable } from "../../src/runtime/executable-trim.ts";
import { trimAtLoad } from "../../src/runtime/memory-upkeep-bun.ts";

/**
 * The trim at load (issue 19, docs/memory.md): src/main.ts imports src/runtime/load-trim.ts before anything else, so
 * the executable's start-up pages are dropped before the other modules are evaluated — the idle daemon's peak was
 * the sum of both. What it buys is measured by bench/busy.ts --idle, not here.
 */

const ROOT = join(import.meta.dir, "..", "..");
const importsOf = (file: string) => [...readFileSync(join(ROOT, file), "utf8").matchAll(/^import\s+(?:[^"';]*?\s+from\s+)?"([^"]+)";/gm)].map((m) => m[1]);

const residentKiB = () => {
  const exe = readlinkSync("/proc/self/exe");
  return trimmable(parseSmaps(readFileSync("/proc/self/smaps", "utf8")), exe).reduce((n, m) => n + m.rss, 0);
};

describe("the executable trim at load", () => {
  it("is src/main.ts's first import, so it runs before the other modules are evaluated", () => {
    expect(importsOf("src/main.ts")[0]).toBe("./runtime/load-trim.ts");
  });

  it("does nothing at load but the JavaScriptCore options' re-exec, then the trim", () => {
    expect(importsOf("src/runtime/load-trim.ts")).toEqual(["./jsc-options.ts", "./memory-upkeep-bun.ts"]);
    const calls = [...readFileSync(join(ROOT, "src/runtime/load-trim.ts"), "utf8").matchAll(/^(\w+)\(\);$/gm)].map((m) => m[1]);
    expect(calls).toEqual(["reexecWithJscOptions", "trimAtLoad"]);
  });

  it.skipIf(process.platform !== "linux")("drops the resident read-only pages of the running executable", () => {
    const before = residentKiB();
    expect(before).toBeGreaterThan(1024);
    trimAtLoad();
    // What is resident again by the time smaps is read is the code that reads it: far less than before.
    expect(residentKiB()).toBeLessThan(before / 2);
  });
});
