import { describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildArguments, BuildScriptError, pinnedBunVersion, releaseBuildCommand } from "../../scripts/release/build-command.ts";
import { ROOT } from "./fixtures.ts";

/** How `bun run release` derives its `bun build` commands from package.json (scripts/release/build-command.ts). */

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { packageManager?: string; scripts: Record<string, string> };
const BUILD = pkg.scripts.build!;

describe("the release's bun build command", () => {
  it("takes every argument of package.json's build script except the output path", () => {
    const words = BUILD.split(/\s+/).slice(2);
    const outfile = words.indexOf("--outfile");
    const expected = outfile >= 0 ? [...words.slice(0, outfile), ...words.slice(outfile + 2)] : words.filter((w) => !w.startsWith("--outfile="));
    expect(buildArguments(BUILD)).toEqual(expected);
    expect(buildArguments(BUILD)).toContain("--compile");
  });

  it("picks up flags added to the build script, so the two cannot drift", () => {
    const added = `${BUILD} --no-compile-autoload-dotenv --no-compile-autoload-bunfig`;
    expect(buildArguments(added).slice(-2)).toEqual(["--no-compile-autoload-dotenv", "--no-compile-autoload-bunfig"]);
  });

  it.each([
    { name: "--outfile PATH", script: "bun build --compile --minify src/main.ts --outfile dist/ddnsd", args: ["--compile", "--minify", "src/main.ts"] },
    { name: "--outfile=PATH", script: "bun build --compile --outfile=dist/ddnsd src/main.ts --bytecode", args: ["--compile", "src/main.ts", "--bytecode"] },
  ])("drops the output path written as $name", ({ script, args }) => {
    expect(buildArguments(script)).toEqual([...args]);
  });

  it("adds the target, the target's runtime and the staging output for each release build", () => {
    expect(releaseBuildCommand(["--compile", "--minify", "src/main.ts"], { target: "bun-linux-arm64", executablePath: "/cache/bun", outfile: "/tmp/arm64/ddnsd" })).toEqual([
      "build", "--compile", "--minify", "src/main.ts", "--target=bun-linux-arm64", "--compile-executable-path=/cache/bun", "--outfile", "/tmp/arm64/ddnsd",
    ]);
  });

  it.each([
    { name: "a script that is several commands", script: "bun build --compile src/main.ts --outfile dist/ddnsd && strip dist/ddnsd", says: "is not a single plain command" },
    { name: "a script with a variable", script: "bun build --compile src/main.ts --outfile $OUT", says: "is not a single plain command" },
    { name: "a script that is not bun build", script: "esbuild src/main.ts --outfile dist/ddnsd", says: 'does not start with "bun build"' },
    { name: "a build without --compile", script: "bun build src/main.ts --outfile dist/main.js", says: "has no --compile" },
    { name: "a build that sets its own --target", script: "bun build --compile --target=bun-linux-x64 src/main.ts --outfile dist/ddnsd", says: "sets --target, which" },
    { name: "a build without --outfile", script: "bun build --compile src/main.ts", says: "needs exactly one --outfile (found 0)" },
    { name: "no build script", script: undefined, says: 'package.json has no "build" script' },
  ])("refuses $name, saying what to change", ({ script, says }) => {
    expect(() => buildArguments(script)).toThrow(BuildScriptError);
    expect(() => buildArguments(script)).toThrow(says);
  });
});

describe("the pinned Bun version", () => {
  it.each([
    { name: "bun@X.Y.Z", field: "bun@1.4.5", version: "1.4.5" },
    { name: "bun@X.Y.Z+hash (corepack's form)", field: "bun@1.4.5+sha512.0abc", version: "1.4.5" },
  ])("is read from packageManager written as $name", ({ field, version }) => {
    expect(pinnedBunVersion({ packageManager: field })).toBe(version);
  });

  it.each([
    { name: "missing", field: undefined },
    { name: "another package manager", field: "npm@10.9.0" },
    { name: "a range", field: "bun@^1.4.0" },
  ])("is refused when packageManager is $name", ({ field }) => {
    expect(() => pinnedBunVersion({ packageManager: field })).toThrow('package.json must pin Bun as "packageManager": "bun@X.Y.Z"');
  });

  it("is pinned in package.json, and the Containerfile's builder uses the same Bun", () => {
    const version = pinnedBunVersion(pkg);
    const containerfile = readFileSync(join(ROOT, "Containerfile"), "utf8");
    expect(/^ARG BUN_VERSION=(.*)$/m.exec(containerfile)?.[1]).toBe(version);
  });
});
