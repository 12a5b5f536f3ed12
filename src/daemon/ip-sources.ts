import type { Config } from "../config/types.ts";
import type { Logger } from "../log/logger.ts";
import type { IpSource } from "../ip/types.ts";
import { createHttpSource } from "../ip/http/http-source.ts";
import { createPushSource } from "../ip/push/push-source.ts";
import { createLocalSource } from "../ip/local-source.ts";
import { createStaticSource } from "../ip/static/static-source.ts";
import { USER_AGENT } from "../core/version.ts";
import type { Platform } from "./platform.ts";

export interface IpSources {
  source: IpSource;
  /** Asked for a family the interface has no public address for (DDNS_IP_SOURCE_HTTP_FALLBACK). */
  fallback?: IpSource;
}

/**
 * The configured IP source, each given only its own settings. With `netlink`/`interface` and
 * DDNS_IP_SOURCE_HTTP_FALLBACK=true, the http source is kept as the fallback for a family the interface has no
 * public address for (NAT).
 */
export async function createIpSources(
  config: Pick<Config, "ipSource" | "ipVersions" | "allowPrivate" | "pollIntervalMs">,
  log: Logger,
  platform: Pick<Platform, "fetch" | "now" | "monotonic" | "netlink" | "networkInterfaces">,
): Promise<IpSources> {
  const { ipSource } = config;
  const http = () =>
    createHttpSource({ fetch: platform.fetch, urls: { 4: ipSource.urlsV4, 6: ipSource.urlsV6 }, allowPrivate: config.allowPrivate, log, userAgent: USER_AGENT });
  if (ipSource.type === "http") return { source: http() };
  // Addresses pushed through /nic/update (wire.ts mounts the endpoint on this source).
  if (ipSource.type === "push") return { source: createPushSource({ now: platform.now }) };
  // DDNS_IP_STATIC_V4 / _V6, validated by the configuration.
  if (ipSource.type === "static") return { source: createStaticSource({ addresses: ipSource.static ?? {} }) };
  if (ipSource.interface === undefined) throw new Error(`DDNS_IP_SOURCE_INTERFACE is required for the ${ipSource.type} IP source`);
  const settings = { kind: ipSource.type, interface: ipSource.interface, families: config.ipVersions, allowPrivate: config.allowPrivate, resyncMs: config.pollIntervalMs };
  const source = await createLocalSource(settings, log, { createNetlinkRuntime: platform.netlink, networkInterfaces: platform.networkInterfaces, now: platform.monotonic });
  return ipSource.httpFallback ? { source, fallback: http() } : { source };
}
