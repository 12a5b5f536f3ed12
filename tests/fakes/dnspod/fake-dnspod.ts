import { createHash, createHmac } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { json, startFakeService, type FakeService, type Route } from "../kit/fake-service.ts";
import { absolute, createZoneStore, relative, type StoredRecord, type ZoneStore } from "../kit/zone-store.ts";

/**
 * A strict fake of DNSPod on Tencent Cloud API 3.0 (https://dnspod.tencentcloudapi.com, version 2021-03-23), written
 * on 2026-12-02 from Tencent Cloud's API documentation (cloud.tencent.com/document/api/1427: "Signature v3"
 * 56189 — TC3-HMAC-SHA256 over the canonical request with lower-cased signed headers, the credential scope
 * date/service/tc3_request, X-TC-Timestamp within 5 minutes; "Common error codes" 56192 — AuthFailure.*,
 * RequestLimitExceeded, every answer HTTP 200 with `Response.Error`; DescribeRecordList 56166 (Subdomain,
 * RecordType, Offset, Limit; ResourceNotFound.NoDataOfRecord when empty), CreateRecord 56180, ModifyRecord 56157;
 * DescribeDomainList and DeleteRecord), as jeessy2/ddns-go's Tencent Cloud client (util/tencent_cloud_signer.go,
 * dns/tencent_cloud.go, which cites those pages) implements them, read on 2026-12-02; the pages themselves were not
 * reachable from here. `ErrorOnEmpty` is as other DNSPod clients send it.
 * Left open, so the fake is strict: unknown parameters are refused ("UnknownParameter", the fake's choice of code);
 * RecordLine must be "默认"; ModifyRecord replaces the record's fields with what is sent (a
 * missing TTL becomes 600, a missing Remark clears it); a TTL under 600 is refused on the fake's free-plan account.
 */
export interface FakeDnspodOptions {
  /** SecretId → SecretKey. */
  keys: Record<string, string>;
  zones: string[];
  pageSize?: number;
}

export interface FakeDnspod extends FakeService {
  store: ZoneStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, contents: string[], ttl?: number): void;
  /** The action of each request, in order. */
  actions: string[];
}

