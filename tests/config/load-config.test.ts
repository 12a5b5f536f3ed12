import { ALL_PROVIDERS } from "../../src/providers/registry.ts";
import { describe, expect, it } from "bun:test";
import { loadConfig } from "../../src/config/load-config.ts";
import { ConfigError } from "../../src/core/errors.ts";

const BASE = { DDNS_PROVIDER_TYPE: "cloudflare", DDNS_PROVIDER_API_TOKEN: "cf-secret-token-123", DDNS_RECORDS: "example.com" };
const noFile = (path: string): string => {
  throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
};

function load(env: Record<string, string | undefined>, readFile = noFile) {
  return loadConfig({ providers: ALL_PROVIDERS, env, readFile });
}

function failure(env: Record<string, string | undefined>, readFile = noFile): ConfigError {
  try {
    load(env, readFile);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig defaults", () => {
  it("fills every default of the contract", () => {
    const { config } = load(BASE);
    expect(config.targets).toEqual([
      {
        id: "cloudflare",
        provider: { type: "cloudflare", settings: { token: BASE.DDNS_PROVIDER_API_TOKEN, apiUrl: "https://api.cloudflare.com/client/v4" } },
        records: [{ name: "example.com", options: { ipVersions: [4, 6], ttl: "auto" } }],
        defaults: { ipVersions: [4, 6], ttl: "auto" },
      },
    ]);
    expect(config).toMatchObject({
      ipVersions: [4, 6],
      ipVersionsExplicit: false,
      ipSource: { type: "http", httpFallback: false },
      pollIntervalMs: 300_000,
      verifyIntervalMs: 3_600_000,
      shutdownTimeoutMs: 30_000,
      state: { type: "memory" },
      log: { level: "info", format: "text" },
      http: { host: "127.0.0.1", port: 8080 },
      allowPrivate: false,
    });
    expect(config.ipSource.urlsV4[0]).toBe("https://1.1.1.1/cdn-cgi/trace");
    expect(config.ipSource.urlsV6[0]).toBe("https://[2606:4700:4700::1111]/cdn-cgi/trace");
  });
});

describe("loadConfig parsing", () => {
  it.each([
    { name: "durations", env: { DDNS_POLL_INTERVAL: "30s", DDNS_VERIFY_INTERVAL: "1h30m", DDNS_SHUTDOWN_TIMEOUT: "2s" }, expect: { pollIntervalMs: 30_000, verifyIntervalMs: 5_400_000, shutdownTimeoutMs: 2000 } },

    { name: "ip versions 6 only", env: { DDNS_IP_VERSIONS: "6" }, expect: { ipVersions: [6], ipVersionsExplicit: true } },
    { name: "ip versions set to the default are still explicit", env: { DDNS_IP_VERSIONS: "4,6" }, expect: { ipVersions: [4, 6], ipVersionsExplicit: true } },
    { name: "ip versions reversed", env: { DDNS_IP_VERSIONS: "6,4" }, expect: { ipVersions: [4, 6] } },
    { name: "http addr ipv6", env: { DDNS_HTTP_ADDR: "[::1]:9090" }, expect: { http: { host: "::1", port: 9090 } } },
    { name: "http addr off", env: { DDNS_HTTP_ADDR: "off" }, expect: { http: undefined } },
    { name: "file state", env: { DDNS_STATE_STORE_TYPE: "file", DDNS_STATE_STORE_PATH: "/var/lib/ddns/state.json" }, expect: { state: { type: "file", path: "/var/lib/ddns/state.json" } } },
    { name: "empty optional means default", env: { DDNS_LOG_LEVEL: "", DDNS_RECORD_TTL: " " }, expect: { log: { level: "info", format: "text" }, targets: [{ defaults: { ttl: "auto" } }] } },
    { name: "custom urls", env: { DDNS_IP_SOURCE_URLS_V4: "http://127.0.0.1:1/ip, http://127.0.0.1:2/ip" }, expect: { ipSource: { urlsV4: ["http://127.0.0.1:1/ip", "http://127.0.0.1:2/ip"] } } },
    { name: "netlink with interface", env: { DDNS_IP_SOURCE_TYPE: "netlink", DDNS_IP_SOURCE_INTERFACE: "eth0" }, expect: { ipSource: { type: "netlink", interface: "eth0" } } },
  ])("$name", ({ env, expect: expected }) => {
    expect(load({ ...BASE, ...env }).config).toMatchObject(expected);
  });

  it.each([
    { name: "record names are normalised", env: { DDNS_RECORDS: "Example.COM., www.example.com,*.example.com,bücher.example, example.com" }, names: ["example.com", "www.example.com", "*.example.com", "xn--bcher-kva.example"], ttl: "auto" },
    { name: "ttl seconds for the target", env: { DDNS_RECORD_TTL: "300" }, names: ["example.com"], ttl: 300 },
  ])("$name", ({ env, names, ttl }) => {
    const [target] = load({ ...BASE, ...env }).config.targets;
    expect(target!.records.map((r) => r.name)).toEqual([...names]);
    expect(target!.records.map((r) => r.options.ttl)).toEqual(names.map(() => ttl));
  });

  it("reads the secret from a file and trims one trailing newline", () => {
    const { config } = load({ ...BASE, DDNS_PROVIDER_API_TOKEN: undefined, DDNS_PROVIDER_API_TOKEN_FILE: "/run/secrets/t" }, () => "file-token-abc\n");
    expect(config.targets[0]!.provider.settings).toMatchObject({ token: "file-token-abc" });
  });

  it("accepts both secret forms when they agree", () => {
    const { config } = load({ ...BASE, DDNS_PROVIDER_API_TOKEN_FILE: "/s" }, () => `${BASE.DDNS_PROVIDER_API_TOKEN}\n`);
    expect(config.targets[0]!.provider.settings).toMatchObject({ token: BASE.DDNS_PROVIDER_API_TOKEN });
  });

  it("warns about unknown DDNS_ variables with a suggestion", () => {
    const { warnings } = load({ ...BASE, DDNS_RECORD: "x" });
    expect(warnings).toEqual(["Unknown variable DDNS_RECORD is ignored; did you mean DDNS_RECORDS?"]);
  });
});

