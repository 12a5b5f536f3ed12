import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BINARY, requireBinary } from "./harness.ts";

/**
 * Feeds a deployment's environment to `dist/ddnsd check`, the way the deployment would: the token file the
 * deployment points at is replaced by a temporary one. Returns the exit code and the printed lines.
 */
export function checkEnvironment(env: Record<string, string>): { code: number; lines: string[] } {
  requireBinary();
  const dir = mkdtempSync(join(tmpdir(), "ddnsd-env-check-"));
  try {
    const tokenFile = join(dir, "api-token");
    writeFileSync(tokenFile, "env-check-token-value");
    const withToken = "DDNS_PROVIDER_API_TOKEN_FILE" in env ? { ...env, DDNS_PROVIDER_API_TOKEN_FILE: tokenFile } : env;
    const r = Bun.spawnSync([BINARY, "check"], { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...withToken }, stdout: "pipe", stderr: "pipe" });
    return { code: r.exitCode ?? -1, lines: `${r.stdout.toString()}${r.stderr.toString()}`.split("\n").filter((l) => l !== "") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `VARIABLE=value` lines of an environment file (systemd EnvironmentFile=, compose env_file, podman --env-file). */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) throw new Error(`not VARIABLE=value: ${JSON.stringify(raw)}`);
    env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}
