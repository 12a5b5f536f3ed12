import { createHash } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { json, startFakeService, type FakeService, type Route } from "../kit/fake-service.ts";
import { absolute, createZoneStore, type StoredRecord, type ZoneStore } from "../kit/zone-store.ts";

/**
 * A strict fake of the OVHcloud API v1 DNS calls (https://eu.api.ovh.com/1.0), written on 2026-12-02 from OVH's
 * "First steps with the OVHcloud API" guide and API console (/domain/zone, /domain/zone/{zone}/record with
 * fieldType/subDomain filters answering ids, /record/{id}, POST …/refresh applying staged changes, /auth/time) and
 * the official client ovh/go-ovh (ovh/ovh.go: X-Ovh-Application, X-Ovh-Consumer, X-Ovh-Timestamp, X-Ovh-Signature
 * "$1$" + hex SHA-1 of secret+consumer+METHOD+full URL+body+timestamp, the timestamp in the server's clock learned
 * from GET /auth/time), cross-checked with go-acme/lego providers/dns/ovh and python-ovh's error codes (403
 * INVALID_KEY / INVALID_CREDENTIAL / NOT_GRANTED_CALL, 400 INVALID_SIGNATURE / QUERY_TIME_OUT, `{errorCode,
 * httpCode, message}`; 404 `{class: "Client::NotFound", message}`).
 * Left open by the docs, so the fake is strict: INVALID_SIGNATURE and QUERY_TIME_OUT are answered 400 (go-ovh names
 * no status; a client's fixture answers 400); a timestamp more than 180 s from its clock is out of time; unknown
 * body fields are refused (400); PUT takes only subDomain/target/ttl; what `read` shows is what was last refreshed
 * (a write without refresh is not served); a consumer key's grants are per method on /domain/zone/*.
 */
export interface FakeOvhOptions {
  /** Application key → application secret. */
  applications: Record<string, string>;
  /** Consumer key → its application key and granted methods. */
  consumers: Record<string, { application: string; methods: string[] }>;
  zones: string[];
  /** The fake's clock minus the real one (a drifting host). */
  clockOffsetMs?: number;
}

export interface FakeOvh extends FakeService {
  store: ZoneStore;
  /** What the zone serves (as of its last refresh). */
  read(name: string, type: string): string[];
  edit(name: string, type: string, contents: string[], ttl?: number): void;
  refreshes(): number;
}

const HTTP: Record<number, string> = { 400: "400 Bad Request", 403: "403 Forbidden", 404: "404 Not Found", 405: "405 Method Not Allowed", 415: "415 Unsupported Media Type", 429: "429 Too Many Requests" };
const coded = (status: number, errorCode: string, message: string) => json(status, { errorCode, httpCode: HTTP[status] ?? `${status}`, message });
const error = (status: number, message: string) => json(status, { class: status === 404 ? "Client::NotFound" : status === 429 ? "Client::TooManyRequests" : "Client::BadRequest", message });
const CREATE = v.strictObject({ fieldType: v.string(), subDomain: v.optional(v.string()), target: v.string(), ttl: v.optional(v.pipe(v.number(), v.integer())) });
const PUT = v.strictObject({ subDomain: v.optional(v.string()), target: v.optional(v.string()), ttl: v.optional(v.pipe(v.number(), v.integer())) });

