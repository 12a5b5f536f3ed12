import type { ApiFailure, CfZone } from "./api-types.ts";
import type { CloudflareClient } from "./client.ts";
import { hasNextPage } from "./pagination.ts";

/**
 * Finds the Cloudflare zone that holds a record name, without asking the operator for zone ids: the name's
 * suffixes are tried longest first (`a.b.example.com`, `b.example.com`, `example.com`) with
 * `GET /zones?name=<suffix>`; for `*.a.example.com` the walk starts at `a.example.com`.
 * With many unknown names, `prefetch` lists the token's zones once instead (when they fit in a few pages), and
 * the longest listed suffix wins without further requests.
 * Found zones are cached for the provider's life (until `forget`); suffixes known not to be zones only for one
 * `setRecords` call, so a zone added later is found on the next round.
 */

export type ZoneAnswer =
  | { ok: true; zoneId: string; zoneName: string }
  | { ok: false; notFound: true; tried: string[] }
  | { ok: false; notFound: false; failure: ApiFailure };

/** One `setRecords` call's scratch space: negative answers and lookups in flight. */
export interface ZoneLookupSession {
  notZones: Set<string>;
  /** Every zone the token sees (name → id), when `prefetch` listed them all. */
  allZones?: Map<string, string>;
  inFlight: Map<string, Promise<{ ok: true; zone?: CfZone } | { ok: false; failure: ApiFailure }>>;
}

export interface ZoneFinder {
  session(): ZoneLookupSession;
  /** Lists all zones once when at least `threshold` names are not cached yet; a failure leaves the walk to do. */
  prefetch(names: string[], session: ZoneLookupSession, signal: AbortSignal, threshold: number): Promise<void>;
  find(recordName: string, session: ZoneLookupSession, signal: AbortSignal): Promise<ZoneAnswer>;
  /** Drops what is known about `zoneName` (its id turned out stale). */
  forget(zoneName: string): void;
}

/** The suffixes that could be the zone of `name`, longest first, never a bare top-level label. */
export function zoneCandidates(name: string): string[] {
  const labels = name.toLowerCase().replace(/\.$/, "").replace(/^\*\./, "").split(".").filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i < labels.length - 1 || (i === 0 && labels.length === 1); i++) out.push(labels.slice(i).join("."));
  return out;
}

/** Zone list pages read by `prefetch` before giving up on listing, and their size (the API's largest). */
const MAX_ZONE_PAGES = 10;
const ZONES_PER_PAGE = 50;

function pickZone(zones: unknown, candidate: string): CfZone | undefined {
  if (!Array.isArray(zones)) return undefined;
  const exact = zones.filter(
    (z): z is CfZone => !!z && typeof z.id === "string" && typeof z.name === "string" && z.name.toLowerCase() === candidate,
  );
  return exact.find((z) => z.status === "active") ?? exact[0];
}

export function createZoneFinder(client: CloudflareClient): ZoneFinder {
  const zoneIds = new Map<string, string>();
  const zoneOfName = new Map<string, string>();

  function lookUp(candidate: string, session: ZoneLookupSession, signal: AbortSignal) {
    let pending = session.inFlight.get(candidate);
    if (!pending) {
      pending = client.call<unknown>("GET", "/zones", { query: { name: candidate }, signal }).then((answer) => {
        if (!answer.ok) return { ok: false as const, failure: answer.failure };
        const zone = pickZone(answer.result, candidate);
        return zone ? { ok: true as const, zone } : { ok: true as const };
      });
      session.inFlight.set(candidate, pending);
    }
    return pending;
  }

  return {
    session: () => ({ notZones: new Set(), inFlight: new Map() }),
    async prefetch(names, session, signal, threshold) {
      const unknown = new Set(names.map((n) => n.toLowerCase()).filter((n) => !zoneOfName.has(n)));
      if (unknown.size < threshold) return;
      const all = new Map<string, { id: string; active: boolean }>();
      let listed = 0;
      for (let page = 1; page <= MAX_ZONE_PAGES; page++) {
        const answer = await client.call<unknown>("GET", "/zones", { query: { per_page: ZONES_PER_PAGE, page }, signal });
        if (!answer.ok || !Array.isArray(answer.result)) return;
        for (const z of answer.result as CfZone[]) {
          if (!z || typeof z.id !== "string" || typeof z.name !== "string") continue;
          const name = z.name.toLowerCase();
          if (!all.get(name)?.active) all.set(name, { id: z.id, active: z.status === "active" });
        }
        listed += answer.result.length;
        if (!hasNextPage(answer.resultInfo, { page, received: answer.result.length, listed, perPage: ZONES_PER_PAGE })) {
          session.allZones = new Map([...all].map(([name, z]) => [name, z.id]));
          return;
        }
      }
    },
    async find(recordName, session, signal) {
      const key = recordName.toLowerCase();
      const known = zoneOfName.get(key);
      const knownId = known === undefined ? undefined : zoneIds.get(known);
      if (known !== undefined && knownId !== undefined) return { ok: true, zoneId: knownId, zoneName: known };

      const tried = zoneCandidates(key);
      if (session.allZones) {
        const zoneName = tried.find((c) => session.allZones!.has(c));
        if (zoneName === undefined) return { ok: false, notFound: true, tried };
        const zoneId = session.allZones.get(zoneName)!;
        zoneIds.set(zoneName, zoneId);
        zoneOfName.set(key, zoneName);
        return { ok: true, zoneId, zoneName };
      }
      for (const candidate of tried) {
        const cachedId = zoneIds.get(candidate);
        if (cachedId !== undefined) {
          zoneOfName.set(key, candidate);
          return { ok: true, zoneId: cachedId, zoneName: candidate };
        }
        if (session.notZones.has(candidate)) continue;
        const answer = await lookUp(candidate, session, signal);
        if (!answer.ok) return { ok: false, notFound: false, failure: answer.failure };
        if (!answer.zone) {
          session.notZones.add(candidate);
          continue;
        }
        zoneIds.set(candidate, answer.zone.id);
        zoneOfName.set(key, candidate);
        return { ok: true, zoneId: answer.zone.id, zoneName: candidate };
      }
      return { ok: false, notFound: true, tried };
    },
    forget(zoneName) {
      zoneIds.delete(zoneName);
      for (const [name, zone] of zoneOfName) if (zone === zoneName) zoneOfName.delete(name);
    },
  };
}
