import { createHash, createHmac } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { json, startFakeService, type FakeService, type Route } from "../kit/fake-service.ts";
import { createZoneStore, type StoredRecord, type ZoneStore } from "../kit/zone-store.ts";

/**
 * A strict fake of Huawei Cloud DNS API v2 (https://dns.myhuaweicloud.com/v2), written on 2026-12-02 from Huawei
 * Cloud's documentation (DNS API reference: ListPublicZones `GET /v2/zones?type=public` with limit/offset and
 * `metadata.total_count`, ListRecordSetsByZone `GET /v2/zones/{zone_id}/recordsets` with name/type filters (fuzzy
 * name match), CreateRecordSet `POST` → 202 PENDING_CREATE, UpdateRecordSet `PUT …/{recordset_id}` → 202
 * PENDING_UPDATE, ShowRecordSet; errors `{code, message}`; API Gateway "AK/SK signing and authentication":
 * SDK-HMAC-SHA256, X-Sdk-Date within 15 minutes, APIGW.0301 with 401 for a bad signature), as jeessy2/ddns-go
 * implements the signature (util/huawei_signer.go, read 2026-12-02: canonical URI with a trailing "/", sorted query,
 * lower-case signed headers, hex HMAC-SHA256 with the SK); the API pages were not reachable from here, so paths,
 * fields and error codes follow the API reference as clients use it, not a fresh reading.
 * DeleteRecordSet `DELETE /v2/zones/{zone_id}/recordsets/{recordset_id}` → 202 with the set, status PENDING_DELETE
 * (huaweicloudDocs/dns cn.zh-cn/API参考/删除Record-Set.md, read 2026-12-02); it is gone after `pendingPolls` reads by id.
 * Left open, so the fake is strict: unknown body fields are refused (400 DNS.0303); names must be absolute with the
 * trailing dot; a set stays PENDING_* for `pendingPolls` reads by id, then is ACTIVE; `read` shows only ACTIVE sets.
 */
export interface FakeHuaweiOptions {
  /** AK → SK. */
  keys: Record<string, string>;
  zones: string[];
  pageSize?: number;
  pendingPolls?: number;
}

export interface FakeHuawei extends FakeService {
  store: ZoneStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, contents: string[], ttl?: number): void;
}

let requestId = 0;
const error = (status: number, message: string, code = status === 404 ? "DNS.0101" : status === 429 ? "APIGW.0308" : "DNS.0303") => json(status, { code, message });
const gateway = (code: string, msg: string) => json(401, { error_code: code, error_msg: msg, request_id: `req-${++requestId}` });
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const CREATE = v.strictObject({ name: v.string(), type: v.string(), records: v.array(v.string()), ttl: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))), description: v.optional(v.pipe(v.string(), v.maxLength(255))) });
const UPDATE = v.strictObject({ name: v.optional(v.string()), type: v.optional(v.string()), records: v.optional(v.array(v.string())), ttl: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))), description: v.optional(v.pipe(v.string(), v.maxLength(255))) });

