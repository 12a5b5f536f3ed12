import { createHmac } from "node:crypto";
import * as v from "valibot";
import { mapAnswer, ok, shaped, type Answer, type Problem } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import { collectPages } from "../kit/paginate.ts";
import type { HeldRecord } from "../kit/record-plan.ts";
import type { RecordApi } from "../kit/record-provider.ts";
import { createRestApi } from "../kit/rest-api.ts";
import { encodeRfc3986, queryString } from "../kit/signed-call.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, relativeName, type Zone } from "../kit/zone-finder.ts";

/**
 * Alibaba Cloud DNS, RPC API version 2015-01-09 (docs/providers/aliyun.md): every call is a GET of "/" whose query
 * holds the action, the common parameters and a signature v1 — base64 HMAC-SHA1 with key "secret&" over
 * "GET&%2F&" + the percent-encoded, sorted query. Written with node:crypto: Alibaba's signer ships only inside its
 * SDK (@alicloud/pop-core, tea-openapi), far larger than these dozen lines. Zones from DescribeDomains; a name's
 * records from DescribeSubDomainRecords; AddDomainRecord / UpdateDomainRecord / DeleteDomainRecord write them.
 * Errors are `{RequestId, Code, Message, Recommend}` with an HTTP 4xx/5xx status.
 */
const PAGE = 100;
const RECORD = v.object({ RecordId: v.string(), RR: v.string(), Type: v.string(), Value: v.string(), TTL: v.number() });
const RECORDS = v.object({ TotalCount: v.number(), DomainRecords: v.object({ Record: v.array(RECORD) }) });
const DOMAINS = v.object({ TotalCount: v.number(), Domains: v.object({ Domain: v.array(v.object({ DomainName: v.string() })) }) });

function explain(f: HttpFailure): Partial<Problem> | undefined {
  const e = f.json as { Code?: unknown; Message?: unknown } | undefined;
  const code = typeof e?.Code === "string" ? e.Code : undefined;
  if (!code) return f.status === 429 ? { kind: "rate-limited", reason: `Alibaba Cloud's request limit is spent (HTTP 429)` } : undefined;
  const said = `HTTP ${f.status} ${JSON.stringify(code)}${typeof e?.Message === "string" ? `: ${quoteBody(e.Message)}` : ""}`;
  if (code.startsWith("Throttling")) return { kind: "rate-limited", reason: `Alibaba Cloud's request limit is spent (${said})`, ...(f.retryAfterMs ? { retryAfterMs: f.retryAfterMs } : {}) };
  if (code.startsWith("InvalidAccessKeyId")) return { kind: "auth", reason: `Alibaba Cloud does not know the AccessKey (${said}); check DDNS_PROVIDER_API_KEY: an AccessKey ID that is enabled` };
  if (code === "SignatureDoesNotMatch" || code === "IncompleteSignature") return { kind: "auth", reason: `Alibaba Cloud refused the request's signature (${said}); check DDNS_PROVIDER_API_TOKEN: the AccessKey secret of the AccessKey ID in DDNS_PROVIDER_API_KEY` };
  if (code.startsWith("InvalidTimeStamp") || code === "SignatureNonceUsed") return { kind: "transient", reason: `Alibaba Cloud refused the request's timestamp (${said}); check this host's clock` };
  if (code.startsWith("Forbidden") || code.startsWith("NoPermission")) return { kind: "auth", reason: `Alibaba Cloud refused the call (${said}); give the AccessKey's RAM user the policy AliyunDNSFullAccess (or the Describe/Add/Update/DeleteDomainRecord actions)` };
  if (code === "DomainRecordNotBelongToUser" || code === "InvalidRecordId.NotFound") return { kind: "config", tag: "stale-record", reason: `Alibaba Cloud no longer has the record (${said})` };
  if (code.startsWith("InvalidDomainName") || code === "IncorrectDomainUser") return { kind: "config", tag: "stale-zone", reason: `Alibaba Cloud no longer has the domain (${said})` };
  if (code === "DomainRecordDuplicate" || code === "DomainRecordConflict") return { kind: "config", tag: "conflict", reason: `Alibaba Cloud refused the record (${said}): one like it exists` };
  if (f.status !== undefined && f.status >= 400 && f.status < 500) return { kind: "config", reason: `Alibaba Cloud refused the record (${said}); check DDNS_RECORD_TTL (600 or more on the free edition)` };
  return undefined;
}