describe("loadConfig errors name the variable, quote the value, never the secret", () => {
  it.each([
    { name: "missing provider", env: { DDNS_PROVIDER_TYPE: undefined }, variable: "DDNS_PROVIDER_TYPE", message: "DDNS_PROVIDER_TYPE is required." },
    { name: "unknown provider", env: { DDNS_PROVIDER_TYPE: "nosuchdns" }, variable: "DDNS_PROVIDER_TYPE", message: `DDNS_PROVIDER_TYPE is not a provider id ddnsd knows (got "nosuchdns"); \`ddnsd providers\` lists all ${ALL_PROVIDERS.ids.length}.` },
    { name: "mistyped provider", env: { DDNS_PROVIDER_TYPE: "cloudflar" }, variable: "DDNS_PROVIDER_TYPE", message: `DDNS_PROVIDER_TYPE is not a provider id ddnsd knows (got "cloudflar"); did you mean cloudflare? \`ddnsd providers\` lists all ${ALL_PROVIDERS.ids.length}.` },
    { name: "empty token", env: { DDNS_PROVIDER_API_TOKEN: "" }, variable: "DDNS_PROVIDER_API_TOKEN", message: "DDNS_PROVIDER_API_TOKEN is required." },
    { name: "missing records", env: { DDNS_RECORDS: undefined }, variable: "DDNS_RECORDS", message: "DDNS_RECORDS is required." },
    { name: "stray comma", env: { DDNS_RECORDS: "example.com,,www.example.com" }, variable: "DDNS_RECORDS", message: "DDNS_RECORDS contains an empty name (check for a stray comma)." },
    { name: "single label", env: { DDNS_RECORDS: "localhost" }, variable: "DDNS_RECORDS", message: 'DDNS_RECORDS has "localhost": use a fully-qualified name such as "home.example.com".' },
    { name: "bad label", env: { DDNS_RECORDS: "bad!name.example.com" }, variable: "DDNS_RECORDS", message: 'DDNS_RECORDS has "bad!name.example.com", which is not a valid domain name (label "bad!name").' },
    { name: "space in a name", env: { DDNS_RECORDS: "exa mple.com" }, variable: "DDNS_RECORDS", message: 'DDNS_RECORDS has "exa mple.com", which is not a valid domain name.' },
    { name: "inner wildcard", env: { DDNS_RECORDS: "a.*.example.com" }, variable: "DDNS_RECORDS", message: 'DDNS_RECORDS has "a.*.example.com": a wildcard is only allowed as the first label ("*.example.com").' },
    { name: "bad duration", env: { DDNS_POLL_INTERVAL: "5 minutes" }, variable: "DDNS_POLL_INTERVAL", message: 'DDNS_POLL_INTERVAL must be a duration such as 30s, 5m or 1h (got "5 minutes").' },
    { name: "unitless duration", env: { DDNS_POLL_INTERVAL: "300" }, variable: "DDNS_POLL_INTERVAL", message: 'DDNS_POLL_INTERVAL must be a duration such as 30s, 5m or 1h (got "300").' },
    { name: "too short poll", env: { DDNS_POLL_INTERVAL: "500ms" }, variable: "DDNS_POLL_INTERVAL", message: 'DDNS_POLL_INTERVAL must be at least 1s (got "500ms").' },
    { name: "bad ttl", env: { DDNS_RECORD_TTL: "5" }, variable: "DDNS_RECORD_TTL", message: 'DDNS_RECORD_TTL must be auto or a number of seconds from 60 to 86400 for cloudflare (got "5").' },
    { name: "bad bool", env: { DDNS_RECORD_PROXIED: "maybe" }, variable: "DDNS_RECORD_PROXIED", message: 'DDNS_RECORD_PROXIED must be true or false (got "maybe").' },
    { name: "bad versions", env: { DDNS_IP_VERSIONS: "5" }, variable: "DDNS_IP_VERSIONS", message: 'DDNS_IP_VERSIONS must be 4, 6 or 4,6 (got "5").' },
    { name: "bad http addr", env: { DDNS_HTTP_ADDR: "8080" }, variable: "DDNS_HTTP_ADDR", message: 'DDNS_HTTP_ADDR must be host:port such as 127.0.0.1:8080 or [::1]:8080, or off (got "8080").' },
    { name: "port out of range", env: { DDNS_HTTP_ADDR: "0.0.0.0:70000" }, variable: "DDNS_HTTP_ADDR", message: 'DDNS_HTTP_ADDR must be host:port such as 127.0.0.1:8080 or [::1]:8080, or off (got "0.0.0.0:70000").' },
    { name: "file store without path", env: { DDNS_STATE_STORE_TYPE: "file" }, variable: "DDNS_STATE_STORE_PATH", message: "DDNS_STATE_STORE_PATH is required when DDNS_STATE_STORE_TYPE=file (e.g. /var/lib/ddns/state.json)." },
    { name: "netlink without interface", env: { DDNS_IP_SOURCE_TYPE: "netlink" }, variable: "DDNS_IP_SOURCE_INTERFACE", message: "DDNS_IP_SOURCE_INTERFACE is required when DDNS_IP_SOURCE_TYPE=netlink (e.g. eth0)." },
    { name: "bad log level", env: { DDNS_LOG_LEVEL: "verbose" }, variable: "DDNS_LOG_LEVEL", message: 'DDNS_LOG_LEVEL must be one of trace, debug, info, warn, error (got "verbose").' },
    { name: "bad url", env: { DDNS_PROVIDER_API_URL: "ftp://x" }, variable: "DDNS_PROVIDER_API_URL", message: 'DDNS_PROVIDER_API_URL must be an http:// or https:// URL without credentials (got "ftp://x").' },
    { name: "token with a line break", env: { DDNS_PROVIDER_API_TOKEN: "abc def-secret" }, variable: "DDNS_PROVIDER_API_TOKEN", message: "DDNS_PROVIDER_API_TOKEN contains white space; a provider secret is a single word (check for a pasted line break)." },
    { name: "rfc2136 without server", env: { DDNS_PROVIDER_TYPE: "rfc2136", DDNS_PROVIDER_API_TOKEN: "c2VjcmV0c2VjcmV0" }, variable: "DDNS_RFC2136_SERVER", message: "DDNS_RFC2136_SERVER is required when DDNS_PROVIDER_TYPE=rfc2136 (e.g. 127.0.0.1:53)." },
    { name: "rfc2136 secret not base64", env: { DDNS_PROVIDER_TYPE: "rfc2136", DDNS_PROVIDER_API_TOKEN: "not*base64!", DDNS_RFC2136_SERVER: "127.0.0.1:53", DDNS_RFC2136_TSIG_KEY_NAME: "k" }, variable: "DDNS_PROVIDER_API_TOKEN", message: "DDNS_PROVIDER_API_TOKEN must be the base64 TSIG secret when DDNS_PROVIDER_TYPE=rfc2136 (it is not valid base64)." },
    { name: "powerdns without url", env: { DDNS_PROVIDER_TYPE: "powerdns" }, variable: "DDNS_PROVIDER_API_URL", message: "DDNS_PROVIDER_API_URL is required when DDNS_PROVIDER_TYPE=powerdns (e.g. http://127.0.0.1:8081)." },
    { name: "dyndns2 without username", env: { DDNS_PROVIDER_TYPE: "dyndns2", DDNS_PROVIDER_API_URL: "https://dyn.example" }, variable: "DDNS_DYNDNS2_USERNAME", message: "DDNS_DYNDNS2_USERNAME is required when DDNS_PROVIDER_TYPE=dyndns2." },
  ])("$name", ({ env, variable, message }) => {
    const error = failure({ ...BASE, ...env });
    expect(error.variable).toBe(variable);
    expect(error.message).toBe(message);
    expect(error.message).not.toContain("cf-secret-token-123");
    expect(error.message).not.toContain("\n");
  });

  it("refuses two different secrets", () => {
    const error = failure({ ...BASE, DDNS_PROVIDER_API_TOKEN_FILE: "/s" }, () => "another-secret-xyz\n");
    expect(error.message).toBe("DDNS_PROVIDER_API_TOKEN_FILE and DDNS_PROVIDER_API_TOKEN are both set and differ; set only one of them.");
    expect(error.message).not.toContain("another-secret-xyz");
  });

  it.each([
    { name: "missing file", code: "ENOENT", message: 'DDNS_PROVIDER_API_TOKEN_FILE could not be read: "/run/secrets/t" (no such file).' },
    { name: "unreadable file", code: "EACCES", message: 'DDNS_PROVIDER_API_TOKEN_FILE could not be read: "/run/secrets/t" (permission denied).' },
  ])("names an unreadable secret file: $name", ({ code, message }) => {
    const read = () => {
      throw Object.assign(new Error("x"), { code });
    };
    const error = failure({ ...BASE, DDNS_PROVIDER_API_TOKEN: undefined, DDNS_PROVIDER_API_TOKEN_FILE: "/run/secrets/t" }, read);
    expect(error.message).toBe(message);
  });
});

