import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { json, startFakeService, type FakeService, type Route } from "../kit/fake-service.ts";
import { createRrsetStore, type RrsetStore, type StoredSet } from "../kit/rrset-store.ts";

/**
 * A strict fake of Spaceship's API v1 (https://spaceship.dev/api/v1), written on 2026-12-02 from Spaceship's
 * reference (docs.spaceship.dev: the `X-API-Key` and `X-API-Secret` headers; the permissions domains:read,
 * dnsrecords:read and dnsrecords:write; `GET /v1/domains` with `take` (1…100) and `skip` both required and `orderBy`,
 * answering `{items: [{name, unicodeName, …}], total}`; 300 domain-list requests per user in 300 seconds) and
 * cross-checked against go-acme/lego providers/dns/spaceship (internal client and fixtures: `GET`, `PUT` and
 * `DELETE /dns/records/{domain}`; PUT `{force, items: [{type, name, address, ttl}]}`, a TXT item `{type, name, value,
 * ttl}` (lego's internal/types.go `Record.Value` and fixtures/add_record-request.json, commit a25218db, read
 * 2026-12-02; Posh-ACME 4.34.0 Plugins/Spaceship.ps1 matches TXT records on `value` too); DELETE an array of records;
 * `{items, total}` listings with `group: {type: "custom"}`; the error body `{detail, data: [{field, details}]}`) and
 * qdm12/ddns-updater's spaceship provider (`take`/`skip` required on the record list too; 204 for PUT and DELETE;
 * 401 for wrong credentials; 404 `"SOA record for domain … not found."` for a domain without Spaceship DNS; 400 with
 * `data` for a refused body; PUT with `force: true` to change an address).
 * Left open by what could be read, so the fake picks the strict side and the provider the safe one:
 * - whether a PUT replaces records of the same name and type or adds beside them: the fake ADDS (an equal record
 *   only gets the new TTL), so a provider must DELETE the old address itself; a DELETE of a record that is not there
 *   is ignored (204). Record list pages hold at most 500 (`take` 1…500).
 * - the TTL range: 60…3600 (the reference's record schema); records keep a TTL each, the fake one per set.
 * - the refusal of missing or wrong headers (401) and of a missing permission (403), both `{detail}`; unknown body
 *   fields and query parameters are refused (400), as are names that are not lower case and relative ("@" the apex),
 *   and A/AAAA addresses of the wrong family.
 */
export interface FakeSpaceshipOptions {
  /** `key:secret` → what the key may do. */
  keys: Record<string, "write" | "read" | "dns-only">;
  zones: string[];
}

export interface FakeSpaceship extends FakeService {
  store: RrsetStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, values: string[], ttl?: number): void;
  set(name: string, type: string): StoredSet | undefined;
}

const error = (status: number, detail: string, data?: Array<{ field: string; details: string }>) =>
  json(status, { detail, ...(data ? { data } : {}) }, status === 429 ? { "Retry-After": "60" } : {});
const TTL = v.optional(v.pipe(v.number(), v.integer()));
// A and AAAA records carry `address`, TXT records `value` (lego's Record type and TXT fixtures; Posh-ACME).
const ITEM = v.variant("type", [
  v.strictObject({ type: v.picklist(["A", "AAAA"]), name: v.string(), address: v.string(), ttl: TTL }),
  v.strictObject({ type: v.literal("TXT"), name: v.string(), value: v.string(), ttl: TTL }),
]);
const SAVE = v.strictObject({ force: v.optional(v.boolean()), items: v.pipe(v.array(ITEM), v.minLength(1)) });
const REMOVE = v.pipe(v.array(v.variant("type", [
  v.strictObject({ type: v.picklist(["A", "AAAA"]), name: v.string(), address: v.string() }),
  v.strictObject({ type: v.literal("TXT"), name: v.string(), value: v.string() }),
])), v.minLength(1));
const valueOf = (it: { address: string } | { value: string }) => ("address" in it ? it.address : it.value);

/** `take` and `skip` as the reference requires them, or the refusal. */
function window(q: URLSearchParams, max: number): { take: number; skip: number } | Response {
  const take = Number(q.get("take") ?? NaN);
  const skip = Number(q.get("skip") ?? NaN);
  if (!Number.isInteger(take) || take < 1 || take > max) return error(400, "Validation failed", [{ field: "take", details: `take is required, 1…${max}` }]);
  if (!Number.isInteger(skip) || skip < 0) return error(400, "Validation failed", [{ field: "skip", details: "skip is required, 0 or more" }]);
  return { take, skip };
}

