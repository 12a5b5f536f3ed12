import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureRuntime, RuntimeFetchError, sha256File, type RunResult, type RuntimeWorld } from "../../scripts/release/bun-runtime.ts";
import { createHash } from "node:crypto";

/**
 * The target runtimes' cache (scripts/release/bun-runtime.ts) with a stand-in for `npm pack` that writes a real
 * tarball shaped like the @oven/bun-linux-* packages (package/package.json, package/bin/bun); tar is the real one.
 */

const PKG = "@oven/bun-linux-aarch64";
let dir: string;
let packs: string[];
/** What the stand-in registry serves: the package.json name/version and bin/bun's content; or an npm failure. */
let served: { name: string; version: string; bun: string } | { fail: string };

async function run(cmd: string[], options: { cwd?: string } = {}): Promise<RunResult> {
  if (cmd[0] === "npm" && cmd[1] === "config") return { code: 0, stdout: "https://registry.mirror.test/\n", stderr: "" };
  if (cmd[0] === "npm" && cmd[1] === "pack") {
    packs.push(cmd[2]!);
    if ("fail" in served) return { code: 1, stdout: "", stderr: `npm error code E404\nnpm error ${served.fail}\n` };
    const dest = cmd[cmd.indexOf("--pack-destination") + 1]!;
    const tree = mkdtempSync(join(dir, "tree-"));
    mkdirSync(join(tree, "package", "bin"), { recursive: true });
    writeFileSync(join(tree, "package", "package.json"), JSON.stringify({ name: served.name, version: served.version }));
    writeFileSync(join(tree, "package", "bin", "bun"), served.bun);
    const filename = "oven-bun-linux-aarch64-1.4.5.tgz";
    Bun.spawnSync(["tar", "-czf", join(dest, filename), "-C", tree, "package"]);
    return { code: 0, stdout: JSON.stringify([{ filename, integrity: "sha512-standin" }]), stderr: "" };
  }
  const r = Bun.spawnSync(cmd, { cwd: options.cwd, stdout: "pipe", stderr: "pipe" });
  return { code: r.exitCode ?? -1, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

const world = (): RuntimeWorld => ({ cacheDir: join(dir, "cache"), run, log: () => {} });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ddnsd-runtime-cache-"));
  packs = [];
  served = { name: PKG, version: "1.4.5", bun: "#!/bin/sh\necho pretend-bun\n" };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the target runtime cache", () => {
  it("fetches the pinned version through npm pack once, then serves it from the cache without npm", async () => {
    const first = await ensureRuntime(PKG, "1.4.5", world());
    expect(packs).toEqual([`${PKG}@1.4.5`]);
    expect(first).toMatchObject({ fetched: true, integrity: "sha512-standin" });
    expect(await Bun.file(first.path).text()).toBe("#!/bin/sh\necho pretend-bun\n");
    expect(first.sha256).toBe(await sha256File(first.path));
    const second = await ensureRuntime(PKG, "1.4.5", world());
    expect(packs).toHaveLength(1);
    expect(second).toEqual({ ...first, fetched: false });
  });

  it("keeps versions apart: another pinned version is fetched, not taken from the cache", async () => {
    await ensureRuntime(PKG, "1.4.5", world());
    served = { name: PKG, version: "1.4.6", bun: "newer" };
    const other = await ensureRuntime(PKG, "1.4.6", world());
    expect(packs).toEqual([`${PKG}@1.4.5`, `${PKG}@1.4.6`]);
    expect(await Bun.file(other.path).text()).toBe("newer");
  });

  it("fetches again when the cached runtime's bytes no longer match what was fetched", async () => {
    const first = await ensureRuntime(PKG, "1.4.5", world());
    writeFileSync(first.path, "tampered");
    const again = await ensureRuntime(PKG, "1.4.5", world());
    expect(packs).toHaveLength(2);
    expect(again.fetched).toBe(true);
    expect(await Bun.file(again.path).text()).toBe("#!/bin/sh\necho pretend-bun\n");
  });

  it("refuses a package that is not the one asked for, and caches nothing", async () => {
    served = { name: PKG, version: "1.4.4", bun: "old" };
    await expect(ensureRuntime(PKG, "1.4.5", world())).rejects.toThrow(`${PKG}@1.4.5: the registry answered with "${PKG}@1.4.4"`);
    served = { name: PKG, version: "1.4.5", bun: "right" };
    expect((await ensureRuntime(PKG, "1.4.5", world())).fetched).toBe(true);
  });

  it("says which package, which registry and what to do when npm cannot fetch it", async () => {
    served = { fail: "404 Not Found - GET https://registry.mirror.test/@oven%2fbun-linux-aarch64" };
    const error = await ensureRuntime(PKG, "1.4.5", world()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeFetchError);
    expect(String(error)).toContain(`could not fetch ${PKG}@1.4.5 with npm (exit 1) from the registry "https://registry.mirror.test/"`);
    expect(String(error)).toContain("point npm at a mirror (.npmrc registry=…)");
  });
});

describe("the target runtime cache with the real npm", () => {
  it("fetches through the registry npm is configured with: a local mirror set by npm_config_registry", async () => {
    // The mirror serves the package document and a tarball it made; npm checks the tarball against its integrity.
    const tree = mkdtempSync(join(dir, "mirror-"));
    mkdirSync(join(tree, "package", "bin"), { recursive: true });
    writeFileSync(join(tree, "package", "package.json"), JSON.stringify({ name: PKG, version: "1.4.5" }));
    writeFileSync(join(tree, "package", "bin", "bun"), "served by the mirror");
    Bun.spawnSync(["tar", "-czf", join(dir, "pkg.tgz"), "-C", tree, "package"]);
    const tarball = await Bun.file(join(dir, "pkg.tgz")).bytes();
    const integrity = `sha512-${createHash("sha512").update(tarball).digest("base64")}`;
    const asked: string[] = [];
    const mirror = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch(req): Response {
        const url = new URL(req.url);
        const path = decodeURIComponent(url.pathname);
        asked.push(path);
        if (path === `/${PKG}`) {
          const tarballUrl = `${url.origin}/tarballs/bun-linux-aarch64-1.4.5.tgz`;
          return Response.json({ name: PKG, "dist-tags": { latest: "1.4.5" }, versions: { "1.4.5": { name: PKG, version: "1.4.5", dist: { tarball: tarballUrl, integrity } } } });
        }
        if (path === "/tarballs/bun-linux-aarch64-1.4.5.tgz") return new Response(tarball);
        return new Response("not here", { status: 404 });
      },
    });
    try {
      const env = { ...process.env, npm_config_registry: `http://127.0.0.1:${mirror.port}/`, npm_config_cache: join(dir, "npm-cache"), npm_config_update_notifier: "false" };
      const realNpm = async (cmd: string[], options: { cwd?: string } = {}): Promise<RunResult> => {
        const p = Bun.spawn(cmd, { cwd: options.cwd, env, stdout: "pipe", stderr: "pipe", timeout: 60_000 });
        const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
        return { code, stdout, stderr };
      };
      const runtime = await ensureRuntime(PKG, "1.4.5", { cacheDir: join(dir, "cache"), run: realNpm, log: () => {} });
      expect(await Bun.file(runtime.path).text()).toBe("served by the mirror");
      expect(runtime.integrity).toBe(integrity);
      // npm asks for the package document (more than once, in two formats) and then the tarball: all of it here.
      expect([...new Set(asked)]).toEqual([`/${PKG}`, "/tarballs/bun-linux-aarch64-1.4.5.tgz"]);
    } finally {
      mirror.stop(true);
    }
  }, 60_000);
});
