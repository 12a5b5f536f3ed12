/**
 * `bun run build`: compiles dist/ddnsd (the daemon plus the netlink Worker as a second entrypoint). The black-box
 * test harness calls `buildBinary` too, so both build exactly the same way.
 *
 * The compiled binary reads no file it was not told to read: Bun's executables load `.env`, `.env.local` and
 * `bunfig.toml` (whose `preload` runs code) from the working directory unless told not to, so every autoload is off.
 * The result is written to a temporary file and renamed into place: a reader (a test process, a container build)
 * sees the old binary or the new one, never half of one, even when two builds run at once.
 */
import { existsSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";

export const ROOT = join(import.meta.dir, "..");
export const BINARY = join(ROOT, "dist", "ddnsd");

export const BUILD_ARGS = [
  "build", "--compile", "--minify", "--sourcemap", "--bytecode", "--format=esm",
  "--no-compile-autoload-dotenv", "--no-compile-autoload-bunfig",
  "--no-compile-autoload-tsconfig", "--no-compile-autoload-package-json",
  "src/main.ts", "src/ip/netlink/bun-worker.ts",
];

/** Builds `outfile` (dist/ddnsd by default); returns bun's output, throws with it when the build fails. */
export function buildBinary(outfile = BINARY): string {
  const tmp = `${outfile}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const run = Bun.spawnSync([process.execPath, ...BUILD_ARGS, "--outfile", tmp], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  const output = `${run.stdout.toString()}${run.stderr.toString()}`;
  if (run.exitCode !== 0) {
    rmSync(tmp, { force: true });
    rmSync(`${tmp}.map`, { force: true });
    throw new Error(`bun build exited ${run.exitCode}:\n${output}`);
  }
  // --sourcemap also writes the map beside the output; it keeps the binary's name.
  if (existsSync(`${tmp}.map`)) renameSync(`${tmp}.map`, `${outfile}.map`);
  renameSync(tmp, outfile);
  return output;
}

if (import.meta.main) {
  try {
    process.stdout.write(buildBinary());
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}
