import * as v from "valibot";
import { ConfigError } from "../core/errors.ts";
import type { Family } from "../core/family.ts";
import { quote } from "../core/quote.ts";
import * as values from "../core/values.ts";
import type { RecordConfig, RecordOptions } from "../engine/desired.ts";
import type { ProviderSettings } from "../providers/registry.ts";
import type { Catalogue } from "../providers/kit/catalogue.ts";
import type { ProviderDescriptor } from "../providers/kit/descriptor.ts";

// biome-ignore lint: any provider's descriptor
type AnyDescriptor = ProviderDescriptor<any>;
import { closest } from "./closest.ts";
import { plainHttpWarning } from "./plain-http.ts";
import { parseIpv6Suffix } from "../core/ipv6-suffix.ts";
import { parseRecordEntries, type RecordOptionsInput } from "./record-list.ts";
import { checkTtl } from "./record-ttl.ts";
import { quotedSecretWarning, type SecretValue } from "./secret-file.ts";
import { ipVersions as ipVersionsSchema } from "./fields.ts";
import { commentProblem, compileCommentRegex, ownerAdoptProblem, ownerIdProblem, ownershipProblem } from "./ownership.ts";

/**
 * One target — a provider instance with its secrets and its records — read from wherever it is written: the
 * environment (the one target of an env-only configuration) or a `[[target]]` table of DDNS_CONFIG_FILE. Both give
 * the same variables (`TargetSource`), so both are checked by the same code and the provider's own descriptor:
 * config/ walks the registry and knows no provider by name.
 */
export const TARGET_VARIABLES = ["DDNS_PROVIDER_TYPE", "DDNS_RECORDS", "DDNS_RECORD_TTL", "DDNS_RECORD_PROXIED", "DDNS_RECORD_COMMENT", "DDNS_MANAGED_RECORDS_COMMENT_REGEX", "DDNS_OWNER_ID", "DDNS_OWNER_ADOPT", "DDNS_IP_VERSIONS"] as const;

export interface TargetSource {
  /** A variable's value (trimmed; empty counts as unset). */
  get(variable: string): string | undefined;
  /** A secret variable or its `_FILE` twin, by the rules every secret shares (secret-file.ts). */
  secret(variable: string): SecretValue | undefined;
  /** How a message names a variable: `DDNS_RECORDS`, or `"/etc/ddnsd.toml" line 4: records`. */
  name(variable: string): string;
}

export interface ReadTarget {
  provider: ProviderSettings;
  descriptor: AnyDescriptor;
  records: RecordConfig[];
  defaults: RecordOptions;
}

function fail(source: TargetSource, variable: string, reason: string): never {
  throw new ConfigError(variable, `${source.name(variable)} ${reason}.`);
}

function parseWith<T>(source: TargetSource, variable: string, schema: v.GenericSchema<string, T>): T | undefined {
  const raw = source.get(variable);
  if (raw === undefined) return undefined;
  const result = v.safeParse(schema, raw);
  if (!result.success) fail(source, variable, result.issues[0].message);
  return result.output;
}

/** The provider's settings, read by its descriptor; secrets from the value or its `_FILE` twin. */
function readProvider(source: TargetSource, descriptor: AnyDescriptor, warnings: string[]): ProviderSettings {
  const raw: Record<string, string | undefined> = {};
  const origin = new Map<string, string>();
  for (const variable of descriptor.variables) {
    for (const name of [variable.name, ...variable.fallbacks]) {
      if (raw[variable.name] !== undefined) break;
      if (variable.secret) {
        const secret = source.secret(name);
        if (secret === undefined) continue;
        raw[variable.name] = secret.value;
        origin.set(variable.name, secret.variable);
        const quoted = quotedSecretWarning({ ...secret, variable: source.name(secret.variable) });
        if (quoted) warnings.push(quoted);
      } else {
        const value = source.get(name);
        if (value === undefined) continue;
        raw[variable.name] = value;
        origin.set(variable.name, name);
        if (variable.name.endsWith("_URL")) {
          const plain = plainHttpWarning(source.name(name), value);
          if (plain) warnings.push(plain);
        }
      }
    }
  }
  const parsed = descriptor.parse(raw);
  if (!parsed.ok) fail(source, origin.get(parsed.issue.variable) ?? parsed.issue.variable, parsed.issue.reason);
  return { type: descriptor.id, settings: parsed.settings } as ProviderSettings;
}

/** What a target inherits from the daemon-wide settings. */
export interface TargetDefaults {
  ipVersions: Family[];
  /** DDNS_IPV6_PREFIX_LENGTH, against which each record's ipv6_suffix is read. */
  ipv6PrefixLength: number;
}

function recordOptions(source: TargetSource, descriptor: AnyDescriptor, entry: { name: string; raw: string; options: RecordOptionsInput }, base: RecordOptions, defaults: TargetDefaults, warnings: string[]): RecordOptions {
  const { ipv6Suffix: suffixText, ...rest } = entry.options;
  const options: RecordOptions = { ...base, ...rest, ipVersions: entry.options.ipVersions ?? base.ipVersions };
  if (suffixText !== undefined) {
    const suffix = parseIpv6Suffix(suffixText, defaults.ipv6PrefixLength);
    if (!suffix.ok) fail(source, "DDNS_RECORDS", `has ${quote(entry.raw, 80)}: ipv6_suffix ${suffix.reason}`);
    options.ipv6Suffix = suffix.value;
    if (!options.ipVersions.includes(6)) warnings.push(`${source.name("DDNS_RECORDS")}: the ipv6_suffix of ${quote(entry.name)} has no effect: the record is published for IPv4 only (ip_versions); ignored.`);
  }
  if (entry.options.ttl !== undefined) {
    const verdict = checkTtl(String(entry.options.ttl), descriptor.ttl, descriptor.id);
    if (!verdict.ok) fail(source, "DDNS_RECORDS", `has ${quote(entry.raw, 80)}: ttl ${verdict.reason}`);
    if (verdict.ignored) warnings.push(`${source.name("DDNS_RECORDS")}: the ttl of ${quote(entry.name)} has no effect with ${descriptor.id} (the service chooses the TTL); ignored.`);
  }
  if (entry.options.proxied && !descriptor.capabilities.proxied) {
    warnings.push(`${source.name("DDNS_RECORDS")}: proxied of ${quote(entry.name)} only applies to Cloudflare; ignored for ${descriptor.id}.`);
  }
  return options;
}

