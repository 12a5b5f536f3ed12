import { EDGE_VARIABLES } from "./update-server-config.ts";

/** Every variable ddnsd reads; anything else starting with `DDNS_` is most likely a typo and gets a warning. */
export const KNOWN_VARIABLES = [
  "DDNS_PROVIDER_TYPE", "DDNS_PROVIDER_API_TOKEN", "DDNS_PROVIDER_API_TOKEN_FILE", "DDNS_PROVIDER_API_URL",
  "DDNS_RECORDS", "DDNS_RECORD_TTL", "DDNS_RECORD_PROXIED", "DDNS_IP_VERSIONS",
  "DDNS_IP_SOURCE_TYPE", "DDNS_IP_SOURCE_INTERFACE", "DDNS_IP_SOURCE_URLS_V4", "DDNS_IP_SOURCE_URLS_V6",
  "DDNS_IP_SOURCE_HTTP_FALLBACK", "DDNS_ALLOW_PRIVATE_ADDRESSES", "DDNS_POLL_INTERVAL", "DDNS_VERIFY_INTERVAL",
  "DDNS_STATE_STORE_TYPE", "DDNS_STATE_STORE_PATH", "DDNS_LOG_LEVEL", "DDNS_LOG_FORMAT", "DDNS_HTTP_ADDR",
  "DDNS_SHUTDOWN_TIMEOUT", "DDNS_RFC2136_SERVER", "DDNS_RFC2136_ZONE", "DDNS_RFC2136_TSIG_KEY_NAME",
  "DDNS_RFC2136_TSIG_ALGORITHM", "DDNS_POWERDNS_SERVER_ID", "DDNS_DYNDNS2_USERNAME", "DDNS_DYNDNS2_PRESET",
  ...EDGE_VARIABLES,
] as const;

const known = new Set<string>(KNOWN_VARIABLES);

/** Levenshtein distance, small and bounded: only used to suggest a correction for a mistyped variable. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j]!;
      row[j] = next;
    }
  }
  return row[b.length]!;
}

export function unknownVariableWarnings(env: Record<string, string | undefined>): string[] {
  const warnings: string[] = [];
  for (const name of Object.keys(env)) {
    if (!name.startsWith("DDNS_") || known.has(name)) continue;
    const best = KNOWN_VARIABLES.map((k) => [k, distance(name, k)] as const).sort((x, y) => x[1] - y[1])[0];
    const hint = best && best[1] <= 3 ? `; did you mean ${best[0]}?` : "";
    warnings.push(`Unknown variable ${name} is ignored${hint}`);
  }
  return warnings;
}

/**
 * A configuration error as printed on stderr: `Configuration error: …`, then the unknown-variable warnings, since a
 * mistyped name (`DDNS_RECRDS`) is often the reason something is missing (`DDNS_RECORDS is required.`).
 */
export function configErrorLines(message: string, env: Record<string, string | undefined>): string[] {
  return [`Configuration error: ${message}`, ...unknownVariableWarnings(env).map((w) => `warning: ${w}`)];
}
