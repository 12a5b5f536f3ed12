import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { bearerToken, json, startFakeService, type FakeService, type FakeServiceOptions, type Route } from "../kit/fake-service.ts";
import { createZoneStore, type StoredRecord, type ZoneStore } from "../kit/zone-store.ts";

/**
 * A strict fake of the Netlify API v1, DNS zones and records, written from Netlify's OpenAPI specification
 * (github.com/netlify/open-api swagger.yml, version 2.55.0, commit 6508031 of 2026-05-19: getDnsZones,
 * getDnsRecords, createDnsRecord, deleteDnsRecord, the `dnsZone`, `dnsRecord`, `dnsRecordCreate` and `error`
 * definitions), cross-checked with go-acme/lego's providers/dns/netlify (read 2026-12-02).
 * - Auth: `Authorization: Bearer <personal access token>` (OAuth 2), else 401 `{ code, message }`.
 * - `GET /dns_zones` → a plain array of zones (`id`, `name`, …), unpaged; `GET /dns_zones/{zone_id}/dns_records`
 *   → a plain array of records (`id`, `hostname` fully qualified, `type`, `value`, `ttl`, `dns_zone_id`,
 *   `managed`), unpaged; `POST` with `dnsRecordCreate` → 201 the record; `DELETE …/{dns_record_id}` → 204.
 *   There is no update operation.
 * - Errors: `{ "code": <status>, "message": "…" }` (the spec's `error`).
 * The spec is silent on: the refusal bodies' words, a TTL range (the fake accepts 1…2^31-1, 3600 when not given),
 * the status of a refused record (the fake answers 422), rate limits (not in the stored sources: the fake sends
 * `X-RateLimit-Limit`, `-Remaining`, `-Reset` in Unix seconds, 500 a minute, the figures usually quoted for Netlify;
 * the provider also honours `Retry-After`), unknown query
 * parameters and body fields (refused: 400 and 422). Netlify's own NS records are `managed: true`.
 */
export interface FakeNetlifyOptions {
  tokens: string[];
  zones: string[];
  rateLimit?: { limit: number; windowMs: number };
  extra?: FakeServiceOptions["extra"];
}

export interface FakeNetlify extends FakeService {
  store: ZoneStore;
  zoneId(zone: string): string;
  read(name: string, type: string): string[];
  edit(name: string, type: string, contents: string[], ttl?: number): void;
}

const error = (status: number, message: string) => json(status, { code: status, message });
const hex = (n: number, width = 24) => n.toString(16).padStart(width, "0");
const int = v.pipe(v.number(), v.integer());
const CreateBody = v.strictObject({
  type: v.string(),
  hostname: v.string(),
  value: v.string(),
  ttl: v.optional(v.pipe(int, v.minValue(1), v.maxValue(2_147_483_647))),
  priority: v.optional(int),
  weight: v.optional(int),
  port: v.optional(int),
  flag: v.optional(int),
  tag: v.optional(v.string()),
});

export async function startFakeNetlify(o: FakeNetlifyOptions): Promise<FakeNetlify> {
  const store = createZoneStore(o.zones, (n) => hex(0x5f00 + n));
  const ids = new Map(o.zones.map((z, i) => [z, hex(0xa1b2c3 + i)]));
  const zoneOfId = (id: string | undefined) => [...ids].find(([, zid]) => zid === id)?.[0];
  for (const zone of o.zones) for (const ns of [1, 2]) store.add({ zone, name: zone, type: "NS", content: `dns${ns}.p01.nsone.net`, ttl: 3600, extra: { managed: true } });
  const shown = (r: StoredRecord) => ({ id: r.id, hostname: r.name, type: r.type, value: r.content, ttl: r.ttl, priority: null, dns_zone_id: ids.get(r.zone), site_id: "", flag: 0, tag: "", managed: r.extra.managed === true });
  const notFound = () => error(404, "Not Found");

  const routes: Route[] = [
    { method: "GET", path: "/dns_zones", query: ["account_slug"], handle: () => json(200, store.zones().map((name) => ({ id: ids.get(name), name, account_slug: "team", records: [], dns_servers: [] }))) },
    {
      method: "GET",
      path: "/dns_zones/:zone/dns_records",
      query: [],
      handle: ({ params }) => {
        const zone = zoneOfId(params.zone);
        return zone ? json(200, store.records(zone).map(shown)) : notFound();
      },
    },
    {
      method: "POST",
      path: "/dns_zones/:zone/dns_records",
      body: CreateBody,
      write: true,
      handle: ({ params, body }) => {
        const zone = zoneOfId(params.zone);
        if (!zone) return notFound();
        const b = body as v.InferOutput<typeof CreateBody>;
        const name = b.hostname.toLowerCase().replace(/\.$/, "");
        if (name !== zone && !name.endsWith(`.${zone}`)) return error(422, `hostname ${JSON.stringify(b.hostname)} is not in the zone ${zone}`);
        if ((b.type === "A" && !isIPv4(b.value)) || (b.type === "AAAA" && !isIPv6(b.value))) return error(422, `value ${JSON.stringify(b.value)} is not a valid ${b.type} address`);
        return json(201, shown(store.add({ zone, name, type: b.type, content: b.value, ttl: b.ttl ?? 3600, extra: {} })));
      },
    },
    {
      method: "DELETE",
      path: "/dns_zones/:zone/dns_records/:id",
      write: true,
      handle: ({ params }) => {
        const record = store.byId(params.id!);
        if (!record || record.zone !== zoneOfId(params.zone)) return notFound();
        if (record.extra.managed) return error(422, "managed records cannot be deleted");
        store.remove(record.id);
        return new Response(null, { status: 204 });
      },
    },
  ];

  const fake = await startFakeService({
    name: "Netlify API v1",
    basePath: "/api/v1",
    error,
    routes,
    ...(o.extra ? { extra: o.extra } : {}),
    rateLimit: {
      ...(o.rateLimit ?? { limit: 500, windowMs: 60_000 }),
      message: "Too Many Requests",
      headers: (st) => ({ "x-ratelimit-limit": String(st.limit), "x-ratelimit-remaining": String(st.remaining), "x-ratelimit-reset": String(Math.ceil(st.resetAt / 1000)) }),
    },
    auth(req) {
      const token = bearerToken(req);
      return token !== undefined && o.tokens.includes(token) ? undefined : error(401, "Access Denied");
    },
  });
  return {
    ...fake,
    store,
    zoneId: (zone) => ids.get(zone)!,
    read: (name, type) => store.read(name, type),
    edit(name, type, contents, ttl = 3600) {
      const zone = store.zoneOf(name);
      if (!zone) throw new Error(`fake Netlify: no zone holds ${JSON.stringify(name)}`);
      for (const r of store.find(zone, name, type)) store.remove(r.id);
      for (const content of contents) store.add({ zone, name, type, content, ttl, extra: {} });
    },
  };
}
