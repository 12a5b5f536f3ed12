import { describe, expect, it, setDefaultTimeout } from "bun:test";
import { join } from "node:path";
import { ensureBinary } from "./binary.ts";

/** `bun run demo` (scripts/demo.ts) end to end: what it shows, and that it never points at endpoints already gone. */
setDefaultTimeout(60_000);

describe("the demo", () => {
  it("shows /readyz, /status and /metrics while the daemon runs, stops it cleanly, and ends with how to run it for real", async () => {
    ensureBinary();
    const p = Bun.spawn([process.execPath, join(import.meta.dir, "..", "..", "scripts", "demo.ts")], { stdout: "pipe", stderr: "pipe" });
    const code = await p.exited;
    const out = `${await new Response(p.stdout).text()}${await new Response(p.stderr).text()}`.replace(/\x1b\[[0-9;]*m/g, "");
    expect(code, out).toBe(0);
    const sigterm = out.indexOf("Sending SIGTERM");
    expect(out.indexOf("/status → per record:")).toBeGreaterThan(0);
    expect(out.indexOf("/status → per record:")).toBeLessThan(sigterm);
    expect(out).toContain("home.example.com A 198.51.100.23 ok");
    expect(out).toContain("INFO Shutdown complete");
    const ending = out.slice(out.lastIndexOf("== "));
    expect(ending).toStartWith("== ddnsd exited with code 0; the demo is over");
    expect(ending).not.toMatch(/\btry\b/);
    expect(ending).toContain("set -a && . ./.env && set +a");
  });
});