export async function startFakeOvh(o: FakeOvhOptions): Promise<FakeOvh> {
  const store = createZoneStore(o.zones, (n) => String(5_000_000 + n));
  let served = new Map<string, StoredRecord[]>(o.zones.map((z) => [z, []]));
  let refreshCount = 0;
  const now = () => Date.now() + (o.clockOffsetMs ?? 0);
  const shown = (r: StoredRecord) => ({ id: Number(r.id), zone: r.zone, subDomain: r.name === r.zone ? "" : r.name.slice(0, -(r.zone.length + 1)), fieldType: r.type, target: r.content, ttl: r.ttl });
  const zoneOf = (zone: string) => (store.hasZone(zone) ? zone : undefined);
  const invalid = (type: string, target: string, ttl?: number) =>
    (type === "A" && !isIPv4(target)) || (type === "AAAA" && !isIPv6(target)) ? error(400, `Invalid target for ${type} record`) : ttl !== undefined && ttl !== 0 && ttl < 60 ? error(400, "TTL must be at least 60") : undefined;
  const record = (req: { params: Record<string, string> }) => {
    const r = store.byId(req.params.id!);
    return r && r.zone === zoneOf(req.params.zone!) ? r : undefined;
  };

  const routes: Route[] = [
    { method: "GET", path: "/auth/time", handle: () => json(200, Math.floor(now() / 1000)) },
    { method: "GET", path: "/domain/zone", handle: () => json(200, store.zones()) },
    {
      method: "GET", path: "/domain/zone/:zone/record", query: ["fieldType", "subDomain"],
      handle: (req) => {
        const zone = zoneOf(req.params.zone!);
        if (!zone) return error(404, "This service does not exist");
        const type = req.query.get("fieldType"), sub = req.query.get("subDomain");
        return json(200, store.records(zone).filter((r) => (type === null || r.type === type) && (sub === null || r.name === absolute(sub, zone))).map((r) => Number(r.id)));
      },
    },
    { method: "GET", path: "/domain/zone/:zone/record/:id", handle: (req) => { const r = record(req); return r ? json(200, shown(r)) : error(404, `The requested object (id = ${req.params.id}) does not exist`); } },
    {
      method: "POST", path: "/domain/zone/:zone/record", body: CREATE, invalidStatus: 400, write: true,
      handle: (req) => {
        const zone = zoneOf(req.params.zone!);
        if (!zone) return error(404, "This service does not exist");
        const b = req.body as v.InferOutput<typeof CREATE>;
        return invalid(b.fieldType, b.target, b.ttl) ?? json(200, shown(store.add({ zone, name: absolute(b.subDomain ?? "", zone), type: b.fieldType, content: b.target, ttl: b.ttl || 3600, extra: {} })));
      },
    },
    {
      method: "PUT", path: "/domain/zone/:zone/record/:id", body: PUT, invalidStatus: 400, write: true,
      handle: (req) => {
        const r = record(req);
        if (!r) return error(404, `The requested object (id = ${req.params.id}) does not exist`);
        const b = req.body as v.InferOutput<typeof PUT>;
        const bad = invalid(r.type, b.target ?? r.content, b.ttl);
        if (bad) return bad;
        store.update(r.id, { ...(b.target === undefined ? {} : { content: b.target }), ...(b.ttl ? { ttl: b.ttl } : {}), ...(b.subDomain === undefined ? {} : { name: absolute(b.subDomain, r.zone) }) });
        return new Response(null, { status: 200 });
      },
    },
    { method: "DELETE", path: "/domain/zone/:zone/record/:id", write: true, handle: (req) => { const r = record(req); if (!r) return error(404, `The requested object (id = ${req.params.id}) does not exist`); store.remove(r.id); return new Response(null, { status: 200 }); } },
    {
      method: "POST", path: "/domain/zone/:zone/refresh",
      handle: (req) => {
        const zone = zoneOf(req.params.zone!);
        if (!zone) return error(404, "This service does not exist");
        refreshCount++;
        served = new Map(served).set(zone, store.records(zone).map((r) => ({ ...r })));
        return new Response(null, { status: 200 });
      },
    },
  ];

  const fake = await startFakeService({
    name: "OVHcloud API v1",
    basePath: "/1.0",
    error,
    routes,
    auth(req, path, text) {
      if (path === "/auth/time") return undefined;
      const appKey = req.headers.get("x-ovh-application") ?? "";
      const secret = o.applications[appKey];
      if (secret === undefined) return coded(403, "INVALID_KEY", "Invalid application key");
      const consumerKey = req.headers.get("x-ovh-consumer") ?? "";
      const consumer = o.consumers[consumerKey];
      if (!consumer || consumer.application !== appKey) return coded(403, "INVALID_CREDENTIAL", "This credential is not valid");
      const timestamp = req.headers.get("x-ovh-timestamp") ?? "";
      if (!/^\d+$/.test(timestamp) || Math.abs(Number(timestamp) - now() / 1000) > 180) return coded(400, "QUERY_TIME_OUT", "Query out of time");
      // Its own check of the signature: the URL as received, the body bytes as received.
      const expected = `$1$${createHash("sha1").update(`${secret}+${consumerKey}+${req.method}+${req.url}+${text}+${timestamp}`).digest("hex")}`;
      if (req.headers.get("x-ovh-signature") !== expected) return coded(400, "INVALID_SIGNATURE", "Invalid signature");
      if (!consumer.methods.includes(req.method)) return coded(403, "NOT_GRANTED_CALL", "This call has not been granted");
      return undefined;
    },
  });
  return {
    ...fake,
    store,
    refreshes: () => refreshCount,
    read: (name, type) => (served.get(store.zoneOf(name) ?? "") ?? []).filter((r) => r.name === name && r.type === type).map((r) => r.content).sort(),
    edit(name, type, contents, ttl = 3600) {
      const zone = store.zoneOf(name);
      if (!zone) throw new Error(`fake OVH: no zone holds ${JSON.stringify(name)}`);
      for (const r of store.find(zone, name, type)) store.remove(r.id);
      for (const content of contents) store.add({ zone, name, type, content, ttl, extra: {} });
      served = new Map(served).set(zone, store.records(zone).map((r) => ({ ...r })));
    },
  };
}
