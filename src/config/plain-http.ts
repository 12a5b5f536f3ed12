import { parseAddress } from "../core/address-rules.ts";

/**
 * `DDNS_PROVIDER_API_URL=http://…` to another machine sends the provider secret (a Bearer token, an API key, a
 * Basic password) unencrypted across the network. Loopback stays on this machine (a local PowerDNS, a test fake):
 * 127.0.0.0/8, ::1 and `localhost` are fine. A warning, not an error: a LAN server without TLS is a choice the
 * operator may make knowingly.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "");
  return host === "localhost" || parseAddress(host)?.range === "loopback";
}

export function plainHttpWarning(variable: string, url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== "http:" || isLoopbackHost(parsed.hostname)) return undefined;
  return `${variable} uses plain http:// to ${JSON.stringify(parsed.host)}: the provider secret crosses the network unencrypted; use https:// (or a loopback address for a server on this machine).`;
}
