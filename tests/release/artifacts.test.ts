import { beforeAll, describe, expect, it } from "bun:test";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readElfHeader, RELEASE_TARGETS, releaseFileName } from "../../scripts/release/targets.ts";
import { BUILD_OUTPUT, ensureBuild, ensureRelease, RELEASE_DIR, releaseBinary, ROOT, VERSION } from "./fixtures.ts";

/** What `bun run release` leaves in dist/release, and how it gets there (scripts/release.ts). */

const sha256sums = () => readFileSync(join(RELEASE_DIR, "SHA256SUMS"), "utf8");

beforeAll(() => ensureRelease(), 300_000);

describe("bun run release", () => {
  it("writes exactly the two executables and SHA256SUMS", () => {
    expect(readdirSync(RELEASE_DIR).sort()).toEqual(["SHA256SUMS", "ddnsd-linux-arm64", "ddnsd-linux-x64"]);
  });

  it.each([
    { name: "ddnsd-linux-x64: x86-64, glibc's x86-64 loader", arch: "x64" as const, machine: 62, loader: "/lib64/ld-linux-x86-64.so.2" },
    { name: "ddnsd-linux-arm64: AArch64, glibc's AArch64 loader", arch: "arm64" as const, machine: 183, loader: "/lib/ld-linux-aarch64.so.1" },
  ])("$name, a 64-bit little-endian executable", async ({ arch, machine, loader }) => {
    const file = releaseBinary(arch);
    expect(readElfHeader(file)).toEqual({ elfClass: 2, dataEncoding: 1, type: 2, machine });
    expect(await Bun.file(file).slice(0, 4096).text()).toContain(`${loader}\0`);
  });

  it("lists both in SHA256SUMS, which sha256sum -c accepts", () => {
    expect(sha256sums().trim().split("\n").map((l) => l.split(/\s+/)[1]).sort()).toEqual(RELEASE_TARGETS.map(releaseFileName).sort());
    const r = Bun.spawnSync(["sha256sum", "-c", "SHA256SUMS"], { cwd: RELEASE_DIR, stdout: "pipe", stderr: "pipe" });
    expect(r.stdout.toString().trim().split("\n").sort()).toEqual(["ddnsd-linux-arm64: OK", "ddnsd-linux-x64: OK"]);
    expect(r.exitCode).toBe(0);
  });

  it("builds with exactly the flags of bun run build: the x64 release is byte for byte dist/ddnsd", async () => {
    ensureBuild();
    const [release, build] = [await Bun.file(releaseBinary("x64")).bytes(), await Bun.file(BUILD_OUTPUT).bytes()];
    expect(release.length).toBe(build.length);
    expect(Buffer.compare(release, build)).toBe(0);
  }, 120_000);

  it.skipIf(process.getuid?.() !== 0)("needs no network once the runtimes are cached, and builds the same bytes again (run in a network namespace without interfaces)", () => {
    const before = sha256sums();
    const started = performance.now();
    const r = Bun.spawnSync(["unshare", "--net", "bun", "run", "release"], { cwd: ROOT, stdout: "pipe", stderr: "pipe", timeout: 300_000 });
    const output = `${r.stdout.toString()}${r.stderr.toString()}`;
    expect(r.exitCode, output).toBe(0);
    expect(output).toContain("@oven/bun-linux-aarch64@");
    expect(output).not.toContain("fetching with npm pack");
    expect(sha256sums()).toBe(before);
    console.log(`bun run release, runtimes cached, no network: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }, 300_000);

  it("refuses to build with a Bun other than the pinned one, saying how to get it", () => {
    const copy = mkdtempSync(join(tmpdir(), "ddnsd-release-pin-"));
    try {
      cpSync(join(ROOT, "scripts"), join(copy, "scripts"), { recursive: true });
      const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Record<string, unknown>;
      writeFileSync(join(copy, "package.json"), JSON.stringify({ ...pkg, packageManager: "bun@9.9.9" }));
      const r = Bun.spawnSync(["bun", join(copy, "scripts", "release.ts")], { cwd: copy, stdout: "pipe", stderr: "pipe" });
      expect(r.exitCode).toBe(1);
      expect(r.stderr.toString().trim()).toBe(
        `release: this is Bun ${Bun.version}, but package.json pins bun@9.9.9; the release must be built by the Bun whose runtimes it embeds: npm install -g bun@9.9.9`,
      );
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it("prints the package's version from the x64 executable on this machine", () => {
    const r = Bun.spawnSync([releaseBinary("x64"), "--version"], { stdout: "pipe" });
    expect(r.stdout.toString().trim()).toBe(`ddnsd ${VERSION} (bun)`);
  });
});
