import { afterEach, describe, expect, it } from "bun:test";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { createNetns, netnsUnavailable, type Netns } from "./netns.ts";

/**
 * The router source's default gateway over netlink (RTM_GETROUTE through each runtime's FFI: bun:ffi on the main thread,
 * Deno.dlopen with only --allow-ffi — no read permission, so /proc/net/route is out of reach there), against the
 * routing table of a real kernel in a network namespace: the main table's default route with the lowest metric, not
 * one of another table.
 */

const root = join(import.meta.dir, "../..");
const RUNTIMES = [
  { name: "Bun", argv: ["bun", "tests/netns/gateway-probe.ts", "bun"], runtime: "bun", skip: undefined },
  { name: "Deno (--allow-ffi only)", argv: ["deno", "run", "--allow-ffi", "tests/netns/gateway-probe.ts", "deno"], runtime: "deno", skip: Bun.which("deno") ? undefined : "no deno" },
];

let ns: Netns | undefined;
afterEach(() => {
  ns?.remove();
  ns = undefined;
});

function probe(n: Netns, argv: string[]): unknown {
  const [command, ...args] = n.exec(...argv) as [string, ...string[]];
  const run = spawnSync(command, args, { cwd: root, encoding: "utf8", timeout: 20_000 });
  expect(run.stderr).toBe("");
  return JSON.parse(run.stdout.trim());
}

/** va 192.0.2.2/24 and vb 198.51.100.2/24, both up (netns.ts), and the routes each case adds. */
function namespace(routes: ReadonlyArray<readonly string[]>): Netns {
  const n = createNetns("gateway");
  n.ip("addr", "add", "192.0.2.2/24", "dev", "va");
  n.ip("addr", "add", "198.51.100.2/24", "dev", "vb");
  for (const r of routes) n.ip("route", "add", ...r);
  return n;
}

describe.skipIf(netnsUnavailable() !== undefined)("the default gateway over netlink in a network namespace", () => {
  for (const r of RUNTIMES) {
    describe.skipIf(r.skip !== undefined)(r.name, () => {
      it.each<{ name: string; routes: string[][]; gateway: { address: string; interface: string } | null }>([
        { name: "one default route", routes: [["default", "via", "192.0.2.1", "dev", "va"]], gateway: { address: "192.0.2.1", interface: "va" } },
        {
          name: "two uplinks: the lowest metric wins; another table's default route is not the main one",
          routes: [["default", "via", "192.0.2.1", "dev", "va", "metric", "200"], ["default", "via", "198.51.100.1", "dev", "vb", "metric", "100"], ["default", "via", "192.0.2.99", "dev", "va", "table", "100"]],
          gateway: { address: "198.51.100.1", interface: "vb" },
        },
        { name: "no default route in the main table", routes: [["default", "via", "192.0.2.99", "dev", "va", "table", "100"]], gateway: null },
      ])("$name", ({ routes, gateway }) => {
        ns = namespace(routes);
        expect(probe(ns, r.argv)).toEqual({ runtime: r.runtime, gateway });
      }, 30_000);
    });
  }
});
