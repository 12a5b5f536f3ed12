import { createHmac } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { json, startFakeService, type FakeService, type Route } from "../kit/fake-service.ts";
import { absolute, createZoneStore, relative, type StoredRecord, type ZoneStore } from "../kit/zone-store.ts";

/**
 * A strict fake of Alibaba Cloud DNS, RPC API 2015-01-09 (https://alidns.aliyuncs.com), written on 2026-12-02 from
 * Alibaba Cloud's documentation as its clients implement it (the documentation site was not reachable from here;
 * what follows is the "RPC API signature method" v1: HMAC-SHA1 with key secret + "&" over
 * "GET&%2F&" + percent-encoded sorted query, common parameters Format/Version/AccessKeyId/SignatureMethod/Timestamp/
 * SignatureVersion/SignatureNonce, a nonce used once, a timestamp within 15 minutes; Alidns API reference
 * DescribeDomains, DescribeSubDomainRecords, AddDomainRecord, UpdateDomainRecord, DeleteDomainRecord; common error
 * codes InvalidAccessKeyId.NotFound 404, SignatureDoesNotMatch 400, InvalidTimeStamp.Expired 400,
 * SignatureNonceUsed 400, Forbidden.RAM 403, Throttling.User), checked against jeessy2/ddns-go
 * (util/aliyun_signer.go: the key, the string to sign, the encoding) — the statuses of the error codes are the
 * fake's reading, not verified here.
 * Left open, so the fake is strict: unknown parameters are refused (InvalidParameter 400); PageSize above 100 is
 * refused (the documented maximum) and the fake serves `pageSize` per page; a TTL under 600 is refused on its
 * free-edition account (DomainRecordTTL… 400); UpdateDomainRecord with the record's current values is
 * DomainRecordDuplicate, as Alibaba answers.
 */
export interface FakeAliyunOptions {
  /** AccessKey ID → secret. */
  keys: Record<string, string>;
  zones: string[];
  pageSize?: number;
}

export interface FakeAliyun extends FakeService {
  store: ZoneStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, contents: string[], ttl?: number): void;
  /** The parameters of each request, in order. */
  calls: Array<Record<string, string>>;
}

const STATUS_CODES: Record<number, string> = { 400: "InvalidParameter", 403: "Forbidden", 404: "InvalidAction.NotFound", 405: "UnsupportedHTTPMethod", 429: "Throttling.User" };
let requestId = 0;
const refuse = (status: number, code: string, message: string) => json(status, { RequestId: `REQ-${++requestId}`, HostId: "alidns.aliyuncs.com", Code: code, Message: message, Recommend: "https://api.aliyun.com/troubleshoot" });
const answer = (body: object) => json(200, { RequestId: `REQ-${++requestId}`, ...body });
const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const num = v.pipe(v.string(), v.regex(/^\d+$/));
const COMMON = { Format: v.literal("JSON"), Version: v.literal("2015-01-09"), AccessKeyId: v.string(), SignatureMethod: v.literal("HMAC-SHA1"), SignatureVersion: v.literal("1.0"), SignatureNonce: v.string(), Timestamp: v.string(), Action: v.string(), Signature: v.string() };
const SCHEMAS: Record<string, v.GenericSchema> = {
  DescribeDomains: v.strictObject({ ...COMMON, PageNumber: v.optional(num), PageSize: v.optional(num), KeyWord: v.optional(v.string()) }),
  DescribeSubDomainRecords: v.strictObject({ ...COMMON, SubDomain: v.string(), DomainName: v.optional(v.string()), Type: v.optional(v.string()), PageNumber: v.optional(num), PageSize: v.optional(num), Line: v.optional(v.string()) }),
  AddDomainRecord: v.strictObject({ ...COMMON, DomainName: v.string(), RR: v.string(), Type: v.string(), Value: v.string(), TTL: v.optional(num), Line: v.optional(v.string()) }),
  UpdateDomainRecord: v.strictObject({ ...COMMON, RecordId: num, RR: v.string(), Type: v.string(), Value: v.string(), TTL: v.optional(num), Line: v.optional(v.string()) }),
  DeleteDomainRecord: v.strictObject({ ...COMMON, RecordId: num }),
};