export async function startFakeSpaceship(o: FakeSpaceshipOptions): Promise<FakeSpaceship> {
  const store = createRrsetStore(o.zones);
  const grant = (req: { headers: Headers }) => o.keys[`${req.headers.get("x-api-key")}:${req.headers.get("x-api-secret")}`];
  const absolute = (name: string, zone: string) => (name === "@" ? zone : `${name}.${zone}`);
  const relative = (name: string, zone: string) => (name === zone ? "@" : name.slice(0, -(zone.length + 1)));
  const noDns = (zone: string) => error(404, `SOA record for domain ${zone} not found.`);
  const badName = (n: string, zone: string) => n !== n.toLowerCase() || n.endsWith(".") || n === zone || n.endsWith(`.${zone}`) || n === "";

  const routes: Route[] = [
    {
      method: "GET", path: "/domains", query: ["take", "skip", "orderBy"],
      handle: (req) => {
        if (grant(req) === "dns-only") return error(403, "The API key has no permission domains:read.");
        const w = window(req.query, 100);
        if (w instanceof Response) return w;
        const all = store.zones().sort();
        return json(200, { items: all.slice(w.skip, w.skip + w.take).map((name) => ({ name, unicodeName: name, isPremium: false, autoRenew: false, lifecycleStatus: "registered", nameservers: { provider: "basic", hosts: ["launch1.spaceship.net", "launch2.spaceship.net"] } })), total: all.length });
      },
    },
    {
      method: "GET", path: "/dns/records/:domain", query: ["take", "skip", "orderBy"],
      handle: (req) => {
        const zone = req.params.domain!;
        if (!store.hasZone(zone)) return noDns(zone);
        const w = window(req.query, 500);
        if (w instanceof Response) return w;
        const all = store.list(zone).flatMap((s) => s.records.map((r) => ({ type: s.type, name: relative(s.name, zone), ...(s.type === "TXT" ? { value: r.value } : { address: r.value }), ttl: s.ttl, group: { type: "custom" } })));
        return json(200, { items: all.slice(w.skip, w.skip + w.take), total: all.length });
      },
    },
    {
      method: "PUT", path: "/dns/records/:domain", body: SAVE, invalidStatus: 400, write: true,
      handle: (req) => {
        const zone = req.params.domain!;
        if (grant(req) === "read") return error(403, "The API key has no permission dnsrecords:write.");
        if (!store.hasZone(zone)) return noDns(zone);
        const items = (req.body as v.InferOutput<typeof SAVE>).items;
        const refused = items.flatMap((it, i) => {
          if (badName(it.name, zone)) return [{ field: `items[${i}].name`, details: "The name must be relative to the domain, in lower case" }];
          if ((it.ttl ?? 3600) < 60 || (it.ttl ?? 3600) > 3600) return [{ field: `items[${i}].ttl`, details: "TTL must be between 60 and 3600" }];
          if ("address" in it && ((it.type === "A" && !isIPv4(it.address)) || (it.type === "AAAA" && !isIPv6(it.address)))) return [{ field: `items[${i}].address`, details: `Invalid ${it.type} address` }];
          return [];
        });
        if (refused.length > 0) return error(400, "Validation failed", refused);
        for (const it of items) {
          const name = absolute(it.name, zone);
          const held = store.get(zone, name, it.type);
          const values = new Set([...(held?.records.map((r) => r.value) ?? []), valueOf(it)]);
          store.put({ zone, name, type: it.type, ttl: it.ttl ?? held?.ttl ?? 3600, records: [...values].map((value) => ({ value })) });
        }
        return new Response(null, { status: 204 });
      },
    },
    {
      method: "DELETE", path: "/dns/records/:domain", body: REMOVE, invalidStatus: 400, write: true,
      handle: (req) => {
        const zone = req.params.domain!;
        if (grant(req) === "read") return error(403, "The API key has no permission dnsrecords:write.");
        if (!store.hasZone(zone)) return noDns(zone);
        for (const it of req.body as v.InferOutput<typeof REMOVE>) {
          const held = store.get(zone, absolute(it.name, zone), it.type);
          if (held) store.put({ ...held, records: held.records.filter((r) => r.value !== valueOf(it)) });
        }
        return new Response(null, { status: 204 });
      },
    },
  ];

  const fake = await startFakeService({
    name: "Spaceship API v1",
    basePath: "/api/v1",
    error: (status, message) => (status === 400 || status === 422 ? error(400, "Validation failed", [{ field: "body", details: message }]) : error(status, message)),
    routes,
    auth: (req) => (grant(req) === undefined ? error(401, "Unauthorized: invalid API key or secret.") : undefined),
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
