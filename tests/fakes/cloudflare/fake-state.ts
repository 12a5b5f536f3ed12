import { E, type FakeAnswer } from "./fake-errors.ts";
import { checkRecord, qualify, readFields } from "./fake-validate.ts";
import type { Rng } from "./fake-faults.ts";

/**
 * The fake's zones and DNS records, and the record operations with Cloudflare's rules: an identical record
 * (same type, name, content) cannot exist twice (81058); A/AAAA and CNAME cannot share a name (81053/81054);
 * several A records with one name but different contents are allowed (that is how duplicates arise).
 */

export interface FakeZone {
  id: string;
  name: string;
  status: "active";
  paused: false;
  type: "full";
  name_servers: string[];
  account: { id: string; name: string };
  plan: { name: string };
  created_on: string;
}

export interface FakeRecord {
  id: string;
  zone_id: string;
  zone_name: string;
  name: string;
  type: string;
  content: string;
  proxiable: boolean;
  proxied: boolean;
  ttl: number;
  comment: string | null;
  tags: string[];
  settings: Record<string, unknown>;
  meta: Record<string, unknown>;
  created_on: string;
  modified_on: string;
}

export type OpResult = { ok: true; record: FakeRecord } | { ok: false; answer: FakeAnswer };

export interface RecordSeed {
  zone?: string;
  name: string;
  type: string;
  content: string;
  ttl?: number;
  proxied?: boolean;
  comment?: string | null;
  tags?: string[];
  id?: string;
}

