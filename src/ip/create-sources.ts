import type { Config } from "../config/types.ts";
import type { Logger } from "../log/logger.ts";
import type { IpSource } from "./types.ts";
import { createHttpSource } from "./http/http-source.ts";
import { createPushSource } from "./push/push-source.ts";
import { USER_AGENT } from "../core/version.ts";

/** The world the source factories need; main.ts fills it per runtime. */
export interface SourceWorld {
  fetch: typeof fetch;
  /** The clock (the push source stamps what it holds); defaults to Date.now. */
  now?: () => number;
  /** Builds an interface-based source (netlink or interface), falling back as it sees fit; absent → http only. */
  createInterfaceSource?: (config: Config, log: Logger) => Promise<IpSource>;
}

/**
 * Chooses the configured IP source. With `netlink`/`interface` and DDNS_IP_SOURCE_HTTP_FALLBACK=true, the http
 * source is kept as the fallback for a family the interface has no public address for (NAT).
 */
export async function createIpSources(config: Config, log: Logger, world: SourceWorld): Promise<{ source: IpSource; fallback?: IpSource }> {
  const http = () =>
    createHttpSource({
      fetch: world.fetch,
      urls: { 4: config.ipSource.urlsV4, 6: config.ipSource.urlsV6 },
      allowPrivate: config.allowPrivate,
      log,
      userAgent: USER_AGENT,
    });
  if (config.ipSource.type === "http") return { source: http() };
  // Addresses pushed through /nic/update (main.ts mounts the endpoint on this source).
  if (config.ipSource.type === "push") return { source: createPushSource({ now: world.now ?? Date.now }) };
  if (!world.createInterfaceSource) throw new Error(`the ${config.ipSource.type} IP source is not available in this build`);
  const source = await world.createInterfaceSource(config, log);
  return config.ipSource.httpFallback ? { source, fallback: http() } : { source };
}
