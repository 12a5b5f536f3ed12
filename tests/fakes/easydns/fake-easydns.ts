import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { json, startFakeService, type FakeService, type Route } from "../kit/fake-service.ts";
import { createZoneStore, type StoredRecord, type ZoneStore } from "../kit/zone-store.ts";

/**
 * A strict fake of the easyDNS REST API v3 (https://rest.easydns.net), written on 2026-12-02 from easyDNS's API
 * reference (docs.sandbox.rest.easydns.net: HTTP Basic auth with the API token as user and the API key as password,
 * `format=json`, `GET /zones/records/all/{domain}`, `PUT /zones/records/add/{domain}/{type}`, `POST
 * /zones/records/{id}`, `DELETE /zones/records/{domain}/{id}`, the `{"error": {"code", "message"}}` body, 420
 * "Enhance Your Calm" for the rate limit) and cross-checked against go-acme/lego providers/dns/easydns (whose notes
 * say the reference's response schemas are wrong: `data` is an array, `id`, `ttl`, `prio` are strings; a create
 * answers 201 with the record) and libdns/easydns (update body `{host, ttl, type, rdata}`, a TTL floor of 300).
 * Left open, so the fake is strict: unknown body fields, a TTL below 300, a body `domain`/`type` that differs from
 * the path and an A/AAAA value of the wrong family are 400; a domain not in the account and an unknown record id
 * are 404; listings are not paged (the reference shows `start`/`max`/`total` but no parameter to page with).
 */
export interface FakeEasydnsOptions {
  /** `token:key` pairs the account accepts. */
  credentials: string[];
  zones: string[];
  rateLimit?: { limit: number; windowMs: number };
}

export interface FakeEasydns extends FakeService {
  store: ZoneStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, contents: string[], ttl?: number): void;
}

const error = (status: number, message: string) => json(status, { error: { code: status, message } });
const ADD = v.strictObject({ domain: v.string(), host: v.string(), ttl: v.pipe(v.number(), v.integer()), prio: v.number(), type: v.string(), rdata: v.string() });
const UPDATE = v.strictObject({ host: v.string(), ttl: v.pipe(v.number(), v.integer()), type: v.string(), rdata: v.string() });
const host = (name: string, zone: string) => (name === zone ? "@" : name.slice(0, -(zone.length + 1)));

export async function startFakeEasydns(o: FakeEasydnsOptions): Promise<FakeEasydns> {
  const store = createZoneStore(o.zones, (n) => String(60_898_900 + n));
  const shown = (r: StoredRecord) => ({ id: r.id, domain: r.zone, host: host(r.name, r.zone), ttl: String(r.ttl), prio: "0", geozone_id: "0", type: r.type, rdata: r.content, last_mod: "2026-01-01 00:00:00" });
  const envelope = (status: number, data: unknown) => json(status, { tm: 1_764_633_600, data, status });
  const zoneOf = (domain: string) => (store.hasZone(domain.toLowerCase()) ? domain.toLowerCase() : error(404, "No such domain in this account."));
  const refused = (zone: string, b: { host: string; ttl: number; type: string; rdata: string }) => {
    if (b.ttl < 300) return error(400, "TTL must be at least 300.");
    if ((b.type === "A" && !isIPv4(b.rdata)) || (b.type === "AAAA" && !isIPv6(b.rdata))) return error(400, `Invalid rdata for ${b.type} record.`);
    if (b.host.endsWith(".") || b.host.toLowerCase().endsWith(zone)) return error(400, "host must be relative to the domain.");
    return undefined;
  };
  const nameOf = (h: string, zone: string) => (h === "@" ? zone : `${h.toLowerCase()}.${zone}`);

  const routes: Route[] = [
    {
      method: "GET", path: "/zones/records/all/:domain", query: ["format"],
      handle(req) {
        const zone = zoneOf(req.params.domain!);
        return zone instanceof Response ? zone : json(200, { tm: 1_764_633_600, data: store.records(zone).map(shown), count: store.records(zone).length, total: store.records(zone).length, start: 0, max: 1000, status: 200 });
      },
    },
    {
      method: "PUT", path: "/zones/records/add/:domain/:type", query: ["format"], body: ADD, invalidStatus: 400, write: true,
      handle(req) {
        const zone = zoneOf(req.params.domain!);
        if (zone instanceof Response) return zone;
        const b = req.body as v.InferOutput<typeof ADD>;
        if (b.domain.toLowerCase() !== zone || b.type !== req.params.type) return error(400, "domain and type must match the path.");
        return refused(zone, b) ?? envelope(201, shown(store.add({ zone, name: nameOf(b.host, zone), type: b.type, content: b.rdata, ttl: b.ttl, extra: {} })));
      },
    },
    {
      method: "POST", path: "/zones/records/:id", query: ["format"], body: UPDATE, invalidStatus: 400, write: true,
      handle(req) {
        const held = store.byId(req.params.id!);
        if (!held) return error(404, "No such record.");
        const b = req.body as v.InferOutput<typeof UPDATE>;
        if (b.type !== held.type) return error(400, "type cannot change.");
        return refused(held.zone, b) ?? envelope(200, shown(store.update(held.id, { name: nameOf(b.host, held.zone), content: b.rdata, ttl: b.ttl })!));
      },
    },
    {
      method: "DELETE", path: "/zones/records/:domain/:id", query: ["format"], write: true,
      handle(req) {
        const zone = zoneOf(req.params.domain!);
        if (zone instanceof Response) return zone;
        const held = store.byId(req.params.id!);
        if (!held || held.zone !== zone) return error(404, "No such record.");
        store.remove(held.id);
        return envelope(200, { domain: zone, id: held.id });
      },
    },
  ];

  const fake = await startFakeService({
    name: "easyDNS REST API v3",
    basePath: "",
    error: (status, message) => error(status === 422 ? 400 : status === 429 ? 420 : status, message),
    routes,
    rateLimit: { ...(o.rateLimit ?? { limit: 1000, windowMs: 60_000 }), message: "Enhance Your Calm. Rate limit exceeded (too many requests)" },
    auth(req) {
      const [, b64] = /^Basic (\S+)$/.exec(req.headers.get("authorization") ?? "") ?? [];
      if (b64 === undefined) return error(420, "Enhance Your Calm. Rate limit exceeded (too many requests) OR you did NOT provide any credentials with your request!");
      if (!o.credentials.includes(Buffer.from(b64, "base64").toString("utf8"))) return error(401, "Unauthorized");
      return new URL(req.url).searchParams.get("format") === "json" ? undefined : error(400, "format=json is required.");
    },
  });
  return {
    ...fake,
    store,
    read: (name, type) => store.read(name, type),
    edit(name, type, contents, ttl = 3600) {
      const zone = store.zoneOf(name);
      if (!zone) throw new Error(`fake easyDNS: no zone holds ${JSON.stringify(name)}`);
      for (const r of store.find(zone, name, type)) store.remove(r.id);
      for (const content of contents) store.add({ zone, name, type, content, ttl, extra: {} });
    },
  };
}
