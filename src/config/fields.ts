import { parseDuration } from "../core/durations.ts";
import type { Family } from "../core/family.ts";
import { quote } from "../core/quote.ts";
import { fromParser, isHttpUrl } from "../core/values.ts";
import type { HttpAddr } from "./types.ts";

/**
 * valibot schemas for the daemon-wide environment values that only the daemon's own settings use; the general ones
 * (fromParser, oneOf, boolean, plainText, url, dnsName…) live in src/core/values.ts, shared with the provider
 * descriptors. Each takes the raw string (already trimmed, never empty: an empty variable counts as unset) and
 * yields the typed value; its issue message completes the sentence "<VARIABLE> …" and quotes the received value,
 * except for secrets (see load-config.ts).
 */
export { boolean, fromParser, oneOf, plainText } from "../core/values.ts";

const q = (s: string) => quote(s, 80);

export const duration = (minMs: number, maxMs = 7 * 86_400_000) =>
  fromParser<number>((raw) => {
    const ms = parseDuration(raw);
    if (ms === undefined) return { ok: false, reason: `must be a duration such as 30s, 5m or 1h (got ${q(raw)})` };
    if (ms < minMs) return { ok: false, reason: `must be at least ${minMs >= 1000 ? `${minMs / 1000}s` : `${minMs}ms`} (got ${q(raw)})` };
    if (ms > maxMs) return { ok: false, reason: `must be at most ${maxMs / 3_600_000}h (got ${q(raw)})` };
    return { ok: true, value: ms };
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

export const urlList = fromParser<string[]>((raw) => {
  const urls = raw.split(",").map((s) => s.trim()).filter(Boolean);
  const bad = urls.find((u) => !isHttpUrl(u));
  if (bad !== undefined || urls.length === 0) return { ok: false, reason: `must be a comma-separated list of http(s) URLs (got ${q(bad ?? raw)})` };
  return { ok: true, value: urls };
});

/** DDNS_IPV6_PREFIX_LENGTH: a whole number of bits, 1 to 128. */
export const prefixLength = fromParser<number>((raw) => {
  const bits = /^\/?(\d{1,3})$/.exec(raw);
  const n = Number(bits?.[1]);
  if (!bits || n < 1 || n > 128) return { ok: false, reason: `must be a prefix length from 1 to 128 bits, usually 64 or 56 (got ${q(raw)})` };
  return { ok: true, value: n };
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
