import { describe, expect, it } from "bun:test";
import { loadConfig } from "../../src/config/load-config.ts";
import { renderEffectiveConfig } from "../../src/config/print-config.ts";
import { ConfigError } from "../../src/core/errors.ts";
import { ALL_PROVIDERS } from "../../src/providers/registry.ts";

/** DDNS_CONFIG_FILE: several targets, validated by the same descriptors as the environment; errors name file, line, key. */
const PATH = "/etc/ddnsd.toml";
const CF_SECRET = "cf-file-secret-0001";
const PDNS_SECRET = "pdns-file-secret-0002";

function load(text: string, env: Record<string, string> = {}, files: Record<string, string> = {}) {
  const readFile = (path: string) => {
    if (path === PATH) return text;
    if (path in files) return files[path]!;
    throw Object.assign(new Error("missing"), { code: "ENOENT" });
  };
  return loadConfig({ env: { DDNS_CONFIG_FILE: PATH, ...env }, readFile, providers: ALL_PROVIDERS });
}

function failure(text: string, env: Record<string, string> = {}): string {
  try {
    load(text, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("expected a configuration error");
}

const TWO = `
[[target]]
id = "home"
provider_type = "cloudflare"
provider_api_token_file = "/run/secrets/cf"
records = ["home.example.com", "nas.example.com{ip_versions=6,ttl=300}"]
record_proxied = true

[[target]]
provider_type = "powerdns"
provider_api_url = "http://127.0.0.1:8081"
provider_api_token = "${PDNS_SECRET}"
records = "lab.example.net"
record_ttl = 120
`;

describe("DDNS_CONFIG_FILE", () => {
  it("reads each [[target]] with its provider, secrets, records and per-record options", () => {
    const { config } = load(TWO, {}, { "/run/secrets/cf": `${CF_SECRET}\n` });
    expect(config.configFile).toBe(PATH);
    expect(config.targets).toEqual([
      {
        id: "home",
        provider: { type: "cloudflare", settings: { token: CF_SECRET, apiUrl: "https://api.cloudflare.com/client/v4" } },
        records: [
          { name: "home.example.com", options: { ipVersions: [4, 6], ttl: "auto", proxied: true } },
          { name: "nas.example.com", options: { ipVersions: [6], ttl: 300, proxied: true } },
        ],
        defaults: { ipVersions: [4, 6], ttl: "auto", proxied: true },
      },
      {
        id: "powerdns",
        provider: { type: "powerdns", settings: { token: PDNS_SECRET, apiUrl: "http://127.0.0.1:8081", serverId: "localhost" } },
        records: [{ name: "lab.example.net", options: { ipVersions: [4, 6], ttl: 120 } }],
        defaults: { ipVersions: [4, 6], ttl: 120 },
      },
    ]);
  });

  it("numbers a second target of the same provider without an id", () => {
    const text = [1, 2].map((n) => `[[target]]\nprovider_type = "duckdns"\nprovider_api_token = "duck-token-${n}000"\nrecords = "h${n}.duckdns.org"\n`).join("\n");
    expect(load(text).config.targets.map((t) => t.id)).toEqual(["duckdns", "duckdns-2"]);
  });

  it("prints each target as a [[target]] table in check, secrets redacted", () => {
    const { config } = load(TWO, {}, { "/run/secrets/cf": CF_SECRET });
    const lines = renderEffectiveConfig(config, ALL_PROVIDERS);
    expect(lines).toContain(`DDNS_CONFIG_FILE=${PATH}`);
    expect(lines.slice(lines.indexOf("[[target]]"))).toEqual([
      "[[target]]",
      'id = "home"',
      'provider_type = "cloudflare"',
      "provider_api_token = [REDACTED] (19 characters)",
      'provider_api_url = "https://api.cloudflare.com/client/v4"',
      'records = "home.example.com,nas.example.com{ip_versions=6,ttl=300}"',
      'record_ttl = "auto"',
      'record_proxied = "true"',
      'ip_versions = "4,6"',
      "",
      "[[target]]",
      'id = "powerdns"',
      'provider_type = "powerdns"',
      "provider_api_token = [REDACTED] (21 characters)",
      'provider_api_url = "http://127.0.0.1:8081"',
      'powerdns_server_id = "localhost"',
      'records = "lab.example.net"',
      'record_ttl = "120"',
      'ip_versions = "4,6"',
    ]);
    expect(lines.join("\n")).not.toContain(CF_SECRET);
    expect(lines.join("\n")).not.toContain(PDNS_SECRET);
  });

  it.each([
    { name: "a TOML syntax error", text: '[[target]]\nprovider_type = "cloudflare"\nrecords = [\n', message: `DDNS_CONFIG_FILE "${PATH}" line 4: invalid value.` },
    { name: "no [[target]] table", text: "# empty\n", message: `DDNS_CONFIG_FILE "${PATH}" has no [[target]] table.` },
    { name: "a daemon-wide key at the top", text: 'log_level = "debug"\n[[target]]\n', message: `DDNS_CONFIG_FILE "${PATH}" has "log_level" outside a [[target]] table; daemon-wide settings stay in the environment, each target is a [[target]] table.` },
    { name: "a missing records key", text: '[[target]]\nprovider_type = "duckdns"\nprovider_api_token = "duck-token-1"\n', message: `"${PATH}" line 1: records is required.` },
    { name: "a bad option of one record", text: '[[target]]\nprovider_type = "duckdns"\nprovider_api_token = "duck-token-1"\n\nrecords = ["a.duckdns.org{tll=60}"]\n', message: `"${PATH}" line 5: records has "a.duckdns.org{tll=60}": unknown option "tll" (known: ip_versions, ttl, proxied, comment, ipv6_suffix).` },
    { name: "a mistyped provider key", text: '[[target]]\nprovider_type = "cloudflare"\nprovider_api_tokn = "x1234"\nrecords = "a.example.com"\n', message: `"${PATH}" line 3: provider_api_tokn is not a setting of a cloudflare target; did you mean provider_api_token? (daemon-wide settings stay in the environment).` },
    { name: "another provider's key", text: '[[target]]\nprovider_type = "cloudflare"\nprovider_api_token = "x1234"\npowerdns_server_id = "a"\nrecords = "a.example.com"\n', message: `"${PATH}" line 4: powerdns_server_id is not a setting of a cloudflare target (daemon-wide settings stay in the environment).` },
    { name: "a value of the wrong type", text: '[[target]]\nprovider_type = "cloudflare"\nrecords = { a = 1 }\n', message: `DDNS_CONFIG_FILE "${PATH}" line 3: records must be a string, a number, true/false or a list of strings.` },
    { name: "a duplicate id", text: '[[target]]\nid = "x"\nprovider_type = "duckdns"\nprovider_api_token = "duck-token-1"\nrecords = "a.duckdns.org"\n[[target]]\nid = "x"\nprovider_type = "duckdns"\nprovider_api_token = "duck-token-2"\nrecords = "b.duckdns.org"\n', message: `DDNS_CONFIG_FILE "${PATH}" line 6: id "x" is used by another target.` },
  ])("names the file, line and key for $name", ({ text, message }) => {
    expect(failure(text)).toBe(message);
  });

  it("never quotes a secret from the file in an error", () => {
    const message = failure('[[target]]\nprovider_type = "cloudflare"\nprovider_api_token = "has space-secret"\nrecords = "a.example.com"\n');
    expect(message).toBe(`"${PATH}" line 3: provider_api_token contains white space; a provider secret is a single word (check for a pasted line break).`);
    expect(message).not.toContain("space-secret");
  });

  it.each(["DDNS_PROVIDER_TYPE", "DDNS_RECORDS"])("refuses %s beside DDNS_CONFIG_FILE", (name) => {
    expect(failure(TWO, { [name]: "x" })).toBe(`${name} must not be set together with DDNS_CONFIG_FILE: each [[target]] of the file names its own provider and records.`);
  });
});
