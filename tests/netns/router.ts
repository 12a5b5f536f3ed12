import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createNetns, netnsUnavailable, type Netns } from "./netns.ts";
import { miniupnpdConfig, nft, nftRules, refusals } from "./router-config.ts";

/**
 * A home router for tests: miniupnpd (UPnP IGD, NAT-PMP and PCP) in a router namespace, and a client namespace on
 * its LAN whose default route goes through it — where dist/ddnsd runs with DDNS_IP_SOURCE_TYPE=router.
 *
 *   client ns: eth0 192.168.77.2/24, default via 192.168.77.1
 *   router ns: br-lan 192.168.77.1/24 (miniupnpd's listening_ip, a bridge: `addLanHost` plugs in more hosts, e.g.
 *              a rogue SSDP responder at 192.168.77.3), va = the WAN with `wanAddress` (ext_ifname)
 *
 * miniupnpd is Debian trixie's (scripts/install-miniupnpd.sh says why): with `allowPrivate` (the default, needed
 * for the documentation addresses) the config has `ext_allow_private_ipv4=yes` and `ext_ip=` the WAN address —
 * 2.3.9 answers GetExternalIPAddress with an empty address for a reserved interface address when private addresses
 * are allowed (fixed upstream in 2.3.11), but reports `ext_ip` as it is. miniupnpd reads `ext_ip` once, so
 * `setWanAddress` changes the interface and restarts the daemon (same HTTP port, so the description URL stays
 * valid; a new NAT-PMP epoch, like a router that reconnected). NAT-PMP and PCP share UDP 5351 in miniupnpd; a
 * protocol turned off is refused by an nftables rule on its version byte (0 NAT-PMP, 2 PCP) with ICMP
 * port-unreachable, like a router that does not speak it.
 */

