import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { RELEASE_TARGETS, releaseFileName, type ReleaseTarget } from "../../scripts/release/targets.ts";

/**
 * Shared by the release tests: the release executables (built by `bun run release` when missing or older than
 * their inputs, so `bun test` works on a fresh clone), the arm64/amd64 sysroots (scripts/fetch-sysroot.sh, cached),
 * and qemu-user command prefixes. .ci/run installs qemu-user-static and binutils; where qemu is missing the emulated
 * tests are skipped and say why in their name.
 */

export const ROOT = join(import.meta.dir, "..", "..");
export const RELEASE_DIR = join(ROOT, "dist", "release");
export const BUILD_OUTPUT = join(ROOT, "dist", "ddnsd");
export const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

export const target = (arch: ReleaseTarget["arch"]): ReleaseTarget => RELEASE_TARGETS.find((t) => t.arch === arch)!;
export const releaseBinary = (arch: ReleaseTarget["arch"]) => join(RELEASE_DIR, releaseFileName(target(arch)));

/** The newest modification time among the files a build depends on. */
function newestInput(paths: string[]): number {
  let newest = 0;
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const path of paths) visit(join(ROOT, path));
  return newest;
}

const BUILD_INPUTS = ["src", "package.json", "bun.lock", "tsconfig.json"];
const RELEASE_INPUTS = [...BUILD_INPUTS, "scripts/release.ts", "scripts/release"];

const stale = (file: string, inputs: string[]) => !existsSync(file) || statSync(file).mtimeMs < newestInput(inputs);

function runScript(name: string): void {
  const r = Bun.spawnSync(["bun", "run", name], { cwd: ROOT, stdout: "pipe", stderr: "pipe", timeout: 300_000 });
  if (r.exitCode !== 0) throw new Error(`bun run ${name} exited ${r.exitCode}\n${r.stderr.toString()}${r.stdout.toString()}`);
}

/** dist/release/* from `bun run release`, rebuilt when missing or older than src/, package.json or the scripts. */
export function ensureRelease(): void {
  const files = [...RELEASE_TARGETS.map((t) => join(RELEASE_DIR, releaseFileName(t))), join(RELEASE_DIR, "SHA256SUMS")];
  if (files.some((f) => stale(f, RELEASE_INPUTS))) runScript("release");
}

/** dist/ddnsd from `bun run build`, rebuilt when missing or older than its inputs. */
export function ensureBuild(): void {
  if (stale(BUILD_OUTPUT, BUILD_INPUTS)) runScript("build");
}

/** Why this machine cannot run `target` under qemu-user, or undefined when it can. */
export function whyNoEmulator(t: ReleaseTarget): string | undefined {
  if (process.platform !== "linux") return "qemu-user runs Linux executables on Linux only";
  if (Bun.which(t.qemu) === null) return `${t.qemu} is not installed (Debian package qemu-user-static; .ci/run installs it)`;
  return undefined;
}

const sysroots = new Map<string, string>();
/** Debian's libc6 for `arch`, unpacked by scripts/fetch-sysroot.sh (cached in /var/cache/ddnsd-ci). */
export function sysroot(arch: "arm64" | "amd64"): string {
  const known = sysroots.get(arch);
  if (known) return known;
  const r = Bun.spawnSync(["bash", join(ROOT, "scripts", "fetch-sysroot.sh"), arch], { cwd: ROOT, stdout: "pipe", stderr: "pipe", timeout: 300_000 });
  const path = r.stdout.toString().trim().split("\n").at(-1) ?? "";
  if (r.exitCode !== 0 || !existsSync(path)) throw new Error(`scripts/fetch-sysroot.sh ${arch} exited ${r.exitCode}\n${r.stderr.toString()}`);
  sysroots.set(arch, path);
  return path;
}

export interface Emulation {
  /** qemu's -cpu model, e.g. cortex-a53 (ARMv8.0, no LSE atomics) or Nehalem (x86-64-v2, no AVX). */
  cpu: string;
  /** The root the loader and libraries are looked up in (-L); none for the host's own. */
  root?: string;
  /** The page size the emulated program is told (AT_PAGESZ), for 16K/64K-page kernels (-p). */
  pageSize?: number;
}

/** The argv that runs `binary` under qemu-user with `emulation`. */
export function emulated(t: ReleaseTarget, binary: string, emulation: Emulation): string[] {
  return [
    t.qemu,
    "-cpu", emulation.cpu,
    ...(emulation.root ? ["-L", emulation.root] : []),
    ...(emulation.pageSize ? ["-p", String(emulation.pageSize)] : []),
    binary,
  ];
}
