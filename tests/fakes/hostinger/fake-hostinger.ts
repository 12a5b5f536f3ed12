import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { bearerToken, json, startFakeService, type FakeService, type Route } from "../kit/fake-service.ts";
import { createRrsetStore, type RrsetStore, type StoredSet } from "../kit/rrset-store.ts";

/**
 * A strict fake of Hostinger's public API (https://developers.hostinger.com), written on 2026-12-02 from Hostinger's
 * official SDK reference (hostinger/api-typescript-sdk docs/DNSZoneApi.md, DNSV1ZoneUpdateRequest.md,
 * DNSV1ZoneRecordResource.md, DomainsV1DomainDomainResource.md: Bearer `apiToken`, `GET /api/dns/v1/zones/{domain}`
 * as an array of `{name, records: [{content, is_disabled}], ttl, type}`, `PUT` on the same path with `{overwrite,
 * zone}` — "if true, resource records matching name and type will be deleted and new RRs will be created, otherwise
 * … ttl's are updated and new records are appended" —, 200 `{message}`, 401 "Unauthenticated response", 422
 * "Validation error response"; `GET /api/domains/v1/portfolio` listing `{id, domain, type, status, …}`), cross-checked
 * against go-acme/lego providers/dns/hostinger (fixtures: the 422 body `{message, errors: {field: [..]}, correlation_id}`,
 * relative names).
 * `DELETE /api/dns/v1/zones/{domain}` with `{filters: [{name, type}]}` (DNSZoneApi.md deleteDNSRecordsV1,
 * DNSV1ZoneDestroyRequest.md, DNSV1ZoneDestroyRequestFiltersInner.md, read 2026-12-02): every record of each (name,
 * type) goes; 200 `{message}`, 422 for a refused body.
 * Left open, so the fake is strict: unknown body fields are refused (422); a zone the account does not hold is a 404
 * `{message, correlation_id}`; A/AAAA values must be of their family; TTLs below 60 are refused; no pagination of the
 * portfolio is documented, so it is served whole; no request budget is documented, so the fake's 429 is the kit's.
 */
export interface FakeHostingerOptions {
  tokens: string[];
  zones: string[];
  /** Domains in the portfolio without a DNS zone at Hostinger (parked elsewhere). */
  elsewhere?: string[];
}

export interface FakeHostinger extends FakeService {
  store: RrsetStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, values: string[], ttl?: number): void;
  set(name: string, type: string): StoredSet | undefined;
}

let correlation = 0;
const error = (status: number, message: string, errors?: Record<string, string[]>) => json(status, { message, ...(errors ? { errors } : {}), correlation_id: `c0ffee00-0000-4000-8000-${String(++correlation).padStart(12, "0")}` });
const SET = v.strictObject({ name: v.string(), type: v.string(), ttl: v.optional(v.pipe(v.number(), v.integer())), records: v.pipe(v.array(v.strictObject({ content: v.string() })), v.minLength(1)) });
const DESTROY = v.strictObject({ filters: v.pipe(v.array(v.strictObject({ name: v.string(), type: v.string() })), v.minLength(1)) });
const BODY = v.strictObject({ overwrite: v.optional(v.boolean()), zone: v.pipe(v.array(SET), v.minLength(1)) });

