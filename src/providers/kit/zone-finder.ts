import type { Answer, Problem } from "./answer.ts";

/**
 * Finds the zone that holds a record name, without asking the operator for zone ids. A provider gives one or two
 * ways to learn zones, and the finder does the rest — longest suffix first, caching, de-duplicated lookups:
 * - `lookup(candidate)`: ask about one suffix (`GET /zones?name=…`, an SOA query). It may answer with a zone whose
 *   name is not the candidate (an SOA in the authority section names the zone directly).
 * - `list()`: every zone the credentials see (the provider pages); the longest listed suffix wins.
 * With both, `prefetch` lists once when many names are unknown and otherwise the walk asks per suffix.
 * A zone found for a name is kept for the provider's life (until `forget`), and so is every zone learned: a new
 * name under a known zone costs no lookup of that zone again. "Not a zone" answers and listings are kept for
 * `missTtlMs`, so a zone added later is found within a minute.
 */
export interface Zone {
  /** Lower case, no trailing dot. */
  name: string;
}

export type ZoneAnswer<Z extends Zone> =
  | { ok: true; zone: Z }
  | { ok: false; notFound: true; tried: string[] }
  | { ok: false; notFound: false; problem: Problem };

export interface ZoneFinderOptions<Z extends Zone> {
  lookup?: (candidate: string, signal: AbortSignal) => Promise<Answer<Z | undefined>>;
  list?: (signal: AbortSignal) => Promise<Answer<Z[]>>;
  /** A zone the operator named (e.g. DDNS_RFC2136_ZONE): names outside it are "not found". */
  fixed?: Z;
  now: () => number;
  missTtlMs?: number;
  /** With both `lookup` and `list`: from this many unknown names, `prefetch` lists instead of walking. */
  listThreshold?: number;
}

export interface ZoneFinder<Z extends Zone> {
  find(name: string, signal: AbortSignal): Promise<ZoneAnswer<Z>>;
  prefetch(names: readonly string[], signal: AbortSignal): Promise<void>;
  /** Drops what is known about a zone (its id turned out stale, the server said NOTZONE). */
  forget(zoneName: string): void;
}

/** The suffixes that could be the zone of `name`, longest first, never a bare top-level label. */
export function zoneCandidates(name: string): string[] {
  const labels = name.toLowerCase().replace(/\.$/, "").replace(/^\*\./, "").split(".").filter(Boolean);
  if (labels.length === 1) return [labels[0]!];
  const out: string[] = [];
  for (let i = 0; i < labels.length - 1; i++) out.push(labels.slice(i).join("."));
  return out;
}

/** True when `name` is `zone` or lies below it. */
export const isInZone = (name: string, zone: string): boolean => name === zone || name.endsWith(`.${zone}`);

export function createZoneFinder<Z extends Zone>(o: ZoneFinderOptions<Z>): ZoneFinder<Z> {
  const missTtlMs = o.missTtlMs ?? 60_000;
  const threshold = o.listThreshold ?? 10;
  const zoneOfName = new Map<string, Z>();
  /** Zones learned from lookups, by name. */
  const known = new Map<string, Z>();
  const notZones = new Map<string, number>();
  const inFlight = new Map<string, Promise<Answer<Z | undefined>>>();
  let listing: { zones: Z[]; at: number } | undefined;
  let listingInFlight: Promise<Answer<Z[]>> | undefined;

  const canon = (n: string) => n.toLowerCase().replace(/\.$/, "");

  async function listed(signal: AbortSignal, refresh: boolean): Promise<Answer<Z[]>> {
    if (listing && !(refresh && o.now() - listing.at >= missTtlMs)) return { ok: true, value: listing.zones };
    listingInFlight ??= o.list!(signal).finally(() => (listingInFlight = undefined));
    const answer = await listingInFlight;
    if (answer.ok) listing = { zones: answer.value, at: o.now() };
    return answer;
  }

  function longest(zones: Z[], name: string): Z | undefined {
    return zones.filter((z) => isInZone(name, canon(z.name))).sort((a, b) => b.name.length - a.name.length)[0];
  }

  async function viaList(name: string, tried: string[], signal: AbortSignal): Promise<ZoneAnswer<Z>> {
    for (const refresh of [false, true]) {
      const answer = await listed(signal, refresh);
      if (!answer.ok) return { ok: false, notFound: false, problem: answer.problem };
      const zone = longest(answer.value, name.replace(/^\*\./, ""));
      if (zone) return { ok: true, zone };
    }
    return { ok: false, notFound: true, tried };
  }

  async function viaLookup(name: string, tried: string[], signal: AbortSignal): Promise<ZoneAnswer<Z>> {
    const now = o.now();
    for (const candidate of tried) {
      const learned = known.get(candidate);
      if (learned) return { ok: true, zone: learned };
      if ((notZones.get(candidate) ?? 0) > now) continue;
      let pending = inFlight.get(candidate);
      if (!pending) {
        // Learned before the lookup counts as finished, so a name waiting for this suffix never asks again.
        const learn = (answer: Answer<Z | undefined>) => (answer.ok && answer.value && known.set(canon(answer.value.name), answer.value), answer);
        pending = o.lookup!(candidate, signal).then(learn).finally(() => inFlight.delete(candidate));
        inFlight.set(candidate, pending);
      }
      const answer = await pending;
      if (!answer.ok) return { ok: false, notFound: false, problem: answer.problem };
      if (answer.value && isInZone(name.replace(/^\*\./, ""), canon(answer.value.name))) return { ok: true, zone: answer.value };
      notZones.set(candidate, now + missTtlMs);
    }
    return { ok: false, notFound: true, tried };
  }

  return {
    async find(rawName, signal) {
      const name = canon(rawName);
      const tried = zoneCandidates(name);
      if (o.fixed) return isInZone(name.replace(/^\*\./, ""), canon(o.fixed.name)) ? { ok: true, zone: o.fixed } : { ok: false, notFound: true, tried: [o.fixed.name] };
      const known = zoneOfName.get(name);
      if (known) return { ok: true, zone: known };
      const useList = o.list && (!o.lookup || listing !== undefined);
      const found = useList ? await viaList(name, tried, signal) : o.lookup ? await viaLookup(name, tried, signal) : { ok: false as const, notFound: true as const, tried };
      if (found.ok) zoneOfName.set(name, found.zone);
      return found;
    },
    async prefetch(names, signal) {
      if (!o.list || !o.lookup || o.fixed) return;
      const unknown = new Set(names.map(canon).filter((n) => !zoneOfName.has(n)));
      if (unknown.size < threshold) return;
      await listed(signal, true);
    },
    forget(zoneName) {
      const zone = canon(zoneName);
      for (const [name, z] of zoneOfName) if (canon(z.name) === zone) zoneOfName.delete(name);
      known.delete(zone);
      // The listing that held it is stale too: without it, a parent zone in it would be taken for the name.
      listing = undefined;
    },
  };
}

/** The problem a missing zone is: a configuration the operator must fix. `fix` says how, in the service's words. */
export function zoneNotFound(service: string, name: string, tried: readonly string[], fix: string): Problem {
  const list = tried.map((t) => JSON.stringify(t)).join(", ");
  return { kind: "config", reason: `no ${service} zone holds ${JSON.stringify(name)} (tried ${list}); ${fix}` };
}
