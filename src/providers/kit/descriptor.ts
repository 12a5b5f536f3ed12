import * as v from "valibot";
import type { DnsProvider, ProviderDeps } from "./types.ts";
import { parseField, type AnyField, type FieldIssue, type SettingsOf } from "./fields.ts";

/**
 * A provider, as the rest of ddnsd sees it before it exists: its id and name, its variables, how to read and
 * check them, how `check` shows them, and how to build it. config/ walks the registry of descriptors and knows no
 * provider by name; `ddnsd providers`, the README table and the docs index come from the same data.
 */
export interface Capabilities {
  /** Records can be read back (no write when equal, repairs of hand edits); false for update-URL services. */
  read: boolean;
  /** Records carry a comment the daemon can write and match (DDNS_RECORD_COMMENT, ownership). */
  comments: boolean;
  /** Cloudflare's proxy flag (DDNS_RECORD_PROXIED). */
  proxied: boolean;
  /**
   * Owner TXT records can be read and written beside each record or set (DDNS_OWNER_ID): the template's own
   * list/create/remove (record-registry.ts) or read/write (rrset-ownership.ts) take type TXT at any name.
   */
  ownerRegistry?: boolean;
  /**
   * DDNS_DELETE_ON_STOP can remove ddnsd's records (the provider has `deleteRecords`). Default: `read` — every reading
   * template deletes, write-only update URLs cannot unless the service documents a way to clear an address (DuckDNS).
   */
  delete?: boolean;
}

export interface TtlRange {
  min: number;
  max: number;
  /** What `auto` means at this provider, for `check` and docs ("1 (automatic)", "the zone's default"). */
  auto: string;
}

export interface VariableSpec {
  name: string;
  description: string;
  secret: boolean;
  required: boolean;
  default?: string;
  /** Read when `name` is unset (Route53's AWS_* variables). */
  fallbacks: readonly string[];
}

export type ParsedSettings<S> = { ok: true; settings: S } | { ok: false; issue: FieldIssue };

export interface ProviderDescriptor<S = unknown> {
  readonly id: string;
  readonly name: string;
  /** Path of the provider's page, relative to the repository root. */
  readonly docs: string;
  readonly capabilities: Capabilities;
  /** `undefined`: the service chooses the TTL itself (update-URL services); DDNS_RECORD_TTL has no effect there. */
  readonly ttl: TtlRange | undefined;
  readonly variables: readonly VariableSpec[];
  /** The settings schema: raw values keyed by variable name (secrets already read from their `_FILE`). */
  readonly schema: v.GenericSchema<Record<string, string | undefined>, S>;
  /** The schema's verdict as one issue naming the variable (what config turns into a configuration error). */
  parse(raw: Record<string, string | undefined>): ParsedSettings<S>;
  /** `check` lines: variable and shown value; secrets as `[REDACTED] (n characters)`. */
  describe(settings: S): Array<[string, string]>;
  /** The secret values in the settings (for the log's redactor; never printed). */
  secrets(settings: S): string[];
  /** Builds an instance; may throw ConfigError for settings that can never work. */
  create(settings: S, deps: ProviderDeps): DnsProvider;
}

export interface ProviderDefinition<Id extends string, F extends Record<string, AnyField>> {
  id: Id;
  name: string;
  docs?: string;
  capabilities: Capabilities;
  ttl: TtlRange | undefined;
  fields: F;
  /** Checks across fields, after each parsed on its own (e.g. "either the key or the URL"). */
  refine?: (settings: SettingsOf<F>) => FieldIssue | undefined;
  create: (settings: SettingsOf<F>, deps: ProviderDeps) => DnsProvider;
}

export const REDACTED_MARK = "[REDACTED]";

export function defineProvider<const Id extends string, F extends Record<string, AnyField>>(
  def: ProviderDefinition<Id, F>,
): ProviderDescriptor<SettingsOf<F>> & { readonly id: Id } {
  type S = SettingsOf<F>;
  const entries = Object.entries(def.fields) as Array<[keyof F & string, AnyField]>;

  function parse(raw: Record<string, string | undefined>): ParsedSettings<S> {
    const settings = {} as Record<string, unknown>;
    for (const [key, field] of entries) {
      const given = raw[field.variable] ?? field.fallbackVariables.map((name) => raw[name]).find((x) => x !== undefined);
      const parsed = parseField(field, given, def.id);
      if (!parsed.ok) return parsed;
      settings[key] = parsed.value;
    }
    const issue = def.refine?.(settings as S);
    return issue ? { ok: false, issue } : { ok: true, settings: settings as S };
  }

  const schema = v.pipe(
    v.record(v.string(), v.optional(v.string())),
    v.rawTransform<Record<string, string | undefined>, S>(({ dataset, addIssue, NEVER }) => {
      const result = parse(dataset.value);
      if (result.ok) return result.settings;
      addIssue({ message: `${result.issue.variable} ${result.issue.reason}`, path: [{ type: "object", origin: "value", input: dataset.value, key: result.issue.variable, value: dataset.value[result.issue.variable] }] });
      return NEVER;
    }),
  ) as unknown as v.GenericSchema<Record<string, string | undefined>, S>;

  return {
    id: def.id,
    name: def.name,
    docs: def.docs ?? `docs/providers/${def.id}.md`,
    capabilities: def.capabilities,
    ttl: def.ttl,
    variables: entries.map(([, f]) => ({
      name: f.variable,
      description: f.description,
      secret: f.secret,
      required: f.present && f.fallback === undefined,
      ...(f.fallback !== undefined ? { default: f.fallback } : {}),
      fallbacks: f.fallbackVariables,
    })),
    schema,
    parse,
    describe(settings) {
      return entries.map(([key, field]) => {
        const value = (settings as Record<string, unknown>)[key];
        if (value === undefined) return [field.variable, "(not set)"];
        if (field.secret) return [field.variable, `${REDACTED_MARK} (${String(value).length} characters)`];
        return [field.variable, field.show(value)];
      });
    },
    secrets: (settings) =>
      entries.flatMap(([key, field]) => {
        const value = (settings as Record<string, unknown>)[key];
        return field.secret && typeof value === "string" ? [value] : [];
      }),
    create: def.create,
  };
}
