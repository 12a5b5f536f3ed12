import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { json, startFakeService, type FakeService, type Route } from "../kit/fake-service.ts";
import { servePage } from "../kit/pagination.ts";
import { createRrsetStore, type RrsetStore, type StoredSet } from "../kit/rrset-store.ts";
import { txtProblem } from "../kit/txt-presentation.ts";

/**
 * A strict fake of Scaleway's Domains and DNS API v2beta1 (https://api.scaleway.com/domain/v2beta1), written on
 * 2026-12-02 from Scaleway's official Go SDK, which is generated from the API definition: scaleway/scaleway-sdk-go
 * at 2c5cd81b of 2026-08-20 (api/domain/v2beta1/domain_sdk.go: ListDNSZones, ListDNSZoneRecords, UpdateDNSZoneRecords
 * and their types; scw/errors.go: the error bodies; scw/config.go: the secret key goes in `X-Auth-Token`).
 * - Auth: `X-Auth-Token: <secret key>`; none or unknown: 401 `{"message": "authentication is denied", "method":
 *   "api_key", "reason": "invalid_argument"|"not_found", "type": "denied_authentication"}`; a key whose policy only
 *   reads: 403 `{"type": "permissions_denied", "details": [{"resource", "action"}]}` on writes.
 * - `GET /dns-zones` (`page`, `page_size`, filters): `{dns_zones: [{domain, subdomain, …}], total_count}`.
 * - `GET /dns-zones/{zone}/records` (`name`, `type`, `id`, `page`, `page_size`): `{records: [{id, data, name, priority,
 *   ttl, type, comment, …}], total_count}`; names relative to the zone, "" the apex. An unknown zone: 404 `not_found`.
 * - `PATCH /dns-zones/{zone}/records` `{changes: [{add: {records}} | {set: {id | id_fields: {name, type, data?, ttl?},
 *   records}} | {delete: {id | id_fields}} | {clear: {}}], return_all_records?, disallow_new_zone_creation?, serial?}`
 *   ("precisely one of id, id_fields"): `{records}`.
 * Left open by the SDK, so the fake picks the strict side: a PATCH is applied whole or not at all; a `set` or `delete`
 * that matches nothing is 404 `not_found` (resource "record"); unknown fields are refused (400 `invalid_arguments`
 * with `details`), as are a TTL below 60, names not lower case and relative, and A/AAAA values of the wrong family.
 * Scaleway documents no request budget figures; its 429 is tested with the kit's faults.
 * TXT data (looked up 2026-12-02): zone-file syntax, quoted — go-acme/lego providers/dns/scaleway writes `Data:
 * fmt.Sprintf("%q", value)` for an add and names the record by the same quoted data for a delete. The fake refuses
 * data that is not quoted character-strings of at most 255 characters (400 `invalid_arguments`, its own choice).
 */
export interface FakeScalewayOptions {
  keys: Record<string, "write" | "read">;
  /** Zones by full name; `lab.example.com` is served as subdomain "lab" of "example.com" when that zone exists too. */
  zones: string[];
  maxPerPage?: number;
}

export interface FakeScaleway extends FakeService {
  store: RrsetStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, values: string[], ttl?: number): void;
  set(name: string, type: string): StoredSet | undefined;
}

const invalid = (argument: string, help: string) => json(400, { message: "invalid argument(s)", type: "invalid_arguments", details: [{ argument_name: argument, reason: "constraint", help_message: help }] });
const notFound = (resource: string, id: string) => json(404, { message: "resource is not found", resource, resource_id: id, type: "not_found" });
const RECORD = v.strictObject({ data: v.string(), name: v.string(), priority: v.optional(v.number()), ttl: v.number(), type: v.string(), comment: v.optional(v.string()), id: v.optional(v.string()) });
const IDF = v.strictObject({ name: v.string(), type: v.string(), data: v.optional(v.string()), ttl: v.optional(v.number()) });
const CHANGE = v.union([
  v.strictObject({ add: v.strictObject({ records: v.array(RECORD) }) }),
  v.strictObject({ set: v.strictObject({ id_fields: IDF, records: v.array(RECORD) }) }),
  v.strictObject({ delete: v.strictObject({ id_fields: IDF }) }),
]);
const PATCH = v.strictObject({ changes: v.array(CHANGE), return_all_records: v.optional(v.boolean()), disallow_new_zone_creation: v.optional(v.boolean()), serial: v.optional(v.number()) });
type Rec = v.InferOutput<typeof RECORD>;

