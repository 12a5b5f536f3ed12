import { forwardIntoNamespace, type Forward } from "../netns/forward.ts";
import { startRouterLab, type RouterLab, type RouterLabOptions } from "../netns/router.ts";
import { spawnDaemon, type Daemon, type SpawnOptions } from "./harness.ts";
import { startWorld, until, type TestWorld } from "./world.ts";

/**
 * dist/ddnsd behind a real router: the router lab (tests/netns/router.ts, miniupnpd) with the daemon in its client
 * namespace, and the fake Cloudflare API + IP echo (tests/blackbox/world.ts) in this process, reached from the
 * namespace through tests/netns/forward.ts. The daemon's own HTTP server listens on 127.0.0.1:8080 inside the
 * namespace (a namespace of its own: no other test can hold that port) and is read with curl there.
 */

export const DAEMON_HTTP = "127.0.0.1:8080";

export interface RouterWorld {
  lab: RouterLab;
  world: TestWorld;
  forward: Forward;
  /** The fakes' origin as the daemon sees it (`http://127.0.0.1:<port>` in the client namespace). */
  origin: string;
  /** world.env() pointed at the forward, with DDNS_IP_SOURCE_TYPE=router, IPv4 only, a 1 s poll, HTTP on. */
  env(extra?: Record<string, string | undefined>): Record<string, string | undefined>;
  /** Starts dist/ddnsd in the client namespace and waits until it is ready. */
  start(extra?: Record<string, string | undefined>): Promise<Daemon>;
  /** Runs `args` (e.g. `once`) in the client namespace; `options.command` replaces dist/ddnsd (e.g. Deno). */
  spawn(args: string[], extra?: Record<string, string | undefined>, options?: Pick<SpawnOptions, "command" | "cwd">): Daemon;
  /** world.ts's `until`, whose failure also shows the daemons' output and the end of miniupnpd's log. */
  until<T>(probe: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs: number, label: string): Promise<T>;
  /** GET a path of the daemon's HTTP server (curl in the client namespace). */
  get(path: string): Promise<string>;
  a(name?: string): string[];
  aaaa(name?: string): string[];
  /** The bodies of every write the fake API received, as text. */
  writes(): string[];
  stop(): Promise<void>;
}

export async function startRouterWorld(labOptions: RouterLabOptions, echo: { v4?: string; v6?: string } = { v4: "198.51.100.7" }): Promise<RouterWorld> {
  const world = await startWorld(echo);
  const daemons: Daemon[] = [];
  let lab: RouterLab | undefined;
  let forward: Forward | undefined;
  try {
    lab = await startRouterLab(labOptions);
    forward = await forwardIntoNamespace(lab.clientNs, Number(new URL(world.cf.origin).port));
  } catch (error) {
    await lab?.stop();
    await world.stop();
    throw error;
  }
  const l = lab;
  const f = forward;
  const env = (extra: Record<string, string | undefined> = {}) => {
    const base = world.env({ DDNS_IP_SOURCE_TYPE: "router", DDNS_IP_VERSIONS: "4", DDNS_POLL_INTERVAL: "1s", DDNS_HTTP_ADDR: DAEMON_HTTP, ...extra });
    return Object.fromEntries(Object.entries(base).map(([k, v]) => [k, v?.replaceAll(world.cf.origin, f.origin)]));
  };
  return {
    lab: l,
    world,
    forward: f,
    origin: f.origin,
    env,
    async start(extra = {}) {
      const d = spawnDaemon([], env(extra), [], { prefix: l.exec() });
      daemons.push(d);
      await d.waitForLine("INFO Ready to monitor IP changes", 15_000);
      return d;
    },
    spawn(args, extra = {}, options = {}) {
      const d = spawnDaemon(args, env(extra), [], { ...options, prefix: l.exec() });
      daemons.push(d);
      return d;
    },
    async until(probe, ok, timeoutMs, label) {
      try {
        return await until(probe, ok, timeoutMs, label);
      } catch (error) {
        const output = daemons.map((d) => d.lines.join("\n")).join("\n---\n");
        const log = l.logs().split("\n").slice(-40).join("\n");
        throw new Error(`${(error as Error).message}\n--- ddnsd:\n${output}\n--- miniupnpd (last 40 lines):\n${log}`);
      }
    },
    async get(path) {
      const r = await l.run("curl", "-sS", "--max-time", "5", `http://${DAEMON_HTTP}${path}`);
      if (r.code !== 0) throw new Error(`curl ${path} in the client namespace failed: ${r.stderr}`);
      return r.stdout;
    },
    a: (name = "home.example.com") => world.cf.contents(name, "A"),
    aaaa: (name = "home.example.com") => world.cf.contents(name, "AAAA"),
    writes: () => world.cf.requests().filter((r) => r.method !== "GET").map((r) => JSON.stringify(r.body ?? "")),
    async stop() {
      for (const d of daemons) {
        d.kill("SIGKILL");
        await d.proc.exited;
      }
      await f.stop();
      await l.stop();
      await world.stop();
    },
  };
}

/** The value of one exact series (`name{labels}`) in a /metrics text, undefined when absent. */
export function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
