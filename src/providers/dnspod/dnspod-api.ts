import * as v from "valibot";
import { mapAnswer, ok, shaped, type Answer, type Problem } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import { collectPages } from "../kit/paginate.ts";
import type { HeldRecord, WrittenType } from "../kit/record-plan.ts";
import type { RecordApi } from "../kit/record-provider.ts";
import { createRestApi } from "../kit/rest-api.ts";
import { createSignedCall } from "../kit/signed-call.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, relativeName, type Zone } from "../kit/zone-finder.ts";
import { tc3Authorization } from "./tc3-sign.ts";

/**
 * DNSPod on Tencent Cloud API 3.0, version 2021-03-23 (docs/providers/dnspod.md): every call is a signed JSON POST to
 * "/" naming its action in X-TC-Action. Zones from DescribeDomainList; a name's records from DescribeRecordList
 * (Subdomain, RecordType, ErrorOnEmpty "no"; Offset/Limit pages), written by CreateRecord / ModifyRecord /
 * DeleteRecord on the default line ("默认"), comments in Remark. Answers are HTTP 200 whatever happened: an error is
 * `{"Response": {"Error": {"Code", "Message"}, "RequestId"}}`.
 */
const VERSION = "2021-03-23";
const LINE = "默认";
const CONTENT_TYPE = "application/json; charset=utf-8";
const RECORD = v.object({ RecordId: v.number(), Name: v.string(), Type: v.string(), Value: v.string(), TTL: v.number(), Remark: v.optional(v.string()) });
const RECORDS = v.object({ Response: v.object({ RecordList: v.optional(v.array(RECORD), []), RecordCountInfo: v.optional(v.object({ TotalCount: v.number() })) }) });
const DOMAINS = v.object({ Response: v.object({ DomainList: v.optional(v.array(v.object({ Name: v.string() })), []), DomainCountInfo: v.object({ AllTotal: v.number() }) }) });
const errorOf = (json: unknown) => (json as { Response?: { Error?: { Code?: unknown; Message?: unknown } } } | undefined)?.Response?.Error;

function explain(f: HttpFailure): Partial<Problem> | undefined {
  const e = errorOf(f.json);
  const code = typeof e?.Code === "string" ? e.Code : undefined;
  if (!code) return undefined;
  const said = `${JSON.stringify(code)}${typeof e?.Message === "string" ? `: ${quoteBody(e.Message)}` : ""}`;
  if (code === "RequestLimitExceeded" || code.startsWith("LimitExceeded") || code.startsWith("RequestLimitExceeded")) return { kind: "rate-limited", reason: `DNSPod's request limit is spent (${said}; 20 requests a second per API)` };
  if (code === "AuthFailure.SecretIdNotFound" || code === "AuthFailure.InvalidSecretId") return { kind: "auth", reason: `Tencent Cloud does not know the SecretId (${said}); check DDNS_PROVIDER_API_KEY` };
  if (code === "AuthFailure.SignatureFailure") return { kind: "auth", reason: `Tencent Cloud refused the request's signature (${said}); check DDNS_PROVIDER_API_TOKEN: the SecretKey of the SecretId in DDNS_PROVIDER_API_KEY` };
  if (code === "AuthFailure.SignatureExpire") return { kind: "transient", reason: `Tencent Cloud refused the request's timestamp (${said}); check this host's clock` };
  if (code.startsWith("AuthFailure") || code.startsWith("UnauthorizedOperation") || code === "OperationDenied") return { kind: "auth", reason: `Tencent Cloud refused the call (${said}); give the API key's CAM user the policy QcloudDNSPodFullAccess (or DescribeDomainList, DescribeRecordList, CreateRecord, ModifyRecord and DeleteRecord)` };
  if (code === "ResourceNotFound.NoDataOfRecord" || code === "InvalidParameter.RecordIdInvalid") return { kind: "config", tag: "stale-record", reason: `DNSPod no longer has the record (${said})` };
  if (code.includes("DomainNotExist") || code === "ResourceNotFound.NoDataOfDomain" || code === "InvalidParameter.DomainIdInvalid") return { kind: "config", tag: "stale-zone", reason: `DNSPod no longer has the domain (${said})` };
  if (code.includes("TTL") || code.startsWith("InvalidParameter") || code.startsWith("LimitExceeded")) return { kind: "config", reason: `DNSPod refused the record (${said}); check DDNS_RECORD_TTL (600 or more on the free plan)` };
  if (code.startsWith("InternalError") || code === "ResourceUnavailable") return { kind: "transient", reason: `DNSPod failed (${said})` };
  return undefined;
}

