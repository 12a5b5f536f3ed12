import type { Config, TargetConfig } from "./types.ts";
import type { RecordOptions } from "../engine/desired.ts";
import { formatDuration } from "../core/durations.ts";
import { REDACTED } from "../log/redact.ts";
import { renderUpdateServerConfig } from "./update-server-config.ts";
import { displayUrl } from "../net/display-url.ts";
import type { Catalogue } from "../providers/kit/catalogue.ts";
import { keyOfVariable } from "./config-file.ts";
import { renderNotifySettings } from "./notify-config.ts";

/**
 * The effective configuration as `ddnsd check` prints it, defaults filled in, secrets replaced by a marker. From the
 * environment: one `VARIABLE=value` line per setting (the contract's names, so they can be pasted back). From
 * DDNS_CONFIG_FILE: the daemon-wide lines, then each target as a `[[target]]` table with its keys.
 */
const recordsText = (t: TargetConfig) => t.records.map((r) => `${r.name}${renderOptions(r.options, t.defaults)}`).join(",");

/** A record's options that differ from its target's, in DDNS_RECORDS's brace syntax. */
function renderOptions(o: RecordOptions, base: RecordOptions): string {
  const parts: string[] = [];
  if (o.ipVersions.join(",") !== base.ipVersions.join(",")) parts.push(`ip_versions=${o.ipVersions.join(",")}`);
  if (o.ttl !== base.ttl) parts.push(`ttl=${o.ttl}`);
  if (o.proxied !== base.proxied && o.proxied !== undefined) parts.push(`proxied=${o.proxied}`);
  if (o.comment !== undefined && o.comment !== base.comment) parts.push(`comment=${o.comment}`);
  if (o.ipv6Suffix !== undefined) parts.push(`ipv6_suffix=${o.ipv6Suffix.text}`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

function targetLines(t: TargetConfig, providers: Catalogue): Array<[string, string]> {
  const descriptor = providers.byId(t.provider.type)!;
  return [
    ["DDNS_PROVIDER_TYPE", t.provider.type],
    ...descriptor.describe(t.provider.settings),
    ["DDNS_RECORDS", recordsText(t)],
    ["DDNS_RECORD_TTL", String(t.defaults.ttl)],
    ...(descriptor.capabilities.proxied ? [["DDNS_RECORD_PROXIED", String(t.defaults.proxied ?? false)] as [string, string]] : []),
    ...(t.defaults.comment !== undefined ? [["DDNS_RECORD_COMMENT", t.defaults.comment] as [string, string]] : []),
    ...(t.defaults.managedComment ? [["DDNS_MANAGED_RECORDS_COMMENT_REGEX", t.defaults.managedComment.source] as [string, string]] : []),
    ...(t.defaults.ownerId !== undefined ? [["DDNS_OWNER_ID", t.defaults.ownerId] as [string, string], ["DDNS_OWNER_ADOPT", String(t.defaults.ownerAdopt ?? false)] as [string, string]] : []),
    ["DDNS_IP_VERSIONS", t.defaults.ipVersions.join(",")],
  ];
}

export function renderEffectiveConfig(c: Config, providers: Catalogue): string[] {
  const types = [c.ipSource.byFamily[4], c.ipSource.byFamily[6]];
  const usesHttp = types.includes("http") || c.ipSource.httpFallback;
  const lines: Array<[string, string | undefined]> = [
    ...(c.configFile === undefined ? targetLines(c.targets[0]!, providers) : [["DDNS_CONFIG_FILE", c.configFile] as [string, string]]),
    ["DDNS_IP_SOURCE_TYPE", c.ipSource.type],
    ["DDNS_IP_SOURCE_TYPE_V4", c.ipSource.byFamily[4]],
    ["DDNS_IP_SOURCE_TYPE_V6", c.ipSource.byFamily[6]],
    ["DDNS_IP_SOURCE_INTERFACE", c.ipSource.interface],
    ["DDNS_IP_STATIC_V4", c.ipSource.static?.[4]],
    ["DDNS_IP_STATIC_V6", c.ipSource.static?.[6]],
    ["DDNS_IP_SOURCE_ROUTER_ADDRESS", c.ipSource.router?.address],
    ["DDNS_IP_SOURCE_ROUTER_PROTOCOLS", c.ipSource.router?.protocols.join(",")],
    ["DDNS_IP_SOURCE_URLS_V4", usesHttp ? c.ipSource.urlsV4.map(displayUrl).join(",") : undefined],
    ["DDNS_IP_SOURCE_URLS_V6", usesHttp ? c.ipSource.urlsV6.map(displayUrl).join(",") : undefined],
    ["DDNS_IP_SOURCE_HTTP_FALLBACK", types.every((t) => t === "http") ? undefined : String(c.ipSource.httpFallback)],
    ["DDNS_IPV6_PREFIX_LENGTH", String(c.ipv6PrefixLength)],
    ["DDNS_ALLOW_PRIVATE_ADDRESSES", String(c.allowPrivate)],
    ["DDNS_POLL_INTERVAL", formatDuration(c.pollIntervalMs)],
    ["DDNS_VERIFY_INTERVAL", formatDuration(c.verifyIntervalMs)],
    ["DDNS_SHUTDOWN_TIMEOUT", formatDuration(c.shutdownTimeoutMs)],
    ["DDNS_DELETE_ON_STOP", c.deleteOnStop ? "true" : undefined],
    ["DDNS_STATE_STORE_TYPE", c.state.type],
    ["DDNS_STATE_STORE_PATH", c.state.path],
    ["DDNS_LOG_LEVEL", c.log.level],
    ["DDNS_LOG_FORMAT", c.log.format],
    ["DDNS_HTTP_ADDR", c.http ? formatHttpAddr(c.http) : "off"],
    ...renderNotifySettings(c.notify),
    ...renderUpdateServerConfig(c.updateServer, REDACTED),
  ];
  const out = lines.filter(([, value]) => value !== undefined).map(([k, value]) => `${k}=${value}`);
  if (c.configFile === undefined) return out;
  for (const t of c.targets) {
    out.push("", "[[target]]", `id = ${JSON.stringify(t.id)}`);
    // Secrets are shown as the marker, never quoted as values (the marker is not a TOML string on purpose).
    for (const [variable, shown] of targetLines(t, providers)) out.push(`${keyOfVariable(variable)} = ${shown.startsWith(REDACTED) ? shown : JSON.stringify(shown)}`);
  }
  return out;
}

export const formatHttpAddr = (a: { host: string; port: number }) => (a.host.includes(":") ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`);
