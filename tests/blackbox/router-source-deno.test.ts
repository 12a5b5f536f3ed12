import { afterAll, afterEach, describe, expect, it, setDefaultTimeout } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { routerLabUnavailable } from "../netns/router.ts";
import { assertNoSecretLeaked } from "./harness.ts";
import { startRouterWorld, type RouterWorld } from "./router-world.ts";

/**
 * The router source on Deno (`deno task start`'s command line, the same source): `once` in the router lab's client
 * namespace reads the WAN address from miniupnpd over each protocol — the UDP adapter (node:dgram) and the SSDP
 * multicast work there too. Without DDNS_IP_SOURCE_ROUTER_ADDRESS the default gateway comes from netlink
 * (RTM_GETROUTE through Deno.dlopen, --allow-ffi): Deno 2 refuses /proc/net/route without --allow-all.
 */
setDefaultTimeout(120_000);
const unavailable = routerLabUnavailable();
const root = join(import.meta.dir, "..", "..");
const DENO = (JSON.parse(readFileSync(join(root, "deno.json"), "utf8")) as { tasks: { start: string } }).tasks.start.split(/\s+/);
const ON_DENO = { DDNS_HTTP_ADDR: "off", HOME: process.env.HOME ?? "/root" };
let current: RouterWorld | undefined;
afterEach(async () => {
  await current?.stop();
  current = undefined;
});
afterAll(() => assertNoSecretLeaked());

describe.skipIf(unavailable !== undefined)("the router source on Deno against miniupnpd", () => {
  it.each([
    { name: "PCP", protocols: "pcp" },
    { name: "NAT-PMP", protocols: "natpmp" },
    { name: "UPnP IGD", protocols: "igd" },
  ])("once over $name alone creates the A record with the WAN address", async ({ name, protocols }) => {
    current = await startRouterWorld({ wanAddress: "203.0.113.41" });
    const d = current.spawn(["once"], { ...ON_DENO, DDNS_IP_SOURCE_ROUTER_ADDRESS: "192.168.77.1", DDNS_IP_SOURCE_ROUTER_PROTOCOLS: protocols }, { command: DENO, cwd: root });
    const code = await d.exited(60_000);
    expect(code, d.lines.join("\n")).toBe(0);
    expect(d.lines).toContain(`INFO Detected IPv4 address: 203.0.113.41 source="router 192.168.77.1 (${name})"`);
    expect(current.a()).toEqual(["203.0.113.41"]);
  });

  // Deno 2 refuses to read /proc/net/route without --allow-all (NotCapable, even with --allow-read): the gateway
  // comes from a netlink route dump instead.
  it("once without DDNS_IP_SOURCE_ROUTER_ADDRESS finds the default gateway over netlink and creates the A record", async () => {
    current = await startRouterWorld({ wanAddress: "203.0.113.42" });
    const d = current.spawn(["once"], ON_DENO, { command: DENO, cwd: root });
    const code = await d.exited(60_000);
    expect(d.lines).toContain("INFO Router 192.168.77.1 (the default gateway on eth0) answers over PCP");
    expect(code, d.lines.join("\n")).toBe(0);
    expect(current.a()).toEqual(["203.0.113.42"]);
  });
});
