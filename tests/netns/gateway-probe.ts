import { createNetlinkRuntime as bunRuntime } from "../../src/runtime/netlink/runtime-bun.ts";
import { createNetlinkRuntime as denoRuntime } from "../../src/runtime/netlink/runtime-deno.ts";
import { defaultGatewayOf } from "../../src/ip/netlink/route-dump.ts";

/**
 * The router source's default-gateway lookup over netlink (RTM_GETLINK + RTM_GETROUTE through the runtime's FFI),
 * run inside a network namespace; prints one JSON line: `{runtime, gateway}` (`gateway` null when there is no
 * default route), or `{error}` / `{unavailable}`. Usage: `<bun|deno run --allow-ffi> gateway-probe.ts <bun|deno>`.
 * Deno gets only --allow-ffi: no read permission, so /proc/net/route is out of reach as in the daemon's Deno task.
 */
const runtime = process.argv[2] === "deno" ? denoRuntime() : bunRuntime();
if ("unavailable" in runtime) {
  console.log(JSON.stringify({ unavailable: runtime.unavailable }));
  process.exit(3);
}
const dumped = await runtime.dumpRoutes({ deadlineMs: 2000 });
if (!dumped.ok) {
  console.log(JSON.stringify({ runtime: runtime.name, error: dumped.error }));
  process.exit(1);
}
console.log(JSON.stringify({ runtime: runtime.name, gateway: defaultGatewayOf(dumped.messages) ?? null }));
process.exit(0);
