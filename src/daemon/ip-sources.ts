import type { Config } from "../config/types.ts";
import type { Logger } from "../log/logger.ts";
import type { IpSource } from "../ip/types.ts";
import { createHttpSource } from "../ip/http/http-source.ts";
import { createPushSource } from "../ip/push/push-source.ts";
import { createLocalSource } from "../ip/local-source.ts";
import { createStaticSource } from "../ip/static/static-source.ts";
import { createPerFamilySource } from "../ip/per-family-source.ts";
import { createRouterSource } from "../ip/router/router-source.ts";
import { ROUTER_PROTOCOLS } from "../ip/router/router-types.ts";
import type { Family } from "../core/family.ts";
import type { IpSourceType } from "../config/types.ts";
import { USER_AGENT } from "../core/version.ts";
import type { Platform } from "./platform.ts";

export interface IpSources {
  source: IpSource;
  /** Asked for a family the interface has no public address for (DDNS_IP_SOURCE_HTTP_FALLBACK). */
  fallback?: IpSource;
}

/**
 * The configured IP sources, each given only its own settings, one per family (DDNS_IP_SOURCE_TYPE_V4 / _V6); a type
 * both managed families share is one source (one netlink socket for both). With `netlink`/`interface` and
 * DDNS_IP_SOURCE_HTTP_FALLBACK=true, the http source is kept as the fallback for a family the interface has no
 * public address for (NAT); with `router`, for a router behind double NAT or not answering.
 */
export async function createIpSources(
  config: Pick<Config, "ipSource" | "ipVersions" | "allowPrivate" | "pollIntervalMs">,
  log: Logger,
  platform: Pick<Platform, "fetch" | "now" | "monotonic" | "netlink" | "networkInterfaces" | "openUdp" | "fs">,
): Promise<IpSources> {
  const { ipSource } = config;
  const http = () =>
    createHttpSource({ fetch: platform.fetch, urls: { 4: ipSource.urlsV4, 6: ipSource.urlsV6 }, allowPrivate: config.allowPrivate, log, userAgent: USER_AGENT });
  // Addresses pushed through /nic/update (wire.ts mounts the endpoint on this source); the configuration keeps push
  // for both families or neither.
  if (ipSource.byFamily[4] === "push") return { source: createPushSource({ now: platform.now }) };

  async function build(type: IpSourceType, families: readonly Family[]): Promise<IpSource> {
    if (type === "http") return http();
    // DDNS_IP_STATIC_V4 / _V6, validated by the configuration.
    if (type === "static") return createStaticSource({ addresses: ipSource.static ?? {} });
    if (type === "push") throw new Error("the push IP source cannot be combined with another type");
    // IPv4 from the router over PCP, NAT-PMP or UPnP IGD (src/ip/router/); the configuration keeps it off IPv6.
    if (type === "router") return router();
    if (ipSource.interface === undefined) throw new Error(`DDNS_IP_SOURCE_INTERFACE is required for the ${type} IP source`);
    const settings = { kind: type, interface: ipSource.interface, families, allowPrivate: config.allowPrivate, resyncMs: config.pollIntervalMs };
    return createLocalSource(settings, log, { createNetlinkRuntime: platform.netlink, networkInterfaces: platform.networkInterfaces, now: platform.monotonic });
  }

  const router = () =>
    createRouterSource({
      ...(ipSource.router?.address ? { address: ipSource.router.address } : {}),
      protocols: ipSource.router?.protocols ?? ROUTER_PROTOCOLS,
      httpFallback: ipSource.httpFallback,
      allowPrivate: config.allowPrivate,
      openUdp: platform.openUdp,
      fetch: platform.fetch,
      netlink: platform.netlink,
      readFile: (path) => platform.fs.readFile(path, "utf8"),
      randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
      userAgent: USER_AGENT,
      log,
    });

  const types = [...new Set(config.ipVersions.map((family) => ipSource.byFamily[family]))];
  const local = types.some((type) => type === "netlink" || type === "interface" || type === "router");
  const withFallback = (source: IpSource): IpSources => (local && ipSource.httpFallback ? { source, fallback: http() } : { source });
  // One type for every managed family (or none managed): a single source, as without per-family settings.
  if (types.length <= 1) return withFallback(await build(types[0] ?? ipSource.type, config.ipVersions));
  const bySource: Partial<Record<Family, IpSource>> = {};
  for (const family of config.ipVersions) bySource[family] = await build(ipSource.byFamily[family], [family]);
  return withFallback(createPerFamilySource(bySource));
}
