import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { json, startFakeService, type FakeService, type Route } from "../kit/fake-service.ts";
import { createRrsetStore, type RrsetStore, type StoredSet } from "../kit/rrset-store.ts";
import { pageOf } from "../kit/zone-store.ts";

/**
 * A strict fake of NS1's REST API v1 (https://api.nsone.net/v1, IBM NS1 Connect), written on 2026-12-02 from NS1's
 * official Go SDK ns1/ns1-go (rest/client.go: the `X-NSONE-Key` header, errors `{"message": …}` for every status
 * outside 2xx, the `X-Ratelimit-Limit`, `X-Ratelimit-Remaining` and `X-Ratelimit-Period` headers; rest/zone.go: `GET
 * /zones` the key's zones, "zone not found"; rest/record.go: `GET`, `PUT` (create), `POST` (update, only the fields
 * to change) and `DELETE` on `/zones/{zone}/{domain}/{type}` with the domain fully qualified, "record not found",
 * "record already exists"; rest/model/dns: a record's `answers: [{answer: [rdata…], meta?}]`, `ttl`, a zone's `ttl`
 * default) and NS1's API reference as the SDK links it (ns1.com/api: #zones-get, #record-get/put/post).
 * Left open by what could be read, so the fake picks the strict side:
 * - the status of each refusal: 401 "Unauthorized" for a missing or unknown key, 403 "insufficient permissions" for a
 *   key without "Manage zones", 404 for a missing zone or record, 400 for a refused body and "record already exists";
 * - bodies: only `zone, domain, type, answers, ttl` (PUT) and `answers, ttl` (POST) are accepted (NS1 takes more —
 *   filters, meta, networks — which ddnsd never sends); the path's zone, domain and type must match the body's; a
 *   domain must lie in the zone; A answers must be IPv4, AAAA answers IPv6; a TTL must be a positive integer;
 * - a new record without `ttl` gets the zone's default TTL; the zone list comes in pages of `zonesPerPage` (default
 *   100), each but the last naming the next as `Link: <{origin}/v1/zones?page=N>; rel="next"` — the SDK follows
 *   `Link` headers (rest/client.go `DoWithPagination`, `ParseLink`); the page size and the `page` parameter are the
 *   fake's choice (the client only follows the link). `nextOrigin` puts the link on another origin.
 */
export interface FakeNs1Options {
  keys: Record<string, "manage" | "view">;
  zones: string[];
  zoneTtl?: number;
  zonesPerPage?: number;
  /** The origin the zone list's `Link` names (default: the fake's own). */
  nextOrigin?: string;
}

export interface FakeNs1 extends FakeService {
  store: RrsetStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, values: string[], ttl?: number): void;
  set(name: string, type: string): StoredSet | undefined;
}

const error = (status: number, message: string) => json(status, { message }, status === 429 ? { "X-Ratelimit-Limit": "10", "X-Ratelimit-Remaining": "0", "X-Ratelimit-Period": "10" } : {});
const ANSWERS = v.pipe(v.array(v.strictObject({ answer: v.pipe(v.array(v.string()), v.length(1)) })), v.minLength(1, "must have at least one answer"));
const TTL = v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)));
const CREATE = v.strictObject({ zone: v.string(), domain: v.string(), type: v.string(), answers: ANSWERS, ttl: TTL });
const UPDATE = v.strictObject({ answers: v.optional(ANSWERS), ttl: TTL });

