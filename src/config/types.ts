import type { LogFormat, LogLevel } from "../log/logger.ts";
import type { UpdateServerConfig } from "../update-server/types.ts";
import type { Family } from "../core/family.ts";
import type { RecordConfig, RecordOptions } from "../engine/desired.ts";
import type { ProviderSettings } from "../providers/registry.ts";
import type { NotifySettings } from "../notify/channels.ts";
import type { RouterProtocol } from "../ip/router/router-types.ts";

/** One provider instance with its secrets and the records it holds. */
export interface TargetConfig {
  /** Unique among targets: `id` of the [[target]] table, else the provider's id (numbered when repeated). */
  id: string;
  provider: ProviderSettings;
  records: RecordConfig[];
  /** The target-level options every record starts from (DDNS_RECORD_TTL, DDNS_RECORD_PROXIED, its ip versions). */
  defaults: RecordOptions;
}

/** DDNS_IP_SOURCE_ROUTER_ADDRESS (unset: the default gateway) and DDNS_IP_SOURCE_ROUTER_PROTOCOLS (config/router-settings.ts). */
export interface RouterSettings {
  address?: string;
  protocols: RouterProtocol[];
}

export type IpSourceType = "http" | "netlink" | "interface" | "push" | "static" | "router";

export interface HttpAddr {
  host: string;
  port: number;
}


/** The whole typed configuration, parsed once at the boundary (config/load-config.ts). */
export interface Config {
  /**
   * Where records go: one target per provider instance. From the environment alone exactly one (id = the provider's
   * id); from DDNS_CONFIG_FILE one per `[[target]]` table.
   */
  targets: TargetConfig[];
  /** DDNS_CONFIG_FILE, when the targets came from a file. */
  configFile?: string;
  /** The families detected: every family some record is published for (DDNS_IP_VERSIONS is the default per record). */
  ipVersions: Family[];
  /** DDNS_IP_VERSIONS was set. When not, a family never detected since start does not hold readiness back. */
  ipVersionsExplicit: boolean;
  ipSource: {
    /** DDNS_IP_SOURCE_TYPE: the default of both families. */
    type: IpSourceType;
    /** DDNS_IP_SOURCE_TYPE_V4 / _V6: the source each family is detected with (push is both or neither). */
    byFamily: Record<Family, IpSourceType>;
    interface?: string;
    urlsV4: string[];
    urlsV6: string[];
    /** With netlink/interface/router sources: also ask the http source when they have no public address. */
    httpFallback: boolean;
    /** DDNS_IP_STATIC_V4 / _V6, validated, with the static source. */
    static?: Partial<Record<Family, string>>;
    /** DDNS_IP_SOURCE_ROUTER_ADDRESS / _PROTOCOLS, with the router source. */
    router?: RouterSettings;
  };
  /** DDNS_IPV6_PREFIX_LENGTH: the bits of the detected IPv6 address a record's ipv6_suffix keeps. */
  ipv6PrefixLength: number;
  /** Publish private/ULA/CGNAT addresses too (split-horizon zones). Off by default. */
  allowPrivate: boolean;
  pollIntervalMs: number;
  verifyIntervalMs: number;
  shutdownTimeoutMs: number;
  /** DDNS_DELETE_ON_STOP: on SIGTERM/SIGINT the records the daemon manages are deleted before it exits. */
  deleteOnStop: boolean;
  state: { type: "memory" | "file"; path?: string };
  log: { level: LogLevel; format: LogFormat };
  /** `undefined` when `DDNS_HTTP_ADDR=off`. */
  http?: HttpAddr;
  /** DDNS_NOTIFY_URLS, DDNS_HEALTHCHECKS_URL, DDNS_UPTIMEKUMA_URL (config/notify-config.ts). */
  notify: NotifySettings;
  /** Present only with DDNS_IP_SOURCE_TYPE=push: the update endpoint's settings. */
  updateServer?: UpdateServerConfig;
}
