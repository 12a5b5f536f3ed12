/**
 * The long fault-injection soak: dist/ddnsd against the fake Cloudflare API failing about 30 % of requests with every
 * fault kind, while the address changes (and sometimes turns to garbage) until `--changes` good changes were made.
 * Prints the figures and the RSS curve; exits 1 when a property does not hold.
 *
 *   bun run build && bun bench/soak.ts [--changes 1000] [--seed 7] [--http]
 *   bun bench/soak.ts --isolate     # the RSS of the netlink path and of the provider + fetch, each alone
 *
 * Default: the netlink source in a network namespace (needs root; a change every 650 ms, ~13 minutes for 1000).
 * `--http`: the http source against the IP echo, one change per 1 s poll round (~20 minutes for 1000). The same
 * runs, bounded, are tests/reliability/soak.test.ts.
 */
import { netlinkPathRss, providerRss } from "../tests/reliability/memory-isolation.ts";
import { runSoak, SOAK_FAULTS, SOAK_RECORDS } from "../tests/reliability/soak-run.ts";
import { httpSoakWorld, netlinkSoakWorld, netlinkUnavailable } from "../tests/reliability/soak-worlds.ts";
import { argNumber, printTable } from "./lib.ts";

const mib = (kb: number) => (kb / 1024).toFixed(1);
if (process.argv.includes("--isolate")) {
  // Where the soak's RSS goes, one part at a time: a leak grows with the work, a collector's swing does not.
  const quiet = () => {};
  const path = netlinkUnavailable() === undefined ? await netlinkPathRss(200, quiet) : [];
  const gc = await providerRss(20_000, true, quiet);
  const lazy = await providerRss(20_000, false, quiet);
  const span = (xs: number[]) => `${mib(Math.min(...xs))}–${mib(Math.max(...xs))} MiB`;
  printTable("Memory, one part at a time", [
    ["dist/ddnsd netlink path, RSS every 10k events (200k)", path.map(mib).join(" ") || "(netlink unavailable)"],
    ["provider + fetch, 20k rounds, full GC before each reading", `RSS ${span(gc.map((x) => x.rssKb))}, JS heap ${span(gc.map((x) => x.heapKb))}`],
    ["provider + fetch, 20k rounds, collector left alone", `RSS ${span(lazy.map((x) => x.rssKb))}, JS heap ${span(lazy.map((x) => x.heapKb))}`],
    ["RSS every 1000 rounds (full GC)", gc.map((x) => mib(x.rssKb)).join(" ")],
    ["RSS every 1000 rounds (left alone)", lazy.map((x) => mib(x.rssKb)).join(" ")],
  ]);
  process.exit(0);
}

const changes = argNumber("changes", 1000);
const seed = argNumber("seed", 7);
const wanted = process.argv.includes("--http") ? "http" : "netlink";
const source = wanted === "netlink" && netlinkUnavailable() !== undefined ? "http" : wanted;
if (source !== wanted) console.log(`netlink unavailable (${netlinkUnavailable()}); using the http source`);
console.log(`soak: ${changes} changes, ${source} source, ${SOAK_RECORDS.length} names × A and AAAA, ${SOAK_FAULTS.length} fault rules, seed ${seed}`);
const world = source === "netlink" ? await netlinkSoakWorld() : await httpSoakWorld();
const f = await runSoak(world, { changes, seed, progress: (line) => console.log(line) });

const pct = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(1)} %`;
printTable(`Fault-injection soak (dist/ddnsd, ${source} source, fake Cloudflare)`, [
  ["address changes", String(f.changes)],
  ["steps with a garbage address", String(f.garbageSteps)],
  ["API requests", String(f.requests)],
  ["faults injected", `${f.faultsInjected} (${pct(f.faultsInjected, f.requests)} of requests)`],
  ["writes (POST/PATCH/PUT/DELETE)", String(f.writes)],
  ["garbage writes", String(f.garbageWrites.length)],
  ["duplicate records at the end", String(f.duplicates)],
  ["records equal the last address", f.finalMatches ? "yes" : "NO"],
  ["daemon exited during the run", f.daemonExited === null ? "no" : `yes (${f.daemonExited})`],
  ["RSS after warm-up (max, first 20 %)", `${(f.rssWarmupKb / 1024).toFixed(1)} MiB`],
  ["RSS max after warm-up", `${(f.rssMaxKb / 1024).toFixed(1)} MiB`],
  ["max RSS growth", `${f.rssGrowthPct} % (limit 10 %)`],
  ["duration", `${f.seconds} s`],
]);
const tenth = Math.max(1, Math.floor(f.rssTrace.length / 10));
console.log(`\nRSS (MiB) every ${tenth} steps: ${f.rssTrace.filter((_, i) => i % tenth === 0).map(mib).join(" ")}`);
for (const g of f.garbageWrites.slice(0, 10)) console.log(`garbage write: ${g}`);
for (const line of f.tail) console.log(`daemon (not converged): ${line}`);

const ok = f.garbageWrites.length === 0 && f.duplicates === 0 && f.finalMatches && f.daemonExited === null && f.rssGrowthPct <= 10;
console.log(ok ? "\nsoak: every property held" : "\nsoak: A PROPERTY FAILED");
process.exit(ok ? 0 : 1);
