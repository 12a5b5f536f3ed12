import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, ROOT } from "../deploy/harness.ts";

/**
 * A private Docker registry (distribution 2.8 from Debian's docker-registry package, unpacked into the CI cache by
 * scripts/install-release-deps.sh) on a free loopback port with its storage in a temporary directory: where the
 * image test pushes the manifest list, as a release pushes it to a real registry.
 */

export interface Registry {
  /** host:port */
  address: string;
  /** GETs a registry API path (`/v2/…`) with the Accept header given. */
  get(path: string, accept?: string): Promise<Response>;
  stop(): Promise<void>;
}

export function registryBinary(): string {
  const candidates = [
    join(process.env.DDNSD_CI_CACHE ?? "/var/cache/ddnsd-ci", "registry", "docker-registry"),
    join(ROOT, ".tmp", "ddnsd-ci", "registry", "docker-registry"),
  ];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`the Docker registry is not cached (looked in ${candidates.join(", ")}): run "bash scripts/install-release-deps.sh" (CI runs it)`);
  return found;
}

export async function startRegistry(): Promise<Registry> {
  const dir = mkdtempSync(join(tmpdir(), "ddnsd-registry-"));
  const address = `127.0.0.1:${freePort()}`;
  const config = join(dir, "config.yml");
  writeFileSync(
    config,
    ["version: 0.1", "log:", "  level: error", "storage:", "  filesystem:", `    rootdirectory: ${join(dir, "data")}`, "http:", `  addr: ${address}`, ""].join("\n"),
  );
  const proc = Bun.spawn([registryBinary(), "serve", config], { stdout: "ignore", stderr: "pipe" });
  const get = (path: string, accept?: string) => fetch(`http://${address}${path}`, { headers: accept ? { Accept: accept } : {} });
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      if ((await get("/v2/")).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || proc.exitCode !== null) {
      proc.kill("SIGKILL");
      throw new Error(`the registry did not start on ${address}: ${await new Response(proc.stderr).text()}`);
    }
    await Bun.sleep(50);
  }
  return {
    address,
    get,
    async stop() {
      proc.kill("SIGTERM");
      await proc.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
