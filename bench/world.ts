import { startFakeCloudflare, type FakeCloudflare } from "../tests/fakes/cloudflare/fake-cloudflare.ts";
import type { LoggedRequest } from "../tests/fakes/cloudflare/fake-control.ts";
import { createIpEcho, type IpEcho } from "../tests/fakes/ip-echo.ts";

/**
 * The world every bench phase runs against: the fake Cloudflare API and the fake "what is my IP" service on one
 * loopback port, with each logged API request stamped with its arrival time (performance.now(), this process's
 * clock) and attributed to a zone, so that several clients can share one fake and still be counted apart.
 */

export const TOKEN = "bench-token-0123456789abcdefghijklmnopqrstuv";

export interface StampedRequest extends LoggedRequest {
  at: number;
}

export interface World {
  cf: FakeCloudflare;
  ip: IpEcho;
  /** The API base URL (http). */
  url: string;
  /** `http://127.0.0.1:PORT` — `/v4` is the IP echo. */
  origin: string;
  requests(): StampedRequest[];
  /** API requests that concern `zone` (by zone id in the path, or by a looked-up name inside the zone). */
  requestsOf(zone: string, since?: number): StampedRequest[];
  /** Resolves with the arrival time of the first request after `since` that matches, or NaN after `timeoutMs`. */
  waitFor(match: (r: StampedRequest) => boolean, since: number, timeoutMs: number): Promise<number>;
  stop(): Promise<void>;
}

export async function startWorld(options: { zones: string[]; v4?: string; batchLimit?: number }): Promise<World> {
  const ip = createIpEcho({ v4: options.v4 ?? "203.0.113.1" });
  const cf = await startFakeCloudflare({ token: TOKEN, zones: options.zones, batchLimit: options.batchLimit, extraHandler: (r) => ip.handle(r) });
  const log = cf.requests() as StampedRequest[];
  const waiters = new Set<(r: StampedRequest) => void>();
  const push = log.push.bind(log);
  // The fake pushes each request as it arrives: stamp it there, and wake whoever waits for it.
  log.push = (...entries: StampedRequest[]) => {
    const at = performance.now();
    for (const e of entries) e.at = at;
    const n = push(...entries);
    for (const e of entries) for (const w of waiters) w(e);
    return n;
  };
  const zoneOfId = new Map(cf.zones().map((z) => [z.id, z.name]));
  const inZone = (name: string, zone: string) => name === zone || name.endsWith(`.${zone}`);
  const zoneOf = (r: LoggedRequest): string | undefined => {
    const id = /^\/zones\/([0-9a-f]{32})/.exec(r.path)?.[1];
    if (id) return zoneOfId.get(id);
    const name = r.query.name?.toLowerCase();
    return name === undefined ? undefined : options.zones.find((z) => inZone(name, z));
  };
  return {
    cf,
    ip,
    url: cf.url,
    origin: cf.origin,
    requests: () => log,
    requestsOf: (zone, since = 0) => log.filter((r) => r.at >= since && zoneOf(r) === zone),
    waitFor(match, since, timeoutMs) {
      const seen = log.find((r) => r.at >= since && match(r));
      if (seen) return Promise.resolve(seen.at);
      return new Promise((resolve) => {
        const done = (at: number) => {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(at);
        };
        const check = (r: StampedRequest) => void (r.at >= since && match(r) && done(r.at));
        const timer = setTimeout(() => done(NaN), timeoutMs);
        waiters.add(check);
      });
    },
    stop: () => cf.stop(),
  };
}

/** A free loopback TCP port (a server is started on port 0 and stopped). */
export async function freePort(hostname = "127.0.0.1"): Promise<number> {
  const server = Bun.serve({ hostname, port: 0, fetch: () => new Response("") });
  const port = server.port ?? 0;
  await server.stop(true);
  return port;
}