export async function startFakeHostinger(o: FakeHostingerOptions): Promise<FakeHostinger> {
  const store = createRrsetStore(o.zones);
  const absolute = (name: string, zone: string) => (name === "@" ? zone : `${name}.${zone}`);
  const relative = (name: string, zone: string) => (name === zone ? "@" : name.slice(0, -(zone.length + 1)));
  const refused = (zone: string, sets: v.InferOutput<typeof SET>[]) => {
    for (const [i, s] of sets.entries()) {
      if (s.name !== s.name.toLowerCase() || s.name.endsWith(".") || s.name.endsWith(`.${zone}`) || s.name === zone) return error(422, "The name must be relative to the domain.", { [`zone.${i}.name`]: ["The name must be relative to the domain."] });
      if (s.ttl !== undefined && s.ttl < 60) return error(422, "The ttl must be at least 60.", { [`zone.${i}.ttl`]: ["The ttl must be at least 60."] });
      const wrong = s.records.find((r) => (s.type === "A" && !isIPv4(r.content)) || (s.type === "AAAA" && !isIPv6(r.content)));
      if (wrong) return error(422, `The content ${JSON.stringify(wrong.content)} is not a valid ${s.type} value.`, { [`zone.${i}.records`]: ["Invalid content."] });
    }
    return undefined;
  };
  const routes: Route[] = [
    {
      method: "GET", path: "/api/domains/v1/portfolio", query: [],
      handle: () => json(200, [...store.zones(), ...(o.elsewhere ?? [])].map((domain, i) => ({ id: 1000 + i, domain, type: "domain", status: "active", created_at: "2025-01-01T00:00:00Z", expires_at: "2027-01-01T00:00:00Z" })).concat([{ id: 9, domain: null as unknown as string, type: "free_domain", status: "pending_setup", created_at: "2025-01-01T00:00:00Z", expires_at: "2027-01-01T00:00:00Z" }])),
    },
    {
      method: "GET", path: "/api/dns/v1/zones/:domain", query: [],
      handle: ({ params }) => (store.hasZone(params.domain!)
        ? json(200, store.list(params.domain!).map((s) => ({ name: relative(s.name, s.zone), records: s.records.map((r) => ({ content: r.value, is_disabled: false })), ttl: s.ttl ?? 14_400, type: s.type })))
        : error(404, "DNS zone not found.")),
    },
    {
      method: "PUT", path: "/api/dns/v1/zones/:domain", body: BODY, invalidStatus: 422, write: true,
      handle: ({ params, body }) => {
        const zone = params.domain!;
        if (!store.hasZone(zone)) return error(404, "DNS zone not found.");
        const b = body as v.InferOutput<typeof BODY>;
        const no = refused(zone, b.zone);
        if (no) return no;
        for (const s of b.zone) {
          const name = absolute(s.name, zone);
          const held = store.get(zone, name, s.type);
          const values = b.overwrite === false && held ? [...held.records.map((r) => r.value), ...s.records.map((r) => r.content)] : s.records.map((r) => r.content);
          store.put({ zone, name, type: s.type, ttl: s.ttl ?? held?.ttl ?? 14_400, records: [...new Set(values)].map((value) => ({ value })) });
        }
        return json(200, { message: "Request accepted" });
      },
    },
    {
      // deleteDNSRecordsV1: `{filters: [{name, type}]}` deletes every record of each (name, type); 200 `{message}`.
      method: "DELETE", path: "/api/dns/v1/zones/:domain", body: DESTROY, invalidStatus: 422, write: true,
      handle: ({ params, body }) => {
        const zone = params.domain!;
        if (!store.hasZone(zone)) return error(404, "DNS zone not found.");
        const { filters } = body as v.InferOutput<typeof DESTROY>;
        for (const [i, f] of filters.entries()) {
          if (f.name !== f.name.toLowerCase() || f.name.endsWith(".") || f.name.endsWith(`.${zone}`) || f.name === zone) return error(422, "The name must be relative to the domain.", { [`filters.${i}.name`]: ["The name must be relative to the domain."] });
        }
        for (const f of filters) store.remove(zone, absolute(f.name, zone), f.type);
        return json(200, { message: "Request accepted" });
      },
    },
  ];

  const fake = await startFakeService({
    name: "Hostinger API",
    basePath: "",
    error: (status, message) => error(status === 400 ? 422 : status, message),
    routes,
    auth: (req) => (o.tokens.includes(bearerToken(req) ?? "") ? undefined : error(401, "Unauthenticated.")),
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
