import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { bearerToken, json, startFakeService, type FakeService, type FakeServiceOptions, type Route } from "../kit/fake-service.ts";
import { servePage } from "../kit/pagination.ts";
import { createZoneStore, type StoredRecord, type ZoneStore } from "../kit/zone-store.ts";

/**
 * A strict fake of the Linode API v4 (Akamai Cloud), domains and domain records, written from Linode's documentation
 * as read on 2026-12-02: the API reference at techdocs.akamai.com/linode-api ("Create a domain record",
 * "Pagination", the 401/403/404/429 status pages, "Get started" on personal access tokens and scopes), its earlier
 * rendering at developers.linode.com/api/v4 (domains, domains/{domainId}/records/{recordId}) and the official Go SDK
 * (github.com/linode/linodego, domain_records.go: the record fields, `ttl_sec` 0 = the default, PUT for updates).
 * - Auth: `Authorization: Bearer <token>`, else 401 `{"errors":[{"reason":"Invalid Token"}]}`; reads need the scope
 *   domains:read_only (or read_write), writes domains:read_write, else 403. Every error is `{ errors: [{ reason, field? }] }`.
 * - Domains: integer ids, `domain`, `type` master|slave. Records: integer ids, `name` relative to the domain ("" at
 *   the apex; a fully qualified name sent is stored relative), `target`, `ttl_sec` (0: the domain's default; any
 *   other value rounded UP to the next of 300, 3600, 7200, 14400, 28800, 57600, 86400, 172800, 345600, 604800,
 *   1209600, 2419200 — the docs say "rounded up" for domains and "rounded to the nearest" for records; the fake
 *   rounds up, as the domain pages and dnscontrol's notes say).
 * - Lists: `{ data, page, pages, results }`, `page` from 1, `page_size` 25…500 (default 100; `maxPerPage` lowers
 *   what is served so tests page). `X-Filter` (JSON) narrows a record listing by the filterable `name` and `type`.
 * - Deleting answers 200 `{}`. Rate limits: a 429 `{"errors":[{"reason":"Too Many Requests"}]}` with Retry-After.
 * Stricter than documented (the docs are silent): unknown query parameters (400), unknown body fields or wrong types
 * (400, with `field`), an X-Filter on any other field (400) and records in a slave domain (400) are refused.
 */
export const LINODE_SCOPES = ["domains:read_only", "domains:read_write"] as const;
const VALID_TTLS = [300, 3600, 7200, 14400, 28800, 57600, 86400, 172800, 345600, 604800, 1209600, 2419200];
const TYPES = ["A", "AAAA", "NS", "MX", "CNAME", "TXT", "SRV", "PTR", "CAA"] as const;

export interface FakeLinodeOptions {
  /** Token → its scope ("domains:read_write" by default when "all"). */
  tokens: Record<string, (typeof LINODE_SCOPES)[number] | "all">;
  zones: string[];
  /** Domains of type "slave" (read-only copies). */
  slaves?: string[];
  maxPerPage?: number;
  extra?: FakeServiceOptions["extra"];
}

export interface FakeLinode extends FakeService {
  store: ZoneStore;
  /** The domain id of a zone. */
  domainId(zone: string): number;
  read(name: string, type: string): string[];
  edit(name: string, type: string, contents: string[], ttl?: number): void;
}

const error = (status: number, reason: string, field?: string) => json(status, { errors: [{ ...(field ? { field } : {}), reason }] });
const roundTtl = (ttl: number) => (ttl <= 0 ? 0 : (VALID_TTLS.find((t) => t >= ttl) ?? 2_419_200));
const fields = {
  name: v.pipe(v.string(), v.maxLength(100)),
  target: v.string(),
  ttl_sec: v.optional(v.pipe(v.number(), v.integer())),
  priority: v.optional(v.number()),
  weight: v.optional(v.number()),
  port: v.optional(v.number()),
  service: v.optional(v.nullable(v.string())),
  protocol: v.optional(v.nullable(v.string())),
  tag: v.optional(v.nullable(v.string())),
};
const CreateBody = v.strictObject({ type: v.picklist(TYPES), ...fields });
const UpdateBody = v.strictObject({ type: v.optional(v.picklist(TYPES)), ...v.partial(v.object(fields)).entries });
const FILTERABLE = new Set(["name", "type"]);

