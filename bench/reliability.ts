/**
 * The reliability figures in one table: the fuzz tests at a larger scale (the same test files the suite runs, with
 * DDNSD_FUZZ_SCALE), the fault-injection soak, the SIGKILL campaign, and the HTTP-abuse and shutdown tests.
 *
 *   bun run build && bun bench/reliability.ts [--scale 10] [--soak-changes 1000] [--kills 400] [--seed 1]
 *
 * Columns: cases tried; faults injected (malformed inputs, provider faults, abusive requests); crashes (SIGKILLs
 * the daemon survived); garbage writes (provider writes of an address the source did not give as good); duplicates
 * (records left twice); max RSS growth (over the warmed-up daemon); peak RSS, the daemon's VmHWM from exec on (issue
 * 19: never above 56 MiB in any scenario; the crash campaign's is the highest of the processes it killed, read just
 * before each SIGKILL). Exits 1 when anything failed.
 */
import { join } from "node:path";
import { runCrashCampaign } from "../tests/reliability/crash-campaign.ts";
import { ABUSE_REQUESTS } from "../tests/reliability/http-abuse.ts";
import { fuzzCases } from "../tests/reliability/fuzz-kit.ts";
import { runSoak } from "../tests/reliability/soak-run.ts";
import { httpSoakWorld, netlinkSoakWorld, netlinkUnavailable } from "../tests/reliability/soak-worlds.ts";
import { argNumber } from "./lib.ts";

const root = join(import.meta.dir, "..");
const scale = argNumber("scale", 10);
const seed = argNumber("seed", 1);
const soakChanges = argNumber("soak-changes", 1000);
const kills = argNumber("kills", 400);

