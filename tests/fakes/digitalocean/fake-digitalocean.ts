import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { bearerToken, json, startFakeService, type FakeService, type FakeServiceOptions, type Route } from "../kit/fake-service.ts";
import { servePage } from "../kit/pagination.ts";
import { createZoneStore, relative, type StoredRecord, type ZoneStore } from "../kit/zone-store.ts";

/**
 * A strict fake of the DigitalOcean API v2, domains and domain records, written from DigitalOcean's documentation
 * as read on 2026-12-02: the official OpenAPI specification (github.com/digitalocean/openapi at 7c1300c4 of
 * 2026-08-07: specification/resources/domains/*, shared/parameters.yml, pages.yml, meta.yml, headers.yml,
 * responses/*, and description.yml's "HTTP Statuses", "Links & Pagination" and "Rate Limit"), the scopes pages
 * (docs.digitalocean.com/reference/api/scopes) and the TTL glossary ("a minimum TTL value of 30 seconds").
 * - Auth: `Authorization: Bearer <token>`, else 401 `{"id":"unauthorized","message":"Unable to authenticate you"}`;
 *   each operation needs its scope (GET domain:read; POST domain:create or :update; PATCH/PUT domain:update;
 *   DELETE domain:delete or :update), else 403 `forbidden`. Every error is `{ id, message }`.
 * - Records: integer ids, `name` relative to the domain ("@" the apex; a name sent fully qualified is taken as
 *   relative, as the API does), `data`, `ttl` (at least 30, 1800 when not given); null for unused fields; three
 *   NS records at each apex. Filters `type` (its enum) and `name` (fully qualified: a relative one matches nothing).
 * - Pages: `page`, `per_page` (default 20, at most 200 — `maxPerPage` lowers it so tests page), `links.pages`
 *   with only the links that make sense, `meta.total`.
 * - Rate limit: `ratelimit-limit`/`-remaining`/`-reset` (Unix seconds) on every answer; past the budget, 429
 *   `too_many_requests`.
 * Stricter than documented (the docs are silent): an unknown query parameter is refused (400), a body with an
 * unknown field or a wrong type is refused (422 `unprocessable_entity`), a PATCH must not change the type.
 */
export const DO_SCOPES = ["domain:read", "domain:create", "domain:update", "domain:delete"] as const;

export interface FakeDigitalOceanOptions {
  /** Token → its scopes (all four domain scopes by default). */
  tokens: Record<string, readonly string[] | "all">;
  zones: string[];
  maxPerPage?: number;
  rateLimit?: { limit: number; windowMs: number };
  extra?: FakeServiceOptions["extra"];
}

export interface FakeDigitalOcean extends FakeService {
  store: ZoneStore;
  /** Contents held for (name, type), sorted. */
  read(name: string, type: string): string[];
  /** Replaces what (name, type) holds, by hand (as an edit in the control panel would). */
  edit(name: string, type: string, contents: string[], ttl?: number): void;
}

const IDS: Record<number, string> = { 400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 415: "unsupported_media_type", 422: "unprocessable_entity", 429: "too_many_requests", 500: "server_error" };
const error = (status: number, message: string) => json(status, { id: IDS[status] ?? "server_error", message });
const TYPES = ["A", "AAAA", "CAA", "CNAME", "MX", "NS", "SOA", "SRV", "TXT"] as const;
const NEEDS: Record<string, string[]> = { GET: ["domain:read"], POST: ["domain:create", "domain:update"], PATCH: ["domain:update"], PUT: ["domain:update"], DELETE: ["domain:delete", "domain:update"] };

/** A record name as sent (relative, "@" the apex) made absolute: a fully qualified one gets the domain again. */
const fqdn = (name: string, zone: string) => (name === "@" ? zone : `${name}.${zone}`.toLowerCase());
const nullable = <T extends v.GenericSchema>(schema: T) => v.optional(v.nullable(schema));
const fields = {
  name: v.string(),
  data: v.string(),
  ttl: v.optional(v.pipe(v.number(), v.integer(), v.minValue(30, "ttl must be at least 30"))),
  priority: nullable(v.number()),
  port: nullable(v.number()),
  weight: nullable(v.number()),
  flags: nullable(v.number()),
  tag: nullable(v.string()),
};
const CreateBody = v.strictObject({ type: v.picklist(TYPES), ...fields });
const UpdateBody = v.strictObject({ type: v.picklist(TYPES), ...v.partial(v.object(fields)).entries });

