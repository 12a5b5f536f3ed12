import { describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { wranglerToml } from "./worker-harness.ts";

/**
 * The Worker's own type environment: src/worker.ts checks under tsconfig.worker.json with
 * @cloudflare/workers-types, and those types never enter the daemon's (tsconfig.json excludes the entry, and no
 * other file names the package).
 */
const ROOT = join(import.meta.dir, "..", "..");
const tsc = (...args: string[]) => {
  const r = Bun.spawnSync(["npx", "tsc", "--noEmit", ...args], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  return { code: r.exitCode, output: `${r.stdout.toString()}${r.stderr.toString()}` };
};

describe("the Worker's types", () => {
  it("src/worker.ts type-checks with @cloudflare/workers-types", () => {
    expect(tsc("-p", "tsconfig.worker.json")).toEqual({ code: 0, output: "" });
  }, 120_000);

  it("the daemon's type check never loads the Workers globals", () => {
    // Miniflare's own typings (tests only) import the module form (`index.ts`: exported types, no globals); the
    // ambient form (`index.d.ts`, which redeclares fetch, Request, Response…) must stay out.
    const files = tsc("-p", "tsconfig.json", "--listFilesOnly").output.split("\n");
    expect(files.filter((f) => /@cloudflare\/workers-types\/(experimental\/)?index\.d\.ts$/.test(f) || f.endsWith("src/worker.ts"))).toEqual([]);
    expect(files.some((f) => f.endsWith("src/daemon/worker-app.ts"))).toBe(true);
  }, 120_000);

  it("only src/worker.ts names the Workers types", () => {
    const offenders = [...new Bun.Glob("src/**/*.ts").scanSync(ROOT)].filter(
      (file) => file !== "src/worker.ts" && readFileSync(join(ROOT, file), "utf8").includes("@cloudflare/workers-types"),
    );
    expect(offenders).toEqual([]);
  });

  it("wrangler.toml deploys src/worker.ts with the flags the tests run it with", async () => {
    const toml = await wranglerToml();
    expect({ main: (toml as { main?: string }).main, flags: toml.compatibility_flags }).toEqual({ main: "src/worker.ts", flags: ["nodejs_compat"] });
    expect(Object.keys(toml.vars)).not.toContain("DDNS_PROVIDER_API_TOKEN");
    expect(Object.keys(toml.vars)).not.toContain("DDNS_UPDATE_PASSWORD");
  });
});
