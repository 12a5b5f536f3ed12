import { heapStats } from "bun:jsc";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../../src/log/logger.ts";
import { createCloudflareProvider } from "../../src/providers/cloudflare/provider.ts";
import type { RecordRequest } from "../../src/providers/kit/types.ts";
import { spawnDaemon } from "../blackbox/harness.ts";
import { rssKb, SOAK_FAULTS } from "./soak-run.ts";
import { netlinkSoakWorld } from "./soak-worlds.ts";

/**
 * Where a soak's RSS goes, one part at a time (bench/soak.ts --isolate), to tell a leak from the collector's swing:
 * - the netlink path of dist/ddnsd alone: hundreds of thousands of kernel events about private addresses, which the
 *   daemon weighs but never publishes (no round, no request);
 * - the Cloudflare provider and the runtime's fetch alone, in this process: thousands of rounds against the fake API
 *   (in a child process) failing ~30 % of requests, with and without a forced full collection before each reading.
 * A leak grows with the work; a collector's swing does not.
 */

export async function netlinkPathRss(thousands: number, progress: (line: string) => void): Promise<number[]> {
  const w = await netlinkSoakWorld();
  await w.setAddresses({ v4: "203.0.113.5", v6: "2001:db8::5" });
  const d = spawnDaemon([], w.env, [], { prefix: w.prefix });
  const ns = w.prefix[3]!;
  const out: number[] = [];
  try {
    await d.waitForLine("INFO Ready to monitor IP changes");
    out.push(rssKb(d.proc.pid));
    for (let k = 0; k < thousands / 10; k++) {
      for (let b = 0; b < 50; b++) {
        const lines = Array.from({ length: 100 }, (_, i) => [`addr add 10.98.${b}.${i + 1}/32 dev va`, `addr del 10.98.${b}.${i + 1}/32 dev va`]).flat();
        Bun.spawnSync(["ip", "-n", ns, "-batch", "-"], { stdin: new TextEncoder().encode(`${lines.join("\n")}\n`) });
        await Bun.sleep(50);
      }
      out.push(rssKb(d.proc.pid));
      progress(`netlink path: ${(k + 1) * 10}k events, RSS ${out.at(-1)} kB`);
    }
    return out;
  } finally {
    d.kill("SIGKILL");
    await d.exited().catch(() => 0);
    await w.stop();
  }
}

export async function providerRss(rounds: number, forceGc: boolean, progress: (line: string) => void): Promise<Array<{ rssKb: number; heapKb: number }>> {
  const socket = join(tmpdir(), `ddnsd-memiso-${process.pid}-${Date.now()}.sock`);
  const token = `memiso-${process.pid}-s3cret`;
  const fake = Bun.spawn(["bun", join(import.meta.dir, "netns-fake.ts"), token, socket], { stdout: "pipe", stderr: "inherit" });
  const banner = new TextDecoder().decode((await (fake.stdout as ReadableStream<Uint8Array>).getReader().read()).value);
  const api = /READY (\S+)/.exec(banner)?.[1];
  if (!api) throw new Error(`the fake did not start: ${banner}`);
  // No rate-limit fault: its Retry-After would pause every request; hangs answer after 700 ms, past a 500 ms timeout.
  const faults = SOAK_FAULTS.filter((r) => r.kind !== "rate-limit").map((r) => (r.kind === "hang" ? { ...r, delayMs: 700 } : r));
  await fetch("http://localhost/_control/faults", { method: "POST", body: JSON.stringify(faults), unix: socket } as RequestInit);
  const provider = createCloudflareProvider(
    { token, apiUrl: api },
    { fetch: globalThis.fetch.bind(globalThis), onRequest: () => {}, now: Date.now, random: Math.random, userAgent: "ddnsd-test",
      log: createLogger({ level: "error", format: "text", write: () => {}, secrets: [token] }) },
    { timeoutMs: 500, rateLimit: { limit: 1e9, windowMs: 1000 } },
  );
  const own = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1]);
  const out: Array<{ rssKb: number; heapKb: number }> = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const requests: RecordRequest[] = ["home", "www"].flatMap((h) => [
        { name: `${h}.example.com`, type: "A" as const, content: `203.0.113.${1 + (i % 250)}` },
        { name: `${h}.example.com`, type: "AAAA" as const, content: `2001:db8::${(i % 5000).toString(16)}` },
      ]);
      await provider.setRecords(requests, { signal: AbortSignal.timeout(5000), dryRun: false });
      if (i % 1000 === 999) {
        if (i % 5000 === 4999) await fetch("http://localhost/_control/requests", { method: "DELETE", unix: socket } as RequestInit);
        if (forceGc) Bun.gc(true);
        out.push({ rssKb: own(), heapKb: Math.round(heapStats().heapSize / 1024) });
        progress(`provider${forceGc ? " (full GC)" : ""}: ${i + 1} rounds, RSS ${out.at(-1)!.rssKb} kB, JS heap ${out.at(-1)!.heapKb} kB`);
      }
    }
    return out;
  } finally {
    fake.kill("SIGTERM");
    await fake.exited;
  }
}