export interface RouterLabOptions {
  igd?: boolean;
  natpmp?: boolean;
  pcp?: boolean;
  wanAddress: string;
  /** `ext_allow_private_ipv4=yes` + `ext_ip` (default true). Without it miniupnpd refuses reserved WAN addresses. */
  allowPrivate?: boolean;
  /** false: no miniupnpd at all (the router namespace is left to a router of the test's own). Default true. */
  miniupnpd?: boolean;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RouterLab {
  readonly clientNs: Netns;
  readonly routerNs: Netns;
  /** The router's LAN address (the client's default gateway). */
  readonly routerAddress: string;
  /** The client's own LAN address. */
  readonly clientAddress: string;
  /** The WAN address now. */
  readonly wanAddress: string;
  /** miniupnpd's HTTP port (5000, kept across restarts so the description URL stays valid, unless changed). */
  readonly httpPort: number;
  /** Restarts miniupnpd on another HTTP port, like a router that rebooted (its old description URL is gone). */
  setHttpPort(port: number): Promise<void>;
  setWanAddress(address: string): Promise<void>;
  /** Turns protocols on or off while the lab runs (NAT-PMP/PCP at once by nftables; IGD restarts miniupnpd). */
  setProtocols(protocols: Pick<RouterLabOptions, "igd" | "natpmp" | "pcp">): Promise<void>;
  /** Drops the router's SSDP answers until `bytes` of them went out, so that another LAN host answers first. */
  dropFirstSsdpAnswers(bytes: number): void;
  /** The router goes down (miniupnpd stops) and comes back. */
  stopMiniupnpd(): Promise<void>;
  startMiniupnpd(): Promise<void>;
  /** Another host on the LAN (its own namespace, 192.168.77.3, .4, …, default via the router); removed by stop(). */
  addLanHost(label: string): { ns: Netns; address: string };
  /** Runs a command in the client namespace to completion (killed after `timeoutMs`). */
  run(...argv: string[]): Promise<RunResult>;
  runWithTimeout(timeoutMs: number, ...argv: string[]): Promise<RunResult>;
  /** The argv prefix that runs a command in the client namespace (for Bun.spawn / spawnDaemon's prefix). */
  exec(...argv: string[]): string[];
  /** Everything miniupnpd wrote since the lab started (for failure messages). */
  logs(): string;
  stop(): Promise<void>;
}

const ROOT = join(import.meta.dir, "..", "..");
export const INSTALL_HINT = 'run "bash scripts/install-miniupnpd.sh" (or scripts/install-test-deps.sh)';
const LAN = { router: "192.168.77.1", client: "192.168.77.2", subnet: "192.168.77.0/24" };
const HTTP_PORT = 5000;

/** The miniupnpd wrapper cached by scripts/install-miniupnpd.sh, or undefined. */
export function miniupnpdPath(env: Record<string, string | undefined> = process.env): string | undefined {
  return [
    env.DDNSD_MINIUPNPD,
    join(env.DDNSD_CI_CACHE ?? "/var/cache/ddnsd-ci", "miniupnpd", "miniupnpd"),
    join(ROOT, ".tmp", "ddnsd-ci", "miniupnpd", "miniupnpd"),
  ].find((p): p is string => typeof p === "string" && p !== "" && existsSync(p));
}

/** Why the router lab cannot run here, or undefined. Under .ci/run (DDNSD_CI=1) a missing piece is an error. */
export function routerLabUnavailable(env: Record<string, string | undefined> = process.env): string | undefined {
  const reason =
    netnsUnavailable() ??
    (miniupnpdPath(env) ? undefined : `miniupnpd is not cached: ${INSTALL_HINT}`) ??
    (Bun.which("nft") ?? existsSync("/usr/sbin/nft") ? undefined : `nft is missing (apt-get install nftables): ${INSTALL_HINT}`);
  if (reason && env.DDNSD_CI === "1") throw new Error(`${reason}; .ci/run needs the router lab`);
  if (reason) console.warn(`skipping the router lab tests: ${reason}`);
  return reason;
}

export async function startRouterLab(initial: RouterLabOptions): Promise<RouterLab> {
  let options = { ...initial };
  const binary = miniupnpdPath();
  if (!binary) throw new Error(`miniupnpd is not cached: ${INSTALL_HINT}`);
  const dir = mkdtempSync(join(tmpdir(), "ddnsd-router-lab-"));
  const conf = join(dir, "miniupnpd.conf");
  const router = createNetns("rt");
  let client: Netns | undefined;
  const hosts: Netns[] = [];
  const plug = (ns: Netns, address: string) => {
    const port = `lan${hosts.length}`;
    router.ip("link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns.name);
    router.ip("link", "set", port, "master", "br-lan");
    router.ip("link", "set", port, "up");
    ns.ip("addr", "add", `${address}/24`, "dev", "eth0");
    ns.ip("link", "set", "eth0", "up");
    ns.ip("route", "add", "default", "via", LAN.router);
    hosts.push(ns);
  };
  let wan = options.wanAddress;
  let httpPort = HTTP_PORT;
  let log = "";
  let daemon: ReturnType<typeof Bun.spawn> | undefined;

  const start = async () => {
    if (options.miniupnpd === false || (options.igd === false && options.natpmp === false && options.pcp === false) || daemon) return;
    writeFileSync(conf, miniupnpdConfig(options, wan, LAN.subnet, httpPort, dir));
    const since = log.length;
    const proc = Bun.spawn(router.exec(binary, "-f", conf, "-d", "-P", join(dir, "miniupnpd.pid")), { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
    daemon = proc;
    const pump = async (stream: ReadableStream<Uint8Array>) => {
      const decoder = new TextDecoder();
      for await (const chunk of stream) log += decoder.decode(chunk, { stream: true });
    };
    void pump(proc.stdout as ReadableStream<Uint8Array>);
    void pump(proc.stderr as ReadableStream<Uint8Array>);
    const ready = [options.igd !== false ? `HTTP listening on port ${httpPort}` : "", options.natpmp !== false || options.pcp !== false ? "Listening for NAT-PMP/PCP traffic on port 5351" : ""];
    const deadline = Date.now() + 10_000;
    while (!ready.every((line) => log.includes(line, since))) {
      if (proc.exitCode !== null || Date.now() > deadline) {
        proc.kill("SIGKILL");
        daemon = undefined;
        throw new Error(`miniupnpd did not start (exit ${proc.exitCode}); its log:\n${log}`);
      }
      await Bun.sleep(20);
    }
  };
  const halt = async () => {
    const proc = daemon;
    if (!proc) return;
    daemon = undefined;
    proc.kill("SIGTERM");
    if ((await Promise.race([proc.exited, Bun.sleep(3000).then(() => "slow" as const)])) === "slow") {
      proc.kill("SIGKILL");
      await proc.exited;
    }
  };
  const runIn = async (timeoutMs: number, argv: string[]): Promise<RunResult> => {
    const proc = Bun.spawn(client!.exec(...argv), { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
    const timer = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    clearTimeout(timer);
    return { code, stdout, stderr };
  };

  try {
    client = createNetns("cl");
    router.ip("link", "add", "br-lan", "type", "bridge", "mcast_snooping", "0");
    router.ip("addr", "add", `${LAN.router}/24`, "dev", "br-lan");
    router.ip("link", "set", "br-lan", "up");
    router.ip("addr", "add", `${wan}/24`, "dev", "va");
    plug(client, LAN.client);
    nft(router, nftRules(options));
    await start();
  } catch (error) {
    client?.remove();
    for (const ns of hosts) ns.remove();
    router.remove();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const clientNs = client;

  let stopped = false;
  return {
    clientNs,
    routerNs: router,
    routerAddress: LAN.router,
    clientAddress: LAN.client,
    get wanAddress() {
      return wan;
    },
    get httpPort() {
      return httpPort;
    },
    async setHttpPort(port) {
      await halt();
      httpPort = port;
      await start();
    },
    async setWanAddress(address) {
      await halt();
      router.ip("addr", "del", `${wan}/24`, "dev", "va");
      router.ip("addr", "add", `${address}/24`, "dev", "va");
      wan = address;
      await start();
    },
    async setProtocols(protocols) {
      const before = options;
      options = { ...options, ...protocols };
      const udpOn = (o: RouterLabOptions) => o.natpmp !== false || o.pcp !== false;
      const restart = (before.igd !== false) !== (options.igd !== false) || udpOn(before) !== udpOn(options);
      nft(router, ["flush chain inet filter input", ...refusals(options).map((rule) => `add rule inet filter input ${rule}`), ""].join("\n"));
      if (restart) {
        await halt();
        await start();
      }
    },
    dropFirstSsdpAnswers(bytes) {
      nft(router, `add rule inet filter output udp sport 1900 quota ${Math.trunc(bytes)} bytes drop\n`);
    },
    stopMiniupnpd: halt,
    startMiniupnpd: start,
    addLanHost(label) {
      const ns = createNetns(label);
      const address = `192.168.77.${hosts.length + 2}`;
      try {
        plug(ns, address);
      } catch (error) {
        ns.remove();
        throw error;
      }
      return { ns, address };
    },
    run: (...argv) => runIn(20_000, argv),
    runWithTimeout: (timeoutMs, ...argv) => runIn(timeoutMs, argv),
    exec: (...argv) => clientNs.exec(...argv),
    logs: () => log,
    async stop() {
      if (stopped) return;
      stopped = true;
      await halt();
      for (const ns of hosts) ns.remove();
      router.remove();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
