import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { json, startFakeService, type FakeService, type Route } from "../kit/fake-service.ts";
import { createZoneStore, type StoredRecord, type ZoneStore } from "../kit/zone-store.ts";

/**
 * A strict fake of the LuaDNS REST API v1 (https://api.luadns.com/v1), written on 2026-12-02 from LuaDNS's reference
 * (luadns.com/api.html: HTTP Basic auth with the account e-mail and an API key, JSON only with `Accept:
 * application/json`, keys global or restricted to one zone, the `{"status", "request_id", "message"}` error body,
 * status codes 400/401/403/404/422/429/500, 1200 requests every 5 minutes, `limit`/`page` paging that is off by
 * default, `GET /zones` as an array of zones) and cross-checked against go-acme/lego providers/dns/luadns (internal
 * client and tests: `POST /zones/{id}/records` with `{name, type, content, ttl}`, absolute names with a trailing dot,
 * 200 with the record and its `id`/`zone_id`; `DELETE …/records/{id}`; a TTL floor of 300).
 * Left open by what could be read, so the fake is strict: `PUT /zones/{zone}/records/{id}` takes the same full body
 * as `POST`; unknown body fields, a missing `Accept`, a name outside the zone or without the trailing dot, a TTL below
 * 300 and an A/AAAA value of the wrong family are refused (422, or 400 for the header); a key restricted to a zone
 * sees only that zone in `GET /zones` and gets 403 elsewhere.
 */
export interface FakeLuadnsOptions {
  /** `email:key` → "global" or the one zone the key is restricted to. */
  keys: Record<string, "global" | string>;
  zones: string[];
  rateLimit?: { limit: number; windowMs: number };
}

export interface FakeLuadns extends FakeService {
  store: ZoneStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, contents: string[], ttl?: number): void;
}

const STATUS: Record<number, string> = { 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 415: "Unsupported Media Type", 422: "Unprocessable Entity", 429: "Too Many Requests" };
let requestId = 0;
const error = (status: number, message: string) => json(status, { status: STATUS[status] ?? "Internal Server Error", request_id: `req-${++requestId}`, message });
const BODY = v.strictObject({ name: v.string(), type: v.string(), content: v.string(), ttl: v.pipe(v.number(), v.integer()) });

export async function startFakeLuadns(o: FakeLuadnsOptions): Promise<FakeLuadns> {
  const store = createZoneStore(o.zones, (n) => String(500 + n));
  const zoneIds = new Map(o.zones.map((z, i) => [String(i + 1), z]));
  const idOf = (zone: string) => [...zoneIds].find(([, z]) => z === zone)![0];
  const shown = (r: StoredRecord) => ({ id: Number(r.id), name: `${r.name}.`, type: r.type, content: r.content, ttl: r.ttl, zone_id: Number(idOf(r.zone)), created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z" });
  const scopeOf = (req: { headers: Headers }) => {
    const [, b64] = /^Basic (\S+)$/.exec(req.headers.get("authorization") ?? "") ?? [];
    return b64 === undefined ? undefined : o.keys[Buffer.from(b64, "base64").toString("utf8")];
  };
  /** The zone of the path, if the key may touch it, or the refusal. */
  const zoneFor = (ref: string, req: { headers: Headers }) => {
    const zone = zoneIds.get(ref);
    if (!zone) return error(404, "Zone not found.");
    const scope = scopeOf(req);
    return scope === "global" || scope === zone ? zone : error(403, "API key is not allowed to access this zone.");
  };
  const refused = (zone: string, b: v.InferOutput<typeof BODY>) => {
    const name = b.name.toLowerCase();
    if (!name.endsWith(".") || !(name === `${zone}.` || name.endsWith(`.${zone}.`))) return error(422, `Name "${b.name}" must be a fully qualified name inside ${zone}.`);
    if (b.ttl < 300) return error(422, "TTL must be at least 300.");
    if ((b.type === "A" && !isIPv4(b.content)) || (b.type === "AAAA" && !isIPv6(b.content))) return error(422, `Invalid content for ${b.type} record.`);
    return undefined;
  };

  const routes: Route[] = [
    { method: "GET", path: "/zones", query: ["limit", "page", "query", "sort_by", "sort_order"], handle: (req) => json(200, [...zoneIds].filter(([, z]) => scopeOf(req) === "global" || scopeOf(req) === z).map(([id, name]) => ({ id: Number(id), name, synced: false, queries_count: 0, records_count: store.records(name).length, aliases_count: 0, redirects_count: 0, forwards_count: 0, template_id: 0 }))) },
    {
      method: "GET", path: "/zones/:zone/records", query: ["limit", "page", "query", "sort_by", "sort_order"],
      handle: (req) => {
        const zone = zoneFor(req.params.zone!, req);
        return zone instanceof Response ? zone : json(200, store.records(zone).map(shown));
      },
    },
    {
      method: "POST", path: "/zones/:zone/records", body: BODY, write: true,
      handle: (req) => {
        const zone = zoneFor(req.params.zone!, req);
        if (zone instanceof Response) return zone;
        const b = req.body as v.InferOutput<typeof BODY>;
        return refused(zone, b) ?? json(200, shown(store.add({ zone, name: b.name.toLowerCase().replace(/\.$/, ""), type: b.type, content: b.content, ttl: b.ttl, extra: {} })));
      },
    },
    {
      method: "PUT", path: "/zones/:zone/records/:id", body: BODY, write: true,
      handle: (req) => {
        const zone = zoneFor(req.params.zone!, req);
        if (zone instanceof Response) return zone;
        const held = store.byId(req.params.id!);
        if (!held || held.zone !== zone) return error(404, "Record not found.");
        const b = req.body as v.InferOutput<typeof BODY>;
        return refused(zone, b) ?? json(200, shown(store.update(held.id, { name: b.name.toLowerCase().replace(/\.$/, ""), type: b.type, content: b.content, ttl: b.ttl })!));
      },
    },
    {
      method: "DELETE", path: "/zones/:zone/records/:id", write: true,
      handle: (req) => {
        const zone = zoneFor(req.params.zone!, req);
        if (zone instanceof Response) return zone;
        const held = store.byId(req.params.id!);
        if (!held || held.zone !== zone) return error(404, "Record not found.");
        store.remove(held.id);
        return json(200, shown(held));
      },
    },
  ];

  const fake = await startFakeService({
    name: "LuaDNS API v1",
    basePath: "/v1",
    error: (status, message) => error(status === 400 ? 422 : status, message),
    routes,
    rateLimit: { ...(o.rateLimit ?? { limit: 1200, windowMs: 300_000 }), message: "Rate limit exceeded." },
    auth(req) {
      if (scopeOf(req) === undefined) return error(401, "Invalid username or API key.");
      return /application\/json/.test(req.headers.get("accept") ?? "") ? undefined : error(400, "The Accept header must be application/json.");
    },
  });
  return {
    ...fake,
    store,
    read: (name, type) => store.read(name, type),
    edit(name, type, contents, ttl = 3600) {
      const zone = store.zoneOf(name);
      if (!zone) throw new Error(`fake LuaDNS: no zone holds ${JSON.stringify(name)}`);
      for (const r of store.find(zone, name, type)) store.remove(r.id);
      for (const content of contents) store.add({ zone, name, type, content, ttl, extra: {} });
    },
  };
}
