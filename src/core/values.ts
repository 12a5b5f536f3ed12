import * as v from "valibot";
import { quote } from "./quote.ts";

/**
 * valibot schemas for single configuration values, shared by the daemon-wide settings (src/config/) and the
 * provider descriptors (src/providers/kit/fields.ts). Each takes the raw string (already trimmed, never empty: an
 * empty value counts as unset) and yields the typed value; its issue message completes the sentence "<VARIABLE> …"
 * and quotes the received value (never used for secrets, whose values are not quoted).
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };
export type ValueSchema<T> = v.GenericSchema<string, T>;

const q = (s: string) => quote(s, 80);

/** Lifts a small parse function into a valibot schema whose issue message is the reason. */
export function fromParser<T>(parse: (raw: string) => Parsed<T>): ValueSchema<T> {
  return v.pipe(
    v.string(),
    v.rawTransform<string, T>(({ dataset, addIssue, NEVER }) => {
      const result = parse(dataset.value);
      if (result.ok) return result.value;
      addIssue({ message: result.reason });
      return NEVER;
    }),
  );
}

export const oneOf = <const T extends string>(values: readonly T[]) =>
  fromParser<T>((raw) => {
    const value = raw.toLowerCase() as T;
    return values.includes(value) ? { ok: true, value } : { ok: false, reason: `must be one of ${values.join(", ")} (got ${q(raw)})` };
  });

export const boolean = fromParser<boolean>((raw) => {
  const t = raw.toLowerCase();
  if (["true", "1", "yes", "on"].includes(t)) return { ok: true, value: true };
  if (["false", "0", "no", "off"].includes(t)) return { ok: true, value: false };
  return { ok: false, reason: `must be true or false (got ${q(raw)})` };
});

export const integer = (min: number, max: number) =>
  fromParser<number>((raw) => {
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) return { ok: false, reason: `must be a whole number from ${min} to ${max} (got ${q(raw)})` };
    return { ok: true, value: n };
  });

export const isHttpUrl = (raw: string): boolean => {
  try {
    const u = new URL(raw);
    return (u.protocol === "http:" || u.protocol === "https:") && u.username === "" && u.password === "";
  } catch {
    return false;
  }
};

/** An http(s) URL without credentials; trailing slashes removed. */
export const url = fromParser<string>((raw) =>
  isHttpUrl(raw) ? { ok: true, value: raw.replace(/\/+$/, "") } : { ok: false, reason: `must be an http:// or https:// URL without credentials (got ${q(raw)})` },
);

/** `host:port` for a server (the port defaults to `defaultPort`); IPv6 literals in brackets. */
export const hostPort = (defaultPort: number) =>
  fromParser<string>((raw) => {
    const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+))(?::(\d{1,5}))?$/.exec(raw);
    const port = m?.[3] === undefined ? defaultPort : Number(m[3]);
    if (!m || port < 1 || port > 65535) return { ok: false, reason: `must be host:port such as 127.0.0.1:${defaultPort} (got ${q(raw)})` };
    const host = m[1] ?? m[2]!;
    return { ok: true, value: host.includes(":") ? `[${host}]:${port}` : `${host}:${port}` };
  });

/** A DNS name as the wire allows it: labels of 1–63 characters, 253 in all; lower case, no trailing dot. */
export const dnsName = fromParser<string>((raw) => {
  const t = raw.trim().replace(/\.$/, "").toLowerCase();
  const ok = t.length <= 253 && /^[a-z0-9_-]{1,63}(\.[a-z0-9_-]{1,63})*$/.test(t);
  return ok ? { ok: true, value: t } : { ok: false, reason: `must be a domain name (got ${q(raw)})` };
});

/** Any text on one line. */
export const plainText = fromParser<string>((raw) =>
  /[\x00-\x1f\x7f]/.test(raw) ? { ok: false, reason: "must be one line of text without control characters" } : { ok: true, value: raw },
);

/** Text matching `pattern`; `what` completes "must be …". Never quotes the value when `secret`. */
export const matching = (pattern: RegExp, what: string, secret = false) =>
  fromParser<string>((raw) => (pattern.test(raw) ? { ok: true, value: raw } : { ok: false, reason: `must be ${what}${secret ? "" : ` (got ${q(raw)})`}` }));
