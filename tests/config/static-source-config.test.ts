import { describe, expect, it } from "bun:test";
import { ALL_PROVIDERS } from "../../src/providers/registry.ts";
import { loadConfig } from "../../src/config/load-config.ts";
import { ConfigError } from "../../src/core/errors.ts";

const BASE = { DDNS_PROVIDER_TYPE: "cloudflare", DDNS_PROVIDER_API_TOKEN: "cf-secret-token-123", DDNS_RECORDS: "example.com", DDNS_IP_SOURCE_TYPE: "static" };
const noFile = (path: string): string => {
  throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
};
const load = (env: Record<string, string | undefined>) => loadConfig({ providers: ALL_PROVIDERS, env, readFile: noFile });

function failure(env: Record<string, string | undefined>): string {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("DDNS_IP_SOURCE_TYPE=static", () => {
  it.each([
    { name: "both families", env: { DDNS_IP_STATIC_V4: "203.0.113.10", DDNS_IP_STATIC_V6: "2001:DB8::0:10" }, ipVersions: [4, 6], addresses: { 4: "203.0.113.10", 6: "2001:db8::10" } },
    { name: "IPv4 only: only A records without DDNS_IP_VERSIONS", env: { DDNS_IP_STATIC_V4: "203.0.113.10" }, ipVersions: [4], addresses: { 4: "203.0.113.10" } },
    { name: "IPv6 only: only AAAA records without DDNS_IP_VERSIONS", env: { DDNS_IP_STATIC_V6: "2001:db8::10" }, ipVersions: [6], addresses: { 6: "2001:db8::10" } },
    { name: "a private address with DDNS_ALLOW_PRIVATE_ADDRESSES", env: { DDNS_IP_STATIC_V4: "192.168.1.10", DDNS_ALLOW_PRIVATE_ADDRESSES: "true" }, ipVersions: [4], addresses: { 4: "192.168.1.10" } },
  ])("reads $name", ({ env, ipVersions, addresses }) => {
    const { config } = load({ ...BASE, ...env });
    expect(config.ipVersions).toEqual(ipVersions as never);
    expect(config.ipSource).toMatchObject({ type: "static", static: addresses });
  });

  it.each([
    { name: "no address at all", env: {}, message: "DDNS_IP_STATIC_V4 or DDNS_IP_STATIC_V6 is required when DDNS_IP_SOURCE_TYPE=static (e.g. DDNS_IP_STATIC_V4=203.0.113.10)." },
    { name: "a private IPv4 address", env: { DDNS_IP_STATIC_V4: "10.0.0.5" }, message: 'DDNS_IP_STATIC_V4 must be a public IPv4 address: "10.0.0.5" is a private (RFC 1918) address, which cannot be published (DDNS_ALLOW_PRIVATE_ADDRESSES=true publishes it, for a LAN-only zone).' },
    { name: "an IPv6 address in the IPv4 variable", env: { DDNS_IP_STATIC_V4: "2001:db8::10" }, message: 'DDNS_IP_STATIC_V4 must be a public IPv4 address: "2001:db8::10" is an IPv6 address, not IPv4.' },
    { name: "garbage", env: { DDNS_IP_STATIC_V6: "home" }, message: 'DDNS_IP_STATIC_V6 must be a public IPv6 address: "home" is not an IP address.' },
    { name: "a link-local IPv6 address even with private ones allowed", env: { DDNS_IP_STATIC_V6: "fe80::1", DDNS_ALLOW_PRIVATE_ADDRESSES: "true" }, message: 'DDNS_IP_STATIC_V6 must be a public IPv6 address: "fe80::1" is a link-local address, which cannot be published.' },
    { name: "a family DDNS_IP_VERSIONS asks for without an address", env: { DDNS_IP_STATIC_V4: "203.0.113.10", DDNS_IP_VERSIONS: "4,6" }, message: "DDNS_IP_STATIC_V6 is required when DDNS_IP_SOURCE_TYPE=static and IPv6 records are managed (DDNS_IP_VERSIONS or a record's ip_versions); set it, or set DDNS_IP_VERSIONS=4." },
    { name: "a record's ip_versions without an address", env: { DDNS_IP_STATIC_V4: "203.0.113.10", DDNS_RECORDS: "example.com,nas.example.com{ip_versions=6}" }, message: "DDNS_IP_STATIC_V6 is required when DDNS_IP_SOURCE_TYPE=static and IPv6 records are managed (DDNS_IP_VERSIONS or a record's ip_versions); set it, or set DDNS_IP_VERSIONS=4." },
  ])("refuses $name", ({ env, message }) => {
    expect(failure({ ...BASE, ...env })).toBe(message);
  });

  it("warns that a static address is ignored with another source type", () => {
    const { warnings } = load({ ...BASE, DDNS_IP_SOURCE_TYPE: "http", DDNS_IP_STATIC_V4: "203.0.113.10" });
    expect(warnings).toContain("DDNS_IP_STATIC_V4 is set but DDNS_IP_SOURCE_TYPE is http, not static; ignored.");
  });
});
