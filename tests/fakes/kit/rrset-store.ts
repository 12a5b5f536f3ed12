/**
 * The state behind a fake of a set-replacing DNS API (Hetzner rrsets, Gandi LiveDNS, deSEC): zones and their record
 * sets, one per (name, type), each with a TTL of its own (or none: the zone's) and per-value comments. Names are
 * absolute, lower case, without a trailing dot; each fake maps its own JSON shapes onto it.
 */
export interface StoredSet {
  zone: string;
  name: string;
  type: string;
  /** null: the set has no TTL of its own (Hetzner: the zone's default applies). */
  ttl: number | null;
  records: Array<{ value: string; comment?: string }>;
}

export interface RrsetStore {
  zones(): string[];
  hasZone(zone: string): boolean;
  addZone(zone: string): void;
  removeZone(zone: string): void;
  /** The zone holding `name` (longest suffix), if any. */
  zoneOf(name: string): string | undefined;
  get(zone: string, name: string, type: string): StoredSet | undefined;
  /** Stores the set; one without records is removed (as the services do). */
  put(set: StoredSet): void;
  remove(zone: string, name: string, type: string): boolean;
  list(zone: string): StoredSet[];
  /** The values held for (name, type), sorted (what the contract suite reads). */
  read(name: string, type: string): string[];
  /** A hand edit: (name, type) holds exactly `values` afterwards (none: the set is gone). */
  edit(name: string, type: string, values: string[], ttl?: number | null): void;
}

const key = (zone: string, name: string, type: string) => `${zone} ${name} ${type}`;

export function createRrsetStore(zones: readonly string[]): RrsetStore {
  const zoneSet = new Set(zones.map((z) => z.toLowerCase()));
  const sets = new Map<string, StoredSet>();
  const store: RrsetStore = {
    zones: () => [...zoneSet],
    hasZone: (zone) => zoneSet.has(zone.toLowerCase()),
    addZone: (zone) => void zoneSet.add(zone.toLowerCase()),
    removeZone(zone) {
      zoneSet.delete(zone);
      for (const [k, set] of sets) if (set.zone === zone) sets.delete(k);
    },
    zoneOf(name) {
      const n = name.toLowerCase().replace(/\.$/, "");
      return [...zoneSet].filter((z) => n === z || n.endsWith(`.${z}`)).sort((a, b) => b.length - a.length)[0];
    },
    get: (zone, name, type) => sets.get(key(zone, name, type)),
    put(set) {
      if (set.records.length === 0) sets.delete(key(set.zone, set.name, set.type));
      else sets.set(key(set.zone, set.name, set.type), { ...set, records: set.records.map((r) => ({ ...r })) });
    },
    remove: (zone, name, type) => sets.delete(key(zone, name, type)),
    list: (zone) => [...sets.values()].filter((s) => s.zone === zone),
    read(name, type) {
      const zone = store.zoneOf(name);
      return zone ? (store.get(zone, name, type)?.records.map((r) => r.value) ?? []).sort() : [];
    },
    edit(name, type, values, ttl) {
      const zone = store.zoneOf(name);
      if (!zone) throw new Error(`fake: no zone holds ${JSON.stringify(name)}`);
      const held = store.get(zone, name, type);
      store.put({ zone, name, type, ttl: ttl === undefined ? (held?.ttl ?? 3600) : ttl, records: values.map((value) => ({ value })) });
    },
  };
  return store;
}
