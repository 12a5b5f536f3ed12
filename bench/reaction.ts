import { readdirSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { AF_INET, AF_INET6, AF_NETLINK, IFA_ADDRESS, IFA_FLAGS, IFA_LOCAL, MSG_DONTWAIT, NETLINK_ROUTE, NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST, RTM_DELADDR, RTM_NEWADDR, SOCK_CLOEXEC, SOCK_RAW } from "../src/ip/netlink/constants.ts";
import { encodeIfaddrmsg, encodeMessage, encodeSockaddrNl, u32Attribute } from "../src/ip/netlink/encode.ts";
import { openLibcBun } from "../src/runtime/netlink/libc-bun.ts";
import { createNetlinkSource } from "../src/ip/netlink/netlink-source.ts";
import { createNetlinkRuntime } from "../src/runtime/netlink/runtime-bun.ts";
import { createMemoryLogger } from "../src/log/logger.ts";
import { createNetns } from "../tests/netns/netns.ts";

/**
 * Reaction benchmark for the netlink source (Bun). Needs root: it creates a network namespace with a veth pair.
 *   latency  — kernel event → onChange: the address change is sent on a netlink socket from this very thread
 *              (t0 just before sendto; the kernel emits the event inside that call), t1 in onChange.
 *   idle CPU — CPU time of a process watching the interface vs. a baseline process with no watcher, over the
 *              same period, from /proc/<pid>/task/<tid>/schedstat (nanoseconds, all threads).
 * Usage: bun bench/reaction.ts [--changes 200] [--idle-seconds 60]
 */

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const IFNAME = "va";

function percentiles(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
  return { n: s.length, p50: at(50), p99: at(99), max: s.at(-1) ?? NaN };
}

/** Inside the namespace: alternate add/delete of one address per family, timing each kernel event → onChange. */
async function latency(changes: number) {
  const sys = openLibcBun();
  if (typeof sys === "string") throw new Error(sys);
  const index = (JSON.parse(spawnSync("ip", ["-j", "link", "show", IFNAME], { encoding: "utf8" }).stdout) as Array<{ ifindex: number }>)[0]?.ifindex ?? 0;
  const fd = sys.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  const kernel = encodeSockaddrNl(0);
  const ack = new Uint8Array(4096);
  const runtime = createNetlinkRuntime();
  if ("unavailable" in runtime) throw new Error(runtime.unavailable);
  const source = createNetlinkSource({ interfaceName: IFNAME, allowPrivate: false, log: createMemoryLogger("warn"), runtime, now: () => performance.now() });
  let resolveChange: (t: number) => void = () => {};
  await source.watch?.(() => resolveChange(performance.now()));
  const results: Record<string, number[]> = { IPv4: [], IPv6: [] };
  let seq = 1;
  for (let i = 0; i < changes; i++) {
    const v6 = i % 4 >= 2;
    const add = i % 2 === 0;
    const bytes = v6 ? new Uint8Array([0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 1]) : new Uint8Array([192, 0, 2, 1]);
    const message = encodeMessage({
      type: add ? RTM_NEWADDR : RTM_DELADDR,
      flags: NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_EXCL : 0),
      seq: seq++,
      body: encodeIfaddrmsg(v6 ? AF_INET6 : AF_INET, v6 ? 64 : 24, 0, 0, index),
      attributes: [{ type: IFA_LOCAL, value: bytes }, { type: IFA_ADDRESS, value: bytes }, ...(v6 ? [u32Attribute(IFA_FLAGS, 0x02)] : [])],
    });
    const changed = new Promise<number>((resolve) => (resolveChange = resolve));
    const t0 = performance.now();
    if (sys.sendto(fd, message, 0, kernel) < 0) throw new Error("sendto failed");
    const t1 = await Promise.race([changed, Bun.sleep(2000).then(() => NaN)]);
    sys.recv(fd, ack, MSG_DONTWAIT); // the kernel's acknowledgement
    (results[v6 ? "IPv6" : "IPv4"] as number[]).push(t1 - t0);
  }
  await source.close?.();
  sys.close(fd);
  console.log(JSON.stringify(results));
}

/** Inside the namespace: sit idle, with or without a watcher, until killed. */
async function idle(withWatcher: boolean) {
  if (withWatcher) {
    const runtime = createNetlinkRuntime();
    if ("unavailable" in runtime) throw new Error(runtime.unavailable);
    const source = createNetlinkSource({ interfaceName: IFNAME, allowPrivate: false, log: createMemoryLogger("warn"), runtime, now: () => performance.now() });
    await source.watch?.(() => {});
  }
  console.log("ready");
  setInterval(() => {}, 1 << 30);
}

/** CPU time of every thread of `pid`, in ms. */
function cpuMs(pid: number) {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // The thread ended.
    }
  }
  return ns / 1e6;
}

async function spawnReady(argv: string[]) {
  const child = Bun.spawn(argv, { stdout: "pipe", stderr: "inherit" });
  const reader = child.stdout.getReader();
  const { value } = await reader.read();
  if (!new TextDecoder().decode(value).includes("ready")) throw new Error(`${argv.join(" ")} did not start`);
  return child;
}

async function outer() {
  const changes = option("changes", 200);
  const idleSeconds = option("idle-seconds", 60);
  const ns = createNetns("bench");
  try {
    const self = ["bun", import.meta.path];
    const [command, ...rest] = ns.exec(...self, "--latency", String(changes));
    const run = spawnSync(command as string, rest, { encoding: "utf8" });
    if (run.status !== 0) throw new Error(run.stderr);
    const results = JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "{}") as Record<string, number[]>;
    console.log(`kernel event → onChange, ${changes} changes (alternating add/delete), Bun ${Bun.version}:`);
    for (const [family, all] of Object.entries(results)) {
      const samples = all.filter((v) => v !== null && Number.isFinite(v));
      const p = percentiles(samples);
      const missed = all.length - samples.length;
      console.log(`  ${family}: n=${p.n} p50=${p.p50.toFixed(3)} ms  p99=${p.p99.toFixed(3)} ms  max=${p.max.toFixed(3)} ms  missed=${missed}`);
    }
    const baseline = await spawnReady(ns.exec(...self, "--idle", "none"));
    const watcher = await spawnReady(ns.exec(...self, "--idle", "watcher"));
    await Bun.sleep(1000);
    const start = [cpuMs(baseline.pid), cpuMs(watcher.pid)];
    await Bun.sleep(idleSeconds * 1000);
    const used = [cpuMs(baseline.pid) - (start[0] ?? 0), cpuMs(watcher.pid) - (start[1] ?? 0)];
    baseline.kill();
    watcher.kill();
    console.log(`idle CPU over ${idleSeconds} s (all threads, /proc/<pid>/task/*/schedstat):`);
    console.log(`  no watcher:      ${used[0]?.toFixed(2)} ms (${(((used[0] ?? 0) / (idleSeconds * 1000)) * 100).toFixed(4)} % of a core)`);
    console.log(`  netlink watcher: ${used[1]?.toFixed(2)} ms (${(((used[1] ?? 0) / (idleSeconds * 1000)) * 100).toFixed(4)} % of a core)`);
  } finally {
    ns.remove();
  }
}

if (args[0] === "--latency") await latency(Number(args[1]));
else if (args[0] === "--idle") await idle(args[1] === "watcher");
else await outer();
