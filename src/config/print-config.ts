import type { Config } from "./types.ts";
import { formatDuration } from "../core/durations.ts";
import { REDACTED } from "../log/redact.ts";
import { renderEdgeConfig } from "./update-server-config.ts";
import { displayUrl } from "../net/display-url.ts";

/**
 * The effective configuration as `ddnsd check` prints it: one `VARIABLE=value` line per setting, defaults filled in,
 * the secret replaced by a marker. Lines use the variable names of the contract so they can be pasted back.
 */
export function renderEffectiveConfig(c: Config): string[] {
  const p = c.provider;
  const lines: Array<[string, string | undefined]> = [
    ["DDNS_PROVIDER_TYPE", p.type],
    ["DDNS_PROVIDER_API_TOKEN", `${REDACTED} (${p.token.length} characters)`],
    ["DDNS_PROVIDER_API_URL", p.apiUrl ?? "(provider default)"],
    ["DDNS_RFC2136_SERVER", p.rfc2136?.server],
    ["DDNS_RFC2136_ZONE", p.rfc2136 ? (p.rfc2136.zone ?? "(found from the SOA)") : undefined],
    ["DDNS_RFC2136_TSIG_KEY_NAME", p.rfc2136?.keyName],
    ["DDNS_RFC2136_TSIG_ALGORITHM", p.rfc2136?.algorithm],
    ["DDNS_POWERDNS_SERVER_ID", p.powerdns?.serverId],
    ["DDNS_DYNDNS2_USERNAME", p.dyndns2?.username],
    ["DDNS_DYNDNS2_PRESET", p.dyndns2?.preset],
    ["DDNS_RECORDS", c.records.join(",")],
    ["DDNS_RECORD_TTL", String(c.ttl)],
    ["DDNS_RECORD_PROXIED", String(c.proxied)],
    ["DDNS_IP_VERSIONS", c.ipVersions.join(",")],
    ["DDNS_IP_SOURCE_TYPE", c.ipSource.type],
    ["DDNS_IP_SOURCE_INTERFACE", c.ipSource.interface],
    ["DDNS_IP_SOURCE_URLS_V4", c.ipSource.type === "http" || c.ipSource.httpFallback ? c.ipSource.urlsV4.map(displayUrl).join(",") : undefined],
    ["DDNS_IP_SOURCE_URLS_V6", c.ipSource.type === "http" || c.ipSource.httpFallback ? c.ipSource.urlsV6.map(displayUrl).join(",") : undefined],
    ["DDNS_IP_SOURCE_HTTP_FALLBACK", c.ipSource.type === "http" ? undefined : String(c.ipSource.httpFallback)],
    ["DDNS_ALLOW_PRIVATE_ADDRESSES", String(c.allowPrivate)],
    ["DDNS_POLL_INTERVAL", formatDuration(c.pollIntervalMs)],
    ["DDNS_VERIFY_INTERVAL", formatDuration(c.verifyIntervalMs)],
    ["DDNS_SHUTDOWN_TIMEOUT", formatDuration(c.shutdownTimeoutMs)],
    ["DDNS_STATE_STORE_TYPE", c.state.type],
    ["DDNS_STATE_STORE_PATH", c.state.path],
    ["DDNS_LOG_LEVEL", c.log.level],
    ["DDNS_LOG_FORMAT", c.log.format],
    ["DDNS_HTTP_ADDR", c.http ? formatHttpAddr(c.http) : "off"],
    ...renderEdgeConfig(c.edge, REDACTED),
  ];
  return lines.filter(([, value]) => value !== undefined).map(([k, value]) => `${k}=${value}`);
}

export const formatHttpAddr = (a: { host: string; port: number }) => (a.host.includes(":") ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`);
