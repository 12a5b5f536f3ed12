/**
 * The state behind a fake DNS API: zones and their records, with ids, in insertion order. Each fake maps its own
 * JSON shapes onto it (names relative or absolute, TTL fields, comments…); the store stays neutral: names are
 * absolute, lower case, without a trailing dot.
 */
export interface StoredRecord {
  id: string;
  zone: string;
  name: string;
  type: string;
  content: string;
  ttl: number;
  /** Service-specific fields (proxied, comment, priority…). */
  extra: Record<string, unknown>;
}

export interface ZoneStore {
  zones(): string[];
  hasZone(zone: string): boolean;
  addZone(zone: string): void;
  /** The zone holding `name` (longest suffix), if any. */
  zoneOf(name: string): string | undefined;
  records(zone: string): StoredRecord[];
  find(zone: string, name: string, type?: string): StoredRecord[];
  byId(id: string): StoredRecord | undefined;
  add(record: Omit<StoredRecord, "id"> & { id?: string }): StoredRecord;
  update(id: string, patch: Partial<Omit<StoredRecord, "id" | "zone">>): StoredRecord | undefined;
  remove(id: string): boolean;
  /** The contents held for (name, type), sorted (what the contract suite reads). */
  read(name: string, type: string): string[];
}

export const absolute = (name: string, zone: string): string => {
  const n = name.toLowerCase().replace(/\.$/, "");
  if (n === "@" || n === "") return zone;
  return n === zone || n.endsWith(`.${zone}`) ? n : `${n}.${zone}`;
};

/** `home.example.com` in zone `example.com` → `home`; the apex → `@`. */
export const relative = (name: string, zone: string): string => (name === zone ? "@" : name.slice(0, -(zone.length + 1)));

export function createZoneStore(zones: readonly string[], idOf: (n: number) => string = (n) => String(1000 + n)): ZoneStore {
  const zoneSet = new Set(zones.map((z) => z.toLowerCase()));
  const records: StoredRecord[] = [];
  let seq = 0;
  const store: ZoneStore = {
    zones: () => [...zoneSet],
    hasZone: (zone) => zoneSet.has(zone.toLowerCase()),
    addZone: (zone) => void zoneSet.add(zone.toLowerCase()),
    zoneOf(name) {
      const n = name.toLowerCase().replace(/\.$/, "");
      return [...zoneSet].filter((z) => n === z || n.endsWith(`.${z}`)).sort((a, b) => b.length - a.length)[0];
    },
    records: (zone) => records.filter((r) => r.zone === zone),
    find: (zone, name, type) => records.filter((r) => r.zone === zone && r.name === name && (type === undefined || r.type === type)),
    byId: (id) => records.find((r) => r.id === id),
    add(record) {
      const stored: StoredRecord = { ...record, id: record.id ?? idOf(++seq) };
      records.push(stored);
      return stored;
    },
    update(id, patch) {
      const r = records.find((x) => x.id === id);
      if (r) Object.assign(r, patch, patch.extra ? { extra: { ...r.extra, ...patch.extra } } : {});
      return r;
    },
    remove(id) {
      const i = records.findIndex((r) => r.id === id);
      if (i >= 0) records.splice(i, 1);
      return i >= 0;
    },
    read(name, type) {
      return records.filter((r) => r.name === name && r.type === type).map((r) => r.content).sort();
    },
  };
  return store;
}

/** One page of `items` (1-based page numbers). */
export function pageOf<T>(items: readonly T[], page: number, perPage: number): T[] {
  return items.slice((page - 1) * perPage, page * perPage);
}
