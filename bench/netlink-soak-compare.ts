/**
 * bench/netlink-soak-compare: the netlink fault-injection soak (tests/reliability/soak-run.ts, the netlink world:
 * a network namespace, the fake Cloudflare API failing ≈ 30 % of requests) run on two builds in turn, interleaved,
 * to compare their memory: peak RSS (VmHWM from exec on), the RSS after warm-up and the growth. Needs root.
 *
 *   bun bench/netlink-soak-compare.ts --base /tmp/base/ddnsd --candidate dist/ddnsd [--changes 400] [--runs 2]
 */
import { runSoak } from "../tests/reliability/soak-run.ts";
import { netlinkSoakWorld, netlinkUnavailable } from "../tests/reliability/soak-worlds.ts";
import { argNumber } from "./lib.ts";

const arg = (name: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const builds = { base: arg("base"), candidate: arg("candidate") ?? "dist/ddnsd" };
const changes = argNumber("changes", 400);
const runs = argNumber("runs", 2);
if (!builds.base) throw new Error("--base PATH is required (a build to compare against)");
const unavailable = netlinkUnavailable();
if (unavailable !== undefined) throw new Error(`netlink soak unavailable: ${unavailable}`);

const mib = (kb: number) => (kb / 1024).toFixed(1);
const rows: string[][] = [];
for (let run = 1; run <= runs; run++) {
  for (const [name, binary] of Object.entries(builds)) {
    const started = new Date().toISOString().slice(11, 19);
    const f = await runSoak(await netlinkSoakWorld(), { changes, seed: 10 + run, binary: binary! });
    const ok = f.finalMatches && f.garbageWrites.length === 0 && f.duplicates === 0 && f.daemonExited === null;
    rows.push([`${name} ${run}`, started, mib(f.peakKb), mib(f.rssWarmupKb), mib(f.rssMaxKb), `${f.rssGrowthPct} %`, String(f.changes), ok ? "yes" : "NO"]);
    console.log(rows.at(-1)!.join("  "));
  }
}
console.log(`\nNetlink soak, ${changes} changes per run (peak = VmHWM; RSS in MiB)`);
console.log("| build, run | start (UTC) | peak | RSS after warm-up | RSS max | growth | changes | properties hold |");
console.log("|---|---|---|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
