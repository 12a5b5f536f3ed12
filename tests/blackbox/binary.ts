import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { BINARY, buildBinary, ROOT } from "../../scripts/build.ts";

/**
 * dist/ddnsd for the black-box tests, built when it is missing or older than any file in src/, the build script or
 * package.json (whose build script holds the flags — the JIT policy among them):
 * `bun test` on a fresh clone works after `bun install` alone. Checked once per test process; the build writes a
 * temporary file and renames it (scripts/build.ts), so test processes running at once never see half a binary.
 */
export { BINARY };

const INPUTS = [join(ROOT, "src"), join(ROOT, "scripts", "build.ts"), join(ROOT, "package.json")];

/** The newest input file and its modification time. */
function newestInput(): { path: string; mtimeMs: number } {
  let newest = { path: "", mtimeMs: 0 };
  const visit = (path: string) => {
    const s = statSync(path);
    if (s.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else if (s.mtimeMs > newest.mtimeMs) newest = { path, mtimeMs: s.mtimeMs };
  };
  INPUTS.forEach(visit);
  return newest;
}

/** Why dist/ddnsd must be (re)built, or undefined when it is up to date. */
export function staleReason(binary = BINARY): string | undefined {
  if (!existsSync(binary)) return "is missing";
  const newest = newestInput();
  return newest.mtimeMs > statSync(binary).mtimeMs ? `is older than ${relative(ROOT, newest.path)}` : undefined;
}

let checked = false;

/** Builds dist/ddnsd first when it is missing or stale; once per process. Throws with bun's output on failure. */
export function ensureBinary(): void {
  if (checked) return;
  const reason = staleReason();
  if (reason !== undefined) {
    const started = performance.now();
    process.stderr.write(`dist/ddnsd ${reason}: building it (scripts/build.ts) before the black-box tests…\n`);
    buildBinary();
    process.stderr.write(`dist/ddnsd built in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  checked = true;
}

/**
 * Drops `file` from the page cache (written back first: a dirty page stays), as after a reboot or an image pull. A
 * binary the build has just written sits there in large folios, and every fault then maps more of its neighbours:
 * resident-page figures read right after a build run high (docs/performance.md, "Page cache").
 */
export async function dropFromPageCache(file: string): Promise<void> {
  await Bun.spawn(["sync"], { stdout: "ignore", stderr: "ignore" }).exited;
  await Bun.spawn(["dd", `if=${file}`, "iflag=nocache", "count=0", "status=none"], { stdout: "ignore", stderr: "ignore" }).exited;
}
