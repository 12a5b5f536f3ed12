import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { json, startFakeService, type FakeService, type FakeServiceOptions, type Route } from "../kit/fake-service.ts";
import { createZoneStore, type ZoneStore } from "../kit/zone-store.ts";

/**
 * A strict fake of the GoDaddy Domains API v1 (domain list, records by type and name), written from GoDaddy's
 * documentation as read on 2026-12-02: the endpoint reference developer.godaddy.com/doc/endpoint/domains
 * (recordGet, recordReplaceTypeName, list with `statuses`, `limit`, `marker`) as go-acme/lego's client follows it
 * (providers/dns/godaddy/internal: `sso-key KEY:SECRET`, `GET`/`PUT /v1/domains/{domain}/records/{type}/{name}`, the
 * record `{ data, name, ttl, type, … }`, the error `{ code, message, fields[{ code, message, path }] }` and its
 * fixture `ACCESS_DENIED` "Authenticated user is not allowed access").
 * - Auth: a wrong or missing key is 401 `UNABLE_TO_AUTHENTICATE`; an account GoDaddy does not open the API to is 403
 *   `ACCESS_DENIED` (`denied`). A domain not in the account: 404 `UNKNOWN_DOMAIN`.
 * - A PUT replaces every record of (type, name) with the array sent; names are relative, `@` the apex. A DELETE
 *   (recordDeleteTypeName) removes them all: 204, or 404 `NOT_FOUND` when there are none.
 * - Rate limit: 60 requests a minute; past it, 429 `TOO_MANY_REQUESTS` with `retryAfterSec`.
 * Left open or stricter than documented: the TTL bounds (the fake refuses below 600, 422 `INVALID_BODY`), an empty
 * PUT array and unknown fields (refused, 422), unknown query parameters (refused, 400).
 */
export interface FakeGoDaddyOptions {
  /** key → secret. */
  keys: Record<string, string>;
  zones: string[];
  denied?: boolean;
  rateLimit?: { limit: number; windowMs: number };
  extra?: FakeServiceOptions["extra"];
}

export interface FakeGoDaddy extends FakeService {
  store: ZoneStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, contents: string[], ttl?: number): void;
}

const CODES: Record<number, string> = { 400: "INVALID_QUERY", 401: "UNABLE_TO_AUTHENTICATE", 403: "ACCESS_DENIED", 404: "UNKNOWN_DOMAIN", 405: "METHOD_NOT_ALLOWED", 415: "UNSUPPORTED_MEDIA_TYPE", 422: "INVALID_BODY", 429: "TOO_MANY_REQUESTS" };
const error = (status: number, message: string, fields?: Array<{ code: string; message: string; path: string }>) =>
  json(status, { code: CODES[status] ?? "INTERNAL_SERVER_ERROR", message, ...(fields ? { fields } : {}), ...(status === 429 ? { retryAfterSec: 30 } : {}) });
const TYPES = ["A", "AAAA", "CNAME", "MX", "NS", "SOA", "SRV", "TXT", "CAA"];
const Item = v.strictObject({ data: v.string(), ttl: v.optional(v.pipe(v.number(), v.integer())), port: v.optional(v.number()), priority: v.optional(v.number()), protocol: v.optional(v.string()), service: v.optional(v.string()), weight: v.optional(v.number()) });
const PutBody = v.pipe(v.array(Item), v.minLength(1, "at least one record is required"));

export async function startFakeGoDaddy(o: FakeGoDaddyOptions): Promise<FakeGoDaddy> {
  const store = createZoneStore(o.zones);
  const relative = (name: string, zone: string) => (name === zone ? "@" : name.slice(0, -(zone.length + 1)));
  const absolute = (name: string, zone: string) => (name === "@" ? zone : `${name}.${zone}`.toLowerCase());
  const records = (p: Record<string, string>) => {
    const zone = p.domain!.toLowerCase();
    if (!store.hasZone(zone)) return error(404, "The given domain is not registered, or does not have a zone file");
    if (!TYPES.includes(p.type!)) return error(422, "type is not a supported record type", [{ code: "UNEXPECTED_TYPE", message: "type is not a supported record type", path: "type" }]);
    return { zone, name: absolute(p.name!, zone), type: p.type! };
  };

  const routes: Route[] = [
    {
      method: "GET",
      path: "/domains",
      query: ["statuses", "limit", "marker"],
      handle: ({ query }) => {
        const limit = Number(query.get("limit") ?? 1000);
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return error(400, "limit must be between 1 and 1000");
        const marker = query.get("marker");
        const after = store.zones().sort().filter((z) => marker === null || z > marker);
        return json(200, after.slice(0, limit).map((domain, i) => ({ domain, domainId: 1000 + i, status: "ACTIVE" })));
      },
    },
    {
      method: "GET",
      path: "/domains/:domain/records/:type/:name",
      handle: ({ params }) => {
        const at = records(params);
        if (at instanceof Response) return at;
        return json(200, store.find(at.zone, at.name, at.type).map((r) => ({ data: r.content, name: relative(r.name, r.zone), ttl: r.ttl, type: r.type })));
      },
    },
    {
      method: "PUT",
      path: "/domains/:domain/records/:type/:name",
      body: PutBody,
      write: true,
      handle: ({ params, body }) => {
        const at = records(params);
        if (at instanceof Response) return at;
        const items = body as v.InferOutput<typeof PutBody>;
        const bad = items.findIndex((i) => (i.ttl !== undefined && i.ttl < 600) || (at.type === "A" && !isIPv4(i.data)) || (at.type === "AAAA" && !isIPv6(i.data)));
        if (bad >= 0) return error(422, "Request body doesn't fulfill schema, see details in `fields`", [{ code: "INVALID_VALUE", message: "ttl must be at least 600 and data an address of the type", path: `records[${bad}]` }]);
        for (const r of store.find(at.zone, at.name, at.type)) store.remove(r.id);
        for (const i of items) store.add({ zone: at.zone, name: at.name, type: at.type, content: i.data, ttl: i.ttl ?? 3600, extra: {} });
        return new Response(null, { status: 200 });
      },
    },
    {
      method: "DELETE",
      path: "/domains/:domain/records/:type/:name",
      write: true,
      handle: ({ params }) => {
        const at = records(params);
        if (at instanceof Response) return at;
        const held = store.find(at.zone, at.name, at.type);
        if (held.length === 0) return error(404, "Record not found");
        for (const r of held) store.remove(r.id);
        return new Response(null, { status: 204 });
      },
    },
  ];

  const fake = await startFakeService({
    name: "GoDaddy API v1",
    basePath: "/v1",
    error: (status, message) => error(status, message),
    routes,
    rateLimit: { ...(o.rateLimit ?? { limit: 60, windowMs: 60_000 }), message: "Too many requests received within interval" },
    ...(o.extra ? { extra: o.extra } : {}),
    auth(req) {
      const m = /^sso-key ([^:\s]+):(\S+)$/.exec(req.headers.get("authorization") ?? "");
      if (!m || o.keys[m[1]!] !== m[2]) return error(401, "Unable to authenticate your request");
      return o.denied ? error(403, "Authenticated user is not allowed access") : undefined;
    },
  });
  return {
    ...fake,
    store,
    read: (name, type) => store.read(name, type),
    edit(name, type, contents, ttl = 3600) {
      const zone = store.zoneOf(name);
      if (!zone) throw new Error(`fake GoDaddy: no domain holds ${JSON.stringify(name)}`);
      for (const r of store.find(zone, name, type)) store.remove(r.id);
      for (const content of contents) store.add({ zone, name, type, content, ttl, extra: {} });
    },
  };
}
