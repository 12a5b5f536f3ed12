/**
 * Builds dist/ddnsd the way `bun run build` does (the daemon plus the netlink Worker as a second entrypoint), for
 * the black-box test harness, which calls `buildBinary` when the binary is missing or stale.
 *
 * The compiled binary reads no file it was not told to read: Bun's executables load `.env`, `.env.local` and
 * `bunfig.toml` (whose `preload` runs code) from the working directory unless told not to, so every autoload is off.
 * The result is written to a temporary file and renamed into place: a reader (a test process, a container build)
 * sees the old binary or the new one, never half of one, even when two builds run at once.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import process from "node:process";
import { buildArguments } from "./release/build-command.ts";

export const ROOT = join(import.meta.dir, "..");
export const BINARY = join(ROOT, "dist", "ddnsd");

/**
 * The flags of package.json's `build` script, the one place they are written (`bun run release` replays the same
 * line for each target): the test harness builds exactly what `bun run build` builds, only atomically.
 */
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts?: Record<string, string> };
export const BUILD_ARGS = ["build", ...buildArguments(pkg.scripts?.build)];

/** Builds `outfile` (dist/ddnsd by default); returns bun's output, throws with it when the build fails. */
export function buildBinary(outfile = BINARY): string {
  // The executable embeds its output's file name: build under the same name in a private directory, then rename.
  const dir = join(dirname(outfile), `.build-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  const tmp = join(dir, basename(outfile));
  mkdirSync(dir, { recursive: true });
  try {
    const run = Bun.spawnSync([process.execPath, ...BUILD_ARGS, "--outfile", tmp], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
    const output = `${run.stdout.toString()}${run.stderr.toString()}`;
    if (run.exitCode !== 0) throw new Error(`bun build exited ${run.exitCode}:\n${output}`);
    // --sourcemap also writes the map beside the output; it keeps the binary's name.
    if (existsSync(`${tmp}.map`)) renameSync(`${tmp}.map`, `${outfile}.map`);
    renameSync(tmp, outfile);
    return output;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  try {
    process.stdout.write(buildBinary());
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}