/** The fake's own check of an SDK-HMAC-SHA256 signature, from the request as received. */
function verify(req: Request, text: string, keys: Record<string, string>): Response | undefined {
  const m = /^SDK-HMAC-SHA256 Access=([^,]+), SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(req.headers.get("authorization") ?? "");
  if (!m) return gateway("APIGW.0301", "Incorrect IAM authentication information: Authorization format incorrect");
  const [, ak, signed, signature] = m as unknown as [string, string, string, string];
  const sk = keys[ak];
  if (sk === undefined) return gateway("APIGW.0301", "Incorrect IAM authentication information: ak not found");
  const date = req.headers.get("x-sdk-date") ?? "";
  const at = Date.parse(date.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"));
  if (!Number.isFinite(at) || Math.abs(at - Date.now()) > 15 * 60_000) return gateway("APIGW.0303", "Incorrect app authentication information: the request has expired");
  const names = signed.split(";");
  if (!names.includes("host") || !names.includes("x-sdk-date")) return gateway("APIGW.0301", "Incorrect IAM authentication information: host and x-sdk-date must be signed");
  const url = new URL(req.url);
  const query = [...url.searchParams].map(([k, val]) => [enc(k), enc(val)]).sort(([a, x], [b, y]) => (a! < b! ? -1 : a! > b! ? 1 : x! < y! ? -1 : 1)).map(([k, val]) => `${k}=${val}`).join("&");
  const path = url.pathname.split("/").map((s) => enc(decodeURIComponent(s))).join("/");
  const canonical = `${req.method}\n${path.endsWith("/") ? path : `${path}/`}\n${query}\n${names.map((n) => `${n}:${(req.headers.get(n) ?? "").trim()}\n`).join("")}\n${signed}\n${sha256(text)}`;
  const expected = createHmac("sha256", sk).update(`SDK-HMAC-SHA256\n${date}\n${sha256(canonical)}`).digest("hex");
  return expected === signature ? undefined : gateway("APIGW.0301", "Incorrect IAM authentication information: verify aksk signature fail");
}

export async function startFakeHuawei(o: FakeHuaweiOptions): Promise<FakeHuawei> {
  const store = createZoneStore(o.zones, (n) => `ff8080827${String(n).padStart(23, "0")}`);
  const zoneIds = new Map(o.zones.map((z, i) => [`2c9eb155${String(i + 1).padStart(24, "0")}`, z]));
  const pageSize = o.pageSize ?? 500;
  /** One stored record per set (its `extra.records` holds the values); sets pending for so many reads. */
  const pending = new Map<string, number>();
  const setOf = (r: StoredRecord) => ({ id: r.id, name: `${r.name}.`, type: r.type, ttl: r.ttl, records: r.extra.records as string[], description: (r.extra.description as string | undefined) ?? null, status: (pending.get(r.id) ?? 0) > 0 ? r.extra.pendingStatus : "ACTIVE", zone_id: [...zoneIds].find(([, z]) => z === r.zone)![0], zone_name: `${r.zone}.`, default: false });
  const zoneOf = (id: string) => zoneIds.get(id);
  const invalid = (type: string, records: string[]) => records.length === 0 || records.some((x) => (type === "A" && !isIPv4(x)) || (type === "AAAA" && !isIPv6(x))) ? error(400, "Invalid records.", "DNS.0308") : undefined;
  const page = <T>(all: T[], q: URLSearchParams) => all.slice(Number(q.get("offset") ?? 0), Number(q.get("offset") ?? 0) + Math.min(Number(q.get("limit") ?? 500), pageSize));

  const routes: Route[] = [
    { method: "GET", path: "/zones", query: ["type", "limit", "offset", "marker", "name", "status", "search_mode"], handle: (req) => {
      if (req.query.get("type") !== "public") return error(400, "Only public zones are served here.");
      const all = [...zoneIds].map(([id, name]) => ({ id, name: `${name}.`, zone_type: "public", status: "ACTIVE", ttl: 300, record_num: store.records(name).length }));
      return json(200, { zones: page(all, req.query), metadata: { total_count: all.length }, links: { self: "…" } });
    } },
    { method: "GET", path: "/zones/:zone/recordsets", query: ["name", "type", "limit", "offset", "marker", "status", "id", "records", "sort_key", "sort_dir", "search_mode"], handle: (req) => {
      const zone = zoneOf(req.params.zone!);
      if (!zone) return error(404, "Zone does not exist.", "DNS.0101");
      const name = req.query.get("name")?.toLowerCase(), type = req.query.get("type");
      const all = store.records(zone).filter((r) => (!name || `${r.name}.`.includes(name.replace(/\.$/, ""))) && (!type || r.type === type)).map(setOf);
      return json(200, { recordsets: page(all, req.query), metadata: { total_count: all.length } });
    } },
    { method: "GET", path: "/zones/:zone/recordsets/:id", handle: (req) => {
      const r = store.byId(req.params.id!);
      if (!r || r.zone !== zoneOf(req.params.zone!)) return error(404, "Record set does not exist.", "DNS.0312");
      if (r.extra.pendingStatus === "PENDING_DELETE" && (pending.get(r.id) ?? 0) <= 1) {
        store.remove(r.id);
        pending.delete(r.id);
        return error(404, "Record set does not exist.", "DNS.0312");
      }
      if ((pending.get(r.id) ?? 0) > 0) pending.set(r.id, pending.get(r.id)! - 1);
      return json(200, setOf(r));
    } },
    { method: "POST", path: "/zones/:zone/recordsets", body: CREATE, invalidStatus: 400, write: true, handle: (req) => {
      const zone = zoneOf(req.params.zone!);
      if (!zone) return error(404, "Zone does not exist.", "DNS.0101");
      const b = req.body as v.InferOutput<typeof CREATE>;
      const name = b.name.toLowerCase();
      if (!name.endsWith(".") || !(name === `${zone}.` || name.endsWith(`.${zone}.`))) return error(400, "The record set name must be absolute, inside the zone.", "DNS.0304");
      if (store.find(zone, name.slice(0, -1), b.type).length > 0) return error(400, "The record set already exists.", "DNS.0335");
      const bad = invalid(b.type, b.records);
      if (bad) return bad;
      const r = store.add({ zone, name: name.slice(0, -1), type: b.type, content: b.records[0]!, ttl: b.ttl ?? 300, extra: { records: b.records, description: b.description, pendingStatus: "PENDING_CREATE" } });
      pending.set(r.id, (o.pendingPolls ?? 0) + 1);
      return json(202, setOf(r));
    } },
    { method: "PUT", path: "/zones/:zone/recordsets/:id", body: UPDATE, invalidStatus: 400, write: true, handle: (req) => {
      const r = store.byId(req.params.id!);
      if (!r || r.zone !== zoneOf(req.params.zone!)) return error(404, "Record set does not exist.", "DNS.0312");
      const b = req.body as v.InferOutput<typeof UPDATE>;
      const bad = b.records ? invalid(r.type, b.records) : undefined;
      if (bad) return bad;
      store.update(r.id, { ...(b.ttl ? { ttl: b.ttl } : {}), ...(b.records ? { content: b.records[0]! } : {}), extra: { ...r.extra, ...(b.records ? { records: b.records } : {}), ...(b.description === undefined ? {} : { description: b.description }), pendingStatus: "PENDING_UPDATE" } });
      pending.set(r.id, (o.pendingPolls ?? 0) + 1);
      return json(202, setOf(store.byId(r.id)!));
    } },
    { method: "DELETE", path: "/zones/:zone/recordsets/:id", write: true, handle: (req) => {
      // DeleteRecordSet: 202 with the set PENDING_DELETE; it is gone (404 by id) once `pendingPolls` reads have passed.
      const r = store.byId(req.params.id!);
      if (!r || r.zone !== zoneOf(req.params.zone!)) return error(404, "Record set does not exist.", "DNS.0312");
      if (req.text.length > 0) return error(400, "A DELETE takes no body.", "DNS.0303");
      store.update(r.id, { extra: { ...r.extra, pendingStatus: "PENDING_DELETE" } });
      pending.set(r.id, (o.pendingPolls ?? 0) + 1);
      return json(202, setOf(store.byId(r.id)!));
    } },
  ];

  const fake = await startFakeService({ name: "Huawei Cloud DNS API v2", basePath: "/v2", error, routes, auth: (req, _path, text) => verify(req, text, o.keys) });
  return {
    ...fake,
    store,
    read: (name, type) => store.records(store.zoneOf(name) ?? "").filter((r) => r.name === name && r.type === type && !((pending.get(r.id) ?? 0) > 0)).flatMap((r) => r.extra.records as string[]).sort(),
    edit(name, type, contents, ttl = 300) {
      const zone = store.zoneOf(name);
      if (!zone) throw new Error(`fake Huawei Cloud: no zone holds ${JSON.stringify(name)}`);
      for (const r of store.find(zone, name, type)) store.remove(r.id);
      if (contents.length > 0) store.add({ zone, name, type, content: contents[0]!, ttl, extra: { records: contents } });
    },
  };
}
