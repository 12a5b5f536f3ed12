/**
 * `bun run bench`: ddnsd's performance figures and the classic tools (ddclient, inadyn from Debian) side by side,
 * in one table. Builds dist/ddnsd when it is missing and installs the peers with apt-get when they are missing.
 * Needs root (network namespace for netlink, private mount namespace and port 443 for inadyn) and about 10 minutes
 * (the memory phase, issue 19's busy load, idle and the floor built with the shipped options, takes 5 of them).
 *
 *   bun run bench                 # the full run (footprint after 60 s, 3 runs of everything)
 *   bun run bench --quick         # a smoke run: 10 s footprint, one run, fewer changes (figures not comparable)
 *   bun run bench --no-build      # measure dist/ddnsd as it is (by default the bench builds it first)
 *
 * Phases, one heavy thing at a time: footprint (60 s, daemons idling side by side; ddclient's three instances start
 * meanwhile, see reaction-peers.ts), scale, ddclient's change, ddnsd vs inadyn on the same changes, netlink.
 */
import { existsSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { buildArguments } from "../scripts/release/build-command.ts";
import { buildFloor, coldCache, floorRun, footprintRuns } from "./footprint-runs.ts";
import { BINARY, IMAGE_ENV } from "./ours.ts";
import { ensurePeers, startPeerWorld } from "./peers.ts";
import { ddclientReaction, oursAndInadynReaction, type ToolSamples } from "./reaction-peers.ts";
import { netlinkReaction } from "./reaction-netlink.ts";
import { median, percentile } from "./lib.ts";
import { Table } from "./report.ts";
import { scaleRun, type ScaleSample } from "./scale.ts";
import { BUSY, IDLE, busyRun } from "./busy.ts";

const quick = process.argv.includes("--quick");
const RUNS = quick ? 1 : 3;
const FOOTPRINT_SECONDS = quick ? 10 : 60;
const CHANGES = quick ? 5 : 20;
const NETLINK_CHANGES = quick ? 30 : 120;
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
const say = (line: string) => console.error(`[bench ${elapsed()}] ${line}`);
const work = join(import.meta.dir, "..", ".tmp", "bench");

if (process.getuid?.() !== 0) throw new Error("bun run bench needs root (network and mount namespaces, port 443 on a loopback address)");
rmSync(work, { recursive: true, force: true });

if (!existsSync(join(import.meta.dir, "..", "node_modules"))) {
  say("node_modules is missing: bun install --frozen-lockfile");
  if (spawnSync("bun", ["install", "--frozen-lockfile"], { cwd: join(import.meta.dir, ".."), stdio: ["ignore", "ignore", "inherit"] }).status !== 0) throw new Error("bun install failed");
}
const installed = ensurePeers();
if (installed.length) say(`installed from Debian: ${installed.join(", ")}`);
if (!process.argv.includes("--no-build") || !existsSync(BINARY)) {
  say("bun run build (the figures are for the source as it is; --no-build measures dist/ddnsd as it is)");
  const build = spawnSync("bun", ["run", "build"], { cwd: join(import.meta.dir, ".."), stdio: ["ignore", "ignore", "inherit"] });
  if (build.status !== 0) throw new Error("bun run build failed");
}
const floor = buildFloor(join(work, "floor"));
// The floor of the memory phase: the same bare program built with the shipped build's options (package.json's build
// line: --minify, --bytecode, the JIT policy, --smol …), run with no environment variable, as the shipped binary is.
const pkg = JSON.parse(readFileSync(join(import.meta.dir, "..", "package.json"), "utf8")) as { scripts: Record<string, string> };
const shippedFlags = buildArguments(pkg.scripts.build).filter((a) => a.startsWith("--"));
const shippedFloor = buildFloor(join(work, "floor-shipped"), shippedFlags);

// Peers' world first: ddclient needs ~100 s of wall time, mostly asleep; it runs during the footprint and scale phases.
const pw = await startPeerWorld(join(work, "peers"));
const ddclientDone = ddclientReaction(pw, say).catch((error: unknown) => {
  say(`ddclient failed: ${String(error)}`);
  return undefined;
});

say(`footprint: ${RUNS} run(s) × 2 settings + floor, ${FOOTPRINT_SECONDS} s each, side by side`);
const footprint = await footprintRuns({
  settings: { image: { ...IMAGE_ENV, DDNS_LOG_LEVEL: "info" }, jit: { DDNS_LOG_LEVEL: "info" } },
  runs: RUNS,
  seconds: FOOTPRINT_SECONDS,
  floor: { binary: floor, env: IMAGE_ENV },
});

const scale: Record<number, ScaleSample[]> = {};
for (const records of [1, 100, 1000]) {
  say(`scale: ${records} record(s), ${RUNS} run(s)`);
  for (let run = 0; run < RUNS; run++) (scale[records] ??= []).push(await scaleRun(records));
}

say("waiting for ddclient's instances to react (up to 60 s after the change)");
const ddclient: ToolSamples | undefined = await ddclientDone;
say(`ddnsd and inadyn: ${CHANGES} address changes`);
const side = await oursAndInadynReaction(pw, CHANGES);
await pw.stop();

say(`netlink: ${RUNS} run(s) × ${NETLINK_CHANGES} changes`);
const netlink = Array.from({ length: RUNS }, () => netlinkReaction(NETLINK_CHANGES));

// Issue 19's load and idle, the binary as shipped (no environment variable): bench/busy.ts, one run each.
const BUSY_SECONDS = quick ? 20 : BUSY.seconds;
const IDLE_SECONDS = quick ? 10 : IDLE.seconds;
say(`memory: busy (${BUSY.records} records, a change every 2 s, /metrics every 1 s) ${BUSY_SECONDS} s, then idle (${IDLE.records} records) ${IDLE_SECONDS} s`);
const busy = await busyRun({ ...BUSY, seconds: BUSY_SECONDS });
const idle = await busyRun({ ...IDLE, seconds: IDLE_SECONDS });
say(`memory: the floor with the shipped build's options, ${IDLE_SECONDS} s`);
await coldCache(shippedFloor);
const bareFloor = await floorRun(shippedFloor, {}, IDLE_SECONDS);

// ---- the table ----
const t = new Table();
const F = (label: string) => footprint[label] ?? [];
const col = <T>(xs: T[], f: (x: T) => number) => xs.map(f);
const envText = Object.entries(IMAGE_ENV).map(([k, v]) => `${k}=${v}`).join(" ");
for (const [label, name] of [["image", `image env (${envText})`], ["jit", "JIT on (Bun's default)"]] as const) {
  const s = F(label);
  t.stat("footprint", `${name}: startup → first round (ms)`, col(s, (x) => x.startupMs), 0);
  t.stat("footprint", `${name}: RSS after ${FOOTPRINT_SECONDS} s, 100 records, log level info (MiB)`, col(s, (x) => x.rssMiB));
  t.stat("footprint", `${name}: peak RSS (MiB)`, col(s, (x) => x.peakMiB));
  t.stat("footprint", `${name}: private (anonymous) memory (MiB)`, col(s, (x) => x.privateMiB));
  t.stat("footprint", `${name}: idle CPU (% of one core)`, col(s, (x) => x.idleCpuPct), 2);
}
t.stat("footprint", "floor: bare `bun build --compile`, timer + Bun.serve, image env: RSS (MiB)", col(F("floor"), (x) => x.rssMiB));
t.stat("footprint", "floor: peak RSS (MiB)", col(F("floor"), (x) => x.peakMiB));
const MiB = (kib: number) => kib / 1024;
const busyWhat = `busy (${BUSY.records} records / ${BUSY.zones} zones, a change every 2 s, /metrics every 1 s, ${BUSY_SECONDS} s), shipped binary`;
t.stat("memory", `${busyWhat}: peak RSS, VmHWM (MiB)`, [MiB(busy.peakKiB)]);
t.stat("memory", `${busyWhat}: RSS median, sampled every 1 s (MiB)`, [MiB(median(busy.rss))]);
t.stat("memory", `${busyWhat}: RSS max, sampled every 1 s (MiB)`, [MiB(Math.max(...busy.rss))]);
t.add("memory", `${busyWhat}: samples above 40 / 56 / 64 MiB`, [40, 56, 64].map((m) => busy.rss.filter((k) => k > m * 1024).length).join(" / "), busy.rss.length);
t.add("memory", `${busyWhat}: records hold the last address`, busy.converged ? "yes" : "NO");
const idleWhat = `idle (${IDLE.records} records, poll ${IDLE.pollInterval}, ${IDLE_SECONDS} s), shipped binary`;
t.stat("memory", `${idleWhat}: peak RSS, VmHWM (MiB)`, [MiB(idle.peakKiB)]);
t.stat("memory", `${idleWhat}: RSS median, sampled every 1 s (MiB)`, [MiB(median(idle.rss))]);
const floorWhat = `floor: bare program (timer + Bun.serve) built with the shipped build's options, no env, ${IDLE_SECONDS} s`;
t.stat("memory", `${floorWhat}: peak RSS, VmHWM (MiB)`, [bareFloor.peakMiB]);
t.stat("memory", `${floorWhat}: RSS at the end (MiB)`, [bareFloor.rssMiB]);

const nl = netlink.flatMap((r) => ("samples" in r ? r.samples : []));
const skipped = netlink.find((r) => "skipped" in r);
if (skipped && "skipped" in skipped) t.add("reaction", "netlink event → provider write (ms)", `not measured: ${skipped.skipped}`);
else {
  t.latency("reaction", `netlink event → provider write (ms), ${RUNS}×${NETLINK_CHANGES} changes`, nl, 2);
  t.add("reaction", "netlink: changes without a write within 5 s", String(netlink.reduce((n, r) => n + ("missed" in r ? r.missed : 0), 0)));
}
t.stat("reaction", "http source, 1 s poll: address change → provider write (ms)", side.ours.reactionMs, 0);

for (const n of [1, 100, 1000]) {
  const s = scale[n] ?? [];
  const where = n === 1 ? "1 record" : `${n} records / 10 zones`;
  t.stat("scale", `${where}: requests for one address change`, col(s, (x) => x.changeRequests), 0);
  t.stat("scale", `${where}: most requests to one zone`, col(s, (x) => x.maxPerZone), 0);
  t.stat("scale", `${where}: wall time of the change (ms)`, col(s, (x) => x.wallMs), 1);
  t.stat("scale", `${where}: requests in plain polls (1 s poll)`, col(s, (x) => x.plainPollRequests), 0);
  t.stat("scale", `${where}: requests/hour steady state (5 min poll, 1 h verify)`, col(s, (x) => x.perHourAtDefaults), 0);
}

const dd = ddclient ?? { reactionMs: [], requests: [], rssMiB: [] };
const tools: Array<[string, ToolSamples]> = [["ddnsd (http, 1 s poll)", side.ours], ["inadyn 2.10 (period 1 s)", side.inadyn], ["ddclient 3.10 (daemon=60, min-interval=0)", dd]];
for (const [name, s] of tools) {
  t.stat("peers", `${name}: reaction (ms)`, s.reactionMs, 0, "no samples");
  t.stat("peers", `${name}: requests per change`, s.requests, 0, "no samples");
  t.stat("peers", `${name}: RSS (MiB)`, s.rssMiB, 1, "no samples");
}
if (nl.length) t.ratio("peers", "ddnsd netlink p50/inadyn: reaction (netlink in its namespace, same run)", [percentile(nl, 50)], side.inadyn.reactionMs, 2);
for (const [name, s] of tools.slice(1)) {
  const short = name.split(" ")[0]!;
  t.ratio("peers", `ddnsd/${short}: reaction`, side.ours.reactionMs, s.reactionMs);
  t.ratio("peers", `ddnsd/${short}: requests per change`, side.ours.requests, s.requests);
  t.ratio("peers", `ddnsd/${short}: RSS`, side.ours.rssMiB, s.rssMiB);
}

console.log(`\nddnsd bench — Bun ${Bun.version}, ${navigator.hardwareConcurrency} CPUs, ${new Date().toISOString().slice(0, 16)}Z, ${RUNS} run(s)${quick ? " (--quick: not comparable)" : ""}, ${elapsed()}`);
console.log("Absolute times on a shared machine are noisy; the ratios compare tools measured in the same run against the same fake (behind the same TLS front).\n");
console.log(t.render());