export function dnspodApi(s: { secretId: string; secretKey: string; apiUrl: string }, deps: ProviderDeps): RecordApi<Zone> {
  const api = createRestApi(deps, {
    service: "DNSPod", baseUrl: s.apiUrl, secrets: [s.secretKey, s.secretId], explain, errorText: (f) => String(errorOf(f.json)?.Message ?? ""),
    verdict: (json) => (errorOf(json) ? "refused" : json && typeof json === "object" && "Response" in json ? "ok" : "unreadable"),
  });
  const host = new URL(s.apiUrl).host;
  /** One action: its answer, `body` signed with the action named. */
  const action = (name: string, body: object, signal: AbortSignal) =>
    createSignedCall(api, s.apiUrl, (req) => {
      const timestamp = Math.floor(deps.now() / 1000);
      const authorization = tc3Authorization({ secretId: s.secretId, secretKey: s.secretKey, service: "dnspod", host, action: name, contentType: CONTENT_TYPE, body: req.body, timestamp });
      return { Authorization: authorization, "X-TC-Action": name, "X-TC-Version": VERSION, "X-TC-Timestamp": String(timestamp) };
    }, { contentType: CONTENT_TYPE })("POST", "/", { body, signal });
  const held = (r: v.InferOutput<typeof RECORD>): HeldRecord => ({ id: String(r.RecordId), content: r.Value, ttl: r.TTL, ...(r.Remark ? { comment: r.Remark } : {}) });
  const sub = (name: string, zone: Zone) => relativeName(name, zone.name);

  /** Every item of a listing: Offset counts what came, since the service may cap Limit below what is asked. */
  async function listing<B, T>(name: string, body: object, schema: v.GenericSchema<unknown, B>, what: string, pick: (b: B) => { items: T[]; total: number | undefined }, signal: AbortSignal): Promise<Answer<T[]>> {
    let offset = 0;
    return collectPages<T>(async () => {
      const page = mapAnswer(shaped(await action(name, { ...body, Offset: offset, Limit: 100 }, signal), schema, what), pick);
      if (page.ok) offset += page.value.items.length;
      return mapAnswer(page, ({ items, total }) => ({ items, ...(total === undefined ? {} : { total }) }));
    }, { service: "DNSPod" });
  }

  async function records(zone: Zone, name: string, type: WrittenType, signal: AbortSignal): Promise<Answer<HeldRecord[]>> {
    const all = await listing("DescribeRecordList", { Domain: zone.name, Subdomain: sub(name, zone), RecordType: type, ErrorOnEmpty: "no" }, RECORDS, "DNSPod's record list", (b) => ({ items: b.Response.RecordList, total: b.Response.RecordCountInfo?.TotalCount }), signal);
    // An empty list is an error on accounts where ErrorOnEmpty is not yet honoured.
    if (!all.ok && all.problem.tag === "stale-record") return ok([]);
    return mapAnswer(all, (found) => found.filter((r) => r.Type === type && r.Name.toLowerCase() === sub(name, zone)).map(held));
  }

  return {
    service: "DNSPod",
    zoneFix: "add the domain to DNSPod in the Tencent Cloud account the API key belongs to",
    zones: createZoneFinder<Zone>({
      now: deps.now,
      list: async (signal) => mapAnswer(await listing("DescribeDomainList", {}, DOMAINS, "DNSPod's domain list", (b) => ({ items: b.Response.DomainList, total: b.Response.DomainCountInfo.AllTotal }), signal), (all) => all.map((d) => ({ name: d.Name.toLowerCase() }))),
    }),
    list: (zone, name, type, signal) => records(zone, name, type, signal),
    async create(zone, record, signal) {
      const body = { Domain: zone.name, SubDomain: sub(record.name, zone), RecordType: record.type, RecordLine: LINE, Value: record.content, ...(record.ttl === undefined ? {} : { TTL: record.ttl }), ...(record.comment ? { Remark: record.comment } : {}) };
      const answer = shaped(await action("CreateRecord", body, signal), v.object({ Response: v.object({ RecordId: v.number() }) }), "DNSPod's answer to the create");
      if (!answer.ok && answer.problem.reason.includes("documented shape")) return ok(undefined);
      return mapAnswer(answer, (b) => ({ id: String(b.Response.RecordId), content: record.content, ...(record.ttl === undefined ? {} : { ttl: record.ttl }) }));
    },
    async update(zone, record, changes, request, signal) {
      const comment = changes.comment ?? request.comment ?? record.comment;
      const body = { Domain: zone.name, SubDomain: sub(request.name, zone), RecordType: request.type, RecordLine: LINE, Value: changes.content, RecordId: Number(record.id), ...(record.ttl === undefined ? {} : { TTL: record.ttl }), ...(comment ? { Remark: comment } : {}) };
      return mapAnswer(await action("ModifyRecord", body, signal), () => undefined);
    },
    remove: async (zone, record, signal) => mapAnswer(await action("DeleteRecord", { Domain: zone.name, RecordId: Number(record.id) }, signal), () => undefined),
  };
}
