import { fail, mapAnswer, ok, type Answer, type Problem } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HeldRecord } from "../kit/record-plan.ts";
import type { RecordApi } from "../kit/record-provider.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { encodeCall, parseXmlRpc, type XmlRpcDocument, type XmlRpcValue } from "../kit/xml-rpc.ts";
import { createZoneFinder, relativeName, type Zone } from "../kit/zone-finder.ts";

/**
 * Loopia API (docs/providers/loopia.md): XML-RPC over one endpoint, every method called with the API user and its
 * password first. Zones are the account's domains (`getDomains`: structs with `domain`); records are read per
 * subdomain (`getZoneRecords(domain, subdomain)`, "@" at the apex: structs `type`, `ttl`, `priority`, `rdata`,
 * `record_id`), added with `addZoneRecord` (the subdomain comes into being with its first record; the answer is
 * a status, no id), changed with `updateZoneRecord` (the whole record struct), deleted with `removeZoneRecord`.
 * Writes answer a status string ("OK", "AUTH_ERROR", "RATE_LIMITED", "BAD_INDATA", "UNKNOWN_ERROR"); reads answer
 * their value, or an array holding one status. The rate limit (60 calls a minute) may also come as fault 429.
 */
type LRecord = { type: string; ttl: number; priority: number; rdata: string; record_id: number };
const STATUSES = new Set(["OK", "AUTH_ERROR", "RATE_LIMITED", "BAD_INDATA", "UNKNOWN_ERROR", "DOMAIN_OCCUPIED", "INSUFFICIENT_FUNDS"]);
const MINUTE = 60_000;

const statusOf = (value: XmlRpcValue): string | undefined => {
  const only = Array.isArray(value) && value.length === 1 ? value[0] : value;
  return typeof only === "string" && STATUSES.has(only.trim()) ? only.trim() : undefined;
};

function refusal(status: string): Problem {
  const said = `Loopia answered ${status}`;
  if (status === "AUTH_ERROR") return { kind: "auth", reason: `${said}; check DDNS_PROVIDER_API_KEY (the API user, name@loopiaapi) and DDNS_PROVIDER_API_TOKEN (its password), and that the API user may call getDomains, getZoneRecords, addZoneRecord, updateZoneRecord and removeZoneRecord` };
  if (status === "RATE_LIMITED") return { kind: "rate-limited", reason: `${said} (60 calls a minute per API user)`, retryAfterMs: MINUTE };
  if (status === "BAD_INDATA") return { kind: "config", reason: `${said}; check DDNS_RECORD_TTL (at least 300) and that the domain is this account's` };
  return { kind: "transient", reason: said };
}

function faultProblem(doc: Extract<XmlRpcDocument, { kind: "fault" }>): Problem {
  const said = `Loopia answered fault ${doc.code} ${quoteBody(doc.message, 120)}`;
  if (doc.code === 429) return { kind: "rate-limited", reason: `${said} (60 calls a minute per API user)`, retryAfterMs: MINUTE };
  return { kind: doc.code >= 600 && doc.code < 700 ? "config" : "transient", reason: `${said}; if this persists, check DDNS_PROVIDER_API_URL` };
}

const isRecord = (v: XmlRpcValue): v is LRecord & Record<string, XmlRpcValue> =>
  !!v && typeof v === "object" && !Array.isArray(v) && typeof v.type === "string" && typeof v.rdata === "string" && typeof v.ttl === "number" && typeof v.record_id === "number";

export function loopiaApi(s: { user: string; password: string; apiUrl: string }, deps: ProviderDeps): RecordApi<Zone> {
  const api = createRestApi(deps, { service: "Loopia", baseUrl: s.apiUrl, secrets: [s.user, s.password], timeoutMs: 20_000, answerName: "an XML-RPC answer" });
  /** One method call: its value, a status other than OK as a problem, or "not XML-RPC". */
  async function rpc(method: string, params: XmlRpcValue[], signal: AbortSignal): Promise<Answer<XmlRpcValue>> {
    const body = encodeCall(method, [s.user, s.password, ...params]);
    const answer = await api.reply("POST", "", { body, headers: { "Content-Type": "text/xml" }, signal, write: !method.startsWith("get") }, (r) => parseXmlRpc(r.text), (doc) => (doc.kind === "response" && (statusOf(doc.value) ?? "OK") === "OK" ? "ok" : "error"));
    if (!answer.ok) return answer;
    const doc = answer.value;
    if (doc.kind === "fault") return fail(faultProblem(doc));
    if (doc.kind === "call") return fail({ kind: "transient", reason: "Loopia answered with a method call, which is not an XML-RPC answer; check DDNS_PROVIDER_API_URL" });
    const status = statusOf(doc.value);
    return status === undefined || status === "OK" ? ok(doc.value) : fail(refusal(status));
  }
  const shapeless = (what: string) => fail({ kind: "transient", reason: `Loopia's ${what} is not in the documented shape; if this persists, check DDNS_PROVIDER_API_URL` });
  const sub = (name: string, zone: Zone) => relativeName(name, zone.name);
  // removeZoneRecord wants the subdomain beside the id: the held id carries both ("www#123").
  const held = (subdomain: string) => (r: LRecord): HeldRecord => ({ id: `${subdomain}#${r.record_id}`, content: r.rdata, ttl: r.ttl });
  const idOf = (record: HeldRecord) => Number(record.id.slice(record.id.lastIndexOf("#") + 1));
  const subOf = (record: HeldRecord) => record.id.slice(0, record.id.lastIndexOf("#"));
  const done = async (answer: Promise<Answer<XmlRpcValue>>) => mapAnswer(await answer, () => undefined);

  return {
    service: "Loopia",
    zoneFix: "add the domain to the Loopia account of the API user (DDNS_PROVIDER_API_KEY)",
    zones: createZoneFinder<Zone>({
      now: deps.now,
      async list(signal) {
        const answer = await rpc("getDomains", [], signal);
        if (!answer.ok) return answer;
        const domains = Array.isArray(answer.value) ? answer.value.map((d) => (d && typeof d === "object" && !Array.isArray(d) ? d.domain : undefined)) : [];
        if (!Array.isArray(answer.value) || !domains.every((d) => typeof d === "string")) return shapeless("domain list");
        return ok((domains as string[]).map((name) => ({ name: name.toLowerCase() })));
      },
    }),
    async list(zone, name, type, signal) {
      const answer = await rpc("getZoneRecords", [zone.name, sub(name, zone)], signal);
      if (!answer.ok) return answer;
      if (!Array.isArray(answer.value) || !answer.value.every(isRecord)) return shapeless("record list");
      return ok((answer.value as LRecord[]).filter((r) => r.type === type).map(held(sub(name, zone))));
    },
    async create(zone, record, signal) {
      const answer = await rpc("addZoneRecord", [zone.name, sub(record.name, zone), { type: record.type, ttl: record.ttl ?? 3600, priority: 0, rdata: record.content }], signal);
      // Loopia gives no id for the new record: the next change reads it first.
      return mapAnswer(answer, () => undefined);
    },
    update: (zone, record, changes, request, signal) =>
      done(rpc("updateZoneRecord", [zone.name, sub(request.name, zone), { type: request.type, ttl: record.ttl ?? 3600, priority: 0, rdata: changes.content, record_id: idOf(record) }], signal)),
    remove: (zone, record, signal) => done(rpc("removeZoneRecord", [zone.name, subOf(record), idOf(record)], signal)),
  };
}
