import * as v from "valibot";
import { mapAnswer, ok, shaped, type Answer, type Problem } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import { collectPages } from "../kit/paginate.ts";
import type { HeldRecord, WrittenType } from "../kit/record-plan.ts";
import type { RecordApi } from "../kit/record-provider.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, relativeName } from "../kit/zone-finder.ts";

/**
 * bunny.net's core API (docs/providers/bunny.md): the `AccessKey` header. DNS zones come from `GET /dnszone?page&perPage`
 * (`{Items, CurrentPage, TotalItems, HasMoreItems}`), a zone with its records from `GET /dnszone/{id}`. Records have
 * integer ids and types (A 0, AAAA 1), names relative to the zone ("" the apex) and a `Comment`: created by `PUT
 * /dnszone/{id}/records`, changed by `POST …/records/{recordId}`, deleted by `DELETE`. Errors are `{ErrorKey, Field,
 * Message}`.
 */
type BZone = { name: string; id: number };
const TYPES: Record<string, number> = { A: 0, AAAA: 1 };
const PER_PAGE = 1000;
const ZONES = v.object({ Items: v.array(v.object({ Id: v.number(), Domain: v.string() })), TotalItems: v.number(), HasMoreItems: v.boolean() });
const RECORD = v.object({ Id: v.number(), Type: v.number(), Name: v.string(), Value: v.string(), Ttl: v.number(), Comment: v.nullish(v.string()) });
const ZONE = v.object({ Records: v.array(RECORD) });
type BRecord = v.InferOutput<typeof RECORD>;

function explain(f: HttpFailure): Partial<Problem> | undefined {
  const e = f.json as { ErrorKey?: unknown; Field?: unknown; Message?: unknown } | undefined;
  const said = `HTTP ${f.status}${typeof e?.ErrorKey === "string" ? ` ${JSON.stringify(e.ErrorKey)}` : ""}${typeof e?.Message === "string" ? `: ${quoteBody(e.Message)}` : ""}${typeof e?.Field === "string" && e.Field ? ` (field ${JSON.stringify(e.Field)})` : ""}`;
  if (f.status === 429) return { kind: "rate-limited", reason: `bunny.net's request limit is spent (${said})`, ...(f.retryAfterMs ? { retryAfterMs: f.retryAfterMs } : {}) };
  if (f.reason !== "http" || typeof e?.Message !== "string") return undefined;
  if (f.status === 401 || f.status === 403) return { kind: "auth", reason: `bunny.net refused the API key (${said}); check DDNS_PROVIDER_API_TOKEN: the account API key from Account settings → API (not a storage zone or stream password)` };
  if (f.status === 404) return { kind: "config", reason: `bunny.net no longer has it (${said})`, tag: /\/records\/\d+$/.test(f.url) ? "stale-record" : "stale-zone" };
  if (f.status === 400) return { kind: "config", reason: `bunny.net refused the record (${said}); check DDNS_RECORD_TTL and DDNS_RECORD_COMMENT` };
  return undefined;
}

const held = (r: BRecord): HeldRecord => ({ id: String(r.Id), content: r.Value, ttl: r.Ttl, ...(r.Comment ? { comment: r.Comment } : {}) });

export function bunnyApi(s: { token: string; apiUrl: string }, deps: ProviderDeps): RecordApi<BZone> {
  const api = createRestApi(deps, { service: "bunny.net", baseUrl: s.apiUrl, headers: { AccessKey: s.token }, secrets: [s.token], explain, errorText: (f) => (f.json as { Message?: string } | undefined)?.Message });
  const done = async (call: Promise<Answer<unknown>>) => mapAnswer(await call, () => undefined);
  /** The zone's records of one type, with absolute lower-case names. */
  async function records(zone: BZone, type: WrittenType, signal: AbortSignal): Promise<Answer<Array<HeldRecord & { name: string }>>> {
    const answer = shaped(await api.call("GET", `/dnszone/${zone.id}`, { signal }), ZONE, "bunny.net's DNS zone");
    return mapAnswer(answer, (z) => z.Records.filter((r) => r.Type === TYPES[type]).map((r) => ({ ...held(r), name: r.Name === "" ? zone.name : `${r.Name}.${zone.name}`.toLowerCase() })));
  }
  const body = (zone: BZone, name: string, type: WrittenType, value: string, ttl: number, comment: string | undefined) =>
    ({ Type: TYPES[type], Name: relativeName(name, zone.name, ""), Value: value, Ttl: ttl, ...(comment === undefined ? {} : { Comment: comment }) });

  return {
    service: "bunny.net",
    zoneFix: "add the zone under DNS in the bunny.net account the API key belongs to",
    zones: createZoneFinder<BZone>({
      now: deps.now,
      // The account's zones, listed (a lookup per suffix would put record names into URLs and messages).
      list: async (signal) => mapAnswer(
        await collectPages(async (page) => mapAnswer(shaped(await api.call("GET", "/dnszone", { query: { page, perPage: PER_PAGE }, signal }), ZONES, "bunny.net's zone list"), (p) => ({ items: p.Items, last: !p.HasMoreItems, total: p.TotalItems })), { service: "bunny.net" }),
        (zones) => zones.map((z) => ({ id: z.Id, name: z.Domain.toLowerCase() })),
      ),
    }),
    list: async (zone, name, type, signal) => mapAnswer(await records(zone, type, signal), (all) => all.filter((r) => r.name === name)),
    listAll: (zone, type, signal) => records(zone, type, signal),
    async create(zone, record, signal) {
      const answer = await api.call("PUT", `/dnszone/${zone.id}/records`, { body: body(zone, record.name, record.type, record.content, record.ttl ?? 300, record.comment), signal });
      if (!answer.ok) return answer;
      // The record was created whatever the answer looks like; an unreadable one leaves its id unknown.
      const parsed = shaped(answer, RECORD, "bunny.net's new record");
      return parsed.ok ? ok(held(parsed.value)) : ok(undefined);
    },
    update: (zone, record, changes, request, signal) =>
      done(api.call("POST", `/dnszone/${zone.id}/records/${record.id}`, { body: { Id: Number(record.id), ...body(zone, request.name, request.type, changes.content, record.ttl ?? 300, changes.comment ?? request.comment ?? record.comment) }, signal })),
    remove: (zone, record, signal) => done(api.call("DELETE", `/dnszone/${zone.id}/records/${record.id}`, { signal })),
  };
}
