import { ConfigError } from "../../core/errors.ts";
import type { LegacyProviderConfig as ProviderConfig } from "../kit/types.ts";
import { parseServer, type DnsServer } from "../../dns/transport.ts";
import { decodeSecret, parseTsigAlgorithm, TSIG_ALGORITHMS, type TsigKey } from "../../dns/tsig.ts";
import { encodeName, normalizeName } from "../../dns/wire.ts";

/** What the RFC 2136 provider needs, checked once at construction. */
export interface Rfc2136Settings {
  server: DnsServer;
  /** The server as the operator wrote it, for messages. */
  serverLabel: string;
  /** Fixed zone (`DDNS_RFC2136_ZONE`), or undefined to find it from the SOA. */
  zone?: string;
  key: TsigKey;
}

function validName(name: string): boolean {
  try {
    encodeName(name);
    return name.length > 0;
  } catch {
    return false;
  }
}

/**
 * Turns the loaded provider config into settings. Throws ConfigError naming the variable when a value cannot work;
 * config/load-config.ts checks most of this already, so this is the last line of defence.
 */
export function readRfc2136Settings(provider: ProviderConfig): Rfc2136Settings {
  const raw = provider.rfc2136;
  if (!raw) throw new ConfigError("DDNS_RFC2136_SERVER", "DDNS_RFC2136_SERVER is required when DDNS_PROVIDER_TYPE=rfc2136.");
  const server = parseServer(raw.server);
  if (!server) {
    throw new ConfigError("DDNS_RFC2136_SERVER", `DDNS_RFC2136_SERVER must be host:port such as 127.0.0.1:53 (got ${JSON.stringify(raw.server)}).`);
  }
  const algorithm = parseTsigAlgorithm(raw.algorithm);
  if (!algorithm) {
    throw new ConfigError(
      "DDNS_RFC2136_TSIG_ALGORITHM",
      `DDNS_RFC2136_TSIG_ALGORITHM must be one of ${TSIG_ALGORITHMS.join(", ")} (got ${JSON.stringify(raw.algorithm)}).`,
    );
  }
  const keyName = normalizeName(raw.keyName);
  if (!validName(keyName)) {
    throw new ConfigError("DDNS_RFC2136_TSIG_KEY_NAME", `DDNS_RFC2136_TSIG_KEY_NAME must be a key name (got ${JSON.stringify(raw.keyName)}).`);
  }
  const secret = decodeSecret(provider.token);
  if (!secret) {
    throw new ConfigError("DDNS_PROVIDER_API_TOKEN", "DDNS_PROVIDER_API_TOKEN must be the base64 TSIG secret (it is not valid base64).");
  }
  const zone = raw.zone === undefined || raw.zone.trim() === "" ? undefined : normalizeName(raw.zone);
  if (zone !== undefined && !validName(zone)) {
    throw new ConfigError("DDNS_RFC2136_ZONE", `DDNS_RFC2136_ZONE must be a zone name (got ${JSON.stringify(raw.zone)}).`);
  }
  return { server, serverLabel: raw.server, zone, key: { name: keyName, algorithm, secret } };
}

/** True when `name` is `zone` or inside it. */
export function isInZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

/** The parent of a name ("a.b.c" → "b.c"), or undefined at a top-level label. */
export function parentOf(name: string): string | undefined {
  const dot = name.indexOf(".");
  return dot === -1 ? undefined : name.slice(dot + 1);
}