export async function startFakeLinode(o: FakeLinodeOptions): Promise<FakeLinode> {
  const zones = [...o.zones, ...(o.slaves ?? [])];
  const ids = new Map(zones.map((z, i) => [z, 1234 + i]));
  const zoneById = (id: string | undefined) => zones.find((z) => String(ids.get(z)) === id);
  const store = createZoneStore(zones, (n) => String(14_950_400 + n));
  const relative = (r: StoredRecord) => (r.name === r.zone ? "" : r.name.slice(0, -(r.zone.length + 1)));
  const absolute = (name: string, zone: string) => {
    const n = name.toLowerCase().replace(/\.$/, "");
    return n === "" || n === zone ? zone : n.endsWith(`.${zone}`) ? n : `${n}.${zone}`;
  };
  const shown = (r: StoredRecord) => ({ id: Number(r.id), type: r.type, name: relative(r), target: r.content, priority: 0, weight: 0, port: 0, service: null, protocol: null, ttl_sec: r.ttl, tag: null, created: "2026-12-01T00:00:00", updated: "2026-12-01T00:00:00" });
  const pages = { defaultPerPage: 100, maxPerPage: Math.min(o.maxPerPage ?? 500, 500), perPageParam: "page_size" };
  const listing = <T>(items: readonly T[], url: URL) => {
    const size = url.searchParams.get("page_size");
    if (size !== null && !(Number(size) >= 25 && Number(size) <= 500)) return error(400, "Must be between 25 and 500", "page_size");
    const page = servePage(items, url, pages);
    return "invalid" in page ? error(400, page.invalid) : json(200, { data: page.items, page: page.page, pages: page.pages, results: page.total });
  };
  const notFound = () => error(404, "Not found");
  const badTarget = (type: string, target: string | undefined) =>
    (type === "A" && target !== undefined && !isIPv4(target)) || (type === "AAAA" && target !== undefined && !isIPv6(target)) ? error(400, `Invalid ${type === "A" ? "IPv4" : "IPv6"} address`, "target") : undefined;
  const domainOf = (p: Record<string, string>) => {
    const zone = zoneById(p.domainId);
    if (!zone) return notFound();
    return (o.slaves ?? []).includes(zone) ? error(400, "Records cannot be managed on a slave domain") : zone;
  };
  const recordOf = (p: Record<string, string>) => {
    const zone = domainOf(p);
    if (zone instanceof Response) return zone;
    const record = store.byId(p.recordId ?? "");
    return record && record.zone === zone ? record : notFound();
  };
  const url = (req: { path: string; query: URLSearchParams }) => new URL(`${origin.url}${req.path}?${req.query}`);

  const routes: Route[] = [
    { method: "GET", path: "/domains", query: ["page", "page_size"], handle: (req) => listing(zones.map((z) => ({ id: ids.get(z), domain: z, type: (o.slaves ?? []).includes(z) ? "slave" : "master", status: "active", ttl_sec: 0 })), url(req)) },
    {
      method: "GET",
      path: "/domains/:domainId/records",
      query: ["page", "page_size"],
      handle: (req) => {
        const zone = zoneById(req.params.domainId);
        if (!zone) return notFound();
        let filter: Record<string, unknown> = {};
        try {
          filter = JSON.parse(req.headers.get("x-filter") ?? "{}");
        } catch {
          return error(400, "Invalid JSON in X-Filter");
        }
        const wrong = Object.keys(filter).find((k) => !FILTERABLE.has(k));
        if (wrong !== undefined) return error(400, `Cannot filter on ${wrong}`);
        const found = store.records(zone).filter((r) => Object.entries(filter).every(([k, want]) => (k === "name" ? relative(r) === String(want).toLowerCase() : r.type === want)));
        return listing(found.map(shown), url(req));
      },
    },
    {
      method: "POST",
      path: "/domains/:domainId/records",
      body: CreateBody,
      invalidStatus: 400,
      write: true,
      handle: ({ params, body }) => {
        const zone = domainOf(params);
        if (zone instanceof Response) return zone;
        const b = body as v.InferOutput<typeof CreateBody>;
        const refused = badTarget(b.type, b.target);
        if (refused) return refused;
        return json(200, shown(store.add({ zone, name: absolute(b.name, zone), type: b.type, content: b.target, ttl: roundTtl(b.ttl_sec ?? 0), extra: {} })));
      },
    },
    {
      method: "PUT",
      path: "/domains/:domainId/records/:recordId",
      body: UpdateBody,
      invalidStatus: 400,
      write: true,
      handle: ({ params, body }) => {
        const record = recordOf(params);
        if (record instanceof Response) return record;
        const b = body as v.InferOutput<typeof UpdateBody>;
        if (b.type !== undefined && b.type !== record.type) return error(400, "Record type cannot be changed", "type");
        const refused = badTarget(record.type, b.target);
        if (refused) return refused;
        store.update(record.id, { ...(b.target === undefined ? {} : { content: b.target }), ...(b.ttl_sec === undefined ? {} : { ttl: roundTtl(b.ttl_sec) }), ...(b.name === undefined ? {} : { name: absolute(b.name, record.zone) }) });
        return json(200, shown(store.byId(record.id)!));
      },
    },
    {
      method: "DELETE",
      path: "/domains/:domainId/records/:recordId",
      write: true,
      handle: ({ params }) => {
        const record = recordOf(params);
        if (record instanceof Response) return record;
        store.remove(record.id);
        return json(200, {});
      },
    },
  ];

  const origin = { url: "" };
  const fake = await startFakeService({
    name: "Linode API v4",
    basePath: "/v4",
    error: (status, message) => error(status, message),
    routes,
    ...(o.extra ? { extra: o.extra } : {}),
    auth(req) {
      const token = bearerToken(req);
      const scope = token === undefined ? undefined : o.tokens[token];
      if (scope === undefined) return error(401, "Invalid Token");
      if (req.method === "GET" || scope === "all" || scope === "domains:read_write") return undefined;
      return error(403, "Your OAuth token is not authorized to use this endpoint.");
    },
  });
  origin.url = fake.url;
  return {
    ...fake,
    store,
    domainId: (zone) => ids.get(zone)!,
    read: (name, type) => store.read(name, type),
    edit(name, type, contents, ttl = 0) {
      const zone = store.zoneOf(name);
      if (!zone) throw new Error(`fake Linode: no domain holds ${JSON.stringify(name)}`);
      for (const r of store.find(zone, name, type)) store.remove(r.id);
      for (const content of contents) store.add({ zone, name, type, content, ttl, extra: {} });
    },
  };
}