interface Row {
  area: string;
  cases: string;
  faults: string;
  crashes: string;
  garbage: string;
  duplicates: string;
  rss: string;
  peak: string;
  ok: boolean;
}
const rows: Row[] = [];
const started = performance.now();
const mib = (kb: number) => `${(kb / 1024).toFixed(1)} MiB`;
const log = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(5)} s] ${line}`);

/** Runs test files under `bun test` and returns pass/fail counts and the output; `timeoutMs`: per test. */
async function bunTest(files: string[], env: Record<string, string> = {}, timeoutMs?: number) {
  const proc = Bun.spawn(["bun", "test", ...(timeoutMs ? ["--timeout", String(timeoutMs)] : []), ...files], { cwd: root, env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe" });
  const out = `${await new Response(proc.stdout).text()}${await new Response(proc.stderr).text()}`;
  const count = (word: string) => Number(new RegExp(`^ *(\\d+) ${word}$`, "m").exec(out)?.[1] ?? 0);
  return { code: await proc.exited, pass: count("pass"), fail: count("fail"), out };
}

const fuzzEnv = { DDNSD_FUZZ_SCALE: String(scale), DDNSD_FUZZ_SEED: String(seed) };
const fuzz = fuzzCases(scale);
for (const [area, file, counts] of [
  ["config fuzzing", "config-fuzz", fuzz.config],
  ["parser fuzzing (IP answer, netlink, DynDNS2)", "parsers-fuzz", fuzz.parsers],
  ["DNS message fuzzing (wire, TSIG, RFC 2136)", "dns-fuzz", fuzz.dns],
] as const) {
  log(`${area}: running tests/reliability/${file}.test.ts at scale ${scale}`);
  // The fuzz tests' budgets are sized for bun test's 5 s per test at scale 1: `scale` times the cases get `scale` times that.
  const r = await bunTest([`tests/reliability/${file}.test.ts`], fuzzEnv, 5000 * scale);
  const ok = r.code === 0 && r.fail === 0;
  if (!ok) console.log(r.out.slice(-3000));
  rows.push({ area, cases: String(counts.cases), faults: String(counts.malformed), crashes: "0", garbage: "–", duplicates: "–", rss: "–", peak: "–", ok });
}

const source = netlinkUnavailable() === undefined ? "netlink" : "http";
log(`soak: ${soakChanges} address changes, ${source} source`);
const soak = await runSoak(source === "netlink" ? await netlinkSoakWorld() : await httpSoakWorld(), { changes: soakChanges, seed: seed + 10, progress: log });
rows.push({
  area: `fault-injection soak (${source} source, ~30 % provider faults)`,
  cases: `${soak.changes} changes, ${soak.requests} requests`,
  faults: String(soak.faultsInjected + soak.garbageSteps),
  crashes: soak.daemonExited === null ? "0" : "1",
  garbage: String(soak.garbageWrites.length),
  duplicates: String(soak.duplicates),
  rss: `${soak.rssGrowthPct} %`,
  peak: mib(soak.peakKb),
  ok: soak.garbageWrites.length === 0 && soak.duplicates === 0 && soak.finalMatches && soak.daemonExited === null && soak.rssGrowthPct <= 10,
});

const tenth = Math.max(1, Math.floor(soak.rssTrace.length / 10));
log(`soak: ${soak.changes} changes + ${soak.garbageSteps} garbage steps in ${soak.seconds} s; ${soak.requests} requests, ${soak.faultsInjected} faults, ${soak.writes} writes; records right at the end: ${soak.finalMatches}; RSS ${(soak.rssWarmupKb / 1024).toFixed(1)} → max ${(soak.rssMaxKb / 1024).toFixed(1)} MiB, peak (VmHWM) ${mib(soak.peakKb)}; curve ${soak.rssTrace.filter((_, i) => i % tenth === 0).map((kb) => (kb / 1024).toFixed(1)).join(" ")}`);
for (const line of [...soak.garbageWrites, ...soak.tail].slice(0, 12)) log(`soak: ${line}`);

log(`crash safety: ${kills} SIGKILLs`);
const crash = await runCrashCampaign({ kills, runKills: Math.ceil(kills / 25), seed: seed + 20, progress: log });
rows.push({
  area: "crash safety (SIGKILL + restart, file state)",
  cases: `${crash.cycles} restarts`,
  faults: `${crash.killsInProviderWrite} in provider writes, ${crash.killsInStateWrite} in state writes, ${crash.corruptPlanted} corrupt files`,
  crashes: String(crash.kills),
  garbage: String(crash.violations.length),
  duplicates: String(crash.duplicates),
  rss: "–",
  peak: crash.peakKb ? mib(crash.peakKb) : "–",
  ok: crash.violations.length === 0 && crash.duplicates === 0 && crash.stale === 0 && crash.tmpFilesLeft === 0 && crash.movedAside === crash.corruptPlanted,
});
for (const v of crash.violations.slice(0, 10)) console.log(`crash violation: ${v}`);
log(`crash safety: ${crash.cycles} runs, ${crash.kills} SIGKILLs (${crash.killsInProviderWrite} in provider writes, ${crash.killsInStateWrite} inside state writes), ${crash.completedRuns} complete runs checked, ${crash.movedAside}/${crash.corruptPlanted} corrupt files moved aside, ${crash.tmpFilesLeft} temporary files left, ${crash.stale} stale`);

log("HTTP abuse and shutdown under pressure");
const abuse = await bunTest(["tests/reliability/http-abuse.test.ts"]);
const growth = /peak \+(\d+) kB/.exec(abuse.out)?.[1];
const abuseHwm = /VmHWM (\d+) kB/.exec(abuse.out)?.[1];
rows.push({
  area: "HTTP abuse (500 held + 500 concurrent)",
  cases: String(ABUSE_REQUESTS.length * 4 + 1000),
  faults: String(ABUSE_REQUESTS.length * 4 + 500),
  crashes: "0",
  garbage: "–",
  duplicates: "–",
  rss: growth ? `+${(Number(growth) / 1024).toFixed(1)} MiB peak` : "?",
  peak: abuseHwm ? mib(Number(abuseHwm)) : "?",
  ok: abuse.code === 0,
});
const shutdown = await bunTest(["tests/reliability/shutdown.test.ts"]);
rows.push({ area: "shutdown under pressure", cases: String(shutdown.pass + shutdown.fail), faults: "hung provider, hung start", crashes: "0", garbage: "–", duplicates: "–", rss: "–", peak: "–", ok: shutdown.code === 0 });

const header: Row = { area: "area", cases: "cases tried", faults: "faults injected", crashes: "crashes (SIGKILL)", garbage: "garbage writes", duplicates: "duplicates", rss: "max RSS growth", peak: "peak RSS, VmHWM", ok: true };
const keys = ["area", "cases", "faults", "crashes", "garbage", "duplicates", "rss", "peak"] as const;
const widths = keys.map((k) => Math.max(...[header, ...rows].map((r) => r[k].length)));
const line = (r: Row) => `| ${keys.map((k, i) => r[k].padEnd(widths[i]!)).join(" | ")} | ${r === header ? "result" : r.ok ? "ok    " : "FAILED"} |`;
console.log(`\nddnsd reliability (bun bench/reliability.ts --scale ${scale} --soak-changes ${soakChanges} --kills ${kills} --seed ${seed})\n`);
console.log(line(header));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|--------|`);
for (const r of rows) console.log(line(r));
console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s`);
process.exit(rows.every((r) => r.ok) ? 0 : 1);
