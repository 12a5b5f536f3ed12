import { describe, expect, it } from "bun:test";
import { join } from "node:path";

/**
 * The UDP adapter (src/runtime/udp-socket.ts) on Deno: node:dgram there reports 0.0.0.0 as a connected socket's local
 * address, so PCP's client address comes from the interface towards the router — the strict fake router answers
 * ADDRESS_MISMATCH to anything else (RFC 6887 §8.3).
 */
const ROOT = join(import.meta.dir, "..", "..");

describe.skipIf(!Bun.which("deno"))("the router source's UDP socket on Deno", () => {
  it("reads the address over PCP and NAT-PMP", async () => {
    const proc = Bun.spawn(["deno", "run", "--node-modules-dir=none", "--allow-net", "--allow-env", "--allow-read", "--allow-sys", "tests/router/loopback-probe.ts"], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout.trim().split("\n").at(-1)!)).toEqual([
      { ok: true, family: 4, address: "203.0.113.7", source: "router 127.0.0.1 (PCP)" },
      { ok: true, family: 4, address: "203.0.113.7", source: "router 127.0.0.1 (NAT-PMP)" },
    ]);
  }, 60_000);
});
