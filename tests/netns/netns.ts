import { spawnSync } from "node:child_process";

/**
 * Network namespaces for tests: each gets a unique name and a veth pair `va`/`vb` with both ends inside it (this
 * kernel has no dummy driver), both up. Needs root and iproute2. `remove()` is safe to call twice and from afterAll.
 */

export interface Netns {
  readonly name: string;
  /** Runs `ip -n <ns> <args…>`; throws with ip's stderr on failure. */
  ip(...args: string[]): void;
  /** `ip -n <ns> -batch -` with one command per line: hundreds of changes in one burst. */
  batch(lines: string[]): void;
  /** The argv prefix that runs a command inside the namespace. */
  exec(...argv: string[]): string[];
  /** The addresses `ip` sees on an interface of the namespace, as `address/prefix`, sorted. */
  addresses(dev: string, family: 4 | 6): string[];
  remove(): void;
}

const run = (args: string[], input?: string) => {
  const result = spawnSync("ip", args, { encoding: "utf8", ...(input !== undefined ? { input } : {}) });
  if (result.status !== 0) throw new Error(`ip ${args.join(" ")} failed: ${result.stderr || result.error?.message}`);
  return result.stdout;
};

/** Why namespace tests cannot run here, or `undefined` when they can. */
export function netnsUnavailable(): string | undefined {
  if (process.platform !== "linux") return "network namespaces exist only on Linux";
  if (process.getuid?.() !== 0) return "network namespace tests need root";
  const probe = spawnSync("ip", ["netns", "list"], { encoding: "utf8" });
  return probe.status === 0 ? undefined : "iproute2 (ip) is not available";
}

export function createNetns(label: string): Netns {
  const name = `ddnsd-${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  run(["netns", "add", name]);
  let removed = false;
  const ns: Netns = {
    name,
    ip: (...args) => void run(["-n", name, ...args]),
    batch: (lines) => void run(["-n", name, "-batch", "-"], `${lines.join("\n")}\n`),
    exec: (...argv) => ["ip", "netns", "exec", name, ...argv],
    addresses(dev, family) {
      const json = JSON.parse(run(["-n", name, "-j", `-${family}`, "addr", "show", "dev", dev])) as Array<{
        addr_info?: Array<{ local: string; prefixlen: number }>;
      }>;
      return json.flatMap((link) => link.addr_info ?? []).map((a) => `${a.local}/${a.prefixlen}`).sort();
    },
    remove() {
      if (removed) return;
      removed = true;
      spawnSync("ip", ["netns", "del", name]);
    },
  };
  try {
    ns.ip("link", "set", "lo", "up");
    ns.ip("link", "add", "va", "type", "veth", "peer", "name", "vb");
    ns.ip("link", "set", "va", "up");
    ns.ip("link", "set", "vb", "up");
  } catch (error) {
    ns.remove();
    throw error;
  }
  return ns;
}
