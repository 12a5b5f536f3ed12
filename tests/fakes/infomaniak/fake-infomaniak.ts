import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { bearerToken, json, startFakeService, type FakeRequest, type FakeService, type Route } from "../kit/fake-service.ts";
import { createZoneStore, type StoredRecord, type ZoneStore } from "../kit/zone-store.ts";

/**
 * A strict fake of the DNS part of the Infomaniak API v2 (https://api.infomaniak.com), written on 2026-12-02 from
 * Infomaniak's API reference (developer.infomaniak.com/docs/api: Bearer tokens with scopes, the `{"result":
 * "success", "data"}` / `{"result": "error", "error": {"code", "description", "errors"}}` envelope, `GET
 * /2/zones/{zone}/exists`, `GET|POST /2/zones/{zone}/records`, `PUT|DELETE /2/zones/{zone}/records/{record}`) and
 * cross-checked against go-acme/lego providers/dns/infomaniak (zone walk by `exists`, `object_not_found`, create body
 * `{source, target, ttl, type}` answered with the record, delete answered `data: true`, scopes dns:read and
 * dns:write) and libdns/infomaniak v2 (`source` relative, "." at the apex; `PUT` of the whole record).
 * Left open, so the fake takes the strict side: unknown body fields, a TTL outside 60…86400, an A/AAAA target of
 * the wrong family and a changed type are 422 `validation_failed`; a token without dns:write gets 403 on writes;
 * listings are not paged (the reference shows none for records).
 */
export interface FakeInfomaniakOptions {
  /** token → its scopes. */
  tokens: Record<string, string[]>;
  zones: string[];
}

export interface FakeInfomaniak extends FakeService {
  store: ZoneStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, contents: string[], ttl?: number): void;
}

const CODES: Record<number, string> = { 400: "bad_request", 401: "not_authorized", 403: "forbidden", 404: "object_not_found", 405: "method_not_allowed", 415: "unsupported_media_type", 422: "validation_failed", 429: "too_many_requests" };
const error = (status: number, description: string) => json(status, { result: "error", error: { code: CODES[status] ?? "internal_error", description } });
const success = (data: unknown) => json(200, { result: "success", data });
const CREATE = v.strictObject({ source: v.string(), type: v.string(), target: v.string(), ttl: v.optional(v.pipe(v.number(), v.integer())) });
const UPDATE = v.strictObject({ source: v.optional(v.string()), type: v.optional(v.string()), target: v.string(), ttl: v.optional(v.pipe(v.number(), v.integer())) });

export async function startFakeInfomaniak(o: FakeInfomaniakOptions): Promise<FakeInfomaniak> {
  const store = createZoneStore(o.zones, (n) => String(32_800 + n));
  const source = (r: StoredRecord) => (r.name === r.zone ? "." : r.name.slice(0, -(r.zone.length + 1)));
  const shown = (r: StoredRecord) => ({ id: Number(r.id), source: source(r), source_idn: r.name, type: r.type, ttl: r.ttl, target: r.content, updated_at: 1_764_633_600 });
  const nameOf = (src: string, zone: string) => (src === "." ? zone : `${src.toLowerCase()}.${zone}`);
  const zoneOf = (req: FakeRequest) => (store.hasZone(req.params.zone!.toLowerCase()) ? req.params.zone!.toLowerCase() : error(404, "Object not found"));
  const mayWrite = (req: FakeRequest) => (o.tokens[bearerToken(req as unknown as Request) ?? ""] ?? []).includes("dns:write");
  const refused = (b: { source?: string; type?: string; target: string; ttl?: number | undefined }, type: string) => {
    if (b.ttl !== undefined && (b.ttl < 60 || b.ttl > 86_400)) return error(422, "Validation failed: ttl must be between 60 and 86400");
    if ((type === "A" && !isIPv4(b.target)) || (type === "AAAA" && !isIPv6(b.target))) return error(422, `Validation failed: invalid target for ${type}`);
    if (b.source !== undefined && b.source.endsWith(".") && b.source !== ".") return error(422, "Validation failed: source must be relative to the zone");
    return undefined;
  };
  const recordOf = (req: FakeRequest, zone: string) => {
    const held = store.byId(req.params.id!);
    return held && held.zone === zone ? held : error(404, "Object not found");
  };

  const routes: Route[] = [
    { method: "GET", path: "/2/zones/:zone/exists", handle: (req) => (zoneOf(req) instanceof Response ? error(404, "Object not found") : success(true)) },
    {
      method: "GET", path: "/2/zones/:zone/records", query: ["with"],
      handle(req) {
        const zone = zoneOf(req);
        return zone instanceof Response ? zone : success(store.records(zone).map(shown));
      },
    },
    {
      method: "POST", path: "/2/zones/:zone/records", body: CREATE, write: true,
      handle(req) {
        const zone = zoneOf(req);
        if (zone instanceof Response) return zone;
        if (!mayWrite(req)) return error(403, "The token has not the scope dns:write");
        const b = req.body as v.InferOutput<typeof CREATE>;
        return refused(b, b.type) ?? success(shown(store.add({ zone, name: nameOf(b.source, zone), type: b.type, content: b.target, ttl: b.ttl ?? 3600, extra: {} })));
      },
    },
    {
      method: "PUT", path: "/2/zones/:zone/records/:id", body: UPDATE, write: true,
      handle(req) {
        const zone = zoneOf(req);
        if (zone instanceof Response) return zone;
        if (!mayWrite(req)) return error(403, "The token has not the scope dns:write");
        const held = recordOf(req, zone);
        if (held instanceof Response) return held;
        const b = req.body as v.InferOutput<typeof UPDATE>;
        if (b.type !== undefined && b.type !== held.type) return error(422, "Validation failed: type cannot change");
        return refused(b, held.type) ?? success(shown(store.update(held.id, { content: b.target, ...(b.source !== undefined ? { name: nameOf(b.source, zone) } : {}), ...(b.ttl !== undefined ? { ttl: b.ttl } : {}) })!));
      },
    },
    {
      method: "DELETE", path: "/2/zones/:zone/records/:id", write: true,
      handle(req) {
        const zone = zoneOf(req);
        if (zone instanceof Response) return zone;
        if (!mayWrite(req)) return error(403, "The token has not the scope dns:write");
        const held = recordOf(req, zone);
        if (held instanceof Response) return held;
        store.remove(held.id);
        return success(true);
      },
    },
  ];

  const fake = await startFakeService({
    name: "Infomaniak API v2",
    basePath: "",
    error,
    routes,
    rateLimit: { limit: 1000, windowMs: 60_000, message: "Too many requests" },
    auth(req) {
      const scopes = o.tokens[bearerToken(req) ?? ""];
      if (!scopes) return error(401, "Authorization required");
      return scopes.includes("dns:read") ? undefined : error(403, "The token has not the scope dns:read");
    },
  });
  return {
    ...fake,
    store,
    read: (name, type) => store.read(name, type),
    edit(name, type, contents, ttl = 3600) {
      const zone = store.zoneOf(name);
      if (!zone) throw new Error(`fake Infomaniak: no zone holds ${JSON.stringify(name)}`);
      for (const r of store.find(zone, name, type)) store.remove(r.id);
      for (const content of contents) store.add({ zone, name, type, content, ttl, extra: {} });
    },
  };
}
