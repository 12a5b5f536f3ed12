/**
 * `bun run release`: the release executables, cross-compiled on this machine.
 *
 *   dist/release/ddnsd-linux-x64     x86-64-v2 or later (Nehalem+, no AVX needed), glibc
 *   dist/release/ddnsd-linux-arm64   AArch64 (ARMv8.0+, e.g. Cortex-A53/A72 of the Raspberry Pi 3/4), glibc
 *   dist/release/SHA256SUMS          `sha256sum -c SHA256SUMS` checks them
 *
 * Each is `bun build` with exactly the flags of package.json's `build` script (read from it, so they cannot drift),
 * plus `--target` and `--compile-executable-path=<that target's Bun runtime>`. The runtimes are npm packages at the
 * Bun version package.json pins (`packageManager`), fetched with `npm pack` (the npm registry configuration applies,
 * so a mirror works) and cached in $DDNSD_RELEASE_CACHE (default ~/.cache/ddnsd-release): with the cache filled, a
 * release needs no network at all. Steps and checks: docs/release.md.
 */
import { copyFileSync, chmodSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, relative } from "node:path";
import { buildArguments, pinnedBunVersion, releaseBuildCommand } from "./release/build-command.ts";
import { ensureRuntime, sha256File, type RunResult } from "./release/bun-runtime.ts";
import { nativeTarget, readElfHeader, releaseFileName, RELEASE_TARGETS } from "./release/targets.ts";

const ROOT = join(import.meta.dir, "..");
const OUT = join(ROOT, "dist", "release");
const STAGING = join(ROOT, ".tmp", "release");
const log = (line: string) => console.log(`release: ${line}`);
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function fail(message: string): never {
  console.error(`release: ${message}`);
  process.exit(1);
}

/** npm and tar with this process's environment, minus what `bun run` adds for npm to mistake as its own config. */
async function run(cmd: string[], options: { cwd?: string } = {}): Promise<RunResult> {
  const env = { ...process.env };
  delete env.npm_config_user_agent;
  const p = Bun.spawn(cmd, { cwd: options.cwd ?? ROOT, env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, stdout, stderr };
}

const cacheDir = process.env.DDNSD_RELEASE_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "ddnsd-release");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string; packageManager?: string; scripts?: Record<string, string> };

let bunVersion: string;
let buildArgs: string[];
try {
  bunVersion = pinnedBunVersion(pkg);
  buildArgs = buildArguments(pkg.scripts?.build);
} catch (error) {
  fail((error as Error).message);
}
if (Bun.version !== bunVersion) {
  fail(`this is Bun ${Bun.version}, but package.json pins bun@${bunVersion}; the release must be built by the Bun whose runtimes it embeds: npm install -g bun@${bunVersion}`);
}
log(`ddnsd ${pkg.version}, Bun ${bunVersion} (package.json "packageManager"), runtimes cached in ${cacheDir}`);
log(`flags from package.json's build script: ${buildArgs.join(" ")}`);

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const sums: string[] = [];
for (const target of RELEASE_TARGETS) {
  let runtime;
  try {
    runtime = await ensureRuntime(target.npmPackage, bunVersion, { cacheDir, run, log });
  } catch (error) {
    fail((error as Error).message);
  }
  // Staged under the name `ddnsd`, the name `bun run build` gives its output: the embedded file name is the same,
  // so the x64 release is byte for byte what `bun run build` makes on an x86-64 machine.
  const staging = join(STAGING, target.arch);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const started = performance.now();
  const cmd = [process.execPath, ...releaseBuildCommand(buildArgs, { target: target.bunTarget, executablePath: runtime.path, outfile: join(staging, "ddnsd") })];
  const built = await run(cmd);
  if (built.code !== 0) fail(`bun build for ${target.bunTarget} exited ${built.code}:\n${built.stderr}${built.stdout}`);
  const staged = join(staging, "ddnsd");
  const elf = readElfHeader(staged);
  if (elf?.machine !== target.elfMachine || elf.elfClass !== 2) {
    fail(`${target.bunTarget}: bun build wrote ${JSON.stringify(elf ?? "no ELF file")}, not a 64-bit executable for e_machine ${target.elfMachine}`);
  }
  const file = join(OUT, releaseFileName(target));
  copyFileSync(staged, file);
  chmodSync(file, 0o755);
  const sha256 = await sha256File(file);
  sums.push(`${sha256}  ${releaseFileName(target)}`);
  log(`${relative(ROOT, file)}: ${mib(statSync(file).size)}, sha256 ${sha256} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
writeFileSync(join(OUT, "SHA256SUMS"), `${sums.sort((a, b) => a.slice(66).localeCompare(b.slice(66))).join("\n")}\n`);

// The one target this machine runs natively answers --version (the others: tests/release under qemu-user).
const native = nativeTarget();
if (native) {
  const file = join(OUT, releaseFileName(native));
  const r = await run([file, "--version"]);
  if (r.code !== 0 || r.stdout.trim() !== `ddnsd ${pkg.version} (bun)`) fail(`${file} --version answered ${JSON.stringify(r.stdout + r.stderr)} (exit ${r.code})`);
  log(`${relative(ROOT, file)} --version: ${r.stdout.trim()}`);
}
log(`${relative(ROOT, join(OUT, "SHA256SUMS"))}: check with (cd dist/release && sha256sum -c SHA256SUMS)`);