describe("provider-specific settings", () => {
  it("dyndns2 with a preset needs no URL", () => {
    const { config } = load({ ...BASE, DDNS_PROVIDER_TYPE: "dyndns2", DDNS_DYNDNS2_PRESET: "noip", DDNS_DYNDNS2_USERNAME: "me" });
    expect(config.targets[0]!.provider).toEqual({ type: "dyndns2", settings: { token: BASE.DDNS_PROVIDER_API_TOKEN, username: "me", preset: "noip", apiUrl: undefined } });
  });
  it("an unknown dyndns2 preset names the choices", () => {
    const error = failure({ ...BASE, DDNS_PROVIDER_TYPE: "dyndns2", DDNS_DYNDNS2_PRESET: "dyndnsorg", DDNS_DYNDNS2_USERNAME: "me" });
    expect(error.message).toBe('DDNS_DYNDNS2_PRESET must be one of noip, dynu, dynv6, desec, ovh, dyn, he, strato, selfhost, spdyn, changeip, nowdns, dnsomatic, variomedia, gigahost, inwx, ipv64 (got "dyndnsorg").');
  });
  it("dyndns2 without URL or preset is refused", () => {
    const error = failure({ ...BASE, DDNS_PROVIDER_TYPE: "dyndns2", DDNS_DYNDNS2_USERNAME: "me" });
    expect(error.message).toBe("DDNS_PROVIDER_API_URL or DDNS_DYNDNS2_PRESET is required when DDNS_PROVIDER_TYPE=dyndns2.");
  });
  it("rfc2136 settings with defaults", () => {
    const { config } = load({ ...BASE, DDNS_PROVIDER_TYPE: "rfc2136", DDNS_PROVIDER_API_TOKEN: "c2VjcmV0c2VjcmV0", DDNS_RFC2136_SERVER: "127.0.0.1:5353", DDNS_RFC2136_TSIG_KEY_NAME: "ddns-key." });
    expect(config.targets[0]!.provider).toEqual({ type: "rfc2136", settings: { token: "c2VjcmV0c2VjcmV0", server: "127.0.0.1:5353", zone: undefined, keyName: "ddns-key", algorithm: "hmac-sha256" } });
  });
  it("powerdns server id defaults to localhost", () => {
    const { config } = load({ ...BASE, DDNS_PROVIDER_TYPE: "powerdns", DDNS_PROVIDER_API_URL: "http://127.0.0.1:8081/" });
    expect(config.targets[0]!.provider.settings).toMatchObject({ apiUrl: "http://127.0.0.1:8081", serverId: "localhost" });
  });
});
