import type { RecordRequest } from "../kit/types.ts";

/**
 * FreeDNS's update tokens as an operator gives them (pure). A token belongs to the record(s) linked to it at
 * freedns.afraid.org, and the update URL names no host, so ddnsd must know which token updates which name:
 * - one bare token: it updates every name of the target (the names linked to it at FreeDNS);
 * - or comma-separated `<name>=<token>` entries (optionally one bare token for the other names).
 * DDNS_PROVIDER_API_TOKEN holds the A records' tokens, DDNS_FREEDNS_AAAA_TOKEN the AAAA records'.
 */
export interface TokenMap {
  variable: string;
  fallback?: string;
  byName: Map<string, string>;
}

const TOKEN = /^[A-Za-z0-9_-]+$/;
const NAME = /^(\*\.)?([a-z0-9_]([a-z0-9_-]*[a-z0-9_])?\.)+[a-z0-9-]+$/;

/** The map, or why the value is malformed (a reason completing "<VARIABLE> …", never quoting a token). */
export function parseTokens(variable: string, raw: string): { ok: true; map: TokenMap } | { ok: false; reason: string } {
  const map: TokenMap = { variable, byName: new Map() };
  const entries = raw.split(",").filter((e) => e !== "");
  for (const [i, entry] of entries.entries()) {
    const at = entry.lastIndexOf("=");
    const name = at < 0 ? undefined : entry.slice(0, at).toLowerCase().replace(/\.$/, "");
    const token = at < 0 ? entry : entry.slice(at + 1);
    const where = `entry ${i + 1}`;
    if (!TOKEN.test(token)) return { ok: false, reason: `has a malformed token in ${where}: a FreeDNS token is letters and digits (the part of the update URL after /u/)` };
    if (name === undefined) {
      if (map.fallback !== undefined) return { ok: false, reason: "holds more than one bare token: write each extra one as <name>=<token>" };
      map.fallback = token;
    } else if (!NAME.test(name)) return { ok: false, reason: `has ${JSON.stringify(name)} in ${where}, which is not a DNS name: write <name>=<token>` };
    else if (map.byName.has(name)) return { ok: false, reason: `names ${JSON.stringify(name)} twice` };
    else map.byName.set(name, token);
  }
  if (map.fallback === undefined && map.byName.size === 0) return { ok: false, reason: "holds no token" };
  return { ok: true, map };
}

export function tokenFor(map: TokenMap | undefined, request: RecordRequest): string | undefined {
  return map?.byName.get(request.name.toLowerCase()) ?? map?.fallback;
}

export const allTokens = (map: TokenMap | undefined): string[] => (map ? [...(map.fallback ? [map.fallback] : []), ...map.byName.values()] : []);
