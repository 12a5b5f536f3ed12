import type { LogFormat, LogLevel } from "../log/logger.ts";
import type { UpdateServerConfig } from "../update-server/types.ts";
import type { Family } from "../core/family.ts";
import type { DynDns2PresetName } from "../providers/dyndns2/presets.ts";

export type ProviderType = "cloudflare" | "rfc2136" | "powerdns" | "dyndns2" | "duckdns";
export type IpSourceType = "http" | "netlink" | "interface" | "push";

export interface HttpAddr {
  host: string;
  port: number;
}

/** Settings that only one provider reads; the secret is always `token`. */
export interface ProviderConfig {
  type: ProviderType;
  /** The secret (API token, TSIG secret, password). Never printed: see config/redact.ts. */
  token: string;
  /** Base URL override, or the provider's default when it has one. */
  apiUrl?: string;
  rfc2136?: { server: string; zone?: string; keyName: string; algorithm: string };
  powerdns?: { serverId: string };
  dyndns2?: { username: string; preset?: DynDns2PresetName };
}



/** The whole typed configuration, parsed once at the boundary (config/load-config.ts). */
export interface Config {
  provider: ProviderConfig;
  records: string[];
  /** `auto` is 1 at Cloudflare ("automatic"), the provider's default elsewhere. */
  ttl: "auto" | number;
  proxied: boolean;
  ipVersions: Family[];
  /** DDNS_IP_VERSIONS was set. When not, a family never detected since start does not hold readiness back. */
  ipVersionsExplicit: boolean;
  ipSource: {
    type: IpSourceType;
    interface?: string;
    urlsV4: string[];
    urlsV6: string[];
    /** With netlink/interface sources: also ask the http source when the interface has no public IPv4. */
    httpFallback: boolean;
  };
  /** Publish private/ULA/CGNAT addresses too (split-horizon zones). Off by default. */
  allowPrivate: boolean;
  pollIntervalMs: number;
  verifyIntervalMs: number;
  shutdownTimeoutMs: number;
  state: { type: "memory" | "file"; path?: string };
  log: { level: LogLevel; format: LogFormat };
  /** `undefined` when `DDNS_HTTP_ADDR=off`. */
  http?: HttpAddr;
  /** Present only with DDNS_IP_SOURCE_TYPE=push: the update endpoint's settings. */
  edge?: UpdateServerConfig;
}
