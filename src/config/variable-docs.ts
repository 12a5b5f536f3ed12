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
  { name: "DDNS_PROVIDER_TYPE", default: "(required)", meaning: "cloudflare, rfc2136, powerdns, dyndns2 or duckdns" },
  { name: "DDNS_PROVIDER_API_TOKEN", default: "(required)", meaning: "the provider secret (token, TSIG secret, password); or _FILE" },
  { name: "DDNS_PROVIDER_API_TOKEN_FILE", default: "(none)", meaning: "a file holding the secret (regular file, at most 64 KiB)" },
  { name: "DDNS_PROVIDER_API_URL", default: "(provider default)", meaning: "API base URL override; required for powerdns" },
  { name: "DDNS_RECORDS", default: "(required)", meaning: "comma-separated names, e.g. home.example.com,www.example.com" },
  { name: "DDNS_RECORD_TTL", default: "auto", meaning: "auto or seconds in the provider's range (Cloudflare 60…86400)" },
  { name: "DDNS_RECORD_PROXIED", default: "false", meaning: "Cloudflare proxying for records ddnsd creates" },
  { name: "DDNS_IP_VERSIONS", default: "4,6", meaning: "address families to manage: 4, 6 or 4,6" },
  { name: "DDNS_IP_SOURCE_TYPE", default: "http", meaning: "http, netlink, interface or push" },
  { name: "DDNS_IP_SOURCE_INTERFACE", default: "(none)", meaning: "interface for netlink and interface (required there)" },
  { name: "DDNS_IP_SOURCE_URLS_V4", default: "(built-in list)", meaning: "comma-separated IPv4 echo URLs for http" },
  { name: "DDNS_IP_SOURCE_URLS_V6", default: "(built-in list)", meaning: "comma-separated IPv6 echo URLs for http" },
  { name: "DDNS_IP_SOURCE_HTTP_FALLBACK", default: "false", meaning: "netlink/interface: ask http when no public address" },
  { name: "DDNS_ALLOW_PRIVATE_ADDRESSES", default: "false", meaning: "also publish RFC 1918, CGNAT and ULA addresses" },
  { name: "DDNS_POLL_INTERVAL", default: "5m", meaning: "how often to re-detect (at least 1s)" },
  { name: "DDNS_VERIFY_INTERVAL", default: "1h", meaning: "how often the provider's records are re-read" },
  { name: "DDNS_STATE_STORE_TYPE", default: "memory", meaning: "memory or file" },
  { name: "DDNS_STATE_STORE_PATH", default: "(none)", meaning: "the state file (file store); its directory must be writable" },
  { name: "DDNS_LOG_LEVEL", default: "info", meaning: "trace, debug, info, warn or error" },
  { name: "DDNS_LOG_FORMAT", default: "text", meaning: "text or json" },
  { name: "DDNS_HTTP_ADDR", default: "127.0.0.1:8080", meaning: "listener for /healthz /readyz /metrics /status; off" },
  { name: "DDNS_SHUTDOWN_TIMEOUT", default: "30s", meaning: "graceful shutdown budget" },
  { name: "DDNS_RFC2136_SERVER", default: "(none)", meaning: "rfc2136: the DNS server, host:port (required)" },
  { name: "DDNS_RFC2136_ZONE", default: "(from the SOA)", meaning: "rfc2136: the zone" },
  { name: "DDNS_RFC2136_TSIG_KEY_NAME", default: "(none)", meaning: "rfc2136: the TSIG key name (required)" },
  { name: "DDNS_RFC2136_TSIG_ALGORITHM", default: "hmac-sha256", meaning: "rfc2136: hmac-sha256, -sha512, -sha384, -sha224, -sha1" },
  { name: "DDNS_POWERDNS_SERVER_ID", default: "localhost", meaning: "powerdns: the server id in the API path" },
  { name: "DDNS_DYNDNS2_USERNAME", default: "(none)", meaning: "dyndns2: the account's user name (required)" },
  { name: "DDNS_DYNDNS2_PRESET", default: "(none)", meaning: "dyndns2: noip, dynu, dynv6, desec or ovh (or set the URL)" },
  { name: "DDNS_UPDATE_USERNAME", default: "(none)", meaning: "push: the user name routers send (required)" },
  { name: "DDNS_UPDATE_PASSWORD", default: "(none)", meaning: "push: their password, 8+ characters (required); or _FILE" },
  { name: "DDNS_UPDATE_PASSWORD_FILE", default: "(none)", meaning: "push: a file holding the password" },
  { name: "DDNS_UPDATE_LOCKOUT", default: "5/15m", meaning: "push: failed logins per client before a lockout" },
  { name: "DDNS_UPDATE_RATE_LIMIT", default: "5/5m", meaning: "push: updates that reach the provider per window" },
  { name: "DDNS_UPDATE_CLIENT_IP_HEADER", default: "(none)", meaning: "push: trust this proxy header for the caller's address" },
];

/** The --help lines: `NAME=default  meaning`, aligned. */
export function variableHelpLines(): string[] {
  const width = Math.max(...VARIABLE_DOCS.map((d) => d.name.length + 1 + d.default.length)) + 2;
  return VARIABLE_DOCS.map((d) => `  ${`${d.name}=${d.default}`.padEnd(width)}${d.meaning}`);
}
