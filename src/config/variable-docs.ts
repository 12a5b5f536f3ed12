import type { Catalogue } from "../providers/kit/catalogue.ts";

/**
 * One line of documentation per variable ddnsd reads: `ddnsd --help` prints them, and a test holds this list, the
 * list of known variables (known-variables.ts) and docs/OPS.md ("Configuration") to the same names and defaults.
 */
export interface VariableDoc {
  name: string;
  /** As written in the docs: a value, `(required)`, or `(none)`. */
  default: string;
  /** Short enough for one --help line. */
  meaning: string;
}

export const VARIABLE_DOCS: readonly VariableDoc[] = [
  { name: "DDNS_CONFIG_FILE", default: "(none)", meaning: "a TOML file of [[target]] tables (several providers); replaces the next two" },
  { name: "DDNS_PROVIDER_TYPE", default: "(required)", meaning: "the provider's id; ddnsd providers lists every id and its variables" },
  { name: "DDNS_PROVIDER_API_TOKEN", default: "(required)", meaning: "the provider secret (token, TSIG secret, password); or _FILE" },
  { name: "DDNS_PROVIDER_API_TOKEN_FILE", default: "(none)", meaning: "a file holding the secret (regular file, at most 64 KiB)" },
  { name: "DDNS_PROVIDER_API_KEY", default: "(none)", meaning: "the key paired with the secret, for two-part credentials; or _FILE" },
  { name: "DDNS_PROVIDER_API_KEY_FILE", default: "(none)", meaning: "a file holding that key" },
  { name: "DDNS_PROVIDER_API_URL", default: "(provider default)", meaning: "API base URL override (each provider's default: ddnsd providers)" },
  { name: "DDNS_RECORDS", default: "(required)", meaning: "comma-separated names, each with options in braces: nas.example.com{ttl=300}" },
  { name: "DDNS_RECORD_TTL", default: "auto", meaning: "auto or seconds in the provider's range, for records ddnsd creates" },
  { name: "DDNS_RECORD_PROXIED", default: "false", meaning: "Cloudflare proxying for records ddnsd creates" },
  { name: "DDNS_RECORD_COMMENT", default: "(none)", meaning: "comment written on records ddnsd creates or updates (providers with comments)" },
  { name: "DDNS_MANAGED_RECORDS_COMMENT_REGEX", default: "(none)", meaning: "only records whose comment matches are ddnsd's; others are left alone" },
  { name: "DDNS_OWNER_ID", default: "(none)", meaning: "only records an owner TXT (_ddnsd-a.NAME) of this id names are ddnsd's (providers without comments)" },
  { name: "DDNS_OWNER_ADOPT", default: "false", meaning: "with DDNS_OWNER_ID: adopt the records no owner TXT names while this owner owns none (first migration)" },
  { name: "DDNS_IP_VERSIONS", default: "4,6", meaning: "address families to manage: 4, 6 or 4,6" },
  { name: "DDNS_IP_SOURCE_TYPE", default: "http", meaning: "http, netlink, interface, push, static or router (IPv4 from the router)" },
  { name: "DDNS_IP_SOURCE_TYPE_V4", default: "DDNS_IP_SOURCE_TYPE", meaning: "the IPv4 source (same types; push only for both)" },
  { name: "DDNS_IP_SOURCE_TYPE_V6", default: "DDNS_IP_SOURCE_TYPE", meaning: "the IPv6 source (same types; push only for both)" },
  { name: "DDNS_IP_SOURCE_INTERFACE", default: "(none)", meaning: "interface for netlink and interface (required there)" },
  { name: "DDNS_IP_SOURCE_URLS_V4", default: "(built-in list)", meaning: "comma-separated IPv4 echo URLs for http" },
  { name: "DDNS_IP_SOURCE_URLS_V6", default: "(built-in list)", meaning: "comma-separated IPv6 echo URLs for http" },
  { name: "DDNS_IP_STATIC_V4", default: "(none)", meaning: "static: the IPv4 address to publish" },
  { name: "DDNS_IP_STATIC_V6", default: "(none)", meaning: "static: the IPv6 address to publish" },
  { name: "DDNS_IP_SOURCE_ROUTER_ADDRESS", default: "(default gateway)", meaning: "router: the router's IPv4 address to ask" },
  { name: "DDNS_IP_SOURCE_ROUTER_PROTOCOLS", default: "pcp,natpmp,igd", meaning: "router: the protocols to ask, in this order" },
  { name: "DDNS_IP_SOURCE_HTTP_FALLBACK", default: "false", meaning: "netlink/interface/router: ask http when no public address" },
  { name: "DDNS_IPV6_PREFIX_LENGTH", default: "64", meaning: "bits of the detected IPv6 address kept by ipv6_suffix records (1-128)" },
  { name: "DDNS_ALLOW_PRIVATE_ADDRESSES", default: "false", meaning: "also publish RFC 1918, CGNAT and ULA addresses" },
  { name: "DDNS_POLL_INTERVAL", default: "5m", meaning: "how often to re-detect (at least 1s)" },
  { name: "DDNS_VERIFY_INTERVAL", default: "1h", meaning: "how often the provider's records are re-read" },
  { name: "DDNS_STATE_STORE_TYPE", default: "memory", meaning: "memory or file" },
  { name: "DDNS_STATE_STORE_PATH", default: "(none)", meaning: "the state file (file store); its directory must be writable" },
  { name: "DDNS_LOG_LEVEL", default: "info", meaning: "trace, debug, info, warn or error" },
  { name: "DDNS_LOG_FORMAT", default: "text", meaning: "text or json" },
  { name: "DDNS_HTTP_ADDR", default: "127.0.0.1:8080", meaning: "listener for /healthz /readyz /metrics /status; off" },
  { name: "DDNS_DELETE_ON_STOP", default: "false", meaning: "on SIGTERM/SIGINT delete the records this daemon manages (docs/ownership.md)" },
  { name: "DDNS_SHUTDOWN_TIMEOUT", default: "30s", meaning: "graceful shutdown budget" },
  { name: "DDNS_NOTIFY_URLS", default: "(none)", meaning: "shoutrrr URLs (ntfy://, generic://, discord://…), comma-separated; or _FILE" },
  { name: "DDNS_NOTIFY_URLS_FILE", default: "(none)", meaning: "a file holding those URLs (one per line or comma-separated)" },
  { name: "DDNS_HEALTHCHECKS_URL", default: "(none)", meaning: "a healthchecks.io ping URL: /start, success, /fail each round; or _FILE" },
  { name: "DDNS_HEALTHCHECKS_URL_FILE", default: "(none)", meaning: "a file holding that ping URL" },
  { name: "DDNS_UPTIMEKUMA_URL", default: "(none)", meaning: "an Uptime Kuma push URL: status=up or down each round; or _FILE" },
  { name: "DDNS_UPTIMEKUMA_URL_FILE", default: "(none)", meaning: "a file holding that push URL" },
  { name: "DDNS_UPDATE_USERNAME", default: "(none)", meaning: "push: the user name routers send (required)" },
  { name: "DDNS_UPDATE_PASSWORD", default: "(none)", meaning: "push: their password, 8+ characters (required); or _FILE" },
  { name: "DDNS_UPDATE_PASSWORD_FILE", default: "(none)", meaning: "push: a file holding the password" },
  { name: "DDNS_UPDATE_LOCKOUT", default: "5/15m", meaning: "push: failed logins per client before a lockout" },
  { name: "DDNS_UPDATE_RATE_LIMIT", default: "5/5m", meaning: "push: updates that reach the provider per window" },
  { name: "DDNS_UPDATE_CLIENT_IP_HEADER", default: "(none)", meaning: "push: trust this proxy header for the caller's address" },
];

