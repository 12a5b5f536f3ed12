import * as v from "valibot";
import { fail, mapAnswer, ok, shaped, type Answer, type Problem } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import type { HeldRecord } from "../kit/record-plan.ts";
import type { RecordApi } from "../kit/record-provider.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, relativeName, type Zone } from "../kit/zone-finder.ts";

/**
 * NameSilo API (docs/providers/namesilo.md): every operation a GET of `<base>/<operation>?version=1&type=json&key=…`
 * answered with HTTP 200 and `{"request": {…}, "reply": {"code", "detail", …}}`; code 300 is success, any other
 * code the refusal. The domain is the zone (a name is tried as a domain from the longest suffix; code 200 "not
 * active, or does not belong to this user" means "not this one"). `dnsListRecords` gives every record of the domain
 * (`resource_record`: an array, a lone object, or absent; `host` absolute, `ttl` a string or a number);
 * `dnsAddRecord` / `dnsUpdateRecord` take `rrhost` relative to the domain ("" at the apex) and answer with the
 * record's `record_id`, which an update may change; `dnsDeleteRecord` takes `rrid`. One request a second per IP.
 */
const CODE = v.union([v.number(), v.pipe(v.string(), v.transform(Number))]);
const RECORD = v.object({ record_id: v.string(), type: v.string(), host: v.string(), value: v.string(), ttl: CODE });
const LISTING = v.object({ reply: v.object({ resource_record: v.optional(v.union([v.array(RECORD), RECORD])) }) });
const WRITTEN = v.object({ reply: v.object({ record_id: v.string() }) });
type NsRecord = v.InferOutput<typeof RECORD>;

const replyOf = (body: unknown) => (body as { reply?: { code?: unknown; detail?: unknown } } | undefined)?.reply;
const codeOf = (body: unknown) => Number(replyOf(body)?.code);

/** The reply code decides, whatever the HTTP status says. */
function verdict(body: unknown): "ok" | "refused" | "unreadable" {
  const code = codeOf(body);
  return !Number.isFinite(code) ? "unreadable" : code === 300 ? "ok" : "refused";
}

function explain(f: HttpFailure): Partial<Problem> | undefined {
  const code = codeOf(f.json);
  if (f.status === 429) return { kind: "rate-limited", reason: `NameSilo's request limit is spent (HTTP 429; one request a second per IP address)`, ...(f.retryAfterMs ? { retryAfterMs: f.retryAfterMs } : {}) };
  if (f.reason !== "http" || !Number.isFinite(code)) return undefined;
  const detail = replyOf(f.json)?.detail;
  const said = `code ${code}${typeof detail === "string" ? ` ${quoteBody(detail)}` : ""}`;
  if (code === 109 || code === 110 || code === 111) return { kind: "auth", reason: `NameSilo refused the API key (${said}); check DDNS_PROVIDER_API_TOKEN (Account → API Manager)` };
  if (code === 112) return { kind: "auth", reason: `NameSilo refused the API key (${said}); use an API key of the main account in DDNS_PROVIDER_API_TOKEN, not a sub-account's` };
  if (code === 113) return { kind: "auth", reason: `NameSilo refused the API key from this address (${said}); allow this host's IP address for the key in the API Manager, or remove the IP restriction` };
  if (code === 200) return { kind: "config", reason: `NameSilo no longer has the domain in this account (${said})`, tag: "stale-zone" };
  if (code === 280) return { kind: "config", reason: `NameSilo refused the change (${said}); check DDNS_RECORD_TTL (3600 to 2592000) and that the domain uses NameSilo's name servers`, ...(/dnsUpdateRecord|dnsDeleteRecord/.test(f.url) ? { tag: "stale-record" as const } : {}) };
  return { kind: code >= 200 && code < 300 ? "transient" : "config", reason: `NameSilo refused the request (${said})` };
}

const held = (r: NsRecord): HeldRecord => ({ id: r.record_id, content: r.value, ttl: r.ttl });

export function namesiloApi(s: { token: string; apiUrl: string }, deps: ProviderDeps): RecordApi<Zone> {
  const api = createRestApi(deps, { service: "NameSilo", baseUrl: s.apiUrl, secrets: [s.token], verdict, explain, timeoutMs: 20_000 });
  const base = { version: "1", type: "json", key: s.token };
  const get = (operation: string, query: Record<string, string>, signal: AbortSignal, write = false) =>
    api.call("GET", `/${operation}`, { query: { ...base, ...query }, signal, write });
  async function records(domain: string, type: string, signal: AbortSignal): Promise<Answer<NsRecord[]>> {
    const answer = shaped(await get("dnsListRecords", { domain }, signal), LISTING, "NameSilo's record list");
    if (!answer.ok) return answer;
    const found = answer.value.reply.resource_record ?? [];
    return ok((Array.isArray(found) ? found : [found]).filter((r) => r.type === type));
  }
  const name = (r: NsRecord) => r.host.toLowerCase().replace(/\.$/, "");
  const written = (answer: Answer<unknown>, content: string, ttl: number | undefined) => {
    const parsed = shaped(answer, WRITTEN, "NameSilo's answer");
    // The change was made whatever the answer looks like; an unreadable one leaves the id unknown.
    return parsed.ok ? ok({ id: parsed.value.reply.record_id, content, ...(ttl ? { ttl } : {}) }) : ok(undefined);
  };

  return {
    service: "NameSilo",
    zoneFix: "register or transfer the domain to this NameSilo account, and make sure it is active",
    zones: createZoneFinder<Zone>({
      now: deps.now,
      async lookup(candidate, signal) {
        const answer = await get("dnsListRecords", { domain: candidate }, signal);
        if (!answer.ok) return answer.problem.tag === "stale-zone" ? ok(undefined) : fail(answer.problem);
        return ok({ name: candidate });
      },
    }),
    list: async (zone, n, type, signal) => mapAnswer(await records(zone.name, type, signal), (found) => found.filter((r) => name(r) === n).map(held)),
    listAll: async (zone, type, signal) => mapAnswer(await records(zone.name, type, signal), (found) => found.map((r) => ({ ...held(r), name: name(r) }))),
    async create(zone, record, signal) {
      const query = { domain: zone.name, rrtype: record.type, rrhost: relativeName(record.name, zone.name, ""), rrvalue: record.content, ...(record.ttl ? { rrttl: String(record.ttl) } : {}) };
      const answer = await get("dnsAddRecord", query, signal, true);
      return answer.ok ? written(answer, record.content, record.ttl) : answer;
    },
    async update(zone, record, changes, request, signal) {
      const query = { domain: zone.name, rrid: record.id, rrhost: relativeName(request.name, zone.name, ""), rrvalue: changes.content, ...(record.ttl ? { rrttl: String(record.ttl) } : {}) };
      const answer = await get("dnsUpdateRecord", query, signal, true);
      if (!answer.ok) return answer;
      const parsed = written(answer, changes.content, record.ttl);
      return ok(parsed.ok && parsed.value ? { id: parsed.value.id } : undefined);
    },
    remove: async (zone, record, signal) => mapAnswer(await get("dnsDeleteRecord", { domain: zone.name, rrid: record.id }, signal, true), () => undefined),
  };
}
