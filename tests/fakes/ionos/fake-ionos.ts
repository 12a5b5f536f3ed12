import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { json, startFakeService, type FakeService, type Route } from "../kit/fake-service.ts";
import { createRrsetStore, type RrsetStore, type StoredSet } from "../kit/rrset-store.ts";

/**
 * A strict fake of the IONOS DNS API (https://api.hosting.ionos.com/dns/v1), written on 2026-12-02 from what could be
 * read of IONOS's developer documentation (developer.hosting.ionos.com: `X-API-Key: <public prefix>.<secret>`) as its
 * clients encode it: go-acme/lego providers/dns/ionos (internal/client.go and types.go: `GET /v1/zones` → `[{id, name,
 * type}]`; `GET /v1/zones/{id}` with `suffix`, `recordName`, `recordType` → `{id, name, type, records: [{id, name,
 * rootName, type, content, changeDate, ttl, prio, disabled}]}` with absolute names; `PATCH /v1/zones/{id}` with a list
 * of records, replacing those of the same name and type, 200; `DELETE …/records/{id}`; errors as a list of `{code,
 * message}`, e.g. 401 `[{"code": "UNAUTHORIZED", "message": "The customer is not authorized to do this operation."}]`;
 * "ttl: recommended 3600").
 * `DELETE /v1/zones/{zoneId}/records/{recordId}` (lego's RemoveRecord) deletes one record: 200, no body.
 * Left open by those sources, so the fake picks the strict side: unknown query parameters and body fields are refused
 * (400 `[{"code": "INVALID_REQUEST"}]`), as are names outside the zone, upper case or with a trailing dot, and A/AAAA
 * contents of the wrong family (400 `INVALID_RECORD`); an unknown zone is 404 `[{"code": "ZONE_NOT_FOUND"}]`, a spent budget 429 `TOO_MANY_REQUESTS`; a
 * PATCH answers 200 with no body; a disabled record is kept as it is by reads and removed by a PATCH of its set.
 */
export interface FakeIonosOptions {
  /** `prefix.secret` → granted. */
  keys: string[];
  zones: string[];
}

export interface FakeIonos extends FakeService {
  store: RrsetStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, values: string[], ttl?: number): void;
  set(name: string, type: string): StoredSet | undefined;
  /** Records that are held but not served (`disabled: true`), by "name type". */
  disabled: Map<string, string[]>;
}

const error = (status: number, code: string, message: string) => json(status, [{ code, message }]);
const RECORD = v.strictObject({ name: v.string(), type: v.string(), content: v.string(), ttl: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))), prio: v.optional(v.number()), disabled: v.optional(v.boolean()) });

