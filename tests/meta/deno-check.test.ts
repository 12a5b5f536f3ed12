import { describe, expect, it, setDefaultTimeout } from "bun:test";
import { join } from "node:path";

/**
 * The same source type-checks under Deno (`deno task check`), not only under tsc with Bun's types: a Bun-only global
 * or a CryptoKey type that differs between the runtimes shows here first (both once broke `deno check`).
 */
setDefaultTimeout(180_000);
const root = join(import.meta.dir, "..", "..");

describe("deno check", () => {
  it.each([{ entry: "src/main.ts" }, { entry: "src/worker.ts" }])("type-checks $entry under Deno", ({ entry }) => {
    const run = Bun.spawnSync(["deno", "check", entry], { cwd: root, env: { ...process.env, NO_COLOR: "1", DENO_TLS_CA_STORE: "system" }, stdout: "pipe", stderr: "pipe" });
    const output = `${run.stdout.toString()}${run.stderr.toString()}`;
    expect({ entry, exitCode: run.exitCode, errors: output.split("\n").filter((l) => l.includes("ERROR")) }).toEqual({ entry, exitCode: 0, errors: [] });
  });
});
