import * as v from "valibot";
import { ConfigError } from "../core/errors.ts";
import type { Family } from "../core/family.ts";
import type { Config, TargetConfig } from "./types.ts";
import * as f from "./fields.ts";
import { DEFAULT_URLS_V4, DEFAULT_URLS_V6 } from "../ip/http/default-endpoints.ts";
import type { SecretFileReader } from "./secret-file.ts";
import { unknownVariableWarnings } from "./known-variables.ts";
import type { Catalogue } from "../providers/kit/catalogue.ts";
import { readUpdateServerConfig, updateServerIgnoredWarning } from "./update-server-config.ts";
import { parseConfigFile } from "./config-file.ts";
import { envTargetSource, fileTargetSource } from "./target-sources.ts";
import { readNotifySettings } from "./notify-config.ts";
import { readTarget, unreadProviderVariables, type TargetDefaults } from "./targets.ts";
import { deleteOnStopWarning } from "./ownership.ts";
import { DEFAULT_IPV6_PREFIX_LENGTH } from "../core/ipv6-suffix.ts";
import { checkStaticFamilies, readStaticAddresses } from "./static-addresses.ts";
import { checkInterface, readSourceTypes, SOURCE_TYPES } from "./source-types.ts";
import { checkRouterFamilies, readRouterSettings } from "./router-settings.ts";

export interface ConfigInput {
  env: Record<string, string | undefined>;
  /** Reads a `_FILE` secret, bounded and regular files only (secret-file.ts); synchronous, before any async work. */
  readFile: SecretFileReader;
  /** The providers this build offers (the daemon: every one; the Worker: the HTTP ones). */
  providers: Catalogue;
}

export interface LoadedConfig {
  config: Config;
  /** Non-fatal remarks for the operator (unknown variables, odd combinations), logged at startup. */
  warnings: string[];
}

/**
 * Parses the environment (and DDNS_CONFIG_FILE, when set) once into a typed Config, or throws a ConfigError whose
 * message is one line naming the variable — or the file, line and key — and quoting the received value unless it is
 * a secret. Nothing else in the program reads the env. Providers are known only through the registry.
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

  const warnings: string[] = [];
  const ipVersionsExplicit = raw("DDNS_IP_VERSIONS") !== undefined;
  const sources = readSourceTypes(raw, (name, fallback) => get(name, f.oneOf(SOURCE_TYPES), fallback));
  const push = sources.byFamily[4] === "push";
  const allowPrivate = get("DDNS_ALLOW_PRIVATE_ADDRESSES", f.boolean, false);
  const statics = readStaticAddresses(raw, sources, { allowPrivate }, warnings);
  const router = readRouterSettings(raw, sources, warnings);
  // With the static source for both families and no DDNS_IP_VERSIONS, the families given an address are the ones managed.
  const allStatic = sources.byFamily[4] === "static" && sources.byFamily[6] === "static";
  const staticVersions = allStatic && statics ? (Object.keys(statics).map(Number) as Family[]) : undefined;
  const defaultVersions = get("DDNS_IP_VERSIONS", f.ipVersions, staticVersions ?? ([4, 6] as Family[]));
  const configFile = raw("DDNS_CONFIG_FILE");
  const defaults = { ipVersions: defaultVersions, ipv6PrefixLength: get("DDNS_IPV6_PREFIX_LENGTH", f.prefixLength, DEFAULT_IPV6_PREFIX_LENGTH) };
  const targets = configFile === undefined ? [envTarget(input, defaults, warnings)] : fileTargets(input, configFile, defaults, warnings);

  const iface = get("DDNS_IP_SOURCE_INTERFACE", f.plainText);
  checkInterface(sources, iface);
  const stateType = get("DDNS_STATE_STORE_TYPE", f.oneOf(["memory", "file"] as const), "memory");
  const statePath = get("DDNS_STATE_STORE_PATH", f.plainText);
  if (stateType === "file" && !statePath) {
    throw new ConfigError("DDNS_STATE_STORE_PATH", "DDNS_STATE_STORE_PATH is required when DDNS_STATE_STORE_TYPE=file (e.g. /var/lib/ddns/state.json).");
  }
  const used = new Set(targets.flatMap((t) => t.records.flatMap((r) => r.options.ipVersions)));
  checkStaticFamilies(statics, sources, [...used].sort());
  checkRouterFamilies(sources, [...used]);
  const config: Config = {
    targets,
    ...(configFile === undefined ? {} : { configFile }),
    ipVersions: [...used].sort(),
    ipVersionsExplicit,
    ipSource: {
      type: sources.type,
      byFamily: sources.byFamily,
      ...(iface ? { interface: iface } : {}),
      urlsV4: get("DDNS_IP_SOURCE_URLS_V4", f.urlList, DEFAULT_URLS_V4),
      urlsV6: get("DDNS_IP_SOURCE_URLS_V6", f.urlList, DEFAULT_URLS_V6),
      httpFallback: get("DDNS_IP_SOURCE_HTTP_FALLBACK", f.boolean, false),
      ...(statics ? { static: statics } : {}),
      ...(router ? { router } : {}),
    },
    ipv6PrefixLength: defaults.ipv6PrefixLength,
    allowPrivate,
    pollIntervalMs: get("DDNS_POLL_INTERVAL", f.duration(1000), 300_000),
    verifyIntervalMs: get("DDNS_VERIFY_INTERVAL", f.duration(1000), 3_600_000),
    shutdownTimeoutMs: get("DDNS_SHUTDOWN_TIMEOUT", f.duration(1000, 3_600_000), 30_000),
    deleteOnStop: get("DDNS_DELETE_ON_STOP", f.boolean, false),
    state: { type: stateType, ...(statePath ? { path: statePath } : {}) },
    log: {
      level: get("DDNS_LOG_LEVEL", f.oneOf(["trace", "debug", "info", "warn", "error"] as const), "info"),
      format: get("DDNS_LOG_FORMAT", f.oneOf(["text", "json"] as const), "text"),
    },
    http: get("DDNS_HTTP_ADDR", f.httpAddr, { host: "127.0.0.1", port: 8080 }),
    notify: readNotifySettings(input.env, input.readFile),
  };
  if (config.deleteOnStop) {
    for (const t of targets) {
      const descriptor = input.providers.byId(t.provider.type);
      const warning = descriptor && deleteOnStopWarning(descriptor, targets.length > 1 ? t.id : undefined);
      if (warning) warnings.push(warning);
    }
  }
  warnings.unshift(...unknownVariableWarnings(input.env, input.providers));
  if (push) {
    if (!config.http) {
      throw new ConfigError("DDNS_HTTP_ADDR", "DDNS_HTTP_ADDR must not be off when DDNS_IP_SOURCE_TYPE=push (the update endpoint /nic/update is served there).");
    }
    config.updateServer = readUpdateServerConfig(input, targetSecrets(config, input.providers), " when DDNS_IP_SOURCE_TYPE=push", warnings);
  } else {
    const ignored = updateServerIgnoredWarning(input.env);
    if (ignored) warnings.push(ignored);
  }
  return { config, warnings };
}

/** Every secret of every target (never printed; the log redacts them, the update password must differ). */
export function targetSecrets(config: Pick<Config, "targets">, providers: Catalogue): string[] {
  return config.targets.flatMap((t) => providers.byId(t.provider.type)?.secrets(t.provider.settings) ?? []);
}

