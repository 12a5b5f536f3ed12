import { describe, expect, it } from "bun:test";
import { ALL_PROVIDERS } from "../../src/providers/registry.ts";
import { loadConfig } from "../../src/config/load-config.ts";
import { renderEffectiveConfig } from "../../src/config/print-config.ts";
import { ConfigError } from "../../src/core/errors.ts";
import { loadWorkerConfig } from "../../src/daemon/worker-app.ts";

const BASE = { DDNS_PROVIDER_TYPE: "cloudflare", DDNS_PROVIDER_API_TOKEN: "cf-secret-token-123", DDNS_RECORDS: "example.com" };
const ROUTER_V4 = { ...BASE, DDNS_IP_SOURCE_TYPE: "router", DDNS_IP_VERSIONS: "4" };
const noFile = (path: string): string => {
  throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
};
const load = (env: Record<string, string | undefined>) => loadConfig({ providers: ALL_PROVIDERS, env, readFile: noFile });

function failure(run: () => unknown): { variable: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return { variable: error.variable, message: error.message };
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("DDNS_IP_SOURCE_TYPE=router", () => {
  it.each([
    { name: "the defaults: the default gateway, pcp then natpmp then igd", env: {}, router: { protocols: ["pcp", "natpmp", "igd"] } },
    { name: "an address and an order", env: { DDNS_IP_SOURCE_ROUTER_ADDRESS: "192.168.1.1", DDNS_IP_SOURCE_ROUTER_PROTOCOLS: "IGD, natpmp" }, router: { address: "192.168.1.1", protocols: ["igd", "natpmp"] } },
    { name: "a repeated protocol once", env: { DDNS_IP_SOURCE_ROUTER_PROTOCOLS: "natpmp,natpmp,pcp" }, router: { protocols: ["natpmp", "pcp"] } },
  ])("reads $name", ({ env, router }) => {
    const { config } = load({ ...ROUTER_V4, ...env });
    expect(config.ipSource.byFamily).toEqual({ 4: "router", 6: "router" });
    expect(config.ipSource.router).toEqual(router as never);
  });

  it("pairs with netlink for IPv6: IPv4 from the router, IPv6 from the interface", () => {
    const { config } = load({ ...BASE, DDNS_IP_SOURCE_TYPE_V4: "router", DDNS_IP_SOURCE_TYPE_V6: "netlink", DDNS_IP_SOURCE_INTERFACE: "eth0", DDNS_IP_SOURCE_HTTP_FALLBACK: "true" });
    expect(config.ipVersions).toEqual([4, 6]);
    expect(config.ipSource).toMatchObject({ byFamily: { 4: "router", 6: "netlink" }, httpFallback: true, router: { protocols: ["pcp", "natpmp", "igd"] } });
  });

  it.each([
    {
      name: "the router for IPv6 by default",
      env: { ...BASE, DDNS_IP_SOURCE_TYPE: "router" },
      variable: "DDNS_IP_SOURCE_TYPE_V6",
      message:
        "DDNS_IP_SOURCE_TYPE_V6 is required when DDNS_IP_SOURCE_TYPE=router and IPv6 records are managed (DDNS_IP_VERSIONS or a record's ip_versions): the router source reads only IPv4 (IGD has no useful IPv6 answer); set DDNS_IP_SOURCE_TYPE_V6=netlink or http, or DDNS_IP_VERSIONS=4.",
    },
    {
      name: "the router named for IPv6",
      env: { ...BASE, DDNS_IP_SOURCE_TYPE_V6: "router" },
      variable: "DDNS_IP_SOURCE_TYPE_V6",
      message: "DDNS_IP_SOURCE_TYPE_V6=router is not possible: the router source reads only IPv4 (IGD has no useful IPv6 answer); set DDNS_IP_SOURCE_TYPE_V6=netlink or http, or DDNS_IP_VERSIONS=4.",
    },
    {
      name: "a record that asks for IPv6",
      env: { ...ROUTER_V4, DDNS_RECORDS: "example.com,v6.example.com{ip_versions=6}" },
      variable: "DDNS_IP_SOURCE_TYPE_V6",
      message:
        "DDNS_IP_SOURCE_TYPE_V6 is required when DDNS_IP_SOURCE_TYPE=router and IPv6 records are managed (DDNS_IP_VERSIONS or a record's ip_versions): the router source reads only IPv4 (IGD has no useful IPv6 answer); set DDNS_IP_SOURCE_TYPE_V6=netlink or http, or DDNS_IP_VERSIONS=4.",
    },
    {
      name: "an unknown protocol",
      env: { ...ROUTER_V4, DDNS_IP_SOURCE_ROUTER_PROTOCOLS: "pcp,upnp" },
      variable: "DDNS_IP_SOURCE_ROUTER_PROTOCOLS",
      message: 'DDNS_IP_SOURCE_ROUTER_PROTOCOLS must be a comma-separated list of pcp, natpmp and igd, in the order to try (got "upnp").',
    },
    {
      name: "a multicast router address",
      env: { ...ROUTER_V4, DDNS_IP_SOURCE_ROUTER_ADDRESS: "239.255.255.250" },
      variable: "DDNS_IP_SOURCE_ROUTER_ADDRESS",
      message: 'DDNS_IP_SOURCE_ROUTER_ADDRESS must be the router\'s IPv4 address, such as 192.168.1.1 (got "239.255.255.250").',
    },
    {
      name: "a router address that is not IPv4",
      env: { ...ROUTER_V4, DDNS_IP_SOURCE_ROUTER_ADDRESS: "fritz.box" },
      variable: "DDNS_IP_SOURCE_ROUTER_ADDRESS",
      message: 'DDNS_IP_SOURCE_ROUTER_ADDRESS must be the router\'s IPv4 address, such as 192.168.1.1 (got "fritz.box").',
    },
  ])("refuses $name in one line naming the variable", ({ env, variable, message }) => {
    expect(failure(() => load(env))).toEqual({ variable, message });
  });

  it("warns that router settings without the router source are ignored", () => {
    const { warnings } = load({ ...BASE, DDNS_IP_SOURCE_ROUTER_ADDRESS: "192.168.1.1" });
    expect(warnings).toContain("DDNS_IP_SOURCE_ROUTER_ADDRESS is set but no family uses the router source (DDNS_IP_SOURCE_TYPE_V4=router); ignored.");
  });

  it("check prints the router settings and the fallback", () => {
    const lines = renderEffectiveConfig(load({ ...ROUTER_V4, DDNS_IP_SOURCE_ROUTER_ADDRESS: "192.168.1.1" }).config, ALL_PROVIDERS);
    expect(lines).toEqual(expect.arrayContaining(["DDNS_IP_SOURCE_TYPE=router", "DDNS_IP_SOURCE_ROUTER_ADDRESS=192.168.1.1", "DDNS_IP_SOURCE_ROUTER_PROTOCOLS=pcp,natpmp,igd", "DDNS_IP_SOURCE_HTTP_FALLBACK=false"]));
    const defaults = renderEffectiveConfig(load(ROUTER_V4).config, ALL_PROVIDERS);
    expect(defaults.filter((l) => l.startsWith("DDNS_IP_SOURCE_ROUTER_"))).toEqual(["DDNS_IP_SOURCE_ROUTER_PROTOCOLS=pcp,natpmp,igd"]);
  });

  it.each(["DDNS_IP_SOURCE_TYPE", "DDNS_IP_SOURCE_TYPE_V4"])("is a configuration error in the Worker (%s=router)", (name) => {
    const bindings = { DDNS_PROVIDER_API_TOKEN: "cf-secret-token-123", DDNS_RECORDS: "example.com", DDNS_UPDATE_USERNAME: "router", DDNS_UPDATE_PASSWORD: "a-long-password", [name]: "router" };
    expect(failure(() => loadWorkerConfig(bindings))).toEqual({
      variable: name,
      message: `${name}=router cannot be used in a Worker (no UDP, no LAN to ask): the Worker takes addresses from /nic/update; remove ${name}.`,
    });
  });
});
