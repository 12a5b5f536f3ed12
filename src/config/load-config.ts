import * as v from "valibot";
import { ConfigError } from "../core/errors.ts";
import type { Config, IpSourceType, ProviderConfig, ProviderType } from "./types.ts";
import * as f from "./fields.ts";
import { DEFAULT_URLS_V4, DEFAULT_URLS_V6 } from "../ip/http/default-endpoints.ts";
import { readSecret } from "./secret.ts";
import type { SecretFileReader } from "./secret-file.ts";
import { readRecordTtl } from "./record-ttl.ts";
import { plainHttpWarning } from "./plain-http.ts";
import { KNOWN_VARIABLES, unknownVariableWarnings } from "./known-variables.ts";
import { DYNDNS2_PRESET_NAMES } from "../providers/dyndns2/presets.ts";
import { edgeIgnoredWarning, readEdgeConfig } from "./update-server-config.ts";

export interface ConfigInput {
  env: Record<string, string | undefined>;
  /** Reads a `_FILE` secret, bounded and regular files only (secret-file.ts); synchronous, before any async work. */
  readFile: SecretFileReader;
}

export interface LoadedConfig {
  config: Config;
  /** Non-fatal remarks for the operator (unknown variables, odd combinations), logged at startup. */
  warnings: string[];
}

const PROVIDERS = ["cloudflare", "rfc2136", "powerdns", "dyndns2", "duckdns"] as const satisfies readonly ProviderType[];
const SOURCES = ["http", "netlink", "interface", "push"] as const satisfies readonly IpSourceType[];

/**
 * Parses the environment once into a typed Config, or throws a ConfigError whose message is one line naming the
 * variable (and quoting the received value unless it is a secret). Nothing else in the program reads the env.
 */
