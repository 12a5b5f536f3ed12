import { spawnSync } from "node:child_process";
import { AF_INET, AF_NETLINK, IFA_ADDRESS, IFA_LOCAL, MSG_DONTWAIT, NETLINK_ROUTE, NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST, RTM_DELADDR, RTM_NEWADDR, SOCK_CLOEXEC, SOCK_RAW } from "../src/ip/netlink/constants.ts";
import { encodeIfaddrmsg, encodeMessage, encodeSockaddrNl } from "../src/ip/netlink/encode.ts";
import { openLibcBun } from "../src/runtime/netlink/libc-bun.ts";
import { createNetns, netnsUnavailable } from "../tests/netns/netns.ts";
import { startOurs } from "./ours.ts";
import { statusMemory } from "./smaps.ts";
import { startWorld } from "./world.ts";

/**
 * Kernel address event → provider write, for dist/ddnsd with DDNS_IP_SOURCE_TYPE=netlink. Needs root: a network
 * namespace with a veth pair (`va`/`vb`); inside it (`ip netns exec`), this file with `--inside N` runs the fake API
 * on the namespace's loopback and the daemon watching `va`, then makes N changes. Each change: add the next address
 * (/32, not published yet: the current one stays while it is eligible), then — t0, just before sendto — delete the
 * current address; the kernel emits the event inside that call; t1 is when the fake receives the write of the new
 * address. Same process, same clock for t0 and t1.
 *   bun bench/reaction-netlink.ts [--changes 120]     prints { samples: [ms…], missed } as JSON
 */

const IFNAME = "va";

async function inside(changes: number): Promise<void> {
  const sys = openLibcBun();
  if (typeof sys === "string") throw new Error(sys);
  const index = (JSON.parse(spawnSync("ip", ["-j", "link", "show", IFNAME], { encoding: "utf8" }).stdout) as Array<{ ifindex: number }>)[0]?.ifindex ?? 0;
  const fd = sys.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  const kernel = encodeSockaddrNl(0);
  const ack = new Uint8Array(4096);
  let seq = 1;
  const change = (add: boolean, address: string) => {
    const bytes = new Uint8Array(address.split(".").map(Number));
    const message = encodeMessage({
      type: add ? RTM_NEWADDR : RTM_DELADDR,
      flags: NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_EXCL : 0),
      seq: seq++,
      body: encodeIfaddrmsg(AF_INET, 32, 0, 0, index),
      attributes: [{ type: IFA_LOCAL, value: bytes }, { type: IFA_ADDRESS, value: bytes }],
    });
    if (sys.sendto(fd, message, 0, kernel) < 0) throw new Error("sendto failed");
  };
  const drainAcks = () => {
    while (sys.recv(fd, ack, MSG_DONTWAIT) > 0);
  };
  const world = await startWorld({ zones: ["example.com"] });
  let current = "198.51.100.1";
  change(true, current);
  const ours = await startOurs(world, {
    records: ["home.example.com"],
    pollInterval: "5m",
    env: { DDNS_IP_SOURCE_TYPE: "netlink", DDNS_IP_SOURCE_INTERFACE: IFNAME, ...(process.env.BENCH_DAEMON_LOG ? { DDNS_LOG_LEVEL: process.env.BENCH_DAEMON_LOG } : {}) },
    stdout: process.env.BENCH_DAEMON_LOG ? "inherit" : "ignore",
  });
  const samples: number[] = [];
  let missed = 0;
  let memory = { rssKiB: NaN, anonKiB: NaN, peakKiB: NaN };
  try {
    await ours.ready(30_000);
    for (let i = 0; i < changes; i++) {
      const next = `203.0.113.${1 + (i % 250)}`;
      change(true, next);
      await Bun.sleep(20); // the add alone changes nothing (the current address stays); let it pass
      drainAcks();
      const written = (r: { method: string; body: unknown }) => r.method !== "GET" && JSON.stringify(r.body ?? "").includes(`"${next}"`);
      const t0 = performance.now();
      change(false, current);
      const t1 = await world.waitFor(written, t0, 5_000);
      if (process.env.BENCH_DAEMON_LOG) console.error(`change ${i}: deleted ${current} at ${t0.toFixed(1)}, write of ${next} at ${t1.toFixed(1)}`);
      if (Number.isNaN(t1)) missed++;
      else samples.push(t1 - t0);
      current = next;
      drainAcks();
    }
    const m = statusMemory(ours.proc.pid);
    memory = { rssKiB: m.rss, anonKiB: m.anon, peakKiB: m.hwm };
  } finally {
    await ours.stop();
    await world.stop();
    sys.close(fd);
  }
  console.log(JSON.stringify({ samples, missed, ...memory }));
}

/** The reaction samples (ms), changes without a write, and the daemon's memory after the changes (KiB). */
export type NetlinkResult = { samples: number[]; missed: number; rssKiB: number; anonKiB: number; peakKiB: number } | { skipped: string };

/** Runs the measurement in a fresh namespace; `skipped` when namespaces or netlink are not available. */
export function netlinkReaction(changes: number): NetlinkResult {
  const why = netnsUnavailable();
  if (why) return { skipped: why };
  const ns = createNetns("bench-nl");
  try {
    const [command, ...rest] = ns.exec(process.execPath, import.meta.path, "--inside", String(changes));
    const run = spawnSync(command!, rest, { encoding: "utf8", timeout: 180_000 });
    const last = run.stdout.trim().split("\n").at(-1) ?? "";
    if (run.status !== 0 || !last.startsWith("{")) return { skipped: `the netlink run failed: ${(run.stderr || run.stdout).trim().split("\n").slice(-3).join(" | ")}` };
    return JSON.parse(last) as NetlinkResult;
  } finally {
    ns.remove();
  }
}

if (import.meta.main) {
  const i = process.argv.indexOf("--inside");
  if (i >= 0) await inside(Number(process.argv[i + 1]));
  else {
    const c = process.argv.indexOf("--changes");
    console.log(JSON.stringify(netlinkReaction(c >= 0 ? Number(process.argv[c + 1]) : 120)));
  }
}
