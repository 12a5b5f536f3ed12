import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { json, startFakeService, type FakeService, type Route } from "../kit/fake-service.ts";
import { createRrsetStore, type RrsetStore, type StoredSet } from "../kit/rrset-store.ts";

/**
 * A strict fake of Gcore's DNS API v2 (https://api.gcore.com/dns/v2), written on 2026-12-02 from Gcore's API
 * reference (gcore.com/docs/api-reference/dns: the `Authorization: APIKey <token>` header ("the word apikey, followed
 * by a single space and then your token"); `GET /dns/v2/zones` "with pagination managed by limit and offset params",
 * answering `{total_amount, zones: [{id, name, …}]}`; `GET /dns/v2/zones/{zoneName}/rrsets` and the RRset shape
 * `{name, type, ttl, resource_records: [{content: [...], enabled, id, meta}], …}`) and cross-checked against
 * go-acme/lego providers/dns/gcore (internal client: `GET`, `POST` (create), `PUT` (update) and `DELETE` on
 * `/v2/zones/{zone}/{fqdn}/{type}` with `{ttl, resource_records: [{content}]}`; 404 for a set that does not exist).
 * `DELETE` on the set's path (lego's RemoveTXTRecord, no body; lego reads a 404 as "already gone") answers 200 `{}`.
 * Left open by what could be read, so the fake picks the strict side:
 * - the error body: `{"error": "…"}`; 401 for a missing or unknown token, 403 for a token of a user who may only
 *   read, 404 for an unknown zone or set, 409 for a POST of a set that exists, 400 for a refused body;
 * - bodies: only `ttl` and `resource_records` with `content` are accepted (the API takes more — meta, pickers —
 *   which ddnsd never sends); A content must be IPv4, AAAA content IPv6; a TTL must be a positive integer; the name
 *   must lie in the zone, in lower case; the page size `limit` is at most 100 and a larger one is cut to it;
 * - the TTL range: none documented in what was read; a POST without `ttl` gets 3600.
 */
export interface FakeGcoreOptions {
  tokens: Record<string, "write" | "read">;
  zones: string[];
}

export interface FakeGcore extends FakeService {
  store: RrsetStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, values: string[], ttl?: number): void;
  set(name: string, type: string): StoredSet | undefined;
}

const error = (status: number, message: string) => json(status, { error: message }, status === 429 ? { "Retry-After": "60" } : {});
const BODY = v.strictObject({
  ttl: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  resource_records: v.pipe(v.array(v.strictObject({ content: v.pipe(v.array(v.string()), v.length(1)) })), v.minLength(1, "resource_records must not be empty")),
});

export async function startFakeGcore(o: FakeGcoreOptions): Promise<FakeGcore> {
  const store = createRrsetStore(o.zones);
  const shown = (s: StoredSet) => ({ name: s.name, type: s.type, ttl: s.ttl ?? 3600, meta: {}, filter_set_id: null, pickers: [], updated_at: "2026-12-01T00:00:00Z", resource_records: s.records.map((r, i) => ({ id: i + 1, content: [r.value], enabled: true, meta: {} })) });
  const locate = (p: Record<string, string>) => {
    if (!store.hasZone(p.zone!) || p.zone !== p.zone!.toLowerCase()) return error(404, "zone not found");
    if (p.name !== p.name!.toLowerCase() || (p.name !== p.zone && !p.name!.endsWith(`.${p.zone}`))) return error(400, `rrset name ${p.name} is not in zone ${p.zone}`);
    return { zone: p.zone!, name: p.name!, type: p.type!, held: store.get(p.zone!, p.name!, p.type!) };
  };
  const refused = (type: string, b: v.InferOutput<typeof BODY>) => {
    const wrong = b.resource_records.find((r) => (type === "A" && !isIPv4(r.content[0]!)) || (type === "AAAA" && !isIPv6(r.content[0]!)));
    return wrong ? error(400, `invalid ${type} content ${JSON.stringify(wrong.content[0])}`) : undefined;
  };

  const routes: Route[] = [
    {
      method: "GET", path: "/zones", query: ["limit", "offset", "order_by", "order_direction", "name", "id"],
      handle: ({ query }) => {
        const limit = Math.min(Number(query.get("limit") ?? 100), 100);
        const offset = Number(query.get("offset") ?? 0);
        if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(offset) || offset < 0) return error(400, "limit and offset must be non-negative integers");
        const all = store.zones().sort();
        return json(200, { total_amount: all.length, zones: all.slice(offset, offset + limit).map((name, i) => ({ id: offset + i + 1, name, client_id: 7, enabled: true, dnssec_enabled: false, status: "active", nx_ttl: 300, retry: 3600, refresh: 0, expiry: 0, serial: 1, meta: {}, rrsets_amount: { static: store.list(name).length, total: store.list(name).length, dynamic: { healthcheck: 0, total: 0 } } })) });
      },
    },
    {
      method: "GET", path: "/zones/:zone/:name/:type", query: [],
      handle: ({ params }) => {
        const at = locate(params);
        if (at instanceof Response) return at;
        return at.held ? json(200, shown(at.held)) : error(404, "rrset not found");
      },
    },
    {
      method: "POST", path: "/zones/:zone/:name/:type", body: BODY, invalidStatus: 400, write: true,
      handle: ({ params, body }) => {
        const at = locate(params);
        if (at instanceof Response) return at;
        if (at.held) return error(409, "rrset already exists");
        const b = body as v.InferOutput<typeof BODY>;
        const no = refused(at.type, b);
        if (no) return no;
        store.put({ zone: at.zone, name: at.name, type: at.type, ttl: b.ttl ?? 3600, records: b.resource_records.map((r) => ({ value: r.content[0]! })) });
        return json(200, shown(store.get(at.zone, at.name, at.type)!));
      },
    },
    {
      method: "PUT", path: "/zones/:zone/:name/:type", body: BODY, invalidStatus: 400, write: true,
      handle: ({ params, body }) => {
        const at = locate(params);
        if (at instanceof Response) return at;
        if (!at.held) return error(404, "rrset not found");
        const b = body as v.InferOutput<typeof BODY>;
        const no = refused(at.type, b);
        if (no) return no;
        store.put({ ...at.held, ttl: b.ttl ?? at.held.ttl, records: b.resource_records.map((r) => ({ value: r.content[0]! })) });
        return json(200, shown(store.get(at.zone, at.name, at.type)!));
      },
    },
    {
      // DDNS_DELETE_ON_STOP: the set goes whole; no body (lego's RemoveTXTRecord sends none, and treats 404 as gone).
      method: "DELETE", path: "/zones/:zone/:name/:type", query: [], write: true,
      handle: ({ params, text }) => {
        const at = locate(params);
        if (at instanceof Response) return at;
        if (text.length > 0) return error(400, "a DELETE takes no body");
        if (!at.held) return error(404, "rrset not found");
        store.remove(at.zone, at.name, at.type);
        return json(200, {});
      },
    },
  ];

  const fake = await startFakeService({
    name: "Gcore DNS API v2",
    basePath: "/dns/v2",
    error: (status, message) => error(status === 422 ? 400 : status, message),
    routes,
    auth(req) {
      const [, token] = /^apikey (\S+)$/i.exec(req.headers.get("authorization") ?? "") ?? [];
      const grant = token === undefined ? undefined : o.tokens[token];
      if (grant === undefined) return error(401, "invalid API token");
      return grant === "read" && req.method !== "GET" ? error(403, "permission denied") : undefined;
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
