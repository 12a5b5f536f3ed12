import { existsSync } from "node:fs";
import { join } from "node:path";
import { TOKEN, freePort, type World } from "./world.ts";

/**
 * Starting dist/ddnsd for a bench phase, the way the container image runs it (IMAGE_ENV), against a World.
 */

export const BINARY = join(import.meta.dir, "..", "dist", "ddnsd");

/**
 * The runtime settings the container image sets (its ENV line): JavaScriptCore runs ddnsd's JavaScript in its
 * interpreter (no baseline/DFG/FTL JIT; no RegExp JIT). The JIT itself stays enabled, because bun:ffi (the netlink
 * source) refuses to work with BUN_JSC_useJIT=0. bench/memory.ts measures every setting; docs/performance.md has the
 * trade-off.
 */
export const IMAGE_ENV: Record<string, string> = { BUN_JSC_useBaselineJIT: "0", BUN_JSC_useRegExpJIT: "0" };

export interface OursOptions {
  records: string[];
  pollInterval?: string;
  verifyInterval?: string;
  /** Defaults to the world's own http API URL. */
  apiUrl?: string;
  env?: Record<string, string>;
  /** false: no HTTP listener (DDNS_HTTP_ADDR=off). */
  http?: boolean;
  argv?: string[];
  /** false: without IMAGE_ENV (Bun's defaults), e.g. to compare settings. */
  imageEnv?: boolean;
  /** Another build of ddnsd (default dist/ddnsd). */
  binary?: string;
  /** Where the daemon's log lines go (default: discarded). */
  stdout?: "ignore" | "inherit";
}

export interface Ours {
  proc: ReturnType<typeof Bun.spawn>;
  port: number;
  /** Resolves once /readyz answers 200 (every record confirmed), with the ms since spawn. */
  ready(timeoutMs?: number): Promise<number>;
  stop(): Promise<number>;
}

export function requireBinary(): void {
  if (!existsSync(BINARY)) throw new Error("dist/ddnsd is missing: run `bun run build` first");
}

export async function startOurs(world: World, o: OursOptions): Promise<Ours> {
  requireBinary();
  const port = o.http === false ? 0 : await freePort();
  const started = performance.now();
  const proc = Bun.spawn([o.binary ?? BINARY, ...(o.argv ?? [])], {
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      ...(o.imageEnv === false ? {} : IMAGE_ENV),
      DDNS_PROVIDER_TYPE: "cloudflare",
      DDNS_PROVIDER_API_TOKEN: TOKEN,
      DDNS_PROVIDER_API_URL: o.apiUrl ?? world.url,
      DDNS_RECORDS: o.records.join(","),
      DDNS_IP_VERSIONS: "4",
      DDNS_IP_SOURCE_URLS_V4: `${world.origin}/v4`,
      DDNS_HTTP_ADDR: o.http === false ? "off" : `127.0.0.1:${port}`,
      DDNS_POLL_INTERVAL: o.pollInterval ?? "1s",
      DDNS_VERIFY_INTERVAL: o.verifyInterval ?? "1h",
      DDNS_LOG_LEVEL: "warn",
      ...o.env,
    },
    stdout: o.stdout ?? "ignore",
    stderr: "inherit",
  });
  return {
    proc,
    port,
    async ready(timeoutMs = 60_000) {
      for (;;) {
        const status = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status, () => 0);
        if (status === 200) return performance.now() - started;
        if (proc.exitCode !== null) throw new Error(`dist/ddnsd exited with ${proc.exitCode} before it was ready`);
        if (performance.now() - started > timeoutMs) throw new Error(`dist/ddnsd was not ready within ${timeoutMs} ms`);
        await Bun.sleep(10);
      }
    },
    async stop() {
      proc.kill("SIGTERM");
      return proc.exited;
    },
  };
}
