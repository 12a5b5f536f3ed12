import { mapAnswer, type Answer, type Problem } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import { collectPages } from "../kit/paginate.ts";
import type { HeldRecord } from "../kit/record-plan.ts";
import type { RecordApi } from "../kit/record-provider.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, type Zone } from "../kit/zone-finder.ts";

/**
 * Porkbun API v3 (docs/providers/porkbun.md): every call is a POST whose JSON body carries `apikey` and
 * `secretapikey`; answers are `{ "status": "SUCCESS", … }`, refusals HTTP 400 `{ "status": "ERROR", "message": "…" }`.
 * The account's domains are the zones (`/domain/listAll`, 1000 at a time from `start` until an empty page); a record
 * has a string id, a fully qualified `name`, `content`, `ttl` (a string) and `notes` (ddnsd's comment).
 */
interface PorkbunRecord { id: string; name: string; type: string; content: string; ttl: string; notes?: string | null }

/** Porkbun's refusals as an operator line: all are HTTP 400, told apart by their message. */
function explain(f: HttpFailure): Partial<Problem> | undefined {
  const message = (f.json as { status?: unknown; message?: unknown } | undefined)?.message;
  if (f.reason !== "http" || typeof message !== "string") return undefined;
  const said = `HTTP ${f.status}: ${quoteBody(message)}`;
  if (/invalid api key/i.test(message)) return { kind: "auth", reason: `Porkbun refused the API keys (${said}); check DDNS_PROVIDER_API_KEY (pk1_…) and DDNS_PROVIDER_API_TOKEN (the secret key, sk1_…)` };
  if (/not opted in to api access/i.test(message)) return { kind: "config", reason: `Porkbun refused the domain (${said}); turn on API ACCESS for the domain at porkbun.com → Domain Management` };
  if (/invalid record id/i.test(message)) return { kind: "config", reason: `Porkbun no longer has the record (${said})`, tag: "stale-record" };
  if (/invalid domain/i.test(message)) return { kind: "config", reason: `Porkbun does not know the domain (${said})`, tag: "stale-zone" };
  if (f.status === 400 && /\/dns\/(create|edit)\//.test(f.url)) return { kind: "config", reason: `Porkbun refused the record (${said}); check DDNS_RECORD_TTL (at least 600 at Porkbun)` };
  return undefined;
}

const errorText = (f: HttpFailure) => {
  const message = (f.json as { message?: unknown } | undefined)?.message;
  return typeof message === "string" ? message : undefined;
};
/** A 200 answer is Porkbun's only when it says SUCCESS; ERROR is its refusal whatever the status. */
const verdict = (json: unknown) => {
  const status = (json as { status?: unknown } | undefined)?.status;
  return status === "SUCCESS" ? "ok" : status === "ERROR" ? "refused" : "unreadable";
};
const held = (r: PorkbunRecord): HeldRecord => ({ id: r.id, content: r.content, ttl: Number(r.ttl), ...(r.notes ? { comment: r.notes } : {}) });

export function porkbunApi(s: { key: string; token: string; apiUrl: string }, deps: ProviderDeps): RecordApi<Zone> {
  const api = createRestApi(deps, { service: "Porkbun", baseUrl: s.apiUrl, secrets: [s.key, s.token], explain, verdict, errorText });
  const post = <T>(path: string, signal: AbortSignal, body: object = {}) => api.call<T>("POST", path, { body: { ...body, apikey: s.key, secretapikey: s.token }, signal });
  const done = async (call: Promise<Answer<unknown>>) => mapAnswer(await call, () => undefined);
  const sub = (name: string, zone: Zone) => (name === zone.name ? "" : name.slice(0, -(zone.name.length + 1)));
  const records = async (path: string, type: string, signal: AbortSignal) =>
    mapAnswer(await post<{ records?: PorkbunRecord[] }>(path, signal), (body) => (body?.records ?? []).filter((r) => r.type === type));

  return {
    service: "Porkbun",
    zoneFix: "the domain must be registered at Porkbun in the account the API keys belong to (porkbun.com → Domain Management)",
    zones: createZoneFinder<Zone>({
      now: deps.now,
      list: async (signal) =>
        mapAnswer(
          await collectPages<{ domain: string }>(async (page) => mapAnswer(await post<{ domains?: Array<{ domain: string }> }>("/domain/listAll", signal, { start: String((page - 1) * 1000) }), (body) => ({ items: body?.domains ?? [], last: false })), { service: "Porkbun" }),
          (domains) => domains.map((d) => ({ name: d.domain.toLowerCase() })),
        ),
    }),
    list: async (zone, name, type, signal) => mapAnswer(await records(`/dns/retrieveByNameType/${zone.name}/${type}${name === zone.name ? "" : `/${sub(name, zone)}`}`, type, signal), (found) => found.map(held)),
    listAll: async (zone, type, signal) => mapAnswer(await records(`/dns/retrieve/${zone.name}`, type, signal), (found) => found.map((r) => ({ ...held(r), name: r.name.toLowerCase() }))),
    async create(zone, record, signal) {
      const body = { name: sub(record.name, zone), type: record.type, content: record.content, ...(record.ttl === undefined ? {} : { ttl: String(record.ttl) }), ...(record.comment === undefined ? {} : { notes: record.comment }) };
      const answer = await post<{ id?: number | string }>(`/dns/create/${zone.name}`, signal, body);
      return mapAnswer(answer, (r) => (r?.id === undefined ? undefined : { id: String(r.id), content: record.content, ...(record.ttl === undefined ? {} : { ttl: record.ttl }), ...(record.comment === undefined ? {} : { comment: record.comment }) }));
    },
    // An edit replaces the record: its name, TTL and notes go back as they were unless ddnsd changes them.
    update: (zone, record, changes, request, signal) =>
      done(post(`/dns/edit/${zone.name}/${record.id}`, signal, { name: sub(request.name, zone), type: request.type, content: changes.content, ...(record.ttl === undefined ? {} : { ttl: String(record.ttl) }), notes: changes.comment ?? record.comment ?? "" })),
    remove: (zone, record, signal) => done(post(`/dns/delete/${zone.name}/${record.id}`, signal)),
  };
}