export function createFakeState(zoneNames: string[], rng: Rng) {
  const hex = () => Array.from({ length: 32 }, () => "0123456789abcdef"[Math.floor(rng() * 16)]).join("");
  const now = () => new Date().toISOString();
  const zones: FakeZone[] = zoneNames.map((name) => ({
    id: hex(),
    name: name.toLowerCase(),
    status: "active",
    paused: false,
    type: "full",
    name_servers: ["ana.ns.cloudflare.com", "bob.ns.cloudflare.com"],
    account: { id: "0123456789abcdef0123456789abcdef", name: "fake account" },
    plan: { name: "Free Website" },
    created_on: now(),
  }));
  let records: FakeRecord[] = [];

  const zoneById = (id: string) => zones.find((z) => z.id === id);
  const zoneFor = (name: string) => [...zones].sort((a, b) => b.name.length - a.name.length).find((z) => name === z.name || name.endsWith(`.${z.name}`));

  function conflict(candidate: FakeRecord, list: FakeRecord[]): FakeAnswer | undefined {
    const others = list.filter((r) => r.id !== candidate.id && r.zone_id === candidate.zone_id && r.name === candidate.name);
    if (others.some((r) => r.type === candidate.type && r.content === candidate.content)) return E.identical();
    const isAddress = candidate.type === "A" || candidate.type === "AAAA";
    if (isAddress && others.some((r) => r.type === "CNAME")) return E.cnameExists();
    if (candidate.type === "CNAME" && others.some((r) => r.type !== "TXT")) return E.addressExists();
    return undefined;
  }

  function build(zone: FakeZone, body: unknown, base?: FakeRecord, extra: string[] = []): OpResult {
    const read = readFields(body, extra);
    if (!read.ok) return read;
    const f = read.fields;
    if (!base && (f.type === undefined || f.name === undefined || f.content === undefined)) {
      return { ok: false, answer: E.validation("type, name and content are required") };
    }
    const type = (f.type ?? base!.type).toUpperCase();
    const proxied = f.proxied ?? base?.proxied ?? false;
    const record: FakeRecord = {
      id: base?.id ?? hex(),
      zone_id: zone.id,
      zone_name: zone.name,
      name: qualify(f.name ?? base!.name, zone.name),
      type,
      content: f.content ?? base!.content,
      proxiable: ["A", "AAAA", "CNAME"].includes(type),
      proxied,
      ttl: f.ttl ?? base?.ttl ?? 1,
      comment: f.comment !== undefined ? f.comment : (base?.comment ?? null),
      tags: f.tags ?? base?.tags ?? [],
      settings: base?.settings ?? {},
      meta: base?.meta ?? {},
      created_on: base?.created_on ?? now(),
      modified_on: now(),
    };
    const invalid = checkRecord(record);
    if (invalid) return { ok: false, answer: invalid };
    if (record.proxied) record.ttl = 1;
    return { ok: true, record };
  }

  /** Record operations on a working list, so that a batch can run them as one transaction. */
  function ops(list: FakeRecord[]) {
    const find = (zone: FakeZone, id: string) => list.findIndex((r) => r.id === id && r.zone_id === zone.id);
    return {
      create(zone: FakeZone, body: unknown): OpResult {
        const built = build(zone, body);
        if (!built.ok) return built;
        const clash = conflict(built.record, list);
        if (clash) return { ok: false, answer: clash };
        list.push(built.record);
        return built;
      },
      update(zone: FakeZone, id: string, body: unknown, replace: boolean, extra: string[] = []): OpResult {
        const i = find(zone, id);
        if (i < 0) return { ok: false, answer: E.recordMissing() };
        if (replace) {
          const f = readFields(body, extra);
          if (f.ok && (f.fields.type === undefined || f.fields.name === undefined || f.fields.content === undefined)) {
            return { ok: false, answer: E.validation("type, name and content are required") };
          }
        }
        const built = build(zone, body, list[i], extra);
        if (!built.ok) return built;
        const clash = conflict(built.record, list);
        if (clash) return { ok: false, answer: clash };
        list[i] = built.record;
        return built;
      },
      remove(zone: FakeZone, id: string): OpResult {
        const i = find(zone, id);
        if (i < 0) return { ok: false, answer: E.recordMissing() };
        const [removed] = list.splice(i, 1);
        return { ok: true, record: removed! };
      },
    };
  }

  return {
    zones,
    zoneById,
    zoneFor,
    records: () => records,
    ops: () => ops(records),
    /** Runs `fn` on a copy; the copy replaces the records only if `fn` says so (all or nothing). */
    transaction<T>(fn: (o: ReturnType<typeof ops>) => { commit: boolean; value: T }): T {
      const copy = records.map((r) => ({ ...r }));
      const { commit, value } = fn(ops(copy));
      if (commit) records = copy;
      return value;
    },
    seed(seed: RecordSeed): FakeRecord {
      const name = seed.name.toLowerCase();
      const zone = (seed.zone ? zones.find((z) => z.name === seed.zone) : undefined) ?? zoneFor(name);
      if (!zone) throw new Error(`fake Cloudflare: no zone for ${JSON.stringify(seed.name)}`);
      const { zone: _z, id, ...fields } = seed;
      const built = build(zone, { ...fields, ttl: fields.ttl ?? 1, proxied: fields.proxied ?? false });
      if (!built.ok) throw new Error(`fake Cloudflare: bad seed ${JSON.stringify(seed)}: ${JSON.stringify(built.answer.body)}`);
      if (id) built.record.id = id;
      records.push(built.record);
      return built.record;
    },
    /** Removes a record behind the API's back (a hand edit); false when there is no such record. */
    remove(id: string): boolean {
      const before = records.length;
      records = records.filter((r) => r.id !== id);
      return records.length < before;
    },
    clear(): void {
      records = [];
    },
    /** The zone deleted and added again (as in the dashboard): a new id, no records; the old id is unknown. */
    readdZone(name: string): FakeZone {
      const zone = zones.find((z) => z.name === name.toLowerCase());
      if (!zone) throw new Error(`fake Cloudflare: no zone ${JSON.stringify(name)}`);
      records = records.filter((r) => r.zone_id !== zone.id);
      zone.id = hex();
      return zone;
    },
  };
}

export type FakeState = ReturnType<typeof createFakeState>;