export function readTarget(source: TargetSource, defaults: TargetDefaults, warnings: string[], providers: Catalogue): ReadTarget {
  const type = source.get("DDNS_PROVIDER_TYPE");
  if (type === undefined) fail(source, "DDNS_PROVIDER_TYPE", "is required");
  const descriptor = providers.byId(type.toLowerCase());
  if (!descriptor) {
    // The ids are too many to list in one line: the closest one, and where the list is.
    const hint = closest(type.toLowerCase(), providers.ids);
    fail(source, "DDNS_PROVIDER_TYPE", `is not a provider id ddnsd knows (got ${quote(type, 80)})${hint ? `; did you mean ${hint}?` : ";"} \`ddnsd providers\` lists all ${providers.ids.length}`);
  }
  const provider = readProvider(source, descriptor, warnings);

  const recordsRaw = source.get("DDNS_RECORDS");
  if (recordsRaw === undefined) fail(source, "DDNS_RECORDS", "is required");
  const entries = parseRecordEntries(recordsRaw);
  if (!entries.ok) fail(source, "DDNS_RECORDS", entries.reason);

  const ttlRaw = source.get("DDNS_RECORD_TTL");
  let ttl: "auto" | number = "auto";
  if (ttlRaw !== undefined) {
    const verdict = checkTtl(ttlRaw, descriptor.ttl, descriptor.id);
    if (!verdict.ok) fail(source, "DDNS_RECORD_TTL", verdict.reason);
    if (verdict.ignored) warnings.push(`${source.name("DDNS_RECORD_TTL")} has no effect with ${descriptor.id} (the service chooses the TTL); ignored.`);
    ttl = verdict.ttl;
  }
  const proxied = parseWith(source, "DDNS_RECORD_PROXIED", values.boolean);
  if (proxied && !descriptor.capabilities.proxied) warnings.push(`${source.name("DDNS_RECORD_PROXIED")} only applies to Cloudflare; ignored for ${descriptor.id}.`);
  const ipVersions = parseWith(source, "DDNS_IP_VERSIONS", ipVersionsSchema) ?? defaults.ipVersions;
  const comment = source.get("DDNS_RECORD_COMMENT");
  const badComment = comment === undefined ? undefined : commentProblem(comment);
  if (badComment) fail(source, "DDNS_RECORD_COMMENT", badComment);
  const regexRaw = source.get("DDNS_MANAGED_RECORDS_COMMENT_REGEX");
  const compiled = regexRaw === undefined ? undefined : compileCommentRegex(regexRaw);
  if (compiled && !compiled.ok) fail(source, "DDNS_MANAGED_RECORDS_COMMENT_REGEX", compiled.reason);
  const managedComment = compiled?.regex;
  const ownerId = source.get("DDNS_OWNER_ID");
  const ownerProblem = ownerId === undefined ? undefined : ownerIdProblem(descriptor, ownerId, managedComment);
  if (ownerProblem) fail(source, ownerProblem[0], ownerProblem[1]);
  const ownerAdopt = parseWith(source, "DDNS_OWNER_ADOPT", values.boolean) ?? false;
  const adoptProblem = ownerAdoptProblem(ownerAdopt, ownerId);
  if (adoptProblem) fail(source, adoptProblem[0], adoptProblem[1]);
  const base: RecordOptions = {
    ipVersions,
    ttl,
    ...(proxied !== undefined && descriptor.capabilities.proxied ? { proxied } : {}),
    ...(comment !== undefined ? { comment } : {}),
    ...(managedComment ? { managedComment } : {}),
    ...(ownerId !== undefined ? { ownerId } : {}),
    ...(ownerAdopt ? { ownerAdopt } : {}),
  };
  const records = entries.records.map((entry) => ({ name: entry.name, options: recordOptions(source, descriptor, entry, base, defaults, warnings) }));
  const problem = ownershipProblem(descriptor, comment === undefined ? {} : { comment }, managedComment, records, warnings, source.name);
  if (problem) fail(source, problem[0], problem[1]);
  return { provider, descriptor, records, defaults: base };
}

/**
 * Variables of other providers (or the shared `DDNS_PROVIDER_API_*` ones) set in the environment although the chosen
 * provider does not read them: a warning each, so that a setting the operator believes in is never silently ignored.
 */
export function unreadProviderVariables(source: TargetSource, descriptor: AnyDescriptor, providers: Catalogue): string[] {
  const own = new Set(descriptor.variables.flatMap((v) => [v.name, `${v.name}_FILE`, ...v.fallbacks]));
  const others = new Set(["DDNS_PROVIDER_API_TOKEN", "DDNS_PROVIDER_API_KEY", "DDNS_PROVIDER_API_URL", ...providers.list.flatMap((d) => d.variables.map((v) => v.name))]);
  return [...others]
    .flatMap((name) => [name, `${name}_FILE`])
    .filter((name) => name.startsWith("DDNS_") && !own.has(name) && source.get(name) !== undefined)
    .map((name) => `${name} is set, but the ${descriptor.id} provider does not read it; ignored.`);
}
