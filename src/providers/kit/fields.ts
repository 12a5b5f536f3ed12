import * as v from "valibot";
import * as values from "../../core/values.ts";
import type { ValueSchema } from "../../core/values.ts";

/**
 * A provider's settings, declared once: each field names its variable (contract naming: `DDNS_PROVIDER_API_TOKEN`,
 * `DDNS_PROVIDER_API_KEY`, `DDNS_PROVIDER_API_URL`, `DDNS_<PROVIDERID>_<FIELD>`), says what it is for, and carries
 * the value schema. `defineProvider` (descriptor.ts) turns the fields into the variable list, the settings schema,
 * the `check` lines and the `ddnsd providers` listing, so a provider never writes any of those by hand.
 */
export class Field<T, Present extends boolean> {
  constructor(
    readonly variable: string,
    readonly description: string,
    readonly schema: ValueSchema<T>,
    readonly secret: boolean,
    readonly present: Present,
    readonly fallback?: string,
    readonly example?: string,
    readonly fallbackVariables: readonly string[] = [],
    readonly show: (value: T) => string = (value) => String(value),
  ) {}

  /** The variable must be set (a configuration error names it otherwise). */
  required(example?: string): Field<T, true> {
    return new Field(this.variable, this.description, this.schema, this.secret, true, undefined, example ?? this.example, this.fallbackVariables, this.show);
  }

  /** The value used when the variable is unset (parsed like a given value). */
  default(text: string): Field<T, true> {
    return new Field(this.variable, this.description, this.schema, this.secret, true, text, this.example, this.fallbackVariables, this.show);
  }

  /** The variable may be left unset. */
  optional(): Field<T, false> {
    return new Field(this.variable, this.description, this.schema, this.secret, false, undefined, this.example, this.fallbackVariables, this.show);
  }

  /** Other variables read, in order, when this one is unset (Route53: `AWS_ACCESS_KEY_ID`). */
  or(...variables: string[]): Field<T, Present> {
    return new Field(this.variable, this.description, this.schema, this.secret, this.present, this.fallback, this.example, variables, this.show);
  }

  /** How `check` prints the value. */
  shownAs(show: (value: T) => string): Field<T, Present> {
    return new Field(this.variable, this.description, this.schema, this.secret, this.present, this.fallback, this.example, this.fallbackVariables, show);
  }
}

// biome-ignore lint: the settings type must accept any field
export type AnyField = Field<any, boolean>;
export type FieldValue<F> = F extends Field<infer T, infer P> ? (P extends true ? T : T | undefined) : never;
export type SettingsOf<F extends Record<string, AnyField>> = { -readonly [K in keyof F]: FieldValue<F[K]> };

/** A secret's value: one word (a pasted line break or space is the usual mistake); never quoted in a message. */
const secretValue = values.fromParser<string>((raw) => {
  if (/\s/.test(raw)) return { ok: false, reason: "contains white space; a provider secret is a single word (check for a pasted line break)" };
  if (/[\x00-\x1f\x7f]/.test(raw)) return { ok: false, reason: "contains control characters; a provider secret is a single word of visible characters" };
  return { ok: true, value: raw };
});

/** A secret (redacted everywhere, with a `_FILE` twin). Required unless `.optional()`. */
export const secret = (variable: string, description: string): Field<string, true> => new Field(variable, description, secretValue, true, true);

/** A private key in PEM (`-----BEGIN PRIVATE KEY-----` …): a secret of several lines, best given as a `_FILE`. */
const pemValue = values.fromParser<string>((raw) => {
  const text = raw.trim();
  if (/^-----BEGIN (RSA |ENCRYPTED )?PRIVATE KEY-----\r?\n[A-Za-z0-9+/=\s]+\r?\n-----END (RSA |ENCRYPTED )?PRIVATE KEY-----$/.test(text)) return { ok: true, value: text };
  return { ok: false, reason: "is not a private key in PEM (-----BEGIN PRIVATE KEY----- …); give the key file with the _FILE variable" };
});

/** A secret private key in PEM (several lines; redacted everywhere, with a `_FILE` twin). */
export const secretKey = (variable: string, description: string): Field<string, true> => new Field(variable, description, pemValue, true, true);

export const text = (variable: string, description: string, schema: ValueSchema<string> = values.plainText): Field<string, false> =>
  new Field(variable, description, schema, false, false);

export const url = (variable: string, description: string): Field<string, false> => new Field(variable, description, values.url, false, false);

export const dnsName = (variable: string, description: string): Field<string, false> => new Field(variable, description, values.dnsName, false, false);

export const hostPort = (variable: string, description: string, defaultPort: number): Field<string, false> =>
  new Field(variable, description, values.hostPort(defaultPort), false, false);

export const oneOf = <const T extends string>(variable: string, description: string, choices: readonly T[]): Field<T, false> =>
  new Field(variable, description, values.oneOf(choices), false, false);

export const flag = (variable: string, description: string): Field<boolean, false> => new Field(variable, description, values.boolean, false, false);

export const integer = (variable: string, description: string, min: number, max: number): Field<number, false> =>
  new Field(variable, description, values.integer(min, max), false, false);

/** The issue of one field: the variable and a reason completing "<VARIABLE> …" (no trailing period). */
export interface FieldIssue {
  variable: string;
  reason: string;
}

/** Parses one raw value (undefined = unset) with the field's rules. */
export function parseField<T>(field: Field<T, boolean>, raw: string | undefined, providerId: string): { ok: true; value: T | undefined } | { ok: false; issue: FieldIssue } {
  const given = raw ?? field.fallback;
  if (given === undefined) {
    if (!field.present) return { ok: true, value: undefined };
    const example = field.example ? ` (e.g. ${field.example})` : "";
    // Every provider has its secret: no condition to name (the guide's "DDNS_PROVIDER_API_TOKEN is required.").
    const when = field.variable === "DDNS_PROVIDER_API_TOKEN" ? "" : ` when DDNS_PROVIDER_TYPE=${providerId}`;
    return { ok: false, issue: { variable: field.variable, reason: `is required${when}${example}` } };
  }
  const result = v.safeParse(field.schema, given);
  if (result.success) return { ok: true, value: result.output };
  return { ok: false, issue: { variable: field.variable, reason: result.issues[0].message } };
}
