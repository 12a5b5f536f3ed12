import { describe, expect, it } from "bun:test";
import { ALL_PROVIDERS } from "../../src/providers/registry.ts";
import { loadConfig } from "../../src/config/load-config.ts";
import { renderEffectiveConfig } from "../../src/config/print-config.ts";
import { ConfigError } from "../../src/core/errors.ts";

const BASE = { DDNS_PROVIDER_TYPE: "cloudflare", DDNS_PROVIDER_API_TOKEN: "cf-secret-token-123" };
const PATH = "/etc/ddnsd.toml";

function load(env: Record<string, string | undefined>, file?: string) {
  const readFile = (path: string): string => {
    if (file !== undefined && path === PATH) return file;
    throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
  };
  return loadConfig({ providers: ALL_PROVIDERS, env, readFile });
}

function failure(env: Record<string, string | undefined>, file?: string): string {
  try {
    load(env, file);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("ipv6_suffix in the configuration", () => {
  it("reads each record's suffix against DDNS_IPV6_PREFIX_LENGTH (default 64)", () => {
    const { config } = load({ ...BASE, DDNS_RECORDS: "home.example.com,nas.example.com{ipv6_suffix=::11:22ff:fe33:4455},printer.example.com{ip_versions=6,ipv6_suffix=mac(aa:bb:cc:dd:ee:ff)}" });
    expect(config.ipv6PrefixLength).toBe(64);
    expect(config.targets[0]!.records.map((r) => [r.name, r.options.ipv6Suffix])).toEqual([
      ["home.example.com", undefined],
      ["nas.example.com", { text: "::11:22ff:fe33:4455", identifier: "::11:22ff:fe33:4455", prefixLength: 64 }],
      ["printer.example.com", { text: "mac(aa:bb:cc:dd:ee:ff)", identifier: "::a8bb:ccff:fedd:eeff", prefixLength: 64 }],
    ]);
  });

  it("shows the prefix length and each suffix as written at ddnsd check", () => {
    const { config } = load({ ...BASE, DDNS_IPV6_PREFIX_LENGTH: "56", DDNS_RECORDS: "nas.example.com{ipv6_suffix=::1:0:0:0:11}" });
    const lines = renderEffectiveConfig(config, ALL_PROVIDERS);
    expect(lines).toContain("DDNS_RECORDS=nas.example.com{ipv6_suffix=::1:0:0:0:11}");
    expect(lines).toContain("DDNS_IPV6_PREFIX_LENGTH=56");
  });

  it.each([
    {
      name: "a suffix with bits inside the prefix names the record",
      env: { DDNS_RECORDS: "home.example.com,nas.example.com{ipv6_suffix=2001:db8::11}" },
      message: 'DDNS_RECORDS has "nas.example.com{ipv6_suffix=2001:db8::11}": ipv6_suffix "2001:db8::11" sets bit 3, inside the 64-bit prefix taken from the detected address (DDNS_IPV6_PREFIX_LENGTH=64): write only the last 64 bits, e.g. ::11:22ff:fe33:4455.',
    },
    {
      name: "a malformed MAC names the record",
      env: { DDNS_RECORDS: "printer.example.com{ip_versions=6,ipv6_suffix=mac(aa:bb:cc:dd:ee)}" },
      message: 'DDNS_RECORDS has "printer.example.com{ip_versions=6,ipv6_suffix=mac(aa:bb:cc:dd:ee)}": ipv6_suffix "mac(aa:bb:cc:dd:ee)" is not a MAC address: write mac(aa:bb:cc:dd:ee:ff), six pairs of hex digits.',
    },
    {
      name: "a MAC does not fit a prefix longer than 64 bits",
      env: { DDNS_IPV6_PREFIX_LENGTH: "72", DDNS_RECORDS: "printer.example.com{ipv6_suffix=mac(aa:bb:cc:dd:ee:ff)}" },
      message: 'DDNS_RECORDS has "printer.example.com{ipv6_suffix=mac(aa:bb:cc:dd:ee:ff)}": ipv6_suffix "mac(aa:bb:cc:dd:ee:ff)" is the interface identifier ::a8bb:ccff:fedd:eeff, which sets bit 65, inside the 72-bit prefix taken from the detected address (DDNS_IPV6_PREFIX_LENGTH=72): write only the last 56 bits, e.g. ::11:22ff:fe33:4455.',
    },
    { name: "a prefix length of 0", env: { DDNS_IPV6_PREFIX_LENGTH: "0", DDNS_RECORDS: "nas.example.com{ipv6_suffix=::1}" }, message: 'DDNS_IPV6_PREFIX_LENGTH must be a prefix length from 1 to 128 bits, usually 64 or 56 (got "0").' },
    { name: "a prefix length of 129", env: { DDNS_IPV6_PREFIX_LENGTH: "129", DDNS_RECORDS: "nas.example.com{ipv6_suffix=::1}" }, message: 'DDNS_IPV6_PREFIX_LENGTH must be a prefix length from 1 to 128 bits, usually 64 or 56 (got "129").' },
    { name: "a prefix length that is not a number", env: { DDNS_IPV6_PREFIX_LENGTH: "sixty-four", DDNS_RECORDS: "nas.example.com" }, message: 'DDNS_IPV6_PREFIX_LENGTH must be a prefix length from 1 to 128 bits, usually 64 or 56 (got "sixty-four").' },
  ])("$name", ({ env, message }) => {
    expect(failure({ ...BASE, ...env })).toBe(message);
  });

  it("names the file, line and key of a bad suffix in DDNS_CONFIG_FILE", () => {
    const file = '[[target]]\nprovider_type = "cloudflare"\nprovider_api_token = "cf-secret-token-123"\nrecords = ["home.example.com", "nas.example.com{ipv6_suffix=::1:2:3:4:5}"]\n';
    expect(failure({ DDNS_CONFIG_FILE: PATH }, file)).toBe(
      `"${PATH}" line 4: records has "nas.example.com{ipv6_suffix=::1:2:3:4:5}": ipv6_suffix "::1:2:3:4:5" sets bit 64, inside the 64-bit prefix taken from the detected address (DDNS_IPV6_PREFIX_LENGTH=64): write only the last 64 bits, e.g. ::11:22ff:fe33:4455.`,
    );
  });

  it("accepts /64 written with a slash and warns about a suffix on an IPv4-only record", () => {
    const { config, warnings } = load({ ...BASE, DDNS_IPV6_PREFIX_LENGTH: "/64", DDNS_RECORDS: "v4.example.com{ip_versions=4,ipv6_suffix=::1}" });
    expect(config.ipv6PrefixLength).toBe(64);
    expect(warnings).toContain('DDNS_RECORDS: the ipv6_suffix of "v4.example.com" has no effect: the record is published for IPv4 only (ip_versions); ignored.');
  });
});
