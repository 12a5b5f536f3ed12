import { describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildArguments } from "../../scripts/release/build-command.ts";
import { BUILD_ARGS } from "../../scripts/build.ts";
import { ROOT } from "./fixtures.ts";

/**
 * The memory settings that are the binary's own (issue 19, docs/memory.md): they are build flags on package.json's one
 * `bun build --compile` line, so `bun run build`, the release and the test harness's build all carry them and no
 * environment variable is needed. What they buy is measured by bench/busy.ts, not here.
 */

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };

describe("the build line's memory settings", () => {
  it.each([
    { name: "the JIT tier-up threshold scaled so far up that ddnsd's code stays in the interpreter", flag: "--compile-jit-policy=1000000000" },
    { name: "JavaScriptCore's small-heap mode, collections sooner", flag: "--compile-exec-argv=--smol" },
  ])("carries $name ($flag), in the release's and the test harness's build too", ({ flag }) => {
    expect(pkg.scripts.build!.split(/\s+/)).toContain(flag);
    expect(buildArguments(pkg.scripts.build)).toContain(flag);
    expect(BUILD_ARGS).toContain(flag);
  });
});
