/**
 * bench/busy: dist/ddnsd's memory under the load of issue 19, and idle — the binary as shipped (no environment
 * variable but its configuration), or with `--env` settings to compare.
 *
 *   busy (default): 1000 A records over 10 zones against the fake Cloudflare API, the http source polled every 1 s,
 *        the echoed address changing every 2 s, `/metrics` scraped every second, for 180 s;
 *   idle (`--idle`): 100 records over 10 zones, a poll every 30 s, nothing else, for 60 s;
 *   soak (`--soak`): the busy load for an hour; the medians of the 10-minute windows, and the last window's against
 *        the second one (the issue's criterion: within 5 %).
 *
 *   bun bench/busy.ts [--idle | --soak [--window S]] [--records N] [--seconds S] [--change-every S] [--scrape-every S]
 *                     [--env KEY=VALUE]… [--binary PATH] [--probe] [--warm-cache] [--sample-every S]
 *                     (0 s: no changes, no scrapes)
 *
 * Figures: peak RSS (VmHWM, from exec on), RSS sampled every second (median, max, samples above 40/56/64 MiB), its
 * anonymous part, and at the sample with the most RSS where it sits (bench/smaps.ts). `--probe` adds the view from
 * inside (bench/probe.ts: the JavaScriptCore heap and process.memoryUsage()) — it preloads a module, so
 * its RSS is not the shipped one. The binary is dropped from the page cache first (see footprint-runs.ts). The
 * daemon logs at its default level (info) into a pipe this process drains, as a container runtime would.
 */
import { coldCache } from "./footprint-runs.ts";
import { argNumber, median, printTable, procCpuSeconds, procMinorFaults } from "./lib.ts";
import { BINARY, requireBinary } from "./ours.ts";
import { probeEnv, readProbe, type ProbeSample } from "./probe.ts";
import { PARTS, smapsBreakdown, statusMemory, type Breakdown } from "./smaps.ts";
import { TOKEN, freePort, startWorld } from "./world.ts";
import { join, resolve } from "node:path";

export interface BusyOptions {
  records: number;
  zones: number;
  seconds: number;
  /** 0: the address never changes. */
  changeEveryMs: number;
  /** 0: nobody scrapes /metrics. */
  scrapeEveryMs: number;
  pollInterval: string;
  env?: Record<string, string>;
  binary?: string;
  probe?: boolean;
  /** false: leave the binary in the page cache as it is (by default it is dropped first, as after a reboot). */
  coldCache?: boolean;
  /** Memory sample period (ms). */
  sampleEveryMs?: number;
  progress?: (line: string) => void;
}

export interface BusyResult {
  /** VmHWM at the end (KiB): the peak from exec on, startup included. */
  peakKiB: number;
  /** VmHWM when /readyz first answered 200 (KiB): the start-up's share of the peak. */
  readyPeakKiB: number;
  /** RSS, anonymous part (KiB), one per sample during the load. */
  rss: number[];
  anon: number[];
  /** Sample times, s after the load began. */
  at: number[];
  /** Where the memory sat at the sample with the most RSS, and at the end of the load. */
  atMax: Breakdown;
  atEnd: Breakdown;
  probe: ProbeSample[];
  startupMs: number;
  changes: number;
  apiRequests: number;
  scrapes: number;
  /** Every record held the last address within 30 s of the last change. */
  converged: boolean;
  /** The daemon's CPU over the load, % of one core. */
  cpuPct: number;
  /** Minor page faults per second over the load. */
  faultsPerS: number;
  exitCode: number;
}

export const BUSY: BusyOptions = { records: 1000, zones: 10, seconds: 180, changeEveryMs: 2000, scrapeEveryMs: 1000, pollInterval: "1s" };
export const IDLE: BusyOptions = { records: 100, zones: 10, seconds: 60, changeEveryMs: 0, scrapeEveryMs: 0, pollInterval: "30s" };