export async function startFakeIonos(o: FakeIonosOptions): Promise<FakeIonos> {
  const store = createRrsetStore(o.zones);
  const ids = new Map(o.zones.map((z, i) => [`0000000${i + 1}-ebba-11e9-8df5-66fbe8a334b4`, z]));
  const disabled = new Map<string, string[]>();
  // Record ids stay the same while a record exists (a DELETE by id leaves the others' ids as they were).
  const recordIds = new Map<string, string>();
  const idOf = (name: string, type: string, value: string) => {
    const k = `${name} ${type} ${value}`;
    if (!recordIds.has(k)) recordIds.set(k, `22af3414-abbe-9e11-5df5-${String(recordIds.size + 1).padStart(12, "0")}`);
    return recordIds.get(k)!;
  };
  const shown = (s: StoredSet) => s.records.map((r) => ({ id: idOf(s.name, s.type, r.value), name: s.name, rootName: s.zone, type: s.type, content: r.value, changeDate: "2026-01-01T00:00:00.000Z", ttl: s.ttl, prio: 0, disabled: false }));
  const hidden = (zone: string) => [...disabled].filter(([k]) => store.zoneOf(k.split(" ")[0]!) === zone).flatMap(([k, values]) => values.map((content) => ({ id: `${k}-off-${content}`, name: k.split(" ")[0], rootName: zone, type: k.split(" ")[1], content, changeDate: "2026-01-01T00:00:00.000Z", ttl: 3600, prio: 0, disabled: true })));

  const routes: Route[] = [
    { method: "GET", path: "/zones", query: [], handle: () => json(200, [...ids].map(([id, name]) => ({ name, id, type: "NATIVE" }))) },
    {
      method: "GET", path: "/zones/:id", query: ["suffix", "recordName", "recordType"],
      handle: ({ params, query }) => {
        const zone = ids.get(params.id!);
        if (!zone) return error(404, "ZONE_NOT_FOUND", "Zone not found.");
        const name = query.get("recordName");
        const types = query.get("recordType")?.split(",");
        const records = [...store.list(zone).flatMap(shown), ...hidden(zone)].filter((r) => (name === null || r.name === name) && (types === undefined || types.includes(r.type!)));
        return json(200, { id: params.id, name: zone, type: "NATIVE", records });
      },
    },
    {
      method: "PATCH", path: "/zones/:id", body: v.array(RECORD), invalidStatus: 400, write: true,
      handle: ({ params, body }) => {
        const zone = ids.get(params.id!);
        if (!zone) return error(404, "ZONE_NOT_FOUND", "Zone not found.");
        const records = body as Array<v.InferOutput<typeof RECORD>>;
        for (const r of records) {
          if (r.name !== r.name.toLowerCase() || r.name.endsWith(".") || !(r.name === zone || r.name.endsWith(`.${zone}`))) return error(400, "INVALID_RECORD", `Record name ${JSON.stringify(r.name)} is not in zone ${zone}.`);
          if ((r.type === "A" && !isIPv4(r.content)) || (r.type === "AAAA" && !isIPv6(r.content))) return error(400, "INVALID_RECORD", `Invalid content for ${r.type} record.`);
        }
        const sets = new Map<string, StoredSet>();
        for (const r of records) {
          const key = `${r.name} ${r.type}`;
          const set = sets.get(key) ?? { zone, name: r.name, type: r.type, ttl: r.ttl ?? 3600, records: [] };
          set.records.push({ value: r.content });
          sets.set(key, set);
        }
        for (const [key, set] of sets) {
          disabled.delete(key);
          store.remove(zone, set.name, set.type);
          store.put(set);
        }
        return new Response(null, { status: 200 });
      },
    },
    {
      // DELETE …/records/{recordId}: one record goes (200, no body); 404 RECORD_NOT_FOUND for an id the zone lacks.
      method: "DELETE", path: "/zones/:id/records/:record", query: [], write: true,
      handle: ({ params, text }) => {
        const zone = ids.get(params.id!);
        if (!zone) return error(404, "ZONE_NOT_FOUND", "Zone not found.");
        if (text.length > 0) return error(400, "INVALID_REQUEST", "A DELETE takes no body.");
        const set = store.list(zone).find((s) => shown(s).some((r) => r.id === params.record));
        if (!set) return error(404, "RECORD_NOT_FOUND", "Record not found.");
        store.put({ ...set, records: set.records.filter((r) => idOf(set.name, set.type, r.value) !== params.record) });
        return new Response(null, { status: 200 });
      },
    },
  ];

  const fake = await startFakeService({
    name: "IONOS DNS API",
    basePath: "/dns/v1",
    error: (status, message) => error(status, status === 404 ? "NOT_FOUND" : status === 429 ? "TOO_MANY_REQUESTS" : "INVALID_REQUEST", message),
    routes,
    auth: (req) => (o.keys.includes(req.headers.get("x-api-key") ?? "") ? undefined : error(401, "UNAUTHORIZED", "The customer is not authorized to do this operation.")),
  });
  return {
    ...fake,
    store,
    disabled,
    read: (name, type) => store.read(name, type),
    edit: (name, type, values, ttl) => store.edit(name, type, values, ttl),
    set: (name, type) => {
      const zone = store.zoneOf(name);
      return zone ? store.get(zone, name, type) : undefined;
    },
  };
}
