import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { readFileSync } from "node:fs";
import { spawnDaemon } from "./harness.ts";
import { startWorld, type TestWorld } from "./world.ts";

/**
 * dist/ddnsd runs with its JavaScriptCore options (src/runtime/jsc-options.ts) although nobody set them: it
 * re-executes itself once, in the same process, before it does anything. An operator's own value wins. Exit codes
 * and arguments across the re-exec: every test of tests/blackbox/cli.test.ts runs through it.
 */
setDefaultTimeout(30_000);
let w: TestWorld;
beforeAll(async () => {
  w = await startWorld({ zones: ["example.com"], v4: "203.0.113.1" });
});
afterAll(() => w.stop());

const environOf = (pid: number) => Object.fromEntries(readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));

describe.skipIf(process.platform !== "linux")("the shipped binary's JavaScriptCore options", () => {
  const cases = [
    { name: "are added when nobody set them, in the process that was started", set: {}, expected: "524288" },
    { name: "are the operator's when set (0: JSC's own heuristics)", set: { BUN_JSC_gcMaxHeapSize: "0" }, expected: "0" },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const d = spawnDaemon(["run"], w.env({ DDNS_RECORDS: "home.example.com", DDNS_IP_VERSIONS: "4", ...c.set }));
      await d.waitForLine("INFO Ready to monitor IP changes");
      const environ = environOf(d.proc.pid); // the PID Bun.spawn returned: execve kept it
      expect(environ.BUN_JSC_gcMaxHeapSize).toBe(c.expected);
      expect(environ.DDNS_RECORDS).toBe("home.example.com");
      expect(d.lines.filter((l) => l.includes("Ready to monitor IP changes"))).toHaveLength(1); // started once, as seen from outside
      d.kill("SIGTERM");
      expect(await d.exited()).toBe(0);
    });
  }
});