export async function startFakeAliyun(o: FakeAliyunOptions): Promise<FakeAliyun> {
  const store = createZoneStore(o.zones, (n) => String(20_000_000_000 + n));
  const pageSize = o.pageSize ?? 100;
  const calls: Array<Record<string, string>> = [];
  const nonces = new Set<string>();
  let applied = 0;
  const shown = (r: StoredRecord) => ({ RecordId: r.id, DomainName: r.zone, RR: relative(r.name, r.zone), Type: r.type, Value: r.content, TTL: r.ttl, Line: "default", Status: "ENABLE", Locked: false, Weight: 1 });
  const paged = <T>(all: T[], p: Record<string, string>) => {
    const size = Math.min(Number(p.PageSize ?? 20), pageSize), number = Number(p.PageNumber ?? 1);
    return { TotalCount: all.length, PageNumber: number, PageSize: size, items: all.slice((number - 1) * size, number * size) };
  };
  const invalid = (p: Record<string, string>) =>
    (p.Type === "A" && !isIPv4(p.Value!)) || (p.Type === "AAAA" && !isIPv6(p.Value!)) ? refuse(400, "InvalidValue", "The parameter value Value is invalid.")
      : p.TTL !== undefined && Number(p.TTL) < 600 ? refuse(400, "DomainRecordTTLInvalid", "The TTL is below the minimum of the domain's edition.") : undefined;

  function handle(p: Record<string, string>): Response {
    if (p.PageSize !== undefined && Number(p.PageSize) > 100) return refuse(400, "InvalidPageSize", "PageSize must be at most 100.");
    if (p.Action === "DescribeDomains") {
      const { items, ...rest } = paged(store.zones(), p);
      return answer({ ...rest, Domains: { Domain: items.map((name, i) => ({ DomainId: `d-${i}`, DomainName: name, RecordCount: store.records(name).length, VersionCode: "mianfei" })) } });
    }
    if (p.Action === "DescribeSubDomainRecords") {
      const zone = p.DomainName ? (store.hasZone(p.DomainName) ? p.DomainName : undefined) : store.zoneOf(p.SubDomain!);
      if (!zone) return refuse(400, "InvalidDomainName.NoExist", "The specified domain name does not exist. Refresh the page and try again.");
      const { items, ...rest } = paged(store.find(zone, p.SubDomain!.toLowerCase()).filter((r) => !p.Type || r.type === p.Type), p);
      return answer({ ...rest, DomainRecords: { Record: items.map(shown) } });
    }
    if (p.Action === "AddDomainRecord") {
      if (!store.hasZone(p.DomainName!)) return refuse(400, "InvalidDomainName.NoExist", "The specified domain name does not exist.");
      const name = absolute(p.RR!, p.DomainName!);
      if (store.find(p.DomainName!, name, p.Type).some((r) => r.content === p.Value)) return refuse(400, "DomainRecordDuplicate", "The DNS record already exists.");
      const bad = invalid(p);
      if (bad) return bad;
      return answer({ RecordId: store.add({ zone: p.DomainName!, name, type: p.Type!, content: p.Value!, ttl: Number(p.TTL ?? 600), extra: {} }).id });
    }
    const held = store.byId(p.RecordId!);
    if (!held) return refuse(400, "DomainRecordNotBelongToUser", "The DNS record does not belong to you.");
    if (p.Action === "DeleteDomainRecord") return (store.remove(held.id), answer({ RecordId: held.id }));
    if (held.content === p.Value && relative(held.name, held.zone) === p.RR && held.type === p.Type) return refuse(400, "DomainRecordDuplicate", "The DNS record already exists.");
    const bad = invalid(p);
    if (bad) return bad;
    store.update(held.id, { name: absolute(p.RR!, held.zone), type: p.Type!, content: p.Value!, ...(p.TTL ? { ttl: Number(p.TTL) } : {}) });
    return answer({ RecordId: held.id });
  }

  const routes: Route[] = [{
    method: "GET", path: "/",
    handle(req) {
      const p = Object.fromEntries(req.query) as Record<string, string>;
      calls.push(p);
      const schema = SCHEMAS[p.Action ?? ""];
      if (!schema) return refuse(404, "InvalidAction.NotFound", `Specified api is not found, please check your url and method.`);
      const checked = v.safeParse(schema, p);
      if (!checked.success) return refuse(400, "InvalidParameter", `${v.getDotPath(checked.issues[0]) ?? "query"}: ${checked.issues[0].message}`);
      const response = handle(p);
      if (/^(Add|Update|Delete)DomainRecord$/.test(p.Action!) && response.status === 200) applied++;
      return response;
    },
  }];

  const fake = await startFakeService({
    name: "Alibaba Cloud DNS (RPC 2015-01-09)",
    basePath: "",
    error: (status, message) => refuse(status, STATUS_CODES[status] ?? "InternalError", message),
    routes,
    auth(req) {
      // Its own check of the signature v1, from the query as received.
      const raw = new URL(req.url).search.slice(1).split("&").filter(Boolean).map((pair) => pair.split("=").map((x) => decodeURIComponent(x)) as [string, string]);
      const p = Object.fromEntries(raw);
      const secret = o.keys[p.AccessKeyId ?? ""];
      if (secret === undefined) return refuse(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
      const at = Date.parse(p.Timestamp ?? "");
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(p.Timestamp ?? "") || Math.abs(at - Date.now()) > 15 * 60_000) return refuse(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.");
      const canonical = raw.filter(([k]) => k !== "Signature").map(([k, val]) => [enc(k), enc(val)]).sort(([a], [b]) => (a! < b! ? -1 : 1)).map(([k, val]) => `${k}=${val}`).join("&");
      const expected = createHmac("sha1", `${secret}&`).update(`${req.method}&${enc("/")}&${enc(canonical)}`).digest("base64");
      if (p.Signature !== expected) return refuse(400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.");
      if (nonces.has(p.SignatureNonce ?? "")) return refuse(400, "SignatureNonceUsed", "Specified signature nonce was used already.");
      nonces.add(p.SignatureNonce ?? "");
      return undefined;
    },
  });
  return {
    ...fake,
    writes: () => applied,
    store,
    calls,
    read: (name, type) => store.read(name, type),
    edit(name, type, contents, ttl = 600) {
      const zone = store.zoneOf(name);
      if (!zone) throw new Error(`fake Alibaba Cloud: no zone holds ${JSON.stringify(name)}`);
      for (const r of store.find(zone, name, type)) store.remove(r.id);
      for (const content of contents) store.add({ zone, name, type, content, ttl, extra: {} });
    },
  };
}