export async function startFakeNs1(o: FakeNs1Options): Promise<FakeNs1> {
  const store = createRrsetStore(o.zones);
  const zoneTtl = o.zoneTtl ?? 3600;
  const perPage = o.zonesPerPage ?? 100;
  /** The fake's own origin, known once it listens (the zone list's `Link` names it). */
  const self = { origin: "" };
  let ids = 0;
  const idOf = new Map<string, string>();
  const id = (key: string) => idOf.get(key) ?? (idOf.set(key, (++ids).toString(16).padStart(24, "0")), idOf.get(key)!);
  const shown = (s: StoredSet) => ({
    id: id(`${s.zone} ${s.name} ${s.type}`), zone: s.zone, domain: s.name, type: s.type, ttl: s.ttl ?? zoneTtl, tier: 1, use_client_subnet: true, meta: {}, filters: [], link: null, networks: [0], regions: {},
    answers: s.records.map((r, i) => ({ id: id(`${s.zone} ${s.name} ${s.type} ${i}`), answer: [r.value], meta: {} })),
  });
  const wrongAnswer = (type: string, answers: Array<{ answer: string[] }>) => answers.find((a) => (type === "A" && !isIPv4(a.answer[0]!)) || (type === "AAAA" && !isIPv6(a.answer[0]!)));
  /** The zone and set a record path names, or the refusal. */
  const locate = (p: Record<string, string>) => {
    if (!store.hasZone(p.zone!) || p.zone !== p.zone!.toLowerCase()) return error(404, "zone not found");
    const domain = p.domain!.toLowerCase();
    if (domain !== p.zone && !domain.endsWith(`.${p.zone}`)) return error(400, `invalid: domain ${p.domain} is not in zone ${p.zone}`);
    return { zone: p.zone!, domain, type: p.type!, held: store.get(p.zone!, domain, p.type!) };
  };

  const routes: Route[] = [
    {
      method: "GET", path: "/zones", query: ["page"],
      handle: ({ query }) => {
        const page = Number(query.get("page") ?? "1");
        if (!Number.isInteger(page) || page < 1) return error(400, "invalid: page");
        const all = store.zones();
        const more = page * perPage < all.length;
        const link: Record<string, string> = more ? { Link: `<${o.nextOrigin ?? self.origin}/v1/zones?page=${page + 1}>; rel="next"` } : {};
        return json(200, pageOf(all, page, perPage).map((zone) => ({ id: id(zone), zone, ttl: zoneTtl, nx_ttl: 3600, retry: 7200, refresh: 43200, expiry: 1209600, dns_servers: ["dns1.p01.nsone.net", "dns2.p01.nsone.net"], networks: [0], meta: {}, primary: { enabled: false, secondaries: [] } })), link);
      },
    },
    {
      method: "GET", path: "/zones/:zone/:domain/:type", query: [],
      handle: ({ params }) => {
        const at = locate(params);
        if (at instanceof Response) return at;
        return at.held ? json(200, shown(at.held)) : error(404, "record not found");
      },
    },
    {
      method: "PUT", path: "/zones/:zone/:domain/:type", body: CREATE, invalidStatus: 400, write: true,
      handle: ({ params, body }) => {
        const at = locate(params);
        if (at instanceof Response) return at;
        const b = body as v.InferOutput<typeof CREATE>;
        if (b.zone !== at.zone || b.domain !== at.domain || b.type !== at.type) return error(400, "invalid: zone, domain and type must match the URL");
        if (at.held) return error(400, "record already exists");
        const wrong = wrongAnswer(at.type, b.answers);
        if (wrong) return error(400, `invalid: ${JSON.stringify(wrong.answer[0])} is not a valid ${at.type} answer`);
        store.put({ zone: at.zone, name: at.domain, type: at.type, ttl: b.ttl ?? zoneTtl, records: b.answers.map((a) => ({ value: a.answer[0]! })) });
        return json(200, shown(store.get(at.zone, at.domain, at.type)!));
      },
    },
    {
      method: "POST", path: "/zones/:zone/:domain/:type", body: UPDATE, invalidStatus: 400, write: true,
      handle: ({ params, body }) => {
        const at = locate(params);
        if (at instanceof Response) return at;
        if (!at.held) return error(404, "record not found");
        const b = body as v.InferOutput<typeof UPDATE>;
        const wrong = b.answers ? wrongAnswer(at.type, b.answers) : undefined;
        if (wrong) return error(400, `invalid: ${JSON.stringify(wrong.answer[0])} is not a valid ${at.type} answer`);
        store.put({ ...at.held, ttl: b.ttl ?? at.held.ttl, records: b.answers ? b.answers.map((a) => ({ value: a.answer[0]! })) : at.held.records });
        return json(200, shown(store.get(at.zone, at.domain, at.type)!));
      },
    },
    {
      // DDNS_DELETE_ON_STOP: rest/record.go's Delete, `DELETE` on the record's path with no body; 200 `{}`.
      method: "DELETE", path: "/zones/:zone/:domain/:type", query: [], write: true,
      handle: ({ params, text }) => {
        const at = locate(params);
        if (at instanceof Response) return at;
        if (text.length > 0) return error(400, "invalid: a DELETE takes no body");
        if (!at.held) return error(404, "record not found");
        store.remove(at.zone, at.domain, at.type);
        return json(200, {});
      },
    },
  ];

  const fake = await startFakeService({
    name: "NS1 API v1",
    basePath: "/v1",
    error: (status, message) => error(status === 422 ? 400 : status, message),
    routes,
    auth(req) {
      const grant = o.keys[req.headers.get("x-nsone-key") ?? ""];
      if (grant === undefined) return error(401, "Unauthorized");
      return grant === "view" && req.method !== "GET" ? error(403, "insufficient permissions") : undefined;
    },
  });
  self.origin = fake.origin;
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
