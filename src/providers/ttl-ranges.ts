import type { ProviderType } from "../config/types.ts";

/**
 * What each provider accepts as DDNS_RECORD_TTL, as data (a provider descriptor will carry its row later). `check`
 * and start-up refuse a TTL outside the range instead of letting the provider refuse every write. Each row is what
 * the provider's page in docs/providers/ documents.
 */
export interface TtlRange {
  /** Smallest and largest number of seconds the service takes. */
  min: number;
  max: number;
  /** What `auto` means there, completing "DDNS_RECORD_TTL=auto is …" in messages. */
  auto: string;
}

/** `undefined`: the service chooses the TTL itself and DDNS_RECORD_TTL has no effect (a warning says so). */
export const TTL_RANGES: Record<ProviderType, TtlRange | undefined> = {
  // developers.cloudflare.com/api: "Time To Live (TTL) of the DNS record in seconds. Setting to 1 means 'automatic'.
  // Value must be between 60 and 86400, with the minimum reduced to 30 for Enterprise zones."
  cloudflare: { min: 60, max: 86_400, auto: "Cloudflare's automatic TTL (1 in its API)" },
  rfc2136: { min: 30, max: 86_400, auto: "the existing record's TTL (300 for a new record)" },
  powerdns: { min: 30, max: 86_400, auto: "the existing RRset's TTL (300 for a new RRset)" },
  dyndns2: undefined,
  duckdns: undefined,
};
