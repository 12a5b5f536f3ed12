import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeCertificates, startTlsFront, type Certificates, type TlsFront } from "./tls-front.ts";
import { startWorld, TOKEN, type World } from "./world.ts";

/**
 * The classic tools from Debian, run against the same fake as ddnsd:
 *   - ddclient 3.10: always https for Cloudflare (`server=` takes host/path), asks `/zones/?name=`; daemon interval
 *     floor 60 s; `min-interval=0` (Cloudflare's default is 5 min); `use=no` next to `usev4=webv4`: the legacy
 *     `use` strategy (default `ip`) never finds an address, marks the host failed, and then either rewrites the
 *     unchanged record or holds a real change back for `min-error-interval` (5 min).
 *   - inadyn 2.10: its Cloudflare provider always talks to api.cloudflare.com:443, so it runs in a private mount
 *     namespace (`unshare -m`) where a bind-mounted /etc/hosts points that name at the TLS front; `period = 1`.
 * The TLS front listens on port 443 of a random 127.77.x.y address, so it collides with nothing on 127.0.0.1.
 */

/** ddclient instances, started `60 / DDCLIENT_INSTANCES` s apart so that one change meets them at spread phases. */
export const DDCLIENT_INSTANCES = 6;

export const PEER_ZONES = { ours: "ours.test", ddclient: "ddclient.test", inadyn: "inadyn.test" } as const;

export interface PeerWorld {
  world: World;
  front: TlsFront;
  certs: Certificates;
  frontIp: string;
  dir: string;
  stop(): Promise<void>;
}

/** Installs (apt-get, Debian) what the peer measurement needs and is missing; returns what it installed. */
export function ensurePeers(): string[] {
  const wanted = [
    ["ddclient", "/usr/bin/ddclient"],
    ["inadyn", "/usr/sbin/inadyn"],
    ["openssl", "/usr/bin/openssl"],
    ["libio-socket-ssl-perl", "/usr/share/perl5/IO/Socket/SSL.pm"], // ddclient's https (only a Recommends)
  ];
  const missing = wanted.filter(([, p]) => !existsSync(p!));
  if (missing.length === 0) return [];
  const names = missing.map(([n]) => n!);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = () => spawnSync("apt-get", ["install", "-y", "-qq", ...names], { env, encoding: "utf8" });
  let run = install();
  if (run.status !== 0) {
    spawnSync("apt-get", ["update", "-qq"], { env, encoding: "utf8" });
    run = install();
  }
  if (run.status !== 0) throw new Error(`apt-get install ${names.join(" ")} failed: ${run.stderr}`);
  return names;
}

export async function startPeerWorld(dir: string): Promise<PeerWorld> {
  mkdirSync(dir, { recursive: true });
  const world = await startWorld({ zones: Object.values(PEER_ZONES), v4: "203.0.113.1" });
  for (let i = 0; i < DDCLIENT_INSTANCES; i++) world.cf.seed({ name: `h${i}.${PEER_ZONES.ddclient}`, type: "A", content: "192.0.2.1" });
  world.cf.seed({ name: `home.${PEER_ZONES.inadyn}`, type: "A", content: "192.0.2.1" });
  world.cf.seed({ name: `home.${PEER_ZONES.ours}`, type: "A", content: "192.0.2.1" });
  for (let attempt = 0; ; attempt++) {
    const frontIp = `127.77.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
    const certs = makeCertificates(join(dir, "certs"), ["api.cloudflare.com"], [frontIp]);
    try {
      const front = startTlsFront({ hostname: frontIp, port: 443, target: world.origin, certs });
      return { world, front, certs, frontIp, dir, stop: async () => (await front.stop(), await world.stop()) };
    } catch (error) {
      if (attempt >= 4) throw error;
    }
  }
}

export interface PeerProcess {
  name: string;
  proc: ReturnType<typeof Bun.spawn>;
  /** The pid whose memory is the tool's (inadyn runs behind unshare/sh). */
  pid(): number;
  stop(): Promise<void>;
}

export function startDdclient(pw: PeerWorld, index: number): PeerProcess {
  const base = join(pw.dir, `ddclient${index}`);
  const conf = [
    "daemon=60", "foreground=yes", "syslog=no", "quiet=yes",
    `pid=${base}.pid`, `cache=${base}.cache`, `ssl_ca_file=${pw.certs.caFile}`,
    "use=no", "usev4=webv4", `webv4=${pw.world.origin}/v4`,
    "protocol=cloudflare", `zone=${PEER_ZONES.ddclient}`, "login=token", `password='${TOKEN}'`,
    `server=${pw.frontIp}/client/v4`, "min-interval=0",
    `h${index}.${PEER_ZONES.ddclient}`,
  ];
  writeFileSync(`${base}.conf`, `${conf.join("\n")}\n`, { mode: 0o600 });
  const proc = Bun.spawn(["ddclient", "-file", `${base}.conf`, "-daemon=60", "-foreground"], { stdout: "ignore", stderr: "ignore" });
  return { name: `ddclient#${index}`, proc, pid: () => proc.pid, stop: async () => void (proc.kill("SIGTERM"), await proc.exited) };
}

export function startInadyn(pw: PeerWorld): PeerProcess {
  const base = join(pw.dir, "inadyn");
  mkdirSync(`${base}-cache`, { recursive: true });
  const conf = [
    "period = 1", `ca-trust-file = ${pw.certs.caFile}`, "provider cloudflare.com {", `  username = ${PEER_ZONES.inadyn}`,
    `  password = ${TOKEN}`, `  hostname = home.${PEER_ZONES.inadyn}`, "  ttl = 1", "  proxied = false",
    `  checkip-server = 127.0.0.1:${pw.world.cf.port}`, "  checkip-path = /v4", "  checkip-ssl = false", "}",
  ];
  writeFileSync(`${base}.conf`, `${conf.join("\n")}\n`, { mode: 0o600 });
  writeFileSync(`${base}.hosts`, `127.0.0.1 localhost\n${pw.frontIp} api.cloudflare.com\n`);
  const script = `mount --bind ${base}.hosts /etc/hosts && exec inadyn -n -f ${base}.conf --cache-dir=${base}-cache -P ${base}.pid -l err`;
  const proc = Bun.spawn(["unshare", "-m", "sh", "-c", script], { stdout: "ignore", stderr: "ignore" });
  const pid = () => {
    try {
      return Number(readFileSync(`${base}.pid`, "utf8").trim()) || proc.pid;
    } catch {
      return proc.pid;
    }
  };
  return {
    name: "inadyn",
    proc,
    pid,
    async stop() {
      const p = pid();
      if (p !== proc.pid) {
        try {
          process.kill(p, "SIGTERM");
        } catch {
          // already gone
        }
      }
      proc.kill("SIGTERM");
      await proc.exited;
    },
  };
}