export async function startFakeScaleway(o: FakeScalewayOptions): Promise<FakeScaleway> {
  const store = createRrsetStore(o.zones);
  const rules = { defaultPerPage: 20, maxPerPage: o.maxPerPage ?? 100, perPageParam: "page_size" };
  const split = (zone: string) => {
    const parent = o.zones.filter((z) => z !== zone && zone.endsWith(`.${z}`)).sort((a, b) => b.length - a.length)[0];
    return parent ? { domain: parent, subdomain: zone.slice(0, -(parent.length + 1)) } : { domain: zone, subdomain: "" };
  };
  const rel = (s: StoredSet) => (s.name === s.zone ? "" : s.name.slice(0, -(s.zone.length + 1)));
  const shown = (s: StoredSet) => s.records.map((r) => ({ id: `rec-${s.zone}-${rel(s)}-${s.type}-${r.value}`, data: r.value, name: rel(s), priority: 0, ttl: s.ttl, type: s.type, comment: r.comment ?? null, updated_at: "2026-01-01T00:00:00Z" }));
  const checkRecord = (r: Rec, zone: string) => {
    if (r.name !== r.name.toLowerCase() || r.name.endsWith(".") || r.name === zone || r.name.endsWith(`.${zone}`) || r.name === "@") return invalid("name", "the name must be lower case and relative to the zone (empty for the apex)");
    if (r.ttl < 60) return invalid("ttl", "the TTL must be at least 60");
    if ((r.type === "A" && !isIPv4(r.data)) || (r.type === "AAAA" && !isIPv6(r.data))) return invalid("data", `${JSON.stringify(r.data)} is not a valid ${r.type} value`);
    const unquoted = r.type === "TXT" ? txtProblem(r.data) : undefined;
    if (unquoted) return invalid("data", unquoted);
    return undefined;
  };
  const absolute = (name: string, zone: string) => (name === "" ? zone : `${name}.${zone}`);

  const routes: Route[] = [
    {
      method: "GET", path: "/dns-zones", query: ["page", "page_size", "organization_id", "project_id", "order_by", "domain", "dns_zone", "dns_zones"],
      handle: (req) => {
        const page = servePage(store.zones(), new URL(`http://x/?${req.query}`), rules);
        if ("invalid" in page) return invalid("page", page.invalid);
        return json(200, { dns_zones: page.items.map((z) => ({ ...split(z), ns: ["ns0.dom.scw.cloud"], ns_default: ["ns0.dom.scw.cloud"], ns_master: [], status: "active", message: null, updated_at: "2026-01-01T00:00:00Z", project_id: "p-1", linked_products: [] })), total_count: page.total });
      },
    },
    {
      method: "GET", path: "/dns-zones/:zone/records", query: ["page", "page_size", "name", "type", "id", "project_id", "order_by"],
      handle: (req) => {
        const zone = req.params.zone!;
        if (!store.hasZone(zone)) return notFound("dns_zone", zone);
        const name = req.query.get("name");
        const type = req.query.get("type");
        const all = store.list(zone).filter((s) => (name === null || rel(s) === name) && (type === null || s.type === type)).flatMap(shown);
        const page = servePage(all, new URL(`http://x/?${req.query}`), rules);
        return "invalid" in page ? invalid("page", page.invalid) : json(200, { records: page.items, total_count: page.total });
      },
    },
    {
      method: "PATCH", path: "/dns-zones/:zone/records", body: PATCH, invalidStatus: 400, write: true,
      handle: (req) => {
        const zone = req.params.zone!;
        if (!store.hasZone(zone)) return notFound("dns_zone", zone);
        const { changes } = req.body as v.InferOutput<typeof PATCH>;
        // Applied to a copy first: the whole PATCH or nothing.
        const next = new Map(store.list(zone).map((s) => [`${s.name} ${s.type}`, { ...s, records: [...s.records] }]));
        const touched: StoredSet[] = [];
        for (const c of changes) {
          const records = "add" in c ? c.add.records : "set" in c ? c.set.records : [];
          for (const r of records) {
            const refused = checkRecord(r, zone);
            if (refused) return refused;
          }
          if ("delete" in c || "set" in c) {
            const id = "set" in c ? c.set.id_fields : c.delete.id_fields;
            const key = `${absolute(id.name, zone)} ${id.type}`;
            if (!next.has(key)) return notFound("record", `${id.name}/${id.type}`);
            next.delete(key);
          }
          for (const r of records) {
            const key = `${absolute(r.name, zone)} ${r.type}`;
            const held = next.get(key) ?? { zone, name: absolute(r.name, zone), type: r.type, ttl: r.ttl, records: [] };
            if (!held.records.some((x) => x.value === r.data)) held.records.push({ value: r.data, ...(r.comment ? { comment: r.comment } : {}) });
            held.ttl = r.ttl;
            next.set(key, held);
            touched.push(held);
          }
        }
        for (const s of store.list(zone)) store.remove(zone, s.name, s.type);
        for (const s of next.values()) store.put(s);
        return json(200, { records: [...new Set(touched)].flatMap(shown) });
      },
    },
  ];

  const fake = await startFakeService({
    name: "Scaleway Domains and DNS v2beta1",
    basePath: "/domain/v2beta1",
    error: (status, message) => (status === 404 ? notFound("route", message) : status === 400 || status === 422 ? invalid("body", message) : json(status, { message, type: status === 429 ? "too_many_requests" : "unknown" })),
    routes,
    auth(req) {
      const key = req.headers.get("x-auth-token");
      const grant = key === null ? undefined : o.keys[key];
      if (grant === undefined) return json(401, { message: "authentication is denied", method: "api_key", reason: key === null ? "invalid_argument" : "not_found", type: "denied_authentication" });
      return grant === "read" && req.method !== "GET" ? json(403, { message: "insufficient permissions", type: "permissions_denied", details: [{ resource: "dns_zone", action: "write" }] }) : undefined;
    },
  });
  return {
    ...fake,
    store,
    read: (name, type) => store.read(name, type),
    edit: (name, type, values, ttl) => store.edit(name, type, values, ttl),
    set: (name, type) => {
      const zone = store.zoneOf(name);
      return zone ? store.get(zone, name, type) : undefined;
    },
  };
}
