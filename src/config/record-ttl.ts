import { ConfigError } from "../core/errors.ts";
import { TTL_RANGES } from "../providers/ttl-ranges.ts";
import type { ProviderType } from "./types.ts";

/**
 * DDNS_RECORD_TTL against what the chosen provider accepts (providers/ttl-ranges.ts): `auto` or whole seconds in
 * the provider's range. `1` is Cloudflare's API code for "automatic" and what many guides write; here it is `auto`.
 */
export function readRecordTtl(raw: string | undefined, provider: ProviderType): { ttl: "auto" | number; warning?: string } {
  if (raw === undefined || raw.toLowerCase() === "auto") return { ttl: "auto" };
  const range = TTL_RANGES[provider];
  const got = JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}…` : raw);
  const seconds = /^\d{1,10}$/.test(raw) ? Number(raw) : undefined;
  if (range === undefined) {
    if (seconds === undefined) throw new ConfigError("DDNS_RECORD_TTL", `DDNS_RECORD_TTL must be auto or a number of seconds (got ${got}).`);
    return { ttl: seconds, warning: `DDNS_RECORD_TTL has no effect with ${provider} (the service chooses the TTL); ignored.` };
  }
  if (seconds !== undefined && seconds >= range.min && seconds <= range.max) return { ttl: seconds };
  const auto = seconds === 1 ? `; DDNS_RECORD_TTL=auto is ${range.auto}` : "";
  throw new ConfigError(
    "DDNS_RECORD_TTL",
    `DDNS_RECORD_TTL must be auto or a number of seconds from ${range.min} to ${range.max} for ${provider} (got ${got})${auto}.`,
  );
}
