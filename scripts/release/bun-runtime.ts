import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The Bun runtime of a release target (`@oven/bun-linux-aarch64` …, `bin/bun`), fetched with `npm pack` — so the
 * npm registry configuration applies as it does for any npm command (.npmrc `registry=`, scoped registries,
 * `npm_config_registry`, proxies, auth) and a mirror works — at exactly the pinned Bun version, and cached: once
 * fetched, a release needs no network. npm checks the tarball against the registry's integrity hash; the cache
 * keeps that hash and the runtime's own SHA-256, and a cached runtime whose bytes no longer match is fetched again.
 */

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RuntimeWorld {
  /** Where runtimes are kept: one directory per package and version. */
  cacheDir: string;
  /** Runs a command to completion (npm, tar). */
  run(cmd: string[], options?: { cwd?: string }): Promise<RunResult>;
  log(line: string): void;
}

export interface CachedRuntime {
  /** The runtime executable. */
  path: string;
  /** false when it came from the cache. */
  fetched: boolean;
  /** The registry's integrity hash of the package tarball (sha512-…). */
  integrity: string;
  sha256: string;
}

interface Meta {
  package: string;
  version: string;
  integrity: string;
  sha256: string;
}

export class RuntimeFetchError extends Error {
  override name = "RuntimeFetchError";
}

export async function sha256File(path: string): Promise<string> {
  const hasher = new Bun.CryptoHasher("sha256");
  for await (const chunk of Bun.file(path).stream()) hasher.update(chunk);
  return hasher.digest("hex");
}

const entryDir = (cacheDir: string, pkg: string, version: string) => join(cacheDir, `${pkg.replace(/^@/, "").replace("/", "-")}-${version}`);

function readMeta(dir: string): Meta | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, "meta.json"), "utf8")) as Meta;
  } catch {
    return undefined;
  }
}

/** The cached runtime when it is complete and unchanged; undefined otherwise (then it is fetched). */
async function cached(dir: string, pkg: string, version: string): Promise<CachedRuntime | undefined> {
  const meta = readMeta(dir);
  const path = join(dir, "bun");
  if (!meta || meta.package !== pkg || meta.version !== version || !existsSync(path)) return undefined;
  const sha256 = await sha256File(path);
  if (sha256 !== meta.sha256) return undefined;
  return { path, fetched: false, integrity: meta.integrity, sha256 };
}

/** `npm pack PKG@VERSION` into `into`; returns the tarball's path and the registry's integrity hash. */
async function npmPack(world: RuntimeWorld, spec: string, into: string): Promise<{ tarball: string; integrity: string }> {
  const r = await world.run(["npm", "pack", spec, "--pack-destination", into, "--json", "--ignore-scripts"], { cwd: into });
  if (r.code !== 0) {
    const registry = (await world.run(["npm", "config", "get", "registry"])).stdout.trim() || "(unknown)";
    const detail = r.stderr.trim().split("\n").slice(-3).join(" / ");
    throw new RuntimeFetchError(
      `could not fetch ${spec} with npm (exit ${r.code}) from the registry ${JSON.stringify(registry)}: ${detail}. ` +
        "The target runtimes come from the npm registry npm is configured with: check that it is reachable, or point npm at a mirror (.npmrc registry=…)",
    );
  }
  let packed: { filename?: string; integrity?: string }[];
  try {
    packed = JSON.parse(r.stdout);
  } catch {
    throw new RuntimeFetchError(`npm pack ${spec} printed no JSON report: ${JSON.stringify(r.stdout.slice(0, 200))}`);
  }
  const first = packed[0];
  const tarball = first?.filename ? join(into, first.filename) : readdirSync(into).map((f) => join(into, f)).find((f) => f.endsWith(".tgz"));
  if (!tarball || !existsSync(tarball)) throw new RuntimeFetchError(`npm pack ${spec} reported no tarball in ${into}`);
  return { tarball, integrity: first?.integrity ?? "" };
}

/** The runtime of `pkg` at `version`: from the cache, or fetched through npm and cached. */
export async function ensureRuntime(pkg: string, version: string, world: RuntimeWorld): Promise<CachedRuntime> {
  const dir = entryDir(world.cacheDir, pkg, version);
  const hit = await cached(dir, pkg, version);
  if (hit) {
    world.log(`${pkg}@${version}: cached (${hit.path})`);
    return hit;
  }
  const spec = `${pkg}@${version}`;
  world.log(`${spec}: fetching with npm pack…`);
  const work = `${dir}.partial-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    const { tarball, integrity } = await npmPack(world, spec, work);
    const untar = await world.run(["tar", "-xzf", tarball, "-C", work, "package/package.json", "package/bin/bun"]);
    if (untar.code !== 0) throw new RuntimeFetchError(`${spec}: the package has no bin/bun (tar: ${untar.stderr.trim()})`);
    const manifest = JSON.parse(readFileSync(join(work, "package", "package.json"), "utf8")) as { name?: string; version?: string };
    if (manifest.name !== pkg || manifest.version !== version) {
      throw new RuntimeFetchError(`${spec}: the registry answered with ${JSON.stringify(`${manifest.name}@${manifest.version}`)}`);
    }
    const path = join(work, "bun");
    renameSync(join(work, "package", "bin", "bun"), path);
    chmodSync(path, 0o755);
    rmSync(join(work, "package"), { recursive: true, force: true });
    rmSync(tarball, { force: true });
    const sha256 = await sha256File(path);
    writeFileSync(join(work, "meta.json"), `${JSON.stringify({ package: pkg, version, integrity, sha256 } satisfies Meta, null, 2)}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(work, dir);
    world.log(`${spec}: fetched (${integrity || "no integrity reported"}), cached in ${dir}`);
    return { path: join(dir, "bun"), fetched: true, integrity, sha256 };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
