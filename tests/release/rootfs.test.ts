import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readElfHeader } from "../../scripts/release/targets.ts";
import { ensureRelease, releaseBinary, ROOT, sysroot, target, whyNoEmulator } from "./fixtures.ts";

/**
 * scripts/container-rootfs.sh with a SYSROOT: the shared objects come from another root (Debian's libc6 for the
 * image's architecture, scripts/fetch-sysroot.sh), found from the binary's ELF headers with readelf instead of ldd.
 */

let work: string;
const rootfs = (binary: string, out: string, root?: string) => {
  const r = Bun.spawnSync(["sh", join(ROOT, "scripts", "container-rootfs.sh"), binary, out, ...(root ? [root] : [])], { stdout: "pipe", stderr: "pipe" });
  return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
};
const files = (dir: string) =>
  Bun.spawnSync(["find", ".", "!", "-type", "d"], { cwd: dir, stdout: "pipe" }).stdout.toString().trim().split("\n").sort();

beforeAll(() => {
  ensureRelease();
  work = mkdtempSync(join(tmpdir(), "ddnsd-rootfs-sysroot-"));
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("container-rootfs.sh with a sysroot", () => {
  it("collects, from Debian's amd64 libc6, the same files ldd finds on this machine", () => {
    const viaLdd = rootfs(releaseBinary("x64"), join(work, "ldd"));
    const viaSysroot = rootfs(releaseBinary("x64"), join(work, "sysroot"), sysroot("amd64"));
    expect([viaLdd.code, viaSysroot.code]).toEqual([0, 0]);
    expect(viaSysroot.stderr).toBe("");
    expect(files(join(work, "sysroot"))).toEqual(files(join(work, "ldd")));
  });

  const noQemu = whyNoEmulator(target("arm64"));
  it(`collects the AArch64 loader and libraries for the arm64 executable and runs it with them under qemu${noQemu ? ` (qemu missing: ${noQemu})` : ""}`, () => {
    const out = join(work, "arm64");
    const r = rootfs(releaseBinary("arm64"), out, sysroot("arm64"));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(noQemu ? expect.stringContaining("was not run as a check") : "");
    expect(files(out)).toEqual([
      "./ddnsd", "./etc/group", "./etc/nsswitch.conf", "./etc/passwd",
      "./lib/aarch64-linux-gnu/libc.so.6", "./lib/aarch64-linux-gnu/libdl.so.2", "./lib/aarch64-linux-gnu/libm.so.6", "./lib/aarch64-linux-gnu/libpthread.so.0",
      "./lib/ld-linux-aarch64.so.1",
    ]);
    for (const lib of files(out).filter((f) => f.startsWith("./lib"))) expect(readElfHeader(join(out, lib))?.machine).toBe(183);
  });

  it("follows symbolic links inside the sysroot, never to this machine's files (Debian's /lib64 loader is an absolute link)", () => {
    const root = join(work, "marked-root");
    cpSync(sysroot("amd64"), root, { recursive: true, verbatimSymlinks: true });
    // The sysroot's own loader, made different from this machine's by trailing bytes (it still loads).
    appendFileSync(join(root, "lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"), "sysroot-marker");
    const out = join(work, "marked");
    const r = rootfs(releaseBinary("x64"), out, root);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(out, "lib64/ld-linux-x86-64.so.2")).subarray(-14).toString()).toBe("sysroot-marker");
  });

  it("names a library the sysroot lacks, and collects nothing", () => {
    const root = join(work, "incomplete-root");
    cpSync(sysroot("arm64"), root, { recursive: true, verbatimSymlinks: true });
    rmSync(join(root, "lib/aarch64-linux-gnu/libm.so.6"));
    const r = rootfs(releaseBinary("arm64"), join(work, "incomplete"), root);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`container-rootfs: libm.so.6 (needed by ${releaseBinary("arm64")}) is in none of ${root}/{lib,usr/lib}/aarch64-linux-gnu`);
    expect(existsSync(join(work, "incomplete"))).toBe(false);
  });

  it("fetch-sysroot.sh recognises a cached sysroot whose loader is an absolute link to a file this machine lacks", () => {
    // Debian's amd64 layout: /lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/ld-….so, which exists only inside
    // the sysroot (bullseye's ld-2.31.so is absent on a bookworm machine). The cache must not be judged by this
    // machine's files — a miss here would go to the network.
    const cache = join(work, "ci-cache");
    mkdirSync(join(cache, "sysroot-amd64", "root", "lib64"), { recursive: true });
    symlinkSync("/lib/x86_64-linux-gnu/ld-2.31-not-on-this-machine.so", join(cache, "sysroot-amd64", "root", "lib64", "ld-linux-x86-64.so.2"));
    writeFileSync(join(cache, "sysroot-amd64", "libc6-version"), "2.31-13+deb11u11\n");
    const r = Bun.spawnSync(["bash", join(ROOT, "scripts", "fetch-sysroot.sh"), "amd64"], { env: { ...process.env, DDNSD_CI_CACHE: cache }, stdout: "pipe", stderr: "pipe", timeout: 30_000 });
    expect(r.stderr.toString().trim()).toBe("fetch-sysroot: libc6:amd64 2.31-13+deb11u11 is cached");
    expect(r.stdout.toString().trim()).toBe(join(cache, "sysroot-amd64", "root"));
    expect(r.exitCode).toBe(0);
  });
});
