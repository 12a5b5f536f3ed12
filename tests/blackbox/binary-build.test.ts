import { afterAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { staleReason } from "./binary.ts";
import { freshClone, ROOT } from "./fresh-clone.ts";

/**
 * `bun test` on a fresh clone (after `bun install`) builds dist/ddnsd itself; a stale binary is rebuilt; builds
 * that run at once never leave a broken binary behind (scripts/build.ts writes a temporary file and renames it).
 */
setDefaultTimeout(120_000);
const scratch = mkdtempSync(join(tmpdir(), "ddnsd-binary-build-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("dist/ddnsd for the black-box tests", () => {
  it("bun test on a fresh clone builds the missing binary first, saying so, and the black-box tests pass", async () => {
    const dir = freshClone();
    try {
      symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules")); // what `bun install` provides
      const p = Bun.spawn([process.execPath, "test", "tests/blackbox/cli.test.ts"], { cwd: dir, env: { ...process.env }, stdout: "pipe", stderr: "pipe" });
      const code = await p.exited;
      const out = `${await new Response(p.stdout).text()}${await new Response(p.stderr).text()}`;
      expect(out).toContain("dist/ddnsd is missing: building it (scripts/build.ts) before the black-box tests…");
      expect(out).not.toContain("dist/ddnsd is missing: run");
      expect(code, out).toBe(0);
      expect(existsSync(join(dir, "dist", "ddnsd"))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a binary older than any file in src/ (or package.json, which holds the build flags) is stale; a newer one is not", () => {
    const binary = join(scratch, "ddnsd-age");
    expect(staleReason(binary)).toBe("is missing");
    writeFileSync(binary, "");
    utimesSync(binary, new Date(0), new Date(0));
    expect(staleReason(binary)).toMatch(/^is older than (src\/|scripts\/build\.ts$|package\.json$)/);
    const future = new Date(Date.now() + 3_600_000);
    utimesSync(binary, future, future);
    expect(staleReason(binary)).toBeUndefined();
  });

  it("two builds of the same file at once leave a working binary and no temporary files", async () => {
    const outfile = join(scratch, "ddnsd");
    const build = () => Bun.spawn([process.execPath, "-e", `import { buildBinary } from ${JSON.stringify(join(ROOT, "scripts", "build.ts"))}; buildBinary(${JSON.stringify(outfile)});`], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
    const codes = await Promise.all([build(), build()].map((p) => p.exited));
    expect(codes).toEqual([0, 0]);
    const version = Bun.spawnSync([outfile, "--version"]);
    expect(version.exitCode).toBe(0);
    expect(readdirSync(scratch).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });
});