export function aliyunApi(s: { accessKeyId: string; accessKeySecret: string; apiUrl: string }, deps: ProviderDeps): RecordApi<Zone> {
  const api = createRestApi(deps, { service: "Alibaba Cloud", baseUrl: s.apiUrl, secrets: [s.accessKeySecret, s.accessKeyId], explain, errorText: (f) => (f.json as { Message?: string } | undefined)?.Message });
  /** One signed action: the common parameters, sorted, then the signature over them. */
  async function action<T>(name: string, params: Record<string, string | number | undefined>, signal: AbortSignal, write = false): Promise<Answer<T | undefined>> {
    const common = { Format: "JSON", Version: "2015-01-09", AccessKeyId: s.accessKeyId, SignatureMethod: "HMAC-SHA1", SignatureVersion: "1.0", SignatureNonce: `${deps.now()}${Math.floor(deps.random() * 1e12)}`, Timestamp: new Date(deps.now()).toISOString().replace(/\.\d{3}Z$/, "Z"), Action: name };
    const query = queryString({ ...params, ...common }, true);
    const signature = createHmac("sha1", `${s.accessKeySecret}&`).update(`GET&${encodeRfc3986("/")}&${encodeRfc3986(query)}`).digest("base64");
    return api.call<T>("GET", `/?${query}&Signature=${encodeRfc3986(signature)}`, { signal, write });
  }
  const held = (r: v.InferOutput<typeof RECORD>): HeldRecord => ({ id: r.RecordId, content: r.Value, ttl: r.TTL });
  const rr = (name: string, zone: Zone) => relativeName(name, zone.name);

  return {
    service: "Alibaba Cloud",
    zoneFix: "add the domain to Alibaba Cloud DNS in the account the AccessKey belongs to",
    zones: createZoneFinder<Zone>({
      now: deps.now,
      list: async (signal) => mapAnswer(await collectPages(async (page) => mapAnswer(shaped(await action("DescribeDomains", { PageNumber: page, PageSize: PAGE }, signal), DOMAINS, "Alibaba Cloud's domain list"), (b) => ({
        items: b.Domains.Domain, total: b.TotalCount,
      })), { service: "Alibaba Cloud" }), (all) => all.map((d) => ({ name: d.DomainName.toLowerCase() }))),
    }),
    list: async (zone, name, type, signal) => mapAnswer(await collectPages(async (page) => mapAnswer(shaped(await action("DescribeSubDomainRecords", { DomainName: zone.name, SubDomain: name, Type: type, PageNumber: page, PageSize: PAGE }, signal), RECORDS, "Alibaba Cloud's record list"), (b) => ({
      items: b.DomainRecords.Record, total: b.TotalCount,
    })), { service: "Alibaba Cloud" }), (all) => all.filter((r) => r.Type === type && r.RR.toLowerCase() === rr(name, zone)).map(held)),
    async create(zone, record, signal) {
      const answer = await action<{ RecordId?: unknown }>("AddDomainRecord", { DomainName: zone.name, RR: rr(record.name, zone), Type: record.type, Value: record.content, TTL: record.ttl }, signal, true);
      if (!answer.ok) return answer;
      const id = answer.value?.RecordId;
      return ok(typeof id === "string" ? { id, content: record.content, ...(record.ttl === undefined ? {} : { ttl: record.ttl }) } : undefined);
    },
    update: async (zone, record, changes, request, signal) =>
      mapAnswer(await action("UpdateDomainRecord", { RecordId: record.id, RR: rr(request.name, zone), Type: request.type, Value: changes.content, TTL: record.ttl }, signal, true), () => undefined),
    remove: async (_zone, record, signal) => mapAnswer(await action("DeleteDomainRecord", { RecordId: record.id }, signal, true), () => undefined),
  };
}