export async function startFakeDigitalOcean(o: FakeDigitalOceanOptions): Promise<FakeDigitalOcean> {
  const store = createZoneStore(o.zones, (n) => String(3_352_895 + n));
  for (const zone of o.zones) for (const ns of [1, 2, 3]) store.add({ zone, name: zone, type: "NS", content: `ns${ns}.digitalocean.com`, ttl: 1800, extra: {} });
  const pages = { defaultPerPage: 20, maxPerPage: Math.min(o.maxPerPage ?? 200, 200) };
  const shown = (r: StoredRecord) => ({ id: Number(r.id), type: r.type, name: relative(r.name, r.zone), data: r.content, priority: null, port: null, ttl: r.ttl, weight: null, flags: null, tag: null });
  const listing = <T>(key: string, items: readonly T[], url: string) => {
    const page = servePage(items, new URL(url), pages);
    return "invalid" in page ? error(400, page.invalid) : json(200, { [key]: page.items, links: Object.keys(page.links).length ? { pages: page.links } : {}, meta: { total: page.total } });
  };
  const badData = (type: string, data: string | undefined) =>
    (type === "A" && data !== undefined && !isIPv4(data)) || (type === "AAAA" && data !== undefined && !isIPv6(data)) ? error(422, `data ${JSON.stringify(data)} is not a valid ${type === "A" ? "IPv4" : "IPv6"} address`) : undefined;
  /** The record `:id` of `:domain`, or the answer saying why not. */
  const recordOf = (p: Record<string, string>) => {
    const record = /^[0-9]+$/.test(p.id ?? "") ? store.byId(p.id!) : undefined;
    return record && record.zone === p.domain ? record : error(404, "The resource you were accessing could not be found.");
  };
  const update: Route["handle"] = ({ params, body }) => {
    const record = recordOf(params);
    if (record instanceof Response) return record;
    const b = body as v.InferOutput<typeof UpdateBody>;
    if (b.type !== record.type) return error(422, `type cannot be changed from ${record.type}`);
    const refused = badData(record.type, b.data);
    if (refused) return refused;
    store.update(record.id, { ...(b.data === undefined ? {} : { content: b.data }), ...(b.ttl === undefined ? {} : { ttl: b.ttl }), ...(b.name === undefined ? {} : { name: fqdn(b.name, record.zone) }) });
    return json(200, { domain_record: shown(store.byId(record.id)!) });
  };
  const notFound = () => error(404, "The resource you were accessing could not be found.");

  const routes: Route[] = [
    { method: "GET", path: "/domains", query: ["page", "per_page"], handle: (req) => listing("domains", store.zones().map((name) => ({ name, ttl: 1800, zone_file: null })), urlOf(req)) },
    { method: "GET", path: "/domains/:domain", handle: ({ params }) => (store.hasZone(params.domain!) ? json(200, { domain: { name: params.domain, ttl: 1800, zone_file: null } }) : notFound()) },
    {
      method: "GET",
      path: "/domains/:domain/records",
      query: ["page", "per_page", "type", "name"],
      handle: (req) => {
        const { domain } = req.params;
        if (!store.hasZone(domain!)) return notFound();
        const type = req.query.get("type");
        if (type !== null && !(TYPES as readonly string[]).includes(type)) return error(400, `type must be one of ${TYPES.join(", ")}`);
        const name = req.query.get("name")?.toLowerCase();
        const found = store.records(domain!).filter((r) => (type === null || r.type === type) && (name === undefined || r.name === name));
        return listing("domain_records", found.map(shown), urlOf(req));
      },
    },
    {
      method: "POST",
      path: "/domains/:domain/records",
      body: CreateBody,
      write: true,
      handle: ({ params, body }) => {
        const b = body as v.InferOutput<typeof CreateBody>;
        if (!store.hasZone(params.domain!)) return notFound();
        const refused = badData(b.type, b.data);
        if (refused) return refused;
        return json(201, { domain_record: shown(store.add({ zone: params.domain!, name: fqdn(b.name, params.domain!), type: b.type, content: b.data, ttl: b.ttl ?? 1800, extra: {} })) });
      },
    },
    { method: "PATCH", path: "/domains/:domain/records/:id", body: UpdateBody, write: true, handle: update },
    { method: "PUT", path: "/domains/:domain/records/:id", body: UpdateBody, write: true, handle: update },
    {
      method: "DELETE",
      path: "/domains/:domain/records/:id",
      write: true,
      handle: ({ params }) => {
        const record = recordOf(params);
        if (record instanceof Response) return record;
        store.remove(record.id);
        return new Response(null, { status: 204 });
      },
    },
  ];

  const origin = { url: "" };
  const urlOf = (req: { path: string; query: URLSearchParams }) => `${origin.url}${req.path}?${req.query}`;
  const fake = await startFakeService({
    name: "DigitalOcean API v2",
    basePath: "/v2",
    error,
    routes,
    ...(o.extra ? { extra: o.extra } : {}),
    rateLimit: {
      ...(o.rateLimit ?? { limit: 5000, windowMs: 3_600_000 }),
      message: "API Rate limit exceeded.",
      headers: (s) => ({ "ratelimit-limit": String(s.limit), "ratelimit-remaining": String(s.remaining), "ratelimit-reset": String(Math.ceil(s.resetAt / 1000)) }),
    },
    auth(req) {
      const token = bearerToken(req);
      const scopes = token === undefined ? undefined : o.tokens[token];
      if (scopes === undefined) return error(401, "Unable to authenticate you");
      const granted = scopes === "all" ? DO_SCOPES : scopes;
      return (NEEDS[req.method] ?? []).some((s) => granted.includes(s)) ? undefined : error(403, "You are not authorized to perform this operation");
    },
  });
  origin.url = fake.url;
  return {
    ...fake,
    store,
    read: (name, type) => store.read(name, type),
    edit(name, type, contents, ttl = 1800) {
      const zone = store.zoneOf(name);
      if (!zone) throw new Error(`fake DigitalOcean: no domain holds ${JSON.stringify(name)}`);
      for (const r of store.find(zone, name, type)) store.remove(r.id);
      for (const content of contents) store.add({ zone, name, type, content, ttl, extra: {} });
    },
  };
}
