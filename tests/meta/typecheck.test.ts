import { describe, expect, it } from "bun:test";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { VERSION } from "../../src/core/version.ts";

const root = join(import.meta.dir, "..", "..");

describe("the source tree", () => {
  it("type-checks cleanly under tsc --noEmit (strict, verbatimModuleSyntax)", () => {
    const r = Bun.spawnSync(["npx", "tsc", "--noEmit", "-p", "tsconfig.json"], { cwd: root, stdout: "pipe", stderr: "pipe" });
    const output = `${r.stdout.toString()}${r.stderr.toString()}`;
    expect(output).toBe("");
    expect(r.exitCode).toBe(0);
  }, 120_000);

  it("keeps src/core/version.ts equal to package.json's version", () => {
    expect(VERSION).toBe(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version);
  });

  it("imports with explicit .ts (or .tsx, for JSX) extensions and no dynamic imports in src/", () => {
    const glob = new Bun.Glob("src/**/*.{ts,tsx}");
    const offenders: string[] = [];
    for (const file of glob.scanSync(root)) {
      const text = readFileSync(join(root, file), "utf8");
      for (const m of text.matchAll(/from\s+"(\.{1,2}\/[^"]+)"/g)) if (!/\.tsx?$/.test(m[1]!)) offenders.push(`${file}: ${m[1]}`);
      if (/\bimport\(\s*[^"'\s]/.test(text)) offenders.push(`${file}: dynamic import`);
    }
    expect(offenders).toEqual([]);
  });
});
