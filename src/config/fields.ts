import * as v from "valibot";
import { parseDuration } from "../core/durations.ts";
import { parseRecordList } from "../core/record-names.ts";
import type { HttpAddr } from "./types.ts";
import type { Family } from "../core/family.ts";

/**
 * valibot schemas for single environment values. Each takes the raw string (already trimmed, never empty: an
 * empty variable counts as unset) and yields the typed value; its issue message completes the sentence
 * "<VARIABLE> …" and quotes the received value, except for secrets (see load-config.ts).
 */
type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };
const q = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);

/** Lifts a small parse function into a valibot schema whose issue message is the reason. */
export function fromParser<T>(parse: (raw: string) => Parsed<T>) {
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

export const duration = (minMs: number, maxMs = 7 * 86_400_000) =>
  fromParser<number>((raw) => {
    const ms = parseDuration(raw);
    if (ms === undefined) return { ok: false, reason: `must be a duration such as 30s, 5m or 1h (got ${q(raw)})` };
    if (ms < minMs) return { ok: false, reason: `must be at least ${minMs >= 1000 ? `${minMs / 1000}s` : `${minMs}ms`} (got ${q(raw)})` };
    if (ms > maxMs) return { ok: false, reason: `must be at most ${maxMs / 3_600_000}h (got ${q(raw)})` };
    return { ok: true, value: ms };
  });

export const records = fromParser<string[]>((raw) => {
  const result = parseRecordList(raw);
  return result.ok ? { ok: true, value: result.names } : result;
});

export const ipVersions = fromParser<Family[]>((raw) => {
  const families = new Set<Family>();
  for (const part of raw.split(",")) {
    const t = part.trim().toLowerCase().replace(/^ipv/, "");
    if (t === "4" || t === "6") families.add(Number(t) as Family);
    else return { ok: false, reason: `must be 4, 6 or 4,6 (got ${q(raw)})` };
  }
  return { ok: true, value: [...families].sort() };
});

const isHttpUrl = (raw: string) => {
  try {
    const u = new URL(raw);
    return (u.protocol === "http:" || u.protocol === "https:") && u.username === "" && u.password === "";
  } catch {
    return false;
  }
};

export const url = fromParser<string>((raw) =>
  isHttpUrl(raw) ? { ok: true, value: raw.replace(/\/+$/, "") } : { ok: false, reason: `must be an http:// or https:// URL without credentials (got ${q(raw)})` },
);

export const urlList = fromParser<string[]>((raw) => {
  const urls = raw.split(",").map((s) => s.trim()).filter(Boolean);
  const bad = urls.find((u) => !isHttpUrl(u));
  if (bad !== undefined || urls.length === 0) return { ok: false, reason: `must be a comma-separated list of http(s) URLs (got ${q(bad ?? raw)})` };
  return { ok: true, value: urls };
});

/** `host:port`, `[v6]:port`, or `off` (→ undefined). */
export const httpAddr = fromParser<HttpAddr | undefined>((raw) => {
  if (raw.toLowerCase() === "off") return { ok: true, value: undefined };
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(raw);
  const port = Number(m?.[3]);
  if (!m || port < 1 || port > 65535) {
    return { ok: false, reason: `must be host:port such as 127.0.0.1:8080 or [::1]:8080, or off (got ${q(raw)})` };
  }
  return { ok: true, value: { host: (m[1] ?? m[2])!, port } };
});

/** `host:port` for a DNS server (port defaults to 53). */
export const hostPort = fromParser<string>((raw) => {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+))(?::(\d{1,5}))?$/.exec(raw);
  const port = m?.[3] === undefined ? 53 : Number(m[3]);
  if (!m || port < 1 || port > 65535) return { ok: false, reason: `must be host:port such as 127.0.0.1:53 (got ${q(raw)})` };
  const host = m[1] ?? m[2]!;
  return { ok: true, value: host.includes(":") ? `[${host}]:${port}` : `${host}:${port}` };
});

/** A DNS name as the wire allows it: labels of 1–63 characters, 253 in all (what the RFC 2136 provider can encode). */
export const dnsName = fromParser<string>((raw) => {
  const t = raw.trim().replace(/\.$/, "").toLowerCase();
  const ok = t.length <= 253 && /^[a-z0-9_-]{1,63}(\.[a-z0-9_-]{1,63})*$/.test(t);
  return ok ? { ok: true, value: t } : { ok: false, reason: `must be a domain name (got ${q(raw)})` };
});

export const plainText = fromParser<string>((raw) => ({ ok: true, value: raw }));