/** The one target of an environment-only configuration; its id is the provider's id. */
function envTarget(input: ConfigInput, defaults: TargetDefaults, warnings: string[]): TargetConfig {
  const source = envTargetSource(input.env, input.readFile);
  const read = readTarget(source, defaults, warnings, input.providers);
  warnings.push(...unreadProviderVariables(source, read.descriptor, input.providers));
  return { id: read.descriptor.id, provider: read.provider, records: read.records, defaults: read.defaults };
}

/** The file is read like a secret file (regular, bounded), then each [[target]] table like the environment. */
const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

function fileTargets(input: ConfigInput, path: string, defaults: TargetDefaults, warnings: string[]): TargetConfig[] {
  for (const name of ["DDNS_PROVIDER_TYPE", "DDNS_RECORDS"]) {
    if (input.env[name]?.trim()) {
      throw new ConfigError(name, `${name} must not be set together with DDNS_CONFIG_FILE: each [[target]] of the file names its own provider and records.`);
    }
  }
  let text: string;
  try {
    text = input.readFile(path, MAX_CONFIG_FILE_BYTES);
  } catch (error) {
    const { code, kind } = error as { code?: string; kind?: string };
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "ENOTREG" ? `not a regular file: ${kind ?? "a special file"}` : code === "EFBIG" ? "larger than 1 MiB" : "unreadable";
    throw new ConfigError("DDNS_CONFIG_FILE", `DDNS_CONFIG_FILE could not be read: ${JSON.stringify(path)} (${why}).`);
  }
  const parsed = parseConfigFile(path, text);
  if (!parsed.ok) throw new ConfigError("DDNS_CONFIG_FILE", `DDNS_CONFIG_FILE ${parsed.message}.`);
  const targets: TargetConfig[] = [];
  const taken = new Map<string, number>();
  for (const table of parsed.targets) {
    const source = fileTargetSource(path, table, input.readFile, input.providers);
    const read = readTarget(source, defaults, warnings, input.providers);
    if (table.id !== undefined && targets.some((t) => t.id === table.id)) {
      throw new ConfigError("DDNS_CONFIG_FILE", `DDNS_CONFIG_FILE ${JSON.stringify(path)} line ${table.line}: id ${JSON.stringify(table.id)} is used by another target.`);
    }
    const base = table.id ?? read.descriptor.id;
    const n = (taken.get(base) ?? 0) + 1;
    taken.set(base, n);
    targets.push({ id: table.id ?? (n === 1 ? base : `${base}-${n}`), provider: read.provider, records: read.records, defaults: read.defaults });
  }
  return targets;
}


/** Only `DDNS_HTTP_ADDR`, for `ddnsd healthcheck` (which must work without the rest of the configuration). */
export function loadHttpAddr(env: Record<string, string | undefined>) {
  const value = env.DDNS_HTTP_ADDR?.trim();
  if (!value) return { host: "127.0.0.1", port: 8080 };
  const result = v.safeParse(f.httpAddr, value);
  if (result.success) return result.output;
  throw new ConfigError("DDNS_HTTP_ADDR", `DDNS_HTTP_ADDR ${result.issues[0].message}.`);
}