export function loadConfig(input: ConfigInput): LoadedConfig {
  const raw = (name: string): string | undefined => {
    const value = input.env[name]?.trim();
    return value === "" ? undefined : value;
  };
  function get<T>(name: string, schema: v.GenericSchema<string, T>): T | undefined;
  function get<T>(name: string, schema: v.GenericSchema<string, T>, fallback: T): T;
  function get<T>(name: string, schema: v.GenericSchema<string, T>, fallback?: T): T | undefined {
    const value = raw(name);
    if (value === undefined) return fallback;
    const result = v.safeParse(schema, value);
    if (result.success) return result.output;
    throw new ConfigError(name, `${name} ${result.issues[0].message}.`);
  }
  const need = <T>(name: string, schema: v.GenericSchema<string, T>, why = ""): T => {
    const value = get(name, schema);
    if (value === undefined) throw new ConfigError(name, `${name} is required${why}.`);
    return value;
  };

  const providerType = need("DDNS_PROVIDER_TYPE", f.oneOf(PROVIDERS));
  const warnings: string[] = [];
  const { token, warnings: secretWarnings } = readSecret(input.env, input.readFile, providerType);
  warnings.push(...secretWarnings);
  const records = need("DDNS_RECORDS", f.records);
  const apiUrl = get("DDNS_PROVIDER_API_URL", f.url);
  const plainHttp = providerType === "rfc2136" ? undefined : plainHttpWarning("DDNS_PROVIDER_API_URL", apiUrl);
  if (plainHttp) warnings.push(plainHttp);
  const provider: ProviderConfig = { type: providerType, token, ...(apiUrl ? { apiUrl } : {}) };
  const forProvider = ` when DDNS_PROVIDER_TYPE=${providerType}`;
  if (providerType === "rfc2136") {
    provider.rfc2136 = {
      server: need("DDNS_RFC2136_SERVER", f.hostPort, forProvider),
      zone: get("DDNS_RFC2136_ZONE", f.dnsName),
      keyName: need("DDNS_RFC2136_TSIG_KEY_NAME", f.dnsName, forProvider),
      algorithm: get("DDNS_RFC2136_TSIG_ALGORITHM", f.oneOf(["hmac-sha256", "hmac-sha512", "hmac-sha384", "hmac-sha224", "hmac-sha1"] as const), "hmac-sha256"),
    };
  } else if (providerType === "powerdns") {
    if (!apiUrl) throw new ConfigError("DDNS_PROVIDER_API_URL", `DDNS_PROVIDER_API_URL is required${forProvider} (e.g. http://127.0.0.1:8081).`);
    provider.powerdns = { serverId: get("DDNS_POWERDNS_SERVER_ID", f.plainText, "localhost") };
  } else if (providerType === "dyndns2") {
    const preset = get("DDNS_DYNDNS2_PRESET", f.oneOf(DYNDNS2_PRESET_NAMES));
    if (!apiUrl && !preset) {
      throw new ConfigError("DDNS_PROVIDER_API_URL", `DDNS_PROVIDER_API_URL or DDNS_DYNDNS2_PRESET is required${forProvider}.`);
    }
    provider.dyndns2 = { username: need("DDNS_DYNDNS2_USERNAME", f.plainText, forProvider), ...(preset ? { preset } : {}) };
  }

  const sourceType = get("DDNS_IP_SOURCE_TYPE", f.oneOf(SOURCES), "http");
  const iface = get("DDNS_IP_SOURCE_INTERFACE", f.plainText);
  if ((sourceType === "netlink" || sourceType === "interface") && !iface) {
    throw new ConfigError("DDNS_IP_SOURCE_INTERFACE", `DDNS_IP_SOURCE_INTERFACE is required when DDNS_IP_SOURCE_TYPE=${sourceType} (e.g. eth0).`);
  }
  const stateType = get("DDNS_STATE_STORE_TYPE", f.oneOf(["memory", "file"] as const), "memory");
  const statePath = get("DDNS_STATE_STORE_PATH", f.plainText);
  if (stateType === "file" && !statePath) {
    throw new ConfigError("DDNS_STATE_STORE_PATH", "DDNS_STATE_STORE_PATH is required when DDNS_STATE_STORE_TYPE=file (e.g. /var/lib/ddns/state.json).");
  }

  const ttl = readRecordTtl(raw("DDNS_RECORD_TTL"), providerType);
  if (ttl.warning) warnings.push(ttl.warning);
  const config: Config = {
    provider,
    records,
    ttl: ttl.ttl,
    proxied: get("DDNS_RECORD_PROXIED", f.boolean, false),
    ipVersions: get("DDNS_IP_VERSIONS", f.ipVersions, [4, 6]),
    ipVersionsExplicit: raw("DDNS_IP_VERSIONS") !== undefined,
    ipSource: {
      type: sourceType,
      ...(iface ? { interface: iface } : {}),
      urlsV4: get("DDNS_IP_SOURCE_URLS_V4", f.urlList, DEFAULT_URLS_V4),
      urlsV6: get("DDNS_IP_SOURCE_URLS_V6", f.urlList, DEFAULT_URLS_V6),
      httpFallback: get("DDNS_IP_SOURCE_HTTP_FALLBACK", f.boolean, false),
    },
    allowPrivate: get("DDNS_ALLOW_PRIVATE_ADDRESSES", f.boolean, false),
    pollIntervalMs: get("DDNS_POLL_INTERVAL", f.duration(1000), 300_000),
    verifyIntervalMs: get("DDNS_VERIFY_INTERVAL", f.duration(1000), 3_600_000),
    shutdownTimeoutMs: get("DDNS_SHUTDOWN_TIMEOUT", f.duration(1000, 3_600_000), 30_000),
    state: { type: stateType, ...(statePath ? { path: statePath } : {}) },
    log: {
      level: get("DDNS_LOG_LEVEL", f.oneOf(["trace", "debug", "info", "warn", "error"] as const), "info"),
      format: get("DDNS_LOG_FORMAT", f.oneOf(["text", "json"] as const), "text"),
    },
    http: get("DDNS_HTTP_ADDR", f.httpAddr, { host: "127.0.0.1", port: 8080 }),
  };
  warnings.unshift(...unknownVariableWarnings(input.env));
  if (sourceType === "push") {
    if (!config.http) {
      throw new ConfigError("DDNS_HTTP_ADDR", "DDNS_HTTP_ADDR must not be off when DDNS_IP_SOURCE_TYPE=push (the update endpoint /nic/update is served there).");
    }
    config.edge = readEdgeConfig(input, token, " when DDNS_IP_SOURCE_TYPE=push", warnings);
  } else {
    const ignored = edgeIgnoredWarning(input.env);
    if (ignored) warnings.push(ignored);
  }
  if (config.proxied && providerType !== "cloudflare") warnings.push(`DDNS_RECORD_PROXIED only applies to Cloudflare; ignored for ${providerType}.`);
  return { config, warnings };
}

export { KNOWN_VARIABLES };

/** Only `DDNS_HTTP_ADDR`, for `ddnsd healthcheck` (which must work without the rest of the configuration). */
export function loadHttpAddr(env: Record<string, string | undefined>) {
  const value = env.DDNS_HTTP_ADDR?.trim();
  if (!value) return { host: "127.0.0.1", port: 8080 };
  const result = v.safeParse(f.httpAddr, value);
  if (result.success) return result.output;
  throw new ConfigError("DDNS_HTTP_ADDR", `DDNS_HTTP_ADDR ${result.issues[0].message}.`);
}
