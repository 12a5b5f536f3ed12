/**
 * bench/footprint: dist/ddnsd managing 100 records against the fake Cloudflare API.
 * Prints startup-to-first-round time, RSS, private memory, peak RSS after the run and idle CPU, as median
 * (min–max) over repeated runs. Usage: bun bench/footprint.ts [--seconds 60] [--runs 3] [--records 100]
 * Extra env for the daemon (e.g. BUN_JSC_useJIT=0) is passed through with --env KEY=VALUE (repeatable).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { startFakeCloudflare } from "../tests/fakes/cloudflare/fake-cloudflare.ts";
import { createIpEcho } from "../tests/fakes/ip-echo.ts";
import { argNumber, printTable, procCpuSeconds, procMemory, spread } from "./lib.ts";

const BINARY = join(import.meta.dir, "..", "dist", "ddnsd");
const seconds = argNumber("seconds", 60);
const runs = argNumber("runs", 3);
const count = argNumber("records", 100);
const extraEnv: Record<string, string> = {};
process.argv.forEach((a, i) => {
  if (a === "--env") {
    const [k, ...v] = process.argv[i + 1]!.split("=");
    extraEnv[k!] = v.join("=");
  }
});

if (!existsSync(BINARY)) throw new Error("dist/ddnsd is missing: run `bun run build` first");

interface Sample { startupMs: number; rssMiB: number; privateMiB: number; peakMiB: number; idleCpuPct: number }

async function once(run: number): Promise<Sample> {
  const token = `bench-token-${run}`;
  const ip = createIpEcho({ v4: "203.0.113.7" });
  const cf = await startFakeCloudflare({ token, zones: ["example.com"], extraHandler: (r) => ip.handle(r) });
  const port = 20000 + Math.floor(Math.random() * 20000);
  const records = Array.from({ length: count }, (_, i) => `r${i}.example.com`).join(",");
  const started = performance.now();
  const proc = Bun.spawn([BINARY], {
    env: {
      PATH: process.env.PATH ?? "", DDNS_PROVIDER_TYPE: "cloudflare", DDNS_PROVIDER_API_TOKEN: token, DDNS_PROVIDER_API_URL: cf.url,
      DDNS_RECORDS: records, DDNS_IP_VERSIONS: "4", DDNS_IP_SOURCE_URLS_V4: `${cf.origin}/v4`, DDNS_HTTP_ADDR: `127.0.0.1:${port}`,
      DDNS_POLL_INTERVAL: "30s", DDNS_LOG_LEVEL: "warn", ...extraEnv,
    },
    stdout: "ignore", stderr: "inherit",
  });
  let startupMs = NaN;
  for (;;) {
    const status = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status, () => 0);
    if (status === 200) {
      startupMs = performance.now() - started;
      break;
    }
    if (performance.now() - started > 60_000) throw new Error("the daemon did not become ready within 60 s");
    await Bun.sleep(10);
  }
  const cpu0 = procCpuSeconds(proc.pid);
  const idleFrom = performance.now();
  await Bun.sleep(seconds * 1000);
  const cpu1 = procCpuSeconds(proc.pid);
  const mem = procMemory(proc.pid);
  const idleCpuPct = ((cpu1 - cpu0) / ((performance.now() - idleFrom) / 1000)) * 100;
  proc.kill("SIGTERM");
  await proc.exited;
  await cf.stop();
  if (cf.records().length < count) throw new Error(`only ${cf.records().length} of ${count} records were created`);
  return { startupMs, rssMiB: mem.rssKiB / 1024, privateMiB: mem.privateKiB / 1024, peakMiB: mem.peakKiB / 1024, idleCpuPct };
}

const samples: Sample[] = [];
for (let i = 0; i < runs; i++) samples.push(await once(i));
const col = (k: keyof Sample) => samples.map((s) => s[k]);
printTable(`footprint: ${count} records, ${seconds} s after the first round, ${runs} run(s), median (min–max)${Object.keys(extraEnv).length ? `, env ${JSON.stringify(extraEnv)}` : ""}`, [
  ["startup to first round (ms)", spread(col("startupMs"), 0)],
  ["RSS (MiB)", spread(col("rssMiB"))],
  ["private memory (MiB)", spread(col("privateMiB"))],
  ["peak RSS (MiB)", spread(col("peakMiB"))],
  ["idle CPU (% of one core)", spread(col("idleCpuPct"), 2)],
]);
