import * as v from "valibot";
import { ConfigError } from "../core/errors.ts";
import { formatDuration, parseDuration } from "../core/durations.ts";
import { fromParser } from "./fields.ts";
import type { CountWindow, UpdateServerConfig } from "../update-server/types.ts";
import { quotedSecretWarning, readSecretVariable, type SecretFileReader } from "./secret-file.ts";

/**
 * The DynDNS2 update endpoint's settings (`DDNS_UPDATE_*`), read when DDNS_IP_SOURCE_TYPE=push and by the Worker.
 * The password follows the provider secret's rules (a value or a `_FILE`, both set and different is an error) and
 * must differ from the provider token: a router's password must never be able to act at the provider.
 */
export const UPDATE_SERVER_VARIABLES = [
  "DDNS_UPDATE_USERNAME", "DDNS_UPDATE_PASSWORD", "DDNS_UPDATE_PASSWORD_FILE", "DDNS_UPDATE_LOCKOUT",
  "DDNS_UPDATE_RATE_LIMIT", "DDNS_UPDATE_CLIENT_IP_HEADER",
] as const;

export const DEFAULT_LOCKOUT: CountWindow = { count: 5, windowMs: 15 * 60_000 };
export const DEFAULT_RATE_LIMIT: CountWindow = { count: 5, windowMs: 5 * 60_000 };
export const MIN_PASSWORD_LENGTH = 8;

const q = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);

/** `5/15m`: a count from 1 to 10000, a slash, a duration from 1s to 7 days. */
export const countWindow = fromParser<CountWindow>((raw) => {
  const m = /^(\d{1,5})\s*\/\s*(\S+)$/.exec(raw);
  const count = Number(m?.[1]);
  const windowMs = m ? parseDuration(m[2]!) : undefined;
  if (!m || count < 1 || count > 10_000 || windowMs === undefined || windowMs < 1000 || windowMs > 7 * 86_400_000) {
    return { ok: false, reason: `must be a count and a duration such as 5/15m (1 to 10000 per 1s to 7d; got ${q(raw)})` };
  }
  return { ok: true, value: { count, windowMs } };
});

const headerName = fromParser<string>((raw) =>
  /^[A-Za-z0-9-]{1,64}$/.test(raw) ? { ok: true, value: raw.toLowerCase() } : { ok: false, reason: `must be an HTTP header name such as X-Forwarded-For (got ${q(raw)})` },
);

const username = fromParser<string>((raw) =>
  /^[^\s:\x00-\x1f\x7f]{1,128}$/.test(raw)
    ? { ok: true, value: raw }
    : { ok: false, reason: `must be 1 to 128 characters without spaces or colons (got ${q(raw)})` },
);

export interface UpdateServerConfigInput {
  env: Record<string, string | undefined>;
  readFile: SecretFileReader;
}

/** The endpoint's settings; `warnings` receives remarks for the operator (a quoted password). */
export function readUpdateServerConfig(input: UpdateServerConfigInput, providerSecrets: readonly string[], why: string, warnings: string[]): UpdateServerConfig {
  const raw = (name: string) => input.env[name]?.trim() || undefined;
  function get<T>(name: string, schema: v.GenericSchema<string, T>): T | undefined {
    const value = raw(name);
    if (value === undefined) return undefined;
    const result = v.safeParse(schema, value);
    if (result.success) return result.output;
    throw new ConfigError(name, `${name} ${result.issues[0].message}.`);
  }
  const user = get("DDNS_UPDATE_USERNAME", username);
  if (user === undefined) throw new ConfigError("DDNS_UPDATE_USERNAME", `DDNS_UPDATE_USERNAME is required${why}.`);
  const { password, warnings: passwordWarnings } = readPassword(input, why);
  warnings.push(...passwordWarnings);
  if (providerSecrets.includes(password)) {
    throw new ConfigError("DDNS_UPDATE_PASSWORD", "DDNS_UPDATE_PASSWORD must not be the provider token; give the update endpoint a password of its own.");
  }
  const clientIpHeader = get("DDNS_UPDATE_CLIENT_IP_HEADER", headerName);
  return {
    username: user,
    password,
    lockout: get("DDNS_UPDATE_LOCKOUT", countWindow) ?? DEFAULT_LOCKOUT,
    rateLimit: get("DDNS_UPDATE_RATE_LIMIT", countWindow) ?? DEFAULT_RATE_LIMIT,
    ...(clientIpHeader ? { clientIpHeader } : {}),
  };
}

/** The password from DDNS_UPDATE_PASSWORD or the file named by DDNS_UPDATE_PASSWORD_FILE (secret-file.ts); never quoted. */
function readPassword(input: UpdateServerConfigInput, why: string): { password: string; warnings: string[] } {
  const secret = readSecretVariable(input.env, input.readFile, "DDNS_UPDATE_PASSWORD");
  if (secret === undefined) throw new ConfigError("DDNS_UPDATE_PASSWORD", `DDNS_UPDATE_PASSWORD is required${why}.`);
  const { value: password, variable } = secret;
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new ConfigError(variable, `${variable} must be at least ${MIN_PASSWORD_LENGTH} characters long.`);
  }
  if (/[\x00-\x1f\x7f]/.test(password)) throw new ConfigError(variable, `${variable} contains a control character (check for a pasted line break).`);
  const quoted = quotedSecretWarning(secret);
  return { password, warnings: quoted ? [quoted] : [] };
}

/** Settings of the endpoint given while it is off: said once at startup, so that a forgotten switch is noticed. */
export function updateServerIgnoredWarning(env: Record<string, string | undefined>): string | undefined {
  const set = UPDATE_SERVER_VARIABLES.filter((name) => env[name]?.trim());
  if (set.length === 0) return undefined;
  return `${set.join(", ")} ${set.length === 1 ? "is" : "are"} ignored unless DDNS_IP_SOURCE_TYPE=push (the update endpoint is off).`;
}

/** For `ddnsd check`: the endpoint's lines, the password redacted by the caller's marker. */
export function renderUpdateServerConfig(e: UpdateServerConfig | undefined, redacted: string): Array<[string, string | undefined]> {
  if (!e) return [];
  const cw = (c: CountWindow) => `${c.count}/${formatDuration(c.windowMs)}`;
  return [
    ["DDNS_UPDATE_USERNAME", e.username],
    ["DDNS_UPDATE_PASSWORD", `${redacted} (${e.password.length} characters)`],
    ["DDNS_UPDATE_LOCKOUT", cw(e.lockout)],
    ["DDNS_UPDATE_RATE_LIMIT", cw(e.rateLimit)],
    ["DDNS_UPDATE_CLIENT_IP_HEADER", e.clientIpHeader ?? "(none: the socket peer)"],
  ];
}