const CODES: Record<number, string> = { 400: "InvalidParameter", 401: "AuthFailure", 403: "AuthFailure.UnauthorizedOperation", 404: "ResourceNotFound", 405: "UnsupportedOperation", 415: "InvalidParameter", 429: "RequestLimitExceeded" };
let requestId = 0;
const refuse = (code: string, message: string) => json(200, { Response: { Error: { Code: code, Message: message }, RequestId: `req-${++requestId}` } });
const answer = (body: object) => json(200, { Response: { ...body, RequestId: `req-${++requestId}` } });
const int = v.pipe(v.number(), v.integer());
const SCHEMAS: Record<string, v.GenericSchema> = {
  DescribeDomainList: v.strictObject({ Offset: v.optional(int), Limit: v.optional(int), Type: v.optional(v.string()), Keyword: v.optional(v.string()) }),
  DescribeRecordList: v.strictObject({ Domain: v.string(), Subdomain: v.optional(v.string()), RecordType: v.optional(v.string()), ErrorOnEmpty: v.optional(v.picklist(["yes", "no"])), Offset: v.optional(int), Limit: v.optional(int) }),
  CreateRecord: v.strictObject({ Domain: v.string(), SubDomain: v.optional(v.string()), RecordType: v.string(), RecordLine: v.string(), Value: v.string(), TTL: v.optional(int), Remark: v.optional(v.string()) }),
  ModifyRecord: v.strictObject({ Domain: v.string(), SubDomain: v.optional(v.string()), RecordType: v.string(), RecordLine: v.string(), Value: v.string(), RecordId: int, TTL: v.optional(int), Remark: v.optional(v.string()) }),
  DeleteRecord: v.strictObject({ Domain: v.string(), RecordId: int }),
};
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** The fake's own check of a TC3 signature, from the headers as received. */
function verify(req: Request, text: string, keys: Record<string, string>): Response | undefined {
  const m = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([a-z]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(req.headers.get("authorization") ?? "");
  if (!m) return refuse("AuthFailure.SignatureFailure", "The provided credentials could not be validated because of exceeding request size limit, please check your signature.");
  const [, id, date, service, signed, signature] = m as unknown as [string, string, string, string, string, string];
  const secretKey = keys[id];
  if (secretKey === undefined) return refuse("AuthFailure.SecretIdNotFound", "The SecretId is not found, please ensure that your SecretId is correct.");
  const timestamp = Number(req.headers.get("x-tc-timestamp"));
  if (!Number.isInteger(timestamp) || Math.abs(timestamp - Date.now() / 1000) > 300) return refuse("AuthFailure.SignatureExpire", "Signature expired.");
  const names = signed.split(";");
  if (!names.includes("content-type") || !names.includes("host") || service !== "dnspod" || new Date(timestamp * 1000).toISOString().slice(0, 10) !== date) return refuse("AuthFailure.SignatureFailure", "The provided credentials could not be validated. Please check your signature is correct.");
  const headers = names.map((n) => `${n}:${(req.headers.get(n) ?? "").trim().toLowerCase()}\n`).join("");
  const canonical = `${req.method}\n/\n${new URL(req.url).search.slice(1)}\n${headers}\n${signed}\n${sha256(text)}`;
  const key = [date, service, "tc3_request"].reduce<Buffer | string>((k, part) => createHmac("sha256", k).update(part).digest(), `TC3${secretKey}`);
  const expected = createHmac("sha256", key).update(`TC3-HMAC-SHA256\n${timestamp}\n${date}/${service}/tc3_request\n${sha256(canonical)}`).digest("hex");
  return expected === signature ? undefined : refuse("AuthFailure.SignatureFailure", "The provided credentials could not be validated. Please check your signature is correct.");
}

export async function startFakeDnspod(o: FakeDnspodOptions): Promise<FakeDnspod> {
  const store = createZoneStore(o.zones, (n) => String(1_000_000 + n));
  const pageSize = o.pageSize ?? 3000;
  const actions: string[] = [];
  let applied = 0;
  const shown = (r: StoredRecord) => ({ RecordId: Number(r.id), Name: relative(r.name, r.zone), Type: r.type, Value: r.content, TTL: r.ttl, Line: "默认", LineId: "0", Status: "ENABLE", Weight: null, MonitorStatus: "", Remark: String(r.extra.remark ?? ""), UpdatedOn: "2026-12-02 00:00:00", MX: 0, DefaultNS: false });
  const page = <T>(items: T[], offset = 0, limit = 100) => items.slice(offset, offset + Math.min(limit, pageSize));
  const bad = (type: string, value: string, ttl: number | undefined, line: string) =>
    line !== "默认" ? refuse("InvalidParameter.LineNotExist", "The line does not exist.")
      : (type === "A" && !isIPv4(value)) || (type === "AAAA" && !isIPv6(value)) ? refuse("InvalidParameter.RecordValueInvalid", "The record value is invalid.")
      : ttl !== undefined && (ttl < 600 || ttl > 604_800) ? refuse("InvalidParameter.TTLInvalid", "The TTL is invalid for the domain's plan.") : undefined;
  const zoneOf = (domain: string) => (store.hasZone(domain.toLowerCase()) ? domain.toLowerCase() : undefined);
  type B = Record<string, unknown> & { Domain: string };

  function handle(act: string, b: B): Response {
    if (act === "DescribeDomainList") {
      const all = store.zones().map((name, i) => ({ DomainId: i + 1, Name: name, Status: "ENABLE", TTL: 600, CNAMESpeedup: "DISABLE", DNSStatus: "", Grade: "DP_FREE", RecordCount: store.records(name).length }));
      return answer({ DomainCountInfo: { AllTotal: all.length, DomainTotal: all.length }, DomainList: page(all, b.Offset as number, (b.Limit as number) ?? 20) });
    }
    const zone = zoneOf(b.Domain);
    if (!zone) return refuse("InvalidParameterValue.DomainNotExists", "当前域名有误，请返回重新操作。");
    if (act === "DescribeRecordList") {
      const all = store.records(zone).filter((r) => (b.Subdomain === undefined || r.name === absolute(b.Subdomain as string, zone)) && (b.RecordType === undefined || r.type === b.RecordType));
      if (all.length === 0 && b.ErrorOnEmpty !== "no") return refuse("ResourceNotFound.NoDataOfRecord", "记录列表为空。");
      return answer({ RecordCountInfo: { SubdomainCount: all.length, ListCount: all.length, TotalCount: all.length }, RecordList: page(all, b.Offset as number, (b.Limit as number) ?? 100).map(shown) });
    }
    if (act === "CreateRecord") {
      const refused = bad(b.RecordType as string, b.Value as string, b.TTL as number | undefined, b.RecordLine as string);
      if (refused) return refused;
      const r = store.add({ zone, name: absolute((b.SubDomain as string) ?? "@", zone), type: b.RecordType as string, content: b.Value as string, ttl: (b.TTL as number) ?? 600, extra: { remark: b.Remark ?? "" } });
      return answer({ RecordId: Number(r.id) });
    }
    const held = store.byId(String(b.RecordId));
    if (!held || held.zone !== zone) return refuse("InvalidParameter.RecordIdInvalid", "记录编号错误。");
    if (act === "DeleteRecord") return (store.remove(held.id), answer({}));
    const refused = bad(b.RecordType as string, b.Value as string, b.TTL as number | undefined, b.RecordLine as string);
    if (refused) return refused;
    store.update(held.id, { name: absolute((b.SubDomain as string) ?? "@", zone), type: b.RecordType as string, content: b.Value as string, ttl: (b.TTL as number) ?? 600, extra: { remark: b.Remark ?? "" } });
    return answer({ RecordId: Number(held.id) });
  }

  const routes: Route[] = [{
    method: "POST", path: "/",
    async handle(req) {
      const act = req.headers.get("x-tc-action") ?? "";
      actions.push(act);
      const schema = SCHEMAS[act];
      if (!schema) return refuse("InvalidAction", `The action ${JSON.stringify(act)} does not exist.`);
      if (req.headers.get("x-tc-version") !== "2021-03-23") return refuse("NoSuchVersion", "The version does not exist.");
      if (!/^application\/json/.test(req.headers.get("content-type") ?? "")) return refuse("InvalidParameter", "The content type must be application/json.");
      let body: unknown;
      try { body = JSON.parse(req.text); } catch { return refuse("InvalidParameter", "The body is not valid JSON."); }
      const checked = v.safeParse(schema, body);
      if (!checked.success) return refuse("UnknownParameter", `${v.getDotPath(checked.issues[0]) ?? "body"}: ${checked.issues[0].message}`);
      const response = handle(act, checked.output as B);
      if (/^(Create|Modify|Delete)Record$/.test(act) && !((await response.clone().json()) as { Response: { Error?: unknown } }).Response.Error) applied++;
      return response;
    },
  }];

  const fake = await startFakeService({
    name: "Tencent Cloud API 3.0 (DNSPod)",
    basePath: "",
    error: (status, message) => refuse(CODES[status] ?? "InternalError", message),
    routes,
    auth: (req, _path, text) => verify(req, text, o.keys),
  });
  return {
    ...fake,
    // Every request is a POST here: a write is a record action answered without an error.
    writes: () => applied,
    store,
    actions,
    read: (name, type) => store.read(name, type),
    edit(name, type, contents, ttl = 600) {
      const zone = store.zoneOf(name);
      if (!zone) throw new Error(`fake DNSPod: no zone holds ${JSON.stringify(name)}`);
      for (const r of store.find(zone, name, type)) store.remove(r.id);
      for (const content of contents) store.add({ zone, name, type, content, ttl, extra: {} });
    },
  };
}
