import * as v from "valibot";
import { mapAnswer, ok, shaped, type Answer, type Problem } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import type { HeldRecord } from "../kit/record-plan.ts";
import type { RecordApi } from "../kit/record-provider.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, relativeName, type Zone } from "../kit/zone-finder.ts";

/**
 * Njalla's API (docs/providers/njalla.md): one endpoint, `POST {"method", "params"}` with `Authorization: Njalla
 * <token>`; the answer is `{"result": …}` or, still in HTTP 200, `{"error": {"code", "message"}}`. `list-domains`
 * gives the zones, `list-records` a domain's records (names relative, "@" the apex), `add-record`, `edit-record` and
 * `remove-record` change them by id.
 */
const TTLS = [60, 300, 900, 3600, 10800, 21600, 86400];
const ttlOf = (ttl: number) => TTLS.find((t) => t >= ttl) ?? 86_400;
const ID = v.pipe(v.union([v.string(), v.number()]), v.transform(String));
const RECORD = v.object({ id: ID, name: v.string(), type: v.string(), content: v.string(), ttl: v.number() });
const result = <T>(schema: v.GenericSchema<unknown, T>) => v.pipe(v.object({ result: schema }), v.transform((x) => x.result));
type NRecord = v.InferOutput<typeof RECORD>;
/** Njalla's clients send record ids as numbers. */
const idOf = (id: string) => (/^\d+$/.test(id) ? Number(id) : id);

const errorOf = (j: unknown) => (typeof j === "object" && j !== null ? ((j as { error?: unknown }).error as { code?: unknown; message?: unknown } | undefined) : undefined);

function explain(f: HttpFailure): Partial<Problem> | undefined {
  if (f.status === 429) return { kind: "rate-limited", reason: "Njalla's request limit is spent (HTTP 429)", ...(f.retryAfterMs ? { retryAfterMs: f.retryAfterMs } : {}) };
  const e = errorOf(f.json);
  if (f.reason !== "http" || !e || (f.status ?? 0) >= 300) return undefined;
  const said = `error ${String(e.code)}: ${quoteBody(String(e.message ?? ""))}`;
  if (e.code === 403 || /token|auth/i.test(String(e.message))) return { kind: "auth", reason: `Njalla refused the token (${said}); check DDNS_PROVIDER_API_TOKEN: a token from njal.la → Settings → API that has not been removed` };
  if (/record|\bid\b/i.test(String(e.message))) return { kind: "config", reason: `Njalla no longer has the record (${said})`, tag: "stale-record" };
  if (/domain/i.test(String(e.message))) return { kind: "config", reason: `Njalla no longer has the domain in this account (${said})`, tag: "stale-zone" };
  return { kind: "config", reason: `Njalla refused the request (${said}); check DDNS_RECORD_TTL` };
}

export function njallaApi(s: { token: string; apiUrl: string }, deps: ProviderDeps): RecordApi<Zone> {
  const api = createRestApi(deps, { service: "Njalla", baseUrl: s.apiUrl, headers: { Authorization: `Njalla ${s.token}`, Accept: "application/json" }, secrets: [s.token], explain, verdict: (j) => (errorOf(j) ? "refused" : "ok"), errorText: (f) => String(errorOf(f.json)?.message ?? "") || undefined });
  // The endpoint is the base with its trailing slash (https://njal.la/api/1/); an absolute URL keeps it.
  const endpoint = `${s.apiUrl.replace(/\/+$/, "")}/`;
  const rpc = async (method: string, params: object, signal: AbortSignal, write: boolean): Promise<Answer<unknown>> => api.call("POST", endpoint, { body: { method, params }, signal, write });
  const held = (r: NRecord): HeldRecord => ({ id: r.id, content: r.content, ttl: r.ttl });
  const records = async (zone: Zone, type: string, signal: AbortSignal) =>
    mapAnswer(shaped(await rpc("list-records", { domain: zone.name }, signal, false), result(v.object({ records: v.array(RECORD) })), "Njalla's record list"), (r) => r.records.filter((x) => x.type === type));

  return {
    service: "Njalla",
    zoneFix: "add the domain to the Njalla account the token belongs to",
    zones: createZoneFinder<Zone>({
      now: deps.now,
      // The account's domains, listed (no lookup per suffix: record names stay out of requests and messages).
      list: async (signal) => mapAnswer(shaped(await rpc("list-domains", {}, signal, false), result(v.object({ domains: v.array(v.object({ name: v.string() })) })), "Njalla's domain list"), (r) => r.domains.map((d) => ({ name: d.name.toLowerCase() }))),
    }),
    list: async (zone, name, type, signal) => mapAnswer(await records(zone, type, signal), (found) => found.filter((r) => r.name.toLowerCase() === relativeName(name, zone.name)).map(held)),
    listAll: async (zone, type, signal) => mapAnswer(await records(zone, type, signal), (found) => found.map((r) => ({ ...held(r), name: (r.name === "@" ? zone.name : `${r.name}.${zone.name}`).toLowerCase() }))),
    async create(zone, record, signal) {
      const ttl = ttlOf(record.ttl ?? 3600);
      const answer = await rpc("add-record", { domain: zone.name, type: record.type, name: relativeName(record.name, zone.name), content: record.content, ttl }, signal, true);
      if (!answer.ok) return answer;
      // The record was created whatever the answer looks like; an unreadable one leaves its id unknown.
      const parsed = shaped(answer, result(v.object({ id: ID })), "Njalla's new record");
      return ok(parsed.ok ? { id: parsed.value.id, content: record.content, ttl } : undefined);
    },
    update: async (zone, record, changes, _request, signal) =>
      mapAnswer(await rpc("edit-record", { domain: zone.name, id: idOf(record.id), content: changes.content, ...(record.ttl === undefined ? {} : { ttl: record.ttl }) }, signal, true), () => undefined),
    remove: async (zone, record, signal) => mapAnswer(await rpc("remove-record", { domain: zone.name, id: idOf(record.id) }, signal, true), () => undefined),
  };
}
