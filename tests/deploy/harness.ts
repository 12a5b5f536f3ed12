import { existsSync } from "node:fs";
import { join } from "node:path";
import { ensureBinary } from "../blackbox/binary.ts";

/**
 * Shared helpers for the deployment tests: tool checks that fail loudly (CI installs the tools through
 * scripts/install-deploy-deps.sh, so a missing one is a broken setup, never a reason to skip), podman with this
 * machine's settings, and polling.
 */

export const ROOT = join(import.meta.dir, "..", "..");
export const BINARY = join(ROOT, "dist", "ddnsd");
/** runc, cgroupfs, file events, explicit ulimits: what podman 4.3 needs on these machines (see the file). */
export const CONTAINERS_CONF = join(import.meta.dir, "containers.conf");
const INSTALL_HINT = 'run "bash scripts/install-deploy-deps.sh" (as root; CI runs it from scripts/install-test-deps.sh)';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs to completion. Blocks the event loop: never for a command that needs a fake served by this process. */
export function run(cmd: string[], options: { env?: Record<string, string | undefined>; cwd?: string; timeoutMs?: number } = {}): RunResult {
  try {
    const r = Bun.spawnSync(cmd, {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, CONTAINERS_CONF, ...options.env },
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
      timeout: options.timeoutMs ?? 120_000,
    });
    return { code: r.exitCode ?? -1, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
  } catch (error) {
    // A missing executable: reported like a shell would, so callers (and cleanups) need no second path.
    return { code: 127, stdout: "", stderr: `${cmd[0]}: ${String(error)}` };
  }
}

/** Like run(), without blocking the event loop: for commands that talk to fakes served by this test process. */
export async function runAsync(cmd: string[], options: { env?: Record<string, string | undefined>; cwd?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  let p;
  try {
    p = Bun.spawn(cmd, { cwd: options.cwd ?? ROOT, env: { ...process.env, CONTAINERS_CONF, ...options.env }, stdin: "ignore", stdout: "pipe", stderr: "pipe", timeout: options.timeoutMs ?? 120_000 });
  } catch (error) {
    return { code: 127, stdout: "", stderr: `${cmd[0]}: ${String(error)}` };
  }
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, stdout, stderr };
}

/** Runs and insists on exit 0, with the command's own words in the error otherwise. */
export function must(cmd: string[], options: Parameters<typeof run>[1] = {}): string {
  const r = run(cmd, options);
  if (r.code !== 0) throw new Error(`${cmd.join(" ")} exited ${r.code}\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

export const podman = (...args: string[]) => run(["podman", ...args]);

function onPath(tool: string): boolean {
  return Bun.which(tool) !== null || existsSync(`/usr/sbin/${tool}`);
}

/** Throws (the test fails) with the missing tools named and how to install them. */
export function requireTools(...tools: string[]): void {
  const missing = tools.filter((t) => !onPath(t));
  if (missing.length > 0) throw new Error(`missing ${missing.join(", ")}: ${INSTALL_HINT}`);
}

/** Rootful podman: the container tests publish ports, mount images and create secrets as root. */
export function requireRootPodman(): void {
  requireTools("podman", "runc", "slirp4netns");
  if (process.getuid?.() !== 0) throw new Error("the container tests run rootful podman: run them as root (CI does)");
}

/** dist/ddnsd, built first when missing or stale (tests/blackbox/binary.ts). */
export function requireBinary(): void {
  ensureBinary();
}

/** The quadlet generator fetched from Debian trixie's podman by scripts/install-deploy-deps.sh. */
export function quadletPath(): string {
  const candidates = [
    process.env.DDNSD_QUADLET,
    join(process.env.DDNSD_CI_CACHE ?? "/var/cache/ddnsd-ci", "quadlet", "quadlet"),
    join(ROOT, ".tmp", "ddnsd-ci", "quadlet", "quadlet"),
  ].filter((p): p is string => typeof p === "string" && p !== "");
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`the quadlet generator is not cached (looked in ${candidates.join(", ")}): ${INSTALL_HINT}`);
  return found;
}

/** Polls `probe` until it returns a value other than undefined, or fails naming `what`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await Bun.sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ""}`);
}

/** Builds the image from dist/ddnsd with the offline path users get too (scripts/container-build.sh). */
export function buildImage(tag: string): void {
  requireBinary();
  must(["bash", "scripts/container-build.sh", tag], { timeoutMs: 300_000 });
}

/** Removes containers, volumes, secrets and images a test made; never fails (cleanup). */
export function cleanup(kind: "container" | "secret" | "image" | "volume" | "network", ...names: string[]): void {
  for (const name of names) {
    if (kind === "container") podman("rm", "-f", "-v", "-t", "0", name);
    else if (kind === "image") podman("rmi", "-f", name);
    else if (kind === "secret") podman("secret", "rm", name);
    else podman(kind, "rm", "-f", name);
  }
}

/** A unique suffix for names shared with the machine's podman (containers, secrets, images). */
export const RUN_ID = `${process.pid}`;

/** A loopback TCP port free right now (for publishing container ports at a known address). */
export function freePort(): number {
  const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = server.port;
  server.stop(true);
  return port;
}
