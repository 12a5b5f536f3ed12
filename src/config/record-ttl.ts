import type { TtlRange } from "../providers/kit/descriptor.ts";
import { quote } from "../core/quote.ts";

/**
 * A TTL against what the chosen provider accepts (its descriptor's range): `auto` or whole seconds in the range.
 * `1` is Cloudflare's API code for "automatic" and what many guides write; here it is `auto`. A provider without a
 * range (update-URL services choose the TTL themselves) takes any number, with a warning that it has no effect.
 * The reason completes "<where> …".
 */
export type TtlVerdict = { ok: true; ttl: "auto" | number; ignored?: true } | { ok: false; reason: string };

export function checkTtl(raw: string, range: TtlRange | undefined, providerId: string): TtlVerdict {
  if (raw.toLowerCase() === "auto") return { ok: true, ttl: "auto" };
  const seconds = /^\d{1,10}$/.test(raw) ? Number(raw) : undefined;
  if (range === undefined) {
    if (seconds === undefined) return { ok: false, reason: `must be auto or a number of seconds (got ${quote(raw, 80)})` };
    return { ok: true, ttl: seconds, ignored: true };
  }
  if (seconds !== undefined && seconds >= range.min && seconds <= range.max) return { ok: true, ttl: seconds };
  const auto = seconds === 1 ? `; DDNS_RECORD_TTL=auto is ${range.auto}` : "";
  return { ok: false, reason: `must be auto or a number of seconds from ${range.min} to ${range.max} for ${providerId} (got ${quote(raw, 80)})${auto}` };
}
