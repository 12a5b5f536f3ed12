import { describe, expect, it } from "bun:test";
import { ALL_PROVIDERS } from "../../src/providers/registry.ts";
import { loadConfig } from "../../src/config/load-config.ts";
import { renderEffectiveConfig } from "../../src/config/print-config.ts";
import { ConfigError } from "../../src/core/errors.ts";

const BASE = { DDNS_PROVIDER_TYPE: "cloudflare", DDNS_PROVIDER_API_TOKEN: "cf-secret-token-123", DDNS_RECORDS: "example.com" };
const noFile = (path: string): string => {
  throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
};
const load = (env: Record<string, string | undefined>) => loadConfig({ providers: ALL_PROVIDERS, env, readFile: noFile });

function failure(env: Record<string, string | undefined>): { variable: string; message: string } {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return { variable: error.variable, message: error.message };
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("DDNS_IP_SOURCE_TYPE_V4 / _V6: a source per family", () => {
  it.each([
    { name: "both default to DDNS_IP_SOURCE_TYPE", env: { DDNS_IP_SOURCE_TYPE: "netlink", DDNS_IP_SOURCE_INTERFACE: "eth0" }, type: "netlink", byFamily: { 4: "netlink", 6: "netlink" } },
    { name: "both default to http without any", env: {}, type: "http", byFamily: { 4: "http", 6: "http" } },
    { name: "IPv4 from http behind NAT, IPv6 from netlink", env: { DDNS_IP_SOURCE_TYPE_V4: "http", DDNS_IP_SOURCE_TYPE_V6: "netlink", DDNS_IP_SOURCE_INTERFACE: "eth0" }, type: "http", byFamily: { 4: "http", 6: "netlink" } },
    { name: "only IPv6 overridden to interface", env: { DDNS_IP_SOURCE_TYPE_V6: "interface", DDNS_IP_SOURCE_INTERFACE: "eth0" }, type: "http", byFamily: { 4: "http", 6: "interface" } },
    { name: "both families push through the per-family variables", env: { DDNS_IP_SOURCE_TYPE_V4: "push", DDNS_IP_SOURCE_TYPE_V6: "push", DDNS_UPDATE_USERNAME: "router", DDNS_UPDATE_PASSWORD: "a-long-update-password-1" }, type: "http", byFamily: { 4: "push", 6: "push" } },
  ])("reads $name", ({ env, type, byFamily }) => {
    const { config } = load({ ...BASE, ...env });
    expect({ type: config.ipSource.type, byFamily: config.ipSource.byFamily }).toEqual({ type, byFamily } as never);
  });

  it("static for one family: only its address is needed, and both families stay managed", () => {
    const { config, warnings } = load({ ...BASE, DDNS_IP_SOURCE_TYPE_V6: "static", DDNS_IP_STATIC_V6: "2001:DB8::10" });
    expect({ ipVersions: config.ipVersions, byFamily: config.ipSource.byFamily, static: config.ipSource.static }).toEqual({
      ipVersions: [4, 6], byFamily: { 4: "http", 6: "static" }, static: { 6: "2001:db8::10" },
    } as never);
    expect(warnings).toEqual([]);
  });

  it.each([
    { name: "an unknown per-family type", env: { DDNS_IP_SOURCE_TYPE_V6: "dhcp" }, variable: "DDNS_IP_SOURCE_TYPE_V6" },
    {
      name: "push for one family only (per-family variable)", env: { DDNS_IP_SOURCE_TYPE_V4: "push" }, variable: "DDNS_IP_SOURCE_TYPE_V4",
      message: "DDNS_IP_SOURCE_TYPE_V4=push cannot be combined with DDNS_IP_SOURCE_TYPE=http: push takes both families from the update endpoint; set both to push, or neither.",
    },
    {
      name: "another type for one family under DDNS_IP_SOURCE_TYPE=push", env: { DDNS_IP_SOURCE_TYPE: "push", DDNS_IP_SOURCE_TYPE_V6: "netlink" }, variable: "DDNS_IP_SOURCE_TYPE_V6",
      message: "DDNS_IP_SOURCE_TYPE_V6=netlink cannot be combined with DDNS_IP_SOURCE_TYPE=push: push takes both families from the update endpoint; set both to push, or neither.",
    },
    {
      name: "netlink for IPv6 without an interface", env: { DDNS_IP_SOURCE_TYPE_V6: "netlink" }, variable: "DDNS_IP_SOURCE_INTERFACE",
      message: "DDNS_IP_SOURCE_INTERFACE is required when DDNS_IP_SOURCE_TYPE_V6=netlink (e.g. eth0).",
    },
    {
      name: "interface for IPv4 without an interface", env: { DDNS_IP_SOURCE_TYPE: "static", DDNS_IP_STATIC_V6: "2001:db8::10", DDNS_IP_SOURCE_TYPE_V4: "interface" }, variable: "DDNS_IP_SOURCE_INTERFACE",
      message: "DDNS_IP_SOURCE_INTERFACE is required when DDNS_IP_SOURCE_TYPE_V4=interface (e.g. eth0).",
    },
    {
      name: "static for IPv6 without its address", env: { DDNS_IP_SOURCE_TYPE_V6: "static", DDNS_IP_STATIC_V4: "203.0.113.10" }, variable: "DDNS_IP_STATIC_V6",
      message: "DDNS_IP_STATIC_V6 is required when DDNS_IP_SOURCE_TYPE_V6=static and IPv6 records are managed (DDNS_IP_VERSIONS or a record's ip_versions); set it, or set DDNS_IP_VERSIONS=4.",
    },
  ])("refuses $name, naming the variable", ({ env, variable, message }) => {
    const got = failure({ ...BASE, ...env });
    expect(got.variable).toBe(variable);
    if (message !== undefined) expect(got.message).toBe(message);
  });

  it("warns that a static address is ignored for a family whose own source is not static", () => {
    const { warnings } = load({ ...BASE, DDNS_IP_SOURCE_TYPE_V6: "static", DDNS_IP_STATIC_V6: "2001:db8::10", DDNS_IP_STATIC_V4: "203.0.113.10" });
    expect(warnings).toEqual(["DDNS_IP_STATIC_V4 is set but DDNS_IP_SOURCE_TYPE is http, not static; ignored."]);
  });

  it("check prints each family's source, with the http URLs and the fallback setting that apply", () => {
    const { config } = load({ ...BASE, DDNS_IP_SOURCE_TYPE_V4: "http", DDNS_IP_SOURCE_TYPE_V6: "netlink", DDNS_IP_SOURCE_INTERFACE: "eth0", DDNS_IP_SOURCE_URLS_V4: "https://v4.example.net/" });
    const lines = renderEffectiveConfig(config, ALL_PROVIDERS).filter((l) => l.startsWith("DDNS_IP_SOURCE_"));
    expect(lines).toEqual([
      "DDNS_IP_SOURCE_TYPE=http",
      "DDNS_IP_SOURCE_TYPE_V4=http",
      "DDNS_IP_SOURCE_TYPE_V6=netlink",
      "DDNS_IP_SOURCE_INTERFACE=eth0",
      "DDNS_IP_SOURCE_URLS_V4=https://v4.example.net/",
      expect.stringMatching(/^DDNS_IP_SOURCE_URLS_V6=/),
      "DDNS_IP_SOURCE_HTTP_FALLBACK=false",
    ] as never);
  });
});