/**
 * The variables only some providers read (`DDNS_<PROVIDERID>_<FIELD>`, and fallbacks such as AWS_ACCESS_KEY_ID are
 * not DDNS_ names), documented by the descriptors themselves: `ddnsd providers` and docs/providers/<id>.md show them.
 */
export function providerVariableDocs(providers: Catalogue): VariableDoc[] {
  const common = new Set(VARIABLE_DOCS.map((d) => d.name));
  const out: VariableDoc[] = [];
  for (const d of providers.list) {
    for (const v of d.variables) {
      for (const name of [v.name, ...(v.secret ? [`${v.name}_FILE`] : [])]) {
        if (common.has(name) || !name.startsWith("DDNS_")) continue;
        common.add(name);
        out.push({ name, default: v.default ?? (v.required ? "(required)" : "(none)"), meaning: `${d.id}: ${name.endsWith("_FILE") ? "a file holding the secret" : v.description}` });
      }
    }
  }
  return out;
}

/** The --help lines: `NAME=default  meaning`, aligned. */
export function variableHelpLines(): string[] {
  const width = Math.max(...VARIABLE_DOCS.map((d) => d.name.length + 1 + d.default.length)) + 2;
  return VARIABLE_DOCS.map((d) => `  ${`${d.name}=${d.default}`.padEnd(width)}${d.meaning}`);
}