const addressAt = (i: number) => `203.0.113.${1 + (i % 250)}`;

export async function busyRun(o: BusyOptions): Promise<BusyResult> {
  requireBinary();
  const binary = resolve(o.binary ?? BINARY);
  const say = o.progress ?? (() => {});
  if (o.coldCache !== false) await coldCache(binary, ["--version"]);
  const zones = Array.from({ length: o.zones }, (_, i) => `zone${i}.test`);
  const world = await startWorld({ zones, v4: addressAt(0) });
  const names = Array.from({ length: o.records }, (_, i) => `h${i}.${zones[i % zones.length]}`);
  const port = await freePort();
  const started = performance.now();
  const proc = Bun.spawn([binary], {
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      DDNS_PROVIDER_TYPE: "cloudflare",
      DDNS_PROVIDER_API_TOKEN: TOKEN,
      DDNS_PROVIDER_API_URL: world.url,
      DDNS_RECORDS: names.join(","),
      DDNS_IP_VERSIONS: "4",
      DDNS_IP_SOURCE_URLS_V4: `${world.origin}/v4`,
      DDNS_HTTP_ADDR: `127.0.0.1:${port}`,
      DDNS_POLL_INTERVAL: o.pollInterval,
      ...(o.probe ? probeEnv(join(import.meta.dir, "..", ".tmp", "bench-probe")) : {}),
      ...o.env,
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  const probe: ProbeSample[] = [];
  const stderr: string[] = [];
  void new Response(proc.stdout).arrayBuffer().catch(() => undefined); // drained, as a container runtime would
  const stderrDone = readProbe(proc.stderr, probe, (line) => void (stderr.length < 50 && stderr.push(line)));
  const base = `http://127.0.0.1:${port}`;
  const rss: number[] = [];
  const anon: number[] = [];
  const at: number[] = [];
  let atMax = smapsBreakdown(proc.pid, binary);
  let maxRss = 0;
  let changes = 0;
  let scrapes = 0;
  let apiRequests = 0;
  const timers: Array<ReturnType<typeof setInterval>> = [];
  try {
    for (;;) {
      const status = await fetch(`${base}/readyz`).then((r) => r.status, () => 0);
      if (status === 200) break;
      if (proc.exitCode !== null) throw new Error(`dist/ddnsd exited with ${proc.exitCode} before it was ready: ${stderr.join(" | ")}`);
      if (performance.now() - started > 120_000) throw new Error("dist/ddnsd was not ready within 120 s");
      await Bun.sleep(20);
    }
    const startupMs = performance.now() - started;
    const readyPeakKiB = statusMemory(proc.pid).hwm;
    const t0 = performance.now();
    const cpu0 = procCpuSeconds(proc.pid);
    const faults0 = procMinorFaults(proc.pid);
    // The fake's request log would grow for an hour: count and clear it every 10 s.
    const drainLog = () => {
      apiRequests += world.requests().length;
      world.cf.clearRequests();
    };
    drainLog();
    apiRequests = 0;
    if (o.changeEveryMs > 0) timers.push(setInterval(() => world.ip.set({ v4: addressAt(++changes) }), o.changeEveryMs));
    if (o.scrapeEveryMs > 0) {
      timers.push(setInterval(() => {
        void fetch(`${base}/metrics`).then((r) => r.text()).then(() => void scrapes++, () => undefined);
      }, o.scrapeEveryMs));
    }
    timers.push(setInterval(drainLog, 10_000));
    const sampleEvery = o.sampleEveryMs ?? 1000;
    let lastReport = t0;
    while (performance.now() - t0 < o.seconds * 1000) {
      await Bun.sleep(sampleEvery);
      if (proc.exitCode !== null) break;
      const m = statusMemory(proc.pid);
      rss.push(m.rss);
      anon.push(m.anon);
      at.push((performance.now() - t0) / 1000);
      if (m.rss > maxRss) {
        maxRss = m.rss;
        atMax = smapsBreakdown(proc.pid, binary);
      }
      if (performance.now() - lastReport > 60_000) {
        lastReport = performance.now();
        say(`${at.at(-1)!.toFixed(0)} s: RSS ${(m.rss / 1024).toFixed(1)} MiB (anonymous ${(m.anon / 1024).toFixed(1)}), ${changes} changes, ${scrapes} scrapes`);
      }
    }
    for (const t of timers) clearInterval(t);
    timers.length = 0;
    const atEnd = smapsBreakdown(proc.pid, binary);
    const loadS = (performance.now() - t0) / 1000;
    const cpuPct = ((procCpuSeconds(proc.pid) - cpu0) / loadS) * 100;
    const faultsPerS = (procMinorFaults(proc.pid) - faults0) / loadS;
    const last = addressAt(changes);
    let converged = false;
    for (const deadline = performance.now() + 30_000; performance.now() < deadline && proc.exitCode === null; await Bun.sleep(100)) {
      const all = world.cf.records({ type: "A" });
      if (all.length >= o.records && all.every((r) => r.content === last)) {
        converged = true;
        break;
      }
    }
    drainLog();
    const peakKiB = statusMemory(proc.pid).hwm;
    proc.kill("SIGTERM");
    const exitCode = await proc.exited;
    await stderrDone.catch(() => undefined);
    return { peakKiB, readyPeakKiB, rss, anon, at, atMax, atEnd, probe, startupMs, changes, apiRequests, scrapes, converged, cpuPct, faultsPerS, exitCode };
  } finally {
    for (const t of timers) clearInterval(t);
    if (proc.exitCode === null) proc.kill("SIGKILL");
    await world.stop();
  }
}

const mib = (kib: number) => (kib / 1024).toFixed(1);
const bytesMiB = (b: number) => (b / 1024 / 1024).toFixed(1);

/** Ten (or fewer) values spread over `values`: the maximum of each tenth. */
export function curve(values: number[]): number[] {
  const step = Math.max(1, Math.ceil(values.length / 10));
  const out: number[] = [];
  for (let i = 0; i < values.length; i += step) out.push(Math.max(...values.slice(i, i + step)));
  return out;
}

/** The medians of consecutive windows of `windowS` seconds. */
export function windowMedians(values: number[], at: number[], windowS: number): number[] {
  const out: number[][] = [];
  values.forEach((v, i) => (out[Math.floor(at[i]! / windowS)] ??= []).push(v));
  return out.filter((w) => w && w.length).map(median);
}

export function describe(r: BusyResult): Array<[string, string]> {
  const above = (mibLimit: number) => r.rss.filter((kb) => kb > mibLimit * 1024).length;
  const rows: Array<[string, string]> = [
    ["startup to first round (ms)", r.startupMs.toFixed(0)],
    ["peak RSS, VmHWM (MiB)", mib(r.peakKiB)],
    ["  of which reached by readiness (VmHWM at /readyz 200, MiB)", mib(r.readyPeakKiB)],
    ["RSS median / max over the load (MiB)", `${mib(median(r.rss))} / ${mib(Math.max(...r.rss))}`],
    ["anonymous median / max (MiB)", `${mib(median(r.anon))} / ${mib(Math.max(...r.anon))}`],
    ["samples above 40 / 56 / 64 MiB", `${above(40)} / ${above(56)} / ${above(64)} of ${r.rss.length}`],
    ...PARTS.map((p): [string, string] => [`  ${p}: at max / at end (MiB, anonymous)`, `${mib(r.atMax[p].rss)} (${mib(r.atMax[p].anon)}) / ${mib(r.atEnd[p].rss)} (${mib(r.atEnd[p].anon)})`]),
    ["RSS curve (MiB, every tenth of the load)", curve(r.rss).map(mib).join(" ")],
    ["address changes / API requests per change", `${r.changes} / ${r.changes ? (r.apiRequests / r.changes).toFixed(1) : "–"}`],
    ["/metrics scrapes", String(r.scrapes)],
    ["records hold the last address", r.converged ? "yes" : "NO"],
    ["daemon CPU over the load (% of one core)", r.cpuPct.toFixed(1)],
    ["minor page faults per second over the load", r.faultsPerS.toFixed(0)],
    ["exit code after SIGTERM", String(r.exitCode)],
  ];
  if (r.probe.length) {
    const max = (k: keyof ProbeSample) => Math.max(...r.probe.map((p) => p[k]));
    const med = (k: keyof ProbeSample) => median(r.probe.map((p) => p[k]));
    rows.push(
      ["probe: JSC heap live, median / max (MiB)", `${bytesMiB(med("heap"))} / ${bytesMiB(max("heap"))}`],
      ["probe: JSC heap capacity, median / max (MiB)", `${bytesMiB(med("heapCapacity"))} / ${bytesMiB(max("heapCapacity"))}`],
      ["probe: JSC extra memory, max (MiB)", bytesMiB(max("extra"))],
      ["probe: memoryUsage heapTotal / external, max (MiB)", `${bytesMiB(max("heapTotal"))} / ${bytesMiB(max("external"))}`],
    );
  }
  return rows;
}

if (import.meta.main) {
  const soak = process.argv.includes("--soak");
  const base = process.argv.includes("--idle") ? IDLE : BUSY;
  const env: Record<string, string> = {};
  process.argv.forEach((a, i) => {
    if (a !== "--env") return;
    const [k, ...v] = process.argv[i + 1]!.split("=");
    env[k!] = v.join("=");
  });
  const at = process.argv.indexOf("--binary");
  const options: BusyOptions = {
    ...base,
    records: argNumber("records", base.records),
    changeEveryMs: argNumber("change-every", base.changeEveryMs / 1000) * 1000,
    scrapeEveryMs: argNumber("scrape-every", base.scrapeEveryMs / 1000) * 1000,
    seconds: argNumber("seconds", soak ? 3600 : base.seconds),
    env,
    probe: process.argv.includes("--probe"),
    coldCache: !process.argv.includes("--warm-cache"),
    sampleEveryMs: argNumber("sample-every", 1) * 1000, // not 5 s: the trim runs every 5 s, and samples in step with it see only its lows
    progress: (line) => console.error(`[busy] ${line}`),
    ...(at >= 0 ? { binary: process.argv[at + 1]! } : {}),
  };
  const what = options.changeEveryMs ? `${options.records} records / ${options.zones} zones, a change every ${options.changeEveryMs / 1000} s, /metrics every ${options.scrapeEveryMs / 1000} s` : `${options.records} records / ${options.zones} zones, idle (poll ${options.pollInterval})`;
  const r = await busyRun(options);
  const rows = describe(r);
  if (soak) {
    const windowS = argNumber("window", 600);
    // Whole windows only: the sample taken as the load ends would make a window of its own.
    const whole = r.at.map((t, i) => i).filter((i) => r.at[i]! < Math.floor(options.seconds / windowS) * windowS);
    for (const [name, values] of [["RSS", r.rss], ["anonymous", r.anon]] as const) {
      const w = windowMedians(whole.map((i) => values[i]!), whole.map((i) => r.at[i]!), windowS);
      const growth = w.length >= 2 ? ((w.at(-1)! - w[1]!) / w[1]!) * 100 : NaN;
      rows.push([`${name} median per ${windowS} s window (MiB)`, w.map(mib).join(" ")]);
      rows.push([`${name}: the last window against the second one (limit ±5 %)`, `${growth >= 0 ? "+" : ""}${growth.toFixed(1)} %`]);
    }
  }
  printTable(`${soak ? "soak" : "busy"}: ${what}, ${options.seconds} s${Object.keys(env).length ? `, env ${JSON.stringify(env)}` : ", no environment settings"}`, rows);
}
