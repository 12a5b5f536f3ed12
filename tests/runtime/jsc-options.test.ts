import { describe, expect, it } from "bun:test";
import { JSC_OPTIONS, planReexec, type ReexecWorld } from "../../src/runtime/jsc-options.ts";

/** When the compiled daemon re-executes itself to run with its JavaScriptCore options (src/runtime/jsc-options.ts). */

const base: ReexecWorld = { env: { DDNS_PROVIDER_TYPE: "cloudflare", PATH: "/usr/bin" }, compiled: true, platform: "linux", execPath: "/usr/local/bin/ddnsd", args: ["run", "--x", "a b"] };

describe("the re-exec for JavaScriptCore's options", () => {
  const cases: Array<{ name: string; world: Partial<ReexecWorld>; reexec: boolean }> = [
    { name: "a compiled binary started without them re-executes", world: {}, reexec: true },
    { name: "not under bun run src/main.ts (not compiled)", world: { compiled: false }, reexec: false },
    { name: "not on Windows (no execve)", world: { platform: "win32" }, reexec: false },
    { name: "not once they are set (the second start, or the operator's own)", world: { env: { ...base.env, ...JSC_OPTIONS } }, reexec: false },
    { name: "not when the operator set the heap budget to 0 (JSC's heuristics)", world: { env: { ...base.env, BUN_JSC_gcMaxHeapSize: "0" } }, reexec: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(planReexec({ ...base, ...c.world }) !== undefined).toBe(c.reexec);
    });
  }

  it("keeps the arguments and the whole environment, adding only the options", () => {
    expect(planReexec(base)).toEqual({
      file: "/usr/local/bin/ddnsd",
      args: ["/usr/local/bin/ddnsd", "run", "--x", "a b"],
      env: { DDNS_PROVIDER_TYPE: "cloudflare", PATH: "/usr/bin", BUN_JSC_gcMaxHeapSize: "524288" },
    });
  });
});
